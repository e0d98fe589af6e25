"""nn.Module and nn.Parameter: registration, iteration, modes, conversion,
state_dict, hooks and repr, against PyTorch's documented behaviour."""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import ember
import ember.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2, bias=False)
        self.register_buffer("running", ember.zeros(2))
        self.register_buffer("scratch", ember.ones(1), persistent=False)

    def forward(self, x):
        return self.fc2(ember.tanh(self.fc1(x))) + self.running


# ---- Parameter ---------------------------------------------------------------


def test_parameter_is_a_tensor_sharing_data():
    data = ember.tensor([1.0, 2.0, 3.0])
    p = nn.Parameter(data)
    assert isinstance(p, ember.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and not data.requires_grad
    data.fill_(4.0)  # shares memory with data
    assert p.tolist() == [4.0, 4.0, 4.0]
    p.detach().zero_()
    assert data.tolist() == [0.0, 0.0, 0.0]
    assert not nn.Parameter(data, requires_grad=False).requires_grad


def test_tensor_constructor_makes_detached_alias():
    x = ember.ones(2, requires_grad=True)
    y = ember.Tensor(x)
    assert type(y) is ember.Tensor and not y.requires_grad and y.data_ptr() == x.data_ptr()
    with pytest.raises(TypeError):
        ember.Tensor([1.0, 2.0])


def test_parameter_ops_return_plain_tensors():
    p = nn.Parameter(ember.ones(2, 2))
    for out in (p + 1, p * p, ember.matmul(p, p), p.view(4), p.detach(), p.sum()):
        assert type(out) is ember.Tensor
    np.testing.assert_allclose(ember.matmul(p, p).detach().numpy(), np.full((2, 2), 2.0))


def test_parameter_repr_and_default():
    p = nn.Parameter(ember.tensor([1.0, 2.0]))
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert str(p) == repr(p)
    assert nn.Parameter().shape == (0,)
    with pytest.raises(TypeError, match="data must be a Tensor"):
        nn.Parameter([1.0, 2.0])


def test_parameter_deepcopy_copies_data_and_grad():
    p = nn.Parameter(ember.tensor([1.0, 2.0]))
    p.grad = ember.tensor([0.5, 0.5])
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad
    q.detach().zero_()
    assert p.tolist() == [1.0, 2.0]
    assert q.grad.tolist() == [0.5, 0.5]


# ---- registration --------------------------------------------------------------


def test_setattr_registers_parameters_buffers_modules():
    net = Net()
    assert list(net._parameters) == []
    assert list(net._modules) == ["fc1", "fc2"]
    assert list(net._buffers) == ["running", "scratch"]
    assert list(net.fc1._parameters) == ["weight", "bias"]
    assert net.fc2.bias is None
    assert "fc1" not in net.__dict__  # lives in _modules, found by __getattr__


def test_setattr_reassignment_moves_between_registries():
    m = nn.Module()
    m.x = nn.Parameter(ember.ones(1))
    assert "x" in m._parameters
    m.x = None  # allowed: parameter slot set to None
    assert m._parameters["x"] is None
    m.y = nn.Linear(1, 1)
    m.y = nn.Parameter(ember.ones(2))  # a module name can become a parameter
    assert "y" not in m._modules and "y" in m._parameters
    m.register_buffer("b", ember.zeros(3))
    m.b = ember.ones(3)
    assert m._buffers["b"].tolist() == [1.0, 1.0, 1.0]
    m.plain = 5
    assert m.__dict__["plain"] == 5


def test_setattr_errors_match_pytorch():
    m = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"cannot assign 'ember.FloatTensor' as parameter 'weight' "
                                        r"\(ember.nn.Parameter or None expected\)"):
        m.weight = ember.ones(2, 2)
    seq = nn.Sequential(nn.Linear(1, 1))
    with pytest.raises(TypeError, match=r"cannot assign 'int' as child module '0' \(ember.nn.Module or None "
                                        r"expected\)"):
        setattr(seq, "0", 3)
    m.register_buffer("buf", ember.zeros(1))
    with pytest.raises(TypeError, match=r"cannot assign 'str' as buffer 'buf' \(ember.Tensor or None expected\)"):
        m.buf = "no"


def test_assign_before_init_raises():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ember.ones(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Bad()

    class BadMod(nn.Module):
        def __init__(self):
            self.l = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\) call"):
        BadMod()


def test_register_buffer_and_parameter_errors():
    m = nn.Module()
    with pytest.raises(KeyError) as e:
        m.register_buffer("a.b", ember.zeros(1))
    assert e.value.args[0] == 'buffer name can\'t contain "."'
    with pytest.raises(KeyError) as e:
        m.register_buffer("", ember.zeros(1))
    assert e.value.args[0] == 'buffer name can\'t be empty string ""'
    with pytest.raises(TypeError, match="buffer name should be a string. Got int"):
        m.register_buffer(1, ember.zeros(1))
    with pytest.raises(TypeError, match=r"cannot assign 'list' object to buffer 'x'"):
        m.register_buffer("x", [1])
    m.attr = 1
    with pytest.raises(KeyError, match="attribute 'attr' already exists"):
        m.register_buffer("attr", ember.zeros(1))
    with pytest.raises(KeyError, match="attribute 'attr' already exists"):
        m.register_parameter("attr", None)
    with pytest.raises(TypeError, match=r"cannot assign 'ember.FloatTensor' object to parameter 'p' "
                                        r"\(ember.nn.Parameter or None required\)"):
        m.register_parameter("p", ember.zeros(1))
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        m.add_module("x", 3)
    with pytest.raises(KeyError) as e:
        m.add_module("a.b", nn.Identity())
    assert e.value.args[0] == 'module name can\'t contain ".", got: a.b'
    m.register_module("child", nn.Identity())
    assert isinstance(m.child, nn.Identity)


def test_getattr_and_delattr():
    net = Net()
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        net.nope
    del net.fc2
    del net.running
    assert "fc2" not in net._modules and "running" not in net._buffers
    del net.scratch
    assert "scratch" not in net._non_persistent_buffers_set
    net.plain = 1
    del net.plain
    assert not hasattr(net, "plain")
    with pytest.raises(AttributeError):
        del net.nothing


def test_dir_lists_registered_names():
    names = dir(Net())
    for n in ("fc1", "fc2", "running", "scratch", "forward", "training"):
        assert n in names


def test_init_rejects_unexpected_arguments():
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        nn.Module(foo=1)


# ---- iteration -----------------------------------------------------------------


def test_named_parameters_buffers_modules():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight"]
    assert [n for n, _ in net.named_parameters(prefix="net")] == ["net.fc1.weight", "net.fc1.bias",
                                                                  "net.fc2.weight"]
    assert list(net.named_parameters(recurse=False)) == []
    assert len(list(net.parameters())) == 3
    assert [n for n, _ in net.named_buffers()] == ["running", "scratch"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "fc2"]
    assert [n for n, _ in net.named_children()] == ["fc1", "fc2"]
    assert list(net.children()) == [net.fc1, net.fc2]
    assert list(net.modules())[0] is net


def test_shared_parameters_and_modules_are_deduplicated():
    a = nn.Linear(2, 2)
    seq = nn.Sequential(a, a)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert [n for n, _ in seq.named_modules()] == ["", "0"]
    assert [n for n, _ in seq.named_modules(remove_duplicate=False)] == ["", "0", "1"]
    tied = nn.Module()
    tied.enc = nn.Linear(3, 3)
    tied.dec = nn.Linear(3, 3)
    tied.dec.weight = tied.enc.weight
    assert [n for n, _ in tied.named_parameters()] == ["enc.weight", "enc.bias", "dec.bias"]


def test_get_submodule_parameter_buffer():
    outer = nn.Module()
    outer.net = Net()
    assert outer.get_submodule("net.fc1") is outer.net.fc1
    assert outer.get_submodule("") is outer
    assert outer.get_parameter("net.fc1.bias") is outer.net.fc1.bias
    assert outer.get_buffer("net.running") is outer.net.running
    with pytest.raises(AttributeError, match="Net has no attribute `fc3`"):
        outer.get_submodule("net.fc3")
    with pytest.raises(AttributeError, match="`in_features` is not an nn.Module"):
        outer.get_submodule("net.fc1.in_features")
    with pytest.raises(AttributeError, match="`running` is not an nn.Parameter"):
        outer.get_parameter("net.running")
    with pytest.raises(AttributeError, match="`fc1` is not a buffer"):
        outer.get_buffer("net.fc1")


# ---- modes and gradients -----------------------------------------------------------


def test_train_eval_recurse():
    net = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.Dropout()))
    assert net.training
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")


def test_requires_grad_and_zero_grad():
    net = Net()
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    net.requires_grad_()
    for p in net.parameters():
        p.grad = ember.ones(p.shape)
    net.zero_grad(set_to_none=False)
    for p in net.parameters():
        assert p.grad is not None and float(p.grad.abs().sum()) == 0.0
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_apply_visits_children_first():
    seen = []
    net = Net()
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "Linear", "Net"]


# ---- conversion ---------------------------------------------------------------------


def test_to_dtype_converts_floating_parameters_and_buffers():
    net = Net()
    net.register_buffer("steps", ember.tensor([3], dtype=ember.int64))
    w_before = net.fc1.weight.detach().numpy().copy()
    net.fc1.weight.grad = ember.ones(4, 3)
    assert net.to(ember.float64) is net
    assert net.fc1.weight.dtype == ember.float64 and isinstance(net.fc1.weight, nn.Parameter)
    assert net.fc1.weight.requires_grad
    assert net.fc1.weight.grad.dtype == ember.float64
    assert net.running.dtype == ember.float64
    assert net.steps.dtype == ember.int64  # integer buffers keep their dtype
    np.testing.assert_allclose(net.fc1.weight.detach().numpy(), w_before, rtol=1e-7)
    net.float()
    assert net.fc1.weight.dtype == ember.float32
    net.half()
    assert net.fc2.weight.dtype == ember.float16
    net.bfloat16()
    assert net.fc2.weight.dtype == ember.bfloat16
    net.double()
    assert net.fc2.weight.dtype == ember.float64
    net.type(ember.float32)
    assert net.fc2.weight.dtype == ember.float32 and net.steps.dtype == ember.float32  # type() casts all


def test_to_keeps_shared_parameters_shared_and_unchanged_identity():
    m = nn.Module()
    m.a = nn.Linear(2, 2)
    m.b = nn.Linear(2, 2)
    m.b.weight = m.a.weight
    m.double()
    assert m.a.weight is m.b.weight
    w = m.a.weight
    m.to(ember.float64)  # nothing to convert: the same Parameter object stays
    assert m.a.weight is w
    m.to("cpu")
    assert m.a.weight is w


def test_to_argument_forms_and_errors():
    net = Net()
    net.to(ember.zeros(1, dtype=ember.float64))
    assert net.fc1.weight.dtype == ember.float64
    net.to(device="cpu", dtype=ember.float32)
    assert net.fc1.weight.dtype == ember.float32
    net.to("cpu", ember.float64, non_blocking=True)
    assert net.fc1.weight.dtype == ember.float64
    assert net.cpu() is net
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point or complex dtypes, but got "
                                        "desired dtype=ember.int32"):
        net.to(ember.int32)
    try:
        ember.zeros(1).to("cuda")
    except RuntimeError:  # no CUDA here: Module.cuda raises the same clear error
        with pytest.raises(RuntimeError, match="CUDA"):
            net.cuda()


def test_deepcopy_module():
    net = Net()
    clone = copy.deepcopy(net)
    assert clone.fc1.weight is not net.fc1.weight
    np.testing.assert_array_equal(clone.fc1.weight.detach().numpy(), net.fc1.weight.detach().numpy())
    x = ember.randn(2, 3)
    np.testing.assert_allclose(clone(x).detach().numpy(), net(x).detach().numpy())
    clone.running.fill_(7.0)
    assert net.running.tolist() == [0.0, 0.0]
    assert "scratch" in clone._non_persistent_buffers_set


# ---- forward and hooks ----------------------------------------------------------------


def test_missing_forward():
    with pytest.raises(NotImplementedError, match='Module \\[Module\\] is missing the required "forward" function'):
        nn.Module()(1)


def test_forward_pre_hook_and_hook_order_and_results():
    calls = []
    m = nn.Identity()

    def pre(mod, args):
        calls.append("pre")
        return (args[0] * 2,)

    def pre_single(mod, args):
        calls.append("pre2")
        return args[0] + 1  # a non-tuple result becomes a one-tuple

    def post(mod, args, out):
        calls.append("post")
        return out * 10

    h1 = m.register_forward_pre_hook(pre)
    h2 = m.register_forward_pre_hook(pre_single)
    h3 = m.register_forward_hook(post)
    out = m(ember.tensor([1.0]))
    assert out.tolist() == [30.0]  # (1 * 2 + 1) * 10
    assert calls == ["pre", "pre2", "post"]
    h1.remove()
    h2.remove()
    h3.remove()
    h3.remove()  # removing twice is harmless
    assert m(ember.tensor([1.0])).tolist() == [1.0]


def test_hooks_with_kwargs_and_prepend():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    order = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: order.append(("kw", kwargs["factor"])), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: order.append("first"), prepend=True)
    assert m(ember.tensor([2.0])).tolist() == [6.0]
    assert order == ["first", ("kw", 3.0)]
    m2 = Scale()
    m2.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple of"):
        m2(ember.tensor([1.0]))


def test_removable_handle_context_manager_and_always_call():
    m = nn.Linear(2, 2)
    seen = []
    with m.register_forward_hook(lambda mod, a, o: seen.append(o.shape)):
        m(ember.zeros(1, 2))
    m(ember.zeros(1, 2))
    assert seen == [(1, 2)]
    failed = []
    m.register_forward_hook(lambda mod, a, o: failed.append(o), always_call=True)
    with pytest.raises(RuntimeError):
        m(ember.zeros(1, 3))
    assert failed == [None]


def test_legacy_backward_hook_refused():
    with pytest.raises(NotImplementedError, match="register_full_backward_hook"):
        nn.Linear(1, 1).register_backward_hook(lambda *a: None)


# ---- repr -----------------------------------------------------------------------------


def test_repr_nested_matches_pytorch():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(10, 20), nn.Tanh(), nn.Dropout(p=0.1))
            self.head = nn.Linear(20, 2, bias=False)

    expected = (
        "Block(\n"
        "  (body): Sequential(\n"
        "    (0): Linear(in_features=10, out_features=20, bias=True)\n"
        "    (1): Tanh()\n"
        "    (2): Dropout(p=0.1, inplace=False)\n"
        "  )\n"
        "  (head): Linear(in_features=20, out_features=2, bias=False)\n"
        ")"
    )
    assert repr(Block()) == expected
    assert repr(nn.Identity()) == "Identity()"
    assert repr(nn.Module()) == "Module()"


def test_repr_multiline_extra_repr_with_children():
    class Custom(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1, 1)

        def extra_repr(self):
            return "alpha=1\nbeta=2"

    assert repr(Custom()) == ("Custom(\n  alpha=1\n  beta=2\n"
                              "  (fc): Linear(in_features=1, out_features=1, bias=True)\n)")


# ---- state_dict -------------------------------------------------------------------------


def test_state_dict_keys_values_and_metadata():
    net = Net()
    sd = net.state_dict()
    assert list(sd.keys()) == ["running", "fc1.weight", "fc1.bias", "fc2.weight"]  # own entries first; scratch is not persistent
    assert type(sd["fc1.weight"]) is ember.Tensor and not sd["fc1.weight"].requires_grad
    assert sd["fc1.weight"].data_ptr() == net.fc1.weight.data_ptr()  # detached, not copied
    assert isinstance(net.state_dict(keep_vars=True)["fc1.weight"], nn.Parameter)
    assert sd._metadata[""]["version"] == 1 and "fc1" in sd._metadata
    nested = nn.Sequential(OrderedDict(block=nn.Sequential(nn.Linear(1, 2))))
    assert list(nested.state_dict()) == ["block.0.weight", "block.0.bias"]
    assert list(nested.state_dict(prefix="model.")) == ["model.block.0.weight", "model.block.0.bias"]


def test_load_state_dict_copies_values_in_place():
    src, dst = Net(), Net()
    src.running.fill_(5.0)
    w = dst.fc1.weight
    result = dst.load_state_dict(src.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert dst.fc1.weight is w  # copied into the existing parameter
    np.testing.assert_array_equal(dst.fc1.weight.detach().numpy(), src.fc1.weight.detach().numpy())
    assert dst.running.tolist() == [5.0, 5.0]


def test_load_state_dict_strict_errors():
    lin = nn.Linear(2, 3)
    sd = lin.state_dict()
    del sd["bias"]
    sd["extra"] = ember.zeros(1)
    with pytest.raises(RuntimeError) as e:
        lin.load_state_dict(sd)
    assert str(e.value) == ('Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
                            '\n\tUnexpected key(s) in state_dict: "extra". ')
    result = lin.load_state_dict(sd, strict=False)  # non-strict reports instead of raising
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    nested = nn.Sequential(nn.Linear(2, 2))
    res = nested.load_state_dict({"0.weight": ember.zeros(2, 2), "1.weight": ember.zeros(1)}, strict=False)
    assert nested[0].weight.abs().sum().item() == 0.0
    assert res == (["0.bias"], ["1.weight"])
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "0.bias". \n\tUnexpected key\(s\) in '
                                           r'state_dict: "1.weight". '):
        nested.load_state_dict({"0.weight": ember.zeros(2, 2), "1.weight": ember.zeros(1)})


def test_load_state_dict_size_mismatch_and_type_errors():
    lin = nn.Linear(2, 3)
    with pytest.raises(RuntimeError) as e:
        lin.load_state_dict({"weight": ember.zeros(3, 4), "bias": ember.zeros(3)})
    assert str(e.value) == ("Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param "
                            "with shape ember.Size([3, 4]) from checkpoint, the shape in current model is "
                            "ember.Size([3, 2]).")
    with pytest.raises(RuntimeError, match='While copying the parameter named "bias", expected ember.Tensor'):
        lin.load_state_dict({"weight": ember.zeros(3, 2), "bias": [0, 0, 0]})
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lin.load_state_dict([1, 2])


def test_load_state_dict_assign_replaces_parameters():
    lin = nn.Linear(2, 2)
    lin.bias.requires_grad_(False)
    new_w = ember.full((2, 2), 3.0)
    lin.load_state_dict({"weight": new_w, "bias": ember.zeros(2)}, assign=True)
    assert isinstance(lin.weight, nn.Parameter) and lin.weight.requires_grad
    assert not lin.bias.requires_grad
    assert lin.weight.data_ptr() == new_w.data_ptr()  # assigned, not copied


def test_load_state_dict_converts_dtype_and_scalar_checkpoints():
    m = nn.Module()
    m.register_buffer("count", ember.tensor(0.0))
    m.load_state_dict({"count": ember.tensor([4.0])})  # old 1-element checkpoints load into 0-d
    assert m.count.item() == 4.0
    lin = nn.Linear(1, 1)
    lin.load_state_dict({"weight": ember.ones(1, 1, dtype=ember.float64), "bias": ember.zeros(1)})
    assert lin.weight.dtype == ember.float32 and lin.weight.item() == 1.0


def test_custom_save_and_load_hooks():
    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = 1.0

        def _save_to_state_dict(self, destination, prefix, keep_vars):
            super()._save_to_state_dict(destination, prefix, keep_vars)
            destination[prefix + "scale"] = ember.tensor(self.scale)

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
            self.scale = state_dict.pop(prefix + "scale").item()
            super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing, unexpected, errors)

    outer = nn.Sequential(WithExtra())
    outer[0].scale = 2.5
    sd = outer.state_dict()
    assert list(sd) == ["0.scale"]
    fresh = nn.Sequential(WithExtra())
    fresh.load_state_dict(sd)
    assert fresh[0].scale == 2.5


def test_load_state_dict_post_hook_sees_incompatible_keys():
    lin = nn.Linear(1, 1)
    seen = []
    lin.register_load_state_dict_post_hook(lambda mod, keys: seen.append(list(keys.missing_keys)))
    lin.load_state_dict({"weight": ember.ones(1, 1)}, strict=False)
    assert seen == [["bias"]]


def test_readme_neural_networks_example_runs():
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = text.split("## Neural networks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(compile(code, "README nn", "exec"), namespace)  # noqa: S102
    model = namespace["model"]
    assert list(model.state_dict()) == ["1.weight", "1.bias", "3.weight", "3.bias"]
    assert namespace["out"].shape == (2, 3) and not model.training
    assert model[1].weight.dtype == ember.float64
    w = model[1].weight.detach().numpy()
    np.testing.assert_allclose(w.T @ w, np.eye(4), atol=1e-12)  # 8x4: orthonormal columns


def test_extra_state_round_trip():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.count = 0

        def get_extra_state(self):
            return {"count": self.count}

        def set_extra_state(self, state):
            self.count = state["count"]

    outer = nn.Sequential(Counter(), nn.Linear(1, 1))
    outer[0].count = 3
    sd = outer.state_dict()
    assert list(sd) == ["0._extra_state", "1.weight", "1.bias"]
    fresh = nn.Sequential(Counter(), nn.Linear(1, 1))
    fresh.load_state_dict(sd)
    assert fresh[0].count == 3
    del sd["0._extra_state"]
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "0._extra_state"'):
        fresh.load_state_dict(sd)
    with pytest.raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "_extra_state"'):
        nn.Linear(1, 1).load_state_dict({"weight": ember.zeros(1, 1), "bias": ember.zeros(1), "_extra_state": 1})
