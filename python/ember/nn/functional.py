"""``ember.nn.functional``: the functions behind the layers, written as
compositions of Ember ops (so autograd differentiates them once it lands).
Argument checks and messages follow PyTorch's torch/nn/functional.py.
Convolution, pooling, normalisation, cross_entropy/nll_loss and the
activations come from the C++ kernels in ember._C._nn."""
import warnings

import ember

from ._grad_mode import _no_grad
from .functional_layers import *  # noqa: F401,F403  (conv, pooling, norms, activations, cross_entropy, ctc_loss)
from .functional_layers import __all__ as _layers_all

__all__ = [
    "linear", "bilinear", "dropout", "softmax", "log_softmax", "one_hot", "normalize", "pad", "pixel_shuffle",
    "pixel_unshuffle", "embedding", "pairwise_distance", "cosine_similarity", "mse_loss", "l1_loss",
    "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cosine_embedding_loss", "margin_ranking_loss", "triplet_margin_loss",
] + _layers_all


# ---- layers ---------------------------------------------------------------


def linear(input, weight, bias=None):
    """y = x W^T + b over the last dim of x."""
    if weight.dim() not in (1, 2):
        raise RuntimeError(f"[linear] weight must be 1-D or 2-D, got shape {list(weight.shape)}")
    if input.dim() == 0 or input.size(-1) != weight.size(-1):
        in_shape = "x".join(str(s) for s in input.shape) or "scalar"
        raise RuntimeError(f"[linear] input and weight shapes cannot be multiplied: input {list(input.shape)} "
                           f"({in_shape}) has {input.size(-1) if input.dim() else 0} features, weight "
                           f"{list(weight.shape)} expects {weight.size(-1)}")
    out = ember.matmul(input, weight.t() if weight.dim() == 2 else weight)
    return out if bias is None else out + bias


def bilinear(input1, input2, weight, bias=None):
    """y_o = x1^T W_o x2 + b_o, over the last dims of x1 and x2."""
    if weight.dim() != 3:
        raise RuntimeError(f"[bilinear] expected a 3-D weight, got shape {list(weight.shape)}")
    if input1.dim() != input2.dim() or input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"[bilinear] input batch dimensions must match: got {list(input1.shape)} and "
                           f"{list(input2.shape)}")
    if input1.size(-1) != weight.size(1) or input2.size(-1) != weight.size(2):
        raise RuntimeError(f"[bilinear] input sizes {input1.size(-1)} and {input2.size(-1)} do not match weight "
                           f"{list(weight.shape)}")
    batch = input1.shape[:-1]
    x1 = input1.reshape(-1, input1.size(-1))
    x2 = input2.reshape(-1, input2.size(-1))
    out = ember.einsum("bi,oij,bj->bo", x1, weight, x2).reshape(*batch, weight.size(0))
    return out if bias is None else out + bias


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1/(1-p)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        mask = ember.zeros_like(input)
    else:
        mask = ember.bernoulli(ember.full_like(input, 1.0 - p)).div_(1.0 - p)
    return input.mul_(mask) if inplace else input * mask


def _softmax_dim(name, ndim):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    return ember.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    return ember.log_softmax(input, dim, dtype=dtype)


def one_hot(tensor, num_classes=-1):
    """int64 tensor of shape (*tensor.shape, num_classes) with ones at the class indices."""
    if tensor.dtype != ember.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(tensor.max().item()) + 1
    elif num_classes < -1:
        raise RuntimeError(f"one_hot: num_classes should be -1 or non-negative, got {num_classes}")
    if tensor.numel() > 0:
        if tensor.min().item() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if tensor.max().item() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return (tensor.unsqueeze(-1) == ember.arange(num_classes)).long()


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps)."""
    denom = ember.linalg.vector_norm(input, p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    result = input / denom
    if out is not None:
        return out.copy_(result)
    return result


def _pad_pairs(name, input, pad):
    if len(pad) % 2 != 0:
        raise RuntimeError(f"[{name}] Padding length must be divisible by 2, got {len(pad)}")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"[{name}] Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension {input.dim()}")
    # pad lists the last dim first: (left_last, right_last, left_prev, ...).
    return [(input.dim() - 1 - i, int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(len(pad) // 2)]


def _pad_index(mode, n, left, right, dim, input):
    """Source indices for a reflect/replicate/circular-padded dim of length n."""
    if mode == "reflect" and (left >= n or right >= n):
        raise RuntimeError(f"[pad] Padding size should be less than the corresponding input dimension, but got: "
                           f"padding ({left}, {right}) at dimension {dim} of input {list(input.shape)}")
    if mode == "circular" and (left > n or right > n):
        raise RuntimeError("[pad] Padding value causes wrapping around more than once.")
    if n == 0:
        raise RuntimeError(f"[pad] {mode} padding needs a non-empty dimension {dim} in input {list(input.shape)}")
    idx = []
    for i in range(-left, n + right):
        if mode == "reflect":
            period = 2 * (n - 1) if n > 1 else 1
            j = i % period
            idx.append(j if j < n else period - j)
        elif mode == "replicate":
            idx.append(min(max(i, 0), n - 1))
        else:
            idx.append(i % n)
    return ember.tensor(idx, dtype=ember.int64)


def pad(input, pad, mode="constant", value=None):
    """Pad the last len(pad)//2 dims; negative padding crops (constant mode)."""
    pairs = _pad_pairs("pad", input, pad)
    if mode == "constant":
        new_shape = list(input.shape)
        for d, lo, hi in pairs:
            new_shape[d] += lo + hi
            if new_shape[d] < 0:
                raise RuntimeError(f"[pad] The input size {input.size(d)}, plus negative padding {lo} and {hi} "
                                   f"resulted in a negative output size, which is invalid. Check dimension {d} "
                                   "of your input.")
        out = ember.full(new_shape, 0 if value is None else value, dtype=input.dtype)
        src, dst = input, out
        for d, lo, hi in pairs:
            # Negative pads crop the input; positive pads offset it in the output.
            src = src.narrow(d, max(-lo, 0), max(src.size(d) - max(-lo, 0) - max(-hi, 0), 0))
            dst = dst.narrow(d, max(lo, 0), src.size(d))
        if src.numel() > 0:
            dst.copy_(src)
        return out
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"[pad] Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise ValueError(f'[pad] Padding mode "{mode}" doesn\'t take in value argument.')
    if len(pairs) > 3 or input.dim() < len(pairs) + 1:
        raise NotImplementedError(f"[pad] {mode} padding of {len(pairs)} dims needs a {len(pairs) + 1}-D or "
                                  f"{len(pairs) + 2}-D input, got {input.dim()}-D input of shape {list(input.shape)}")
    out = input
    for d, lo, hi in pairs:
        if mode != "circular" and (lo < 0 or hi < 0):
            raise RuntimeError(f"[pad] {mode} padding must be non-negative, got ({lo}, {hi})")
        n = out.size(d)
        if mode == "circular" and (lo < 0 or hi < 0):
            out = out.narrow(d, max(-lo, 0), n - max(-lo, 0) - max(-hi, 0))
            lo, hi, n = max(lo, 0), max(hi, 0), out.size(d)
        out = ember.index_select(out, d, _pad_index(mode, n, lo, hi, d, input))
    return out


def pixel_shuffle(input, upscale_factor):
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r)."""
    r = upscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if c % (r * r) != 0:
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    batch = tuple(input.shape[:-3])
    nb = len(batch)
    x = input.reshape(*batch, c // (r * r), r, r, h, w)
    x = x.permute(*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2)
    return x.reshape(*batch, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H*r, W*r) -> (*, C*r*r, H, W)."""
    r = downscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if h % r != 0:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but "
                           f"input.size(-2)={h} is not divisible by {r}")
    if w % r != 0:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but "
                           f"input.size(-1)={w} is not divisible by {r}")
    batch = tuple(input.shape[:-3])
    nb = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    x = x.permute(*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3)
    return x.reshape(*batch, c * r * r, h // r, w // r)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of weight at the indices in input: output shape (*input.shape, embedding_dim)."""
    if input.dtype not in (ember.int64, ember.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding)")
    if weight.dim() != 2:
        raise RuntimeError(f"'weight' must be 2-D, got shape {list(weight.shape)}")
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= weight.size(0):
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0 and padding_idx < -weight.size(0):
            raise AssertionError("Padding_idx must be within num_embeddings")
    if sparse:
        raise NotImplementedError("[embedding] sparse gradients are not supported")
    flat = input.reshape(-1).long()
    if flat.numel() > 0:
        lo, hi = flat.min().item(), flat.max().item()
        if lo < 0 or hi >= weight.size(0):
            raise IndexError(f"[embedding] index {lo if lo < 0 else hi} is out of range for an embedding with "
                             f"{weight.size(0)} rows")
    if max_norm is not None:
        _embedding_renorm_(weight, flat, max_norm, norm_type)
    return ember.index_select(weight, 0, flat).reshape(*input.shape, weight.size(1))


def _embedding_renorm_(weight, indices, max_norm, norm_type):
    """Scale, in place, the rows used whose norm exceeds max_norm down to
    max_norm (PyTorch's embedding_renorm_, same 1e-7 guard)."""
    if indices.numel() == 0:
        return
    with _no_grad():
        rows = ember.unique(indices)
        sel = ember.index_select(weight, 0, rows)
        norms = ember.linalg.vector_norm(sel, norm_type, 1, keepdim=True)
        scale = ember.where(norms > max_norm, max_norm / (norms + 1e-7), ember.ones_like(norms))
        weight.index_copy_(0, rows, sel * scale)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dim."""
    return ember.linalg.vector_norm(x1 - x2 + eps, p, -1, keepdim=keepdim)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    n1 = ember.linalg.vector_norm(x1, 2, dim, keepdim=True).clamp_min(eps)
    n2 = ember.linalg.vector_norm(x2, 2, dim, keepdim=True).clamp_min(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


# ---- losses ---------------------------------------------------------------


def _reduction(size_average, reduce, reduction):
    """The reduction string, honouring the deprecated size_average/reduce."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", stacklevel=3)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_target_size(name, input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)
    try:
        ember.broadcast_shapes(input.shape, target.shape)
    except Exception:
        raise RuntimeError(f"[{name}] The size of input {list(input.shape)} and target {list(target.shape)} "
                           "cannot be broadcast together") from None


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    reduction = _reduction(size_average, reduce, reduction)
    _check_target_size("mse_loss", input, target)
    diff = input - target
    loss = diff * diff
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    reduction = _reduction(size_average, reduce, reduction)
    _check_target_size("l1_loss", input, target)
    loss = (input - target).abs()
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 z^2 / beta where z = |input - target| < beta, z - 0.5 beta elsewhere."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_target_size("smooth_l1_loss", input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    z = (input - target).abs()
    if beta == 0:
        return _reduce(z, reduction)
    return _reduce(ember.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 z^2 where z = |input - target| < delta, delta (z - 0.5 delta) elsewhere."""
    reduction = _reduction(None, None, reduction)
    _check_target_size("huber_loss", input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    z = (input - target).abs()
    loss = ember.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target * (log target - input), input being log-probabilities; 0 log 0 = 0."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        loss = ember.exp(target) * (target - input)
    else:
        loss = ember.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.size(0) if input.dim() != 0 else loss.sum()
    return _reduce(loss, reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)), each log clamped at -100 as in PyTorch."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if input.numel() > 0 and not bool(((input >= 0) & (input <= 1)).all()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    loss = -(target * ember.log(input).clamp_min(-100) + (1 - target) * ember.log(1 - input).clamp_min(-100))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """binary_cross_entropy(sigmoid(x), t) computed stably from the logits:
    (1 - t) x + (1 + (pw - 1) t) (log(1 + exp(-|x|)) + max(-x, 0))."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    log_sigmoid_neg = ember.log1p(ember.exp(-input.abs())) + (-input).clamp_min(0)  # -log(sigmoid(x))
    if pos_weight is not None:
        loss = (1 - target) * input + (1 + (pos_weight - 1) * target) * log_sigmoid_neg
    else:
        loss = (1 - target) * input + log_sigmoid_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1."""
    reduction = _reduction(size_average, reduce, reduction)
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported, got {targ_dim}D target")
    if targ_dim == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if targ_dim == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if input1.shape != input2.shape:
        raise RuntimeError(f"[cosine_embedding_loss] input1 {list(input1.shape)} and input2 {list(input2.shape)} "
                           "must have the same shape")
    eps = 1e-12
    prod_sum = (input1 * input2).sum(targ_dim)
    mag_square1 = (input1 * input1).sum(targ_dim) + eps
    mag_square2 = (input2 * input2).sum(targ_dim) + eps
    cos = prod_sum / ember.sqrt(mag_square1 * mag_square2)
    zeros = ember.zeros_like(cos)
    pos = ember.where(target == 1, 1 - cos, zeros)
    neg = ember.where(target == -1, (cos - margin).clamp_min(0), zeros)
    return _reduce(pos + neg, reduction)


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    reduction = _reduction(size_average, reduce, reduction)
    if not (input1.dim() == input2.dim() == target.dim()):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-norm distance;
    swap uses min(d(a, n), d(p, n)) as the negative distance."""
    reduction = _reduction(size_average, reduce, reduction)
    a_dim, p_dim, n_dim = anchor.dim(), positive.dim(), negative.dim()
    if not (a_dim == p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ember.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), reduction)
