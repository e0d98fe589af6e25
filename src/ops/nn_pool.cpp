// Pooling: max (with indices), average and adaptive pooling over 1-D and
// 2-D inputs, and their backwards. Kernels see (planes, H, W) with 1-D
// pooling as H = 1 (src/cpu/nn_pool_kernels.cpp).
#include "nn_common.h"

namespace ember {

using namespace nn_detail;

namespace {

// (P, H, W) view of t whose last k dims are pooled; P is the product of the
// other dims, so empty batches reshape too.
DimVector plane_sizes(const Tensor& t, int64_t k) {
  int64_t P = 1;
  for (int64_t d = 0; d < t.dim() - k; ++d) P *= t.size(d);
  return DimVector{P, k == 1 ? 1 : t.size(-2), t.size(-1)};
}
Tensor as_planes(const Tensor& t, int64_t k, DType dt) { return prep(t, dt).reshape(plane_sizes(t, k)); }

struct Planes {
  Tensor x;          // (P, H, W) contiguous in the compute dtype
  DimVector lead;    // the dims before the pooled ones (N, C) or (C)
  bool one_d;
};

// input (C, L)/(N, C, L) for k = 1, (C, H, W)/(N, C, H, W) for k = 2.
Planes to_planes(const char* op, const Tensor& input, int64_t k, DType t) {
  EMBER_CHECK(input.dim() == k + 1 || input.dim() == k + 2, RuntimeError, "[", op, "] Expected ", k + 1,
              "D (unbatched) or ", k + 2, "D (batched) input, but got input of size: ", input.sizes());
  for (int64_t d = input.dim() == k + 2 ? 1 : 0; d < input.dim(); ++d)
    EMBER_CHECK(input.size(d) > 0, RuntimeError, "[", op, "] Expected input's non-batch dimensions to have ",
                "positive length, but input has a shape of ", input.sizes());
  Planes p;
  p.one_d = k == 1;
  for (int64_t d = 0; d < input.dim() - k; ++d) p.lead.push_back(input.size(d));
  p.x = as_planes(input, k, t);
  return p;
}

DimVector result_sizes(const Planes& p, int64_t oh, int64_t ow) {
  DimVector s = p.lead;
  if (!p.one_d) s.push_back(oh);
  s.push_back(ow);
  return s;
}

int64_t pooling_output_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  int64_t num = in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  int64_t out = (num >= 0 ? num / stride : -((-num + stride - 1) / stride)) + 1;
  // The last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

PoolGeometry pool_geometry(const char* op, const Planes& p, int64_t k, const DimVector& kernel_size,
                           const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                           bool ceil_mode, bool is_max) {
  DimVector ks = expand_param(op, "kernel_size", kernel_size, k);
  DimVector st = stride.empty() ? ks : expand_param(op, "stride", stride, k);
  DimVector pd = expand_param(op, "padding", padding, k);
  DimVector dl = expand_param(op, "dilation", dilation, k);
  PoolGeometry g;
  g.in[0] = p.x.size(1), g.in[1] = p.x.size(2);
  g.kernel[0] = 1, g.stride[0] = 1, g.pad[0] = 0, g.dil[0] = 1;
  const int64_t off = 2 - k;
  for (int64_t i = 0; i < k; ++i) {
    EMBER_CHECK(ks[i] > 0, RuntimeError, "[", op, "] kernel_size must be greater than zero, but got ", ks);
    EMBER_CHECK(st[i] > 0, RuntimeError, "[", op, "] stride must be greater than zero, but got ", st);
    EMBER_CHECK(dl[i] > 0, RuntimeError, "[", op, "] dilation must be greater than zero, but got ", dl);
    EMBER_CHECK(pd[i] >= 0, RuntimeError, "[", op, "] pad must be non-negative, but got ", pd);
    int64_t span = is_max ? (ks[i] - 1) * dl[i] + 1 : ks[i];
    EMBER_CHECK(pd[i] <= span / 2, RuntimeError, "[", op, "] pad should be at most half of effective kernel size, ",
                "but got pad=", pd[i], ", kernel_size=", ks[i], " and dilation=", dl[i]);
    g.kernel[off + i] = ks[i], g.stride[off + i] = st[i], g.pad[off + i] = pd[i], g.dil[off + i] = dl[i];
  }
  bool ok = true;
  for (int i = 0; i < 2; ++i) {
    g.out[i] = pooling_output_size(g.in[i], g.kernel[i], g.pad[i], g.stride[i], g.dil[i], ceil_mode);
    ok = ok && g.out[i] > 0;
  }
  EMBER_CHECK(ok, RuntimeError, "[", op, "] Given input size: (", p.x.size(0), "x", (p.one_d ? "" : std::to_string(g.in[0]) + "x"),
              g.in[1], "). Calculated output size: (", p.x.size(0), "x",
              (p.one_d ? "" : std::to_string(g.out[0]) + "x"), g.out[1], "). Output size is too small");
  return g;
}

Tensor2 max_pool_impl(const char* op, int64_t k, const Tensor& input, const DimVector& kernel_size,
                      const DimVector& stride, const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  DType t = compute_dtype(op, input.dtype());
  Planes p = to_planes(op, input, k, t);
  PoolGeometry g = pool_geometry(op, p, k, kernel_size, stride, padding, dilation, ceil_mode, true);
  auto opts = TensorOptions(t).device(input.device());
  Tensor out = empty(DimVector{p.x.size(0), g.out[0], g.out[1]}, opts);
  Tensor idx = empty(out.sizes(), opts.dtype(DType::Int64));
  if (out.numel() > 0) max_pool_stub(input.device().type)(out, idx, p.x, g);
  DimVector rs = result_sizes(p, g.out[0], g.out[1]);
  return {finish(out.view(rs), input.dtype()), idx.view(rs)};
}

Tensor avg_pool_impl(const char* op, int64_t k, const Tensor& input, const DimVector& kernel_size,
                     const DimVector& stride, const DimVector& padding, bool ceil_mode, bool count_include_pad,
                     std::optional<int64_t> divisor_override) {
  DType t = compute_dtype(op, input.dtype());
  EMBER_CHECK(!divisor_override || *divisor_override != 0, RuntimeError, "[", op, "] divisor must be not zero");
  Planes p = to_planes(op, input, k, t);
  PoolGeometry g = pool_geometry(op, p, k, kernel_size, stride, padding, DimVector{1}, ceil_mode, false);
  Tensor out = empty(DimVector{p.x.size(0), g.out[0], g.out[1]}, TensorOptions(t).device(input.device()));
  if (out.numel() > 0) avg_pool_stub(input.device().type)(out, p.x, g, count_include_pad, divisor_override.value_or(0));
  return finish(out.view(result_sizes(p, g.out[0], g.out[1])), input.dtype());
}

Tensor avg_pool_backward_impl(const char* op, int64_t k, const Tensor& grad_output, const Tensor& input,
                              const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                              bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  DType t = compute_dtype(op, input.dtype());
  EMBER_CHECK(!divisor_override || *divisor_override != 0, RuntimeError, "[", op, "] divisor must be not zero");
  Planes p = to_planes(op, input, k, t);
  PoolGeometry g = pool_geometry(op, p, k, kernel_size, stride, padding, DimVector{1}, ceil_mode, false);
  DimVector rs = result_sizes(p, g.out[0], g.out[1]);
  EMBER_CHECK(grad_output.sizes() == rs, RuntimeError, "[", op, "] expected grad_output of size ", rs,
              ", but got ", grad_output.sizes());
  Tensor gi = empty(p.x.sizes(), TensorOptions(t).device(input.device()));
  Tensor go = as_planes(grad_output, k, t);
  avg_pool_backward_stub(input.device().type)(gi, go, g, count_include_pad, divisor_override.value_or(0));
  return finish(gi.view(input.sizes()), input.dtype());
}

Planes adaptive_planes(const char* op, const Tensor& input, int64_t k, const DimVector& output_size, DType t,
                       int64_t& oh, int64_t& ow) {
  DimVector os = expand_param(op, "output_size", output_size, k);
  for (int64_t i = 0; i < k; ++i)
    EMBER_CHECK(os[i] >= 0, RuntimeError, "[", op, "] output_size must be non-negative, but got ", os);
  Planes p = to_planes(op, input, k, t);
  oh = k == 1 ? 1 : os[0];
  ow = os[k - 1];
  return p;
}

Tensor adaptive_avg_impl(const char* op, int64_t k, const Tensor& input, const DimVector& output_size) {
  DType t = compute_dtype(op, input.dtype());
  int64_t oh, ow;
  Planes p = adaptive_planes(op, input, k, output_size, t, oh, ow);
  Tensor out = empty(DimVector{p.x.size(0), oh, ow}, TensorOptions(t).device(input.device()));
  if (out.numel() > 0) adaptive_avg_pool_stub(input.device().type)(out, p.x);
  return finish(out.view(result_sizes(p, oh, ow)), input.dtype());
}

Tensor2 adaptive_max_impl(const char* op, int64_t k, const Tensor& input, const DimVector& output_size) {
  DType t = compute_dtype(op, input.dtype());
  int64_t oh, ow;
  Planes p = adaptive_planes(op, input, k, output_size, t, oh, ow);
  auto opts = TensorOptions(t).device(input.device());
  Tensor out = empty(DimVector{p.x.size(0), oh, ow}, opts);
  Tensor idx = empty(out.sizes(), opts.dtype(DType::Int64));
  if (out.numel() > 0) adaptive_max_pool_stub(input.device().type)(out, idx, p.x);
  DimVector rs = result_sizes(p, oh, ow);
  return {finish(out.view(rs), input.dtype()), idx.view(rs)};
}

// grad_output's leading dims must match input's; the k pooled dims are
// the last ones.
void check_backward_shapes(const char* op, int64_t k, const Tensor& grad_output, const Tensor& input) {
  EMBER_CHECK(grad_output.dim() == input.dim() && (input.dim() == k + 1 || input.dim() == k + 2), RuntimeError,
              "[", op, "] expected grad_output and input with ", k + 1, " or ", k + 2,
              " dims, but got grad_output of size ", grad_output.sizes(), " and input of size ", input.sizes());
  for (int64_t d = 0; d < input.dim() - k; ++d)
    EMBER_CHECK(grad_output.size(d) == input.size(d), RuntimeError, "[", op, "] grad_output of size ",
                grad_output.sizes(), " does not match input of size ", input.sizes());
}


Tensor max_pool_backward_impl(const char* op, int64_t k, const Tensor& grad_output, const Tensor& input,
                              const Tensor& indices) {
  DType t = compute_dtype(op, input.dtype());
  EMBER_CHECK(indices.dtype() == DType::Int64, TypeError, "[", op, "] expected int64 indices, but got ",
              dtype_name(indices.dtype()));
  EMBER_CHECK(indices.sizes() == grad_output.sizes(), RuntimeError, "[", op, "] indices of size ", indices.sizes(),
              " do not match grad_output of size ", grad_output.sizes());
  check_backward_shapes(op, k, grad_output, input);
  Tensor gi = empty(plane_sizes(input, k), TensorOptions(t).device(input.device()));
  Tensor go = as_planes(grad_output, k, t);
  if (gi.numel() > 0)
    max_pool_backward_stub(input.device().type)(gi, go, indices.contiguous().reshape(go.sizes()));
  return finish(gi.view(input.sizes()), input.dtype());
}

Tensor adaptive_avg_backward_impl(const char* op, int64_t k, const Tensor& grad_output, const Tensor& input) {
  DType t = compute_dtype(op, input.dtype());
  check_backward_shapes(op, k, grad_output, input);
  Tensor gi = empty(plane_sizes(input, k), TensorOptions(t).device(input.device()));
  if (gi.numel() > 0) adaptive_avg_pool_backward_stub(input.device().type)(gi, as_planes(grad_output, k, t));
  return finish(gi.view(input.sizes()), input.dtype());
}

}  // namespace

Tensor2 max_pool1d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  return max_pool_impl("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode);
}

Tensor2 max_pool2d_with_indices(const Tensor& input, const DimVector& kernel_size, const DimVector& stride,
                                const DimVector& padding, const DimVector& dilation, bool ceil_mode) {
  return max_pool_impl("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode);
}

Tensor max_pool1d_with_indices_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                                        const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                                        bool ceil_mode, const Tensor& indices) {
  const char* op = "max_pool1d_backward";
  DType t = compute_dtype(op, input.dtype());
  Planes p = to_planes(op, input, 1, t);
  PoolGeometry g = pool_geometry(op, p, 1, kernel_size, stride, padding, dilation, ceil_mode, true);
  DimVector rs = result_sizes(p, g.out[0], g.out[1]);
  EMBER_CHECK(grad_output.sizes() == rs, RuntimeError, "[", op, "] expected grad_output of size ", rs,
              ", but got ", grad_output.sizes());
  return max_pool_backward_impl(op, 1, grad_output, input, indices);
}

Tensor max_pool2d_with_indices_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                                        const DimVector& stride, const DimVector& padding, const DimVector& dilation,
                                        bool ceil_mode, const Tensor& indices) {
  const char* op = "max_pool2d_backward";
  DType t = compute_dtype(op, input.dtype());
  Planes p = to_planes(op, input, 2, t);
  PoolGeometry g = pool_geometry(op, p, 2, kernel_size, stride, padding, dilation, ceil_mode, true);
  DimVector rs = result_sizes(p, g.out[0], g.out[1]);
  EMBER_CHECK(grad_output.sizes() == rs, RuntimeError, "[", op, "] expected grad_output of size ", rs,
              ", but got ", grad_output.sizes());
  return max_pool_backward_impl(op, 2, grad_output, input, indices);
}

Tensor adaptive_max_pool1d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& indices) {
  return max_pool_backward_impl("adaptive_max_pool1d_backward", 1, grad_output, input, indices);
}
Tensor adaptive_max_pool2d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& indices) {
  return max_pool_backward_impl("adaptive_max_pool2d_backward", 2, grad_output, input, indices);
}
Tensor adaptive_avg_pool1d_backward(const Tensor& grad_output, const Tensor& input) {
  return adaptive_avg_backward_impl("adaptive_avg_pool1d_backward", 1, grad_output, input);
}
Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Tensor& input) {
  return adaptive_avg_backward_impl("adaptive_avg_pool2d_backward", 2, grad_output, input);
}

Tensor avg_pool1d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad) {
  return avg_pool_impl("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, {});
}
Tensor avg_pool1d_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                           const DimVector& stride, const DimVector& padding, bool ceil_mode, bool count_include_pad) {
  return avg_pool_backward_impl("avg_pool1d_backward", 1, grad_output, input, kernel_size, stride, padding, ceil_mode,
                                count_include_pad, {});
}
Tensor avg_pool2d(const Tensor& input, const DimVector& kernel_size, const DimVector& stride, const DimVector& padding,
                  bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  return avg_pool_impl("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override);
}
Tensor avg_pool2d_backward(const Tensor& grad_output, const Tensor& input, const DimVector& kernel_size,
                           const DimVector& stride, const DimVector& padding, bool ceil_mode, bool count_include_pad,
                           std::optional<int64_t> divisor_override) {
  return avg_pool_backward_impl("avg_pool2d_backward", 2, grad_output, input, kernel_size, stride, padding, ceil_mode,
                                count_include_pad, divisor_override);
}

Tensor adaptive_avg_pool1d(const Tensor& input, const DimVector& output_size) {
  return adaptive_avg_impl("adaptive_avg_pool1d", 1, input, output_size);
}
Tensor adaptive_avg_pool2d(const Tensor& input, const DimVector& output_size) {
  return adaptive_avg_impl("adaptive_avg_pool2d", 2, input, output_size);
}
Tensor2 adaptive_max_pool1d(const Tensor& input, const DimVector& output_size) {
  return adaptive_max_impl("adaptive_max_pool1d", 1, input, output_size);
}
Tensor2 adaptive_max_pool2d(const Tensor& input, const DimVector& output_size) {
  return adaptive_max_impl("adaptive_max_pool2d", 2, input, output_size);
}

}  // namespace ember
