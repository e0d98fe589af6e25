"""Property tests for views: random chains of view ops applied side by side
to an ember tensor and a NumPy array.

Both start from arange over a random shape, so every element of a NumPy
view holds its own flat position in the base. After each step the values
and shapes must agree and the ember result must share the base's storage;
at the end a write through the ember view must change the base exactly at
the positions the NumPy view holds."""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import ember

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=False)
MAX_NUMEL = 4096


def numpy_can_view(a, shape):
    """Whether NumPy can reshape a to shape without copying."""
    try:
        np.reshape(a, shape, copy=False)
        return True
    except ValueError:
        return False


# ---- basic indices


def draw_basic_index(data, shape, allow_bool=True):
    """A random basic index for shape: ints, slices, None, at most one
    Ellipsis, and booleans only when there are no ints (there NumPy and
    PyTorch place the broadcast dim differently). Returns (index,
    view_index, false_dim): view_index spells a boolean as None, and
    false_dim is the result dim a False empties, so that NumPy can give a
    view where its own boolean indexing would copy."""
    nd = len(shape)
    use_ellipsis = data.draw(st.booleans(), label="ellipsis")
    n_lead = data.draw(st.integers(0, nd), label="lead")
    n_trail = data.draw(st.integers(0, nd - n_lead), label="trail") if use_ellipsis else 0
    dims = list(range(n_lead)) + list(range(nd - n_trail, nd))
    entries = []
    for d in dims:
        size = shape[d]
        if size > 0 and data.draw(st.integers(0, 3), label="int?") == 0:
            entries.append(data.draw(st.integers(-size, size - 1), label="int"))
        else:
            bound = st.none() | st.integers(-size - 2, size + 2)
            step = data.draw(st.none() | st.integers(1, 4), label="step")
            entries.append(slice(data.draw(bound, label="start"), data.draw(bound, label="stop"), step))
    if use_ellipsis:
        entries.insert(n_lead, Ellipsis)
    for _ in range(data.draw(st.integers(0, 2), label="nones")):
        entries.insert(data.draw(st.integers(0, len(entries)), label="none at"), None)
    has_int = any(isinstance(e, int) for e in entries)
    if allow_bool and not has_int and data.draw(st.integers(0, 3), label="bool?") == 0:
        entries.insert(data.draw(st.integers(0, len(entries)), label="bool at"), data.draw(st.booleans()))
    idx = tuple(entries)
    view_idx = tuple(None if isinstance(e, bool) else e for e in entries)
    false_dim = None
    if False in [e for e in entries if isinstance(e, bool)]:
        pos = next(i for i, e in enumerate(entries) if e is False)
        before = entries[:pos]
        false_dim = sum(1 for e in before if e is None or isinstance(e, (bool, slice)))
        if Ellipsis in before:
            false_dim += nd - len(dims)
    return idx, view_idx, false_dim


def numpy_view_of_index(a, idx, view_idx, false_dim):
    r = a[view_idx]
    if false_dim is not None:
        r = r[(slice(None),) * false_dim + (slice(0, 0),)]
    return r


# ---- the view ops: each returns (tensor, array) or None when it does not apply


def op_index(data, t, a):
    idx, view_idx, false_dim = draw_basic_index(data, a.shape)
    r = t[idx]
    expected = a[idx]  # NumPy's own answer (a copy when there is a bool)
    np.testing.assert_array_equal(np.asarray(r), expected)
    assert tuple(r.shape) == expected.shape
    mirror = numpy_view_of_index(a, idx, view_idx, false_dim)
    assert mirror.shape == expected.shape
    return r, mirror


def op_transpose(data, t, a):
    if a.ndim == 0:
        return None
    d0 = data.draw(st.integers(-a.ndim, a.ndim - 1), label="d0")
    d1 = data.draw(st.integers(-a.ndim, a.ndim - 1), label="d1")
    return t.transpose(d0, d1), np.swapaxes(a, d0, d1)


def op_permute(data, t, a):
    perm = data.draw(st.permutations(range(a.ndim)), label="perm")
    return t.permute(*perm), np.transpose(a, perm)


def op_t(data, t, a):
    if a.ndim > 2:
        return None
    return t.t(), a.T


def op_T(data, t, a):
    return t.T, np.transpose(a)


def op_unsqueeze(data, t, a):
    d = data.draw(st.integers(-a.ndim - 1, a.ndim), label="dim")
    return t.unsqueeze(d), np.expand_dims(a, d)


def op_squeeze(data, t, a):
    if a.ndim == 0 or data.draw(st.booleans(), label="all"):
        return t.squeeze(), np.squeeze(a)
    d = data.draw(st.integers(-a.ndim, a.ndim - 1), label="dim")
    return t.squeeze(d), (np.squeeze(a, d) if a.shape[d] == 1 else a)


def op_expand(data, t, a):
    lead = data.draw(st.lists(st.integers(0, 3), max_size=2), label="lead")
    sizes, target = list(lead), list(lead)
    for s in a.shape:
        new = data.draw(st.sampled_from([1, 2, 3, -1]) if s == 1 else st.sampled_from([s, -1]), label="size")
        sizes.append(new)
        target.append(s if new == -1 else new)
    if math.prod(target) > MAX_NUMEL:
        return None
    return t.expand(*sizes), np.broadcast_to(a, target)


def op_narrow(data, t, a):
    if a.ndim == 0:
        return None
    d = data.draw(st.integers(-a.ndim, a.ndim - 1), label="dim")
    size = a.shape[d]
    start = data.draw(st.integers(-size, size), label="start")
    s0 = start + size if start < 0 else start
    length = data.draw(st.integers(0, size - s0), label="length")
    key = [slice(None)] * a.ndim
    key[d] = slice(s0, s0 + length)
    return t.narrow(d, start, length), a[tuple(key)]


def op_select(data, t, a):
    if a.ndim == 0:
        return None
    d = data.draw(st.integers(-a.ndim, a.ndim - 1), label="dim")
    if a.shape[d] == 0:
        return None
    i = data.draw(st.integers(-a.shape[d], a.shape[d] - 1), label="index")
    key = [slice(None)] * a.ndim
    key[d] = i
    return t.select(d, i), a[tuple(key)]


def op_diagonal(data, t, a):
    if a.ndim < 2:
        return None
    offset = data.draw(st.integers(-4, 4), label="offset")
    d1, d2 = data.draw(st.permutations(range(a.ndim)), label="dims")[:2]
    if data.draw(st.booleans(), label="negative dims"):
        d1 -= a.ndim
    return t.diagonal(offset, d1, d2), np.diagonal(a, offset, d1, d2)


def op_flatten(data, t, a):
    if a.ndim == 0:
        return t.flatten(), a.reshape(1)
    start = data.draw(st.integers(0, a.ndim - 1), label="start")
    end = data.draw(st.integers(start, a.ndim - 1), label="end")
    shape = a.shape[:start] + (math.prod(a.shape[start:end + 1]),) + a.shape[end + 1:]
    return reshape_like(t, a, shape, lambda: t.flatten(start, end))


def op_unflatten(data, t, a):
    if a.ndim == 0:
        return None
    d = data.draw(st.integers(-a.ndim, a.ndim - 1), label="dim")
    size = a.shape[d]
    divisors = [k for k in range(1, size + 1) if size % k == 0] or [0]
    k = data.draw(st.sampled_from(divisors), label="k")
    sizes = [k, size // k if k else 0]
    if size > 0 and data.draw(st.booleans(), label="infer"):
        sizes[data.draw(st.integers(0, 1), label="which")] = -1
    dd = d % a.ndim
    shape = a.shape[:dd] + (k, size // k if k else 0) + a.shape[dd + 1:]
    r = t.unflatten(d, sizes)
    assert tuple(r.shape) == shape
    return r, a.reshape(shape)


def random_shape(data, numel):
    """A shape with numel elements: numel's prime factors grouped at random,
    with size-1 dims sprinkled in (and a 0 when numel is 0)."""
    if numel == 0:
        dims = data.draw(st.lists(st.integers(1, 3), max_size=3), label="dims")
        dims.insert(data.draw(st.integers(0, len(dims)), label="zero at"), 0)
        return tuple(dims)
    factors, n, p = [], numel, 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    factors = data.draw(st.permutations(factors), label="factors")
    dims = []
    for f in factors:
        if dims and data.draw(st.booleans(), label="merge"):
            dims[-1] *= f
        else:
            dims.append(f)
    for _ in range(data.draw(st.integers(0, 2), label="ones")):
        dims.insert(data.draw(st.integers(0, len(dims)), label="one at"), 1)
    return tuple(dims)


def reshape_like(t, a, shape, make):
    """Applies a reshaping op when a view is possible; otherwise checks that
    view() refuses and reshape() copies, and leaves the chain unchanged."""
    if numpy_can_view(a, shape):
        return make(), a.reshape(shape)
    event("reshape needs a copy")
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        t.view(*shape)
    copied = t.reshape(*shape)
    assert copied._base_data_ptr != t._base_data_ptr
    np.testing.assert_array_equal(np.asarray(copied), a.reshape(shape))
    return None


def op_view(data, t, a):
    shape = random_shape(data, a.size)
    spelled = list(shape)
    if a.size > 0 and spelled and data.draw(st.booleans(), label="infer"):
        spelled[data.draw(st.integers(0, len(spelled) - 1), label="which")] = -1
    use_reshape = data.draw(st.booleans(), label="reshape")
    return reshape_like(t, a, shape, lambda: t.reshape(*spelled) if use_reshape else t.view(*spelled))


OPS = [op_index, op_index, op_index, op_transpose, op_permute, op_t, op_T, op_unsqueeze, op_squeeze, op_expand,
       op_narrow, op_select, op_diagonal, op_flatten, op_unflatten, op_view]


# ---- writes through the final view


def check_write(data, base, t, positions):
    """Writes through t and checks the base changed exactly at `positions`
    (the flat base positions t's elements refer to)."""
    expected = np.arange(base.numel()).reshape(tuple(base.shape))
    overlap = positions.size != np.unique(positions).size
    kind = data.draw(st.sampled_from(["fill_", "setitem scalar", "setitem tensor", "copy_", "copy_ broadcast"]),
                     label="write")
    if t.numel() == 0 and any(st_ == 0 and n > 1 for st_, n in zip(t.stride(), t.shape)):
        # copy_ refuses empty expanded tensors (PyTorch accepts them as they
        # hold no element); reported as a copy_ bug, not indexing's to fix.
        kind = "fill_"
    version = base._version
    if kind == "fill_":
        t.fill_(-1)
        expected.flat[positions] = -1
    elif kind == "setitem scalar":
        idx, _, _ = draw_basic_index(data, positions.shape)
        t[idx] = -2
        expected.flat[positions[idx]] = -2
    else:
        if kind == "copy_ broadcast" and positions.ndim > 0:
            values = -1000 - np.arange(positions.shape[-1])
        else:
            values = -1000 - np.arange(positions.size).reshape(positions.shape)
        src = ember.tensor(values)
        if overlap and t.numel() > 0:
            event("write refused: overlapping view")
            with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
                t[...] = src
            return
        if kind == "setitem tensor":
            t[...] = src
        else:
            t.copy_(src)
        expected.flat[positions] = np.broadcast_to(values, positions.shape)
    np.testing.assert_array_equal(np.asarray(base), expected)
    assert base._version == version + 1


# ---- the properties


@st.composite
def base_shapes(draw):
    return tuple(draw(st.lists(st.integers(0, 4) | st.integers(1, 4), min_size=0, max_size=4)))


@SETTINGS
# dtypes are drawn by name: hypothesis keeps drawn values alive past the
# module's teardown, which nanobind would report as leaked dtype objects.
@given(shape=base_shapes(), dtype_name=st.sampled_from(["int64", "float64", "int32"]), data=st.data())
def test_view_chains_match_numpy_and_write_through(shape, dtype_name, data):
    dtype = getattr(ember, dtype_name)
    n = math.prod(shape)
    base = ember.arange(n, dtype=dtype).view(*shape) if shape else ember.tensor(0, dtype=dtype)
    a = np.arange(n).reshape(shape)
    t = base
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        op = data.draw(st.sampled_from(OPS), label="op")
        out = op(data, t, a)
        if out is None:
            continue
        event(op.__name__)
        t, a = out
        assert tuple(t.shape) == a.shape, op.__name__
        np.testing.assert_array_equal(np.asarray(t), a)
        assert t._base_data_ptr == base._base_data_ptr, op.__name__
        assert t.dtype == dtype
    check_write(data, base, t, np.asarray(a))


@SETTINGS
@given(shape=base_shapes(), data=st.data())
def test_basic_index_matches_numpy(shape, data):
    n = math.prod(shape)
    t = ember.arange(n).view(*shape) if shape else ember.tensor(0)
    a = np.arange(n).reshape(shape)
    idx, view_idx, _ = draw_basic_index(data, shape)
    r = t[idx]
    expected = a[idx]
    assert tuple(r.shape) == expected.shape
    np.testing.assert_array_equal(np.asarray(r), expected)
    assert r._base_data_ptr == t._base_data_ptr
    # A single-entry index behaves like the same entry outside a tuple.
    if len(idx) == 1:
        np.testing.assert_array_equal(np.asarray(t[idx[0]]), a[idx[0]])


@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4), data=st.data())
def test_view_of_strided_tensor_possible_exactly_when_numpy_can(shape, data):
    # Permuting and slicing make the strides irregular; view() must then
    # succeed exactly where NumPy reshapes without copying.
    n = math.prod(shape)
    t = ember.arange(n).view(*shape)
    a = np.arange(n).reshape(shape)
    perm = data.draw(st.permutations(range(len(shape))), label="perm")
    t, a = t.permute(*perm), a.transpose(perm)
    if data.draw(st.booleans(), label="slice"):
        d = data.draw(st.integers(0, a.ndim - 1), label="dim")
        step = data.draw(st.integers(1, 2), label="step")
        key = (slice(None),) * d + (slice(None, None, step),)
        t, a = t[key], a[key]
    shape2 = random_shape(data, a.size)
    if numpy_can_view(a, shape2):
        r = t.view(*shape2)
        assert r._base_data_ptr == t._base_data_ptr
        np.testing.assert_array_equal(np.asarray(r), a.reshape(shape2))
    else:
        event("view refused")
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            t.view(*shape2)
