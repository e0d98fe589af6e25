"""The op table: one entry per op, with its NumPy reference, the dtypes it
supports and how to make sample inputs. Value, dtype and broadcasting tests
are generated from it (test_ops.py); later, gradient checks and CPU/CUDA
parity tests use the same entries."""
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

import ember

ALL_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16",
              "float32", "float64", "complex64", "complex128"]
INTEGRAL = ["uint8", "int8", "int16", "int32", "int64"]
FLOATING = ["float16", "bfloat16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
REAL = ["bool"] + INTEGRAL + FLOATING  # every dtype with an order

# Shapes each unary op sees: scalars, size-0 and size-1 dims, and sizes that
# cross the parallel grain.
UNARY_SHAPES = [(), (0,), (1,), (5,), (3, 4), (2, 0, 3), (1, 7, 1), (70000,)]
# Pairs of shapes that broadcast.
BINARY_SHAPES = [((), ()), ((5,), ()), ((), (5,)), ((3, 4), (3, 4)), ((3, 1), (1, 4)),
                 ((2, 3, 4), (4,)), ((0, 3), (1, 3)), ((1,), (6,)), ((70000,), (70000,))]


@dataclass
class Raw:
    """An array that keeps its own dtype (index tensors, masks) instead of
    taking the dtype under test. The reference receives the bare array."""
    array: np.ndarray


@dataclass
class Sample:
    """One call of an op: NumPy arrays in args become ember tensors of the
    dtype under test (other values pass through unchanged)."""
    args: tuple
    kwargs: dict = field(default_factory=dict)
    ref_kwargs: Optional[dict] = None  # kwargs for the NumPy reference, if they differ


@dataclass
class OpInfo:
    name: str
    op: Callable                      # ember callable
    ref: Callable                     # NumPy reference on float64/complex128/int64 values
    dtypes: Sequence[str]
    arity: int = 1
    # For ops that are not plain elementwise: (dtype name, rng) -> [Sample].
    # The reference receives the same arrays (values exactly representable in
    # the dtype, as float64/complex128/int64/bool) and returns an array or a
    # tuple of arrays matching the op's output(s).
    sample_inputs: Optional[Callable] = None
    domain: Optional[tuple] = None    # (low, high) for sample values
    nonzero_rhs: bool = False         # keep the second input away from zero
    result_dtype: Optional[Callable] = None  # dtype name -> output dtype name
    differentiable: bool = True
    rtol: dict = field(default_factory=dict)
    # Gradient checks (test_gradients.py), for differentiable ops:
    grad_domain: Optional[tuple] = None  # sample values away from kinks/poles
    check_gradgrad: bool = True         # also check second derivatives
    grad_complex: bool = True           # also check complex128 when supported
    grad_samples: Optional[Callable] = None  # samples for gradient checks, if not sample_inputs'


def _floating_result(d):
    return "float32" if d in ["bool"] + INTEGRAL else d


def _bool_result(d):
    return "bool"


OP_DB = [
    OpInfo("add", ember.add, np.add, [d for d in ALL_DTYPES], arity=2),
    OpInfo("sub", ember.sub, np.subtract, [d for d in ALL_DTYPES if d != "bool"], arity=2),
    OpInfo("mul", ember.mul, np.multiply, ALL_DTYPES, arity=2),
    OpInfo("div", ember.div, np.true_divide, ALL_DTYPES, arity=2,
           nonzero_rhs=True, result_dtype=_floating_result),
    OpInfo("floor_divide", ember.floor_divide, np.floor_divide,
           [d for d in INTEGRAL + FLOATING], arity=2, nonzero_rhs=True, differentiable=False),
    OpInfo("remainder", ember.remainder, np.remainder, INTEGRAL + FLOATING, arity=2, nonzero_rhs=True),
    OpInfo("maximum", ember.maximum, np.maximum, REAL, arity=2),
    OpInfo("minimum", ember.minimum, np.minimum, REAL, arity=2),
    OpInfo("eq", ember.eq, np.equal, ALL_DTYPES, arity=2, result_dtype=_bool_result, differentiable=False),
    OpInfo("ne", ember.ne, np.not_equal, ALL_DTYPES, arity=2, result_dtype=_bool_result, differentiable=False),
    OpInfo("lt", ember.lt, np.less, REAL, arity=2, result_dtype=_bool_result, differentiable=False),
    OpInfo("le", ember.le, np.less_equal, REAL, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("gt", ember.gt, np.greater, REAL, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("ge", ember.ge, np.greater_equal, REAL, arity=2, result_dtype=_bool_result,
           differentiable=False),
    OpInfo("neg", ember.neg, np.negative, [d for d in ALL_DTYPES if d != "bool"]),
    OpInfo("abs", ember.abs, np.abs, [d for d in ALL_DTYPES if d not in ("bool",)],
           result_dtype=lambda d: {"complex64": "float32", "complex128": "float64"}.get(d, d)),
    OpInfo("exp", ember.exp, np.exp, ALL_DTYPES, domain=(-5, 5), result_dtype=_floating_result),
    OpInfo("log", ember.log, np.log, ALL_DTYPES, domain=(0.5, 10), result_dtype=_floating_result),
    OpInfo("sqrt", ember.sqrt, np.sqrt, ALL_DTYPES, domain=(0, 10), result_dtype=_floating_result),
    OpInfo("sin", ember.sin, np.sin, ALL_DTYPES, domain=(-4, 4), result_dtype=_floating_result),
    OpInfo("cos", ember.cos, np.cos, ALL_DTYPES, domain=(-4, 4), result_dtype=_floating_result),
    OpInfo("tanh", ember.tanh, np.tanh, ALL_DTYPES, domain=(-4, 4), result_dtype=_floating_result),
    OpInfo("sigmoid", ember.sigmoid, lambda x: 1 / (1 + np.exp(-x)), ALL_DTYPES,
           domain=(-6, 6), result_dtype=_floating_result,
           rtol={"complex64": 1e-4}),  # complex sigmoid has poles: ill-conditioned near them
]


def _transpose_samples(dtype, rng):
    # A template for ops with their own samples: shapes with size-0 and
    # size-1 dims, negative dims.
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return [Sample((make_values(shape, dtype, rng), d0, d1))
            for shape, d0, d1 in [((2, 3), 0, 1), ((4, 1, 3), -1, 0), ((0, 2), 0, 1), ((5,), 0, -1)]]


OP_DB.append(OpInfo("transpose", ember.transpose, np.swapaxes, ALL_DTYPES, sample_inputs=_transpose_samples,
                    differentiable=True))


def _collect_area_tables():
    """Each area adds its entries in op_db_<area>.py as a list named OPS."""
    import importlib
    import pathlib
    here = pathlib.Path(__file__).parent
    for path in sorted(here.glob("op_db_*.py")):
        OP_DB.extend(importlib.import_module(path.stem).OPS)


_collect_area_tables()
