"""Module backward hooks (Note [Module backward hooks]): the gradients they
see, replacing gradients, order, removal and PyTorch's error cases."""
import numpy as np
import pytest

import ember
from ember import nn


def linear64(seed=0):
    ember.manual_seed(seed)
    return nn.Linear(3, 2).double()


def test_full_hook_sees_input_and_output_gradients():
    m = linear64()
    x = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((mod, gi, go)))
    w = ember.tensor([[1.0, -2.0]], dtype=ember.float64)
    (m(x) * w).sum().backward()
    (mod, gi, go), = seen
    assert mod is m
    np.testing.assert_allclose(go[0].numpy(), np.tile(w.numpy(), (4, 1)))
    # d(sum(y * w))/dx = w @ W for every row
    np.testing.assert_allclose(gi[0].numpy(), np.tile(w.numpy() @ m.weight.detach().numpy(), (4, 1)))
    np.testing.assert_allclose(x.grad.numpy(), gi[0].numpy())


def test_full_hook_replaces_input_gradient():
    m = linear64()
    x = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 3,))
    m(x).sum().backward()
    expected = 3 * np.ones((4, 2)) @ m.weight.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), expected)
    # parameter gradients are not affected by the input-gradient replacement
    np.testing.assert_allclose(m.bias.grad.numpy(), [4.0, 4.0])


def test_pre_hook_replaces_output_gradient_before_the_module():
    m = linear64()
    x = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 0.5,))
    got = []
    m.register_full_backward_hook(lambda mod, gi, go: got.append(go[0]))
    m(x).sum().backward()
    np.testing.assert_allclose(got[0].numpy(), np.full((4, 2), 0.5))
    np.testing.assert_allclose(m.bias.grad.numpy(), [2.0, 2.0])  # the module saw the halved gradient
    np.testing.assert_allclose(x.grad.numpy(), 0.5 * np.ones((4, 2)) @ m.weight.detach().numpy())


def test_no_input_requires_grad_calls_hook_with_none_inputs():
    m = linear64()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go[0].shape)))
    m(ember.randn(2, 3, dtype=ember.float64)).sum().backward()
    assert seen == [((None,), (2, 2))]
    assert m.weight.grad is not None
    m.register_full_backward_hook(lambda mod, gi, go: (ember.ones(2, 3),))
    with pytest.raises(RuntimeError, match="no input requires gradient should always return None"):
        m(ember.randn(2, 3, dtype=ember.float64)).sum().backward()


def test_wrong_number_of_gradients_is_an_error():
    m = linear64()
    x = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
        m(x).sum().backward()
    m2 = linear64()
    m2.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_output, got 2, but expected 1"):
        m2(x).sum().backward()


class TwoInTwoOut(nn.Module):
    def forward(self, a, scale, b):
        return a * scale, a * b


def test_non_tensor_arguments_and_tuple_outputs():
    m = TwoInTwoOut()
    a = ember.tensor([1.0, 2.0], requires_grad=True)
    b = ember.tensor([3.0, 4.0])  # no grad
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    p, q = m(a, 5.0, b)
    (p.sum() + 2 * q.sum()).backward()
    (gi, go), = seen
    assert len(gi) == 3 and gi[1] is None and gi[2] is None
    np.testing.assert_allclose(gi[0].numpy(), [5 + 6, 5 + 8])
    np.testing.assert_allclose(go[0].numpy(), [1, 1])
    np.testing.assert_allclose(go[1].numpy(), [2, 2])
    np.testing.assert_allclose(a.grad.numpy(), [11, 13])


def test_hooks_in_a_sequential_run_from_last_to_first_and_remove():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    order = []
    handles = [layer.register_full_backward_hook(lambda mod, gi, go, i=i: order.append(i))
               for i, layer in enumerate(model)]
    model(ember.randn(5, 3, requires_grad=True)).sum().backward()
    assert order == [2, 1, 0]
    for h in handles:
        h.remove()
    order.clear()
    model(ember.randn(5, 3, requires_grad=True)).sum().backward()
    assert order == []


def test_prepend_and_no_grad_mode():
    m = linear64()
    order = []
    m.register_full_backward_hook(lambda *a: order.append("a"))
    m.register_full_backward_hook(lambda *a: order.append("b"), prepend=True)
    x = ember.randn(1, 3, dtype=ember.float64, requires_grad=True)
    m(x).sum().backward()
    assert order == ["b", "a"]
    with ember.no_grad():
        y = m(x)
    assert not y.requires_grad and order == ["b", "a"]
