"""Shape ops beyond the op table: which results are views, errors and their
messages, type promotion in cat, out=, aliases, tuple results, methods."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ember


def shares(a, b):
    return a._base_data_ptr == b._base_data_ptr


def arange(*shape, dtype=ember.float32):
    return ember.arange(int(np.prod(shape))).reshape(*shape).to(dtype)


# ---- views where PyTorch promises them

@pytest.mark.parametrize("parts", [
    lambda x: ember.split(x, 2),
    lambda x: ember.split(x, [1, 3]),
    lambda x: x.split(3, 1),
    lambda x: ember.chunk(x, 3),
    lambda x: x.chunk(2, 1),
    lambda x: ember.tensor_split(x, 3),
    lambda x: ember.tensor_split(x, [1, 2], 1),
    lambda x: ember.unsafe_split(x, 2),
    lambda x: ember.hsplit(x, 2),
    lambda x: ember.vsplit(x, [2]),
    lambda x: ember.broadcast_tensors(x, x[0]),
    lambda x: (ember.movedim(x, 0, 1), ember.moveaxis(x, (0, 1), (1, 0)), x.movedim(1, 0)),
    lambda x: (ember.broadcast_to(x, (2, 4, 6)), x.broadcast_to((3, 4, 6))),
    lambda x: (ember.atleast_1d(x), ember.atleast_2d(x), x.ravel()),
])
def test_views_share_storage(parts):
    x = arange(4, 6)
    out = parts(x)
    assert isinstance(out, tuple)
    for p in out:
        assert shares(p, x)
    # A write through the first element of the first part shows in x.
    before = x.numpy().copy()
    first = out[0]
    while first.dim():
        first = first.select(0, 0)
    first.fill_(100)
    assert (x.numpy() == 100).sum() == 1
    assert np.all((x.numpy() == before) | (x.numpy() == 100))


def test_meshgrid_returns_expanded_views():
    a, b = ember.tensor([1, 2, 3]), ember.tensor([4, 5])
    gx, gy = ember.meshgrid(a, b, indexing="xy")
    assert shares(gx, a) and shares(gy, b)
    assert gx.stride() == (0, 1) and gy.stride() == (1, 0)
    np.testing.assert_array_equal(gx.numpy(), [[1, 2, 3], [1, 2, 3]])
    np.testing.assert_array_equal(gy.numpy(), [[4, 4, 4], [5, 5, 5]])
    # The list form and the default ('ij') indexing.
    gi, gj = ember.meshgrid([a, b])
    assert tuple(gi.shape) == (3, 2)
    np.testing.assert_array_equal(gj.numpy(), [[4, 5]] * 3)


@pytest.mark.parametrize("op", [
    lambda x: ember.cat([x, x]), lambda x: ember.stack([x]), lambda x: ember.flip(x, (0,)),
    lambda x: ember.roll(x, 1), lambda x: ember.rot90(x), lambda x: x.repeat(1, 1), lambda x: ember.tile(x, (1,)),
    lambda x: ember.repeat_interleave(x, 1), lambda x: ember.tril(x), lambda x: ember.triu(x, -5),
    lambda x: ember.diag(x), lambda x: ember.rot90(x, 0), lambda x: ember.roll(x, 0, 0),
])
def test_copies_do_not_share(op):
    x = arange(3, 3)
    out = op(x)
    assert not shares(out, x)
    out.fill_(-1)
    np.testing.assert_array_equal(x.numpy(), np.arange(9).reshape(3, 3))


def test_ravel_copies_only_when_it_must():
    x = arange(3, 4)
    assert shares(x.ravel(), x)
    t = x.t()
    r = ember.ravel(t)
    assert not shares(r, x)
    np.testing.assert_array_equal(r.numpy(), np.arange(12).reshape(3, 4).T.ravel())


# ---- cat: promotion, legacy empty tensors, out=, aliases

@pytest.mark.parametrize("a,b,expected", [
    (ember.int32, ember.float16, ember.float16),
    (ember.uint8, ember.int8, ember.int16),
    (ember.bool, ember.int64, ember.int64),
    (ember.float32, ember.complex64, ember.complex64),
    (ember.bfloat16, ember.float16, ember.float32),
    (ember.float64, ember.int8, ember.float64),
])
def test_cat_promotes(a, b, expected):
    x = ember.tensor([1, 0]).to(a)
    y = ember.tensor([3, 1]).to(b)
    out = ember.cat([x, y])
    assert out.dtype == expected
    np.testing.assert_array_equal(out.to(ember.complex128).numpy().real, [1, 0, 3, 1])
    assert ember.stack([x, y]).dtype == expected


def test_cat_skips_legacy_empty_but_promotes_with_it():
    x = arange(2, 3)
    out = ember.cat([ember.tensor([], dtype=ember.float64), x, ember.empty(0)], dim=1)
    assert out.dtype == ember.float64
    np.testing.assert_array_equal(out.numpy(), np.arange(6).reshape(2, 3))
    only_empty = ember.cat([ember.empty(0), ember.empty(0, dtype=ember.int64)])
    assert tuple(only_empty.shape) == (0,) and only_empty.dtype == ember.float32


def test_cat_aliases_and_axis_keyword():
    x, y = arange(2, 2), arange(2, 1)
    expected = np.concatenate([x.numpy(), y.numpy()], axis=1)
    for fn in (ember.cat, ember.concatenate, ember.concat):
        np.testing.assert_array_equal(fn([x, y], 1).numpy(), expected)
        np.testing.assert_array_equal(fn((x, y), axis=-1).numpy(), expected)
        np.testing.assert_array_equal(fn([x, y], dim=1).numpy(), expected)
    np.testing.assert_array_equal(ember.stack([x, x], axis=2).numpy(), np.stack([x.numpy()] * 2, axis=2))
    np.testing.assert_array_equal(ember.row_stack([x, x]).numpy(), np.vstack([x.numpy()] * 2))


def test_cat_and_stack_out():
    x = arange(2, 3)
    out = ember.empty(4, 3, dtype=ember.float64)
    res = ember.cat([x, x + 1], out=out)
    assert res.data_ptr() == out.data_ptr() and res.dtype == ember.float64
    np.testing.assert_array_equal(out.numpy(), np.concatenate([x.numpy(), x.numpy() + 1]))
    out = ember.zeros(2, 2, 3)
    ember.stack([x, x], 1, out=out)
    np.testing.assert_array_equal(out.numpy(), np.stack([x.numpy()] * 2, 1))
    # out= on the other joiners and the triangles.
    out = ember.zeros(2, 6)
    ember.hstack([x, x], out=out)
    np.testing.assert_array_equal(out.numpy(), np.hstack([x.numpy()] * 2))
    out = ember.zeros(2, 3)
    ember.triu(x, 1, out=out)
    np.testing.assert_array_equal(out.numpy(), np.triu(x.numpy(), 1))


def test_cat_out_errors():
    x = arange(2, 3)
    with pytest.raises(RuntimeError, match=r"\[cat\] out has shape \[3, 3\] but the result has shape \[4, 3\]"):
        ember.cat([x, x], out=ember.empty(3, 3))
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type int64"):
        ember.cat([x, x], out=ember.empty(4, 3, dtype=ember.int64))
    big = arange(4, 3)
    with pytest.raises(RuntimeError, match="cannot refer to any of the output memory locations"):
        ember.cat([big[:2], big[2:]], out=big)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: ember.cat([ember.ones(2, 3), ember.ones(2, 4)], 0), RuntimeError,
     r"\[cat\] Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 "
     r"in the list."),
    (lambda: ember.cat([ember.ones(3, 2), ember.ones(3, 1), ember.ones(4, 2)], 1), RuntimeError,
     "Expected size 3 but got size 4 for tensor number 2 in the list"),
    (lambda: ember.cat([ember.ones(2, 3), ember.ones(2, 3, 1)]), RuntimeError,
     "Tensors must have same number of dimensions: got 2 and 3"),
    (lambda: ember.cat([]), RuntimeError, "expected a non-empty list of Tensors"),
    (lambda: ember.cat([ember.ones(2), ember.tensor(1.0)]), RuntimeError,
     r"zero-dimensional tensor \(at position 1\) cannot be concatenated"),
    (lambda: ember.cat([ember.ones(2), 1]), TypeError, "expected Tensor as element 1"),
    (lambda: ember.cat(ember.ones(2)), TypeError, "must be tuple of Tensors, not Tensor"),
    (lambda: ember.cat([ember.ones(2, 3)], 2), IndexError, "Dimension out of range"),
    (lambda: ember.stack([ember.ones(2, 3), ember.ones(2, 4)]), RuntimeError,
     r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[2, 4\] at entry 1"),
    (lambda: ember.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (lambda: ember.stack([ember.ones(2)], 2), IndexError, "Dimension out of range"),
    (lambda: ember.hstack([]), RuntimeError, r"\[hstack\] hstack expects a non-empty TensorList"),
    (lambda: ember.split(ember.ones(4), -1), RuntimeError, "split_size be non-negative, but got split_size=-1"),
    (lambda: ember.split(ember.ones(4), 0), RuntimeError, "split_size can only be 0 if dimension size is 0"),
    (lambda: ember.split(ember.ones(5), [2, 2]), RuntimeError,
     r"split_with_sizes expects split_sizes to sum exactly to 5 \(input tensor's size at dimension 0\), but got "
     r"split_sizes=\[2, 2\]"),
    (lambda: ember.split(ember.ones(4), [5, -1]), RuntimeError, "only non-negative entries"),
    (lambda: ember.split(ember.tensor(1.0), 1), RuntimeError, "at least a 1-dimensional tensor"),
    (lambda: ember.chunk(ember.ones(4), 0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    (lambda: ember.tensor_split(ember.ones(4), 0), RuntimeError, "number of sections must be larger than 0, got 0"),
    (lambda: ember.tensor_split(ember.ones(4), ember.tensor([1.0])), RuntimeError, "to have dtype of long"),
    (lambda: ember.tensor_split(ember.ones(4), ember.ones(1, 1, dtype=ember.int64)), RuntimeError,
     "zero-dimensional or one-dimensional"),
    (lambda: ember.hsplit(ember.ones(3, 5), 2), RuntimeError,
     "attempted to split along dimension 1, but the size of the dimension 5 is not divisible by the split_size 2"),
    (lambda: ember.vsplit(ember.ones(4), 2), RuntimeError, "torch.vsplit requires a tensor with at least 2 dimension"),
    (lambda: ember.dsplit(ember.ones(4, 4), [1]), RuntimeError, "at least 3 dimensions"),
    (lambda: ember.flip(ember.ones(2, 3), (0, -2)), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda: ember.flip(ember.ones(2, 3), (2,)), IndexError, "Dimension out of range"),
    (lambda: ember.fliplr(ember.ones(3)), RuntimeError, r"Input must be >= 2-d."),
    (lambda: ember.flipud(ember.tensor(1.0)), RuntimeError, r"Input must be >= 1-d."),
    (lambda: ember.roll(ember.ones(2, 3), (1, 2)), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:0"),
    (lambda: ember.roll(ember.ones(2, 3), (1, 2), 0), RuntimeError, "shifts: 2, dims:1"),
    (lambda: ember.rot90(ember.ones(2, 3), 1, (0,)), RuntimeError, "expected total rotation dims == 2, but got dims = 1"),
    (lambda: ember.rot90(ember.ones(3)), RuntimeError, "expected total dims >= 2, but got total dims = 1"),
    (lambda: ember.rot90(ember.ones(2, 3), 1, (1, -1)), RuntimeError, "expected rotation dims to be different"),
    (lambda: ember.ones(2, 3).repeat(2), RuntimeError,
     "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"),
    (lambda: ember.ones(2, 3).repeat(-1, 2), RuntimeError, r"negative dimension -1: \[-1, 2\]"),
    (lambda: ember.repeat_interleave(ember.ones(3), -1), RuntimeError, "repeats can not be negative"),
    (lambda: ember.repeat_interleave(ember.ones(3), ember.tensor([1, -1, 1])), RuntimeError,
     "repeats can not be negative"),
    (lambda: ember.repeat_interleave(ember.ones(2, 3), ember.tensor([1, 2]), dim=1), RuntimeError,
     r"repeats must have the same size as input along dim, but got repeats.size\(0\) = 2 and input.size\(1\) = 3"),
    (lambda: ember.repeat_interleave(ember.ones(3), ember.tensor([1.0, 2.0, 3.0])), RuntimeError,
     "repeats has to be Long or Int tensor"),
    (lambda: ember.repeat_interleave(ember.ones(3), 2, output_size=5), RuntimeError,
     r"output_size \(5\) does not match the required size \(6\)"),
    (lambda: ember.repeat_interleave(ember.ones(3), "2"), TypeError, "repeats must be an int or a Tensor"),
    (lambda: ember.tril(ember.ones(3)), RuntimeError, "tril: input tensor must have at least 2 dimensions"),
    (lambda: ember.triu(ember.tensor(2.0)), RuntimeError, "triu: input tensor must have at least 2 dimensions"),
    (lambda: ember.diag(ember.ones(2, 2, 2)), RuntimeError, "Supports 1D or 2D tensors. Got 3D"),
    (lambda: ember.diag_embed(ember.ones(3), 0, 1, -1), RuntimeError, "diagonal dimensions cannot be identical"),
    (lambda: ember.movedim(ember.ones(2, 3, 4), (0, 0), (1, 2)), RuntimeError,
     r"movedim: repeated dim in `source` \(\[0, 0\]\)"),
    (lambda: ember.movedim(ember.ones(2, 3, 4), (0, 1), (2, -1)), RuntimeError,
     r"movedim: repeated dim in `destination` \(\[2, -1\]\)"),
    (lambda: ember.movedim(ember.ones(2, 3, 4), (0, 1), 1), RuntimeError,
     r"source \(\[0, 1\] dims\) should contain the same number of dims as destination \(\[1\] dims\)"),
    (lambda: ember.movedim(ember.ones(2, 3), 2, 0), IndexError, "Dimension out of range"),
    (lambda: ember.meshgrid(ember.ones(2, 2)), RuntimeError, "Expected 0D or 1D tensor in the tensor list"),
    (lambda: ember.meshgrid(ember.ones(2), ember.ones(2, dtype=ember.int64)), RuntimeError,
     "to have the same dtype"),
    (lambda: ember.meshgrid(ember.ones(2), indexing="yx"), ValueError, "indexing must be one of"),
    (lambda: ember.meshgrid([]), RuntimeError, "meshgrid expects a non-empty TensorList"),
    (lambda: ember.cartesian_prod(ember.ones(2, 2)), RuntimeError, r"Expect a 1D vector, but got shape \[2, 2\]"),
    (lambda: ember.broadcast_to(ember.ones(2, 3), (3, 3)), RuntimeError,
     r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0"),
    (lambda: ember.broadcast_tensors(ember.ones(2, 3), ember.ones(4)), RuntimeError,
     r"\[broadcast_tensors\] The size of tensor a \(3\) must match the size of tensor b \(4\)"),
    (lambda: ember.broadcast_shapes((2, 1), (3, 4)), RuntimeError,
     r"\[broadcast_shapes\] The size of tensor a \(2\) must match the size of tensor b \(3\)"),
    (lambda: ember.broadcast_shapes((2, -1)), RuntimeError, "negative dimension -1"),
])
def test_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


# ---- results, shapes and argument forms

def test_split_family_returns_tuples():
    x = arange(5, 2)
    for res in (ember.split(x, 2), x.split([1, 4]), ember.chunk(x, 2), ember.tensor_split(x, 2),
                x.tensor_split([1]), ember.unsafe_split(x, 3), x.split_with_sizes([2, 3]),
                ember.split_with_sizes(x, (5,)), ember.broadcast_tensors(x), ember.meshgrid(x[:, 0])):
        assert isinstance(res, tuple) and all(isinstance(p, ember.Tensor) for p in res)
    assert [tuple(p.shape) for p in ember.chunk(ember.ones(6), 4)] == [(2,), (2,), (2,)]
    assert [tuple(p.shape) for p in ember.chunk(ember.ones(5), 5)] == [(1,)] * 5
    assert [tuple(p.shape) for p in ember.split(ember.ones(0, 3), 0)] == [(0, 3)]


def test_tensor_split_with_tensor_argument():
    x = arange(7)
    parts = ember.tensor_split(x, ember.tensor([2, 5]))
    assert [p.numpy().tolist() for p in parts] == [[0, 1], [2, 3, 4], [5, 6]]
    parts = x.tensor_split(ember.tensor(3))
    assert [p.numpy().tolist() for p in parts] == [[0, 1, 2], [3, 4], [5, 6]]


def test_method_forms_match_functions():
    x = arange(2, 3)
    np.testing.assert_array_equal(x.flip(0, 1).numpy(), np.flip(x.numpy()))
    np.testing.assert_array_equal(x.flip((1,)).numpy(), np.flip(x.numpy(), 1))
    np.testing.assert_array_equal(ember.flip(x, 1).numpy(), np.flip(x.numpy(), 1))
    np.testing.assert_array_equal(x.fliplr().numpy(), np.fliplr(x.numpy()))
    np.testing.assert_array_equal(x.roll(1, 0).numpy(), np.roll(x.numpy(), 1, 0))
    np.testing.assert_array_equal(x.rot90(1, (1, 0)).numpy(), np.rot90(x.numpy(), 1, (1, 0)))
    np.testing.assert_array_equal(x.repeat((2, 2)).numpy(), np.tile(x.numpy(), (2, 2)))
    np.testing.assert_array_equal(x.tile(2).numpy(), np.tile(x.numpy(), 2))
    np.testing.assert_array_equal(x.repeat_interleave(2, dim=0).numpy(), np.repeat(x.numpy(), 2, 0))
    np.testing.assert_array_equal(x.tril(1).numpy(), np.tril(x.numpy(), 1))
    np.testing.assert_array_equal(x.triu().numpy(), np.triu(x.numpy()))
    np.testing.assert_array_equal(x.diag(1).numpy(), np.diag(x.numpy(), 1))
    np.testing.assert_array_equal(x.diagflat().numpy(), np.diagflat(x.numpy()))
    np.testing.assert_array_equal(x[0].diag_embed().numpy(), np.diag(x[0].numpy()))
    np.testing.assert_array_equal(x.moveaxis(0, 1).numpy(), x.numpy().T)
    np.testing.assert_array_equal(ember.roll(x, np.int64(-1)).numpy(), np.roll(x.numpy(), -1))


def test_tril_triu_in_place():
    x = arange(3, 4)
    v = x._version
    assert x.tril_(-1) is not None
    np.testing.assert_array_equal(x.numpy(), np.tril(np.arange(12).reshape(3, 4), -1))
    assert x._version > v
    y = arange(2, 3, 3)
    y.triu_(1)
    np.testing.assert_array_equal(y.numpy(), np.triu(np.arange(18).reshape(2, 3, 3), 1))


def test_tril_huge_diagonal_and_large_batches():
    x = arange(4, 5)
    np.testing.assert_array_equal(ember.tril(x, 2**62).numpy(), x.numpy())
    np.testing.assert_array_equal(ember.tril(x, -2**62).numpy(), np.zeros((4, 5)))
    np.testing.assert_array_equal(ember.triu(x, 2**62).numpy(), np.zeros((4, 5)))
    np.testing.assert_array_equal(ember.triu(x, -2**62).numpy(), x.numpy())
    big = ember.rand(64, 40, 50)
    np.testing.assert_array_equal(ember.triu(big, 3).numpy(), np.triu(big.numpy(), 3))


def test_repeat_interleave_forms():
    np.testing.assert_array_equal(ember.repeat_interleave(ember.tensor([1, 0, 2])).numpy(), [0, 2, 2])
    r = ember.repeat_interleave(ember.tensor([2, 1], dtype=ember.int32), output_size=3)
    assert r.dtype == ember.int32
    np.testing.assert_array_equal(r.numpy(), [0, 0, 1])
    np.testing.assert_array_equal(ember.repeat_interleave(ember.tensor(3)).numpy(), [0, 0, 0])
    x = arange(2, 2)
    # A one-element repeats tensor applies to every element.
    np.testing.assert_array_equal(ember.repeat_interleave(x, ember.tensor([2]), dim=1).numpy(),
                                  np.repeat(x.numpy(), 2, 1))
    out = ember.repeat_interleave(x, ember.tensor([1, 3]), dim=0, output_size=4)
    np.testing.assert_array_equal(out.numpy(), np.repeat(x.numpy(), [1, 3], 0))


def test_large_inputs_cross_the_parallel_grain():
    x = ember.rand(300, 500)
    xn = x.numpy()
    np.testing.assert_array_equal(ember.flip(x, (0,)).numpy(), xn[::-1])
    np.testing.assert_array_equal(ember.flip(x, (1,)).numpy(), xn[:, ::-1])
    np.testing.assert_array_equal(ember.roll(x, (7, -3), (0, 1)).numpy(), np.roll(xn, (7, -3), (0, 1)))
    np.testing.assert_array_equal(ember.cat([x, x], 1).numpy(), np.concatenate([xn, xn], 1))
    np.testing.assert_array_equal(ember.repeat_interleave(x, ember.arange(500) % 3, dim=1).numpy(),
                                  np.repeat(xn, np.arange(500) % 3, 1))
    np.testing.assert_array_equal(x.repeat(2, 3).numpy(), np.tile(xn, (2, 3)))
    # 1-D: the parallel chunks start mid-way through the counts.
    flat = ember.arange(100000)
    counts = ember.arange(100000) % 4
    np.testing.assert_array_equal(ember.repeat_interleave(flat, counts).numpy(),
                                  np.repeat(np.arange(100000), np.arange(100000) % 4))
    np.testing.assert_array_equal(ember.repeat_interleave(flat, 3).numpy(), np.repeat(np.arange(100000), 3))
    parts = [ember.rand(50, 3) for _ in range(400)]
    np.testing.assert_array_equal(ember.cat(parts, 1).numpy(), np.concatenate([p.numpy() for p in parts], 1))


def test_cat_out_bumps_version():
    x = arange(2, 3)
    out = ember.empty(4, 3)
    v = out._version
    ember.cat([x, x], out=out)  # the block-copy path
    assert out._version > v
    v = out._version
    ember.cat([x.t().t(), x.to(ember.int32)], out=out)  # the copy_ path
    assert out._version > v


def test_broadcast_shapes_and_atleast():
    assert ember.broadcast_shapes((2, 1), (3,), 1, ()) == ember.Size([2, 3])
    assert ember.broadcast_shapes() == ember.Size([])
    assert isinstance(ember.broadcast_shapes((1,)), ember.Size)
    x, y = ember.tensor(1.0), ember.ones(3)
    assert isinstance(ember.atleast_2d(x), ember.Tensor)
    res = ember.atleast_3d(x, y)
    assert isinstance(res, tuple) and [tuple(r.shape) for r in res] == [(1, 1, 1), (1, 3, 1)]
    res = ember.atleast_1d([x, y])
    assert [tuple(r.shape) for r in res] == [(1,), (3,)]


def test_cartesian_prod_values():
    a, b = ember.tensor([1, 2]), ember.tensor([3, 4, 5])
    np.testing.assert_array_equal(ember.cartesian_prod(a, b).numpy(),
                                  [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]])
    np.testing.assert_array_equal(ember.cartesian_prod(a).numpy(), [1, 2])


def test_diag_embed_dims():
    x = arange(2, 3)
    out = ember.diag_embed(x, offset=1, dim1=0, dim2=2)
    assert tuple(out.shape) == (4, 2, 4)
    for b in range(2):
        np.testing.assert_array_equal(out[:, b, :].numpy(), np.diag(x.numpy()[b], 1))


# ---- property tests against NumPy over random shapes

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
shapes = st.lists(st.integers(0, 4), min_size=1, max_size=4)


@PROPS
@given(shape=shapes, data=st.data())
def test_split_then_cat_round_trips(shape, data):
    x = arange(*shape)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    size = data.draw(st.integers(1, 5))
    parts = ember.split(x, size, dim)
    np.testing.assert_array_equal(ember.cat(parts, dim).numpy(), x.numpy())
    sections = data.draw(st.integers(1, 6))
    parts = ember.tensor_split(x, sections, dim)
    ref = np.array_split(x.numpy(), sections, axis=dim)
    assert len(parts) == len(ref)
    for p, r in zip(parts, ref):
        np.testing.assert_array_equal(p.numpy(), r)


@PROPS
@given(shape=shapes, data=st.data())
def test_flip_roll_match_numpy_on_permuted_inputs(shape, data):
    x = arange(*shape)
    perm = data.draw(st.permutations(range(len(shape))))
    xp, xn = x.permute(*perm), x.numpy().transpose(perm)  # non-contiguous in general
    dims = data.draw(st.lists(st.integers(0, len(shape) - 1), unique=True, max_size=len(shape)))
    np.testing.assert_array_equal(ember.flip(xp, dims).numpy(), np.flip(xn, dims))
    shifts = data.draw(st.lists(st.integers(-7, 7), min_size=len(dims), max_size=len(dims)))
    if dims:
        np.testing.assert_array_equal(ember.roll(xp, shifts, dims).numpy(), np.roll(xn, shifts, dims))
    reps = data.draw(st.lists(st.integers(0, 3), min_size=len(shape), max_size=len(shape) + 1))
    np.testing.assert_array_equal(xp.repeat(*reps).numpy(), np.tile(xn, reps))
