"""RNN, LSTM and GRU (stacked, bidirectional) and their single-step cells,
composed of Ember ops: matmul/addmm for the projections, sigmoid/tanh for
the gates. Parameter names, shapes, gate order, default initialisation,
input layouts and error messages follow PyTorch's torch/nn/modules/rnn.py.

The input projection of every time step is one matmul over the whole
sequence; only the hidden-to-hidden product runs step by step."""
import math
import numbers
import warnings

import ember

from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _relu(x):
    return x.clamp_min(0)


def _linear_step(x, w, b):
    """x @ w^T (+ b) for a 2-D x, through addmm when there is a bias."""
    return x.matmul(w.t()) if b is None else ember.addmm(b, x, w.t())


# ---- one time step of each cell kind ---------------------------------------
# gi is the input projection (W_ih x + b_ih) of this step; the hidden
# projection is computed here. Gate order is PyTorch's.


def _rnn_step(gi, h, w_hh, b_hh, act):
    return act(gi + _linear_step(h, w_hh, b_hh))


def _lstm_step(gi, h, c, w_hh, b_hh, w_hr):
    gates = gi + _linear_step(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c_next = ember.sigmoid(f) * c + ember.sigmoid(i) * ember.tanh(g)
    h_next = ember.sigmoid(o) * ember.tanh(c_next)
    if w_hr is not None:
        h_next = h_next.matmul(w_hr.t())
    return h_next, c_next


def _gru_step(gi, h, w_hh, b_hh):
    # r multiplies (W_hn h + b_hn), so the hidden projection keeps its bias.
    gh = _linear_step(h, w_hh, b_hh)
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = ember.sigmoid(i_r + h_r)
    z = ember.sigmoid(i_z + h_z)
    n = ember.tanh(i_n + r * h_n)
    return n + z * (h - n)  # (1 - z) * n + z * h


class RNNBase(Module):
    """Holds the per-layer, per-direction weights under PyTorch's names
    (weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k},
    weight_hr_l{k} with proj_size) and runs the stacked recurrence."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}")
        if not isinstance(hidden_size, int) or isinstance(hidden_size, bool):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        if proj_size > 0 and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")

        gate_size = _GATES[mode] * hidden_size
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input_size)), ("weight_hh", (gate_size, real_hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                names = []
                for kind, shape in shapes:
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, Parameter(ember.empty(shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def _flat_weights(self):
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """A no-op kept for PyTorch compatibility (no cuDNN weight buffer here)."""

    # ---- input checks, with PyTorch's wording ----

    def check_input(self, input, batch_sizes=None):
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes=None):
        mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.shape) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(tuple(expected_hidden_size), list(hx.shape)))

    def _check_dtype(self, input, *states):
        for s in states:
            if s.dtype != input.dtype:
                raise ValueError(f"[{self._get_name()}] input.dtype = {input.dtype} and hidden state dtype = "
                                 f"{s.dtype} must be the same")
        w = self._flat_weights[0]
        if w.dtype != input.dtype:
            raise RuntimeError(f"[{self._get_name()}] input dtype {input.dtype} does not match parameter dtype "
                               f"{w.dtype}")

    def _batched_layout(self, input, name, dims_word):
        if input.dim() not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D {dims_word}")
        return input.dim() == 3

    # ---- the recurrence ----

    def _layer_weights(self, layer, direction):
        names = self._all_weights[layer * (2 if self.bidirectional else 1) + direction]
        w = {name.split("_l")[0]: getattr(self, name) for name in names}
        return w["weight_ih"], w["weight_hh"], w.get("bias_ih"), w.get("bias_hh"), w.get("weight_hr")

    def _run(self, x, h0, c0=None):
        """x: (L, N, in); h0 (and c0 for LSTM): (layers*dirs, N, H).
        Returns output (L, N, dirs*H_out), h_n and c_n."""
        num_directions = 2 if self.bidirectional else 1
        act = _relu if self.mode == "RNN_RELU" else ember.tanh
        seq_len = x.size(0)
        h_n, c_n = [], []
        layer_input = x
        for layer in range(self.num_layers):
            if layer > 0 and self.dropout > 0 and self.training:
                layer_input = F.dropout(layer_input, self.dropout, True)
            dir_outputs = []
            for direction in range(num_directions):
                w_ih, w_hh, b_ih, b_hh, w_hr = self._layer_weights(layer, direction)
                idx = layer * num_directions + direction
                gi_all = layer_input.matmul(w_ih.t())
                if b_ih is not None:
                    gi_all = gi_all + b_ih
                h = h0[idx]
                c = c0[idx] if c0 is not None else None
                steps = range(seq_len - 1, -1, -1) if direction == 1 else range(seq_len)
                outs = [None] * seq_len
                for t in steps:
                    if self.mode == "LSTM":
                        h, c = _lstm_step(gi_all[t], h, c, w_hh, b_hh, w_hr)
                    elif self.mode == "GRU":
                        h = _gru_step(gi_all[t], h, w_hh, b_hh)
                    else:
                        h = _rnn_step(gi_all[t], h, w_hh, b_hh, act)
                    outs[t] = h
                dir_outputs.append(ember.stack(outs, 0) if seq_len > 0 else
                                   ember.empty((0, x.size(1), h.size(-1)), dtype=x.dtype, device=x.device))
                h_n.append(h)
                if c is not None:
                    c_n.append(c)
            layer_input = dir_outputs[0] if num_directions == 1 else ember.cat(dir_outputs, 2)
        return layer_input, ember.stack(h_n, 0), (ember.stack(c_n, 0) if c_n else None)

    def _forward_impl(self, input, hx_list, name, dims_word):
        """Normalises the layout to (L, N, H), checks sizes, runs, restores the layout."""
        is_batched = self._batched_layout(input, name, dims_word)
        if not is_batched:
            input = input.unsqueeze(1)
            hx_list = [h.unsqueeze(1) if h is not None else None for h in hx_list]
        elif self.batch_first:
            input = input.transpose(0, 1)
        self.check_input(input, None)
        num_directions = 2 if self.bidirectional else 1
        batch = input.size(1)
        h_size = self.proj_size if self.proj_size > 0 else self.hidden_size
        expected = [(self.num_layers * num_directions, batch, h_size),
                    (self.num_layers * num_directions, batch, self.hidden_size)]
        states = []
        for k, h in enumerate(hx_list):
            if h is None:
                h = ember.zeros(expected[k], dtype=input.dtype, device=input.device)
            else:
                label = "" if len(hx_list) == 1 else f"[{k}]"
                msg = f"Expected hidden{label} size {{}}, got {{}}"
                self.check_hidden_size(h, expected[k], msg)
            states.append(h)
        self._check_dtype(input, *states)
        output, h_n, c_n = self._run(input, *states)
        if not is_batched:
            output, h_n = output.squeeze(1), h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, h_n, c_n

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)


class RNN(RNNBase):
    """h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act tanh or relu."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if hx is not None and input.dim() in (2, 3):
            want = 3 if input.dim() == 3 else 2
            if hx.dim() != want:
                kind = "batched 3-D" if want == 3 else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got {hx.dim()}-D tensor")
        output, h_n, _ = self._forward_impl(input, [hx], "RNN", "tensor instead")
        return output, h_n

    def extra_repr(self):
        s = super().extra_repr()
        return s + f", nonlinearity={self.nonlinearity!r}" if self.nonlinearity != "tanh" else s


class LSTM(RNNBase):
    """Gates i, f, g, o (in that order in the weights); c_t = f c + i g,
    h_t = o tanh(c_t), projected by weight_hr when proj_size > 0."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        if hx is not None and input.dim() in (2, 3):
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError("[LSTM] hx must be a tuple (h_0, c_0)")
            want = 3 if input.dim() == 3 else 2
            if hx[0].dim() != want or hx[1].dim() != want:
                kind = "batched 3-D" if want == 3 else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D but got "
                                   f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
        states = list(hx) if hx is not None else [None, None]
        output, h_n, c_n = self._forward_impl(input, states, "LSTM", "instead")
        return output, (h_n, c_n)


class GRU(RNNBase):
    """Gates r, z, n: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
    h_t = (1 - z) n + z h."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        if hx is not None and input.dim() in (2, 3):
            want = 3 if input.dim() == 3 else 2
            if hx.dim() != want:
                kind = "batched 3-D" if want == 3 else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got {hx.dim()}-D tensor")
        output, h_n, _ = self._forward_impl(input, [hx], "GRU", "instead")
        return output, h_n


# ---- cells -------------------------------------------------------------------


class RNNCellBase(Module):
    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(ember.empty((num_chunks * hidden_size, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(ember.empty((num_chunks * hidden_size, hidden_size), device=device,
                                               dtype=dtype))
        if bias:
            self.bias_ih = Parameter(ember.empty(num_chunks * hidden_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(ember.empty(num_chunks * hidden_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def _prepare(self, name, input, states):
        """Checks dims and sizes (PyTorch's wording); returns the 2-D input,
        2-D states (zeros when None) and whether the input was batched."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for s in states:
            if s is not None and s.dim() not in (1, 2):
                raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {s.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}")
        out = []
        for k, s in enumerate(states):
            label = "" if len(states) == 1 else f"[{k}]"
            if s is None:
                s = ember.zeros((input.size(0), self.hidden_size), dtype=input.dtype, device=input.device)
            elif not is_batched:
                s = s.unsqueeze(0)
            if s.dim() != 2 or s.size(0) != input.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{label} batch size "
                                   f"{s.size(0)}")
            if s.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {s.size(1)}, expected "
                                   f"{self.hidden_size}")
            if s.dtype != input.dtype:
                raise ValueError(f"[{name}] input.dtype = {input.dtype} and hidden state dtype = {s.dtype} must "
                                 "be the same")
            out.append(s)
        if self.weight_ih.dtype != input.dtype:
            raise RuntimeError(f"[{name}] input dtype {input.dtype} does not match parameter dtype "
                               f"{self.weight_ih.dtype}")
        return input, out, is_batched


class RNNCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        x, (h,), is_batched = self._prepare("RNNCell", input, [hx])
        act = ember.tanh if self.nonlinearity == "tanh" else _relu
        ret = _rnn_step(_linear_step(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh, act)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        states = [None, None] if hx is None else list(hx)
        x, (h, c), is_batched = self._prepare("LSTMCell", input, states)
        h, c = _lstm_step(_linear_step(x, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh, None)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        x, (h,), is_batched = self._prepare("GRUCell", input, [hx])
        ret = _gru_step(_linear_step(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
