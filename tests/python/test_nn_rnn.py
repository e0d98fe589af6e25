"""RNN, LSTM, GRU and their cells against NumPy recurrences written here
with the same weights: every input layout, stacking, directions, initial
states, parameter names, initialisation range, errors and gradients."""
import math

import numpy as np
import pytest

import ember
from ember import nn
from ember.autograd import gradcheck


def _np(t):
    return t.detach().numpy().astype(np.float64)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _np_cell(mode, x, h, c, w):
    """One step of mode in NumPy; w is a dict of the layer-direction weights."""
    gi = x @ w["weight_ih"].T + w.get("bias_ih", 0)
    gh = h @ w["weight_hh"].T + w.get("bias_hh", 0)
    if mode == "tanh":
        return np.tanh(gi + gh), None
    if mode == "relu":
        return np.maximum(gi + gh, 0), None
    if mode == "GRU":
        H = h.shape[-1]
        r = _sigmoid(gi[:, :H] + gh[:, :H])
        z = _sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        return (1 - z) * n + z * h, None
    g = gi + gh
    H = g.shape[-1] // 4
    i, f, gg, o = _sigmoid(g[:, :H]), _sigmoid(g[:, H:2 * H]), np.tanh(g[:, 2 * H:3 * H]), _sigmoid(g[:, 3 * H:])
    c = f * c + i * gg
    h = o * np.tanh(c)
    if "weight_hr" in w:
        h = h @ w["weight_hr"].T
    return h, c


def _np_rnn(module, mode, x, h0, c0):
    """x (L, N, in); h0/c0 (layers*dirs, N, *) -> output, h_n, c_n."""
    dirs = 2 if module.bidirectional else 1
    params = {k: _np(v) for k, v in module.state_dict().items()}
    inp, h_n, c_n = x, [], []
    for layer in range(module.num_layers):
        outs = []
        for d in range(dirs):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            w = {k[:-len(sfx)]: v for k, v in params.items() if k.endswith(sfx)}
            h, c = h0[layer * dirs + d], (c0[layer * dirs + d] if c0 is not None else None)
            out = [None] * len(inp)
            for t in (range(len(inp) - 1, -1, -1) if d else range(len(inp))):
                h, c = _np_cell(mode, inp[t], h, c, w)
                out[t] = h
            outs.append(np.stack(out))
            h_n.append(h)
            c_n.append(c)
        inp = np.concatenate(outs, axis=2)
    return inp, np.stack(h_n), (np.stack(c_n) if c0 is not None else None)


def _make(mode, **kw):
    if mode in ("tanh", "relu"):
        return nn.RNN(nonlinearity=mode, **kw)
    return {"LSTM": nn.LSTM, "GRU": nn.GRU}[mode](**kw)


CONFIGS = [dict(num_layers=1, bidirectional=False), dict(num_layers=2, bidirectional=False),
           dict(num_layers=1, bidirectional=True), dict(num_layers=3, bidirectional=True, bias=False)]


@pytest.mark.parametrize("mode", ["tanh", "relu", "LSTM", "GRU"])
@pytest.mark.parametrize("cfg", CONFIGS)
@pytest.mark.parametrize("layout", ["seq_first", "batch_first", "unbatched"])
@pytest.mark.parametrize("with_state", [False, True])
def test_forward_matches_numpy(mode, cfg, layout, with_state):
    ember.manual_seed(0)
    m = _make(mode, input_size=3, hidden_size=4, batch_first=layout == "batch_first", **cfg).double()
    L, N = 5, 2
    rng = np.random.default_rng(1)
    x = rng.standard_normal((L, N, 3))
    dirs = 2 if cfg["bidirectional"] else 1
    S = cfg["num_layers"] * dirs
    h0 = rng.standard_normal((S, N, 4)) if with_state else np.zeros((S, N, 4))
    c0 = (rng.standard_normal((S, N, 4)) if with_state else np.zeros((S, N, 4))) if mode == "LSTM" else None
    ref_out, ref_h, ref_c = _np_rnn(m, mode, x, h0, c0)

    def prep(a, batch_axis):  # a in (L/S, N, H) -> the layout under test
        if layout == "unbatched":
            return ember.tensor(a[:, 0])
        if layout == "batch_first" and batch_axis:
            return ember.tensor(a.transpose(1, 0, 2).copy())
        return ember.tensor(a)

    hx = None
    if with_state:
        hx = (prep(h0, False), prep(c0, False)) if mode == "LSTM" else prep(h0, False)
    out, hn = m(prep(x, True), hx)
    if mode == "LSTM":
        hn, cn = hn
    if layout == "unbatched":
        ref_out, ref_h = ref_out[:, 0], ref_h[:, 0]
        ref_c = ref_c[:, 0] if ref_c is not None else None
    elif layout == "batch_first":
        ref_out = ref_out.transpose(1, 0, 2)
    assert tuple(out.shape) == ref_out.shape and tuple(hn.shape) == ref_h.shape
    np.testing.assert_allclose(out.detach().numpy(), ref_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hn.detach().numpy(), ref_h, rtol=1e-10, atol=1e-12)
    if mode == "LSTM":
        np.testing.assert_allclose(cn.detach().numpy(), ref_c, rtol=1e-10, atol=1e-12)


def test_output_shapes_follow_pytorch():
    m = nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True)
    out, (h, c) = m(ember.randn(3, 7, 4))
    assert list(out.shape) == [3, 7, 12] and list(h.shape) == [4, 3, 6] and list(c.shape) == [4, 3, 6]
    out, h = nn.GRU(4, 6, num_layers=3)(ember.randn(7, 4))
    assert list(out.shape) == [7, 6] and list(h.shape) == [3, 6]
    out, h = nn.RNN(4, 6)(ember.randn(7, 2, 4))
    assert list(out.shape) == [7, 2, 6] and list(h.shape) == [1, 2, 6]
    assert out.dtype == ember.float32


def test_lstm_proj_size():
    ember.manual_seed(0)
    m = nn.LSTM(3, 5, num_layers=2, proj_size=2, bidirectional=True).double()
    keys = list(m.state_dict())
    assert "weight_hr_l0" in keys and "weight_hr_l1_reverse" in keys
    assert list(m.weight_hh_l0.shape) == [20, 2] and list(m.weight_ih_l1.shape) == [20, 4]
    assert list(m.weight_hr_l0.shape) == [2, 5]
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 3))
    h0, c0 = np.zeros((4, 3, 2)), np.zeros((4, 3, 5))
    out, (h, c) = m(ember.tensor(x))
    ref_out, ref_h, ref_c = _np_rnn(m, "LSTM", x, h0, c0)
    assert list(out.shape) == [4, 3, 4] and list(h.shape) == [4, 3, 2] and list(c.shape) == [4, 3, 5]
    np.testing.assert_allclose(out.detach().numpy(), ref_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c.detach().numpy(), ref_c, rtol=1e-10, atol=1e-12)


def test_parameter_names_shapes_and_order():
    m = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    names = [n for n, _ in m.named_parameters()]
    expect = []
    for layer in range(2):
        for sfx in ("", "_reverse"):
            expect += [f"weight_ih_l{layer}{sfx}", f"weight_hh_l{layer}{sfx}", f"bias_ih_l{layer}{sfx}",
                       f"bias_hh_l{layer}{sfx}"]
    assert names == expect
    assert list(m.weight_ih_l0.shape) == [12, 3] and list(m.weight_ih_l1.shape) == [12, 8]
    assert list(m.weight_hh_l1_reverse.shape) == [12, 4] and list(m.bias_hh_l0.shape) == [12]
    assert len(m.all_weights) == 4 and len(m.all_weights[0]) == 4
    assert [n for n, _ in nn.RNN(2, 3, bias=False).named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    assert list(nn.LSTM(2, 3).weight_ih_l0.shape) == [12, 2]
    # state_dict round trip into a fresh module reproduces the outputs
    a, b = nn.LSTM(3, 4, 2), nn.LSTM(3, 4, 2)
    b.load_state_dict(a.state_dict())
    x = ember.randn(5, 2, 3)
    np.testing.assert_array_equal(a(x)[0].detach().numpy(), b(x)[0].detach().numpy())


def test_default_init_is_uniform_in_one_over_sqrt_hidden():
    ember.manual_seed(0)
    m = nn.LSTM(10, 16, num_layers=2, bidirectional=True)
    bound = 1 / math.sqrt(16)
    vals = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
    assert vals.min() >= -bound and vals.max() <= bound
    assert vals.min() < -0.9 * bound and vals.max() > 0.9 * bound  # spread over the whole range
    assert abs(vals.mean()) < 0.01 and abs(vals.std() - bound / math.sqrt(3)) < 0.01
    cell = nn.GRUCell(5, 9)
    assert cell.weight_hh.detach().numpy().max() <= 1 / 3


def test_dropout_between_layers_only_in_training():
    ember.manual_seed(0)
    m = nn.GRU(3, 8, num_layers=2, dropout=0.5)
    x = ember.randn(4, 2, 3)
    m.eval()
    a, b = m(x)[0].detach().numpy(), m(x)[0].detach().numpy()
    np.testing.assert_array_equal(a, b)
    m.train()
    c = m(x)[0].detach().numpy()
    assert not np.allclose(a, c)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.3)


@pytest.mark.parametrize("cell_cls,mode", [(nn.RNNCell, "tanh"), (nn.LSTMCell, "LSTM"), (nn.GRUCell, "GRU")])
def test_cells_match_numpy(cell_cls, mode):
    ember.manual_seed(0)
    cell = cell_cls(3, 4).double()
    w = {k: _np(v) for k, v in cell.state_dict().items()}
    rng = np.random.default_rng(3)
    x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    rh, rc = _np_cell(mode, x, h, c, w)
    if mode == "LSTM":
        oh, oc = cell(ember.tensor(x), (ember.tensor(h), ember.tensor(c)))
        np.testing.assert_allclose(oc.detach().numpy(), rc, rtol=1e-12)
        uh, uc = cell(ember.tensor(x[0]), (ember.tensor(h[0]), ember.tensor(c[0])))
        assert list(uh.shape) == [4] and list(uc.shape) == [4]
        np.testing.assert_allclose(uh.detach().numpy(), rh[0], rtol=1e-12)
        zh, zc = cell(ember.tensor(x))
        np.testing.assert_allclose(zh.detach().numpy(), _np_cell(mode, x, 0 * h, 0 * c, w)[0], rtol=1e-12)
    else:
        oh = cell(ember.tensor(x), ember.tensor(h))
        u = cell(ember.tensor(x[0]), ember.tensor(h[0]))
        assert list(u.shape) == [4]
        np.testing.assert_allclose(u.detach().numpy(), rh[0], rtol=1e-12)
        np.testing.assert_allclose(cell(ember.tensor(x)).detach().numpy(), _np_cell(mode, x, 0 * h, None, w)[0],
                                   rtol=1e-12)
    np.testing.assert_allclose(oh.detach().numpy(), rh, rtol=1e-12)


def test_rnn_cell_relu():
    cell = nn.RNNCell(2, 3, nonlinearity="relu", bias=False).double()
    x = np.array([[1.0, -2.0]])
    ref = np.maximum(x @ _np(cell.weight_ih).T, 0)
    np.testing.assert_allclose(cell(ember.tensor(x)).detach().numpy(), ref, rtol=1e-12)
    assert "bias=False" in repr(cell) and "nonlinearity=relu" in repr(cell)


def test_reprs():
    assert repr(nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)) == \
        "LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)"
    assert repr(nn.GRUCell(3, 4)) == "GRUCell(3, 4)"


def test_errors_use_pytorch_wording():
    m = nn.LSTM(4, 5)
    with pytest.raises(RuntimeError, match=r"input.size\(-1\) must be equal to input_size. Expected 4, got 3"):
        m(ember.randn(2, 3, 3))
    with pytest.raises(ValueError, match="LSTM: Expected input to be 2D or 3D, got 4D instead"):
        m(ember.randn(1, 2, 3, 4))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 3, 5\), got \[1, 2, 5\]"):
        m(ember.randn(2, 3, 4), (ember.zeros(1, 2, 5), ember.zeros(1, 3, 5)))
    with pytest.raises(RuntimeError, match="hx and cx should also be 3-D but got \\(2-D, 3-D\\) tensors"):
        m(ember.randn(2, 3, 4), (ember.zeros(2, 5), ember.zeros(1, 3, 5)))
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(2, 3, 5\), got \[1, 3, 5\]"):
        nn.GRU(4, 5, bidirectional=True)(ember.randn(2, 3, 4), ember.zeros(1, 3, 5))
    with pytest.raises(RuntimeError, match="For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"):
        nn.RNN(4, 5)(ember.randn(2, 4), ember.zeros(1, 1, 5))
    with pytest.raises(ValueError, match="Unknown nonlinearity 'gelu'"):
        nn.RNN(4, 5, nonlinearity="gelu")
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        nn.GRU(4, 0)
    with pytest.raises(TypeError, match="hidden_size should be of type int, got: float"):
        nn.GRU(4, 2.0)
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        nn.GRU(4, 2, dropout=1.5)
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(4, 2, proj_size=2)
    with pytest.raises(ValueError, match="GRUCell: Expected input to be 1D or 2D, got 3D instead"):
        nn.GRUCell(4, 2)(ember.randn(1, 1, 4))
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 3 expected 4"):
        nn.GRUCell(4, 2)(ember.randn(1, 3))
    with pytest.raises(RuntimeError, match=r"hidden\[1\] has inconsistent hidden_size: got 3, expected 2"):
        nn.LSTMCell(4, 2)(ember.randn(1, 4), (ember.zeros(1, 2), ember.zeros(1, 3)))
    with pytest.raises(RuntimeError, match="Input batch size 2 doesn't match hidden batch size 3"):
        nn.RNNCell(4, 2)(ember.randn(2, 4), ember.zeros(3, 2))
    with pytest.raises(RuntimeError, match="does not match parameter dtype"):
        nn.GRU(4, 2)(ember.randn(3, 1, 4, dtype=ember.float64))


@pytest.mark.parametrize("mode", ["tanh", "relu", "LSTM", "GRU"])
def test_gradcheck_sequence_layers(mode):
    ember.manual_seed(0)
    m = _make(mode, input_size=2, hidden_size=3, num_layers=2, bidirectional=True).double()
    x = ember.randn(3, 2, 2, dtype=ember.float64, requires_grad=True)
    h0 = ember.randn(4, 2, 3, dtype=ember.float64, requires_grad=True)
    params = list(m.parameters())

    def f(x, h0, *ps):
        hx = (h0, h0 * 0.5) if mode == "LSTM" else h0
        out, hn = m(x, hx)
        return out

    assert gradcheck(f, (x, h0, params[0], params[5]))


@pytest.mark.parametrize("cell_cls", [nn.RNNCell, nn.LSTMCell, nn.GRUCell])
def test_gradcheck_cells(cell_cls):
    cell = cell_cls(2, 3).double()
    x = ember.randn(2, 2, dtype=ember.float64, requires_grad=True)
    h = ember.randn(2, 3, dtype=ember.float64, requires_grad=True)
    if cell_cls is nn.LSTMCell:
        assert gradcheck(lambda x, h: cell(x, (h, h * h))[1], (x, h))
    else:
        assert gradcheck(lambda x, h: cell(x, h), (x, h))
    out = cell(x, (h, h) if cell_cls is nn.LSTMCell else h)
    out = out[0] if isinstance(out, tuple) else out
    out.sum().backward()
    assert cell.weight_ih.grad is not None and float(cell.weight_ih.grad.abs().sum()) > 0


def test_input_dim_errors_name_the_layer():
    with pytest.raises(ValueError, match="^RNN: Expected input to be 2D or 3D, got 1D tensor instead$"):
        nn.RNN(2, 3)(ember.randn(2))
    with pytest.raises(ValueError, match="^GRU: Expected input to be 2D or 3D, got 4D instead$"):
        nn.GRU(2, 3)(ember.randn(1, 1, 1, 2))


def test_lstm_trains_with_an_optimizer():
    """End to end: gradients through the recurrence reach every parameter and
    Adam lowers the loss of a small sequence-sum task."""
    ember.manual_seed(0)
    lstm, head = nn.LSTM(1, 8, batch_first=True), nn.Linear(8, 1)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = ember.optim.Adam(params, lr=0.05)
    x = ember.rand(16, 5, 1)
    y = x.sum(1)
    losses = []
    for _ in range(40):
        opt.zero_grad()
        out, _ = lstm(x)
        loss = nn.functional.mse_loss(head(out[:, -1]), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(p.grad is not None for p in params)
    assert losses[-1] < 0.1 * losses[0]
