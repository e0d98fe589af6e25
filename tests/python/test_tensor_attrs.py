"""Tensor attributes and conversions: shape/Size, size(), dim, numel, dtype,
device, element sizes, item/tolist/len/iteration, to(dtype) for every pair
of dtypes against NumPy's astype, to(device), type(), the cast methods and
Python number conversions."""
import operator
import warnings

import numpy as np
import pytest

import ember

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
         "complex64", "complex128"]
SIZES = dict(zip(NAMES, [1, 1, 1, 2, 4, 8, 2, 2, 4, 8, 8, 16]))


# ---------------------------------------------------------------- shape and sizes


def test_shape_is_size():
    t = ember.zeros(2, 3)
    s = t.shape
    assert isinstance(s, ember.Size)
    assert isinstance(s, tuple)
    assert s == (2, 3)
    assert repr(s) == "ember.Size([2, 3])"
    assert str(s) == "ember.Size([2, 3])"
    assert repr(ember.zeros(()).shape) == "ember.Size([])"
    assert t.size() == s and isinstance(t.size(), ember.Size)
    assert isinstance(s[1:], ember.Size) and s[1:] == (3,)
    assert s[0] == 2 and type(s[0]) is int
    assert s.numel() == 6
    assert isinstance(s + (4,), ember.Size) and s + (4,) == (2, 3, 4)
    a, b = s
    assert (a, b) == (2, 3)


def test_size_dim_numel():
    t = ember.zeros(2, 3, 4)
    assert [t.size(d) for d in (0, 1, 2, -1, -3)] == [2, 3, 4, 4, 2]
    assert t.dim() == t.ndim == t.ndimension() == 3
    assert t.numel() == t.nelement() == 24
    assert ember.numel(t) == 24
    s = ember.tensor(1.5)
    assert s.dim() == 0 and s.numel() == 1 and s.shape == ()
    with pytest.raises(IndexError, match="no dimensions"):
        s.size(0)                             # as PyTorch: a 0-d tensor has no dim 0
    with pytest.raises(IndexError, match="no dimensions"):
        s.stride(-1)
    e = ember.zeros(3, 0)
    assert e.numel() == 0 and e.dim() == 2 and e.nbytes == 0
    with pytest.raises(IndexError, match=r"\[size\] Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)"):
        t.size(3)
    with pytest.raises(IndexError):
        t.size(-4)


@pytest.mark.parametrize("name", NAMES)
def test_dtype_sizes_per_dtype(name):
    t = ember.zeros(2, 5, dtype=getattr(ember, name))
    assert t.dtype == getattr(ember, name)
    assert t.element_size() == SIZES[name]
    assert t.itemsize == SIZES[name]
    assert t.nbytes == 10 * SIZES[name]
    assert t.device == ember.device("cpu")


# ---------------------------------------------------------------- item / tolist / len / iteration


@pytest.mark.parametrize("name,value,pytype", [
    ("bool", True, bool), ("uint8", 200, int), ("int8", -5, int), ("int16", -300, int), ("int32", 70000, int),
    ("int64", -2**40, int), ("float16", 1.5, float), ("bfloat16", -2.5, float), ("float32", 0.25, float),
    ("float64", 0.1, float), ("complex64", 1.5 - 2j, complex), ("complex128", 0.1 + 0.2j, complex),
])
def test_item_and_tolist_types(name, value, pytype):
    t = ember.tensor([value], dtype=getattr(ember, name))
    assert type(t.item()) is pytype
    assert t.item() == value
    assert type(t.tolist()[0]) is pytype
    assert t.tolist() == [value]
    assert ember.tensor(value, dtype=getattr(ember, name)).tolist() == value  # 0-d: a number


def test_item_errors_and_shapes():
    assert ember.tensor([[[3]]]).item() == 3
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        ember.tensor([1, 2]).item()
    with pytest.raises(RuntimeError, match="a Tensor with 0 elements cannot be converted to Scalar"):
        ember.zeros(0).item()


def test_tolist_nested_and_views():
    a = np.arange(24).reshape(2, 3, 4)
    t = ember.tensor(a)
    assert t.tolist() == a.tolist()
    assert t.permute(2, 0, 1).tolist() == np.transpose(a, (2, 0, 1)).tolist()
    assert ember.zeros(2, 0).tolist() == [[], []]
    assert ember.tensor([1.0, 2.0], dtype=ember.bfloat16).t().tolist() == [1.0, 2.0]
    g = ember.tensor([1.0, 2.0], requires_grad=True)
    assert g.tolist() == [1.0, 2.0]          # works on tensors that require grad, as in PyTorch


def test_len_and_iteration():
    a = np.arange(6).reshape(3, 2)
    t = ember.tensor(a)
    assert len(t) == 3
    assert len(ember.zeros(0, 4)) == 0
    rows = list(t)
    assert len(rows) == 3
    for r, ref in zip(rows, a):
        assert isinstance(r, ember.Tensor)
        assert r.tolist() == ref.tolist()
        assert r._base_data_ptr == t._base_data_ptr
    assert [x.item() for x in ember.tensor([4, 5, 6])] == [4, 5, 6]
    assert list(ember.zeros(0)) == []
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(ember.tensor(3))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(ember.tensor(3))


# ---------------------------------------------------------------- to(dtype) against NumPy


def _source_values(src):
    """Values of dtype src whose conversion to every dtype is defined in C
    (float -> int truncation in range; no negative float -> unsigned)."""
    if src == "bool":
        return np.array([True, False, True])
    if src == "uint8":
        return np.array([0, 1, 2, 100, 127, 128, 200, 255], dtype=np.uint8)
    if src.startswith("int"):
        return np.array([0, 1, -1, 2, -2, 100, -100, 127, -128], dtype=src)
    vals = np.array([0.0, 1.0, 2.75, -2.75, 0.5, -0.5, 100.25, -100.25, 127.0, -128.0, 1e-3])
    if src.startswith("complex"):
        return (vals + 1j * vals[::-1]).astype(src)
    return vals.astype(src)


def _np_name(name):
    return np.bool_ if name == "bool" else name


@pytest.mark.parametrize("src", [n for n in NAMES if n != "bfloat16"])
@pytest.mark.parametrize("dst", [n for n in NAMES if n != "bfloat16"])
def test_to_dtype_matches_numpy_astype(src, dst):
    a = _source_values(src)
    if dst == "uint8" and (src.startswith("float") or src.startswith("complex")):
        a = a[a.real >= 0] if src.startswith("complex") else a[a >= 0]  # negative float -> uint8 is UB in C
    t = ember.tensor(a)
    assert t.dtype == getattr(ember, src)
    out = t.to(getattr(ember, dst))
    assert out.dtype == getattr(ember, dst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's ComplexWarning when dropping the imaginary part
        want = a.astype(_np_name(dst))
    np.testing.assert_array_equal(out.numpy(), want)


@pytest.mark.parametrize("dst", NAMES)
def test_to_and_from_bfloat16(dst):
    # bfloat16 has no NumPy twin: the values are exact in bfloat16 and float32,
    # so float32 stands in for it.
    vals = np.array([0.0, 1.0, 2.75, 0.5, 100.5, 127.0, 3.0], dtype=np.float32)
    t = ember.tensor(vals, dtype=ember.bfloat16)
    np.testing.assert_array_equal(t.float().numpy(), vals)
    if dst != "bfloat16":
        np.testing.assert_array_equal(t.to(getattr(ember, dst)).numpy(), vals.astype(_np_name(dst)))
        other = vals.astype(_np_name(dst))
        back = ember.tensor(other).to(ember.bfloat16)
        np.testing.assert_array_equal(back.float().numpy(), other.real.astype(np.float32))


def test_to_rounding_rules():
    f = ember.tensor([2.9, -2.9, 0.5, -0.5, 1e-30])
    assert f.to(ember.int64).tolist() == [2, -2, 0, 0, 0]          # toward zero
    assert f.to(ember.bool).tolist() == [True, True, True, True, True]
    assert ember.tensor([0.0, -0.0, float("nan")]).bool().tolist() == [False, False, True]
    assert ember.tensor([1 + 0j, 0j, 1j]).bool().tolist() == [True, False, True]
    assert ember.tensor([1.5 + 2j]).to(ember.float64).tolist() == [1.5]  # imaginary part dropped
    assert ember.tensor([300, -1, 256]).to(ember.uint8).tolist() == [44, 255, 0]
    assert ember.tensor([70000]).to(ember.int16).tolist() == [np.int64(70000).astype(np.int16)]
    assert ember.tensor([65519.0, 65520.0, 1e-8]).half().tolist() == [65504.0, float("inf"), 0.0]
    assert ember.tensor([1.00390625, 1.01171875]).bfloat16().tolist() == [1.0, 1.015625]  # ties to even
    assert ember.tensor([3.14159]).half().item() == float(np.float16(3.14159))


with np.errstate(invalid="ignore"):
    _X86_CASTS = np.array([1e20]).astype(np.int32)[0] == np.iinfo(np.int32).min


@pytest.mark.skipif(not _X86_CASTS, reason="NumPy's out-of-range casts follow the CPU; Ember follows x86")
def test_to_out_of_range_follows_x86_and_numpy():
    vals = np.array([np.nan, np.inf, -np.inf, 1e20, -3e9, 300.7, -129.5])
    t = ember.tensor(vals)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dst in ["int8", "int16", "int32", "int64", "uint8"]:
            np.testing.assert_array_equal(t.to(getattr(ember, dst)).numpy(), vals.astype(dst), err_msg=dst)


def test_to_same_dtype_returns_self_unless_copy():
    t = ember.tensor([1.0, 2.0])
    assert t.to(ember.float32)._base_data_ptr == t._base_data_ptr  # no copy
    assert t.to(ember.float32, copy=True)._base_data_ptr != t._base_data_ptr
    assert t.to(dtype=ember.float32, copy=True).tolist() == [1.0, 2.0]


# ---------------------------------------------------------------- to(...) argument forms, type(), casts


def test_to_argument_forms():
    t = ember.tensor([1.5, -2.5])
    assert t.to("cpu").device == ember.device("cpu")
    assert t.to(ember.device("cpu"), ember.float64).dtype == ember.float64
    assert t.to("cpu", ember.int32).tolist() == [1, -2]
    assert t.to(dtype=ember.int16, device="cpu").dtype == ember.int16
    assert t.to(ember.zeros(1, dtype=ember.int8)).dtype == ember.int8       # like another tensor
    assert t.to(ember.float64, non_blocking=True).dtype == ember.float64
    with pytest.raises(TypeError, match="unexpected keyword"):
        t.to(ember.float64, bad=1)
    with pytest.raises(TypeError, match="invalid combination"):
        t.to(3.5)


@pytest.mark.parametrize("method,name", [
    ("float", "float32"), ("double", "float64"), ("half", "float16"), ("bfloat16", "bfloat16"),
    ("int", "int32"), ("long", "int64"), ("short", "int16"), ("char", "int8"), ("byte", "uint8"),
    ("bool", "bool"), ("cfloat", "complex64"), ("cdouble", "complex128"),
])
def test_cast_methods(method, name):
    t = ember.tensor([0.0, 1.0, 2.0])
    out = getattr(t, method)()
    assert out.dtype == getattr(ember, name)
    want = [False, True, True] if name == "bool" else [0, 1, 2]
    assert out.tolist() == want


@pytest.mark.parametrize("name,type_name", [
    ("float32", "FloatTensor"), ("float64", "DoubleTensor"), ("float16", "HalfTensor"),
    ("bfloat16", "BFloat16Tensor"), ("int64", "LongTensor"), ("int32", "IntTensor"), ("int16", "ShortTensor"),
    ("int8", "CharTensor"), ("uint8", "ByteTensor"), ("bool", "BoolTensor"),
    ("complex64", "ComplexFloatTensor"), ("complex128", "ComplexDoubleTensor"),
])
def test_type(name, type_name):
    t = ember.zeros(2, dtype=getattr(ember, name))
    assert t.type() == f"ember.{type_name}"
    assert ember.tensor([1.7]).type(f"ember.{type_name}").dtype == getattr(ember, name)
    assert ember.tensor([1.7]).type(getattr(ember, name)).dtype == getattr(ember, name)


def test_type_rejects_unknown_names():
    with pytest.raises(ValueError, match="invalid type"):
        ember.zeros(1).type("ember.FancyTensor")


# ---------------------------------------------------------------- Python number conversions


def test_bool_of_tensors():
    assert bool(ember.tensor([1])) is True
    assert bool(ember.tensor(0.0)) is False
    assert bool(ember.tensor([[0.5]])) is True
    assert bool(ember.tensor([0j])) is False
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(ember.tensor([1, 1]))
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with no values is ambiguous"):
        bool(ember.zeros(0))
    assert (1 if ember.tensor(True) else 0) == 1


def test_int_float_complex_index():
    assert int(ember.tensor(2.9)) == 2
    assert int(ember.tensor(-2.9)) == -2
    assert int(ember.tensor([[7]])) == 7
    assert float(ember.tensor(3)) == 3.0
    assert float(ember.tensor([0.1], dtype=ember.float64)) == 0.1
    assert complex(ember.tensor(1 + 2j)) == 1 + 2j
    assert operator.index(ember.tensor(5)) == 5
    assert [10, 20, 30][ember.tensor(1)] == 20
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        operator.index(ember.tensor(1.0))
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        operator.index(ember.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        int(ember.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="a Tensor with 0 elements"):
        float(ember.zeros(0))


def test_numpy_array_protocol_and_flags():
    t = ember.tensor([[1, 2], [3, 4]], dtype=ember.int16)
    a = np.asarray(t)
    assert a.dtype == np.int16 and a.tolist() == [[1, 2], [3, 4]]
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert ember.is_floating_point(ember.zeros(1)) and not ember.is_floating_point(ember.zeros(1, dtype=ember.int32))
    assert ember.is_complex(ember.zeros(1, dtype=ember.cfloat))
    assert ember.is_tensor(t) and not ember.is_tensor(a)
    g = ember.zeros(2)
    assert g.requires_grad is False
    assert g.requires_grad_() is not None and g.requires_grad is True
    g.requires_grad = False
    assert g.requires_grad is False
