#pragma once
// Shared helpers of the nn op files (nn_*.cpp, activation.cpp): the compute
// dtype, contiguous operands in it, per-dim parameter lists, and messages.
#include <sstream>
#include <string>

#include "ember/core/nn_kernels.h"
#include "ember/ops/creation.h"
#include "ember/ops/nn.h"
#include "ember/ops/reduce.h"

namespace ember::nn_detail {

// nn kernels run in float32/float64; float16/bfloat16 compute in float32.
inline DType compute_dtype(const char* op, DType t) {
  EMBER_CHECK(is_floating_point(t), TypeError, "[", op, "] expected a floating point input, but got dtype ",
              dtype_name(t));
  return (t == DType::Float16 || t == DType::BFloat16) ? DType::Float32 : t;
}

// A contiguous copy (or the tensor itself) in dtype t.
inline Tensor prep(const Tensor& a, DType t) { return a.to(t).contiguous(); }
inline Tensor prep(const OptTensor& a, DType t) { return a ? prep(*a, t) : Tensor(); }

// A result computed in `t` returned in the caller's dtype.
inline Tensor finish(const Tensor& r, DType want) { return r.defined() && r.dtype() != want ? r.to(want) : r; }

// stride=(2,) or stride=2 for a 2-D op: one value repeated, else exactly n.
inline DimVector expand_param(const char* op, const char* name, const DimVector& v, int64_t n) {
  if (v.size() == 1 && n > 1) {
    DimVector r;
    for (int64_t i = 0; i < n; ++i) r.push_back(v[0]);
    return r;
  }
  EMBER_CHECK(static_cast<int64_t>(v.size()) == n, RuntimeError, "[", op, "] expected ", name, " to be a single ",
              "integer value or a list of ", n, " integer values, but got ", v);
  return v;
}

// "(2 x 3)" as PyTorch prints spatial sizes.
inline std::string paren_sizes(const int64_t* v, int64_t n) {
  std::ostringstream os;
  os << '(';
  for (int64_t i = 0; i < n; ++i) os << (i ? " x " : "") << v[i];
  os << ')';
  return os.str();
}

inline void check_same_dtype(const char* op, const char* what, const Tensor& input, const Tensor& other) {
  EMBER_CHECK(input.dtype() == other.dtype(), RuntimeError, "[", op, "] Input type (", dtype_name(input.dtype()),
              ") and ", what, " type (", dtype_name(other.dtype()), ") should be the same");
}

inline void check_same_device(const char* op, const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.device() == b.device(), RuntimeError, "[", op, "] Expected all tensors to be on the same device, ",
              "but found ", a.device().str(), " and ", b.device().str());
}

inline void check_reduction(const char* op, int64_t reduction) {
  EMBER_CHECK(reduction >= 0 && reduction <= 2, ValueError, "[", op, "] ", reduction,
              " is not a valid value for reduction (0: none, 1: mean, 2: sum)");
}

}  // namespace ember::nn_detail
