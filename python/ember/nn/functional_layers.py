"""The layer functions of ``ember.nn.functional`` that run on C++ kernels:
convolution, pooling, normalisation, activations, cross_entropy/nll_loss,
unfold/fold, dropout2d; and ctc_loss composed of Ember ops. The kernels are
the differentiable entry points bound in python/src/nn_autograd.cpp (each
records its backward node). Argument checks and messages follow PyTorch's
torch/nn/functional.py and ATen."""
import math
import numbers
import warnings

import ember

_nn = ember._C._nn

__all__ = [
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "unfold", "fold",
    "max_pool1d", "max_pool2d", "max_pool1d_with_indices", "max_pool2d_with_indices", "avg_pool1d", "avg_pool2d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "batch_norm", "layer_norm", "group_norm", "rms_norm", "instance_norm",
    "threshold", "threshold_", "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "elu", "elu_", "selu",
    "selu_", "celu", "celu_", "gelu", "silu", "mish", "softplus", "hardtanh", "hardtanh_", "hardsigmoid",
    "hardswish", "sigmoid", "tanh", "softsign", "hardshrink", "softshrink", "logsigmoid",
    "cross_entropy", "nll_loss", "ctc_loss", "dropout2d",
]


# ---- argument helpers -------------------------------------------------------


def _ntuple(name, value, n):
    """An int repeated n times, or a sequence of exactly n ints."""
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise RuntimeError(f"[{name}] expected a single integer or a list of {n} integers, got {list(value)}")
    return value


def _reduction_of(size_average, reduce, reduction):
    from .functional import _reduction  # the deprecated size_average/reduce handling lives there
    return _reduction(size_average, reduce, reduction)


def _check_spatial(name, input, n):
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"[{name}] Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {name}, but got "
                           f"input of size: {list(input.shape)}")


def _batched(name, input, n, fn):
    """Runs fn on a batched input, adding and removing the batch dim of an
    unbatched one (PyTorch accepts both)."""
    _check_spatial(name, input, n)
    if input.dim() == n + 1:
        out = fn(input.unsqueeze(0))
        return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)
    return fn(input)


# ---- convolution -------------------------------------------------------------


def _conv(name, n, input, weight, bias, stride, padding, dilation, groups):
    if weight.dim() != n + 2:
        raise RuntimeError(f"[{name}] Expected {n + 2}-dimensional weight for {n + 2}-dimensional input "
                           f"{list(input.shape)}, but got {weight.dim()}-dimensional weight of size "
                           f"{list(weight.shape)}")
    stride = _ntuple(name, stride, n)
    dilation = _ntuple(name, dilation, n)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * n
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"[{name}] padding='same' is not supported for strided convolutions")
            left, extra = [], []
            for d, k in zip(dilation, weight.shape[2:]):
                total = d * (k - 1)
                left.append(total // 2)
                extra.append(total - 2 * (total // 2))
            if any(extra):
                # An odd total padding: the extra element goes on the right, as PyTorch does.
                pad = []
                for e in reversed(extra):
                    pad += [0, e]
                input = _pad_input(input, pad)
            padding = tuple(left)
        else:
            raise ValueError(f"[{name}] Invalid padding string '{padding}', should be one of {{'valid', 'same'}}")
    else:
        padding = _ntuple(name, padding, n)

    def run(x):
        return _nn.convolution(x, weight, bias, stride, padding, dilation, False, (0,) * n, groups)

    return _batched(name, input, n, run)


def _pad_input(input, pad):
    from .functional import pad as _pad
    return _pad(input, pad)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(name, n, input, weight, bias, stride, padding, output_padding, groups, dilation):
    if isinstance(padding, str):
        raise ValueError(f"[{name}] padding must be an int or a tuple of ints, not the string '{padding}'")
    if weight.dim() != n + 2:
        raise RuntimeError(f"[{name}] Expected {n + 2}-dimensional weight, but got {weight.dim()}-dimensional "
                           f"weight of size {list(weight.shape)}")
    args = [_ntuple(name, a, n) for a in (stride, padding, dilation, output_padding)]

    def run(x):
        return _nn.convolution(x, weight, bias, args[0], args[1], args[2], True, args[3], groups)

    return _batched(name, input, n, run)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (N, C, H, W) input as columns: (N, C*kh*kw, L)."""
    if input.dim() not in (3, 4):
        raise NotImplementedError(f"[unfold] Input Error: Only 3D or 4D input Tensors are supported "
                                  f"(got {input.dim()}D)")
    return _nn.im2col(input, _ntuple("unfold", kernel_size, 2), _ntuple("unfold", dilation, 2),
                      _ntuple("unfold", padding, 2), _ntuple("unfold", stride, 2))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums columns (N, C*kh*kw, L) back into a (N, C, H, W) image (unfold's adjoint)."""
    if input.dim() not in (2, 3):
        raise NotImplementedError(f"[fold] Input Error: Only unbatched (2D) or batched (3D) input Tensors are "
                                  f"supported (got {input.dim()}D)")
    return _nn.col2im(input, _ntuple("fold", output_size, 2), _ntuple("fold", kernel_size, 2),
                      _ntuple("fold", dilation, 2), _ntuple("fold", padding, 2), _ntuple("fold", stride, 2))


# ---- pooling -----------------------------------------------------------------


def _stride_or_kernel(stride):
    return None if stride is None or (not isinstance(stride, numbers.Integral) and len(stride) == 0) else stride


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    return _nn.max_pool1d_with_indices(input, kernel_size, _stride_or_kernel(stride), padding, dilation, ceil_mode)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    return _nn.max_pool2d_with_indices(input, kernel_size, _stride_or_kernel(stride), padding, dilation, ceil_mode)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    out, idx = max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (out, idx) if return_indices else out


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    out, idx = max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (out, idx) if return_indices else out


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _nn.avg_pool1d(input, kernel_size, _stride_or_kernel(stride), padding, ceil_mode, count_include_pad)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _nn.avg_pool2d(input, kernel_size, _stride_or_kernel(stride), padding, ceil_mode, count_include_pad,
                          divisor_override)


def _adaptive_size(name, input, output_size, n):
    """output_size with None entries taken from the input's spatial sizes."""
    if isinstance(output_size, numbers.Integral) or output_size is None:
        output_size = (output_size,) * n
    output_size = tuple(output_size)
    if len(output_size) != n:
        raise RuntimeError(f"[{name}] output_size must have {n} elements, got {list(output_size)}")
    spatial = input.shape[-n:] if input.dim() >= n else (None,) * n
    return tuple(int(s if o is None else o) for o, s in zip(output_size, spatial))


def adaptive_avg_pool1d(input, output_size):
    return _nn.adaptive_avg_pool1d(input, _adaptive_size("adaptive_avg_pool1d", input, output_size, 1))


def adaptive_avg_pool2d(input, output_size):
    return _nn.adaptive_avg_pool2d(input, _adaptive_size("adaptive_avg_pool2d", input, output_size, 2))


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=True):
    return _nn.adaptive_max_pool1d(input, _adaptive_size("adaptive_max_pool1d", input, output_size, 1))


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=True):
    return _nn.adaptive_max_pool2d(input, _adaptive_size("adaptive_max_pool2d", input, output_size, 2))


def adaptive_max_pool1d(input, output_size, return_indices=False):
    out, idx = adaptive_max_pool1d_with_indices(input, output_size)
    return (out, idx) if return_indices else out


def adaptive_max_pool2d(input, output_size, return_indices=False):
    out, idx = adaptive_max_pool2d_with_indices(input, output_size)
    return (out, idx) if return_indices else out


# ---- normalisation -----------------------------------------------------------


def _verify_batch_size(size):
    count = size[0]
    for s in size[2:]:
        count *= s
    if count == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalise over every dim but 1; in training, the batch statistics (and
    running stats updated in place with `momentum`), else the running stats."""
    if training:
        _verify_batch_size(input.shape)
    elif running_mean is None or running_var is None:
        raise RuntimeError("[batch_norm] running_mean and running_var must be defined in evaluation mode")
    return _nn.native_batch_norm(input, weight, bias, running_mean, running_var, training,
                                 0.0 if momentum is None else momentum, eps)[0]


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    if isinstance(normalized_shape, numbers.Integral):
        normalized_shape = (normalized_shape,)
    return _nn.native_layer_norm(input, tuple(normalized_shape), weight, bias, eps)[0]


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups != 0:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    hxw = input.numel() // (n * c) if n * c else 0
    return _nn.native_group_norm(input, weight, bias, n, c, hxw, num_groups, eps)[0]


def rms_norm(input, normalized_shape, weight=None, eps=None):
    if isinstance(normalized_shape, numbers.Integral):
        normalized_shape = (normalized_shape,)
    return _nn.rms_norm(input, tuple(normalized_shape), weight, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Per-sample, per-channel normalisation: group_norm with one channel per group."""
    if not use_input_stats or running_mean is not None or running_var is not None:
        raise NotImplementedError("[instance_norm] running statistics are not supported; use "
                                  "use_input_stats=True without running_mean/running_var")
    if input.dim() < 3:
        raise ValueError(f"[instance_norm] expected an input with at least 3 dims (N, C, L...), got "
                         f"{list(input.shape)}")
    _verify_spatial_size(input.shape)
    return group_norm(input, input.shape[1], weight, bias, eps)


def _verify_spatial_size(size):
    count = 1
    for s in size[2:]:
        count *= s
    if count == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")


# ---- activations -------------------------------------------------------------


def threshold(input, threshold, value, inplace=False):
    return (_nn.threshold_ if inplace else _nn.threshold)(input, threshold, value)


def threshold_(input, threshold, value):
    return _nn.threshold_(input, threshold, value)


def relu(input, inplace=False):
    return _nn.relu_(input) if inplace else _nn.relu(input)


def relu_(input):
    return _nn.relu_(input)


def relu6(input, inplace=False):
    return _nn.relu6_(input) if inplace else _nn.relu6(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return (_nn.leaky_relu_ if inplace else _nn.leaky_relu)(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return _nn.leaky_relu_(input, negative_slope)


def prelu(input, weight):
    """max(0, x) + weight * min(0, x), weight broadcast along the channel dim 1."""
    if weight.dim() != 1:
        raise RuntimeError(f"[prelu] weight must be 1-D, got shape {list(weight.shape)}")
    n = weight.numel()
    if n != 1:
        channels = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim() == 1 else 1)
        if input.dim() == 0 or channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{n} and channel size = {channels}.")
        if input.dim() >= 2:
            weight = weight.reshape(n, *([1] * (input.dim() - 2)))
    return ember.where(input > 0, input, weight * input)


def elu(input, alpha=1.0, inplace=False):
    return (_nn.elu_ if inplace else _nn.elu)(input, alpha)


def elu_(input, alpha=1.0):
    return _nn.elu_(input, alpha)


def selu(input, inplace=False):
    return _nn.selu_(input) if inplace else _nn.selu(input)


def selu_(input):
    return _nn.selu_(input)


def celu(input, alpha=1.0, inplace=False):
    return (_nn.celu_ if inplace else _nn.celu)(input, alpha)


def celu_(input, alpha=1.0):
    return _nn.celu_(input, alpha)


def gelu(input, approximate="none"):
    return _nn.gelu(input, approximate)


def silu(input, inplace=False):
    return _nn.silu_(input) if inplace else _nn.silu(input)


def mish(input, inplace=False):
    return _nn.mish_(input) if inplace else _nn.mish(input)


def softplus(input, beta=1.0, threshold=20.0):
    return _nn.softplus(input, beta, threshold)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    return (_nn.hardtanh_ if inplace else _nn.hardtanh)(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return _nn.hardtanh_(input, min_val, max_val)


def hardsigmoid(input, inplace=False):
    return _nn.hardsigmoid_(input) if inplace else _nn.hardsigmoid(input)


def hardswish(input, inplace=False):
    return _nn.hardswish_(input) if inplace else _nn.hardswish(input)


def sigmoid(input):
    return ember.sigmoid(input)


def tanh(input):
    return ember.tanh(input)


def softsign(input):
    return _nn.softsign(input)


def hardshrink(input, lambd=0.5):
    return _nn.hardshrink(input, lambd)


def softshrink(input, lambd=0.5):
    return _nn.softshrink(input, lambd)


def logsigmoid(input):
    return _nn.log_sigmoid(input)


# ---- losses ------------------------------------------------------------------


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """log_softmax + nll over dim 1 (dim 0 for an unbatched (C,) input), fused in one kernel.
    target holds class indices (int64) or class probabilities (input's shape)."""
    reduction = _reduction_of(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    return _nn.cross_entropy_loss(input, target, weight, reduction, ignore_index, label_smoothing)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    reduction = _reduction_of(size_average, reduce, reduction)
    return _nn.nll_loss(input, target, weight, reduction, ignore_index)


def _lengths(name, lengths, batch):
    if isinstance(lengths, ember.Tensor):
        values = [int(v) for v in lengths.reshape(-1).tolist()]
    else:
        values = [int(v) for v in (lengths if isinstance(lengths, (list, tuple)) else [lengths])]
    if len(values) != batch:
        raise RuntimeError(f"[ctc_loss] {name} must be of size batch_size ({batch}), got {len(values)}")
    return values


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """Connectionist temporal classification loss: -log of the total
    probability of every alignment of each target to its input, by the
    log-space forward algorithm over the extended target (blanks between and
    around the labels). Written with Ember ops, so autograd differentiates it.
    log_probs (T, N, C) or (T, C); targets (N, S) padded or the targets
    concatenated in 1-D; reduction mean divides each loss by its target
    length, then averages over the batch."""
    reduction = _reduction_of(None, None, reduction)
    unbatched = log_probs.dim() == 2
    if log_probs.dim() not in (2, 3):
        raise RuntimeError(f"[ctc_loss] log_probs must be 2-D (T, C) or 3-D (T, N, C), got {list(log_probs.shape)}")
    if not log_probs.is_floating_point():
        raise RuntimeError(f"[ctc_loss] log_probs must be floating point, got {log_probs.dtype}")
    if unbatched:
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0) if targets.dim() == 1 else targets
    T, N, C = log_probs.shape
    if not 0 <= blank < C:
        raise RuntimeError(f"[ctc_loss] blank must be in label range [0, {C}), got {blank}")
    in_lens = _lengths("input_lengths", input_lengths, N)
    tg_lens = _lengths("target_lengths", target_lengths, N)
    for b, (il, tl) in enumerate(zip(in_lens, tg_lens)):
        if not 0 <= il <= T:
            raise RuntimeError(f"[ctc_loss] Expected input_lengths to have value at most {T}, but got value {il} "
                               f"(at batch {b})")
        if tl < 0:
            raise RuntimeError(f"[ctc_loss] target_lengths must be non-negative, got {tl} (at batch {b})")
    rows = _ctc_target_rows(targets, tg_lens, N)
    L = max(tg_lens) if tg_lens else 0
    S = 2 * L + 1
    # Extended targets: blank, l1, blank, l2, ..., blank (padded with blanks).
    ext = [[blank] * S for _ in range(N)]
    for b, r in enumerate(rows):
        for i, lab in enumerate(r):
            if not 0 <= lab < C or lab == blank:
                raise RuntimeError(f"[ctc_loss] target label {lab} (batch {b}) must be in [0, {C}) and differ from "
                                   f"blank={blank}")
            ext[b][2 * i + 1] = lab
    skip = [[s >= 2 and ext[b][s] != blank and ext[b][s] != ext[b][s - 2] for s in range(S)] for b in range(N)]
    dev = log_probs.device
    ext_t = ember.tensor(ext, dtype=ember.int64, device=dev)
    skip_t = ember.tensor(skip, dtype=ember.bool, device=dev)
    # Unreachable states hold a huge negative number instead of -inf, so that
    # logsumexp and its gradient stay finite (exp underflows to exactly 0).
    neg = -1e30 if log_probs.dtype != ember.float16 else -6e4
    lp = ember.gather(log_probs, 2, ext_t.unsqueeze(0).expand(T, N, S)) if T > 0 else None
    neg_col = ember.full((N, 1), neg, dtype=log_probs.dtype, device=dev)
    start = ember.tensor([[s < 2 and (s < 2 * tl + 1) for s in range(S)] for tl in tg_lens], dtype=ember.bool,
                         device=dev)
    alpha = ember.where(start, lp[0], neg) if T > 0 else ember.full((N, S), neg, dtype=log_probs.dtype, device=dev)
    in_len_t = ember.tensor(in_lens, dtype=ember.int64, device=dev).unsqueeze(1)
    for t in range(1, T):
        a1 = ember.cat([neg_col, alpha[:, :-1]], 1)
        a2 = ember.where(skip_t, ember.cat([neg_col, neg_col, alpha[:, :-2]], 1) if S > 2 else alpha, neg)
        new = _logsumexp3(alpha, a1, a2) + lp[t]
        alpha = ember.where(in_len_t > t, new, alpha)
    # The total: the last label or the final blank of each extended target.
    last = ember.tensor([[2 * tl, max(2 * tl - 1, 0)] for tl in tg_lens], dtype=ember.int64, device=dev)
    ends = ember.gather(alpha, 1, last)
    has_label = ember.tensor([[True, tl > 0] for tl in tg_lens], dtype=ember.bool, device=dev)
    ends = ember.where(has_label, ends, neg)
    m = ends.detach().amax(1, keepdim=True)
    loss = -((ends - m).exp().sum(1).log() + m.squeeze(1))
    no_input = ember.tensor([il == 0 for il in in_lens], dtype=ember.bool, device=dev)
    feasible = (loss.detach() < -neg / 2) & ~(no_input & ember.tensor([tl > 0 for tl in tg_lens], device=dev))
    bad = 0.0 if zero_infinity else math.inf
    loss = ember.where(feasible, loss, ember.full_like(loss, bad))
    if reduction == "mean":
        denom = ember.tensor([max(tl, 1) for tl in tg_lens], dtype=loss.dtype, device=dev)
        return (loss / denom).mean()
    if reduction == "sum":
        return loss.sum()
    return loss.squeeze(0) if unbatched else loss


def _logsumexp3(a, b, c):
    m = ember.maximum(ember.maximum(a, b), c).detach()
    return ((a - m).exp() + (b - m).exp() + (c - m).exp()).log() + m


def _ctc_target_rows(targets, tg_lens, N):
    """Each batch element's labels, from padded (N, S) or concatenated 1-D targets."""
    if targets.dtype not in (ember.int64, ember.int32):
        raise RuntimeError(f"[ctc_loss] targets must be int64 or int32, got {targets.dtype}")
    flat = [int(v) for v in targets.reshape(-1).tolist()]
    if targets.dim() == 2:
        if targets.shape[0] != N:
            raise RuntimeError(f"[ctc_loss] targets must have batch size {N}, got {list(targets.shape)}")
        width = targets.shape[1]
        if any(tl > width for tl in tg_lens):
            raise RuntimeError(f"[ctc_loss] Expected tensor to have size at least {max(tg_lens)} at dimension 1, "
                               f"but got size {width} for argument #2 'targets'")
        return [flat[b * width:b * width + tl] for b, tl in enumerate(tg_lens)]
    if targets.dim() != 1:
        raise RuntimeError(f"[ctc_loss] targets must be 1-D or 2-D, got {list(targets.shape)}")
    if sum(tg_lens) != len(flat):
        raise RuntimeError(f"[ctc_loss] Expected tensor to have size {sum(tg_lens)} at dimension 0 (the sum of "
                           f"target_lengths), but got size {len(flat)} for argument #2 'targets'")
    rows, pos = [], 0
    for tl in tg_lens:
        rows.append(flat[pos:pos + tl])
        pos += tl
    return rows


# ---- dropout -----------------------------------------------------------------


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (N, C, H, W) or (C, H, W) with probability p; scale the rest by 1/(1-p)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if input.dim() not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.dim()}-D input to dropout2d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on "
                      "inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", stacklevel=2)
    if not training or p == 0.0:
        return input
    if input.dim() < 2:
        raise RuntimeError(f"[dropout2d] expected an input with a channel dim, got {list(input.shape)}")
    mask_shape = list(input.shape[:2]) + [1] * (input.dim() - 2)
    if input.dim() == 3:
        mask_shape = [input.shape[0], 1, 1]  # unbatched (C, H, W)
    if p == 1.0:
        mask = ember.zeros(mask_shape, dtype=input.dtype, device=input.device)
    else:
        mask = ember.bernoulli(ember.full(mask_shape, 1.0 - p, dtype=input.dtype, device=input.device)).div_(1.0 - p)
    return input.mul_(mask) if inplace else input * mask
