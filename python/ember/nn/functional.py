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

_linear = ember._C._nn.linear

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
    if (weight.dim() == 2 and (bias is None or (bias.dim() <= 1 and bias.dtype == input.dtype))
            and input.dtype == weight.dtype):
        # One node, weight gradient in the weight's layout (src/ops/nn_linear.cpp).
        return _linear(input, weight, bias)
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
    out = ember.index_select(weight, 0, flat)
    if padding_idx is not None and out.requires_grad:
        # As PyTorch: the padding row gets no gradient (same values, the
        # gradient only flows where the index is not padding_idx).
        pad = (flat == (padding_idx % weight.size(0))).unsqueeze(1)
        out = ember.where(pad, out.detach(), out)
    return out.reshape(*input.shape, weight.size(1))


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


# ---- sequence, attention, resampling and bag layers (branch nnseq) ---------
# Compositions of Ember ops; see modules/rnn.py, attention.py, transformer.py,
# upsample.py and embedding_bag.py for the layers that use them.
import math  # noqa: E402

__all__ += ["scaled_dot_product_attention", "multi_head_attention_forward", "interpolate", "upsample",
            "upsample_nearest", "upsample_bilinear", "embedding_bag"]


def _mask_to_float(mask, mask_name, dtype):
    """A boolean mask (True = not allowed) becomes an additive -inf mask; a
    float mask is used as it is (PyTorch's _canonical_mask)."""
    if mask is None:
        return None
    if mask.dtype == ember.bool:
        return ember.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(mask, float("-inf"))
    if not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    return mask.to(dtype)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(q k^T * scale + mask) v over the last two dims; a boolean
    attn_mask marks with True the positions that take part (PyTorch's
    convention for this function), a float mask is added to the scores."""
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(f"[scaled_dot_product_attention] query, key and value must be at least 2-D, got "
                           f"{list(query.shape)}, {list(key.shape)} and {list(value.shape)}")
    if query.size(-1) != key.size(-1):
        raise RuntimeError(f"[scaled_dot_product_attention] query and key must have the same embedding size: "
                           f"query {list(query.shape)}, key {list(key.shape)}")
    if key.size(-2) != value.size(-2):
        raise RuntimeError(f"[scaled_dot_product_attention] key and value must have the same sequence length: "
                           f"key {list(key.shape)}, value {list(value.shape)}")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                           "is_causal=True")
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1.0 / (query.size(-1) ** 0.5) if scale is None else scale
    if enable_gqa and query.dim() >= 3 and key.size(-3) != query.size(-3):
        if query.size(-3) % key.size(-3) != 0:
            raise RuntimeError(f"[scaled_dot_product_attention] with enable_gqa, the query heads "
                               f"({query.size(-3)}) must be a multiple of the key/value heads ({key.size(-3)})")
        rep = query.size(-3) // key.size(-3)
        key = key.repeat_interleave(rep, dim=-3)
        value = value.repeat_interleave(rep, dim=-3)
    scores = query.matmul(key.transpose(-2, -1)) * scale_factor
    if is_causal:
        allowed = ember.ones((L, S), dtype=ember.bool, device=query.device).tril()
        scores = scores + _mask_to_float(allowed.logical_not(), "attn_mask", scores.dtype)
    elif attn_mask is not None:
        if attn_mask.dtype == ember.bool:
            attn_mask = attn_mask.logical_not()  # this function's True means "attend"
        try:
            ember.broadcast_shapes(attn_mask.shape, scores.shape)
        except Exception:
            raise RuntimeError(f"[scaled_dot_product_attention] attn_mask of shape {list(attn_mask.shape)} cannot "
                               f"be broadcast to the attention scores of shape {list(scores.shape)}") from None
        scores = scores + _mask_to_float(attn_mask, "attn_mask", scores.dtype)
    weights = ember.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return weights.matmul(value)


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """True when the input is batched; PyTorch's messages for bad layouts."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(f"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(f"For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(f"For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                                 f"found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(f"For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(f"For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                                 f"but found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(f"For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                     f"but found {attn_mask.dim()}-D tensor instead")
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != expected:
                    raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                         f"{tuple(attn_mask.shape)}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                         "tensor")


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """PyTorch's multi-head attention over (L, N, E) inputs (or unbatched
    (L, E)); boolean masks mark with True the positions NOT attended."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {tuple(key.shape[:2])} do not match value's "
                                 f"{tuple(value.shape[:2])}")
    elif tuple(key.shape) != tuple(value.shape):
        raise AssertionError(f"key shape {tuple(key.shape)} does not match value shape {tuple(value.shape)}")
    if key.shape[1] != bsz:
        raise AssertionError(f"[multi_head_attention_forward] query batch size {bsz} does not match key batch "
                             f"size {key.shape[1]}")
    dtype = query.dtype
    key_padding_mask = _mask_to_float(key_padding_mask, "key_padding_mask", dtype)
    attn_mask = _mask_to_float(attn_mask, "attn_mask", dtype)

    # Input projections.
    if use_separate_proj_weight:
        if q_proj_weight is None or k_proj_weight is None or v_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but q_proj_weight, k_proj_weight or "
                                 "v_proj_weight is None")
        w_q, w_k, w_v = q_proj_weight, k_proj_weight, v_proj_weight
    else:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        w_q, w_k, w_v = in_proj_weight.chunk(3)
    b_q = b_k = b_v = None
    if in_proj_bias is not None:
        b_q, b_k, b_v = in_proj_bias.chunk(3)
    q = linear(query, w_q, b_q)
    k = linear(key, w_k, b_k)
    v = linear(value, w_v, b_v)

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {tuple(attn_mask.shape)}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            raise RuntimeError(f"The shape of the 3D attn_mask is {tuple(attn_mask.shape)}, but should be "
                               f"{(bsz * num_heads, tgt_len, src_len)}.")

    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError("bias cannot be added to static key/value.")
        k = ember.cat([k, bias_k.reshape(1, 1, embed_dim).expand(1, bsz, embed_dim)])
        v = ember.cat([v, bias_v.reshape(1, 1, embed_dim).expand(1, bsz, embed_dim)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k and bias_v must both be given or both be None")

    # (L, N, E) -> (N*heads, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if tuple(static_k.shape[::2]) != (bsz * num_heads, head_dim):
            raise AssertionError(f"expecting static_k.size(0) of {bsz * num_heads} and static_k.size(2) of "
                                 f"{head_dim}, but got {static_k.size(0)} and {static_k.size(2)}")
        k = static_k
    if static_v is None:
        v = v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if tuple(static_v.shape[::2]) != (bsz * num_heads, head_dim):
            raise AssertionError(f"expecting static_v.size(0) of {bsz * num_heads} and static_v.size(2) of "
                                 f"{head_dim}, but got {static_v.size(0)} and {static_v.size(2)}")
        v = static_v

    if add_zero_attn:
        zeros = ember.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype, device=k.device)
        k = ember.cat([k, zeros], 1)
        v = ember.cat([v, zeros], 1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))

    src_len = k.size(1)
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            raise AssertionError(f"expecting key_padding_mask shape of {(bsz, src_len)}, but got "
                                 f"{tuple(key_padding_mask.shape)}")
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(bsz, num_heads, 1, src_len)
        kpm = kpm.reshape(bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm

    if not training:
        dropout_p = 0.0
    scores = ember.bmm(q * (1.0 / head_dim) ** 0.5, k.transpose(-2, -1))
    if attn_mask is not None:
        scores = scores + attn_mask
    weights = ember.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, p=dropout_p)
    out = ember.bmm(weights, v)  # (N*heads, L, head_dim)
    out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
    if not need_weights:
        return (out if is_batched else out.squeeze(1)), None
    weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
    if average_attn_weights:
        weights = weights.mean(1)
    if not is_batched:
        return out.squeeze(1), weights.squeeze(0)
    return out, weights


# Note [Composite layer_norm and gelu]: ember.nn.functional gets C++ kernels
# for normalisation and the activations from another branch. Until they are
# here, these compositions stand in; the kernel versions replace them (the
# `if not in globals()` keeps whichever was defined first in this file).

def _layer_norm_composite(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    n = len(normalized_shape)
    if n == 0 or tuple(input.shape[input.dim() - n:]) != normalized_shape or input.dim() < n:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    dims = tuple(range(input.dim() - n, input.dim()))
    mean = input.mean(dims, keepdim=True)
    centred = input - mean
    var = (centred * centred).mean(dims, keepdim=True)
    out = centred / ember.sqrt(var + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def _gelu_composite(input, approximate="none"):
    if approximate == "tanh":
        inner = 0.7978845608028654 * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + ember.tanh(inner))
    if approximate != "none":
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return 0.5 * input * (1 + ember.erf(input * 0.7071067811865476))


def _relu_composite(input, inplace=False):
    return input.clamp_min_(0) if inplace else input.clamp_min(0)


if "layer_norm" not in globals():
    layer_norm = _layer_norm_composite
    __all__.append("layer_norm")
if "gelu" not in globals():
    gelu = _gelu_composite
    __all__.append("gelu")
if "relu" not in globals():
    relu = _relu_composite
    __all__.append("relu")


def _interp_sizes(input, size, scale_factor, recompute_scale_factor):
    """Output sizes and the scale (input/output per output step) of each spatial dim."""
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    in_sizes = list(input.shape[2:])
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {in_sizes} and output size of {size}. Please provide "
                                 "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
                                 "format.")
            out_sizes = [int(s) for s in size]
        else:
            out_sizes = [int(size)] * dim
        return out_sizes, [None] * dim
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dim:
            raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got "
                             f"input with spatial dimensions of {in_sizes} and scale_factor of {scale_factor}. "
                             "Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in "
                             "(s1, s2, ...,sK) format.")
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * dim
    out_sizes = [int(math.floor(n * s)) for n, s in zip(in_sizes, scales)]
    # recompute_scale_factor: the sizes alone define the mapping.
    return out_sizes, ([None] * dim if recompute_scale_factor else scales)


def _nearest_index(n_in, n_out, scale, exact):
    step = n_in / n_out if scale is None else 1.0 / scale
    offset = 0.5 if exact else 0.0
    return ember.tensor([min(int(math.floor((i + offset) * step)), n_in - 1) for i in range(n_out)],
                        dtype=ember.int64)


def _linear_taps(n_in, n_out, scale, align_corners):
    """Lower/upper source indices and the weight of the upper one, PyTorch's
    area_pixel_compute_source_index."""
    lo, hi, lam = [], [], []
    for i in range(n_out):
        if align_corners:
            src = i * ((n_in - 1) / (n_out - 1)) if n_out > 1 else 0.0
        else:
            step = n_in / n_out if scale is None else 1.0 / scale
            src = max((i + 0.5) * step - 0.5, 0.0)
        i0 = min(int(math.floor(src)), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        lo.append(i0)
        hi.append(i1)
        lam.append(src - i0)
    return (ember.tensor(lo, dtype=ember.int64), ember.tensor(hi, dtype=ember.int64), lam)


_LINEAR_MODES = {"linear": 3, "bilinear": 4, "trilinear": 5}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of an (N, C, d1, ...) tensor: nearest,
    nearest-exact, linear, bilinear, trilinear. 2-D nearest and bilinear
    run the upsample kernels; the rest is composed one dim at a time."""
    modes = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | "
                             "bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias:
        raise NotImplementedError("[interpolate] antialias=True is not supported")
    if input.dim() not in (3, 4, 5):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) "
                                  "for the modes: nearest | linear | bilinear | bicubic | trilinear | area | "
                                  f"nearest-exact (got {mode})")
    if mode in _LINEAR_MODES and _LINEAR_MODES[mode] != input.dim():
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {_LINEAR_MODES[mode]}D input")
    if mode not in modes:
        raise NotImplementedError(f"[interpolate] mode {mode!r} is not supported; supported modes: "
                                  f"{', '.join(modes)}")
    if mode in _LINEAR_MODES and not input.is_floating_point():
        raise RuntimeError(f"[interpolate] {mode} mode needs a floating-point input, got {input.dtype}")
    out_sizes, scales = _interp_sizes(input, size, scale_factor, recompute_scale_factor)
    for d, n in enumerate(out_sizes):
        if n <= 0:
            raise RuntimeError(f"[interpolate] output size must be positive, got {out_sizes} for input "
                               f"{list(input.shape)}")
        if input.size(2 + d) == 0:
            raise RuntimeError(f"[interpolate] input spatial dims must be non-empty, got {list(input.shape)}")
    needs_grad = input.requires_grad and ember.is_grad_enabled()
    if (input.dim() == 4 and mode in ("nearest", "bilinear") and input.dtype in (ember.float32, ember.float64)
            and not needs_grad):
        # The 2-D kernels compute the same source positions as the composition
        # below, but record no backward: a graph goes through the composition.
        if mode == "nearest":
            return ember._C._nn.upsample_nearest2d(input, out_sizes, scales[0], scales[1])
        return ember._C._nn.upsample_bilinear2d(input, out_sizes, align_corners, scales[0], scales[1])
    return _interpolate_composite(input, out_sizes, scales, mode, align_corners)


def _interpolate_composite(input, out_sizes, scales, mode, align_corners):
    """interpolate one spatial dim at a time: index_select and a weighted sum."""
    out = input
    for d, (n_out, scale) in enumerate(zip(out_sizes, scales)):
        axis = 2 + d
        n_in = input.size(axis)
        if mode.startswith("nearest"):
            out = ember.index_select(out, axis, _nearest_index(n_in, n_out, scale, mode == "nearest-exact"))
            continue
        lo, hi, lam = _linear_taps(n_in, n_out, scale, align_corners)
        shape = [1] * out.dim()
        shape[axis] = n_out
        w_hi = ember.tensor(lam, dtype=out.dtype, device=out.device).reshape(shape)
        a = ember.index_select(out, axis, lo)
        b = ember.index_select(out, axis, hi)
        out = a + (b - a) * w_hi
    return out


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Sums, means or maxima of bags of embedding rows: a 2-D input holds one
    bag per row; a 1-D input is cut into bags at offsets. Empty bags give
    zeros; padding_idx entries are left out of every bag. Rows are gathered
    once and reduced with index_add / scatter_reduce (no per-bag loop)."""
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dtype not in (ember.int64, ember.int32):
        raise ValueError(f"[embedding_bag] input must be an int64 or int32 tensor of indices, got {input.dtype}")
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets).__name__}")
        bag_len = input.size(1)
        offsets_list = [i * bag_len for i in range(input.size(0))]
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
        n_bags = len(offsets_list)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        if offsets.dtype not in (ember.int64, ember.int32):
            raise ValueError(f"[embedding_bag] offsets must be an int64 or int32 tensor, got {offsets.dtype}")
        offsets_list = [int(o) for o in offsets.tolist()]
        if offsets_list and offsets_list[0] != 0:
            raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                               f"from position 0. However, got {offsets_list[0]}")
        if offsets_list and offsets_list[-1] > input.numel():
            raise RuntimeError(f"offsets[-1] can not be greater than input's length ({input.numel()}), but got "
                               f"offsets[-1] of {offsets_list[-1]}")
        if any(b < a for a, b in zip(offsets_list, offsets_list[1:])):
            raise RuntimeError(f"[embedding_bag] offsets must be non-decreasing, got {offsets_list}")
        n_bags = len(offsets_list) - 1 if include_last_offset else len(offsets_list)
        if include_last_offset and not offsets_list:
            raise RuntimeError("[embedding_bag] include_last_offset=True needs at least one offset")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, but got {mode!r}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "the Pytorch GitHub.")
    if sparse:
        raise NotImplementedError("[embedding_bag] sparse gradients are not supported")
    if scale_grad_by_freq:
        raise NotImplementedError("[embedding_bag] scale_grad_by_freq=True is not supported")
    num_rows = weight.size(0)
    if padding_idx is not None:
        if not -num_rows <= padding_idx < num_rows:
            raise AssertionError("padding_idx must be within the number of embeddings")
        padding_idx = padding_idx % num_rows
    idx = input.long()
    ids = idx.tolist()
    if ids and (min(ids) < 0 or max(ids) >= num_rows):
        bad = min(ids) if min(ids) < 0 else max(ids)
        raise IndexError(f"[embedding_bag] index {bad} is out of range for an embedding with {num_rows} rows")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    # The bag of each index (include_last_offset drops the last offset as a
    # bag start); padding entries are left out before reducing.
    starts = offsets_list[:n_bags]
    bag_of = []
    for b, start in enumerate(starts):
        stop = starts[b + 1] if b + 1 < n_bags else (offsets_list[n_bags] if include_last_offset else len(ids))
        bag_of.extend([b] * (stop - start))
    keep = [i for i in range(len(bag_of)) if ids[i] != padding_idx]
    dim = weight.size(1)
    out = ember.zeros((n_bags, dim), dtype=weight.dtype, device=weight.device)
    if not keep:
        return out
    bags = ember.tensor([bag_of[i] for i in keep], dtype=ember.int64, device=weight.device)
    rows = ember.index_select(weight, 0, ember.tensor([ids[i] for i in keep], dtype=ember.int64,
                                                      device=weight.device))  # (kept, D)
    if mode == "max":
        # Empty bags keep the zeros they start with, as in PyTorch.
        return out.scatter_reduce(0, bags.reshape(-1, 1).expand(len(keep), dim), rows, "amax", include_self=False)
    if per_sample_weights is not None:
        psw = per_sample_weights.reshape(-1).to(weight.dtype)
        if len(keep) != len(ids):
            psw = ember.index_select(psw, 0, ember.tensor(keep, dtype=ember.int64, device=weight.device))
        rows = rows * psw.reshape(-1, 1)
    if mode == "mean":
        counts = [0] * n_bags
        for i in keep:
            counts[bag_of[i]] += 1
        scale = ember.tensor([1.0 / counts[bag_of[i]] for i in keep], dtype=weight.dtype, device=weight.device)
        rows = rows * scale.reshape(-1, 1)
    return out.index_add(0, bags, rows)
