// Normalisation layers: batch norm, layer norm, group norm and RMS norm,
// forward and backward. Layer and RMS norm run on the group-norm kernel
// (one group of C = prod(normalized_shape) channels with S = 1).
#include <cmath>
#include <limits>

#include "ember/core/dtype_info.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/unary.h"
#include "nn_common.h"

namespace ember {

using namespace nn_detail;

namespace {

void check_channel_param(const char* op, const char* name, const OptTensor& t, int64_t C) {
  if (!t) return;
  EMBER_CHECK(t->dim() == 1 && t->size(0) == C, RuntimeError, "[", op, "] ", name, " should contain ", C,
              " elements not ", t->numel(), " (got ", name, " of size ", t->sizes(), ")");
}

// (N, C, S) view of an input (N, C, *).
Tensor ncs(const Tensor& x) {
  int64_t S = 1;
  for (int64_t d = 2; d < x.dim(); ++d) S *= x.size(d);
  return x.reshape(DimVector{x.size(0), x.size(1), S});
}

}  // namespace

Tensor3 native_batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                          const OptTensor& running_mean, const OptTensor& running_var, bool training, double momentum,
                          double eps) {
  const char* op = "native_batch_norm";
  EMBER_CHECK(input.dim() >= 2, RuntimeError, "[", op, "] Expected input with at least 2 dims (N, C, ...), ",
              "but got input of size ", input.sizes());
  DType t = compute_dtype(op, input.dtype());
  const int64_t C = input.size(1);
  check_channel_param(op, "weight", weight, C);
  check_channel_param(op, "bias", bias, C);
  check_channel_param(op, "running_mean", running_mean, C);
  check_channel_param(op, "running_var", running_var, C);
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = prep(ncs(input), t);
  const int64_t per_channel = x.size(0) * x.size(2);
  Tensor mean, invstd;
  if (training) {
    EMBER_CHECK(per_channel > 1 || input.numel() == 0, ValueError, "[", op,
                "] Expected more than 1 value per channel when training, got input size ", input.sizes());
    mean = empty(DimVector{C}, opts);
    Tensor var = empty(DimVector{C}, opts);
    if (per_channel == 0) {
      // An empty batch leaves the running stats alone (as PyTorch): mean 0, invstd 1.
      return {finish(empty(input.sizes(), opts), input.dtype()), mean.zero_(), ones(DimVector{C}, opts)};
    }
    batch_norm_stats_stub(input.device().type)(mean, var, x);
    invstd = rsqrt(add(var, Scalar(eps)));
    if (running_mean) {
      Tensor rm = add(mul(running_mean->to(t), Scalar(1.0 - momentum)), mul(mean, Scalar(momentum)));
      Tensor target = *running_mean;  // a handle on the caller's buffer, updated in place
      target.copy_(rm);
    }
    if (running_var) {
      double unbias = per_channel > 1 ? double(per_channel) / double(per_channel - 1) : 1.0;
      Tensor rv = add(mul(running_var->to(t), Scalar(1.0 - momentum)), mul(var, Scalar(momentum * unbias)));
      Tensor target = *running_var;
      target.copy_(rv);
    }
  } else {
    EMBER_CHECK(running_mean && running_var, RuntimeError, "[", op,
                "] running_mean and running_var must be defined in evaluation mode");
    mean = prep(*running_mean, t);
    invstd = rsqrt(add(prep(*running_var, t), Scalar(eps)));
  }
  Tensor out = empty(x.sizes(), opts);
  if (out.numel() > 0)
    batch_norm_apply_stub(input.device().type)(out, x, mean, invstd, prep(weight, t), prep(bias, t));
  out = finish(out.view(input.sizes()), input.dtype());
  if (!training) return {out, empty(DimVector{0}, opts), empty(DimVector{0}, opts)};
  return {out, mean, invstd};
}

Tensor3 native_batch_norm_backward(const Tensor& grad_out, const Tensor& input, const OptTensor& weight,
                                   const OptTensor& running_mean, const OptTensor& running_var,
                                   const OptTensor& save_mean, const OptTensor& save_invstd, bool train, double eps,
                                   Mask3 output_mask) {
  const char* op = "native_batch_norm_backward";
  EMBER_CHECK(input.dim() >= 2, RuntimeError, "[", op, "] Expected input with at least 2 dims, but got ",
              input.sizes());
  EMBER_CHECK(grad_out.sizes() == input.sizes(), RuntimeError, "[", op, "] grad_out of size ", grad_out.sizes(),
              " does not match input of size ", input.sizes());
  DType t = compute_dtype(op, input.dtype());
  const int64_t C = input.size(1);
  check_channel_param(op, "weight", weight, C);
  Tensor mean, invstd;
  if (train) {
    EMBER_CHECK(save_mean && save_invstd, RuntimeError, "[", op, "] save_mean and save_invstd are required in training");
    check_channel_param(op, "save_mean", save_mean, C);
    check_channel_param(op, "save_invstd", save_invstd, C);
    mean = prep(*save_mean, t);
    invstd = prep(*save_invstd, t);
  } else {
    EMBER_CHECK(running_mean && running_var, RuntimeError, "[", op, "] running_mean and running_var are required ",
                "in evaluation mode");
    check_channel_param(op, "running_mean", running_mean, C);
    check_channel_param(op, "running_var", running_var, C);
    mean = prep(*running_mean, t);
    invstd = rsqrt(add(prep(*running_var, t), Scalar(eps)));
  }
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = prep(ncs(input), t);
  Tensor gi = output_mask[0] ? empty(x.sizes(), opts) : Tensor();
  Tensor gw = output_mask[1] ? empty(DimVector{C}, opts) : Tensor();
  Tensor gb = output_mask[2] ? empty(DimVector{C}, opts) : Tensor();
  if (gi.defined() || gw.defined() || gb.defined())
    batch_norm_backward_stub(input.device().type)(gi, gw, gb, prep(ncs(grad_out), t), x, mean, invstd,
                                                  prep(weight, t), train);
  if (gi.defined()) gi = finish(gi.view(input.sizes()), input.dtype());
  if (gw.defined()) gw = finish(gw, weight ? weight->dtype() : input.dtype());
  if (gb.defined()) gb = finish(gb, weight ? weight->dtype() : input.dtype());
  return {gi, gw, gb};
}

// ---- layer norm and RMS norm

namespace {

// Rows (M, D) of an input normalized over its trailing normalized_shape.
struct Rows {
  int64_t M = 1, D = 1;
  DimVector stat_sizes;  // leading dims, then a 1 per normalized dim
};

Rows layer_rows(const char* op, const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                const OptTensor& bias) {
  const int64_t k = normalized_shape.size(), nd = input.dim();
  EMBER_CHECK(k >= 1, RuntimeError, "[", op, "] Expected normalized_shape to be at least 1-dimensional, i.e., ",
              "containing at least one element, but got normalized_shape = ", normalized_shape);
  bool match = nd >= k;
  for (int64_t i = 0; match && i < k; ++i) match = input.size(nd - k + i) == normalized_shape[i];
  if (!match) {
    std::ostringstream os;
    os << "[*";
    for (int64_t s : normalized_shape) os << ", " << s;
    os << "]";
    EMBER_THROW(RuntimeError, "[", op, "] Given normalized_shape=", normalized_shape, ", expected input with shape ",
                os.str(), ", but got input of size", input.sizes());
  }
  for (const OptTensor* p : {&weight, &bias}) {
    if (!*p) continue;
    EMBER_CHECK((*p)->sizes() == normalized_shape, RuntimeError, "[", op, "] Expected ",
                p == &weight ? "weight" : "bias", " to be of same shape as normalized_shape, but got ",
                p == &weight ? "weight" : "bias", " of shape ", (*p)->sizes(), " and normalized_shape = ",
                normalized_shape);
  }
  Rows r;
  for (int64_t d = 0; d < nd - k; ++d) r.M *= input.size(d), r.stat_sizes.push_back(input.size(d));
  for (int64_t d = nd - k; d < nd; ++d) r.D *= input.size(d), r.stat_sizes.push_back(1);
  return r;
}

Tensor flat(const OptTensor& t, DType dt) { return t ? prep(*t, dt).reshape(DimVector{-1}) : Tensor(); }

}  // namespace

Tensor3 native_layer_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                          const OptTensor& bias, double eps) {
  const char* op = "native_layer_norm";
  DType t = compute_dtype(op, input.dtype());
  Rows r = layer_rows(op, input, normalized_shape, weight, bias);
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = prep(input, t).reshape(DimVector{r.M, r.D, 1});
  Tensor out = empty(x.sizes(), opts), mean = empty(DimVector{r.M}, opts), rstd = empty(DimVector{r.M}, opts);
  if (r.M > 0) {
    if (r.D == 0) {
      mean.fill_(Scalar(std::numeric_limits<double>::quiet_NaN()));
      rstd.fill_(Scalar(std::numeric_limits<double>::quiet_NaN()));
    } else {
      group_norm_stub(input.device().type)(out, mean, rstd, x, flat(weight, t), flat(bias, t), 1, eps);
    }
  }
  return {finish(out.view(input.sizes()), input.dtype()), mean.view(r.stat_sizes), rstd.view(r.stat_sizes)};
}

Tensor3 native_layer_norm_backward(const Tensor& grad_out, const Tensor& input, const DimVector& normalized_shape,
                                   const Tensor& mean, const Tensor& rstd, const OptTensor& weight,
                                   const OptTensor& bias, Mask3 output_mask) {
  const char* op = "native_layer_norm_backward";
  DType t = compute_dtype(op, input.dtype());
  Rows r = layer_rows(op, input, normalized_shape, weight, bias);
  EMBER_CHECK(grad_out.sizes() == input.sizes(), RuntimeError, "[", op, "] grad_out of size ", grad_out.sizes(),
              " does not match input of size ", input.sizes());
  EMBER_CHECK(mean.numel() == r.M && rstd.numel() == r.M, RuntimeError, "[", op, "] expected mean and rstd with ",
              r.M, " elements, but got ", mean.sizes(), " and ", rstd.sizes());
  auto opts = TensorOptions(t).device(input.device());
  Tensor gi = output_mask[0] ? zeros(DimVector{r.M, r.D, 1}, opts) : Tensor();
  Tensor gw = output_mask[1] && weight ? zeros(DimVector{r.D}, opts) : Tensor();
  Tensor gb = output_mask[2] && bias ? zeros(DimVector{r.D}, opts) : Tensor();
  if (r.M > 0 && r.D > 0 && (gi.defined() || gw.defined() || gb.defined())) {
    group_norm_backward_stub(input.device().type)(gi, gw, gb, prep(grad_out, t).reshape(DimVector{r.M, r.D, 1}),
                                                  prep(input, t).reshape(DimVector{r.M, r.D, 1}),
                                                  prep(mean, t).reshape(DimVector{r.M}),
                                                  prep(rstd, t).reshape(DimVector{r.M}), flat(weight, t), 1);
  }
  if (gi.defined()) gi = finish(gi.view(input.sizes()), input.dtype());
  if (gw.defined()) gw = finish(gw.view(normalized_shape), weight->dtype());
  if (gb.defined()) gb = finish(gb.view(normalized_shape), bias->dtype());
  return {gi, gw, gb};
}

Tensor2 _fused_rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                        std::optional<double> eps) {
  const char* op = "rms_norm";
  DType t = compute_dtype(op, input.dtype());
  Rows r = layer_rows(op, input, normalized_shape, weight, {});
  double e = eps ? *eps : finfo(input.dtype()).eps;
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = prep(input, t).reshape(DimVector{r.M, r.D, 1});
  Tensor out = empty(x.sizes(), opts), rstd = empty(DimVector{r.M}, opts);
  if (r.M > 0) {
    if (r.D == 0) rstd.fill_(Scalar(std::numeric_limits<double>::quiet_NaN()));
    else group_norm_stub(input.device().type)(out, Tensor(), rstd, x, flat(weight, t), Tensor(), 1, e);
  }
  return {finish(out.view(input.sizes()), input.dtype()), rstd.view(r.stat_sizes)};
}

Tensor rms_norm(const Tensor& input, const DimVector& normalized_shape, const OptTensor& weight,
                std::optional<double> eps) {
  return std::get<0>(_fused_rms_norm(input, normalized_shape, weight, eps));
}

Tensor2 _fused_rms_norm_backward(const Tensor& grad_out, const Tensor& input, const DimVector& normalized_shape,
                                 const Tensor& rstd, const OptTensor& weight, std::array<bool, 2> output_mask) {
  const char* op = "rms_norm_backward";
  DType t = compute_dtype(op, input.dtype());
  Rows r = layer_rows(op, input, normalized_shape, weight, {});
  EMBER_CHECK(grad_out.sizes() == input.sizes(), RuntimeError, "[", op, "] grad_out of size ", grad_out.sizes(),
              " does not match input of size ", input.sizes());
  EMBER_CHECK(rstd.numel() == r.M, RuntimeError, "[", op, "] expected rstd with ", r.M, " elements, but got ",
              rstd.sizes());
  auto opts = TensorOptions(t).device(input.device());
  Tensor gi = output_mask[0] ? zeros(DimVector{r.M, r.D, 1}, opts) : Tensor();
  Tensor gw = output_mask[1] && weight ? zeros(DimVector{r.D}, opts) : Tensor();
  if (r.M > 0 && r.D > 0 && (gi.defined() || gw.defined())) {
    group_norm_backward_stub(input.device().type)(gi, gw, Tensor(), prep(grad_out, t).reshape(DimVector{r.M, r.D, 1}),
                                                  prep(input, t).reshape(DimVector{r.M, r.D, 1}), Tensor(),
                                                  prep(rstd, t).reshape(DimVector{r.M}), flat(weight, t), 1);
  }
  if (gi.defined()) gi = finish(gi.view(input.sizes()), input.dtype());
  if (gw.defined()) gw = finish(gw.view(normalized_shape), weight->dtype());
  return {gi, gw};
}

// ---- group norm

namespace {

void check_group_args(const char* op, const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N,
                      int64_t C, int64_t HxW, int64_t group) {
  EMBER_CHECK(input.dim() >= 2, RuntimeError, "[", op, "] Expected at least 2 dimensions for input tensor but ",
              "received ", input.dim());
  EMBER_CHECK(group > 0, RuntimeError, "[", op, "] Expected num_groups to be positive, but got ", group);
  EMBER_CHECK(C % group == 0, RuntimeError, "[", op, "] Expected number of channels in input to be divisible by ",
              "num_groups, but got input of shape ", input.sizes(), " and num_groups=", group);
  EMBER_CHECK(input.size(0) == N && input.size(1) == C && input.numel() == N * C * HxW, RuntimeError, "[", op,
              "] Expected input of size [", N, ", ", C, ", *] with ", HxW, " elements per channel, but got ",
              input.sizes());
  for (const OptTensor* p : {&weight, &bias}) {
    if (!*p) continue;
    EMBER_CHECK((*p)->dim() == 1 && (*p)->size(0) == C, RuntimeError, "[", op, "] Expected ",
                p == &weight ? "weight" : "bias", " to be a vector of size equal to the number of channels in ",
                "input, but got ", p == &weight ? "weight" : "bias", " of shape ", (*p)->sizes(),
                " and input of shape ", input.sizes());
  }
}

}  // namespace

Tensor3 native_group_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias, int64_t N, int64_t C,
                          int64_t HxW, int64_t group, double eps) {
  const char* op = "native_group_norm";
  DType t = compute_dtype(op, input.dtype());
  check_group_args(op, input, weight, bias, N, C, HxW, group);
  auto opts = TensorOptions(t).device(input.device());
  Tensor x = prep(input, t).reshape(DimVector{N, C, HxW});
  Tensor out = empty(x.sizes(), opts), mean = empty(DimVector{N, group}, opts), rstd = empty(DimVector{N, group}, opts);
  if (N > 0) {
    if (C * HxW == 0) {
      mean.fill_(Scalar(std::numeric_limits<double>::quiet_NaN()));
      rstd.fill_(Scalar(std::numeric_limits<double>::quiet_NaN()));
    } else {
      group_norm_stub(input.device().type)(out, mean, rstd, x, prep(weight, t), prep(bias, t), group, eps);
    }
  }
  return {finish(out.view(input.sizes()), input.dtype()), mean, rstd};
}

Tensor3 native_group_norm_backward(const Tensor& grad_out, const Tensor& input, const Tensor& mean,
                                   const Tensor& rstd, const OptTensor& weight, int64_t N, int64_t C, int64_t HxW,
                                   int64_t group, Mask3 output_mask) {
  const char* op = "native_group_norm_backward";
  DType t = compute_dtype(op, input.dtype());
  check_group_args(op, input, weight, {}, N, C, HxW, group);
  EMBER_CHECK(grad_out.sizes() == input.sizes(), RuntimeError, "[", op, "] grad_out of size ", grad_out.sizes(),
              " does not match input of size ", input.sizes());
  EMBER_CHECK(mean.numel() == N * group && rstd.numel() == N * group, RuntimeError, "[", op,
              "] expected mean and rstd with N * group = ", N * group, " elements, but got ", mean.sizes(), " and ",
              rstd.sizes());
  auto opts = TensorOptions(t).device(input.device());
  Tensor gi = output_mask[0] ? zeros(DimVector{N, C, HxW}, opts) : Tensor();
  Tensor gw = output_mask[1] ? zeros(DimVector{C}, opts) : Tensor();
  Tensor gb = output_mask[2] ? zeros(DimVector{C}, opts) : Tensor();
  if (N > 0 && C * HxW > 0 && (gi.defined() || gw.defined() || gb.defined())) {
    group_norm_backward_stub(input.device().type)(gi, gw, gb, prep(grad_out, t).reshape(DimVector{N, C, HxW}),
                                                  prep(input, t).reshape(DimVector{N, C, HxW}),
                                                  prep(mean, t).reshape(DimVector{N * group}),
                                                  prep(rstd, t).reshape(DimVector{N * group}), prep(weight, t),
                                                  group);
  }
  if (gi.defined()) gi = finish(gi.view(input.sizes()), input.dtype());
  if (gw.defined()) gw = finish(gw, weight ? weight->dtype() : input.dtype());
  if (gb.defined()) gb = finish(gb, weight ? weight->dtype() : input.dtype());
  return {gi, gw, gb};
}

}  // namespace ember
