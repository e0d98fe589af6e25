"""The 12 dtypes: properties, names, aliases, PyTorch's promotion table,
finfo and iinfo (checked against NumPy)."""
import numpy as np
import pytest

import ember

# name, itemsize, is_floating_point, is_complex, is_signed, NumPy dtype (None: no NumPy twin)
DTYPES = [
    ("bool", 1, False, False, False, np.bool_),
    ("uint8", 1, False, False, False, np.uint8),
    ("int8", 1, False, False, True, np.int8),
    ("int16", 2, False, False, True, np.int16),
    ("int32", 4, False, False, True, np.int32),
    ("int64", 8, False, False, True, np.int64),
    ("float16", 2, True, False, True, np.float16),
    ("bfloat16", 2, True, False, True, None),
    ("float32", 4, True, False, True, np.float32),
    ("float64", 8, True, False, True, np.float64),
    ("complex64", 8, False, True, True, np.complex64),
    ("complex128", 16, False, True, True, np.complex128),
]
NAMES = [d[0] for d in DTYPES]


@pytest.mark.parametrize("name,size,is_float,is_cplx,signed,np_dtype", DTYPES)
def test_dtype_properties(name, size, is_float, is_cplx, signed, np_dtype):
    dt = getattr(ember, name)
    assert isinstance(dt, ember.dtype)
    assert dt.itemsize == size
    assert dt.is_floating_point is is_float
    assert dt.is_complex is is_cplx
    assert dt.is_signed is signed
    assert repr(dt) == f"ember.{name}"
    t = ember.zeros(3, dtype=dt)
    assert t.dtype == dt
    assert t.element_size() == size
    assert t.is_floating_point() is is_float
    assert t.is_complex() is is_cplx
    if np_dtype is not None:
        assert np.dtype(np_dtype).itemsize == size


def test_there_are_twelve_distinct_dtypes():
    dts = [getattr(ember, n) for n in NAMES]
    assert len(set(dts)) == 12
    for i, a in enumerate(dts):
        for j, b in enumerate(dts):
            assert (a == b) == (i == j)


@pytest.mark.parametrize("alias,name", [
    ("float", "float32"), ("double", "float64"), ("half", "float16"), ("long", "int64"),
    ("int", "int32"), ("short", "int16"), ("bool", "bool"), ("cfloat", "complex64"),
    ("cdouble", "complex128"),
])
def test_aliases(alias, name):
    assert getattr(ember, alias) is getattr(ember, name)
    assert ember.zeros(1, dtype=getattr(ember, alias)).dtype == getattr(ember, name)


@pytest.mark.parametrize("py_type,name", [(float, "float64"), (int, "int64"), (bool, "bool"), (complex, "complex128")])
def test_python_types_as_dtypes(py_type, name):
    # PyTorch accepts Python's own types where it expects a dtype.
    assert ember.zeros(2, dtype=py_type).dtype == getattr(ember, name)


@pytest.mark.parametrize("np_type", [np.float32, np.int16, np.uint8, np.complex128, np.bool_])
def test_numpy_types_as_dtypes(np_type):
    assert ember.zeros(2, dtype=np_type).dtype == getattr(ember, np.dtype(np_type).name)
    assert ember.zeros(2, dtype=np.dtype(np_type)).dtype == getattr(ember, np.dtype(np_type).name)


def test_to_real_and_to_complex():
    assert ember.complex64.to_real() == ember.float32
    assert ember.complex128.to_real() == ember.float64
    assert ember.float32.to_real() == ember.float32
    assert ember.float64.to_complex() == ember.complex128
    assert ember.float16.to_complex() == ember.complex64
    with pytest.raises(RuntimeError, match="to_complex"):
        ember.int32.to_complex()


# PyTorch's promotion table (c10/core/ScalarType.cpp), rows and columns in
# the order of NAMES.
_CODES = {"b1": "bool", "u1": "uint8", "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
          "f2": "float16", "bf": "bfloat16", "f4": "float32", "f8": "float64",
          "c4": "complex64", "c8": "complex128"}
_TABLE = """
b1 u1 i1 i2 i4 i8 f2 bf f4 f8 c4 c8
u1 u1 i2 i2 i4 i8 f2 bf f4 f8 c4 c8
i1 i2 i1 i2 i4 i8 f2 bf f4 f8 c4 c8
i2 i2 i2 i2 i4 i8 f2 bf f4 f8 c4 c8
i4 i4 i4 i4 i4 i8 f2 bf f4 f8 c4 c8
i8 i8 i8 i8 i8 i8 f2 bf f4 f8 c4 c8
f2 f2 f2 f2 f2 f2 f2 f4 f4 f8 c4 c8
bf bf bf bf bf bf f4 bf f4 f8 c4 c8
f4 f4 f4 f4 f4 f4 f4 f4 f4 f8 c4 c8
f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 c8 c8
c4 c4 c4 c4 c4 c4 c4 c4 c4 c8 c4 c8
c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8
"""


def test_promote_types_matches_pytorch_table():
    rows = [line.split() for line in _TABLE.strip().splitlines()]
    assert len(rows) == 12
    for a, row in zip(NAMES, rows):
        for b, want in zip(NAMES, row):
            got = ember.promote_types(getattr(ember, a), getattr(ember, b))
            assert got == getattr(ember, _CODES[want]), (a, b)


def test_promote_types_agrees_with_numpy_where_pytorch_does():
    # Outside the int/float mixes (where PyTorch keeps the float type and
    # NumPy widens), the two agree.
    same_kind = [n for n in NAMES if n not in ("bfloat16",)]
    for a in same_kind:
        for b in same_kind:
            na, nb = np.dtype(a if a != "bool" else np.bool_), np.dtype(b if b != "bool" else np.bool_)
            a_int, b_int = na.kind in "biu", nb.kind in "biu"
            if a_int != b_int:
                continue
            want = np.promote_types(na, nb).name
            assert ember.promote_types(getattr(ember, a), getattr(ember, b)) == getattr(ember, want)


# ---- finfo / iinfo


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_numpy(name):
    fi, ref = ember.finfo(getattr(ember, name)), np.finfo(getattr(np, name))
    assert fi.bits == ref.bits
    assert fi.eps == float(ref.eps)
    assert fi.max == float(ref.max)
    assert fi.min == float(ref.min)
    assert fi.tiny == float(ref.tiny)
    assert fi.smallest_normal == float(ref.smallest_normal)
    assert fi.resolution == pytest.approx(float(ref.resolution), rel=1e-3)  # NumPy stores it in the type
    assert fi.resolution == 10.0 ** -ref.precision
    assert fi.dtype == name
    assert isinstance(fi.eps, float) and isinstance(fi.bits, int)


def test_finfo_bfloat16_by_hand():
    fi = ember.finfo(ember.bfloat16)
    assert fi.bits == 16
    assert fi.eps == 0.0078125
    assert fi.max == 3.3895313892515355e38
    assert fi.min == -3.3895313892515355e38
    assert fi.tiny == 1.1754943508222875e-38
    assert fi.smallest_normal == fi.tiny
    assert fi.resolution == 0.01
    assert fi.dtype == "bfloat16"


@pytest.mark.parametrize("cplx,real", [("complex64", "float32"), ("complex128", "float64")])
def test_finfo_complex_maps_to_real(cplx, real):
    fc, fr = ember.finfo(getattr(ember, cplx)), ember.finfo(getattr(ember, real))
    assert fc.dtype == real
    assert (fc.eps, fc.max, fc.min, fc.tiny, fc.resolution, fc.bits) == (
        fr.eps, fr.max, fr.min, fr.tiny, fr.resolution, fr.bits)
    assert fc == fr


def test_finfo_default_follows_default_dtype():
    assert ember.finfo().dtype == "float32"
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.finfo().dtype == "float64"
        assert ember.finfo().eps == float(np.finfo(np.float64).eps)
    finally:
        ember.set_default_dtype(ember.float32)


def test_finfo_repr_and_eq():
    r = repr(ember.finfo(ember.float16))
    assert r.startswith("finfo(resolution=0.001, min=-65504.0, max=65504.0, eps=0.0009765625")
    assert r.endswith("dtype=float16)")
    assert ember.finfo(ember.float32) == ember.finfo(ember.float32)
    assert ember.finfo(ember.float32) != ember.finfo(ember.float64)


@pytest.mark.parametrize("name", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_finfo_rejects_integers(name):
    with pytest.raises(TypeError, match=r"\[finfo\].*iinfo"):
        ember.finfo(getattr(ember, name))


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_numpy(name):
    ii, ref = ember.iinfo(getattr(ember, name)), np.iinfo(getattr(np, name))
    assert ii.bits == ref.bits
    assert ii.max == int(ref.max)
    assert ii.min == int(ref.min)
    assert ii.dtype == name
    assert type(ii.max) is int
    assert repr(ii) == f"iinfo(min={int(ref.min)}, max={int(ref.max)}, dtype={name})"


def test_iinfo_rejects_bool_and_floats():
    with pytest.raises(TypeError, match="bool is not supported by ember.iinfo"):
        ember.iinfo(ember.bool)
    for name in ["float16", "bfloat16", "float32", "float64", "complex64", "complex128"]:
        with pytest.raises(TypeError, match=r"\[iinfo\].*finfo"):
            ember.iinfo(getattr(ember, name))
    with pytest.raises(TypeError):
        ember.iinfo()


def test_limits_survive_a_round_trip_through_tensors():
    # The largest and lowest values of each type are representable.
    for name in ["uint8", "int8", "int16", "int32", "int64"]:
        ii = ember.iinfo(getattr(ember, name))
        t = ember.tensor([ii.min, ii.max], dtype=getattr(ember, name))
        assert t.tolist() == [ii.min, ii.max]
    for name in ["float16", "bfloat16", "float32", "float64"]:
        fi = ember.finfo(getattr(ember, name))
        t = ember.tensor([fi.min, fi.max, fi.tiny, 1.0 + fi.eps], dtype=getattr(ember, name))
        assert t.tolist() == [fi.min, fi.max, fi.tiny, 1.0 + fi.eps]
