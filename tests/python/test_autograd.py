"""The autograd engine and its Python API: the classic example, errors with
PyTorch's wording, grad modes, hooks, retain_grad, views and in-place ops,
custom Functions, higher-order gradients, functional API, memory."""
import gc
import threading

import numpy as np
import pytest

import ember
from ember.autograd import Function, gradcheck


def f64(*v):
    return ember.tensor(list(v), dtype=ember.float64)


def test_classic_example():
    x = ember.tensor(2.0, requires_grad=True)
    y = x ** 2 + 3 * x + 1
    y.backward()
    assert x.grad.item() == 7.0
    assert repr(x.grad) == "tensor(7.)"


def test_attributes_and_repr():
    x = ember.ones(3, requires_grad=True)
    assert x.is_leaf and x.grad_fn is None and x.requires_grad
    y = x * 2
    assert not y.is_leaf and y.requires_grad
    assert y.grad_fn.name() == "MulBackward0"
    assert "MulBackward0" in repr(y.grad_fn)
    assert "grad_fn=<MulBackward0>" in repr(y)
    (fn, nr), = [e for e in y.grad_fn.next_functions if e[0] is not None]
    assert fn.name() == "AccumulateGrad" and nr == 0
    assert fn.variable is x or fn.variable.data_ptr() == x.data_ptr()


def test_gradients_accumulate_until_zeroed():
    x = f64(1, 2).requires_grad_()
    for _ in range(3):
        (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6, 12])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3, 3])


def test_broadcast_gradient_is_summed_back():
    a = ember.ones(3, 1, dtype=ember.float64, requires_grad=True)
    b = ember.ones(4, dtype=ember.float64, requires_grad=True)
    (a * b * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.full((3, 1), 8.0))
    np.testing.assert_allclose(b.grad.numpy(), np.full(4, 6.0))


def test_errors_have_pytorch_wording():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        x.add_(1)
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require"):
        ember.ones(2, dtype=ember.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        ember.ones(2).sum().backward()
    z = x.exp()
    w = z.sum()
    z.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        # exp saved its output, which mul_ changed
        (w + (z.exp() * 0).sum()).backward()
        z2 = x.exp()
        s = z2.sum() * 1
        z2.add_(1)
        s.backward()


def test_version_counter_detects_modified_saved_input():
    a = ember.ones(3, requires_grad=True)
    b = ember.ones(3) * 2
    y = (a * b).sum()  # saves b for a's gradient
    b.add_(1)
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*is at version 1; expected version 0"):
        y.backward()


def test_retain_graph_allows_second_backward():
    x = f64(1, 2).requires_grad_()
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4, 8])


def test_grad_function_and_allow_unused():
    x = f64(1, 2).requires_grad_()
    z = f64(5).requires_grad_()
    y = (x * x * 3).sum()
    (gx,) = ember.autograd.grad(y, x, retain_graph=True)
    np.testing.assert_allclose(gx.numpy(), [6, 12])
    assert x.grad is None  # grad() leaves .grad alone
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        ember.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = ember.autograd.grad(y, [x, z], allow_unused=True)
    assert gz is None


def test_backward_with_inputs_only_accumulates_there():
    a = f64(1, 2).requires_grad_()
    b = f64(3, 4).requires_grad_()
    (a * b).sum().backward(inputs=[a])
    np.testing.assert_allclose(a.grad.numpy(), [3, 4])
    assert b.grad is None


def test_grad_mode_context_managers_and_decorators():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        assert not ember.is_grad_enabled()
        y = x * 2
        with ember.enable_grad():
            z = x * 2
    assert ember.is_grad_enabled()
    assert not y.requires_grad and z.requires_grad

    @ember.no_grad()
    def f(t):
        return t * 2

    @ember.no_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad
    with ember.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    ember.set_grad_enabled(False)
    assert not ember.is_grad_enabled()
    ember.set_grad_enabled(True)
    with ember.inference_mode():
        assert ember.is_inference_mode_enabled() and not (x * 2).requires_grad
    assert not ember.is_inference_mode_enabled()


def test_grad_mode_is_thread_local():
    seen = []
    with ember.no_grad():
        t = threading.Thread(target=lambda: seen.append(ember.is_grad_enabled()))
        t.start()
        t.join()
    assert seen == [True]


def test_tensor_hooks():
    x = f64(1, 2).requires_grad_()
    y = x * 3
    calls = []
    h = y.register_hook(lambda g: calls.append(g.numpy().copy()) or g * 10)
    x.register_hook(lambda g: g + 1)
    y.sum().backward()
    np.testing.assert_allclose(calls[0], [1, 1])
    np.testing.assert_allclose(x.grad.numpy(), [31, 31])
    h.remove()
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4, 4])
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        ember.ones(2).register_hook(lambda g: g)


def test_post_accumulate_grad_hook():
    x = f64(1, 2).requires_grad_()
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.numpy().copy()))
    (x * 2).sum().backward()
    np.testing.assert_allclose(seen[0], [2, 2])


def test_retain_grad():
    x = f64(1, 2).requires_grad_()
    y = x * 2
    y.retain_grad()
    assert y.retains_grad
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [4, 8])
    np.testing.assert_allclose(x.grad.numpy(), [8, 16])


def test_detach_and_detach_():
    x = f64(1, 2).requires_grad_()
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.data_ptr() == y.data_ptr()
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad


def test_requires_grad_of_non_leaf_cannot_be_cleared():
    y = ember.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)


def test_inplace_on_non_leaf_gives_right_gradient():
    x = f64(1, 2, 3).requires_grad_()
    y = x * 2
    y.mul_(x)  # y = 2 x^2
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4, 8, 12])


def test_inplace_through_view_reaches_base():
    x = f64(1, 2, 3).requires_grad_()
    base = x * 1
    view = base.narrow(0, 1, 2)
    view.mul_(10)  # base = [x0, 10 x1, 10 x2]
    assert base.grad_fn.name() == "AsStridedScatterBackward0"
    (base * f64(1, 2, 3)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1, 20, 30])


def test_copy_into_view_of_plain_tensor():
    v = f64(5, 7).requires_grad_()
    buf = ember.zeros(4, dtype=ember.float64)
    buf.narrow(0, 1, 2).copy_(v)
    assert buf.requires_grad
    (buf * f64(1, 2, 3, 4)).sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), [2, 3])


def test_view_of_leaf_inplace_is_refused():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x.narrow(0, 0, 2).mul_(2)


def test_views_of_views_route_gradients():
    x = ember.arange(12, dtype=ember.float64).requires_grad_()
    y = x.view(3, 4).t().narrow(0, 1, 2).select(1, 2)  # elements x[2*4+1], x[2*4+2]
    (y * f64(1, 2)).sum().backward()
    expected = np.zeros(12)
    expected[9], expected[10] = 1, 2
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_integer_outputs_are_not_differentiable():
    x = f64(3, 1, 2).requires_grad_()
    v, i = ember.sort(x)
    assert v.requires_grad and not i.requires_grad
    assert not ember.argmax(x).requires_grad


def test_custom_function():
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = f64(0.5, 1.0).requires_grad_()
    y = Exp.apply(x)
    assert y.grad_fn.name() == "ExpBackward"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, 1.0]))
    assert gradcheck(Exp.apply, (f64(0.1, 0.2).requires_grad_(),))


def test_custom_function_needs_input_grad_and_non_differentiable():
    class Split(Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.scale = scale
            idx = ember.argmax(x)
            ctx.mark_non_differentiable(idx)
            return x * scale, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            assert ctx.needs_input_grad == (True, False)
            return g * ctx.scale, None

    x = f64(1, 3).requires_grad_()
    y, idx = Split.apply(x, 4.0)
    assert not idx.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4, 4])


def test_custom_function_mark_dirty():
    class AddOne(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    a = f64(1, 2).requires_grad_()
    b = a * 2
    c = AddOne.apply(b)
    assert c is b and b.grad_fn.name() == "AddOneBackward"
    c.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [2, 2])


def test_higher_order_gradients():
    x = ember.tensor(3.0, dtype=ember.float64, requires_grad=True)
    y = x ** 3
    (g,) = ember.autograd.grad(y, x, create_graph=True)
    assert g.item() == 27.0
    (gg,) = ember.autograd.grad(g, x)
    assert gg.item() == 18.0


def test_hessian_vector_product_of_small_mlp():
    rng = np.random.default_rng(0)
    w1 = ember.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w2 = ember.tensor(rng.standard_normal((1, 4)), requires_grad=True)
    xin = ember.tensor(rng.standard_normal((5, 3)))

    def loss_fn(a, b):
        h = ember.sigmoid(xin @ a.t())
        return ((h @ b.t()) ** 2).mean()

    v = (ember.tensor(rng.standard_normal((4, 3))), ember.tensor(rng.standard_normal((1, 4))))
    _, hv = ember.autograd.functional.hvp(loss_fn, (w1, w2), v)
    # Finite differences of the gradient along v.
    eps = 1e-6

    def grads(a, b):
        a = a.detach().requires_grad_()
        b = b.detach().requires_grad_()
        return ember.autograd.grad(loss_fn(a, b), (a, b))

    gp = grads(w1 + eps * v[0], w2 + eps * v[1])
    gm = grads(w1 - eps * v[0], w2 - eps * v[1])
    for h, p, m in zip(hv, gp, gm):
        np.testing.assert_allclose(h.numpy(), ((p - m) / (2 * eps)).numpy(), rtol=1e-5, atol=1e-7)


def test_functional_jacobian_hessian_vjp_jvp():
    F = ember.autograd.functional
    x = f64(1, 2)

    def f(t):
        return t * t * f64(3, 5)

    J = F.jacobian(f, x)
    np.testing.assert_allclose(J.numpy(), np.diag([6, 20]))
    out, vjp = F.vjp(f, x, f64(1, 1))
    np.testing.assert_allclose(vjp.numpy(), [6, 20])
    out, jvp = F.jvp(f, x, f64(1, 0))
    np.testing.assert_allclose(jvp.numpy(), [6, 0])
    H = F.hessian(lambda t: (t ** 3).sum(), x)
    np.testing.assert_allclose(H.numpy(), np.diag([6, 12]))


def test_gradcheck_detects_wrong_gradient():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradcheck(Wrong.apply, (f64(1, 2).requires_grad_(),))
    assert not gradcheck(Wrong.apply, (f64(1, 2).requires_grad_(),), raise_exception=False)


def test_complex_gradient_convention():
    # |z|^2 = x^2 + y^2: the gradient is dL/dx + i dL/dy = 2z, as PyTorch.
    z = ember.tensor([1 + 2j], requires_grad=True)
    (z * z.conj()).real.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [2 + 4j])


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_graph_is_freed_and_memory_is_steady():
    # 100,000 forward/backward steps: no node outlives its step and the
    # process does not grow.
    live = ember._C._autograd._live_nodes
    w = ember.ones(4, requires_grad=True)
    x = ember.ones(4)

    def step():
        y = ((x * w).exp() * w).sum()
        y.backward()
        w.grad = None

    for _ in range(1000):
        step()
    gc.collect()
    baseline, rss = live(), _rss_bytes()
    for _ in range(100_000):
        step()
    gc.collect()
    assert live() == baseline
    assert _rss_bytes() - rss < 8 * 2**20


def test_no_reference_cycle_between_tensor_and_graph():
    live = ember._C._autograd._live_nodes
    gc.collect()
    before = live()
    x = ember.ones(3, requires_grad=True)
    y = ember.softmax(x * 2, 0).sum()  # softmax saves its own output
    assert live() > before
    del y
    assert live() == before  # the nodes (AccumulateGrad too) died with y
