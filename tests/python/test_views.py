"""View ops: values against NumPy, storage shared with the base (checked
through _base_data_ptr and data_ptr), writes through views visible in the
base, and the version counter that all views of one storage share."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember


def make(*shape, dtype=np.int64):
    """An arange array of shape and the tensor with the same values."""
    a = np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape)
    return a, ember.tensor(a)


def assert_view_of(v, base):
    """v shares base's storage, and v's data starts storage_offset elements in."""
    assert v._base_data_ptr == base._base_data_ptr
    assert v.data_ptr() == v._base_data_ptr + v.storage_offset() * v.element_size()


def assert_same(t, ref):
    assert tuple(t.shape) == ref.shape
    np.testing.assert_array_equal(t.numpy(), ref)


# ---------------------------------------------------------------- view / reshape


@pytest.mark.parametrize("shape", [(6, 4), (24,), (2, -1), (-1, 3, 2), (4, 1, 6), (1, 24, 1), (2, 3, 4)])
def test_view_shapes(shape):
    a, t = make(2, 3, 4)
    v = t.view(*shape)
    assert_same(v, a.reshape(shape))
    assert_view_of(v, t)
    assert v.is_contiguous()
    assert_same(t.view(shape), a.reshape(shape))  # tuple form


def test_view_scalar_and_empty():
    s = ember.tensor(7)
    assert s.view(1).shape == (1,)
    assert s.view(-1).tolist() == [7]
    assert s.view(1, 1).view(()).shape == ()
    e = ember.zeros(0, 3)
    assert e.view(-1).shape == (0,)
    assert e.view(3, 0, 5).shape == (3, 0, 5)
    with pytest.raises(RuntimeError, match="ambiguous"):
        e.view(-1, 0)


def test_view_of_non_contiguous():
    a, t = make(4, 6)
    tt = t.t()                      # (6, 4), strides (1, 6)
    v = tt.view(2, 3, 4)            # splits the contiguous dim only
    assert_same(v, a.T.reshape(2, 3, 4))
    assert_view_of(v, t)
    assert v.stride() == (3, 1, 6)
    with pytest.raises(RuntimeError, match=r"\[view\].*reshape"):
        tt.view(24)


def test_view_dtype_reinterprets_bits():
    a = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    t = ember.tensor(a)
    v = t.view(ember.int32)
    assert v.dtype == ember.int32
    assert v.tolist() == a.view(np.int32).tolist()
    assert_view_of(v, t)
    d = ember.tensor(np.array([1.5, -0.0])).view(ember.int64)
    assert d.tolist() == np.array([1.5, -0.0]).view(np.int64).tolist()
    h = ember.tensor([1.0, 2.0], dtype=ember.float16).view(ember.int16)
    assert h.tolist() == [0x3C00, 0x4000]
    b = ember.tensor([1.0, 2.0], dtype=ember.bfloat16).view(ember.int16)
    assert b.tolist() == [0x3F80, 0x4000]
    v.fill_(0)                       # writes go through to the float tensor
    assert t.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match=r"\[view\].*float32.*int64"):
        t.view(ember.int64)


def test_view_as_and_reshape_as():
    a, t = make(2, 6)
    other = ember.zeros(3, 4)
    assert_same(t.view_as(other), a.reshape(3, 4))
    assert_same(t.reshape_as(other), a.reshape(3, 4))


def test_reshape_views_when_possible():
    a, t = make(2, 3, 4)
    r = t.reshape(4, -1)
    assert_same(r, a.reshape(4, -1))
    assert_view_of(r, t)
    s = t[0] if False else t.select(0, 1).reshape(12)  # a contiguous slice still views
    assert_view_of(s, t)
    assert s.storage_offset() == 12
    assert_same(s, a[1].reshape(12))


def test_reshape_copies_when_it_must():
    a, t = make(2, 3, 4)
    p = t.permute(2, 0, 1)
    r = p.reshape(-1)
    assert_same(r, np.transpose(a, (2, 0, 1)).reshape(-1))
    assert r._base_data_ptr != t._base_data_ptr      # a new storage
    assert r.is_contiguous()
    r.fill_(0)
    assert t.numpy().sum() == a.sum()                # the base is untouched
    assert_same(ember.reshape(p, (4, 6)), np.transpose(a, (2, 0, 1)).reshape(4, 6))


# ---------------------------------------------------------------- transpose family


@pytest.mark.parametrize("d0,d1", [(0, 1), (0, 2), (1, 2), (-1, 0), (2, 2), (-3, -1)])
def test_transpose_swapaxes_swapdims(d0, d1):
    a, t = make(2, 3, 4)
    want = np.swapaxes(a, d0, d1)
    for v in [t.transpose(d0, d1), t.swapaxes(d0, d1), t.swapdims(d0, d1), ember.transpose(t, d0, d1),
              ember.swapaxes(t, d0, d1)]:
        assert_same(v, want)
        assert_view_of(v, t)
        assert v.stride() == tuple(s // 8 for s in want.strides)


def test_t_T_mT():
    a, t = make(3, 4)
    assert_same(t.t(), a.T)
    assert_same(ember.t(t), a.T)
    assert_view_of(t.t(), t)
    assert ember.tensor(5).t().shape == ()
    assert ember.ones(3).t().shape == (3,)
    with pytest.raises(RuntimeError, match=r"\[t\].*<= 2 dimensions.*3D"):
        ember.ones(2, 3, 4).t()
    b, u = make(2, 3, 4)
    assert_same(u.T, b.T)
    assert_same(u.mT, np.swapaxes(b, -1, -2))
    assert_view_of(u.mT, u)
    assert_same(t.mT, a.T)
    assert ember.tensor(1.0).T.shape == ()
    with pytest.raises(RuntimeError, match=r"\[mT\]"):
        ember.ones(3).mT


@pytest.mark.parametrize("perm", [(0, 1, 2), (2, 0, 1), (1, 2, 0), (2, 1, 0), (-1, 0, -2)])
def test_permute(perm):
    a, t = make(2, 3, 4)
    want = np.transpose(a, perm)
    for v in [t.permute(*perm), t.permute(perm), ember.permute(t, perm)]:
        assert_same(v, want)
        assert_view_of(v, t)
    assert t.permute(perm).is_contiguous() == (tuple(p % 3 for p in perm) == (0, 1, 2))


def test_permute_errors():
    t = ember.ones(2, 3, 4)
    with pytest.raises(RuntimeError, match="number of dims"):
        t.permute(0, 1)
    with pytest.raises(RuntimeError, match="duplicate"):
        t.permute(0, 0, 1)
    with pytest.raises(IndexError, match="out of range"):
        t.permute(0, 1, 3)


# ---------------------------------------------------------------- expand


@pytest.mark.parametrize("src,target", [((3, 1), (3, 4)), ((1,), (5,)), ((3,), (2, 3)), ((1, 3), (2, 4, 3)),
                                        ((2, 1, 1), (2, 3, 4)), ((), (2, 2)), ((1,), (0,))])
def test_expand_matches_broadcast_to(src, target):
    a, t = make(*src) if src else (np.array(7), ember.tensor(7))
    v = t.expand(*target)
    assert_same(v, np.broadcast_to(a, target))
    assert_view_of(v, t)
    assert_same(t.expand(target), np.broadcast_to(a, target))


def test_expand_strides_and_minus_one():
    t = ember.tensor([[1], [2], [3]])
    v = t.expand(-1, 4)
    assert v.shape == (3, 4)
    assert v.stride() == (1, 0)
    assert v.tolist() == [[1] * 4, [2] * 4, [3] * 4]
    assert not v.is_contiguous()
    w = ember.zeros(2, 3, 4)
    assert_same(t.expand_as(ember.zeros(2, 3, 4)), np.broadcast_to(np.array([[1], [2], [3]]), (2, 3, 4)))
    assert w.expand(2, 3, 4).stride() == w.stride()


def test_expand_errors():
    t = ember.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"expanded size of the tensor \(4\) must match the existing size \(3\)"):
        t.expand(2, 4)
    with pytest.raises(RuntimeError, match="number of sizes provided"):
        t.expand(3)
    with pytest.raises(RuntimeError, match="leading, non-existing dimension"):
        t.expand(-1, 2, 3)


def test_write_into_expanded_tensor_is_refused():
    t = ember.zeros(3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        t.expand(2, 3).copy_(ember.ones(2, 3))


# ---------------------------------------------------------------- squeeze / unsqueeze / flatten


def test_squeeze():
    a, t = make(1, 3, 1, 2)
    assert_same(t.squeeze(), a.squeeze())
    assert_same(t.squeeze(0), a.squeeze(0))
    assert_same(t.squeeze(-2), a.squeeze(-2))
    assert_same(t.squeeze(1), a)                    # size 3: unchanged, as PyTorch
    assert_same(t.squeeze((0, 2)), a.squeeze((0, 2)))
    assert_same(t.squeeze((0, 1)), a.squeeze(0))    # non-1 dims in the tuple are kept
    assert_same(ember.squeeze(t, 2), a.squeeze(2))
    assert_view_of(t.squeeze(), t)
    assert ember.tensor(3).squeeze().shape == ()
    assert ember.tensor(3).squeeze(0).shape == ()
    with pytest.raises(IndexError, match="out of range"):
        t.squeeze(4)


@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1, -2, -4])
def test_unsqueeze(dim):
    a, t = make(2, 3, 4)
    v = t.unsqueeze(dim)
    assert_same(v, np.expand_dims(a, dim))
    assert_view_of(v, t)
    assert v.is_contiguous()
    assert_same(ember.unsqueeze(t, dim), np.expand_dims(a, dim))


def test_unsqueeze_errors_and_scalar():
    assert ember.tensor(2).unsqueeze(0).shape == (1,)
    assert ember.tensor(2).unsqueeze(-1).shape == (1,)
    with pytest.raises(IndexError, match=r"\[unsqueeze\].*\[-4, 3\].*4"):
        ember.ones(2, 3, 4).unsqueeze(4)


@pytest.mark.parametrize("start,end", [(0, -1), (1, -1), (0, 1), (1, 2), (2, 2), (-2, -1)])
def test_flatten(start, end):
    a, t = make(2, 3, 4)
    s, e = start % 3, end % 3
    want = a.reshape(a.shape[:s] + (-1,) + a.shape[e + 1:])
    v = t.flatten(start, end)
    assert_same(v, want)
    assert_view_of(v, t)
    assert_same(ember.flatten(t, start, end), want)


def test_flatten_special_cases():
    assert ember.tensor(4).flatten().tolist() == [4]          # 0-d becomes 1-d
    a, t = make(2, 3)
    f = t.t().flatten()                                       # must copy
    assert_same(f, a.T.reshape(-1))
    assert f._base_data_ptr != t._base_data_ptr
    with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim"):
        ember.ones(2, 3, 4).flatten(2, 1)


def test_unflatten():
    a, t = make(2, 12)
    assert_same(t.unflatten(1, (3, 4)), a.reshape(2, 3, 4))
    assert_same(t.unflatten(-1, (2, -1, 3)), a.reshape(2, 2, 2, 3))
    assert_same(ember.unflatten(t, 0, (1, 2)), a.reshape(1, 2, 12))
    assert_view_of(t.unflatten(1, (3, 4)), t)
    with pytest.raises(RuntimeError, match=r"\[unflatten\].*invalid for input of size 12"):
        t.unflatten(1, (5, 3))


# ---------------------------------------------------------------- narrow / select / unbind


@pytest.mark.parametrize("dim,start,length", [(0, 0, 1), (1, 1, 2), (2, 0, 4), (-1, -3, 2), (1, 3, 0), (2, 4, 0)])
def test_narrow(dim, start, length):
    a, t = make(2, 3, 4)
    v = t.narrow(dim, start, length)
    idx = [slice(None)] * 3
    s = start % a.shape[dim] if start < 0 else start
    idx[dim] = slice(s, s + length)
    assert_same(v, a[tuple(idx)])
    assert_view_of(v, t)
    assert_same(ember.narrow(t, dim, start, length), a[tuple(idx)])


def test_narrow_errors():
    t = ember.ones(2, 4)
    with pytest.raises(RuntimeError, match=r"start \(3\) \+ length \(2\) exceeds dimension size \(4\)"):
        t.narrow(1, 3, 2)
    with pytest.raises(IndexError, match="start out of range"):
        t.narrow(1, 5, 0)
    with pytest.raises(RuntimeError, match="non-negative"):
        t.narrow(1, 0, -1)
    with pytest.raises(RuntimeError, match="0-dim"):
        ember.tensor(1).narrow(0, 0, 1)


@pytest.mark.parametrize("dim,index", [(0, 0), (0, -1), (1, 2), (2, -4), (-1, 3)])
def test_select(dim, index):
    a, t = make(2, 3, 4)
    v = t.select(dim, index)
    assert_same(v, np.take(a, index, axis=dim))
    assert_view_of(v, t)
    assert_same(ember.select(t, dim, index), np.take(a, index, axis=dim))


def test_select_offsets_and_errors():
    a, t = make(2, 3, 4)
    assert t.select(0, 1).storage_offset() == 12
    assert t.select(1, 2).storage_offset() == 8
    assert t.select(0, 1).select(0, 2).storage_offset() == 20
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 1 with size 3"):
        t.select(1, 3)
    with pytest.raises(IndexError, match="0-dim"):
        ember.tensor(1).select(0, 0)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unbind(dim):
    a, t = make(2, 3, 4)
    parts = t.unbind(dim)
    assert isinstance(parts, tuple)
    assert len(parts) == a.shape[dim]
    for i, p in enumerate(parts):
        assert_same(p, np.take(a, i, axis=dim))
        assert_view_of(p, t)
    assert len(ember.unbind(t, dim)) == a.shape[dim]
    assert ember.zeros(0, 3).unbind(0) == ()


# ---------------------------------------------------------------- diagonal


@pytest.mark.parametrize("offset,d1,d2", [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 2), (-2, 1, 2), (0, 2, 0),
                                          (1, -1, -2), (5, 0, 1), (-5, 1, 2)])
def test_diagonal_matches_numpy(offset, d1, d2):
    a, t = make(3, 4, 5)
    v = t.diagonal(offset, d1, d2)
    assert_same(v, np.diagonal(a, offset, d1, d2))
    assert_view_of(v, t)
    assert_same(ember.diagonal(t, offset=offset, dim1=d1, dim2=d2), np.diagonal(a, offset, d1, d2))


def test_diagonal_writes_and_errors():
    t = ember.zeros(3, 3)
    t.diagonal().fill_(1)
    assert t.tolist() == np.eye(3).tolist()
    t.diagonal(1).copy_(ember.tensor([5.0, 6.0]))
    assert t.tolist() == [[1, 5, 0], [0, 1, 6], [0, 0, 1]]
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical"):
        t.diagonal(0, 1, 1)
    with pytest.raises(RuntimeError, match="ndim larger than 1"):
        ember.ones(3).diagonal()


# ---------------------------------------------------------------- as_strided


@pytest.mark.parametrize("size,stride,offset", [((2, 2), (1, 2), 0), ((3, 3), (1, 1), 2), ((2, 3), (0, 1), 5),
                                                ((4,), (3,), 1), ((2, 2, 2), (6, 2, 1), 0), ((0, 3), (5, 5), 23)])
def test_as_strided_matches_numpy(size, stride, offset):
    a, t = make(24)
    v = t.as_strided(size, stride, offset)
    want = np.lib.stride_tricks.as_strided(a[offset:], size, tuple(s * 8 for s in stride))
    assert_same(v, want)
    assert_view_of(v, t)
    assert v.storage_offset() == offset
    assert v.stride() == stride
    assert_same(ember.as_strided(t, size, stride, offset), want)


def test_as_strided_keeps_offset_and_checks_bounds():
    a, t = make(24)
    n = t.narrow(0, 4, 10)
    v = n.as_strided((2, 2), (1, 2))          # storage_offset defaults to the tensor's
    assert v.storage_offset() == 4
    assert v.tolist() == [[4, 6], [5, 7]]
    with pytest.raises(RuntimeError, match=r"\[as_strided\].*out of bounds for storage of size 192"):
        t.as_strided((5, 5), (5, 1))
    with pytest.raises(RuntimeError, match=r"\[as_strided\]"):
        t.as_strided((2,), (1,), -1)
    with pytest.raises(RuntimeError, match=r"\[as_strided\].*mismatch"):
        t.as_strided((2, 2), (1,))


# ---------------------------------------------------------------- contiguity, strides, offsets


def test_stride_and_storage_offset():
    a, t = make(2, 3, 4)
    assert t.stride() == (12, 4, 1)
    assert isinstance(t.stride(), tuple)
    assert [t.stride(d) for d in (0, 1, 2, -1)] == [12, 4, 1, 1]
    assert t.storage_offset() == 0
    assert t.narrow(2, 1, 2).narrow(1, 2, 1).storage_offset() == 9
    assert ember.tensor(3).stride() == ()
    with pytest.raises(IndexError, match=r"\[stride\]"):
        t.stride(3)


def test_contiguous():
    a, t = make(2, 3, 4)
    assert t.is_contiguous()
    assert t.contiguous()._base_data_ptr == t._base_data_ptr  # no copy when already contiguous
    p = t.permute(1, 2, 0)
    assert not p.is_contiguous()
    c = p.contiguous()
    assert c.is_contiguous()
    assert c.stride() == (8, 2, 1)
    assert c._base_data_ptr != t._base_data_ptr
    assert_same(c, np.transpose(a, (1, 2, 0)))
    assert t.narrow(0, 1, 1).is_contiguous()           # size-1 dims do not matter
    assert not t.narrow(2, 0, 2).is_contiguous()
    assert ember.zeros(0, 4).t().is_contiguous()


def test_clone_and_detach():
    a, t = make(2, 3)
    c = t.clone()
    assert c._base_data_ptr != t._base_data_ptr
    assert_same(c, a)
    c.fill_(0)
    assert_same(t, a)
    ct = t.t().clone()
    assert_same(ct, a.T)
    assert_same(ember.clone(t), a)
    d = t.detach()
    assert_view_of(d, t)
    assert_same(d, a)
    d.fill_(5)
    assert t.tolist() == [[5] * 3] * 2
    assert d._version == t._version                 # detach shares the version counter
    g = ember.ones(2, requires_grad=True)
    assert not g.detach().requires_grad
    assert not ember.detach(g).requires_grad


# ---------------------------------------------------------------- writes and the version counter


def test_writes_through_views_reach_the_base():
    a, t = make(3, 4)
    t.t().select(0, 1).fill_(-1)                        # column 1
    a[:, 1] = -1
    assert_same(t, a)
    t.narrow(0, 2, 1).copy_(ember.tensor([[9, 8, 7, 6]]))
    a[2] = [9, 8, 7, 6]
    assert_same(t, a)
    t.view(12).narrow(0, 0, 2).zero_()
    a.reshape(12)[:2] = 0
    assert_same(t, a)
    t.unsqueeze(0).expand(2, 3, 4).select(0, 1).diagonal().fill_(100)
    np.fill_diagonal(a, 100)
    assert_same(t, a)


def test_version_counter_is_shared_by_views():
    t = ember.zeros(4, 4)
    views = [t.t(), t.view(16), t.narrow(0, 1, 2), t.select(1, 3), t.diagonal(), t.detach(),
             t.unsqueeze(0), t.as_strided((2,), (5,)), t.view(ember.int32)]
    assert t._version == 0
    assert all(v._version == 0 for v in views)
    views[2].fill_(1.0)
    assert t._version == 1
    assert all(v._version == 1 for v in views)
    views[0].copy_(ember.ones(4, 4))
    t.zero_()
    assert t._version == 3
    assert all(v._version == 3 for v in views)
    c = t.clone()
    assert c._version == 0                            # a copy has its own counter
    t.fill_(2)
    assert c._version == 0 and t._version == 4


# ---------------------------------------------------------------- property tests


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_random_view_chains_match_numpy(shape, rnd):
    a = np.arange(int(np.prod(shape))).reshape(shape)
    t = ember.tensor(a)
    base_ptr = t._base_data_ptr
    for _ in range(4):
        op = rnd.choice(["permute", "narrow", "unsqueeze", "squeeze", "transpose", "select", "expand", "diagonal"])
        nd = a.ndim
        if op == "permute" and nd:
            perm = list(range(nd))
            rnd.shuffle(perm)
            a, t = np.transpose(a, perm), t.permute(perm)
        elif op == "narrow" and nd:
            d = rnd.randrange(nd)
            start = rnd.randrange(a.shape[d] + 1)
            length = rnd.randrange(a.shape[d] - start + 1)
            a, t = np.take(a, range(start, start + length), axis=d), t.narrow(d, start, length)
        elif op == "unsqueeze":
            d = rnd.randrange(nd + 1)
            a, t = np.expand_dims(a, d), t.unsqueeze(d)
        elif op == "squeeze":
            a, t = a.squeeze(), t.squeeze()
        elif op == "transpose" and nd >= 2:
            d0, d1 = rnd.randrange(nd), rnd.randrange(nd)
            a, t = np.swapaxes(a, d0, d1), t.transpose(d0, d1)
        elif op == "select" and nd and a.shape[0] > 0:
            i = rnd.randrange(a.shape[0])
            a, t = a[i], t.select(0, i)
        elif op == "expand":
            a, t = np.broadcast_to(a, (2,) + a.shape), t.expand((2,) + a.shape)
        elif op == "diagonal" and nd >= 2:
            off = rnd.randrange(-2, 3)
            a, t = np.diagonal(a, off, 0, 1), t.diagonal(off, 0, 1)
        assert tuple(t.shape) == a.shape
        np.testing.assert_array_equal(t.numpy(), a)
        assert t._base_data_ptr == base_ptr                 # still a view
        # reshape to the flat shape agrees too (a view or a copy)
        np.testing.assert_array_equal(t.reshape(-1).numpy(), a.reshape(-1))


def test_copy_into_empty_expanded_view_is_allowed():
    # No element is written, so the zero-stride dim cannot alias anything.
    dst = ember.zeros(0, 1).expand(0, 2)
    dst.copy_(ember.zeros(0, 2))
    assert tuple(dst.shape) == (0, 2)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        ember.zeros(1, 1).expand(2, 2).copy_(ember.ones(2, 2))


def test_H_is_the_conjugate_transpose():
    z = ember.tensor([[1 + 2j, 3 - 1j], [0.5j, 2]])
    np.testing.assert_array_equal(z.H.numpy(), z.numpy().conj().T)
    r = ember.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(r.H.numpy(), r.numpy().T)
    with pytest.raises(RuntimeError, match="only supported on matrices"):
        ember.ones(3).H


def test_inplace_methods_and_out_return_the_same_object():
    x = ember.ones(3)
    assert x.add_(1) is x and x.mul_(2) is x and x.fill_(0) is x and x.zero_() is x
    assert x.copy_(ember.ones(3)) is x and x.clamp_(0, 1) is x and x.exp_() is x
    assert x.requires_grad_(False) is x
    y = x
    y += 1
    assert y is x
    o = ember.empty(3)
    assert ember.add(x, 1, out=o) is o
    assert x._version > 0  # a property, as in PyTorch
