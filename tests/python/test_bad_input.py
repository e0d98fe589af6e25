"""Bad input raises the right Python exception with a message naming the
problem, and never crashes the process: ragged data, unknown dtypes,
out-of-range dims, incompatible view shapes, negative and overflowing sizes."""
import numpy as np
import pytest

import ember

# ---------------------------------------------------------------- ragged and invalid data


@pytest.mark.parametrize("data", [
    [[1, 2], [3]],
    [[1, 2], 3],
    [1, [2, 3]],
    [[[1, 2]], [[3]]],
    [[1], [[2]]],
    [[1, 2], [3, 4, 5]],
    [(1, 2), (3,)],
    [[1, 2], []],
])
def test_ragged_lists_raise_value_error(data):
    with pytest.raises(ValueError, match=r"\[tensor\].*(sequence|ragged)"):
        ember.tensor(data)


def test_ragged_message_names_the_lengths():
    with pytest.raises(ValueError, match=r"expected sequence of length 2 at dim 1 \(got 3\)"):
        ember.tensor([[1, 2], [3, 4, 5]])


def test_tensors_of_the_wrong_shape_in_a_list():
    with pytest.raises(ValueError, match=r"\[tensor\].*shape"):
        ember.tensor([ember.zeros(2), ember.zeros(3)])
    with pytest.raises(ValueError, match=r"\[tensor\] expected sequence of length 2 at dim 1 \(got float\)"):
        ember.tensor([ember.zeros(2), 1.0])
    with pytest.raises(ValueError, match="only one element tensors"):
        ember.tensor([1.0, ember.zeros(2)])


@pytest.mark.parametrize("data", ["abc", [1, "a"], [None], {}, {1: 2}, [object()], [[1], [b"x"]]])
def test_invalid_data_types_raise_type_error(data):
    with pytest.raises(TypeError):
        ember.tensor(data)


def test_unsupported_numpy_arrays():
    for arr in [np.array(["a", "b"]), np.array([1, 2], dtype=np.uint16), np.array([object()])]:
        with pytest.raises(TypeError, match="can't convert np.ndarray|unsupported array type"):
            ember.tensor(arr)
    with pytest.raises(ValueError, match="negative"):
        ember.tensor(np.arange(4)[::-1])


# ---------------------------------------------------------------- dtypes


@pytest.mark.parametrize("bad", ["float32", "int", np.uint16, str, object, 3, "<a device>"])
def test_unknown_dtypes_raise_type_error(bad):
    if bad == "<a device>":  # made here: Ember objects in parametrize outlive nanobind at exit
        bad = ember.device("cpu")
    with pytest.raises(TypeError):
        ember.zeros(2, dtype=bad)
    with pytest.raises(TypeError):
        ember.tensor([1], dtype=bad)
    with pytest.raises(TypeError):
        ember.ones(2).to(dtype=bad)


def test_bad_dtype_uses():
    with pytest.raises(TypeError, match="floating-point"):
        ember.set_default_dtype(ember.int32)
    with pytest.raises(RuntimeError, match="floating point and complex"):
        ember.ones(2, dtype=ember.int64).requires_grad_()
    with pytest.raises(TypeError):
        ember.finfo(ember.int8)
    with pytest.raises(TypeError):
        ember.iinfo(ember.float32)


# ---------------------------------------------------------------- dims out of range


def _t3():
    return ember.zeros(2, 3, 4)


@pytest.mark.parametrize("call", [
    lambda t: t.size(3),
    lambda t: t.size(-4),
    lambda t: t.stride(5),
    lambda t: t.transpose(0, 3),
    lambda t: t.transpose(-4, 0),
    lambda t: t.permute(0, 1, 3),
    lambda t: t.squeeze(3),
    lambda t: t.squeeze((0, 7)),
    lambda t: t.unsqueeze(4),
    lambda t: t.unsqueeze(-5),
    lambda t: t.flatten(0, 3),
    lambda t: t.flatten(-4),
    lambda t: t.unflatten(3, (1, 4)),
    lambda t: t.select(3, 0),
    lambda t: t.select(0, 2),          # index out of range
    lambda t: t.select(1, -4),
    lambda t: t.narrow(3, 0, 1),
    lambda t: t.narrow(2, 5, 0),       # start out of range
    lambda t: t.unbind(3),
    lambda t: t.diagonal(0, 0, 3),
    lambda t: t.swapaxes(1, 9),
    lambda t: ember.tensor(1.0).size(0),
    lambda t: ember.tensor(1.0).unsqueeze(2),
    lambda t: t.size(2**63 - 1),
    lambda t: t.select(0, -2**63),
])
def test_out_of_range_dims_raise_index_error(call):
    with pytest.raises(IndexError, match=r"out of range|out of bounds|no dimensions"):
        call(_t3())


def test_index_error_message_names_the_range():
    with pytest.raises(IndexError, match=r"\[transpose\] Dimension out of range \(expected to be in range of "
                                         r"\[-3, 2\], but got 3\)"):
        _t3().transpose(0, 3)


# ---------------------------------------------------------------- incompatible shapes


@pytest.mark.parametrize("call,pattern", [
    (lambda t: t.view(5, 5), r"shape '\[5, 5\]' is invalid for input of size 24"),
    (lambda t: t.view(-1, -1), "only one dimension can be inferred"),
    (lambda t: t.view(-1, 5), r"shape '\[-1, 5\]' is invalid for input of size 24"),
    (lambda t: t.view(2, -3, 4), "invalid shape dimension -3"),
    (lambda t: t.transpose(0, 1).view(24), "view size is not compatible"),
    (lambda t: t.reshape(7), "invalid for input of size 24"),
    (lambda t: t.reshape(2**62, 2**62, 0), "invalid for input of size 24"),
    (lambda t: t.view(ember.complex128), "element sizes differ"),
    (lambda t: t.expand(3, 3, 4), "must match the existing size"),
    (lambda t: t.expand(3, 4), "number of sizes provided"),
    (lambda t: t.unflatten(2, (3, 2)), "invalid for input of size 4"),
    (lambda t: t.unflatten(2, ()), "non-empty"),
    (lambda t: t.permute(1, 0), "number of dims"),
    (lambda t: t.narrow(2, 3, 2), "exceeds dimension size"),
    (lambda t: t.narrow(2, 0, 2**63 - 1), "exceeds dimension size"),
    (lambda t: t.flatten(2, 0), "start_dim cannot come after end_dim"),
    (lambda t: t.t(), "<= 2 dimensions"),
    (lambda t: t.as_strided((5, 5), (5, 1)), "out of bounds"),
    (lambda t: t.as_strided((3,), (2**62,)), "out of bounds"),
    (lambda t: t.as_strided((2,), (1,), 2**62), "out of bounds"),
    (lambda t: t.copy_(ember.zeros(5)), "must match the size"),
    (lambda t: t.select(0, 0).copy_(ember.zeros(2, 3, 4)), "doesn't match the broadcast shape"),
])
def test_incompatible_shapes_raise_runtime_error(call, pattern):
    with pytest.raises(RuntimeError, match=pattern):
        call(_t3())


# ---------------------------------------------------------------- invalid sizes


@pytest.mark.parametrize("factory", ["zeros", "ones", "empty"])
def test_negative_sizes(factory):
    with pytest.raises(RuntimeError, match=r"negative dimension -3: \[2, -3\]"):
        getattr(ember, factory)(2, -3)
    with pytest.raises(RuntimeError, match=r"negative dimension -1"):
        getattr(ember, factory)((-1,))
    with pytest.raises(RuntimeError, match="negative dimension"):
        getattr(ember, factory)(-1, 0)       # negative wins over zero


@pytest.mark.parametrize("call,sizes", [
    (lambda: ember.empty(2**40, 2**40), "[1099511627776, 1099511627776]"),
    (lambda: ember.zeros(2**31, 2**31, 2**31), "[2147483648, 2147483648, 2147483648]"),
    (lambda: ember.empty(2**62), "[4611686018427387904]"),                     # bytes overflow
    (lambda: ember.ones(2**61, dtype=ember.complex128), "[2305843009213693952]"),
    (lambda: ember.full((2**40, 2**40), 1.0), "[1099511627776, 1099511627776]"),
    (lambda: ember.empty_strided((2**40, 2**40), (1, 1)), "[1099511627776, 1099511627776]"),
    (lambda: ember.empty_strided((2, 2), (2**62, 2**62)), "[2, 2]"),
    (lambda: ember.ones(1).expand(2**40, 2**40), "[1099511627776, 1099511627776]"),
    (lambda: ember.ones(4).as_strided((2**62, 2), (1, 1)), "[4611686018427387904, 2]"),
    (lambda: ember.linspace(0, 1, 2**62), "[4611686018427387904]"),
    (lambda: ember.arange(0, 2**62), "[4611686018427387904]"),
])
def test_overflowing_sizes_raise_runtime_error_naming_them(call, sizes):
    with pytest.raises(RuntimeError, match="overflow") as info:
        call()
    assert sizes in str(info.value)


def test_sizes_beyond_int64():
    with pytest.raises(RuntimeError, match=r"\[zeros\] Overflow when unpacking long"):
        ember.zeros(2**63)
    with pytest.raises(RuntimeError, match="Overflow when unpacking long"):
        ember.ones(2).view(1, 2**64)


def test_huge_but_valid_shapes():
    # Zero elements: no overflow, whatever the other sizes.
    assert ember.zeros(2**62, 2**62, 0).numel() == 0
    assert ember.empty(0, 2**62, 2**62).shape == (0, 2**62, 2**62)
    assert ember.ones(0).view(0, 2**40).shape == (0, 2**40)


def test_allocation_failure_is_an_error():
    # 8 PiB: more than any address space; must fail cleanly.
    with pytest.raises(RuntimeError, match="out of memory"):
        ember.empty(2**50, dtype=ember.float64)
    assert ember.ones(3).tolist() == [1.0, 1.0, 1.0]   # and the allocator still works


@pytest.mark.parametrize("bad", [2.5, "a", (2, "a"), (2, 1.5), [None], True, (2, True), object()])
def test_sizes_of_the_wrong_type_raise_type_error(bad):
    with pytest.raises(TypeError):
        ember.zeros(bad)
    with pytest.raises(TypeError):
        ember.ones(2).view(bad)


def test_factory_argument_errors():
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        ember.arange(0, 1, 0)
    with pytest.raises(RuntimeError, match="step sign"):
        ember.arange(5, 0, 1)
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.linspace(0, 1, -2)
    with pytest.raises(RuntimeError, match="n must be greater or equal to 0"):
        ember.eye(-2)
    with pytest.raises(TypeError, match="complex"):
        ember.full((2,), 1j, dtype=ember.int32)
    with pytest.raises(TypeError):
        ember.full(2, 1.0)                  # size must be a sequence


def test_in_place_write_errors():
    t = ember.zeros(3)
    with pytest.raises(RuntimeError, match="more than one element"):
        t.expand(2, 3).copy_(ember.ones(2, 3))
    with pytest.raises(TypeError, match="complex"):
        t.fill_(1 + 1j)
    with pytest.raises(RuntimeError, match="0-dimension value tensor"):
        t.fill_(ember.ones(2))
    assert t.tolist() == [0.0, 0.0, 0.0]    # nothing was written
    assert t._version == 0


def test_library_still_works_after_errors():
    for _ in range(3):
        with pytest.raises(RuntimeError):
            ember.empty(2**40, 2**40)
        with pytest.raises(IndexError):
            ember.zeros(2).select(0, 5)
        with pytest.raises(ValueError):
            ember.tensor([[1], [1, 2]])
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(ember.tensor(a).t().contiguous().numpy(), a.T)
