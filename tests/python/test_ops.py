"""Tests generated from the op table (op_db.py): values against NumPy for
every supported dtype over shapes with size-0 and size-1 dims, broadcasting
and non-contiguous inputs; unsupported dtypes raise clear errors."""
import numpy as np
import pytest

import ember
from op_db import ALL_DTYPES, BINARY_SHAPES, OP_DB, UNARY_SHAPES, Raw

TOL = {"float16": 2e-3, "bfloat16": 1.6e-2, "float32": 2e-6, "float64": 1e-12,
       "complex64": 2e-6, "complex128": 1e-12}


def make_values(shape, dtype, rng, domain=None, nonzero=False):
    """float64/complex128/int64 NumPy values exactly representable in dtype."""
    low, high = domain if domain else (-9, 9)
    if dtype == "bool":
        v = rng.integers(0, 2, size=shape).astype(bool)
    elif dtype == "uint8":
        v = rng.integers(max(0, int(low)), max(int(high), 1) + 1, size=shape).astype(np.int64)
    elif dtype.startswith("int"):
        v = rng.integers(int(np.floor(low)), int(np.ceil(high)) + 1, size=shape).astype(np.int64)
    else:
        v = rng.uniform(low, high, size=shape)
        if dtype.startswith("complex"):
            v = v + 1j * rng.uniform(low, high, size=shape)
        # Round to values the dtype holds so both libraries see the same input.
        v = ember.tensor(v).to(getattr(ember, dtype)).to(ember.complex128 if "complex" in dtype
                                                          else ember.float64).numpy()
    if nonzero:
        v = np.where(v == 0, 1, v).astype(v.dtype)
    return v


def to_ember(values, dtype, non_contiguous=False):
    t = ember.tensor(values, dtype=getattr(ember, dtype))
    if non_contiguous and t.dim() >= 1:
        # The same values seen through a strided view (every other element).
        base = ember.zeros(*t.shape, 2, dtype=t.dtype)
        view = base.select(-1, 0)
        view.copy_(t)
        assert t.numel() <= 1 or not view.is_contiguous()
        return view
    return t


def expected(info, dtype, *vals):
    out_dtype = info.result_dtype(dtype) if info.result_dtype else dtype
    if out_dtype in TOL and dtype not in TOL:
        # Integer inputs of a floating op: NumPy would pick float16 for small
        # ints; the reference is float64, rounded to the output dtype later.
        vals = [np.asarray(v, dtype=np.float64) for v in vals]
    ref = info.ref(*vals)
    return np.asarray(ref), out_dtype


def check(info, dtype, out, ref, out_dtype):
    assert out.dtype == getattr(ember, out_dtype), f"{info.name} {dtype}: dtype {out.dtype} != {out_dtype}"
    assert tuple(out.shape) == ref.shape
    got = out.to(ember.complex128 if "complex" in out_dtype else
                 ember.float64 if out_dtype in TOL else out.dtype).numpy()
    if out_dtype in TOL:
        tol = info.rtol.get(out_dtype, TOL[out_dtype])
        # Reference computed in float64 then rounded to the output dtype.
        ref_rounded = ember.tensor(ref).to(getattr(ember, out_dtype)).to(
            ember.complex128 if "complex" in out_dtype else ember.float64).numpy()
        np.testing.assert_allclose(got, ref_rounded, rtol=tol, atol=tol, equal_nan=True,
                                   err_msg=f"{info.name} {dtype}")
    else:
        np.testing.assert_array_equal(got, ref.astype(got.dtype), err_msg=f"{info.name} {dtype}")


def cases():
    for info in OP_DB:
        if info.sample_inputs is not None:
            continue
        for dtype in info.dtypes:
            yield pytest.param(info, dtype, id=f"{info.name}-{dtype}")


@pytest.mark.parametrize("info,dtype", list(cases()))
@pytest.mark.parametrize("non_contiguous", [False, True], ids=["contig", "strided"])
def test_values(info, dtype, non_contiguous):
    rng = np.random.default_rng(0)
    if info.arity == 1:
        for shape in UNARY_SHAPES:
            x = make_values(shape, dtype, rng, info.domain)
            with np.errstate(all="ignore"):
                ref, out_dtype = expected(info, dtype, x)
            out = info.op(to_ember(x, dtype, non_contiguous))
            check(info, dtype, out, ref, out_dtype)
    else:
        for sa, sb in BINARY_SHAPES:
            x = make_values(sa, dtype, rng, info.domain)
            y = make_values(sb, dtype, rng, info.domain, nonzero=info.nonzero_rhs)
            with np.errstate(all="ignore"):
                ref, out_dtype = expected(info, dtype, x, y)
            out = info.op(to_ember(x, dtype, non_contiguous), to_ember(y, dtype))
            check(info, dtype, out, ref, out_dtype)


def sample_cases():
    for info in OP_DB:
        if info.sample_inputs is None:
            continue
        for dtype in info.dtypes:
            yield pytest.param(info, dtype, id=f"{info.name}-{dtype}")


def _to_ember_arg(a, dtype):
    if isinstance(a, Raw):
        return ember.tensor(a.array)
    if isinstance(a, np.ndarray):
        return ember.tensor(a, dtype=getattr(ember, dtype))
    if isinstance(a, (list, tuple)) and a and all(isinstance(x, (np.ndarray, Raw)) for x in a):
        return type(a)(_to_ember_arg(x, dtype) for x in a)
    return a


def _to_ref_arg(a):
    if isinstance(a, Raw):
        return a.array
    if isinstance(a, (list, tuple)) and a and all(isinstance(x, (np.ndarray, Raw)) for x in a):
        return type(a)(_to_ref_arg(x) for x in a)
    return a


def _compare(info, dtype, out, ref):
    if isinstance(ref, tuple):
        assert isinstance(out, (tuple, list)) and len(out) == len(ref), f"{info.name}: {len(ref)} outputs expected"
        for o, r in zip(out, ref):
            _compare(info, dtype, o, r)
        return
    ref = np.asarray(ref)
    if not isinstance(out, ember.Tensor):
        np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-6, err_msg=info.name)
        return
    out_dtype = str(out.dtype).replace("ember.", "")
    assert tuple(out.shape) == ref.shape, f"{info.name} {dtype}: shape {tuple(out.shape)} != {ref.shape}"
    if out_dtype in TOL:
        tol = info.rtol.get(out_dtype, TOL[out_dtype])
        got = out.to(ember.complex128 if "complex" in out_dtype else ember.float64).numpy()
        np.testing.assert_allclose(got, ref, rtol=tol, atol=tol, equal_nan=True, err_msg=f"{info.name} {dtype}")
    else:
        np.testing.assert_array_equal(out.numpy(), ref.astype(out.numpy().dtype), err_msg=f"{info.name} {dtype}")


@pytest.mark.parametrize("info,dtype", list(sample_cases()))
def test_samples(info, dtype):
    rng = np.random.default_rng(0)
    samples = info.sample_inputs(dtype, rng)
    assert samples, f"{info.name} has no samples for {dtype}"
    for sample in samples:
        args = tuple(_to_ember_arg(a, dtype) for a in sample.args)
        out = info.op(*args, **sample.kwargs)
        with np.errstate(all="ignore"):
            ref = info.ref(*(_to_ref_arg(a) for a in sample.args),
                           **(sample.kwargs if sample.ref_kwargs is None else sample.ref_kwargs))
        _compare(info, dtype, out, ref)


def unsupported():
    for info in OP_DB:
        for dtype in ALL_DTYPES:
            if dtype not in info.dtypes:
                yield pytest.param(info, dtype, id=f"{info.name}-{dtype}")


@pytest.mark.parametrize("info,dtype", list(unsupported()))
def test_unsupported_dtypes_raise(info, dtype):
    if info.sample_inputs is not None:
        # The first sample of a supported dtype, converted to this one.
        sample = info.sample_inputs(info.dtypes[0], np.random.default_rng(0))[0]
        args = tuple(_to_ember_arg(a, dtype) for a in sample.args)
        kwargs = sample.kwargs
    else:
        args = (ember.ones(3, dtype=getattr(ember, dtype)),) * info.arity
        kwargs = {}
    with pytest.raises((TypeError, RuntimeError)) as e:
        info.op(*args, **kwargs)
    assert info.name in str(e.value) or dtype in str(e.value) or "bool" in str(e.value)
