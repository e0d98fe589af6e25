"""Binary and ternary elementwise ops beyond the op table: in-place rules,
out=, operators with Python scalars on both sides, integer edge cases,
NaN handling and error messages."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ember

nan, inf = float("nan"), float("inf")


def vals(t):
    return t.numpy().tolist()


# ---------------------------------------------------------------- operators

def test_bitwise_operators_with_scalars_on_both_sides():
    t = ember.tensor([1, 2, 3, 12])
    assert vals(t & 6) == [0, 2, 2, 4]
    assert vals(6 & t) == [0, 2, 2, 4]
    assert vals(t | 1) == [1, 3, 3, 13]
    assert vals(1 | t) == [1, 3, 3, 13]
    assert vals(t ^ 3) == [2, 1, 0, 15]
    assert vals(3 ^ t) == [2, 1, 0, 15]
    assert vals(t << 2) == [4, 8, 12, 48]
    assert vals(1 << t) == [2, 4, 8, 4096]
    assert vals(t >> 1) == [0, 1, 1, 6]
    assert vals(4096 >> t) == [2048, 1024, 512, 1]
    for r in (t & 6, 6 & t, t << 2, 1 << t):
        assert r.dtype == ember.int64


def test_bool_bitwise_operators():
    a = ember.tensor([True, True, False, False])
    b = ember.tensor([True, False, True, False])
    assert vals(a & b) == [True, False, False, False]
    assert vals(a | b) == [True, True, True, False]
    assert vals(a ^ b) == [False, True, True, False]
    assert (a & b).dtype == ember.bool
    assert vals(True ^ a) == [False, False, True, True]
    # bool with a Python int promotes to int64, as in PyTorch.
    assert (a & 1).dtype == ember.int64


def test_arithmetic_operators_reflected_with_scalars():
    t = ember.tensor([1, 2, 4])
    assert vals(7 % t) == [0, 1, 3]
    assert vals(7 // t) == [7, 3, 1]
    assert vals(2 ** t) == [2, 4, 16]
    assert vals(10 - t) == [9, 8, 6]
    assert vals(8 / t) == [8.0, 4.0, 2.0]


def test_operators_with_other_types_raise_type_error():
    t = ember.tensor([1, 2])
    with pytest.raises(TypeError):
        t & "a"
    with pytest.raises(TypeError):
        "a" << t


def test_bitwise_on_floats_raises_type_error_naming_op_and_dtype():
    f = ember.tensor([1.0, 2.0])
    for fn, name in [(ember.bitwise_and, "bitwise_and"), (ember.bitwise_or, "bitwise_or"),
                     (ember.bitwise_xor, "bitwise_xor"), (ember.bitwise_left_shift, "bitwise_left_shift"),
                     (ember.bitwise_right_shift, "bitwise_right_shift")]:
        with pytest.raises(TypeError, match=rf"\[{name}\].*float32"):
            fn(f, f)
    with pytest.raises(TypeError, match="float32"):
        f & 1
    with pytest.raises(TypeError, match="float32"):
        1 | f
    with pytest.raises(TypeError, match="float32"):
        f << 1
    c = ember.tensor([1j])
    with pytest.raises(TypeError, match="complex64"):
        c ^ c
    b = ember.tensor([True])
    with pytest.raises(TypeError, match=r"bitwise_left_shift.*bool"):
        ember.bitwise_left_shift(b, b)


# ---------------------------------------------------------------- in place

def test_inplace_bitwise_operators_keep_the_tensor():
    t = ember.tensor([5, 6, 7], dtype=ember.int16)
    ptr = t.data_ptr()
    t &= 6
    t |= 8
    t ^= 1
    t <<= 2
    t >>= 1
    assert t.data_ptr() == ptr and t.dtype == ember.int16
    assert vals(t) == [(((5 & 6) | 8) ^ 1) << 2 >> 1, (((6 & 6) | 8) ^ 1) << 2 >> 1, (((7 & 6) | 8) ^ 1) << 2 >> 1]
    t %= 5
    assert t.data_ptr() == ptr
    assert vals(t) == [v % 5 for v in [(((5 & 6) | 8) ^ 1) << 2 >> 1, (((6 & 6) | 8) ^ 1) << 2 >> 1,
                                       (((7 & 6) | 8) ^ 1) << 2 >> 1]]


def test_inplace_methods_write_into_self_and_bump_version():
    x = ember.tensor([5.5, -7.5, 2.0])
    v = x._version  # a method here (a property in PyTorch)
    y = x.fmod_(2)
    assert y.data_ptr() == x.data_ptr()
    assert vals(x) == [1.5, -1.5, 0.0]
    assert x._version > v
    v = x._version
    x.clamp_(-10, 10)
    assert x._version > v
    x.remainder_(-2)
    assert vals(x) == [-0.5, -1.5, 0.0]
    x.copysign_(-1.0)
    assert [math.copysign(1, e) for e in vals(x)] == [-1, -1, -1]
    x = ember.tensor([3.0, 4.0])
    x.hypot_(ember.tensor([4.0, 3.0]))
    assert vals(x) == [5.0, 5.0]
    x.atan2_(ember.tensor([5.0, -5.0]))
    np.testing.assert_allclose(vals(x), [math.pi / 4, 3 * math.pi / 4], rtol=1e-6)
    x = ember.tensor([0.0, 2.0])
    x.xlogy_(ember.tensor([0.0, math.e]))
    np.testing.assert_allclose(vals(x), [0.0, 2.0], rtol=1e-6)
    i = ember.tensor([7, -7])
    i.floor_divide_(2)
    assert vals(i) == [3, -4]
    i.bitwise_xor_(1)
    assert vals(i) == [2, -3]
    i.bitwise_left_shift_(1)
    assert vals(i) == [4, -6]
    i.bitwise_right_shift_(2)
    assert vals(i) == [1, -2]


def test_inplace_logical_stores_zero_one_in_self_dtype():
    x = ember.tensor([0.0, 2.0, -1.0, 0.0])
    x.logical_and_(ember.tensor([1, 1, 0, 0]))
    assert x.dtype == ember.float32 and vals(x) == [0.0, 1.0, 0.0, 0.0]
    x = ember.tensor([0, 3, 0])
    x.logical_or_(ember.tensor([0.0, 0.0, nan]))
    assert x.dtype == ember.int64 and vals(x) == [0, 1, 1]
    x.logical_xor_(1)
    assert vals(x) == [1, 0, 0]


def test_inplace_refuses_lowering_dtype_and_changing_shape():
    i = ember.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match=r"\[fmod_\].*float32.*can't be cast.*int64"):
        i.fmod_(1.5)
    with pytest.raises(RuntimeError, match=r"atan2_.*can't be cast"):
        i.atan2_(ember.tensor([1, 1, 1]))
    with pytest.raises(RuntimeError, match=r"clamp_.*can't be cast"):
        i.clamp_(0.5, 2)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        i.bitwise_and_(ember.ones(2, 3, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        i.logical_and_(ember.ones(2, 3))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        i.clamp_(ember.zeros(2, 3, dtype=ember.int64))
    f = ember.zeros(3)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        f.lerp_(ember.ones(2, 3), 0.5)
    with pytest.raises(RuntimeError, match="can't be cast"):
        ember.tensor([True]).bitwise_and_(ember.tensor([3]))
    # Values stay untouched after a refused in-place op.
    assert vals(i) == [1, 2, 3]


def test_clamp_and_lerp_inplace():
    x = ember.arange(6, dtype=ember.float32).view(2, 3)
    x.clamp_(1, 3.5)
    assert vals(x) == [[1, 1, 2], [3, 3.5, 3.5]]
    x.clamp_min_(2)
    assert vals(x) == [[2, 2, 2], [3, 3.5, 3.5]]
    x.clamp_max_(ember.tensor([2.5, 3.0, 4.0]))
    assert vals(x) == [[2, 2, 2], [2.5, 3.0, 3.5]]
    x.clip_(max=2.25)
    assert vals(x) == [[2, 2, 2], [2.25, 2.25, 2.25]]
    s = ember.tensor([0.0, 10.0])
    s.lerp_(ember.tensor([10.0, 0.0]), 0.25)
    assert vals(s) == [2.5, 7.5]
    s.lerp_(ember.tensor([0.0, 0.0]), ember.tensor([1.0, 0.0]))
    assert vals(s) == [0.0, 7.5]


def test_inplace_on_noncontiguous_view_writes_through():
    base = ember.arange(12, dtype=ember.int32).view(3, 4)
    col = base.select(1, 1)
    col.bitwise_or_(16)
    assert vals(base.select(1, 1)) == [17, 21, 25]
    assert vals(base.select(1, 0)) == [0, 4, 8]
    t = base.t()
    t.clamp_(3, 9)
    assert vals(base) == [[3, 9, 3, 3], [4, 9, 6, 7], [8, 9, 9, 9]]


# ---------------------------------------------------------------- out=

def test_out_argument():
    a, b = ember.tensor([7.0, -7.0]), ember.tensor([2.0, 2.0])
    o = ember.empty(2)
    r = ember.fmod(a, b, out=o)
    assert r.data_ptr() == o.data_ptr() and vals(o) == [1.0, -1.0]
    o64 = ember.empty(2, dtype=ember.float64)
    ember.atan2(a, b, out=o64)
    np.testing.assert_allclose(vals(o64), np.arctan2([7.0, -7.0], [2.0, 2.0]), rtol=1e-6)
    ob = ember.empty(2, dtype=ember.bool)
    ember.logical_or(a, 0, out=ob)
    assert vals(ob) == [True, True]
    oi = ember.empty(3, dtype=ember.int64)
    ember.bitwise_and(ember.tensor([1, 2, 3]), 2, out=oi)
    assert vals(oi) == [0, 2, 2]
    ember.where(ember.tensor([True, False, True]), 1, 0, out=oi)
    assert vals(oi) == [1, 0, 1]
    ember.clamp(ember.tensor([-5, 0, 5]), -1, 1, out=oi)
    assert vals(oi) == [-1, 0, 1]
    of = ember.empty(2)
    ember.lerp(ember.tensor([0.0, 1.0]), ember.tensor([1.0, 3.0]), 0.5, out=of)
    assert vals(of) == [0.5, 2.0]
    ember.maximum(a, b, out=of)
    assert vals(of) == [7.0, 2.0]
    ember.subtract(a, b, alpha=2, out=of)
    assert vals(of) == [3.0, -11.0]
    ember.divide(a, b, rounding_mode="floor", out=of)
    assert vals(of) == [3.0, -4.0]
    with pytest.raises(RuntimeError, match=r"\[fmod\] out has shape"):
        ember.fmod(a, b, out=ember.empty(3))
    with pytest.raises(RuntimeError, match="can't be cast"):
        ember.hypot(a, b, out=ember.empty(2, dtype=ember.int64))


# ---------------------------------------------------------------- integer edge cases

@pytest.mark.parametrize("dtype,bits", [(ember.int8, 8), (ember.int16, 16), (ember.int32, 32), (ember.int64, 64)])
def test_int_min_divided_by_minus_one_wraps(dtype, bits):
    imin = -(2 ** (bits - 1))
    t = ember.tensor([imin, imin, 7], dtype=dtype)
    m1 = ember.tensor([-1, -1, -1], dtype=dtype)
    assert vals(t // m1) == [imin, imin, -7]
    assert vals(ember.div(t, m1, rounding_mode="trunc")) == [imin, imin, -7]
    assert vals(t % m1) == [0, 0, 0]
    assert vals(ember.fmod(t, m1)) == [0, 0, 0]


def test_remainder_and_fmod_signs():
    a = ember.tensor([7, -7, 7, -7])
    b = ember.tensor([3, 3, -3, -3])
    assert vals(a % b) == [1, 2, -2, -1]          # sign of the divisor (Python)
    assert vals(ember.fmod(a, b)) == [1, -1, 1, -1]  # sign of the dividend (C)
    af, bf = a.double(), b.double()
    assert vals(af % bf) == [1.0, 2.0, -2.0, -1.0]
    assert vals(ember.fmod(af, bf)) == [1.0, -1.0, 1.0, -1.0]
    assert vals(ember.fmod(ember.tensor([5.0]), 0.0)) == [None] or math.isnan(vals(ember.fmod(ember.tensor([5.0]),
                                                                                                  0.0))[0])


def test_integer_division_by_zero_raises():
    a = ember.tensor([1, 2])
    z = ember.tensor([1, 0])
    for fn in (ember.fmod, ember.remainder, ember.floor_divide):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            fn(a, z)


def test_shifts_by_bit_width_and_more():
    i8 = ember.tensor([1, -1, 64, -128], dtype=ember.int8)
    assert vals(i8 << 7) == [-128, -128, 0, 0]
    assert vals(i8 << 8) == [0, 0, 0, 0]
    assert vals(i8 << 100) == [0, 0, 0, 0]
    assert vals(i8 >> 7) == [0, -1, 0, -1]
    assert vals(i8 >> 8) == [0, -1, 0, -1]        # sign fill
    assert vals(i8 >> 100) == [0, -1, 0, -1]
    neg = ember.tensor([-1, -1, -1, -1], dtype=ember.int8)
    assert vals(i8 << neg) == [0, 0, 0, 0]        # negative counts: 0 left, sign fill right
    assert vals(i8 >> neg) == [0, -1, 0, -1]
    u8 = ember.tensor([200, 1], dtype=ember.uint8)
    assert vals(u8 >> 8) == [0, 0]
    assert vals(u8 << 8) == [0, 0]
    assert vals(u8 << 1) == [144, 2]              # wraps modulo 256
    i64 = ember.tensor([1, -8])
    assert vals(i64 << 63) == [-(2 ** 63), 0]
    assert vals(i64 << 64) == [0, 0]
    assert vals(i64 >> 64) == [0, -1]
    assert vals(i64 >> 2) == [0, -2]              # arithmetic shift


# ---------------------------------------------------------------- NaN handling

def test_fmax_fmin_ignore_nan_where_maximum_minimum_propagate():
    a = ember.tensor([nan, 1.0, nan, -inf])
    b = ember.tensor([2.0, nan, nan, 3.0])
    fx, fn_ = vals(ember.fmax(a, b)), vals(ember.fmin(a, b))
    assert fx[:2] == [2.0, 1.0] and math.isnan(fx[2]) and fx[3] == 3.0
    assert fn_[:2] == [2.0, 1.0] and math.isnan(fn_[2]) and fn_[3] == -inf
    mx = vals(ember.maximum(a, b))
    assert all(math.isnan(v) for v in mx[:3]) and mx[3] == 3.0
    assert vals(ember.fmax(ember.tensor([1, 5]), ember.tensor([3, 2]))) == [3, 5]
    assert vals(a.fmax(b))[:2] == [2.0, 1.0]


def test_clamp_propagates_nan():
    x = ember.tensor([nan, -2.0, 0.5, 3.0])
    r = vals(ember.clamp(x, 0.0, 1.0))
    assert math.isnan(r[0]) and r[1:] == [0.0, 0.5, 1.0]
    r = vals(ember.clamp(ember.tensor([0.5, 2.0]), min=nan))
    assert all(math.isnan(v) for v in r)
    r = vals(ember.clamp(ember.tensor([0.5]), min=ember.tensor([nan]), max=ember.tensor([1.0])))
    assert math.isnan(r[0])


def test_logaddexp_extremes():
    a = ember.tensor([inf, -inf, 1000.0, -1000.0, 0.0], dtype=ember.float64)
    b = ember.tensor([inf, -inf, 1000.0, -1000.0, -inf], dtype=ember.float64)
    assert vals(ember.logaddexp(a, b)) == pytest.approx([inf, -inf, 1000 + math.log(2), -1000 + math.log(2), 0.0])
    assert vals(ember.logaddexp2(a, b)) == pytest.approx([inf, -inf, 1001.0, -999.0, 0.0])
    r = vals(ember.logaddexp(ember.tensor([nan]), ember.tensor([1.0])))
    assert math.isnan(r[0])


def test_xlogy_zero_and_nan():
    x = ember.tensor([0.0, 0.0, 0.0, 2.0, 1.0])
    y = ember.tensor([0.0, nan, 5.0, 1.0, 0.0])
    r = vals(ember.xlogy(x, y))
    assert r[0] == 0.0 and math.isnan(r[1]) and r[2] == 0.0 and r[3] == 0.0 and r[4] == -inf
    assert vals(ember.xlogy(2, ember.tensor([1.0, math.e]))) == pytest.approx([0.0, 2.0])
    assert ember.xlogy(ember.tensor([1, 2]), ember.tensor([1, 2])).dtype == ember.float32


def test_copysign_with_signed_zero():
    r = vals(ember.copysign(ember.tensor([1.0, 2.0, 3.0]), ember.tensor([-0.0, 0.0, -inf])))
    assert [math.copysign(1, v) for v in r] == [-1, 1, -1]
    assert ember.copysign(ember.tensor([1, 2]), -1).dtype == ember.float32


# ---------------------------------------------------------------- where

def test_where_promotes_and_accepts_scalars():
    c = ember.tensor([True, False, True])
    i = ember.tensor([1, 2, 3], dtype=ember.int32)
    assert ember.where(c, i, 0).dtype == ember.int32
    r = ember.where(c, i, 2.5)
    assert r.dtype == ember.float32 and vals(r) == [1.0, 2.5, 3.0]
    h = ember.tensor([1, 2, 3], dtype=ember.float16)
    assert ember.where(c, h, 2.5).dtype == ember.float16
    assert ember.where(c, i, ember.tensor([1, 1, 1], dtype=ember.int64)).dtype == ember.int64
    assert ember.where(c, 1.0, 0).dtype == ember.float32
    r = ember.where(c, 1j, 0.0)
    assert r.dtype == ember.complex64 and vals(r) == [1j, 0j, 1j]
    assert vals(i.where(c, -1)) == [1, -1, 3]


def test_where_large_all_layouts_match_numpy():
    rng = np.random.default_rng(1)
    n = 100_003
    cond = rng.integers(0, 2, size=n).astype(bool)
    x = rng.standard_normal(n)
    y = rng.standard_normal(n)
    ct, xt, yt = ember.tensor(cond), ember.tensor(x), ember.tensor(y)
    np.testing.assert_array_equal(ember.where(ct, xt, yt).numpy(), np.where(cond, x, y))
    np.testing.assert_array_equal(ember.where(ct, xt, 0.5).numpy(), np.where(cond, x, 0.5))
    np.testing.assert_array_equal(ember.where(ct, -0.5, yt).numpy(), np.where(cond, -0.5, y))
    np.testing.assert_array_equal(ember.where(ct, 1.0, 2.0).numpy(), np.where(cond, 1.0, 2.0))
    # Transposed 2-D inputs (general strided path).
    c2 = cond[:100_000].reshape(400, 250)
    x2 = x[:100_000].reshape(250, 400)
    got = ember.where(ember.tensor(c2), ember.tensor(x2).t(), ember.tensor(x2.T.copy()) * 2)
    np.testing.assert_array_equal(got.numpy(), np.where(c2, x2.T, x2.T * 2))
    # complex128 values move through the 16-byte loop unchanged.
    z = x + 1j * y
    np.testing.assert_array_equal(ember.where(ct, ember.tensor(z), 0).numpy(), np.where(cond, z, 0))


def test_where_errors():
    with pytest.raises(RuntimeError, match=r"where expected condition to be a boolean tensor, but got a tensor "
                                           r"with dtype float32"):
        ember.where(ember.tensor([1.0]), 1, 0)
    with pytest.raises(RuntimeError, match="The size of tensor a"):
        ember.where(ember.tensor([True, False]), ember.ones(3), 0)
    with pytest.raises(NotImplementedError, match="where"):
        ember.where(ember.tensor([True]))


# ---------------------------------------------------------------- clamp

def test_clamp_dtypes_and_bounds():
    i = ember.tensor([1, 5, 9])
    assert ember.clamp(i, 2, 6).dtype == ember.int64
    r = ember.clamp(i, min=1.5)
    assert r.dtype == ember.float32 and vals(r) == [1.5, 5.0, 9.0]
    assert vals(ember.clamp(i, 7, 3)) == [3, 3, 3]   # min > max gives max
    assert vals(i.clip(max=4)) == [1, 4, 4]
    assert vals(i.clamp_min(6)) == [6, 6, 9]
    assert vals(i.clamp_max(6)) == [1, 5, 6]
    assert vals(ember.clamp_min(i, 6)) == [6, 6, 9]
    lo = ember.tensor([[0], [6]])
    r = ember.clamp(i, lo, 8)
    assert tuple(r.shape) == (2, 3) and vals(r) == [[1, 5, 8], [6, 6, 8]]
    h = ember.tensor([0.5, 2.0], dtype=ember.float16)
    assert ember.clamp(h, 0.0, 1.0).dtype == ember.float16


def test_clamp_large_matches_numpy():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(100_001).astype(np.float32)
    lo = rng.standard_normal(100_001).astype(np.float32) - 1
    np.testing.assert_array_equal(ember.clamp(ember.tensor(x), -0.5, 0.5).numpy(), np.clip(x, -0.5, 0.5))
    np.testing.assert_array_equal(ember.clamp(ember.tensor(x), ember.tensor(lo), 1.0).numpy(),
                                  np.minimum(np.maximum(x, lo), 1.0))


def test_clamp_errors():
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        ember.clamp(ember.ones(2))
    with pytest.raises(TypeError, match=r"\[clamp\].*complex"):
        ember.clamp(ember.tensor([1j]), 0, 1)
    with pytest.raises(TypeError, match=r"\[clamp\].*bool"):
        ember.clamp(ember.tensor([True]), ember.tensor([False]))


# ---------------------------------------------------------------- lerp

def test_lerp_values_and_endpoints():
    s = ember.tensor([1.0, -3.0, 1e8], dtype=ember.float64)
    e = ember.tensor([5.0, 7.0, 1.0], dtype=ember.float64)
    assert vals(ember.lerp(s, e, 0.0)) == vals(s)
    assert vals(ember.lerp(s, e, 1.0)) == vals(e)      # exact at the far end
    assert vals(ember.lerp(s, e, 0.5)) == pytest.approx([3.0, 2.0, 5e7 + 0.5])
    w = ember.tensor([0.0, 0.5, 1.0], dtype=ember.float64)
    assert vals(s.lerp(e, w)) == [1.0, 2.0, 1.0]
    big = ember.arange(100_000, dtype=ember.float32)
    np.testing.assert_allclose(ember.lerp(big, big * 3, 0.75).numpy(), np.arange(100_000) * 2.5, rtol=1e-6)
    z = ember.lerp(ember.tensor([1 + 1j]), ember.tensor([3 + 5j]), 0.5)
    assert z.dtype == ember.complex64 and vals(z) == [2 + 3j]


def test_lerp_errors():
    f32, f64 = ember.ones(2), ember.ones(2, dtype=ember.float64)
    with pytest.raises(RuntimeError, match=r"\[lerp\] expected dtype float32 for `end` but got dtype float64"):
        ember.lerp(f32, f64, 0.5)
    with pytest.raises(RuntimeError, match="for `weight`"):
        ember.lerp(f32, f32, f64)
    with pytest.raises(TypeError, match=r"\[lerp\].*int64"):
        ember.lerp(ember.tensor([1]), ember.tensor([2]), 0.5)


# ---------------------------------------------------------------- isclose / allclose / equal

def test_isclose_defaults_and_nan():
    a = ember.tensor([1.0, 1.0, nan, inf, inf, 0.0])
    b = ember.tensor([1.0 + 1e-6, 1.1, nan, inf, -inf, 1e-9])
    assert vals(ember.isclose(a, b)) == [True, False, False, True, False, True]
    assert vals(ember.isclose(a, b, equal_nan=True))[2] is True
    assert vals(a.isclose(b, rtol=0.2)) == [True, True, False, True, False, True]
    assert vals(ember.isclose(ember.tensor([1, 10]), ember.tensor([2, 10]), rtol=0, atol=1)) == [True, True]


def test_allclose_and_equal_return_python_bools():
    a = ember.tensor([1.0, 2.0])
    r = ember.allclose(a, a + 1e-7)
    assert r is True
    assert ember.allclose(a, a + 1) is False
    assert a.allclose(a) is True
    assert ember.allclose(ember.tensor([nan]), ember.tensor([nan])) is False
    assert ember.allclose(ember.tensor([nan]), ember.tensor([nan]), equal_nan=True) is True
    assert ember.equal(a, a.clone()) is True
    assert ember.equal(a, ember.tensor([1.0, 2.5])) is False
    assert ember.equal(a, a.view(1, 2)) is False      # same values, other shape
    assert ember.equal(ember.tensor([nan]), ember.tensor([nan])) is False
    assert a.equal(a) is True
    assert ember.equal(ember.zeros(0), ember.zeros(0)) is True


def test_isclose_errors():
    with pytest.raises(RuntimeError, match=r"\[isclose\] float32 did not match float64"):
        ember.isclose(ember.ones(1), ember.ones(1, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="rtol must be greater than or equal to zero, but got -1"):
        ember.isclose(ember.ones(1), ember.ones(1), rtol=-1)
    with pytest.raises(RuntimeError, match="atol must be greater than or equal to zero"):
        ember.allclose(ember.ones(1), ember.ones(1), atol=-1)


# ---------------------------------------------------------------- dtypes and aliases

def test_result_dtypes():
    i8 = ember.tensor([1, 2], dtype=ember.int8)
    assert ember.atan2(i8, i8).dtype == ember.float32
    assert ember.fmod(i8, 3).dtype == ember.int8
    assert ember.fmod(i8, 1.5).dtype == ember.float32
    assert ember.bitwise_and(i8, ember.tensor([1, 1], dtype=ember.int16)).dtype == ember.int16
    assert ember.bitwise_and(ember.tensor([True, False]), i8).dtype == ember.int8
    assert ember.logical_and(i8, 1.5).dtype == ember.bool
    assert ember.hypot(ember.ones(2, dtype=ember.float16), 2.0).dtype == ember.float16
    with pytest.raises(TypeError, match=r"\[hypot\].*int8"):
        ember.hypot(i8, i8)
    with pytest.raises(TypeError, match=r"\[atan2\].*complex64"):
        ember.atan2(ember.tensor([1j]), ember.tensor([1j]))
    with pytest.raises(TypeError, match=r"\[fmod\].*bool"):
        ember.fmod(ember.tensor([True]), ember.tensor([True]))


def test_aliases_and_methods():
    a, b = ember.tensor([6.0, -3.0]), ember.tensor([4.0, 2.0])
    assert vals(ember.subtract(a, b)) == [2.0, -5.0]
    assert vals(a.subtract(b, alpha=2)) == [-2.0, -7.0]
    assert vals(ember.multiply(a, b)) == vals(a.multiply(b)) == [24.0, -6.0]
    assert vals(ember.divide(a, b)) == vals(a.divide(b)) == vals(a.true_divide(b)) == [1.5, -1.5]
    assert vals(ember.divide(a, b, rounding_mode="trunc")) == [1.0, -1.0]
    assert vals(ember.arctan2(a, b)) == vals(a.arctan2(b)) == vals(ember.atan2(a, b))
    assert vals(a.greater(b)) == [True, False] and vals(a.less_equal(b)) == [False, True]
    assert vals(a.not_equal(b)) == [True, True] and vals(a.less(b)) == [False, True]
    assert vals(a.greater_equal(b)) == [True, False]
    assert vals(a.logical_xor(b)) == [False, False]
    assert vals(ember.tensor([3, 5]).bitwise_and(6)) == [2, 4]
    c = a.clone()
    c.subtract_(1)
    c.multiply_(2)
    c.divide_(5)
    assert vals(c) == pytest.approx([2.0, -1.6])
    c.true_divide_(2)
    assert vals(c) == pytest.approx([1.0, -0.8])


def test_inplace_comparisons_store_zero_one_in_self_dtype():
    x = ember.tensor([1.0, 2.0, 3.0])
    ptr = x.data_ptr()
    x.gt_(1.5)
    assert x.data_ptr() == ptr and x.dtype == ember.float32 and vals(x) == [0.0, 1.0, 1.0]
    i = ember.tensor([1, 2, 3])
    i.eq_(ember.tensor([1, 0, 3]))
    assert vals(i) == [1, 0, 1]
    i.ne_(1)
    assert vals(i) == [0, 1, 0]
    i.less_equal_(0)
    assert vals(i) == [1, 0, 1]
    i.greater_(0)
    assert vals(i) == [1, 0, 1]
    i.ge_(1)
    assert vals(i) == [1, 0, 1]
    i.lt_(1)
    assert vals(i) == [0, 1, 0]
    with pytest.raises(RuntimeError, match=r"\[gt_\].*doesn't match the broadcast shape"):
        i.gt_(ember.zeros(2, 3))


# ---------------------------------------------------------------- broadcasting properties

_dims = st.lists(st.integers(0, 3), min_size=0, max_size=3)


def _broadcastable(shape, flags):
    """shape with some dims set to 1 and a random number of leading dims dropped."""
    s = [1 if f else d for d, f in zip(shape, flags)]
    return tuple(s[flags.count(True) % (len(s) + 1):])


@settings(max_examples=40, deadline=None)
@given(shape=_dims, fa=st.lists(st.booleans(), min_size=3, max_size=3),
       fb=st.lists(st.booleans(), min_size=3, max_size=3), fc=st.lists(st.booleans(), min_size=3, max_size=3),
       seed=st.integers(0, 2 ** 16))
def test_ternary_broadcasting_matches_numpy(shape, fa, fb, fc, seed):
    rng = np.random.default_rng(seed)
    sa, sb, sc = (_broadcastable(shape, f) for f in (fa, fb, fc))
    cond = rng.integers(0, 2, size=sa).astype(bool)
    x = rng.integers(-5, 6, size=sb).astype(np.float64)
    y = rng.integers(-5, 6, size=sc).astype(np.float64)
    ct, xt, yt = ember.tensor(cond), ember.tensor(x), ember.tensor(y)
    np.testing.assert_array_equal(ember.where(ct, xt, yt).numpy(), np.where(cond, x, y))
    np.testing.assert_array_equal(ember.clamp(xt, yt, 2.0).numpy(), np.minimum(np.maximum(x, y), 2.0))
    np.testing.assert_array_equal(ember.lerp(xt, yt, 0.5).numpy(), x + 0.5 * (y - x))
    xi, yi = ember.tensor(x.astype(np.int64)), ember.tensor(np.abs(y).astype(np.int64))
    np.testing.assert_array_equal((xi << yi).numpy(), np.left_shift(x.astype(np.int64), np.abs(y).astype(np.int64)))


def test_inplace_with_an_overlapping_view_of_self_reads_the_old_values():
    x = ember.arange(9, dtype=ember.float32).view(3, 3)
    ref = x.numpy() + x.numpy().T
    x.add_(x.t())
    np.testing.assert_array_equal(x.numpy(), ref)
    y = ember.arange(6)
    y[1:].bitwise_xor_(y[:-1])
    assert vals(y) == [0, 1, 3, 1, 7, 1]
    z = ember.arange(4, dtype=ember.float32)
    z.fmod_(z[0:1] + 3)  # a copy: not overlapping
    assert vals(z) == [0.0, 1.0, 2.0, 0.0]
    w = ember.arange(4)
    w.mul_(w)            # the same view is fine elementwise
    assert vals(w) == [0, 1, 4, 9]
