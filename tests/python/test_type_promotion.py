"""PyTorch's type promotion: tensor dtypes promote on the lattice, Python
scalars are weak, zero-dim tensors rank between the two."""
import pytest

import ember


def t(dtype, dim=1):
    return ember.ones(*([2] * dim), dtype=getattr(ember, dtype))


@pytest.mark.parametrize("a,b,expected", [
    ("bool", "uint8", "uint8"), ("uint8", "int8", "int16"), ("uint8", "int32", "int32"),
    ("int8", "int16", "int16"), ("int32", "int64", "int64"), ("int64", "float16", "float16"),
    ("float16", "bfloat16", "float32"), ("bfloat16", "float32", "float32"),
    ("float32", "float64", "float64"), ("float64", "complex64", "complex128"),
    ("float16", "complex64", "complex64"), ("bool", "bool", "bool"), ("int64", "complex64", "complex64"),
])
def test_tensor_tensor(a, b, expected):
    want = getattr(ember, expected)
    assert ember.promote_types(getattr(ember, a), getattr(ember, b)) is want
    assert (t(a) + t(b)).dtype is want
    assert (t(b) + t(a)).dtype is want


@pytest.mark.parametrize("dtype,scalar,expected", [
    ("int64", 2.5, "float32"),       # int tensor + float scalar -> default float
    ("float16", 1.0, "float16"),     # float scalar doesn't widen a float tensor
    ("uint8", 1000, "uint8"),        # int scalar doesn't widen an int tensor
    ("bool", 1, "int64"),            # bool tensor + int scalar -> int64
    ("bool", True, "bool"),
    ("int32", 1j, "complex64"),
    ("float64", 1j, "complex128"),
    ("float32", 2, "float32"),
])
def test_tensor_scalar_is_weak(dtype, scalar, expected):
    assert (t(dtype) + scalar).dtype is getattr(ember, expected)
    assert (scalar + t(dtype)).dtype is getattr(ember, expected)
    assert ember.result_type(t(dtype), scalar) is getattr(ember, expected)


def test_zero_dim_tensor_ranks_below_dimensioned():
    assert (t("float16") + ember.tensor(1.0, dtype=ember.float64)).dtype is ember.float16
    assert (t("int32") + ember.tensor(1, dtype=ember.int64)).dtype is ember.int32
    # ...but a higher category still wins.
    assert (t("int32") + ember.tensor(1.0, dtype=ember.float64)).dtype is ember.float64
    assert (ember.tensor(1, dtype=ember.int64) + ember.tensor(1.0, dtype=ember.float16)).dtype is ember.float16


def test_zero_dim_integer_with_float_zero_dim():
    # Two zero-dim tensors promote normally.
    assert (ember.tensor(1, dtype=ember.int32) + ember.tensor(1, dtype=ember.int64)).dtype is ember.int64


def test_default_dtype_governs_float_scalars():
    old = ember.get_default_dtype()
    try:
        ember.set_default_dtype(ember.float64)
        assert (t("int64") + 2.5).dtype is ember.float64
        assert (t("int64") / 2).dtype is ember.float64
    finally:
        ember.set_default_dtype(old)


def test_integer_true_division_gives_float():
    x = ember.tensor([1, 2, 3])
    assert (x / 2).dtype is ember.float32
    assert (x / 2).tolist() == [0.5, 1.0, 1.5]
    assert (x // 2).tolist() == [0, 1, 1]
    assert (x // 2).dtype is ember.int64


def test_inplace_refuses_lowering_the_category():
    x = ember.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match="result type float32 can't be cast to the desired output type int64"):
        x += 0.5
    y = ember.tensor([1.0, 2.0])
    y += ember.tensor([1, 1])       # int into float is fine
    assert y.tolist() == [2.0, 3.0]
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        y += ember.ones(3, 2)


def test_broadcast_error_wording():
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\) "
                                           r"at non-singleton dimension 1"):
        ember.ones(2, 3) + ember.ones(2, 4)


def test_python_numbers_keep_double_precision():
    x = ember.tensor([1.0], dtype=ember.float64)
    assert (x * (1 / 3)).item() == 1 / 3
    assert (x + 0.1).item() == 1.1
    assert (0.1 + x).dtype is ember.float64
    # ...while a float32 tensor still computes in float32.
    assert (ember.tensor([1.0]) + 0.1).dtype is ember.float32
    z = ember.tensor([1 + 0j], dtype=ember.complex128)
    assert (z * (1 / 3 + 1j / 7)).item() == (1 / 3 + 1j / 7)
