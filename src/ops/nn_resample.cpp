// embedding_dense_backward and 2-D upsampling (nearest, bilinear) with
// their backwards. Upsampling kernels see planes (N * C, H, W).
#include "nn_common.h"

namespace ember {

using namespace nn_detail;

Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                                int64_t padding_idx, bool scale_grad_by_freq) {
  const char* op = "embedding_dense_backward";
  EMBER_CHECK(indices.dtype() == DType::Int64 || indices.dtype() == DType::Int32, RuntimeError, "[", op,
              "] Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; ",
              "but got ", dtype_name(indices.dtype()), " instead");
  EMBER_CHECK(num_weights >= 0, RuntimeError, "[", op, "] num_weights must be non-negative, but got ", num_weights);
  DType t = compute_dtype(op, grad_output.dtype());
  const int64_t M = indices.numel();
  EMBER_CHECK(grad_output.dim() >= 1 && grad_output.numel() == M * grad_output.size(-1) &&
                  grad_output.dim() == indices.dim() + 1,
              RuntimeError, "[", op, "] expected grad_output of size [*indices.shape, embedding_dim] with indices of ",
              "size ", indices.sizes(), ", but got grad_output of size ", grad_output.sizes());
  const int64_t D = grad_output.size(-1);
  Tensor gw = zeros(DimVector{num_weights, D}, TensorOptions(t).device(grad_output.device()));
  if (M > 0 && D > 0)
    embedding_backward_stub(grad_output.device().type)(gw, prep(grad_output, t).reshape(DimVector{M, D}),
                                                       indices.to(DType::Int64).contiguous().reshape(DimVector{M}),
                                                       padding_idx, scale_grad_by_freq);
  return finish(gw, grad_output.dtype());
}

namespace {

UpsampleGeometry upsample_geometry(const char* op, const DimVector& output_size, const DimVector& input_size,
                                   bool align_corners, std::optional<double> sh, std::optional<double> sw) {
  DimVector os = expand_param(op, "output_size", output_size, 2);
  EMBER_CHECK(input_size.size() == 4, RuntimeError, "[", op, "] It is expected input_size equals to 4, but got size ",
              input_size.size());
  UpsampleGeometry g;
  g.align_corners = align_corners;
  std::optional<double> sc[2] = {sh, sw};
  for (int i = 0; i < 2; ++i) {
    g.in[i] = input_size[2 + i];
    g.out[i] = os[i];
    EMBER_CHECK(g.in[i] > 0 && g.out[i] > 0, RuntimeError, "[", op, "] Input and output sizes should be greater ",
                "than 0, but got input (H: ", input_size[2], ", W: ", input_size[3], ") output (H: ", os[0],
                ", W: ", os[1], ")");
    EMBER_CHECK(!sc[i] || *sc[i] > 0, RuntimeError, "[", op, "] scale factors must be positive, but got ", *sc[i]);
    if (align_corners) g.scale[i] = g.out[i] > 1 ? double(g.in[i] - 1) / double(g.out[i] - 1) : 0.0;
    else g.scale[i] = sc[i] ? 1.0 / *sc[i] : double(g.in[i]) / double(g.out[i]);
  }
  return g;
}

void check_4d(const char* op, const Tensor& input) {
  EMBER_CHECK(input.dim() == 4, RuntimeError, "[", op, "] Expected 4D input (N, C, H, W), but got input of size ",
              input.sizes());
}

Tensor upsample_fwd(const char* op, const DispatchStub<UpsampleKernel>& stub, const Tensor& input,
                    const DimVector& output_size, bool align_corners, std::optional<double> sh,
                    std::optional<double> sw) {
  check_4d(op, input);
  DType t = compute_dtype(op, input.dtype());
  UpsampleGeometry g = upsample_geometry(op, output_size, input.sizes(), align_corners, sh, sw);
  const int64_t N = input.size(0), C = input.size(1);
  Tensor out = empty(DimVector{N * C, g.out[0], g.out[1]}, TensorOptions(t).device(input.device()));
  if (out.numel() > 0) stub(input.device().type)(out, prep(input, t).reshape(DimVector{N * C, g.in[0], g.in[1]}), g);
  return finish(out.view(DimVector{N, C, g.out[0], g.out[1]}), input.dtype());
}

Tensor upsample_bwd(const char* op, const DispatchStub<UpsampleBackwardKernel>& stub, const Tensor& grad_output,
                    const DimVector& output_size, const DimVector& input_size, bool align_corners,
                    std::optional<double> sh, std::optional<double> sw) {
  check_4d(op, grad_output);
  DType t = compute_dtype(op, grad_output.dtype());
  UpsampleGeometry g = upsample_geometry(op, output_size, input_size, align_corners, sh, sw);
  const int64_t N = input_size[0], C = input_size[1];
  DimVector expect{N, C, g.out[0], g.out[1]};
  EMBER_CHECK(grad_output.sizes() == expect, RuntimeError, "[", op, "] expected grad_output of size ", expect,
              ", but got ", grad_output.sizes());
  Tensor gi = empty(DimVector{N * C, g.in[0], g.in[1]}, TensorOptions(t).device(grad_output.device()));
  if (gi.numel() > 0)
    stub(grad_output.device().type)(gi, prep(grad_output, t).reshape(DimVector{N * C, g.out[0], g.out[1]}), g);
  return finish(gi.view(input_size), grad_output.dtype());
}

}  // namespace

Tensor upsample_nearest2d(const Tensor& input, const DimVector& output_size, std::optional<double> scales_h,
                          std::optional<double> scales_w) {
  return upsample_fwd("upsample_nearest2d", upsample_nearest_stub, input, output_size, false, scales_h, scales_w);
}
Tensor upsample_nearest2d_backward(const Tensor& grad_output, const DimVector& output_size,
                                   const DimVector& input_size, std::optional<double> scales_h,
                                   std::optional<double> scales_w) {
  return upsample_bwd("upsample_nearest2d_backward", upsample_nearest_backward_stub, grad_output, output_size,
                      input_size, false, scales_h, scales_w);
}
Tensor upsample_bilinear2d(const Tensor& input, const DimVector& output_size, bool align_corners,
                           std::optional<double> scales_h, std::optional<double> scales_w) {
  return upsample_fwd("upsample_bilinear2d", upsample_bilinear_stub, input, output_size, align_corners, scales_h,
                      scales_w);
}
Tensor upsample_bilinear2d_backward(const Tensor& grad_output, const DimVector& output_size,
                                    const DimVector& input_size, bool align_corners, std::optional<double> scales_h,
                                    std::optional<double> scales_w) {
  return upsample_bwd("upsample_bilinear2d_backward", upsample_bilinear_backward_stub, grad_output, output_size,
                      input_size, align_corners, scales_h, scales_w);
}

}  // namespace ember
