"""Unary math beyond the op table: in-place forms, out=, complex views that
share memory, error messages, nan_to_num and round arguments, and special
values (inf, NaN, -0.0)."""
import math

import numpy as np
import pytest

import ember

INF, NAN = math.inf, math.nan

FLOATING_INPLACE = ["sqrt", "rsqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
                    "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh", "tanh", "asinh",
                    "arcsinh", "atanh", "arctanh", "sigmoid", "reciprocal", "erf", "erfc", "erfinv", "lgamma",
                    "floor", "ceil", "round", "trunc", "fix", "frac", "neg", "negative", "abs", "absolute",
                    "sign", "sgn", "square", "logit", "nan_to_num"]


def values(t):
    return np.asarray(t.numpy())


@pytest.mark.parametrize("name", FLOATING_INPLACE)
def test_inplace_matches_functional_and_returns_self(name):
    base = ember.tensor([[0.25, -0.5, 0.75], [0.1, 0.9, -0.3]], dtype=ember.float64)
    x = base.t()  # non-contiguous: in place must follow the strides
    expected = getattr(ember, name)(x)
    version = x._version
    r = getattr(x, name + "_")()
    assert r is x
    np.testing.assert_array_equal(values(x), values(expected))
    # the write went through to the base tensor
    np.testing.assert_array_equal(values(base.t()), values(expected))
    assert x._version > version
    # module-level in-place form
    y = ember.tensor([0.25, 0.5], dtype=ember.float32)
    assert getattr(ember, name + "_")(y) is y
    np.testing.assert_allclose(values(y), values(getattr(ember, name)(ember.tensor([0.25, 0.5]))))


ALIASES = {"negative": "neg", "absolute": "abs", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
           "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh", "fix": "trunc"}


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_compute_the_same(alias):
    name = ALIASES[alias]
    x = ember.tensor([[1.25, -0.5], [0.75, 3.5]], dtype=ember.float64)
    if name == "acosh":
        x = x.abs() + 1
    np.testing.assert_array_equal(values(getattr(ember, alias)(x)), values(getattr(ember, name)(x)))
    np.testing.assert_array_equal(values(getattr(x, alias)()), values(getattr(x, name)()))
    out = ember.empty(2, 2, dtype=ember.float64)
    assert getattr(ember, alias)(x, out=out) is out
    np.testing.assert_array_equal(values(out), values(getattr(ember, name)(x)))


def test_acosh_inplace():
    x = ember.tensor([1.0, 2.0, 10.0])
    x.acosh_()
    np.testing.assert_allclose(values(x), np.arccosh([1.0, 2.0, 10.0]).astype(np.float32), rtol=1e-6)


def test_inplace_float_result_into_integer_tensor_raises():
    x = ember.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match=r"\[exp_\] result type float32 can't be cast to the desired output "
                                           r"type int64"):
        x.exp_()
    np.testing.assert_array_equal(values(x), [1, 2, 3])  # untouched


def test_inplace_integer_ops_keep_dtype():
    x = ember.tensor([-3, 0, 5], dtype=ember.int16)
    x.neg_()
    np.testing.assert_array_equal(values(x), [3, 0, -5])
    x.abs_()
    np.testing.assert_array_equal(values(x), [3, 0, 5])
    x.square_()
    np.testing.assert_array_equal(values(x), [9, 0, 25])
    assert x.dtype == ember.int16
    x.floor_()  # a no-op on integers
    np.testing.assert_array_equal(values(x), [9, 0, 25])
    x.bitwise_not_()
    np.testing.assert_array_equal(values(x), [-10, -1, -26])
    x.sign_()
    np.testing.assert_array_equal(values(x), [-1, -1, -1])


def test_logical_not_inplace_keeps_dtype():
    x = ember.tensor([0.0, 2.5, -1.0])
    x.logical_not_()
    assert x.dtype == ember.float32
    np.testing.assert_array_equal(values(x), [1.0, 0.0, 0.0])


def test_abs_inplace_complex_raises():
    with pytest.raises(RuntimeError, match="In-place abs is not supported for complex tensors"):
        ember.tensor([1 + 1j]).abs_()


@pytest.mark.parametrize("name", ["exp", "floor", "sign", "isnan", "logical_not", "angle", "square"])
def test_out_argument(name):
    x = ember.tensor([[1.5, -2.25], [0.0, 3.0]])
    ref = getattr(ember, name)(x)
    out = ember.empty(2, 2, dtype=ref.dtype)
    r = getattr(ember, name)(x, out=out)
    assert r is out
    np.testing.assert_array_equal(values(out), values(ref))


def test_out_argument_casts_and_checks():
    out = ember.empty(3, dtype=ember.float64)
    ember.sin(ember.tensor([0.0, 1.0, 2.0]), out=out)
    np.testing.assert_allclose(values(out), np.sin(np.float32([0, 1, 2])), rtol=1e-7)
    with pytest.raises(RuntimeError, match="can't be cast"):
        ember.exp(ember.tensor([1.0]), out=ember.empty(1, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="shape"):
        ember.exp(ember.tensor([1.0, 2.0]), out=ember.empty(3))
    out = ember.empty(2)
    ember.round(ember.tensor([1.26, 2.5]), decimals=1, out=out)
    np.testing.assert_allclose(values(out), [1.3, 2.5], rtol=1e-6)
    ember.nan_to_num(ember.tensor([NAN, INF]), nan=1.0, posinf=2.0, out=out)
    np.testing.assert_array_equal(values(out), [1.0, 2.0])
    ember.logit(ember.tensor([0.0, 0.5]), eps=0.25, out=out)
    np.testing.assert_allclose(values(out), [math.log(1 / 3), 0.0], rtol=1e-6)


# ---- complex views

def test_view_as_real_shares_memory_and_strides():
    z = ember.tensor([[1 + 2j, 3 - 4j, 5 + 6j], [7 + 8j, 9 + 10j, 11 - 12j]])
    r = ember.view_as_real(z)
    assert r.dtype == ember.float32 and tuple(r.shape) == (2, 3, 2) and r.stride() == (6, 2, 1)
    r[0, 1, 1] = 40.0
    assert complex(z[0, 1].item()) == 3 + 40j
    # a strided complex view: strides and offset double
    col = z[:, 1]
    rc = ember.view_as_real(col)
    assert rc.stride() == (6, 1) and rc.storage_offset() == 2
    np.testing.assert_array_equal(values(rc), [[3, 40], [9, 10]])
    back = ember.view_as_complex(rc)
    assert back.dtype == ember.complex64 and back.stride() == (3,) and back.storage_offset() == 1
    np.testing.assert_array_equal(values(back), values(col))


def test_real_imag_are_views():
    z = ember.tensor([1 + 2j, 3 - 4j], dtype=ember.complex128)
    re, im = z.real, z.imag
    assert re.dtype == ember.float64 and im.dtype == ember.float64
    np.testing.assert_array_equal(values(re), [1, 3])
    np.testing.assert_array_equal(values(im), [2, -4])
    assert re.stride() == (2,) and im.storage_offset() == 1
    im.mul_(2)
    np.testing.assert_array_equal(values(z), [1 + 4j, 3 - 8j])
    z.real = ember.tensor([10.0, 20.0], dtype=ember.float64)
    z.imag = 0
    np.testing.assert_array_equal(values(z), [10, 20])
    np.testing.assert_array_equal(values(ember.real(z)), [10, 20])
    np.testing.assert_array_equal(values(ember.imag(z)), [0, 0])


def test_real_of_real_tensor_is_itself_and_imag_raises():
    x = ember.tensor([1.0, 2.0])
    r = x.real
    r[0] = 5.0
    assert x[0].item() == 5.0
    with pytest.raises(RuntimeError, match=r"imag is not implemented for tensors with non-complex dtypes\."):
        x.imag
    with pytest.raises(RuntimeError, match=r"imag is not implemented for tensors with non-complex dtypes\."):
        ember.imag(ember.tensor([1, 2]))


def test_view_as_complex_errors():
    with pytest.raises(RuntimeError, match="only supported for float and double tensors.*float16"):
        ember.view_as_complex(ember.zeros(3, 2, dtype=ember.float16))
    with pytest.raises(RuntimeError, match="last dimension of size 2"):
        ember.view_as_complex(ember.zeros(3, 3))
    with pytest.raises(RuntimeError, match="last dimension with stride 1"):
        ember.view_as_complex(ember.zeros(2, 3).t())
    with pytest.raises(RuntimeError, match="stride divisible by 2"):
        ember.view_as_complex(ember.zeros(3, 5)[:, 1:3])
    with pytest.raises(RuntimeError, match="storage_offset divisible by 2"):
        ember.view_as_complex(ember.zeros(5)[1:3])
    with pytest.raises(RuntimeError, match="one or more dimensions"):
        ember.view_as_complex(ember.tensor(1.0))
    with pytest.raises(RuntimeError, match="only supported for complex tensors"):
        ember.view_as_real(ember.zeros(2))


def test_conj():
    z = ember.tensor([1 + 2j, -3 - 4j])
    c = ember.conj(z)
    np.testing.assert_array_equal(values(c), [1 - 2j, -3 + 4j])
    np.testing.assert_array_equal(values(z.conj_physical()), [1 - 2j, -3 + 4j])
    c[0] = 0  # a copy: the input is unchanged
    assert complex(z[0].item()) == 1 + 2j
    x = ember.tensor([1.0, -2.0])
    assert ember.conj(x) is x or ember.conj(x).data_ptr() == x.data_ptr()
    assert not z.is_conj() and z.resolve_conj().data_ptr() == z.data_ptr()


# ---- errors

@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv", "lgamma", "cbrt", "floor", "ceil", "round", "trunc",
                                  "frac", "logit", "sign", "isposinf", "isneginf"])
def test_complex_unsupported_is_type_error(name):
    with pytest.raises(TypeError, match=rf"\[{name}\].*complex64"):
        getattr(ember, name)(ember.tensor([1 + 1j]))


def test_bool_and_float_errors():
    with pytest.raises(RuntimeError, match=r"\[neg\] Negation, the `-` operator, on a bool tensor"):
        -ember.tensor([True])
    with pytest.raises(TypeError, match=r"\[floor\] not implemented for dtype bool"):
        ember.floor(ember.tensor([True]))
    with pytest.raises(TypeError, match=r"\[frac\] not implemented for dtype int64"):
        ember.frac(ember.tensor([1]))
    with pytest.raises(TypeError, match=r"\[round\] decimals is only supported for floating dtypes, got int64"):
        ember.round(ember.tensor([1]), decimals=1)
    with pytest.raises(TypeError, match=r"only implemented on integer and Boolean-type tensors.*float32"):
        ~ember.tensor([1.0])
    with pytest.raises(TypeError, match=r"\[bitwise_not\].*complex64"):
        ember.bitwise_not(ember.tensor([1j]))


def test_invert_operator():
    np.testing.assert_array_equal(values(~ember.tensor([True, False])), [False, True])
    np.testing.assert_array_equal(values(~ember.tensor([0, 5, -1], dtype=ember.int8)), [-1, -6, 0])
    np.testing.assert_array_equal(values(~ember.tensor([0, 5], dtype=ember.uint8)), [255, 250])


# ---- nan_to_num

def test_nan_to_num_defaults_are_dtype_extremes():
    for dt, big in [(ember.float32, np.finfo(np.float32).max), (ember.float64, np.finfo(np.float64).max),
                    (ember.float16, 65504.0), (ember.bfloat16, 3.3895313892515355e38)]:
        got = values(ember.nan_to_num(ember.tensor([NAN, INF, -INF, 1.5], dtype=dt)).double())
        np.testing.assert_array_equal(got, [0.0, big, -big, 1.5])


def test_nan_to_num_arguments_and_complex():
    x = ember.tensor([NAN, INF, -INF, -0.0])
    np.testing.assert_array_equal(values(ember.nan_to_num(x, 1.0, 2.0, -3.0)), [1, 2, -3, 0])
    np.testing.assert_array_equal(values(x.nan_to_num(neginf=-9.0)),
                                  [0, np.finfo(np.float32).max, -9, 0])
    assert math.copysign(1, values(ember.nan_to_num(x))[3]) == -1  # -0.0 is kept
    z = ember.tensor([complex(NAN, INF), complex(-INF, 2)], dtype=ember.complex128)
    np.testing.assert_array_equal(values(ember.nan_to_num(z, nan=1.0, posinf=5.0, neginf=-5.0)), [1 + 5j, -5 + 2j])
    z.nan_to_num_(nan=2.0, posinf=6.0)
    np.testing.assert_array_equal(values(z), [2 + 6j, -np.finfo(np.float64).max + 2j])
    i = ember.tensor([1, 2])
    r = ember.nan_to_num(i)
    assert r.dtype == ember.int64 and values(r).tolist() == [1, 2] and r.data_ptr() != i.data_ptr()
    # overlarge replacements become inf in a small dtype, as a cast does
    np.testing.assert_array_equal(values(ember.nan_to_num(ember.tensor([INF], dtype=ember.float16), posinf=1e6)
                                         .double()), [INF])


# ---- round

def test_round_half_to_even():
    x = ember.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999998])
    np.testing.assert_array_equal(values(ember.round(x)), [0, 2, 2, -0, -2, -2, 2])
    assert math.copysign(1, values(ember.round(x))[3]) == -1


def test_round_decimals():
    x = ember.tensor([1.2345, -1.2355, 123.5, 0.125], dtype=ember.float64)
    np.testing.assert_allclose(values(ember.round(x, decimals=2)), [1.23, -1.24, 123.5, 0.12])
    np.testing.assert_allclose(values(x.round(decimals=-1)), [0, -0, 120, 0])
    np.testing.assert_allclose(values(ember.round(ember.tensor([1250.0, 1350.0]), decimals=-2)), [1200, 1400])
    np.testing.assert_array_equal(values(ember.round(ember.tensor([7, -3]))), [7, -3])
    y = ember.tensor([2.675, 1.005], dtype=ember.float64)
    y.round_(decimals=2)
    np.testing.assert_allclose(values(y), np.round(np.array([2.675, 1.005]) * 100) / 100)


def test_logit_eps():
    x = ember.tensor([0.0, 0.1, 0.5, 1.0, NAN])
    np.testing.assert_allclose(values(ember.logit(x)), [-INF, math.log(0.1 / 0.9), 0, INF, NAN], rtol=1e-6)
    np.testing.assert_allclose(values(x.logit(0.2)), [math.log(0.25), math.log(0.25), 0, math.log(4), NAN],
                               rtol=1e-6)
    np.testing.assert_allclose(values(ember.logit(ember.tensor([0.5, 0.9]), eps=-1.0)), [0, math.log(9)],
                               rtol=1e-6)


# ---- special values

def _check(name, inputs, expected, dtype=ember.float64):
    got = values(getattr(ember, name)(ember.tensor(inputs, dtype=dtype)).double())
    np.testing.assert_array_equal(got, np.array(expected, dtype=np.float64), err_msg=name)
    # signed zeros must match too
    for g, e in zip(got, expected):
        if e == 0:
            assert math.copysign(1, g) == math.copysign(1, e), f"{name}: sign of zero"


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.float16, ember.bfloat16])
def test_special_values(dtype):
    _check("sqrt", [-0.0, INF, -1.0, NAN], [-0.0, INF, NAN, NAN], dtype)
    _check("rsqrt", [0.0, -0.0, INF], [INF, -INF, 0.0], dtype)
    _check("reciprocal", [0.0, -0.0, INF, -INF], [INF, -INF, 0.0, -0.0], dtype)
    _check("exp", [-INF, INF, NAN, -0.0], [0.0, INF, NAN, 1.0], dtype)
    _check("exp2", [-INF, INF, 3.0], [0.0, INF, 8.0], dtype)
    _check("expm1", [-INF, -0.0, INF], [-1.0, -0.0, INF], dtype)
    _check("log", [0.0, -0.0, -1.0, INF], [-INF, -INF, NAN, INF], dtype)
    _check("log2", [0.0, 8.0, -1.0], [-INF, 3.0, NAN], dtype)
    _check("log10", [0.0, 100.0, INF], [-INF, 2.0, INF], dtype)
    _check("log1p", [-1.0, -0.0, -2.0, INF], [-INF, -0.0, NAN, INF], dtype)
    _check("sin", [-0.0, INF, NAN], [-0.0, NAN, NAN], dtype)
    _check("cos", [INF, -0.0], [NAN, 1.0], dtype)
    _check("tan", [-0.0, -INF], [-0.0, NAN], dtype)
    _check("asin", [2.0, -0.0, 1.0], [NAN, -0.0, math.pi / 2], dtype if dtype == ember.float64 else ember.float64)
    _check("acos", [1.0, 2.0], [0.0, NAN], dtype)
    _check("atan", [-INF, -0.0], [-math.pi / 2, -0.0], ember.float64)
    _check("sinh", [-INF, -0.0], [-INF, -0.0], dtype)
    _check("cosh", [-INF, -0.0], [INF, 1.0], dtype)
    _check("tanh", [-INF, INF, -0.0], [-1.0, 1.0, -0.0], dtype)
    _check("asinh", [-INF, -0.0], [-INF, -0.0], dtype)
    _check("acosh", [1.0, 0.5, INF], [0.0, NAN, INF], dtype)
    _check("atanh", [1.0, -1.0, 2.0, -0.0], [INF, -INF, NAN, -0.0], dtype)
    _check("sigmoid", [-INF, INF, 0.0], [0.0, 1.0, 0.5], dtype)
    _check("erf", [-INF, INF, -0.0], [-1.0, 1.0, -0.0], dtype)
    _check("erfc", [-INF, INF], [2.0, 0.0], dtype)
    _check("erfinv", [1.0, -1.0, 1.5, -0.0, 0.0], [INF, -INF, NAN, -0.0, 0.0], dtype)
    _check("lgamma", [1.0, 2.0, 0.0, -1.0, INF], [0.0, 0.0, INF, INF, INF], dtype)
    _check("cbrt", [-8.0, -0.0, -INF, 1.0], [-2.0, -0.0, -INF, 1.0], dtype)
    _check("floor", [-0.5, -0.0, INF, NAN], [-1.0, -0.0, INF, NAN], dtype)
    _check("ceil", [-0.5, 0.5, -INF], [-0.0, 1.0, -INF], dtype)
    _check("trunc", [-1.5, -0.5, INF], [-1.0, -0.0, INF], dtype)
    _check("frac", [-1.5, 2.25, INF], [-0.5, 0.25, NAN], dtype)
    _check("sign", [-0.0, -3.0, INF, NAN], [0.0, -1.0, 1.0, 0.0], dtype)  # NaN gives 0, as PyTorch
    _check("abs", [-0.0, -INF], [0.0, INF], dtype)
    _check("neg", [0.0, INF], [-0.0, -INF], dtype)
    _check("angle", [-2.0, 0.0, 3.0, NAN], [math.pi, 0.0, 0.0, NAN], ember.float64)


def test_predicates_on_special_values():
    x = ember.tensor([1.0, NAN, INF, -INF, -0.0])
    assert values(ember.isnan(x)).tolist() == [False, True, False, False, False]
    assert values(ember.isinf(x)).tolist() == [False, False, True, True, False]
    assert values(ember.isposinf(x)).tolist() == [False, False, True, False, False]
    assert values(ember.isneginf(x)).tolist() == [False, False, False, True, False]
    assert values(x.isfinite()).tolist() == [True, False, False, False, True]
    z = ember.tensor([complex(1, NAN), complex(INF, 0), 1 + 1j])
    assert values(ember.isnan(z)).tolist() == [True, False, False]
    assert values(ember.isinf(z)).tolist() == [False, True, False]
    assert values(ember.isfinite(z)).tolist() == [False, False, True]
    i = ember.tensor([1, 2], dtype=ember.int32)
    assert values(ember.isfinite(i)).tolist() == [True, True] and ember.isnan(i).dtype == ember.bool


def test_integer_inputs_compute_in_default_dtype():
    r = ember.sqrt(ember.tensor([4, 9]))
    assert r.dtype == ember.float32
    np.testing.assert_array_equal(values(r), [2, 3])
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.erf(ember.tensor([True])).dtype == ember.float64
        assert ember.angle(ember.tensor([-1])).dtype == ember.float64
    finally:
        ember.set_default_dtype(ember.float32)
    assert ember.square(ember.tensor([True, False])).dtype == ember.int64
    assert ember.floor(ember.tensor([3], dtype=ember.uint8)).dtype == ember.uint8


def test_complex_functions_near_zero_keep_precision():
    z = ember.tensor([1e-10 + 1e-10j], dtype=ember.complex128)
    np.testing.assert_allclose(values(ember.expm1(z)), [np.expm1(1e-10) * np.cos(1e-10) - 2 * np.sin(5e-11) ** 2
                                                        + 1j * np.exp(1e-10) * np.sin(1e-10)], rtol=1e-15)
    got = values(ember.log1p(z))[0]
    np.testing.assert_allclose([got.real, got.imag], [1e-10, 1e-10], rtol=1e-9)
    np.testing.assert_allclose(values(ember.sgn(ember.tensor([3 + 4j, 0j]))), [0.6 + 0.8j, 0])


def test_large_parallel_input_matches_numpy():
    x = np.linspace(-20, 20, 300001)
    got = values(ember.tanh(ember.from_numpy(x)[::3]))
    np.testing.assert_allclose(got, np.tanh(x[::3]), rtol=1e-15)
