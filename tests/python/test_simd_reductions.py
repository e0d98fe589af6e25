"""The vectorized reduction paths (src/cpu/reduce_kernels.cpp and
softmax_kernels.cpp): outer reductions four rows at a time over blocks of
1024 outputs, max/min/argmax/argmin rows with 16-byte vectors, softmax and
log_softmax along the last dim with the vectorized exp. Sizes straddle the
vector widths, the 4-row step, the 256-row flush and the 1024-output block;
values are checked against NumPy (float64 references)."""
import numpy as np
import pytest

import ember


def e(a):
    return ember.from_numpy(np.ascontiguousarray(a))


@pytest.mark.parametrize("shape", [(1, 5), (3, 7), (4, 1025), (5, 1030), (257, 9), (1031, 3), (4099, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_sum_over_outer_dim(shape, dtype):
    rng = np.random.default_rng(sum(shape))
    a = (rng.standard_normal(shape) * 100).astype(dtype)
    got = e(a).sum(0).numpy()
    want = a.astype(np.float64).sum(0)
    if np.issubdtype(dtype, np.integer):
        np.testing.assert_array_equal(got, a.sum(0, dtype=np.int64))
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-3)


def test_outer_sum_of_float32_ones_is_exact():
    # 100003 rows: many flushed blocks, a partial block and rows past the last 4-row step.
    a = np.ones((100_003, 3), dtype=np.float32)
    assert e(a).sum(0).numpy().tolist() == [100_003.0] * 3
    b = np.ones((3, 1000, 5), dtype=np.float32)
    assert e(b).sum((0, 1)).numpy().tolist() == [3000.0] * 5


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.uint8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("n", [1, 7, 15, 16, 17, 31, 32, 33, 100, 1000])
def test_max_min_and_arg_along_rows(dtype, n):
    rng = np.random.default_rng(n)
    a = (rng.standard_normal((6, n)) * 40).astype(dtype)
    a[0] = a[0, :1]  # ties everywhere: the first index wins
    t = e(a)
    np.testing.assert_array_equal(ember.amax(t, 1).numpy(), a.max(1))
    np.testing.assert_array_equal(ember.amin(t, 1).numpy(), a.min(1))
    np.testing.assert_array_equal(ember.argmax(t, 1).numpy(), a.argmax(1))
    np.testing.assert_array_equal(ember.argmin(t, 1).numpy(), a.argmin(1))
    np.testing.assert_array_equal(t.max(1).indices.numpy(), a.argmax(1))
    np.testing.assert_array_equal(ember.argmax(t, 0).numpy(), a.argmax(0))
    assert ember.argmin(t).item() == a.argmin()
    assert t.max().item() == a.max()


@pytest.mark.parametrize("n", [16, 40, 100])
def test_nan_wins_at_every_position(n):
    for pos in range(n):
        b = np.arange(n, dtype=np.float32)
        b[pos] = np.nan
        if pos + 3 < n:
            b[pos + 3] = np.nan  # the first NaN is the one reported
        t = e(b)
        assert ember.argmax(t).item() == pos
        assert ember.argmin(t).item() == pos
        assert np.isnan(t.max().item()) and np.isnan(ember.amin(t, 0).item())


def test_signed_zeros_keep_the_first_element():
    b = -np.ones(40, dtype=np.float32)
    b[3], b[7] = 0.0, -0.0
    r = e(b).max(0)
    assert r.indices.item() == 3
    assert np.signbit(r.values.item()) == np.signbit(b[3])


def test_argmax_over_outer_dim_with_ties_and_nan():
    a = np.zeros((1030, 5), dtype=np.float32)
    a[517, 1] = 1.0
    a[900, 1] = 1.0
    a[3, 2] = np.nan
    a[1029, 4] = 2.0
    np.testing.assert_array_equal(ember.argmax(e(a), 0).numpy(), [0, 517, 3, 0, 1029])


def softmax_ref(x, axis=-1):
    x = x.astype(np.float64)
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isinf(m) & (m < 0), 0, m)
    with np.errstate(all="ignore"):  # all -inf lines give nan, as in PyTorch
        ex = np.exp(x - m)
        return ex / ex.sum(axis=axis, keepdims=True), (x - m) - np.log(ex.sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("n", [1, 3, 8, 9, 17, 511, 512, 513, 1030])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_last_dim(n, dtype):
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((4, n)) * 5).astype(dtype)
    x[1] += 500  # large values: the max is subtracted first
    x[2, :: max(1, n // 3)] = -np.inf
    sm, lsm = softmax_ref(x)
    rtol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(ember.softmax(e(x), -1).numpy(), sm, rtol=rtol, atol=1e-30)
    np.testing.assert_allclose(ember.log_softmax(e(x), -1).numpy(), lsm, rtol=rtol, atol=1e-5)


def test_softmax_special_lines():
    x = np.array([[-np.inf] * 20, [np.nan] + [0.0] * 19, [np.inf] + [0.0] * 19], dtype=np.float32)
    got = ember.softmax(e(x), -1).numpy()
    assert np.isnan(got[0]).all() and np.isnan(got[1]).all()
    assert np.isnan(got[2, 0])  # inf - inf, as PyTorch
    lgot = ember.log_softmax(e(x), -1).numpy()
    assert np.isnan(lgot[0]).all() and np.isnan(lgot[1]).all()


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16])
def test_softmax_half_precision(dtype):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((3, 700)) * 3).astype(np.float32)
    t = e(x).to(dtype)
    xr = t.to(ember.float32).numpy()
    sm, lsm = softmax_ref(xr)
    tol = 1e-3 if dtype == ember.float16 else 8e-3
    np.testing.assert_allclose(ember.softmax(t, -1).to(ember.float32).numpy(), sm, rtol=tol, atol=1e-6)
    np.testing.assert_allclose(ember.log_softmax(t, -1).to(ember.float32).numpy(), lsm, rtol=tol, atol=2e-2)
