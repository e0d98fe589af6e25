"""The per-call shortcuts of small ops (issue 3) against the general code
they stand in for: Tensor operators as type slots (Note [Operator slots]),
the trivial iteration of contiguous and one-element operands (Note [Trivial
iteration]) and the reused 0-dim tensors of Python numbers (Note [Wrapped
numbers]). Each case computes the same op once on operands that take the
shortcut and once on strided copies that take the general path, and
compares dtype, shape and every value (and gradients)."""
import operator

import numpy as np
import pytest

import ember

DTYPES = [ember.bool, ember.uint8, ember.int8, ember.int16, ember.int32, ember.int64,
          ember.float16, ember.bfloat16, ember.float32, ember.float64, ember.complex64, ember.complex128]


def non_contiguous(t):
    """The values of t in a tensor that is not contiguous (needs numel > 1)."""
    base = ember.empty(tuple(t.shape) + (2,), dtype=t.dtype)
    base[..., 0].copy_(t)
    v = base[..., 0]
    assert not v.is_contiguous()
    return v


def same(a, b):
    assert a.dtype == b.dtype
    assert a.shape == b.shape
    x, y = a.to(ember.float64 if not a.is_complex() else ember.complex128), \
        b.to(ember.float64 if not b.is_complex() else ember.complex128)
    np.testing.assert_array_equal(x.numpy(), y.numpy())


def sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.uniform(-4, 4, size=shape)
    if dtype == ember.bool:
        return ember.tensor(v > 0)
    if dtype in (ember.uint8,):
        return ember.tensor(np.abs(v).astype(np.int64) + 1).to(dtype)
    if not (dtype.is_floating_point or dtype.is_complex):
        v = np.where(np.abs(v) < 1, 2.0, v)  # no zero divisors
        return ember.tensor(v.astype(np.int64)).to(dtype)
    t = ember.tensor(v).to(dtype)
    if dtype.is_complex:
        t = t + 0.5j
    return t


ARITH = [operator.add, operator.sub, operator.mul, operator.truediv]


def defined(op, dtype, scalar=None):
    """Bool subtraction and ordering of complex numbers are errors (tested
    elsewhere), so those combinations are not generated."""
    if op is operator.sub and (dtype == ember.bool or isinstance(scalar, bool)):
        return False
    return not (op is operator.lt and dtype.is_complex)


@pytest.mark.parametrize("dtype,op", [(d, op) for d in DTYPES for op in ARITH + [operator.eq, operator.lt]
                                      if defined(op, d)], ids=str)
def test_same_shape_contiguous_matches_general_path(dtype, op):
    a, b = sample(dtype, (3, 4), 1), sample(dtype, (3, 4), 2)
    same(op(a, b), op(non_contiguous(a), non_contiguous(b)))
    same(op(a, b), op(a, non_contiguous(b)))


@pytest.mark.parametrize("dtype,op,scalar", [(d, op, s) for d in DTYPES for op in ARITH
                                             for s in (3, 2.5, True, 1.5 - 2j) if defined(op, d, s)], ids=str)
def test_python_scalars_on_either_side_match_general_path(dtype, op, scalar):
    a = sample(dtype, (5,), 3)
    for left in (True, False):
        got = op(scalar, a) if left else op(a, scalar)
        # A Python number is weak: the same as a wrapped scalar through the
        # general path of a strided tensor.
        ref = op(scalar, non_contiguous(a)) if left else op(non_contiguous(a), scalar)
        same(got, ref)


@pytest.mark.parametrize("dtype", [ember.int32, ember.float32, ember.float64, ember.complex64], ids=str)
def test_zero_dim_and_one_element_tensors(dtype):
    a = sample(dtype, (3, 4), 4)
    z = sample(dtype, (), 5)
    one = sample(dtype, (1,), 6)
    one2 = sample(dtype, (1, 1), 7)
    for other in (z, one, one2):
        same(a + other, non_contiguous(a) + other)
        same(other * a, other * non_contiguous(a))
        same(other - a, (other - non_contiguous(a)))
    # 0-dim with 0-dim stays 0-dim; dims of a one-element operand count.
    assert (z + z).shape == ()
    assert (one + z).shape == (1,)
    assert (sample(dtype, (3,), 8) + one2).shape == (1, 3)
    # A zero-dim tensor does not decide the dtype of a dimensioned one.
    assert (ember.ones(3, dtype=ember.float16) + ember.tensor(2.5, dtype=ember.float64)).dtype == ember.float16


def test_requires_grad_inputs_record_the_same_graph():
    for make in (lambda t: t, non_contiguous):
        x = ember.tensor([1.0, 2.0, 3.0], dtype=ember.float64, requires_grad=True)
        y = ember.tensor([4.0, 5.0, 6.0], dtype=ember.float64, requires_grad=True)
        out = make(x) * make(y) + 2.0 * make(x) - make(y) / 4.0
        assert out.grad_fn is not None and out.grad_fn.name() == "SubBackward0"
        out.sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), [6.0, 7.0, 8.0])
        np.testing.assert_array_equal(y.grad.numpy(), [0.75, 1.75, 2.75])


def test_saved_python_scalars_survive_later_ops():
    # mul saves its scalar for the backward of x; later scalars must not
    # overwrite it (Note [Wrapped numbers]).
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    ys = [x * float(k) for k in range(2, 6)]
    for k, y in zip(range(2, 6), ys):
        x.grad = None
        y.sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), [float(k), float(k)])
    # pow saves its exponent the same way, where() holds two at once.
    z = x ** 3.0
    _ = x ** 7.0
    x.grad = None
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 12.0])
    c = ember.tensor([True, False])
    np.testing.assert_array_equal(ember.where(c, 1.0, 0.0).numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(ember.where(c, 2, 3.5).numpy(), [2.0, 3.5])


def test_scalar_conversion_to_compute_dtype_is_the_copy_conversion():
    for dtype in (ember.int8, ember.uint8, ember.int16, ember.float16, ember.bfloat16):
        for v in (300, -129, 2 ** 40, 7):
            got = ember.zeros(2, dtype=dtype) + v
            ref = ember.zeros(2, dtype=dtype) + ember.tensor(v).to(dtype)
            same(got, ref)
    for v in (70000.0, 1e-9, 3.3):
        same(ember.zeros(2, dtype=ember.float16) + v,
             ember.zeros(2, dtype=ember.float16) + ember.tensor(v, dtype=ember.float64).to(ember.float16))


def test_inplace_operators_keep_the_object_and_match_general_path():
    for dtype in (ember.int64, ember.float32, ember.complex128):
        a = sample(dtype, (4,), 9)
        b = sample(dtype, (4,), 10)
        x, y = a.clone(), non_contiguous(a.clone())
        xid = id(x)
        x += b
        x *= 2
        x -= b
        y += b
        y *= 2
        y -= b
        assert id(x) == xid
        same(x, y)
    t = ember.tensor([1.0, 2.0])
    v = t._version
    t /= 2
    assert t._version == v + 1
    with pytest.raises(TypeError, match=r"\[add_\] expected a Tensor or a number, got list"):
        t += [1]
    with pytest.raises(RuntimeError, match="can't be cast"):
        i = ember.tensor([1, 2])
        i += 1.5
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        s = ember.zeros(1)
        s += ember.ones(3)


class Other:
    """A type the operators know nothing about, with its own reflected ops."""

    def __radd__(self, other):
        return "radd"

    def __rmul__(self, other):
        return "rmul"

    def __eq__(self, other):
        return "eq"

    def __gt__(self, other):
        return "gt"


def test_unknown_operands_give_notimplemented():
    t = ember.tensor([1.0, 2.0])
    assert t + Other() == "radd"
    assert t * Other() == "rmul"
    assert (t == Other()) == "eq"  # Other.__eq__ answers the reflected ==
    assert (t < Other()) == "gt"
    assert t.__add__([1]) is NotImplemented
    assert t.__radd__("x") is NotImplemented
    assert (t == None).__class__ is bool and (t == None) is False  # noqa: E711
    assert (t != None) is True  # noqa: E711
    with pytest.raises(TypeError, match="unsupported operand"):
        t - object()
    with pytest.raises(TypeError):
        pow(t, 2, 3)


def test_operator_slots_cover_every_operator():
    t = ember.tensor([5, 6, 7])
    f = ember.tensor([0.5, 2.0, 4.0])
    n = np.array([1, 2, 3])
    assert (t + n).tolist() == [6, 8, 10] and (n + t).tolist() == [6, 8, 10]
    assert (t - 1).tolist() == [4, 5, 6] and (1 - t).tolist() == [-4, -5, -6]
    assert (t * 2).tolist() == [10, 12, 14] and (2 * t).tolist() == [10, 12, 14]
    assert (f / 2).tolist() == [0.25, 1.0, 2.0] and (2 / f).tolist() == [4.0, 1.0, 0.5]
    assert (t // 2).tolist() == [2, 3, 3] and (20 // t).tolist() == [4, 3, 2]
    assert (t % 4).tolist() == [1, 2, 3] and (20 % t).tolist() == [0, 2, 6]
    assert (t ** 2).tolist() == [25, 36, 49] and (2 ** t).tolist() == [32, 64, 128]
    assert (t & 3).tolist() == [1, 2, 3] and (t | 8).tolist() == [13, 14, 15] and (t ^ 1).tolist() == [4, 7, 6]
    assert (t << 1).tolist() == [10, 12, 14] and (t >> 1).tolist() == [2, 3, 3]
    assert (t == 6).tolist() == [False, True, False] and (t != 6).tolist() == [True, False, True]
    assert (t < 6).tolist() == [True, False, False] and (6 > t).tolist() == [True, False, False]
    assert (t <= 6).tolist() == [True, True, False] and (t >= 6).tolist() == [False, True, True]
    assert Ember_methods_exist()
    assert hash(t) == id(t) or hash(t) == hash(id(t))
    assert len({t, t, f}) == 2


def Ember_methods_exist():
    names = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
             "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__and__", "__rand__",
             "__or__", "__ror__", "__xor__", "__rxor__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__",
             "__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__", "__ipow__",
             "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__",
             "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__"]
    t = ember.tensor([3.0])
    for name in names:
        assert callable(getattr(ember.Tensor, name)), name
    assert t.__rsub__(1).tolist() == [-2.0]
    assert t.__rpow__(2).tolist() == [8.0]
    return True


def test_parameter_subclass_uses_the_slots_and_returns_tensors():
    p = ember.nn.Parameter(ember.tensor([1.0, 2.0]))
    t = ember.tensor([3.0, 4.0])
    for r in (p + t, t + p, p * 2, 2 * p, p == p, -p):
        assert type(r) is ember.Tensor
    assert (p + t).grad_fn.name() == "AddBackward0"

    class Sub(ember.Tensor):
        def __add__(self, other):
            return "sub-add"

    s = Sub(t)
    assert s + 1 == "sub-add"
    assert (s * 2).tolist() == [6.0, 8.0]


def test_uninitialised_subclass_instance_is_refused_not_crashing():
    class Sub(ember.Tensor):
        def __init__(self):
            pass  # never initialises the C++ tensor

    s = Sub()
    t = ember.tensor([1.0])
    with pytest.raises(TypeError):
        t + s
    with pytest.raises(TypeError):
        s + t
    assert (t == s) is False


def test_errors_keep_their_types_and_messages():
    with pytest.raises(RuntimeError, match=r"\[add\] The size of tensor a \(2\) must match the size of tensor b \(3\)"):
        ember.ones(2) + ember.ones(3)
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        ember.tensor([True]) - ember.tensor([False])
    with pytest.raises(TypeError, match=r"\[bitwise_and\]"):
        ember.ones(2) & ember.ones(2)
    with pytest.raises(RuntimeError, match="ZeroDivisionError|division by zero|[Dd]ivision"):
        ember.tensor([1]) // ember.tensor([0])


def test_many_tiny_ops_keep_memory_steady():
    # Pooled result objects, reused scalars and the allocator's free lists
    # must not grow with the number of ops.
    a, b = ember.ones(1), ember.ones(1)
    for _ in range(1000):
        a + b, a * 2.0, 1 - b
    before = ember._C._allocator_stats()["allocated_bytes"]
    for _ in range(20000):
        a + b, a * 2.0, 1 - b, a == b
    assert ember._C._allocator_stats()["allocated_bytes"] == before
