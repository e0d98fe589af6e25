"""convolution / convolution_backward (1-D, 2-D, 3-D, groups, dilation,
transposed) and im2col/col2im against NumPy direct loops; backwards against
directional finite differences in float64."""
import itertools

import numpy as np
import pytest

import ember
from test_nn_kernels_util import N, T, check_directional, conv_ref, conv_transpose_ref, nn, noncontig

RNG = np.random.default_rng(0)

# (input shape, weight shape, stride, padding, dilation, groups)
CONV_CASES = [
    ((2, 3, 9), (4, 3, 3), [1], [0], [1], 1),
    ((1, 4, 10), (6, 2, 3), [2], [1], [2], 2),
    ((2, 3, 7, 6), (5, 3, 3, 3), [1, 1], [1, 1], [1, 1], 1),
    ((2, 4, 8, 7), (6, 2, 3, 2), [2, 1], [1, 0], [1, 2], 2),
    ((1, 6, 6, 6), (6, 1, 3, 3), [1, 2], [2, 1], [2, 1], 6),   # depthwise
    ((3, 2, 5, 5), (3, 2, 1, 1), [1, 1], [0, 0], [1, 1], 1),   # pointwise fast path
    ((1, 2, 4, 5, 4), (3, 2, 2, 3, 2), [1, 2, 1], [1, 0, 1], [1, 1, 2], 1),
]


def run_conv(x, w, b, stride, padding, dilation, groups):
    return nn.convolution(x, w, b, stride, padding, dilation, False, [0] * len(stride), groups)


@pytest.mark.parametrize("xs,ws,stride,padding,dilation,groups", CONV_CASES)
@pytest.mark.parametrize("dtype,tol", [(ember.float32, 1e-4), (ember.float64, 1e-10)])
def test_conv_forward(xs, ws, stride, padding, dilation, groups, dtype, tol):
    x, w, b = RNG.standard_normal(xs), RNG.standard_normal(ws), RNG.standard_normal(ws[0])
    y = run_conv(T(x, dtype), T(w, dtype), T(b, dtype), stride, padding, dilation, groups)
    assert y.dtype == dtype
    np.testing.assert_allclose(N(y), conv_ref(x, w, b, stride, padding, dilation, groups), rtol=tol, atol=tol)


def conv_backward_ref(g, x, w, stride, padding, dilation, groups):
    """(grad_input, grad_weight) of conv_ref, slice by slice as conv_ref computes it."""
    k = x.ndim - 2
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding])
    gxp, gw = np.zeros_like(xp), np.zeros_like(w)
    cin_g, cout_g = x.shape[1] // groups, w.shape[0] // groups
    for gr in range(groups):
        ci, co = slice(gr * cin_g, (gr + 1) * cin_g), slice(gr * cout_g, (gr + 1) * cout_g)
        for off in itertools.product(*[range(s) for s in w.shape[2:]]):
            sl = tuple(slice(off[i] * dilation[i], off[i] * dilation[i] + stride[i] * (g.shape[2 + i] - 1) + 1,
                             stride[i]) for i in range(k))
            patch = xp[(slice(None), ci) + sl]
            axes = [0] + list(range(2, 2 + k))
            gw[(co, slice(None)) + off] += np.tensordot(g[:, co], patch, axes=(axes, axes))
            gxp[(slice(None), ci) + sl] += np.einsum("no...,oc->nc...", g[:, co], w[(co, slice(None)) + off])
    crop = tuple(slice(p, p + s) for p, s in zip(padding, x.shape[2:]))
    return gxp[(slice(None), slice(None)) + crop], gw


# Stride-1 geometries whose output rows are as wide as the image rows take
# the contiguous-span im2col/col2im (nn_conv_columns.h, Note [Column
# spans]); the others the per-row path. Padding and dilation vary so that
# runs start and end at each edge of the image. Column counts per group
# (C/g * kernel) of 64 and more take the transposed weight-gradient product
# (Note [Weight gradient layout]).
SPAN_CASES = [
    ((2, 3, 8, 8), (4, 3, 3, 3), [1, 1], [1, 1], [1, 1], 1),    # "same" 3x3: the CNN's case
    ((1, 2, 5, 7), (3, 2, 5, 3), [1, 1], [2, 1], [1, 1], 1),    # kernel taller than wide
    ((1, 2, 6, 6), (2, 2, 3, 3), [1, 1], [2, 2], [1, 2], 1),    # dilated along W
    ((1, 2, 6, 4), (2, 2, 3, 3), [1, 1], [3, 1], [2, 1], 1),    # OH > IH: rows read all-padding
    ((2, 4, 4, 5), (4, 2, 3, 3), [1, 1], [1, 1], [1, 1], 2),    # groups
    ((1, 2, 3, 4, 5), (2, 2, 3, 3, 3), [1, 1, 1], [1, 1, 1], [1, 1, 1], 1),  # 3-D
    ((1, 2, 3, 4, 5), (2, 2, 3, 3, 3), [2, 1, 1], [1, 1, 1], [1, 1, 1], 1),  # 3-D, strided depth
    ((2, 3, 9), (2, 3, 3), [1], [1], [1], 1),                   # 1-D
    ((1, 2, 2, 2), (3, 2, 5, 5), [1, 1], [2, 2], [1, 1], 1),    # image smaller than the kernel
    ((3, 8, 6, 6), (5, 8, 3, 3), [1, 1], [1, 1], [1, 1], 1),    # 72 columns: transposed gw product
    ((2, 16, 5, 4), (6, 8, 3, 3), [1, 1], [1, 1], [1, 1], 2),   # the same per group
    ((2, 12, 5, 6), (6, 12, 3, 3), [2, 2], [1, 1], [1, 1], 1),  # ... with the per-row path
    ((2, 64, 3, 3), (5, 64, 1, 1), [1, 1], [0, 0], [1, 1], 1),  # ... pointwise
    ((1, 4, 3, 4, 5), (3, 4, 2, 3, 3), [1, 1, 1], [0, 1, 1], [1, 1, 1], 1),  # ... 3-D
]


@pytest.mark.parametrize("xs,ws,stride,padding,dilation,groups", SPAN_CASES)
@pytest.mark.parametrize("dtype,tol", [(ember.float32, 1e-4), (ember.float64, 1e-12)])
def test_conv_span_geometries_forward_and_backward(xs, ws, stride, padding, dilation, groups, dtype, tol):
    x, w, b = RNG.standard_normal(xs), RNG.standard_normal(ws), RNG.standard_normal(ws[0])
    y = run_conv(T(x, dtype), T(w, dtype), T(b, dtype), stride, padding, dilation, groups)
    ref = conv_ref(x, w, b, stride, padding, dilation, groups)
    np.testing.assert_allclose(N(y), ref, rtol=tol, atol=tol)
    g = RNG.standard_normal(ref.shape)
    gi, gw, gb = nn.convolution_backward(T(g, dtype), T(x, dtype), T(w, dtype), stride, padding, dilation, False,
                                         [0] * len(stride), groups, [True, True, True])
    gi_ref, gw_ref = conv_backward_ref(g, x, w, stride, padding, dilation, groups)
    scale = 10 * max(1.0, np.sqrt(g[0].size / g.shape[1]))  # sums of many float32 products
    np.testing.assert_allclose(N(gi), gi_ref, rtol=tol, atol=tol * scale)
    np.testing.assert_allclose(N(gw), gw_ref, rtol=tol, atol=tol * scale)
    np.testing.assert_allclose(N(gb), g.sum(axis=(0, *range(2, g.ndim))), rtol=tol, atol=tol * scale)


# float32 3x3 stride-1 convolutions with 32+ channels on each side take the
# Winograd F(2x2, 3x3) path, forward and input gradient (nn_conv_winograd.cpp,
# Note [Winograd convolution]). Odd sizes leave partial tiles; widths of 16+
# use the 4-tiles-at-a-time transforms and narrow ones their scalar tails.
WINOGRAD_CASES = [
    ((2, 32, 8, 8), 32, 1),
    ((1, 33, 7, 9), 40, 1),     # odd sizes: partial last tiles
    ((2, 32, 5, 6), 32, 0),     # no padding (input gradient padded 2)
    ((1, 32, 11, 19), 32, 2),   # padding 2 (input gradient unpadded)
    ((1, 32, 3, 2), 36, 1),     # an image narrower than a tile row
    ((3, 48, 17, 33), 64, 1),   # vectors and tails in one row, several runs of tile rows
]


@pytest.mark.parametrize("xs,cout,pad", WINOGRAD_CASES)
def test_conv_winograd_forward_and_input_gradient(xs, cout, pad):
    x, w, b = RNG.standard_normal(xs), RNG.standard_normal((cout, xs[1], 3, 3)), RNG.standard_normal(cout)
    f32 = ember.float32
    y = run_conv(T(x, f32), T(w, f32), T(b, f32), [1, 1], [pad, pad], [1, 1], 1)
    ref = conv_ref(x, w, b, [1, 1], [pad, pad], [1, 1], 1)
    scale = np.abs(ref).max()
    np.testing.assert_allclose(N(y), ref, rtol=0, atol=2e-6 * scale)
    g = RNG.standard_normal(ref.shape)
    gi, gw, _ = nn.convolution_backward(T(g, f32), T(x, f32), T(w, f32), 1, pad, 1, False, 0, 1, [True, True, False])
    gi_ref, gw_ref = conv_backward_ref(g, x, w, [1, 1], [pad, pad], [1, 1], 1)
    np.testing.assert_allclose(N(gi), gi_ref, rtol=0, atol=2e-6 * np.abs(gi_ref).max())
    np.testing.assert_allclose(N(gw), gw_ref, rtol=0, atol=2e-6 * np.abs(gw_ref).max())
    # Without bias, and the input gradient alone.
    y0 = run_conv(T(x, f32), T(w, f32), None, [1, 1], [pad, pad], [1, 1], 1)
    np.testing.assert_allclose(N(y0), ref - b.reshape(1, -1, 1, 1), rtol=0, atol=2e-6 * scale)
    gi2, gw2, _ = nn.convolution_backward(T(g, f32), T(x, f32), T(w, f32), 1, pad, 1, False, 0, 1,
                                          [True, False, False])
    assert gw2 is None
    np.testing.assert_array_equal(N(gi2), N(gi))


def test_conv_winograd_results_do_not_depend_on_threads():
    x, w = RNG.standard_normal((3, 32, 12, 10)), RNG.standard_normal((32, 32, 3, 3))
    g = RNG.standard_normal((3, 32, 12, 10))
    f32 = ember.float32
    results = []
    old = ember.get_num_threads()
    try:
        for n in (1, 2):
            ember.set_num_threads(n)
            y = run_conv(T(x, f32), T(w, f32), None, [1, 1], [1, 1], [1, 1], 1)
            gi, gw, _ = nn.convolution_backward(T(g, f32), T(x, f32), T(w, f32), 1, 1, 1, False, 0, 1,
                                                [True, True, False])
            results.append((N(y), N(gi), N(gw)))
    finally:
        ember.set_num_threads(old)
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_conv_noncontiguous_unbatched_and_no_bias():
    x, w = RNG.standard_normal((3, 7, 6)), RNG.standard_normal((4, 3, 3, 3))
    y = run_conv(noncontig(x), noncontig(w), None, [1, 1], [1, 1], [1, 1], 1)
    assert y.shape == (4, 7, 6)
    np.testing.assert_allclose(N(y), conv_ref(x[None], w, None, [1, 1], [1, 1], [1, 1], 1)[0], rtol=1e-10)


def test_conv_float16_computes_in_float32():
    x, w = RNG.standard_normal((1, 2, 5, 5)), RNG.standard_normal((3, 2, 3, 3))
    y = run_conv(T(x, ember.float16), T(w, ember.float16), None, [1, 1], [0, 0], [1, 1], 1)
    assert y.dtype == ember.float16
    ref = conv_ref(x.astype(np.float16).astype(np.float64), w.astype(np.float16).astype(np.float64), None,
                   [1, 1], [0, 0], [1, 1], 1)
    np.testing.assert_allclose(N(y), ref, rtol=2e-3, atol=2e-2)


@pytest.mark.parametrize("xs,ws,stride,padding,dilation,groups", CONV_CASES)
def test_conv_backward(xs, ws, stride, padding, dilation, groups):
    x, w, b = RNG.standard_normal(xs), RNG.standard_normal(ws), RNG.standard_normal(ws[0])
    k = len(stride)

    def fwd(a):
        return N(run_conv(T(a[0]), T(a[1]), T(a[2]), stride, padding, dilation, groups))

    def bwd(g, a):
        gi, gw, gb = nn.convolution_backward(T(g), T(a[0]), T(a[1]), stride, padding, dilation, False, [0] * k, groups,
                                             [True, True, True])
        return [N(gi), N(gw), N(gb)]

    check_directional(fwd, bwd, [x, w, b], RNG)


def test_conv_backward_output_mask():
    x, w = RNG.standard_normal((2, 3, 5, 5)), RNG.standard_normal((4, 3, 3, 3))
    g = RNG.standard_normal((2, 4, 3, 3))
    gi, gw, gb = nn.convolution_backward(T(g), T(x), T(w), 1, 0, 1, False, 0, 1, [False, True, False])
    assert gi is None and gb is None
    full = nn.convolution_backward(T(g), T(x), T(w), 1, 0, 1, False, 0, 1, [True, True, True])
    np.testing.assert_allclose(N(gw), N(full[1]))
    np.testing.assert_allclose(N(full[2]), g.sum(axis=(0, 2, 3)))


# (input shape, weight shape (Cin, Cout/g, k...), stride, padding, output_padding, dilation, groups)
TRANSPOSED_CASES = [
    ((2, 4, 5), (4, 3, 3), [2], [1], [1], [1], 1),
    ((1, 4, 6), (4, 1, 2), [1], [0], [0], [2], 2),
    ((2, 3, 4, 5), (3, 2, 3, 3), [2, 2], [1, 0], [1, 1], [1, 1], 1),
    ((1, 4, 3, 4), (4, 3, 2, 3), [1, 3], [0, 1], [0, 2], [2, 1], 2),
]


@pytest.mark.parametrize("xs,ws,stride,padding,opad,dilation,groups", TRANSPOSED_CASES)
def test_conv_transpose_forward_and_backward(xs, ws, stride, padding, opad, dilation, groups):
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    b = RNG.standard_normal(ws[1] * groups)

    def run(a):
        return nn.convolution(T(a[0]), T(a[1]), T(a[2]), stride, padding, dilation, True, opad, groups)

    y = run([x, w, b])
    np.testing.assert_allclose(N(y), conv_transpose_ref(x, w, b, stride, padding, opad, dilation, groups),
                               rtol=1e-10, atol=1e-10)
    y32 = nn.convolution(T(x, ember.float32), T(w, ember.float32), T(b, ember.float32), stride, padding, dilation,
                         True, opad, groups)
    np.testing.assert_allclose(N(y32), N(y), rtol=1e-4, atol=1e-4)

    def bwd(g, a):
        gi, gw, gb = nn.convolution_backward(T(g), T(a[0]), T(a[1]), stride, padding, dilation, True, opad, groups,
                                             [True, True, True])
        return [N(gi), N(gw), N(gb)]

    check_directional(lambda a: N(run(a)), bwd, [x, w, b], RNG)


def test_conv_batch_of_one_and_many_threads_agree():
    x, w = RNG.standard_normal((5, 3, 8, 8)), RNG.standard_normal((4, 3, 3, 3))
    g = RNG.standard_normal((5, 4, 8, 8))
    results = []
    old = ember.get_num_threads()
    try:
        for n in (1, 2):
            ember.set_num_threads(n)
            y = run_conv(T(x), T(w), None, [1, 1], [1, 1], [1, 1], 1)
            gi, gw, _ = nn.convolution_backward(T(g), T(x), T(w), 1, 1, 1, False, 0, 1, [True, True, False])
            results.append((N(y), N(gi), N(gw)))
    finally:
        ember.set_num_threads(old)
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
    one = run_conv(T(x[:1]), T(w), None, [1, 1], [1, 1], [1, 1], 1)
    np.testing.assert_allclose(N(one), results[0][0][:1], rtol=1e-12)


def test_conv_empty_batch_and_zero_channels():
    y = run_conv(T(np.zeros((0, 3, 5, 5))), T(RNG.standard_normal((4, 3, 3, 3))), None, [1, 1], [0, 0], [1, 1], 1)
    assert y.shape == (0, 4, 3, 3)
    b = RNG.standard_normal(2)
    y = run_conv(T(np.zeros((1, 0, 4))), T(np.zeros((2, 0, 3))), T(b), [1], [0], [1], 1)
    np.testing.assert_allclose(N(y), np.broadcast_to(b[None, :, None], (1, 2, 2)))


# ---- unfold / fold

def unfold_ref(x, k, d, p, s):
    n, c, h, w = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    cols = np.zeros((n, c, k[0], k[1], oh, ow))
    for a in range(k[0]):
        for b in range(k[1]):
            cols[:, :, a, b] = xp[:, :, a * d[0]:a * d[0] + s[0] * (oh - 1) + 1:s[0],
                                  b * d[1]:b * d[1] + s[1] * (ow - 1) + 1:s[1]]
    return cols.reshape(n, c * k[0] * k[1], oh * ow)


@pytest.mark.parametrize("shape,k,d,p,s", [((2, 3, 6, 5), [2, 3], [1, 1], [0, 1], [1, 2]),
                                           ((1, 2, 7, 7), [3, 3], [2, 1], [1, 2], [2, 1])])
def test_im2col_col2im(shape, k, d, p, s):
    x = RNG.standard_normal(shape)
    cols = nn.im2col(T(x), k, d, p, s)
    np.testing.assert_allclose(N(cols), unfold_ref(x, k, d, p, s), rtol=1e-12)
    unb = nn.im2col(T(x[0]), k, d, p, s)
    np.testing.assert_allclose(N(unb), N(cols)[0])
    # fold is unfold's adjoint: <unfold(x), c> == <x, fold(c)>.
    c = RNG.standard_normal(cols.shape)
    folded = nn.col2im(T(c), list(shape[2:]), k, d, p, s)
    assert folded.shape == shape
    assert np.isclose(np.sum(N(cols) * c), np.sum(x * N(folded)))


# ---- errors (PyTorch's wording)

def test_conv_errors():
    w = T(RNG.standard_normal((8, 3, 3, 3)))
    with pytest.raises(RuntimeError, match=r"\[conv2d\] Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, "
                                           r"but got input of size: \[2, 3\]"):
        run_conv(T(np.zeros((2, 3))), w, None, [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match=r"Given groups=1, weight of size \[8, 3, 3, 3\], expected input\[1, 4, 5, 5\] "
                                           r"to have 3 channels, but got 4 channels instead"):
        run_conv(T(np.zeros((1, 4, 5, 5))), w, None, [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match=r"Kernel size can't be greater than actual input size"):
        run_conv(T(np.zeros((1, 3, 2, 2))), w, None, [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match="non-positive stride"):
        run_conv(T(np.zeros((1, 3, 5, 5))), w, None, [0, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match="expected bias to be 1-dimensional with 8 elements"):
        run_conv(T(np.zeros((1, 3, 5, 5))), w, T(np.zeros(3)), [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match="should be the same"):
        run_conv(T(np.zeros((1, 3, 5, 5)), ember.float32), w, None, [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match="expected weight to be divisible by 3"):
        run_conv(T(np.zeros((1, 3, 5, 5))), T(np.zeros((8, 1, 3, 3))), None, [1, 1], [0, 0], [1, 1], 3)
    with pytest.raises(RuntimeError, match="output padding must be smaller than either stride or dilation"):
        nn.convolution(T(np.zeros((1, 8, 5, 5))), w, None, 1, 0, 1, True, 1, 1)
    with pytest.raises(TypeError, match="floating point"):
        run_conv(T(np.zeros((1, 3, 5, 5), dtype=np.int64)), T(np.zeros((8, 3, 3, 3), dtype=np.int64)), None,
                 [1, 1], [0, 0], [1, 1], 1)
    with pytest.raises(RuntimeError, match="expected grad_output of size"):
        nn.convolution_backward(T(np.zeros((1, 8, 2, 2))), T(np.zeros((1, 3, 5, 5))), w, 1, 0, 1, False, 0, 1,
                                [True, True, True])
    with pytest.raises(RuntimeError, match="im2col"):
        nn.im2col(T(np.zeros((5, 5))), [2, 2], 1, 0, 1)
    with pytest.raises(RuntimeError, match="sliding blocks"):
        nn.col2im(T(np.zeros((1, 4, 5))), [3, 3], [2, 2], 1, 0, 1)
