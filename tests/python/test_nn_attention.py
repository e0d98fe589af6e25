"""scaled_dot_product_attention, MultiheadAttention, TransformerEncoderLayer,
TransformerEncoder and the composite LayerNorm against NumPy references
written here with the same weights."""
import math

import numpy as np
import pytest

import ember
from ember import nn
import ember.nn.functional as F
from ember.autograd import gradcheck


def _np(t):
    return t.detach().numpy().astype(np.float64)


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _np_sdpa(q, k, v, add_mask=None, scale=None):
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = q @ np.swapaxes(k, -1, -2) * scale
    if add_mask is not None:
        s = s + add_mask
    return _softmax(s) @ v


# ---- scaled_dot_product_attention ----


def test_sdpa_matches_numpy():
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((2, 3, 6, 7))
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v))
    assert list(out.shape) == [2, 3, 4, 7]
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(q, k, v), rtol=1e-12)
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v), scale=0.3)
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(q, k, v, scale=0.3), rtol=1e-12)


def test_sdpa_causal_and_masks():
    rng = np.random.default_rng(1)
    q, k, v = (rng.standard_normal((2, 4, 3)) for _ in range(3))
    causal = np.where(np.tril(np.ones((4, 4))) > 0, 0.0, -np.inf)
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v), is_causal=True)
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(q, k, v, causal), rtol=1e-12)
    # The first query sees only the first key: its output is v[:, 0].
    np.testing.assert_allclose(out.detach().numpy()[:, 0], v[:, 0], rtol=1e-12)
    # A boolean mask marks with True the positions that take part.
    keep = rng.random((4, 4)) > 0.3
    keep[:, 0] = True
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v),
                                         attn_mask=ember.tensor(keep))
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(q, k, v, np.where(keep, 0.0, -np.inf)), rtol=1e-12)
    bias = rng.standard_normal((4, 4))
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v),
                                         attn_mask=ember.tensor(bias))
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(q, k, v, bias), rtol=1e-12)


def test_sdpa_dropout_and_errors():
    q = ember.randn(2, 4, 3)
    ember.manual_seed(0)
    a = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    assert not np.allclose(a.detach().numpy(), F.scaled_dot_product_attention(q, q, q).detach().numpy())
    z = F.scaled_dot_product_attention(q, q, q, dropout_p=1.0)
    np.testing.assert_array_equal(z.detach().numpy(), np.zeros((2, 4, 3), np.float32))
    with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when is_causal=True"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=ember.ones(4, 4, dtype=ember.bool), is_causal=True)
    with pytest.raises(RuntimeError, match="query and key must have the same embedding size"):
        F.scaled_dot_product_attention(q, ember.randn(2, 4, 2), q)
    with pytest.raises(RuntimeError, match="Expected query, key, and value to have the same dtype"):
        F.scaled_dot_product_attention(q, q, q.double())
    with pytest.raises(RuntimeError, match="cannot be broadcast"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=ember.zeros(3, 3))


def test_sdpa_gqa():
    rng = np.random.default_rng(2)
    q, k, v = rng.standard_normal((1, 4, 3, 2)), rng.standard_normal((1, 2, 3, 2)), rng.standard_normal((1, 2, 3, 2))
    out = F.scaled_dot_product_attention(ember.tensor(q), ember.tensor(k), ember.tensor(v), enable_gqa=True)
    ref = _np_sdpa(q, np.repeat(k, 2, axis=1), np.repeat(v, 2, axis=1))
    np.testing.assert_allclose(out.detach().numpy(), ref, rtol=1e-12)


# ---- MultiheadAttention ----


def _np_mha(m, q, k, v, add_mask=None):
    """q (L, N, E), k/v (S, N, *) -> output (L, N, E), weights (N, heads, L, S)."""
    E, H = m.embed_dim, m.num_heads
    d = E // H
    sd = {k_: _np(t) for k_, t in m.state_dict().items()}
    if "in_proj_weight" in sd:
        wq, wk, wv = np.split(sd["in_proj_weight"], 3)
    else:
        wq, wk, wv = sd["q_proj_weight"], sd["k_proj_weight"], sd["v_proj_weight"]
    bq, bk, bv = np.split(sd["in_proj_bias"], 3) if "in_proj_bias" in sd else (0, 0, 0)
    L, N, _ = q.shape
    S = k.shape[0]

    def heads(x, n):  # (n, N, E) -> (N, H, n, d)
        return x.reshape(n, N, H, d).transpose(1, 2, 0, 3)

    Q, K, V = heads(q @ wq.T + bq, L), heads(k @ wk.T + bk, S), heads(v @ wv.T + bv, S)
    s = Q @ K.transpose(0, 1, 3, 2) / math.sqrt(d)
    if add_mask is not None:
        s = s + add_mask
    w = _softmax(s)
    o = (w @ V).transpose(2, 0, 1, 3).reshape(L, N, E)
    o = o @ sd["out_proj.weight"].T + sd.get("out_proj.bias", 0)
    return o, w


def test_mha_parameters_and_init():
    m = nn.MultiheadAttention(8, 2)
    assert list(m.state_dict()) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert list(m.in_proj_weight.shape) == [24, 8] and m.q_proj_weight is None
    np.testing.assert_array_equal(m.in_proj_bias.detach().numpy(), np.zeros(24, np.float32))
    np.testing.assert_array_equal(m.out_proj.bias.detach().numpy(), np.zeros(8, np.float32))
    bound = math.sqrt(6 / (24 + 8))  # xavier_uniform_ over (3E, E)
    assert np.abs(m.in_proj_weight.detach().numpy()).max() <= bound
    assert isinstance(m.out_proj, nn.Linear)
    m = nn.MultiheadAttention(8, 2, kdim=3, vdim=5, bias=False)
    assert list(m.state_dict()) == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "out_proj.weight"]
    assert list(m.k_proj_weight.shape) == [8, 3] and list(m.v_proj_weight.shape) == [8, 5]
    m = nn.MultiheadAttention(4, 1, add_bias_kv=True)
    assert list(m.bias_k.shape) == [1, 1, 4] and "bias_v" in m.state_dict()


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("kv_dims", [None, (3, 5)])
def test_mha_matches_numpy(batch_first, kv_dims):
    ember.manual_seed(0)
    kdim, vdim = kv_dims or (None, None)
    m = nn.MultiheadAttention(6, 3, kdim=kdim, vdim=vdim, batch_first=batch_first).double()
    with ember.no_grad():
        m.in_proj_bias.copy_(ember.randn(18, dtype=ember.float64))
        m.out_proj.bias.copy_(ember.randn(6, dtype=ember.float64))
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((4, 2, 6)), rng.standard_normal((5, 2, kdim or 6)), \
        rng.standard_normal((5, 2, vdim or 6))
    ref_o, ref_w = _np_mha(m, q, k, v)
    t = (lambda a: ember.tensor(a.transpose(1, 0, 2).copy())) if batch_first else ember.tensor
    o, w = m(t(q), t(k), t(v))
    o = o.detach().numpy().transpose(1, 0, 2) if batch_first else o.detach().numpy()
    np.testing.assert_allclose(o, ref_o, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(w.detach().numpy(), ref_w.mean(1), rtol=1e-10, atol=1e-12)
    _, w = m(t(q), t(k), t(v), average_attn_weights=False)
    np.testing.assert_allclose(w.detach().numpy(), ref_w, rtol=1e-10, atol=1e-12)
    o2, w2 = m(t(q), t(k), t(v), need_weights=False)
    assert w2 is None
    o2 = o2.detach().numpy()
    np.testing.assert_allclose(o2.transpose(1, 0, 2) if batch_first else o2, ref_o, rtol=1e-10)


def test_mha_unbatched():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(4, 2).double()
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    ref_o, ref_w = _np_mha(m, q[:, None], k[:, None], k[:, None])
    o, w = m(ember.tensor(q), ember.tensor(k), ember.tensor(k))
    assert list(o.shape) == [3, 4] and list(w.shape) == [3, 5]
    np.testing.assert_allclose(o.detach().numpy(), ref_o[:, 0], rtol=1e-10)
    np.testing.assert_allclose(w.detach().numpy(), ref_w[0].mean(0), rtol=1e-10)


def test_mha_masks():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(4, 2).double()
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 3, 4))
    X = ember.tensor(x)
    causal = np.triu(np.ones((4, 4), bool), 1)  # True = not attended
    add = np.where(causal, -np.inf, 0.0)
    ref_o, ref_w = _np_mha(m, x, x, x, add)
    o, w = m(X, X, X, attn_mask=ember.tensor(causal), is_causal=True)
    np.testing.assert_allclose(o.detach().numpy(), ref_o, rtol=1e-10)
    assert np.all(w.detach().numpy()[:, causal] == 0)
    o, _ = m(X, X, X, attn_mask=ember.tensor(add))  # the same mask as floats
    np.testing.assert_allclose(o.detach().numpy(), ref_o, rtol=1e-10)
    # key padding: batch item b ignores its last b keys
    kpm = np.zeros((3, 4), bool)
    kpm[1, 3:] = True
    kpm[2, 2:] = True
    add = np.where(kpm, -np.inf, 0.0)[:, None, None, :]
    ref_o, ref_w = _np_mha(m, x, x, x, add)
    o, w = m(X, X, X, key_padding_mask=ember.tensor(kpm))
    np.testing.assert_allclose(o.detach().numpy(), ref_o, rtol=1e-10)
    np.testing.assert_allclose(w.detach().numpy(), ref_w.mean(1), rtol=1e-10, atol=1e-15)
    assert np.all(w.detach().numpy()[2, :, 2:] == 0)
    # a per-head 3-D mask, (N*heads, L, S)
    m3 = rng.standard_normal((6, 4, 4))
    ref_o, _ = _np_mha(m, x, x, x, m3.reshape(3, 2, 4, 4))
    o, _ = m(X, X, X, attn_mask=ember.tensor(m3))
    np.testing.assert_allclose(o.detach().numpy(), ref_o, rtol=1e-10)


def test_mha_bias_kv_and_zero_attn():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True).double()
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 2, 4))
    o, w = m(ember.tensor(x), ember.tensor(x), ember.tensor(x))
    assert list(w.shape) == [2, 3, 5]  # 3 keys + bias_k + the zero key
    # Reference: the bias row is appended after the projection, the zero row after the head split.
    sd = {k: _np(t) for k, t in m.state_dict().items()}
    wq, wk, wv = np.split(sd["in_proj_weight"], 3)
    bq, bk, bv = np.split(sd["in_proj_bias"], 3)
    K = np.concatenate([x @ wk.T + bk, np.broadcast_to(sd["bias_k"], (1, 2, 4))])
    V = np.concatenate([x @ wv.T + bv, np.broadcast_to(sd["bias_v"], (1, 2, 4))])
    Q = x @ wq.T + bq
    heads = lambda a: a.reshape(a.shape[0], 2, 2, 2).transpose(1, 2, 0, 3)  # noqa: E731
    Kh = np.concatenate([heads(K), np.zeros((2, 2, 1, 2))], 2)
    Vh = np.concatenate([heads(V), np.zeros((2, 2, 1, 2))], 2)
    att = _softmax(heads(Q) @ Kh.transpose(0, 1, 3, 2) / math.sqrt(2))
    ref = (att @ Vh).transpose(2, 0, 1, 3).reshape(3, 2, 4) @ sd["out_proj.weight"].T + sd["out_proj.bias"]
    np.testing.assert_allclose(o.detach().numpy(), ref, rtol=1e-10)
    np.testing.assert_allclose(w.detach().numpy(), att.mean(1), rtol=1e-10)


def test_mha_dropout_only_in_training():
    m = nn.MultiheadAttention(4, 2, dropout=0.5)
    x = ember.randn(3, 2, 4)
    m.eval()
    np.testing.assert_array_equal(m(x, x, x)[0].detach().numpy(), m(x, x, x)[0].detach().numpy())
    m.train()
    ember.manual_seed(1)
    _, w = m(x, x, x, average_attn_weights=False)
    assert np.any(w.detach().numpy() == 0)


def test_mha_errors():
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0"):
        nn.MultiheadAttention(0, 1)
    m = nn.MultiheadAttention(4, 2)
    x = ember.randn(3, 2, 4)
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 4, but got 5"):
        m(ember.randn(3, 2, 5), x, x)
    with pytest.raises(AssertionError, match="expected `key` and `value` to be 3-D but found 2-D and 3-D"):
        m(x, ember.randn(3, 4), x)
    with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is \(3, 2\), but should be \(3, 3\)."):
        m(x, x, x, attn_mask=ember.zeros(3, 2))
    with pytest.raises(RuntimeError, match=r"The shape of the 3D attn_mask is \(2, 3, 3\), but should be \(4, 3, 3\)"):
        m(x, x, x, attn_mask=ember.zeros(2, 3, 3))
    with pytest.raises(AssertionError, match=r"expecting key_padding_mask shape of \(2, 3\), but got \(2, 4\)"):
        m(x, x, x, key_padding_mask=ember.zeros(2, 4, dtype=ember.bool))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        m(x, x, x, is_causal=True)
    with pytest.raises(AssertionError, match="only bool and floating types of attn_mask are supported"):
        m(x, x, x, attn_mask=ember.zeros(3, 3, dtype=ember.int64))
    with pytest.raises(AssertionError, match="query should be unbatched 2D or batched 3D tensor"):
        m(ember.randn(4), ember.randn(4), ember.randn(4))


# ---- LayerNorm and the encoder ----


def _np_ln(x, w, b, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def test_layer_norm():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 4))
    ln = nn.LayerNorm(4).double()
    assert list(ln.state_dict()) == ["weight", "bias"]
    np.testing.assert_allclose(ln(ember.tensor(x)).detach().numpy(), _np_ln(x, 1, 0), rtol=1e-10)
    w, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    out = F.layer_norm(ember.tensor(x), (3, 4), ember.tensor(w), ember.tensor(b), eps=1e-3)
    flat = x.reshape(2, 12)
    ref = ((flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True) + 1e-3)).reshape(2, 3, 4) * w + b
    np.testing.assert_allclose(out.detach().numpy(), ref, rtol=1e-10)
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[5\], expected input with shape \[\*, 5\]"):
        ln(ember.randn(2, 4)) if False else F.layer_norm(ember.randn(2, 4), (5,))
    assert repr(nn.LayerNorm(4)) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True)"


def _np_encoder_layer(layer, x, add_mask=None):
    """x (L, N, E): PyTorch's post-norm or pre-norm layer in NumPy (eval mode)."""
    sd = {k: _np(t) for k, t in layer.state_dict().items()}
    act = (lambda a: np.maximum(a, 0)) if layer.activation is F.relu else \
        (lambda a: 0.5 * a * (1 + np.vectorize(math.erf)(a / math.sqrt(2))))

    def sa(y):
        return _np_mha(layer.self_attn, y, y, y, add_mask)[0]

    def ff(y):
        return act(y @ sd["linear1.weight"].T + sd["linear1.bias"]) @ sd["linear2.weight"].T + sd["linear2.bias"]

    n1 = lambda y: _np_ln(y, sd["norm1.weight"], sd["norm1.bias"])  # noqa: E731
    n2 = lambda y: _np_ln(y, sd["norm2.weight"], sd["norm2.bias"])  # noqa: E731
    if layer.norm_first:
        x = x + sa(n1(x))
        return x + ff(n2(x))
    x = n1(x + sa(x))
    return n2(x + ff(x))


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_layer_matches_numpy(norm_first, activation, batch_first):
    ember.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, activation=activation, norm_first=norm_first,
                                       batch_first=batch_first).double().eval()
    with ember.no_grad():
        layer.norm1.weight.copy_(ember.randn(8, dtype=ember.float64))
        layer.norm2.bias.copy_(ember.randn(8, dtype=ember.float64))
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 2, 8))
    mask = np.triu(np.ones((5, 5), bool), 1)
    ref = _np_encoder_layer(layer, x, np.where(mask, -np.inf, 0.0))
    inp = ember.tensor(x.transpose(1, 0, 2).copy() if batch_first else x)
    out = layer(inp, src_mask=ember.tensor(mask), is_causal=True).detach().numpy()
    np.testing.assert_allclose(out.transpose(1, 0, 2) if batch_first else out, ref, rtol=1e-9, atol=1e-12)


def test_encoder_stacks_deep_copies():
    ember.manual_seed(0)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0)
    enc = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(4)).double().eval()
    keys = list(enc.state_dict())
    assert "layers.0.self_attn.in_proj_weight" in keys and "layers.1.linear2.bias" in keys
    assert "norm.weight" in keys and "layers.1.self_attn.out_proj.weight" in keys
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight
    with ember.no_grad():
        enc.layers[1].linear1.weight.mul_(2)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((3, 2, 4))
    kpm = np.array([[False, False, True], [False, False, False]])
    add = np.where(kpm, -np.inf, 0.0)[:, None, None, :]
    ref = _np_encoder_layer(enc.layers[1], _np_encoder_layer(enc.layers[0], x, add), add)
    ref = _np_ln(ref, 1, 0)
    out = enc(ember.tensor(x), src_key_padding_mask=ember.tensor(kpm))
    np.testing.assert_allclose(out.detach().numpy(), ref, rtol=1e-9, atol=1e-12)


def test_encoder_layer_errors():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")
    layer = nn.TransformerEncoderLayer(4, 2, activation=lambda t: t * 2, dim_feedforward=8)
    assert list(layer(ember.randn(3, 2, 4)).shape) == [3, 2, 4]


# ---- gradients ----


def test_gradcheck_sdpa_with_causal_mask():
    q = ember.randn(2, 3, 4, dtype=ember.float64, requires_grad=True)
    k = ember.randn(2, 3, 4, dtype=ember.float64, requires_grad=True)
    v = ember.randn(2, 3, 2, dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True), (q, k, v))


def test_gradcheck_mha():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(4, 2).double()
    x = ember.randn(3, 2, 4, dtype=ember.float64, requires_grad=True)
    kpm = ember.tensor([[False, False, True], [False, False, False]])
    assert gradcheck(lambda x, w: m(x, x, x, key_padding_mask=kpm)[0], (x, m.in_proj_weight))
    m(x, x, x)[0].sum().backward()
    assert float(m.out_proj.weight.grad.abs().sum()) > 0


def test_gradcheck_encoder_layer():
    ember.manual_seed(0)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0).double()
    x = ember.randn(3, 2, 4, dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x, w: layer(x), (x, layer.linear1.weight))


def test_readme_sequence_layers_example_runs():
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = text.split("## Neural networks", 1)[1].split("\n## ", 1)[0]
    code = next(c for c in re.findall(r"```python\n(.*?)```", section, re.S) if "nn.LSTM" in c)
    namespace = {}
    exec(compile(code, "README nn sequence", "exec"), namespace)  # noqa: S102
    assert list(namespace["out"].shape) == [4, 10, 32] and list(namespace["h"].shape) == [4, 4, 16]
    assert list(namespace["y"].shape) == [4, 10, 32] and list(namespace["img"].shape) == [1, 3, 16, 16]
