"""Reductions, scans and softmax beyond the op table: accuracy of float
sums, result dtypes, PyTorch's error messages, empty inputs, NaN handling,
determinism across thread counts, named-tuple results, quantile modes and
softmax stability."""
import math

import numpy as np
import pytest

import ember


def close(t, ref, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(t.numpy(), np.asarray(ref), rtol=rtol, atol=atol)


# ---- accuracy

def test_sum_of_1e7_float32_ones_is_exact():
    assert ember.ones(10_000_000).sum().item() == 10_000_000.0
    assert ember.ones(10_000_000, dtype=ember.float16).sum(dtype=ember.float32).item() == 10_000_000.0


def test_float64_sum_of_alternating_large_and_small_values():
    v = [1e8, 1.0, -1e8, 1.0] * 25_000
    assert ember.tensor(v, dtype=ember.float64).sum().item() == math.fsum(v)


def test_float32_sum_is_pairwise_accurate():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 4_000_000).astype(np.float32)
    exact = math.fsum(x.astype(np.float64))
    got = ember.tensor(x).sum().item()
    naive = np.cumsum(x, dtype=np.float32)[-1]  # sequential float32 accumulation
    assert abs(got - exact) / exact < 1e-6
    assert abs(got - exact) < abs(float(naive) - exact)


def test_float32_column_sums_are_accurate():
    # Reducing the outer dim of a tall matrix: accumulated in a two-level cascade.
    rng = np.random.default_rng(6)
    x = rng.uniform(0, 1, (1_000_000, 3)).astype(np.float32)
    got = ember.tensor(x).sum(0).numpy()
    exact = np.array([math.fsum(c) for c in x.T.astype(np.float64)])
    np.testing.assert_allclose(got, exact, rtol=2e-7)


def test_float16_sum_accumulates_in_float32():
    # 4096 halves of 1.0: a float16 accumulator would stop at 2048.
    assert ember.ones(4096, dtype=ember.float16).sum().item() == 4096.0
    assert ember.ones(3000, 2, dtype=ember.bfloat16).sum(0).to(ember.float32).numpy().tolist() == [3008.0, 3008.0]


def test_outer_and_inner_reductions_agree_with_numpy():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((37, 300, 5))
    t = ember.tensor(x)
    for dims in [0, 1, 2, (0, 1), (0, 2), (1, 2), None]:
        close(t.sum(dims), x.sum(axis=dims), 1e-12, 1e-12)
        close(t.permute(2, 0, 1).sum(dims), x.transpose(2, 0, 1).sum(axis=dims), 1e-12, 1e-12)


def test_var_is_accurate_with_a_large_offset():
    x = np.array([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4], dtype=np.float64)
    assert ember.tensor(x).var().item() == pytest.approx(np.var(x, ddof=1), rel=1e-9)


# ---- result dtypes

@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_sum_prod_cumsum_of_integers_give_int64(dtype):
    x = ember.ones(4, dtype=getattr(ember, dtype))
    assert x.sum().dtype == ember.int64
    assert x.prod().dtype == ember.int64
    assert x.cumsum(0).dtype == ember.int64
    assert ember.sum(x, dtype=ember.int32).dtype == ember.int32


def test_result_dtypes():
    f16 = ember.ones(3, dtype=ember.float16)
    assert f16.sum().dtype == ember.float16
    assert f16.mean().dtype == ember.float16
    assert ember.ones(3, dtype=ember.int32).mean(dtype=ember.float64).dtype == ember.float64
    assert ember.ones(3).argmax().dtype == ember.int64
    assert ember.ones(3, dtype=ember.int8).all().dtype == ember.bool
    assert ember.ones(3).any(0).dtype == ember.bool
    assert ember.ones(3).count_nonzero().dtype == ember.int64
    assert ember.ones(3, dtype=ember.complex64).var().dtype == ember.float32
    assert ember.ones(3, dtype=ember.complex128).norm().dtype == ember.float64
    assert ember.ones(3, dtype=ember.int64).logsumexp(0).dtype == ember.float32
    assert ember.ones(3).softmax(0, dtype=ember.float64).dtype == ember.float64
    assert ember.ones(3, dtype=ember.int64).softmax(0, dtype=ember.float32).dtype == ember.float32


def test_int64_sum_is_exact_beyond_float_precision():
    big = 2**53 + 1
    assert ember.tensor([big, 1, -1]).sum().item() == big


# ---- errors

def test_mean_of_integers_is_an_error():
    with pytest.raises(RuntimeError, match=r"^\[mean\] mean\(\): could not infer output dtype. Input dtype must be "
                                           r"either a floating point or complex dtype. Got: Long"):
        ember.ones(3, dtype=ember.int64).mean()


def test_max_of_empty_and_empty_dims():
    with pytest.raises(RuntimeError, match=r"max\(\): Expected reduction dim to be specified for input.numel\(\) == 0"):
        ember.zeros(0).max()
    with pytest.raises(IndexError, match=r"max\(\): Expected reduction dim 0 to have non-zero size"):
        ember.zeros(0, 3).max(0)
    with pytest.raises(IndexError, match=r"amin\(\): Expected reduction dim 1 to have non-zero size"):
        ember.zeros(3, 0).amin(1)
    with pytest.raises(RuntimeError, match=r"argmax\(\): Expected reduction dim to be specified"):
        ember.zeros(0).argmax()
    # Kept dims may be empty.
    assert ember.zeros(0, 3).max(1).values.shape == (0,)
    assert ember.zeros(0, 3).amax(1).shape == (0,)


def test_dim_errors():
    x = ember.ones(3, 4)
    with pytest.raises(RuntimeError, match=r"^\[sum\] dim 0 appears multiple times in the list of dims"):
        x.sum((0, -2))
    with pytest.raises(IndexError, match=r"Dimension out of range"):
        x.sum(2)
    with pytest.raises(RuntimeError, match=r"dim 0 appears multiple times"):
        ember.tensor(1.0).sum((0, -1))
    with pytest.raises(TypeError, match=r"\[sum\] dim must be an int or a tuple of ints"):
        x.sum("a")
    with pytest.raises(IndexError):
        x.cumsum(3)
    with pytest.raises(IndexError):
        x.softmax(-3)


def test_dtype_errors():
    with pytest.raises(RuntimeError, match=r"\[var\] std and var only support floating point and complex"):
        ember.ones(3, dtype=ember.int32).var()
    with pytest.raises(RuntimeError, match=r"\[softmax\] softmax is not implemented for dtype int64"):
        ember.ones(3, dtype=ember.int64).softmax(0)
    with pytest.raises(TypeError, match=r"\[max\] not implemented for dtype complex64"):
        ember.ones(3, dtype=ember.complex64).max()
    with pytest.raises(RuntimeError, match=r"\[nansum\] nansum does not support complex inputs"):
        ember.ones(3, dtype=ember.complex64).nansum()
    with pytest.raises(TypeError, match=r"\[median\] not implemented for dtype bool"):
        ember.ones(3, dtype=ember.bool).median()


def test_quantile_errors():
    x = ember.tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match=r"q values must be in the range \[0, 1\]"):
        ember.quantile(x, 1.5)
    with pytest.raises(RuntimeError, match=r"interpolation must be one of linear, lower, higher, midpoint or nearest"):
        ember.quantile(x, 0.5, interpolation="cubic")
    with pytest.raises(RuntimeError, match=r"input tensor must be either float or double dtype"):
        ember.quantile(ember.tensor([1, 2]), 0.5)
    with pytest.raises(RuntimeError, match=r"q tensor must be same dtype as the input tensor"):
        ember.quantile(x, ember.tensor([0.5], dtype=ember.float64))
    with pytest.raises(RuntimeError, match=r"input tensor must be non-empty"):
        ember.quantile(ember.zeros(0), 0.5)
    with pytest.raises(RuntimeError, match=r"q must be a scalar or 1D tensor"):
        ember.quantile(x, ember.zeros(2, 2))


# ---- empty inputs

def test_empty_reductions():
    e = ember.zeros(0)
    assert e.sum().item() == 0
    assert e.prod().item() == 1
    assert math.isnan(e.mean().item())
    assert e.all().item() is True
    assert e.any().item() is False
    assert ember.zeros(2, 0).sum(1).numpy().tolist() == [0.0, 0.0]
    assert ember.zeros(2, 0, dtype=ember.int32).prod(1).numpy().tolist() == [1, 1]
    assert ember.zeros(0, 3).sum(0, keepdim=True).shape == (1, 3)
    assert math.isnan(ember.median(e).item())
    assert ember.zeros(0, 3).cumsum(0).shape == (0, 3)
    assert ember.zeros(0, 3).softmax(1).shape == (0, 3)


# ---- NaN

def test_nan_wins_in_max_min_argmax():
    nan = float("nan")
    x = ember.tensor([1.0, nan, 5.0, nan])
    assert math.isnan(x.max().item()) and math.isnan(x.min().item())
    assert x.argmax().item() == 1 and x.argmin().item() == 1
    r = ember.max(ember.tensor([[1.0, nan], [3.0, 2.0]]), 1)
    assert math.isnan(r.values[0].item()) and r.values[1].item() == 3.0
    assert r.indices.numpy().tolist() == [1, 0]
    v = ember.amax(ember.tensor([[1.0, nan], [3.0, 4.0]]), 0).numpy()
    assert v[0] == 3.0 and math.isnan(v[1])


def test_nan_aware_reductions():
    nan = float("nan")
    x = ember.tensor([[1.0, nan, 3.0], [nan, nan, nan]])
    close(x.nansum(1), [4.0, 0.0])
    m = x.nanmean(1).numpy()
    assert m[0] == 2.0 and math.isnan(m[1])
    assert math.isnan(ember.median(x).item())
    assert ember.nanmedian(x).item() == 1.0
    nm = ember.nanmedian(x, 1)
    assert nm.values[0].item() == 1.0 and math.isnan(nm.values[1].item())
    q = ember.nanquantile(x, 0.5, dim=1).numpy()
    assert q[0] == 2.0 and math.isnan(q[1])
    assert math.isnan(ember.quantile(x[0], 0.5).item())


# ---- determinism across thread counts

def test_results_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(2)
    x = ember.tensor(rng.standard_normal((700, 900)).astype(np.float32))
    big = ember.tensor(rng.standard_normal(3_000_000).astype(np.float32))
    before = ember.get_num_threads()

    def run():
        return [big.sum(), x.sum(), x.sum(0), x.sum(1), x.T.sum(0), x.mean(), x.var(), x.std(1), x.amax(0),
                x.argmax(1), big.argmax(), x.norm(), x.logsumexp(1), x.softmax(0), x.cumsum(1), big.prod()]
    try:
        ember.set_num_threads(1)
        one = [t.numpy().copy() for t in run()]
        ember.set_num_threads(2)
        two = [t.numpy().copy() for t in run()]
    finally:
        ember.set_num_threads(before)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)


# ---- named tuples and keepdim

def test_return_types():
    x = ember.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 5.0]])
    r = ember.max(x, dim=1)
    assert type(r).__name__ == "max" and type(r).__module__ == "ember.return_types"
    values, indices = r
    assert values.numpy().tolist() == [3.0, 5.0] and indices.numpy().tolist() == [0, 1]
    assert ember.min(x, 1, keepdim=True).indices.shape == (2, 1)
    mm = ember.aminmax(x, dim=0)
    assert mm.min.numpy().tolist() == [0.0, 1.0, 2.0] and mm.max.numpy().tolist() == [3.0, 5.0, 5.0]
    cm = ember.cummax(ember.tensor([1, 3, 2, 3, 0]), 0)
    assert cm.values.numpy().tolist() == [1, 3, 3, 3, 3] and cm.indices.numpy().tolist() == [0, 1, 1, 3, 3]
    cn = ember.cummin(ember.tensor([2.0, 1.0, 1.0, 4.0]), 0)
    assert cn.values.numpy().tolist() == [2.0, 1.0, 1.0, 1.0] and cn.indices.numpy().tolist() == [0, 1, 2, 2]
    md = ember.median(ember.tensor([[4.0, 1.0, 3.0, 2.0]]), 1)
    assert type(md).__name__ == "median" and md.values.item() == 2.0 and md.indices.item() == 3
    mo = ember.mode(ember.tensor([[1, 2, 2, 3, 3, 7]]))
    assert type(mo).__name__ == "mode" and mo.values.item() == 2 and mo.indices.item() in (1, 2)
    # max with a tensor second argument is the elementwise maximum.
    assert ember.max(x, ember.zeros(2, 3) + 2).numpy().tolist() == [[3.0, 2.0, 2.0], [2.0, 5.0, 5.0]]


def test_median_and_mode_indices_point_at_the_values():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, (6, 9))
    for fn in (ember.median, ember.mode):
        r = fn(ember.tensor(x), 1)
        got = np.take_along_axis(x, r.indices.numpy()[:, None], 1)[:, 0]
        assert got.tolist() == r.values.numpy().tolist()


def test_lower_median_of_even_count():
    assert ember.tensor([1.0, 2.0, 3.0, 4.0]).median().item() == 2.0


def test_keepdim_shapes_and_dim_forms():
    x = ember.ones(2, 3, 4)
    assert x.sum((0, 2), keepdim=True).shape == (1, 3, 1)
    assert x.sum([-1, 0]).shape == (3,)
    assert x.mean(dim=-2).shape == (2, 4)
    assert ember.argmax(x, keepdim=True).shape == (1, 1, 1)
    assert x.std(dim=1, keepdim=True).shape == (2, 1, 4)
    assert ember.quantile(x, ember.tensor([0.1, 0.5]), dim=1, keepdim=True).shape == (2, 2, 1, 4)
    assert ember.quantile(x, 0.5, keepdim=True).shape == (1, 1, 1)
    assert ember.logsumexp(x, (0, 1)).shape == (4,)
    assert ember.ones(()).sum(0).shape == ()


def test_numpy_axis_spelling():
    x = ember.tensor([[1.0, 2.0], [3.0, 5.0]])
    assert ember.sum(x, axis=0).numpy().tolist() == [4.0, 7.0]
    assert x.mean(axis=1, keepdim=True).shape == (2, 1)
    assert ember.amax(x, axis=(0, 1)).item() == 5.0
    assert x.argmax(axis=0).numpy().tolist() == [1, 1]
    assert x.sum(1).numpy().tolist() == [3.0, 8.0]  # positional dim still works


def test_var_std_correction_forms():
    x = ember.tensor([1.0, 2.0, 4.0, 7.0])
    v = np.array([1.0, 2.0, 4.0, 7.0])
    assert x.var().item() == pytest.approx(np.var(v, ddof=1))
    assert x.var(unbiased=False).item() == pytest.approx(np.var(v))
    assert ember.var(x, False).item() == pytest.approx(np.var(v))
    assert x.var(0, correction=2).item() == pytest.approx(np.var(v, ddof=2))
    assert x.std(correction=0).item() == pytest.approx(np.std(v))
    s, m = ember.std_mean(x)
    assert s.item() == pytest.approx(np.std(v, ddof=1)) and m.item() == pytest.approx(3.5)
    assert math.isnan(ember.tensor([1.0]).var().item())  # one value, correction 1


def test_out_argument():
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = ember.empty(2)
    r = ember.sum(x, 1, out=out)
    assert r is out or r.data_ptr() == out.data_ptr()
    assert out.numpy().tolist() == [3.0, 7.0]
    out2 = ember.empty(2, 2)
    ember.cumsum(x, 0, out=out2)
    assert out2.numpy().tolist() == [[1.0, 2.0], [4.0, 6.0]]


# ---- quantiles

@pytest.mark.parametrize("mode", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_modes_match_numpy(mode):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 11))
    q = np.array([0.0, 0.1, 0.25, 0.5, 0.65, 1.0])
    got = ember.quantile(ember.tensor(x), ember.tensor(q), dim=1, interpolation=mode)
    close(got, np.quantile(x, q, axis=1, method=mode), 1e-12, 1e-12)


def test_quantile_by_hand():
    x = ember.tensor([1.0, 2.0, 3.0, 4.0])  # q=0.5: rank 1.5
    assert ember.quantile(x, 0.5).item() == 2.5
    assert ember.quantile(x, 0.5, interpolation="lower").item() == 2.0
    assert ember.quantile(x, 0.5, interpolation="higher").item() == 3.0
    assert ember.quantile(x, 0.5, interpolation="midpoint").item() == 2.5
    assert ember.quantile(x, 0.5, interpolation="nearest").item() == 3.0  # rank 1.5 rounds half to even: 2
    assert ember.quantile(x, 0.25, interpolation="nearest").item() == 2.0  # rank 0.75 -> 1


# ---- softmax

def test_softmax_rows_sum_to_one_and_are_stable():
    x = ember.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0], [0.0, 0.0, 0.0]])
    s = x.softmax(1)
    close(s.sum(1), [1.0, 1.0, 1.0])
    e = np.exp([-2.0, -1.0, 0.0])
    close(s[0], e / e.sum())
    ls = x.log_softmax(1)
    assert np.isfinite(ls.numpy()).all()
    close(ls[0], np.log(e / e.sum()), 1e-6, 1e-6)
    big = ember.tensor(np.random.default_rng(5).standard_normal((64, 513)).astype(np.float32) * 50)
    close(big.softmax(1).sum(1), np.ones(64), 1e-5, 1e-5)
    close(big.softmax(0).sum(0), np.ones(513), 1e-5, 1e-5)


def test_softmax_half_computes_in_float():
    x = ember.tensor([0.0, 10.0, 20.0], dtype=ember.float16)
    s = x.softmax(0).to(ember.float32).numpy()
    e = np.exp(np.array([-20.0, -10.0, 0.0]))
    np.testing.assert_allclose(s, e / e.sum(), rtol=2e-3, atol=1e-7)


def test_softmax_of_all_minus_inf_row_is_nan():
    x = ember.tensor([[-math.inf, -math.inf], [0.0, -math.inf]])
    s = x.softmax(1).numpy()
    assert np.isnan(s[0]).all() and s[1].tolist() == [1.0, 0.0]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.bfloat16])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_line_with_nan_is_all_nan(dtype, log):
    # One NaN makes its whole line NaN, as in PyTorch, on the vectorized
    # last-dim path (lines longer than its 512-element chunks) and the strided
    # one; the other lines are unaffected.
    x = np.linspace(-3, 3, 2 * 1030).reshape(2, 1030)
    x[0, 517] = np.nan
    t = ember.tensor(x, dtype=dtype)
    for out in ((t.log_softmax(1), t.t().log_softmax(0).t()) if log else (t.softmax(1), t.t().softmax(0).t())):
        out = out.to(ember.float64).numpy()
        assert np.isnan(out[0]).all()
        ref = x[1] - x[1].max()
        ref = ref - np.log(np.exp(ref).sum()) if log else np.exp(ref) / np.exp(ref).sum()
        np.testing.assert_allclose(out[1], ref, rtol=2e-2 if dtype == ember.bfloat16 else 1e-5, atol=1e-6)


def test_logsumexp_handles_infinities_and_large_values():
    x = ember.tensor([[1000.0, 1000.0], [-math.inf, -math.inf], [math.inf, 1.0]])
    r = ember.logsumexp(x, 1).numpy()
    assert r[0] == pytest.approx(1000 + math.log(2))
    assert r[1] == -math.inf and r[2] == math.inf


# ---- norms

def test_norm_forms():
    x = ember.tensor([[3.0, -4.0], [0.0, 0.0]])
    assert x.norm().item() == 5.0
    assert ember.norm(x, "fro").item() == 5.0
    assert ember.norm(x, float("inf")).item() == 4.0
    assert ember.norm(x, -float("inf"), dim=1).numpy().tolist() == [3.0, 0.0]
    assert ember.norm(x, 0).item() == 2.0
    assert ember.norm(x, 1, dim=1).numpy().tolist() == [7.0, 0.0]
    assert ember.norm(x, 3).item() == pytest.approx((27 + 64) ** (1 / 3), rel=1e-6)
    c = ember.tensor([3 + 4j, 0j])
    assert c.norm().item() == pytest.approx(5.0)
    # The nuclear norm is a matrix norm: the sum of the singular values (5, 0).
    assert ember.norm(x, "nuc").item() == pytest.approx(5.0)
