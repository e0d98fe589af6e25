"""Op-table entries for unary elementwise math (collected by op_db.py).
exp, log, sqrt, sin, cos, tanh, sigmoid, neg and abs are in op_db.py; the
aliases (negative, arcsin, fix ...) are checked in test_unary.py."""
import math

import numpy as np

import ember
from op_db import ALL_DTYPES, COMPLEX, FLOATING, INTEGRAL, OpInfo, Sample

NUMERIC = [d for d in ALL_DTYPES if d != "bool"]
REAL = ["bool"] + INTEGRAL + FLOATING
ROUNDABLE = INTEGRAL + FLOATING


def _floating_result(d):
    return "float32" if d in ["bool"] + INTEGRAL else d


def _real_result(d):
    return {"complex64": "float32", "complex128": "float64"}.get(_floating_result(d), _floating_result(d))


def _bool_result(d):
    return "bool"


# ---- NumPy lacks these; math has them for scalars.
def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def _erfc(x):
    return np.vectorize(math.erfc, otypes=[np.float64])(x)


def _lgamma(x):
    def one(v):
        return math.inf if v <= 0 and v == math.floor(v) else math.lgamma(v)  # poles
    return np.vectorize(one, otypes=[np.float64])(x)


def _erfinv(y):
    """Bisection on erf, to float64 precision."""
    y = np.asarray(y, dtype=np.float64)
    lo, hi = np.full(y.shape, -7.0), np.full(y.shape, 7.0)
    for _ in range(80):
        mid = (lo + hi) / 2
        below = _erf(mid) < y
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    out = (lo + hi) / 2
    out = np.where(y == 1, np.inf, np.where(y == -1, -np.inf, out))
    return np.where(np.abs(y) > 1, np.nan, out)


def _erfinv_samples(dtype, rng):
    from test_ops import make_values  # noqa: PLC0415
    return [Sample((make_values(shape, dtype, rng, (-0.99, 0.99)),))
            for shape in [(), (0,), (1,), (3, 4), (2, 0, 3), (1, 7, 1), (300,)]]


def _sign(x):
    return x if x.dtype == bool else np.sign(x)


def _sgn(x):
    if np.iscomplexobj(x):
        r = np.abs(x)
        return np.where(r == 0, 0, x / np.where(r == 0, 1, r))
    return _sign(x)


def _square(x):
    return np.square(x.astype(np.int64) if x.dtype == bool else x)


def _shapes_with_specials(dtype, rng):
    """Arrays with NaN, +-inf and -0.0 mixed in (for floating dtypes), over
    shapes with size-0 and size-1 dims, and a strided view."""
    from test_ops import make_values  # noqa: PLC0415
    out = []
    for shape in [(), (0,), (1,), (3, 4), (2, 0, 3), (1, 7, 1)]:
        v = make_values(shape, dtype, rng)
        if v.size and (dtype in FLOATING or dtype in COMPLEX):
            flat = v.reshape(-1)
            specials = [np.nan, np.inf, -np.inf, -0.0]
            for i, s in enumerate(specials[:flat.size]):
                flat[(i * 3) % flat.size] = s
            if dtype in COMPLEX and flat.size > 4:
                flat[4] = complex(1.0, np.inf)
                flat[min(5, flat.size - 1)] = complex(np.nan, 2.0)
        out.append(v)
    return out


def _predicate_samples(dtype, rng):
    return [Sample((v,)) for v in _shapes_with_specials(dtype, rng)]


def _nan_to_num_samples(dtype, rng):
    vals = _shapes_with_specials(dtype, rng)
    return ([Sample((v,), dict(nan=1.5, posinf=100.0, neginf=-100.0)) for v in vals]
            + [Sample((vals[3],), dict(nan=-2.0, posinf=7.0, neginf=-7.0))])


def _ref_nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def _plain_samples(dtype, rng, domain=None):
    from test_ops import make_values  # noqa: PLC0415
    return [Sample((make_values(shape, dtype, rng, domain),)) for shape in [(), (0,), (1,), (3, 4), (2, 1, 3)]]


def _pairs_samples(dtype, rng):
    """Real arrays with a trailing dim of 2 (view_as_complex)."""
    from test_ops import make_values  # noqa: PLC0415
    return [Sample((make_values(shape, dtype, rng),)) for shape in [(2,), (3, 2), (0, 2), (1, 4, 2)]]


def _logit_eps_samples(dtype, rng):
    from test_ops import make_values  # noqa: PLC0415
    x = make_values((4, 5), dtype, rng, (0.0, 1.0))
    return [Sample((x,), dict(eps=0.2)), Sample((x,), dict(eps=None)), Sample((make_values((0,), dtype, rng),),
                                                                              dict(eps=0.1))]


def _ref_logit(x, eps=None):
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    with np.errstate(all="ignore"):
        return np.log(x / (1 - x))


def _round_decimals_samples(dtype, rng):
    from test_ops import make_values  # noqa: PLC0415
    x = make_values((5, 6), dtype, rng, (-300, 300))
    return [Sample((x,), dict(decimals=d)) for d in (1, 2, -1, -2, 0)]


def _ref_round(x, decimals=0):
    if decimals >= 0:
        return np.round(x * 10.0 ** decimals) / 10.0 ** decimals
    return np.round(x / 10.0 ** -decimals) * 10.0 ** -decimals


def _digamma(x):
    """Digamma by the recurrence and the asymptotic series, in float64."""
    def one(v):
        if v == 0:
            return -math.inf
        if v < 0 and v == math.floor(v):
            return math.nan
        if v < 0:
            return one(1 - v) - math.pi / math.tan(math.pi * v)
        acc = 0.0
        while v < 10:
            acc -= 1 / v
            v += 1
        z = 1 / (v * v)
        return acc + math.log(v) - 0.5 / v - z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z / 132))))
    return np.vectorize(one, otypes=[np.float64])(x)


def _polygamma_ref(n, x):
    """(-1)^(n+1) n! sum_k (x + k)^-(n+1): a long direct sum plus the
    Euler-Maclaurin tail, in float64."""
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return x
    k = np.arange(2000.0)
    s = (1.0 / (x[..., None] + k) ** (n + 1)).sum(-1)
    a = x + 2000.0
    tail = a ** (-n) / n + 0.5 * a ** (-n - 1) + (n + 1) / 12.0 * a ** (-n - 2)
    return (-1) ** (n + 1) * math.factorial(n) * (s + tail)


def _polygamma_samples(dtype, rng):
    from test_ops import make_values  # noqa: PLC0415
    return [Sample((n, make_values(shape, dtype, rng, (1, 9))))
            for n, shape in [(1, ()), (1, (3, 4)), (2, (5,)), (3, (2, 3)), (1, (0,))]]


def _view_as_complex_of_copy(x):
    """The gradient checks also pass strided views, which view_as_complex
    rejects (last stride not 1): view a fresh copy instead (x + 0, as an
    empty tensor is already 'contiguous' whatever its strides)."""
    return ember.view_as_complex(x.contiguous() if x.numel() else x + 0)


def _elementwise(name, ref, dtypes, domain=None, result=_floating_result, differentiable=True, **kw):
    return OpInfo(name, getattr(ember, name), ref, dtypes, domain=domain, result_dtype=result,
                  differentiable=differentiable, **kw)


OPS = [
    # ---- every numeric dtype; sign, floor ... have zero gradient almost everywhere
    _elementwise("sign", _sign, REAL, result=None),
    _elementwise("sgn", _sgn, ALL_DTYPES, result=None),
    _elementwise("square", _square, ALL_DTYPES, result=lambda d: "int64" if d == "bool" else d),
    # ---- floating and complex
    _elementwise("reciprocal", np.reciprocal, ALL_DTYPES, domain=(1, 9)),
    _elementwise("rsqrt", lambda x: 1 / np.sqrt(x), ALL_DTYPES, domain=(0.5, 9)),
    _elementwise("exp2", np.exp2, ALL_DTYPES, domain=(-5, 5)),
    _elementwise("expm1", np.expm1, ALL_DTYPES, domain=(-3, 3)),
    _elementwise("log2", np.log2, ALL_DTYPES, domain=(0.5, 10)),
    _elementwise("log10", np.log10, ALL_DTYPES, domain=(0.5, 10)),
    _elementwise("log1p", np.log1p, ALL_DTYPES, domain=(0, 10)),
    _elementwise("tan", np.tan, ALL_DTYPES, domain=(-1.2, 1.2)),
    _elementwise("asin", np.arcsin, ALL_DTYPES, domain=(-0.9, 0.9)),
    _elementwise("acos", np.arccos, ALL_DTYPES, domain=(-0.9, 0.9)),
    _elementwise("atan", np.arctan, ALL_DTYPES, domain=(-9, 9)),
    _elementwise("sinh", np.sinh, ALL_DTYPES, domain=(-4, 4)),
    _elementwise("cosh", np.cosh, ALL_DTYPES, domain=(-4, 4)),
    _elementwise("asinh", np.arcsinh, ALL_DTYPES, domain=(-9, 9)),
    _elementwise("acosh", np.arccosh, ALL_DTYPES, domain=(1, 9)),
    _elementwise("atanh", np.arctanh, ALL_DTYPES, domain=(-0.9, 0.9)),
    _elementwise("angle", np.angle, ALL_DTYPES, result=_real_result),
    # ---- real floating (integers computed in the default dtype)
    _elementwise("erf", _erf, REAL, domain=(-3, 3)),
    _elementwise("erfc", _erfc, REAL, domain=(-3, 3)),
    # Bisection is slow in NumPy: small samples instead of the 70000-element shape.
    OpInfo("erfinv", ember.erfinv, _erfinv, REAL, sample_inputs=_erfinv_samples),
    _elementwise("lgamma", _lgamma, REAL, domain=(0.1, 9)),
    _elementwise("digamma", _digamma, REAL, domain=(0.1, 9), rtol={"float64": 1e-10}),
    OpInfo("polygamma", ember.polygamma, _polygamma_ref, REAL, sample_inputs=_polygamma_samples,
           rtol={"float64": 1e-8}),
    _elementwise("cbrt", np.cbrt, REAL),
    _elementwise("logit", lambda x: _ref_logit(x), REAL, domain=(0.05, 0.95)),
    OpInfo("logit_eps", ember.logit, _ref_logit, REAL, sample_inputs=_logit_eps_samples),
    # ---- rounding: integers come back unchanged
    # zero gradient almost everywhere, as PyTorch
    _elementwise("floor", np.floor, ROUNDABLE, result=None),
    _elementwise("ceil", np.ceil, ROUNDABLE, result=None),
    _elementwise("trunc", np.trunc, ROUNDABLE, result=None),
    _elementwise("round", np.round, ROUNDABLE, result=None),
    OpInfo("round_decimals", ember.round, _ref_round, FLOATING, sample_inputs=_round_decimals_samples),
    _elementwise("frac", lambda x: x - np.trunc(x), FLOATING, result=None),
    OpInfo("nan_to_num", ember.nan_to_num, _ref_nan_to_num, ALL_DTYPES, sample_inputs=_nan_to_num_samples),
    # ---- bool results
    OpInfo("isnan", ember.isnan, np.isnan, ALL_DTYPES, sample_inputs=_predicate_samples, differentiable=False),
    OpInfo("isinf", ember.isinf, np.isinf, ALL_DTYPES, sample_inputs=_predicate_samples, differentiable=False),
    OpInfo("isfinite", ember.isfinite, np.isfinite, ALL_DTYPES, sample_inputs=_predicate_samples,
           differentiable=False),
    OpInfo("isposinf", ember.isposinf, np.isposinf, REAL, sample_inputs=_predicate_samples, differentiable=False),
    OpInfo("isneginf", ember.isneginf, np.isneginf, REAL, sample_inputs=_predicate_samples, differentiable=False),
    OpInfo("logical_not", ember.logical_not, np.logical_not, ALL_DTYPES, sample_inputs=_predicate_samples,
           differentiable=False),
    _elementwise("bitwise_not", np.invert, ["bool"] + INTEGRAL, result=None, differentiable=False),
    # ---- complex numbers
    OpInfo("real", ember.real, np.real, ALL_DTYPES, sample_inputs=_plain_samples),
    OpInfo("imag", ember.imag, np.imag, COMPLEX, sample_inputs=_plain_samples),
    OpInfo("view_as_real", ember.view_as_real, lambda x: np.stack([x.real, x.imag], axis=-1), COMPLEX,
           sample_inputs=_plain_samples),
    OpInfo("view_as_complex", _view_as_complex_of_copy, lambda x: x[..., 0] + 1j * x[..., 1],
           ["float32", "float64"], sample_inputs=_pairs_samples),
    OpInfo("conj", ember.conj, np.conj, ALL_DTYPES, sample_inputs=_plain_samples),
    OpInfo("conj_physical", ember.conj_physical, np.conj, ALL_DTYPES, sample_inputs=_plain_samples),
]
