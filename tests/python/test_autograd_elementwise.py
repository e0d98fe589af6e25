"""Hand-worked gradients of elementwise ops: node names, values at chosen
points, tie-breaking and masking rules (maximum, fmax, pow at 0, clamp
bounds), in-place forms, complex conventions and second derivatives.
(The op-table gradient checks are in test_gradients.py.)"""
import math

import numpy as np
import pytest

import ember
from ember.autograd import grad

EULER = 0.5772156649015329


def t(values, dtype=ember.float64, requires_grad=True):
    return ember.tensor(values, dtype=dtype, requires_grad=requires_grad)


def grads(out, inputs, grad_out=None):
    """Gradients of out (any shape) with respect to inputs, for grad_out
    (ones by default)."""
    if grad_out is None:
        grad_out = ember.ones_like(out)
    return [g.numpy() if g is not None else None
            for g in grad(out, inputs, grad_out, allow_unused=True)]


# ---- node names (PyTorch's)

NAMED = [
    (lambda x, y: -x, "NegBackward0"),
    (lambda x, y: x.abs(), "AbsBackward0"),
    (lambda x, y: x.sign(), "SignBackward0"),
    (lambda x, y: x.sgn(), "SgnBackward0"),
    (lambda x, y: x.square(), "PowBackward0"),
    (lambda x, y: x ** 2, "PowBackward0"),
    (lambda x, y: x ** y, "PowBackward1"),
    (lambda x, y: 2 ** x, "PowBackward2"),
    (lambda x, y: x.exp(), "ExpBackward0"),
    (lambda x, y: x.log1p(), "Log1PBackward0"),
    (lambda x, y: x.sigmoid(), "SigmoidBackward0"),
    (lambda x, y: x.lgamma(), "LgammaBackward0"),
    (lambda x, y: x.digamma(), "DigammaBackward0"),
    (lambda x, y: ember.polygamma(1, x), "PolygammaBackward0"),
    (lambda x, y: x.floor(), "FloorBackward0"),
    (lambda x, y: x.round(), "RoundBackward0"),
    (lambda x, y: x.round(decimals=1), "RoundBackward1"),
    (lambda x, y: x.frac(), "FracBackward0"),
    (lambda x, y: ember.nan_to_num(x), "NanToNumBackward0"),
    (lambda x, y: ember.logit(x, eps=0.1), "LogitBackward0"),
    (lambda x, y: ember.remainder(x, y), "RemainderBackward1"),
    (lambda x, y: ember.remainder(x, 2.0), "RemainderBackward0"),
    (lambda x, y: ember.fmod(x, y), "FmodBackward1"),
    (lambda x, y: ember.fmod(x, 2.0), "FmodBackward0"),
    (lambda x, y: ember.maximum(x, y), "MaximumBackward0"),
    (lambda x, y: ember.minimum(x, y), "MinimumBackward0"),
    (lambda x, y: ember.fmax(x, y), "FmaxBackward0"),
    (lambda x, y: ember.atan2(x, y), "Atan2Backward0"),
    (lambda x, y: ember.hypot(x, y), "HypotBackward0"),
    (lambda x, y: ember.copysign(x, y), "CopysignBackward0"),
    (lambda x, y: ember.copysign(x, -1.0), "CopysignBackward1"),
    (lambda x, y: ember.logaddexp(x, y), "LogaddexpBackward0"),
    (lambda x, y: ember.xlogy(x, y), "XlogyBackward0"),
    (lambda x, y: ember.xlogy(2.0, y), "XlogyBackward1"),
    (lambda x, y: ember.xlogy(x, 3.0), "XlogyBackward2"),
    (lambda x, y: ember.where(x > 0, x, y), "WhereBackward0"),
    (lambda x, y: ember.clamp(x, 0, 1), "ClampBackward1"),
    (lambda x, y: ember.clamp(x, min=y), "ClampBackward0"),
    (lambda x, y: ember.clamp_min(x, 0.5), "ClampMinBackward0"),
    (lambda x, y: ember.clamp_max(x, y), "ClampMaxBackward1"),
    (lambda x, y: ember.lerp(x, y, 0.25), "LerpBackward0"),
    (lambda x, y: ember.lerp(x, y, y), "LerpBackward1"),
]


@pytest.mark.parametrize("fn,name", NAMED, ids=[n for _, n in NAMED])
def test_node_names(fn, name):
    x, y = t([0.25, 0.5, 0.75]), t([1.5, 2.0, 0.5])
    assert fn(x, y).grad_fn.name() == name


def test_complex_view_node_names():
    c = t([1 + 2j, -3 + 0.5j], dtype=ember.complex128)
    assert c.real.grad_fn.name() == "RealBackward0"
    assert c.imag.grad_fn.name() == "ImagBackward0"
    assert ember.view_as_real(c).grad_fn.name() == "ViewAsRealBackward0"
    assert c.conj().grad_fn.name() == "ConjBackward0"
    r = t([[1.0, 2.0]])
    assert ember.view_as_complex(r).grad_fn.name() == "ViewAsComplexBackward0"


def test_integer_and_bool_results_are_not_differentiable():
    x = t([0.5, -1.5])
    assert not (x > 0).requires_grad
    assert not ember.isnan(x).requires_grad
    assert not ember.isclose(x, x).requires_grad
    # floor_divide follows PyTorch: no gradient at all.
    assert not ember.floor_divide(x, 2.0).requires_grad


# ---- values of first derivatives at chosen points

UNARY_DERIVATIVES = [
    (ember.exp, [0.0, 1.0], [1.0, math.e]),
    (ember.exp2, [0.0, 3.0], [math.log(2), 8 * math.log(2)]),
    (ember.expm1, [0.0, 1.0], [1.0, math.e]),
    (ember.log, [0.5, 4.0], [2.0, 0.25]),
    (ember.log2, [1.0, 4.0], [1 / math.log(2), 0.25 / math.log(2)]),
    (ember.log10, [1.0, 10.0], [1 / math.log(10), 0.1 / math.log(10)]),
    (ember.log1p, [0.0, 1.0], [1.0, 0.5]),
    (ember.sqrt, [4.0, 0.25], [0.25, 1.0]),
    (ember.rsqrt, [4.0, 1.0], [-1 / 16, -0.5]),
    (ember.reciprocal, [2.0, -0.5], [-0.25, -4.0]),
    (ember.square, [3.0, -1.5], [6.0, -3.0]),
    (ember.sin, [0.0, math.pi / 2], [1.0, 0.0]),
    (ember.cos, [0.0, math.pi / 2], [0.0, -1.0]),
    (ember.tan, [0.0, math.pi / 4], [1.0, 2.0]),
    (ember.asin, [0.0, 0.6], [1.0, 1.25]),
    (ember.acos, [0.0, 0.6], [-1.0, -1.25]),
    (ember.atan, [0.0, 1.0], [1.0, 0.5]),
    (ember.sinh, [0.0, 1.0], [1.0, math.cosh(1.0)]),
    (ember.cosh, [0.0, 1.0], [0.0, math.sinh(1.0)]),
    (ember.tanh, [0.0, 1.0], [1.0, 1 - math.tanh(1.0) ** 2]),
    (ember.asinh, [0.0, 0.75], [1.0, 0.8]),
    (ember.acosh, [1.25, 2.0], [4 / 3, 1 / math.sqrt(3)]),
    (ember.atanh, [0.0, 0.5], [1.0, 4 / 3]),
    (ember.sigmoid, [0.0, math.log(3)], [0.25, 0.1875]),
    (ember.erf, [0.0, 1.0], [2 / math.sqrt(math.pi), 2 / math.sqrt(math.pi) / math.e]),
    (ember.erfc, [0.0, 1.0], [-2 / math.sqrt(math.pi), -2 / math.sqrt(math.pi) / math.e]),
    (ember.erfinv, [0.0], [math.sqrt(math.pi) / 2]),
    (ember.lgamma, [1.0, 2.0, 0.5], [-EULER, 1 - EULER, -EULER - 2 * math.log(2)]),
    (ember.digamma, [1.0, 0.5], [math.pi ** 2 / 6, math.pi ** 2 / 2]),
    (ember.cbrt, [8.0, -1.0], [1 / 12, 1 / 3]),
    (ember.logit, [0.5, 0.25], [4.0, 16 / 3]),
    (ember.abs, [-2.0, 3.0, 0.0], [-1.0, 1.0, 0.0]),  # 0 at the kink, as PyTorch
    (ember.neg, [1.0, -2.0], [-1.0, -1.0]),
    (ember.frac, [1.5, -2.25], [1.0, 1.0]),
    (ember.sign, [1.5, -2.0, 0.0], [0.0, 0.0, 0.0]),
    (ember.floor, [1.5, -2.5], [0.0, 0.0]),
    (ember.ceil, [1.5, -2.5], [0.0, 0.0]),
    (ember.trunc, [1.5, -2.5], [0.0, 0.0]),
    (ember.round, [1.4, -2.6], [0.0, 0.0]),
]


@pytest.mark.parametrize("fn,x,expected", UNARY_DERIVATIVES, ids=[f[0].__name__ for f in UNARY_DERIVATIVES])
def test_unary_derivative_values(fn, x, expected):
    a = t(x)
    out = fn(a)
    assert out.requires_grad
    np.testing.assert_allclose(grads(out, [a])[0], expected, rtol=1e-12, atol=1e-12)


def test_gradients_keep_the_input_dtype():
    a = t([0.5, 1.5], dtype=ember.float32)
    (g,) = grad(ember.exp(a), [a], ember.ones(2, dtype=ember.float32))
    assert g.dtype == ember.float32
    np.testing.assert_allclose(g.numpy(), np.exp([0.5, 1.5]), rtol=1e-6)


def test_logit_eps_masks_outside_the_clamped_range():
    a = t([0.05, 0.5, 0.95, 0.1])
    np.testing.assert_allclose(grads(ember.logit(a, eps=0.1), [a])[0], [0.0, 4.0, 0.0, 1 / 0.09], rtol=1e-12)
    # Without eps, PyTorch gives NaN outside [0, 1].
    b = t([-0.5, 1.5, 0.5])
    assert np.isnan(grads(ember.logit(b), [b])[0][:2]).all()


def test_nan_to_num_gradient_is_zero_at_replaced_values():
    a = t([1.0, float("nan"), float("inf"), -float("inf"), -2.0])
    np.testing.assert_array_equal(grads(ember.nan_to_num(a), [a])[0], [1, 0, 0, 0, 1])
    # Complex: real and imaginary parts separately.
    c = t([complex(float("nan"), 1.0), complex(2.0, float("inf"))], dtype=ember.complex128)
    g = grads(ember.nan_to_num(c), [c], ember.tensor([1 + 1j, 2 + 3j]))[0]
    np.testing.assert_array_equal(g, [1j, 2])


def test_round_decimals_and_polygamma_gradients():
    a = t([1.234, -5.678])
    np.testing.assert_array_equal(grads(ember.round(a, decimals=1), [a])[0], [0.0, 0.0])
    b = t([1.0])
    # d/dx polygamma(1, x) = polygamma(2, x); polygamma(2, 1) = -2 zeta(3).
    np.testing.assert_allclose(grads(ember.polygamma(1, b), [b])[0], [-2 * 1.2020569031595942], rtol=1e-12)


# ---- binary rules

def test_maximum_minimum_split_ties_evenly():
    x, y = t([1.0, 2.0, 3.0]), t([1.0, 5.0, 0.0])
    gx, gy = grads(ember.maximum(x, y), [x, y])
    np.testing.assert_array_equal(gx, [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(gy, [0.5, 1.0, 0.0])
    gx, gy = grads(ember.minimum(x, y), [x, y])
    np.testing.assert_array_equal(gx, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(gy, [0.5, 0.0, 1.0])


def test_fmax_fmin_send_the_gradient_past_nan():
    nan = float("nan")
    x, y = t([nan, 1.0, 2.0, 2.0]), t([1.0, nan, 2.0, 3.0])
    gx, gy = grads(ember.fmax(x, y), [x, y])
    np.testing.assert_array_equal(gx, [0, 1, 1, 0])  # ties go to the first input
    np.testing.assert_array_equal(gy, [1, 0, 0, 1])
    gx, gy = grads(ember.fmin(x, y), [x, y])
    np.testing.assert_array_equal(gx, [0, 1, 1, 1])
    np.testing.assert_array_equal(gy, [1, 0, 0, 0])


def test_pow_gradients():
    x, y = t([2.0, 3.0]), t([3.0, 0.5])
    gx, gy = grads(x ** y, [x, y])
    np.testing.assert_allclose(gx, [3 * 4.0, 0.5 / math.sqrt(3)], rtol=1e-12)
    np.testing.assert_allclose(gy, [8 * math.log(2), math.sqrt(3) * math.log(3)], rtol=1e-12)
    a = t([4.0, 9.0])
    np.testing.assert_allclose(grads(a ** 0.5, [a])[0], [0.25, 1 / 6], rtol=1e-12)
    np.testing.assert_allclose(grads(a ** -1, [a])[0], [-1 / 16, -1 / 81], rtol=1e-12)
    e = t([0.0, 1.0, 2.0])
    np.testing.assert_allclose(grads(3.0 ** e, [e])[0], [math.log(3), 3 * math.log(3), 9 * math.log(3)],
                               rtol=1e-12)


def test_pow_masks_zero_base_cases_like_pytorch():
    zero = t([0.0, 0.0, 0.0])
    # x ** 0 has a zero gradient even at x == 0 (not 0 * 0 ** -1 = NaN).
    np.testing.assert_array_equal(grads(zero ** 0, [zero])[0], [0, 0, 0])
    np.testing.assert_array_equal(grads(zero ** 2, [zero])[0], [0, 0, 0])
    # Tensor exponent: d/dy 0 ** y is 0 for y >= 0, and d/dx is 0 where y == 0.
    x, y = t([0.0, 0.0, 0.0]), t([0.0, 1.0, 2.0])
    gx, gy = grads(x ** y, [x, y])
    np.testing.assert_array_equal(gx, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(gy, [0.0, 0.0, 0.0])
    # A zero Python base.
    e = t([0.0, 2.0])
    np.testing.assert_array_equal(grads(0.0 ** e, [e])[0], [0.0, 0.0])


def test_remainder_fmod_gradients():
    a, b = t([7.0, -7.0]), t([2.0, 2.0])
    ga, gb = grads(ember.remainder(a, b), [a, b])
    np.testing.assert_array_equal(ga, [1, 1])
    np.testing.assert_array_equal(gb, [-3.0, 4.0])  # -floor(a / b)
    ga, gb = grads(ember.fmod(a, b), [a, b])
    np.testing.assert_array_equal(ga, [1, 1])
    np.testing.assert_array_equal(gb, [-3.0, 3.0])  # -trunc(a / b)


def test_binary_math_gradients():
    y, x = t([3.0]), t([4.0])
    gy, gx = grads(ember.atan2(y, x), [y, x])
    np.testing.assert_allclose([gy[0], gx[0]], [4 / 25, -3 / 25], rtol=1e-12)
    gy, gx = grads(ember.hypot(y, x), [y, x])
    np.testing.assert_allclose([gy[0], gx[0]], [0.6, 0.8], rtol=1e-12)
    a, b = t([2.0, 0.0, -3.0]), t([-1.0, -1.0, 5.0])
    ga, gb = grads(ember.copysign(a, b), [a, b])
    np.testing.assert_array_equal(ga, [-1.0, 0.0, -1.0])
    np.testing.assert_array_equal(gb, [0.0, 0.0, 0.0])
    p, q = t([0.0, 1.0]), t([0.0, 1.0 + math.log(3)])
    gp, gq = grads(ember.logaddexp(p, q), [p, q])
    np.testing.assert_allclose(gp, [0.5, 0.25], rtol=1e-12)
    np.testing.assert_allclose(gq, [0.5, 0.75], rtol=1e-12)
    u, v = t([1.0]), t([3.0])
    gu, gv = grads(ember.logaddexp2(u, v), [u, v])
    np.testing.assert_allclose([gu[0], gv[0]], [0.2, 0.8], rtol=1e-12)
    s, w = t([0.0, 2.0]), t([5.0, 4.0])
    gs, gw = grads(ember.xlogy(s, w), [s, w])
    np.testing.assert_allclose(gs, [0.0, math.log(4)], rtol=1e-12)  # 0 where x == 0
    np.testing.assert_allclose(gw, [0.0, 0.5], rtol=1e-12)


# ---- ternary rules

def test_where_sends_each_gradient_to_its_source():
    x, y = t([1.0, 2.0, 3.0]), t([4.0, 5.0, 6.0])
    cond = ember.tensor([True, False, True])
    gx, gy = grads(ember.where(cond, x, y), [x, y], t([10.0, 20.0, 30.0], requires_grad=False))
    np.testing.assert_array_equal(gx, [10, 0, 30])
    np.testing.assert_array_equal(gy, [0, 20, 0])
    # A Python number on one side: the tensor still gets its share.
    gx = grads(ember.where(cond, x, 0.0), [x])[0]
    np.testing.assert_array_equal(gx, [1, 0, 1])


def test_clamp_gradients_at_and_between_bounds():
    x = t([-1.0, 0.0, 0.5, 1.0, 2.0, float("nan")])
    # The bounds themselves pass the gradient (min <= x <= max), NaN does not.
    np.testing.assert_array_equal(grads(ember.clamp(x, 0.0, 1.0), [x])[0], [0, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(grads(ember.clamp(x, min=0.0), [x])[0], [0, 1, 1, 1, 1, 0])
    np.testing.assert_array_equal(grads(ember.clamp_max(x, 1.0), [x])[0], [1, 1, 1, 1, 0, 0])


def test_clamp_tensor_bounds_gradients():
    x = t([-1.0, 0.5, 2.0, 0.5])
    lo, hi = t([0.0, 0.0, 0.0, 0.8]), t([1.0, 1.0, 1.0, 0.2])  # last: min > max gives max
    gx, glo, ghi = grads(ember.clamp(x, lo, hi), [x, lo, hi])
    np.testing.assert_array_equal(gx, [0, 1, 0, 0])
    np.testing.assert_array_equal(glo, [1, 0, 0, 0])
    np.testing.assert_array_equal(ghi, [0, 0, 1, 1])
    gx, glo = grads(ember.clamp_min(x, lo), [x, lo])
    np.testing.assert_array_equal(gx, [0, 1, 1, 0])
    np.testing.assert_array_equal(glo, [1, 0, 0, 1])


def test_lerp_gradients():
    s, e, w = t([1.0, 2.0]), t([5.0, -2.0]), t([0.25, 0.5])
    gs, ge, gw = grads(ember.lerp(s, e, w), [s, e, w])
    np.testing.assert_array_equal(gs, [0.75, 0.5])
    np.testing.assert_array_equal(ge, [0.25, 0.5])
    np.testing.assert_array_equal(gw, [4.0, -4.0])
    gs, ge = grads(ember.lerp(s, e, 0.25), [s, e])
    np.testing.assert_array_equal(gs, [0.75, 0.75])
    np.testing.assert_array_equal(ge, [0.25, 0.25])


# ---- complex conventions: grad * conj(f'(z))

def test_complex_holomorphic_gradient_is_conjugated():
    z = t([0.5 + 1.0j], dtype=ember.complex128)
    (g,) = grads(ember.exp(z), [z])
    np.testing.assert_allclose(g, np.conj(np.exp([0.5 + 1.0j])), rtol=1e-12)
    (g,) = grads(z * z, [z])
    np.testing.assert_allclose(g, [2 * (0.5 - 1.0j)], rtol=1e-12)


def test_complex_abs_sgn_angle_gradients():
    z = t([3 + 4j, 0j], dtype=ember.complex128)
    np.testing.assert_allclose(grads(z.abs(), [z])[0], [0.6 + 0.8j, 0], rtol=1e-12)
    # sgn: (g - Re(g conj(s)) s) / |z| with g = 1, s = 0.6 + 0.8i.
    np.testing.assert_allclose(grads(z.sgn(), [z])[0], [(1 - 0.6 * (0.6 + 0.8j)) / 5, 0], rtol=1e-12)
    # angle: g * 1j z / |z|^2, and 0 at z == 0.
    np.testing.assert_allclose(grads(z.angle(), [z])[0], [1j * (3 + 4j) / 25, 0], rtol=1e-12)


def test_complex_parts_and_views_gradients():
    c = t([1 + 2j, -3 + 0.5j], dtype=ember.complex128)
    gr = ember.tensor([2.0, 3.0], dtype=ember.float64)
    np.testing.assert_array_equal(grads(c.real, [c], gr)[0], [2, 3])
    np.testing.assert_array_equal(grads(c.imag, [c], gr)[0], [2j, 3j])
    go = ember.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=ember.float64)
    np.testing.assert_array_equal(grads(ember.view_as_real(c), [c], go)[0], [1 + 2j, 3 + 4j])
    np.testing.assert_array_equal(grads(c.conj(), [c], ember.tensor([1 + 1j, 2j]))[0], [1 - 1j, -2j])
    r = t([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(grads(ember.view_as_complex(r), [r], ember.tensor([1 + 2j, 3 - 1j]))[0],
                                  [[1, 2], [3, -1]])
    # Real inputs: real() and conj() are the input itself.
    x = t([1.0])
    assert ember.real(x) is x or ember.real(x).grad_fn is None


# ---- in-place forms

def test_inplace_on_a_leaf_that_requires_grad_raises():
    x = t([0.5, 1.0])
    for op in (lambda: x.exp_(), lambda: x.clamp_(0, 1), lambda: x.pow_(2), lambda: x.floor_(),
               lambda: x.lerp_(t([1.0, 2.0]), 0.5), lambda: x.atan2_(t([1.0, 1.0]))):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            op()


@pytest.mark.parametrize("name,inplace,expected", [
    ("sin_", lambda z: z.sin_(), lambda x: np.cos(x)),
    ("sqrt_", lambda z: z.sqrt_(), lambda x: 0.5 / np.sqrt(x)),
    ("sigmoid_", lambda z: z.sigmoid_(), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    ("pow_", lambda z: z.pow_(3), lambda x: 3 * x ** 2),
    ("clamp_", lambda z: z.clamp_(0.3, 0.6), lambda x: ((x >= 0.3) & (x <= 0.6)).astype(float)),
    ("floor_", lambda z: z.floor_(), lambda x: np.zeros_like(x)),
    ("logit_", lambda z: z.logit_(), lambda x: 1 / (x * (1 - x))),
    ("hypot_", lambda z: z.hypot_(ember.tensor([1.0, 1.0, 1.0], dtype=ember.float64)),
     lambda x: x / np.hypot(x, 1.0)),
    ("lerp_", lambda z: z.lerp_(ember.zeros(3, dtype=ember.float64), 0.25), lambda x: np.full_like(x, 0.75)),
])
def test_inplace_forms_record(name, inplace, expected):
    xv = np.array([0.2, 0.5, 0.7])
    x = t(xv)
    z = x * 1
    inplace(z)
    assert z.grad_fn is not None
    np.testing.assert_allclose(grads(z, [x])[0], expected(xv), rtol=1e-12, err_msg=name)


def test_inplace_other_operand_gets_its_gradient():
    x, y = t([2.0, 3.0]), t([1.5, 0.5])
    z = x * 1
    z.pow_(y)
    gx, gy = grads(z, [x, y])
    np.testing.assert_allclose(gx, [1.5 * 2.0 ** 0.5, 0.5 * 3.0 ** -0.5], rtol=1e-12)
    np.testing.assert_allclose(gy, [2.0 ** 1.5 * math.log(2), 3.0 ** 0.5 * math.log(3)], rtol=1e-12)


def test_inplace_floor_divide_drops_the_history():
    x = t([7.0, -7.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.floor_divide_(2.0)
    z = x * 1
    z.floor_divide_(2.0)
    np.testing.assert_array_equal(z.detach().numpy(), [3.0, -4.0])
    assert not z.requires_grad  # floor_divide has no gradient


def test_inplace_on_a_tensor_saved_for_backward_is_caught():
    x = t([0.5, 1.0])
    z = x * 1
    w = z.sin()  # saves z
    z.exp_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        grads(w, [x])


# ---- second derivatives

@pytest.mark.parametrize("fn,second", [
    (ember.sin, lambda x: -np.sin(x)),
    (ember.exp, np.exp),
    (ember.tanh, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    (lambda a: a ** 3, lambda x: 6 * x),
    (ember.sqrt, lambda x: -0.25 * x ** -1.5),
    (ember.lgamma, lambda x: ember.polygamma(1, ember.tensor(x)).numpy()),
    (ember.erf, lambda x: -4 * x / math.sqrt(math.pi) * np.exp(-x * x)),
])
def test_second_derivatives(fn, second):
    xv = np.array([0.3, 1.2, 2.5])
    x = t(xv)
    (g,) = grad(fn(x), [x], ember.ones(3, dtype=ember.float64), create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(grads(g, [x])[0], second(xv), rtol=1e-10)


# ---- digamma and polygamma values and errors

def test_digamma_values():
    x = ember.tensor([1.0, 0.5, 2.0, 10.0, -0.5, 0.0, -1.0, -2.0], dtype=ember.float64)
    got = ember.digamma(x).numpy()
    np.testing.assert_allclose(got[:5], [-EULER, -EULER - 2 * math.log(2), 1 - EULER,
                                         sum(1 / k for k in range(1, 10)) - EULER,
                                         -EULER - 2 * math.log(2) + 2], rtol=1e-13, atol=1e-14)
    assert got[5] == -math.inf  # as PyTorch
    assert np.isnan(got[6:]).all()  # poles
    assert ember.digamma(ember.tensor([1, 2])).dtype == ember.float32


def test_polygamma_values_and_errors():
    x = ember.tensor([1.0, 0.5], dtype=ember.float64)
    np.testing.assert_allclose(ember.polygamma(1, x).numpy(), [math.pi ** 2 / 6, math.pi ** 2 / 2], rtol=1e-13)
    np.testing.assert_allclose(ember.polygamma(3, x[:1]).numpy(), [math.pi ** 4 / 15], rtol=1e-13)
    np.testing.assert_allclose(ember.polygamma(0, x).numpy(), ember.digamma(x).numpy(), rtol=0)
    with pytest.raises(RuntimeError, match=r"\[polygamma\].*negative n"):
        ember.polygamma(-1, x)
    with pytest.raises(TypeError, match=r"\[polygamma\]"):
        ember.polygamma(1, ember.tensor([1j]))
    with pytest.raises(TypeError, match=r"\[digamma\]"):
        ember.digamma(ember.tensor([1j]))
    y = x.clone()
    y.polygamma_(1)
    np.testing.assert_allclose(y.numpy(), [math.pi ** 2 / 6, math.pi ** 2 / 2], rtol=1e-13)
