"""Op table entries for binary and ternary elementwise ops (collected into
op_db.OP_DB). Plain elementwise entries get the shared shapes, broadcasting
and strided inputs from test_ops.py; ops with scalars, optional arguments or
bool conditions bring their own samples, each also run on strided views
(the `strided` keyword of the wrappers below, which the reference never sees)."""
import numpy as np

import ember
from op_db import ALL_DTYPES, COMPLEX, FLOATING, INTEGRAL, REAL, OpInfo, Raw, Sample


def _floating_result(d):
    return "float32" if d in ["bool"] + INTEGRAL else d


def _bool_result(d):
    return "bool"


def _values(shape, dtype, rng, domain=None, nonzero=False):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return make_values(shape, dtype, rng, domain, nonzero)


def _strided_view(t):
    """The same values seen through a non-contiguous view."""
    if not isinstance(t, ember.Tensor) or t.dim() == 0:
        return t
    base = ember.zeros(*t.shape, 2, dtype=t.dtype)
    view = base.select(-1, 0)
    view.copy_(t)
    return view


def _with_strided(fn):
    """fn(*args, strided=True) runs fn on strided views of its tensor args."""
    def wrapper(*args, strided=False, **kwargs):
        if strided:
            args = tuple(_strided_view(a) for a in args)
        return fn(*args, **kwargs)
    return wrapper


def _both_layouts(samples):
    """Each sample as given and again with strided tensor inputs."""
    out = []
    for s in samples:
        out.append(s)
        ref_kwargs = dict(s.kwargs if s.ref_kwargs is None else s.ref_kwargs)
        out.append(Sample(s.args, {**s.kwargs, "strided": True}, ref_kwargs))
    return out


# ---- where

def _where_samples(dtype, rng):
    samples = []
    for sc, sx, sy in [((), (), ()), ((5,), (5,), (5,)), ((3, 4), (3, 4), (3, 4)), ((3, 1), (1, 4), (3, 4)),
                       ((4,), (3, 1), ()), ((0, 3), (1, 3), (3,)), ((1,), (6,), (1,)), ((2, 3), (2, 3), (2, 1))]:
        cond = Raw(rng.integers(0, 2, size=sc).astype(bool))
        samples.append(Sample((cond, _values(sx, dtype, rng), _values(sy, dtype, rng))))
    # Python scalars on either side (weak: they keep the tensor's dtype
    # unless their category is higher).
    cond = Raw(rng.integers(0, 2, size=(3, 4)).astype(bool))
    x = _values((3, 4), dtype, rng)
    samples.append(Sample((cond, x, 0)))
    samples.append(Sample((cond, 1, x)))
    return _both_layouts(samples)


# ---- clamp

def _clamp_samples(dtype, rng):
    x = _values((3, 4), dtype, rng)
    samples = [Sample((x, _values((3, 1), dtype, rng), _values((4,), dtype, rng)))]  # tensor bounds
    # Large sizes (parallel chunks) are in test_binary.py.
    for shape in [(), (0,), (1,), (5,), (3, 4), (2, 0, 3)]:
        x = _values(shape, dtype, rng)
        samples.append(Sample((x, 1, 6)))           # scalar bounds
        samples.append(Sample((x, None, 2)))        # max only
        samples.append(Sample((x, 3, None)))        # min only
    x = _values((3, 4), dtype, rng)
    samples.append(Sample((x, _values((4,), dtype, rng), None)))
    samples.append(Sample((x, 5, 2)))               # min > max gives max
    samples.append(Sample((_values((4,), dtype, rng), _values((2, 1), dtype, rng), 3)))  # bounds broadcast self
    return _both_layouts(samples)


def _clamp_ref(x, lo=None, hi=None):
    out = x
    if lo is not None:
        out = np.maximum(out, lo)
    if hi is not None:
        out = np.minimum(out, hi)
    return np.asarray(out)


# ---- lerp

def _lerp_samples(dtype, rng):
    samples = []
    for ss, se, sw in [((), (), ()), ((5,), (5,), (5,)), ((3, 4), (3, 4), (3, 1)), ((3, 1), (1, 4), (4,)),
                       ((0, 3), (1, 3), (3,)), ((1,), (6,), ())]:
        samples.append(Sample((_values(ss, dtype, rng), _values(se, dtype, rng),
                               _values(sw, dtype, rng, domain=(-0.5, 1.5)))))
    x, y = _values((3, 4), dtype, rng), _values((3, 4), dtype, rng)
    for w in [0.0, 0.25, 0.5, 1.0, 1.5]:
        samples.append(Sample((x, y, w)))
    return _both_layouts(samples)


def _lerp_ref(start, end, weight):
    return start + weight * (end - start)


# ---- isclose / allclose / equal

def _close_pairs(dtype, rng):
    """(a, b, kwargs) with elements clearly inside or outside the tolerance."""
    pairs = []
    for shape in [(), (0,), (1,), (5,), (3, 4), (300,)]:
        a = _values(shape, dtype, rng)
        if dtype == "bool":
            b = _values(shape, dtype, rng)
            kw = {}
        elif dtype in INTEGRAL:
            b = a + rng.choice([0, 1, 4], size=shape)
            if dtype == "uint8":
                b = np.minimum(b, 255)
            kw = {"rtol": 0.0, "atol": 2.0}
        else:
            b = a * (1 + rng.choice([0.0, 0.02, 0.3], size=shape))
            b = ember.tensor(b).to(getattr(ember, dtype)).to(
                ember.complex128 if "complex" in dtype else ember.float64).numpy()
            kw = {"rtol": 0.1, "atol": 0.0}
        pairs.append((a, np.asarray(b, dtype=a.dtype), kw))
    if dtype in FLOATING + COMPLEX:
        nan, inf = float("nan"), float("inf")
        a = np.array([nan, nan, inf, -inf, inf, 1.0, 0.0, 1.0])
        b = np.array([nan, 1.0, inf, -inf, -inf, inf, 0.25, 1.0])
        pairs.append((a, b, {}))
        pairs.append((a, b, {"equal_nan": True}))
    # Broadcasting.
    pairs.append((_values((3, 1), dtype, rng), _values((4,), dtype, rng), {}))
    return pairs


def _isclose_samples(dtype, rng):
    return _both_layouts([Sample((a, b), kw) for a, b, kw in _close_pairs(dtype, rng)])


def _isclose_ref(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if a.dtype == bool:
        return a == b
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _allclose_samples(dtype, rng):
    samples = [Sample((a, b), kw) for a, b, kw in _close_pairs(dtype, rng)]
    samples += [Sample((a, a), kw) for a, _, kw in _close_pairs(dtype, rng)]
    return samples


def _allclose_ref(a, b, **kw):
    return bool(np.all(_isclose_ref(a, b, **kw)))


def _equal_samples(dtype, rng):
    samples = []
    for shape in [(), (0,), (1,), (5,), (3, 4)]:
        a = _values(shape, dtype, rng)
        samples.append(Sample((a, a.copy())))
        b = a.copy()
        if b.size:
            b.flat[-1] = (not b.flat[-1]) if dtype == "bool" else b.flat[-1] + 1
        samples.append(Sample((a, b)))
    samples.append(Sample((_values((3,), dtype, rng), _values((1, 3), dtype, rng))))  # shapes differ
    return _both_layouts(samples)


def _equal_ref(a, b):
    return a.shape == b.shape and bool(np.all(a == b))


def _xlogy_ref(x, y):
    return np.where(x == 0, np.where(np.isnan(y), np.nan, 0.0), x * np.log(y))


def _lshift_ref(a, b):
    return np.left_shift(a, b)


ORDERED_NO_BOOL = INTEGRAL + FLOATING


# ---- pow: tensor ** tensor, tensor ** number, number ** tensor

def _pow_samples(dtype, rng):
    """Positive bases (real results) with exponents of both signs; integer
    dtypes take nonnegative exponents (negative ones are an error there).
    The 0 ** e cases are in test_autograd_elementwise.py."""
    integral = dtype == "bool" or dtype in INTEGRAL
    base_dom, exp_dom = ((0, 3), (0, 3)) if integral else ((0.5, 3), (-2, 2))
    samples = []
    for sa, sb in [((), ()), ((5,), ()), ((3, 4), (3, 4)), ((3, 1), (1, 4)), ((0, 3), (3,))]:
        samples.append(Sample((_values(sa, dtype, rng, base_dom), _values(sb, dtype, rng, exp_dom))))
    x = _values((2, 3), dtype, rng, base_dom)
    for e in [2, 3, 0] + ([] if integral else [-1, 0.5, -1.5]):
        samples.append(Sample((x, e)))
    y = _values((2, 3), dtype, rng, exp_dom)
    for b in [2, 3] + ([] if integral else [0.5, 3.0]):
        samples.append(Sample((b, y)))
    return samples

OPS = [
    OpInfo("fmod", ember.fmod, np.fmod, ORDERED_NO_BOOL, arity=2, nonzero_rhs=True),
    OpInfo("atan2", ember.atan2, np.arctan2, REAL, arity=2, result_dtype=_floating_result),
    OpInfo("arctan2", ember.arctan2, np.arctan2, REAL, arity=2, result_dtype=_floating_result),
    OpInfo("hypot", ember.hypot, np.hypot, FLOATING, arity=2),
    OpInfo("copysign", ember.copysign, np.copysign, REAL, arity=2, result_dtype=_floating_result),
    OpInfo("fmax", ember.fmax, np.fmax, REAL, arity=2),
    OpInfo("fmin", ember.fmin, np.fmin, REAL, arity=2),
    OpInfo("logaddexp", ember.logaddexp, np.logaddexp, FLOATING, arity=2),
    OpInfo("logaddexp2", ember.logaddexp2, np.logaddexp2, FLOATING, arity=2),
    OpInfo("xlogy", ember.xlogy, _xlogy_ref, REAL, arity=2, result_dtype=_floating_result,
           domain=(0, 9)),
    OpInfo("bitwise_and", ember.bitwise_and, np.bitwise_and, ["bool"] + INTEGRAL, arity=2, differentiable=False),
    OpInfo("bitwise_or", ember.bitwise_or, np.bitwise_or, ["bool"] + INTEGRAL, arity=2, differentiable=False),
    OpInfo("bitwise_xor", ember.bitwise_xor, np.bitwise_xor, ["bool"] + INTEGRAL, arity=2, differentiable=False),
    # Counts in [0, 7] stay defined for every width; int64 arithmetic then
    # wraps exactly as the narrow dtypes do. Wider counts: test_binary.py.
    OpInfo("bitwise_left_shift", ember.bitwise_left_shift, _lshift_ref, INTEGRAL, arity=2, domain=(0, 7),
           differentiable=False),
    OpInfo("bitwise_right_shift", ember.bitwise_right_shift, np.right_shift, INTEGRAL, arity=2, domain=(0, 7),
           differentiable=False),
    OpInfo("logical_and", ember.logical_and, np.logical_and, ALL_DTYPES, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("logical_or", ember.logical_or, np.logical_or, ALL_DTYPES, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("logical_xor", ember.logical_xor, np.logical_xor, ALL_DTYPES, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("subtract", ember.subtract, np.subtract, [d for d in ALL_DTYPES if d != "bool"], arity=2),
    OpInfo("multiply", ember.multiply, np.multiply, ALL_DTYPES, arity=2),
    OpInfo("divide", ember.divide, np.true_divide, ALL_DTYPES, arity=2, nonzero_rhs=True,
           result_dtype=_floating_result),
    OpInfo("true_divide", ember.true_divide, np.true_divide, ALL_DTYPES, arity=2, nonzero_rhs=True,
           result_dtype=_floating_result),
    OpInfo("greater", ember.greater, np.greater, REAL, arity=2, result_dtype=_bool_result, differentiable=False),
    OpInfo("less_equal", ember.less_equal, np.less_equal, REAL, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("clamp_min", ember.clamp_min, np.maximum, ORDERED_NO_BOOL, arity=2),
    OpInfo("clamp_max", ember.clamp_max, np.minimum, ORDERED_NO_BOOL, arity=2),
    OpInfo("pow", ember.pow, lambda a, b: np.power(np.asarray(a, dtype=np.int64) if np.asarray(a).dtype == bool else a, b),
           ALL_DTYPES, sample_inputs=_pow_samples, result_dtype=lambda d: "int64" if d == "bool" else d,
           rtol={"float16": 4e-3, "bfloat16": 3e-2}),
    OpInfo("where", _with_strided(ember.where), np.where, ALL_DTYPES, sample_inputs=_where_samples),
    OpInfo("clamp", _with_strided(ember.clamp), _clamp_ref, ORDERED_NO_BOOL, sample_inputs=_clamp_samples),
    OpInfo("clip", _with_strided(ember.clip), _clamp_ref, ORDERED_NO_BOOL, sample_inputs=_clamp_samples),
    OpInfo("lerp", _with_strided(ember.lerp), _lerp_ref, FLOATING + COMPLEX, sample_inputs=_lerp_samples),
    OpInfo("isclose", _with_strided(ember.isclose), _isclose_ref, ALL_DTYPES, sample_inputs=_isclose_samples,
           differentiable=False),
    OpInfo("allclose", ember.allclose, _allclose_ref, ALL_DTYPES, sample_inputs=_allclose_samples,
           differentiable=False),
    OpInfo("equal", _with_strided(ember.equal), _equal_ref, ALL_DTYPES, sample_inputs=_equal_samples,
           differentiable=False),
]
