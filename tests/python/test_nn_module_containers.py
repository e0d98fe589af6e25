"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict."""
from collections import OrderedDict

import numpy as np
import pytest

import ember
import ember.nn as nn


def _layers(n):
    return [nn.Linear(i + 1, i + 2) for i in range(n)]


# ---- Sequential ------------------------------------------------------------------


def test_sequential_forward_chains_modules():
    seq = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    x = ember.randn(5, 3)
    w1, b1 = seq[0].weight.detach().numpy(), seq[0].bias.detach().numpy()
    w2, b2 = seq[2].weight.detach().numpy(), seq[2].bias.detach().numpy()
    expected = np.tanh(x.numpy() @ w1.T + b1) @ w2.T + b2
    np.testing.assert_allclose(seq(x).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_sequential_indexing_slicing_len_iteration():
    a, b, c = _layers(3)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert list(sub._modules) == ["1", "2"]  # slices keep the original keys, as in PyTorch
    assert list(seq) == [a, b, c]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    with pytest.raises(IndexError, match="index -4 is out of range"):
        seq[-4]


def test_sequential_ordereddict_and_mutation():
    a, b, c, d = _layers(4)
    seq = nn.Sequential(OrderedDict([("first", a), ("second", b)]))
    assert seq.first is a and list(seq.state_dict())[:2] == ["first.weight", "first.bias"]
    seq = nn.Sequential(a)
    assert seq.append(b) is seq
    seq.insert(0, c)
    assert list(seq) == [c, a, b] and list(seq._modules) == ["0", "1", "2"]
    seq.insert(-1, d)
    assert list(seq) == [c, a, d, b]
    seq.extend(nn.Sequential(nn.Identity()))
    assert len(seq) == 5
    seq[0] = nn.Tanh()
    assert isinstance(seq[0], nn.Tanh)
    del seq[0]
    assert list(seq) [0] is a and list(seq._modules) == ["0", "1", "2", "3"]
    assert seq.pop(0) is a and len(seq) == 3
    with pytest.raises(IndexError, match="Index out of range: 9"):
        seq.insert(9, nn.Identity())
    doubled = nn.Sequential(a) + nn.Sequential(b)
    assert list(doubled) == [a, b]
    assert len(nn.Sequential(a) * 3) == 3
    with pytest.raises(ValueError, match="add operator supports only objects of Sequential class"):
        nn.Sequential(a) + a


def test_sequential_repr():
    seq = nn.Sequential(nn.Flatten(), nn.Linear(4, 2), nn.Softmax(dim=1))
    assert repr(seq) == ("Sequential(\n"
                         "  (0): Flatten(start_dim=1, end_dim=-1)\n"
                         "  (1): Linear(in_features=4, out_features=2, bias=True)\n"
                         "  (2): Softmax(dim=1)\n"
                         ")")
    assert repr(nn.Sequential()) == "Sequential()"


# ---- ModuleList / ModuleDict -------------------------------------------------------------


def test_module_list():
    a, b, c = _layers(3)
    ml = nn.ModuleList([a, b])
    ml.append(c)
    assert len(ml) == 3 and ml[-1] is c and list(ml) == [a, b, c]
    assert isinstance(ml[:2], nn.ModuleList) and list(ml[:2]) == [a, b]
    assert [n for n, _ in ml.named_parameters()][:2] == ["0.weight", "0.bias"]
    ml.insert(1, nn.Identity())
    assert isinstance(ml[1], nn.Identity) and ml[2] is b
    del ml[1]
    assert list(ml) == [a, b, c] and list(ml._modules) == ["0", "1", "2"]
    ml += [nn.Tanh()]
    assert len(ml) == 4
    ml.extend(nn.ModuleList([nn.Tanh()]))
    assert len(ml) == 5
    assert ml.pop(-1) is not None and len(ml) == 4
    with pytest.raises(IndexError, match="index 7 is out of range"):
        ml[7]
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable, but got Linear"):
        ml.extend(nn.Linear(1, 1))
    with pytest.raises(TypeError, match="is not a Module subclass"):
        ml.append(3)


def test_module_list_repr_groups_repeated_blocks():
    ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2)])
    assert repr(ml) == ("ModuleList(\n"
                        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
                        "  (3): Tanh()\n"
                        "  (4): Linear(in_features=2, out_features=2, bias=True)\n"
                        ")")
    nested = nn.ModuleList([nn.Sequential(nn.Tanh())] * 2)
    assert repr(nested) == ("ModuleList(\n"
                            "  (0-1): 2 x Sequential(\n"
                            "    (0): Tanh()\n"
                            "  )\n"
                            ")")
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_module_dict():
    a, b = _layers(2)
    md = nn.ModuleDict({"a": a})
    md["b"] = b
    md.update([("c", nn.Tanh())])
    assert list(md.keys()) == ["a", "b", "c"] and md["a"] is a and "b" in md and len(md) == 3
    assert list(md) == ["a", "b", "c"]
    assert [k for k, _ in md.items()] == ["a", "b", "c"]
    assert md.pop("c") is not None and len(md) == 2
    del md["b"]
    assert list(md.keys()) == ["a"]
    assert [n for n, _ in md.named_parameters()] == ["a.weight", "a.bias"]
    with pytest.raises(ValueError, match="has length 3; 2 is required"):
        md.update([("x", nn.Tanh(), 1)])
    md.clear()
    assert len(md) == 0


# ---- ParameterList / ParameterDict ----------------------------------------------------------


def test_parameter_list_wraps_tensors_and_registers():
    pl = nn.ParameterList([ember.ones(2), nn.Parameter(ember.zeros(3))])
    assert len(pl) == 2 and all(isinstance(p, nn.Parameter) for p in pl)
    assert pl[0].requires_grad
    pl.append(ember.ones(1, 4))
    assert [n for n, _ in pl.named_parameters()] == ["0", "1", "2"]
    assert pl[-1].shape == (1, 4)
    assert len(pl[1:]) == 2
    pl[0] = ember.full((2,), 5.0)
    assert pl[0].tolist() == [5.0, 5.0]
    assert repr(pl) == ("ParameterList(\n"
                        "    (0): Parameter containing: [ember.float32 of size 2]\n"
                        "    (1): Parameter containing: [ember.float32 of size 3]\n"
                        "    (2): Parameter containing: [ember.float32 of size 1x4]\n"
                        ")")
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        pl(1)


def test_parameter_list_inside_module_state_dict():
    m = nn.Module()
    m.params = nn.ParameterList([ember.ones(2) for _ in range(2)])
    assert list(m.state_dict()) == ["params.0", "params.1"]
    assert len(list(m.parameters())) == 2


def test_parameter_dict():
    pd = nn.ParameterDict({"b": ember.ones(2), "a": nn.Parameter(ember.zeros(1))})
    assert list(pd.keys()) == ["a", "b"]  # a plain dict is sorted, as in PyTorch
    assert isinstance(pd["b"], nn.Parameter)
    pd["c"] = ember.ones(3)
    assert "c" in pd and len(pd) == 3
    assert [n for n, _ in pd.named_parameters()] == ["a", "b", "c"]
    assert pd.pop("c").shape == (3,) and "c" not in pd
    assert pd.get("missing", 7) == 7
    assert repr(pd) == ("ParameterDict(\n"
                        "    (a): Parameter containing: [ember.float32 of size 1]\n"
                        "    (b): Parameter containing: [ember.float32 of size 2]\n"
                        ")")
    with pytest.raises(TypeError, match="cannot be used as a key as it is not a string"):
        pd[1] = ember.ones(1)
    pd2 = pd | nn.ParameterDict({"z": ember.ones(1)})
    assert list(pd2.keys()) == ["a", "b", "z"]
    pd.clear()
    assert len(pd) == 0 and list(pd.parameters()) == []
