// Functions built on the decompositions: pinv, matrix_rank, matrix_power.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"

namespace ember::linalg {

namespace {

double eps_of(DType t) {
  return to_real(t) == DType::Float32 ? std::numeric_limits<float>::epsilon()
                                      : std::numeric_limits<double>::epsilon();
}

// The cutoff below which singular values count as zero, per matrix:
// max(atol, rtol * largest), PyTorch's defaults when neither is given.
// `s` holds magnitudes (..., k) in any order; returns float64 (...).
Tensor cutoffs(const Tensor& s, int64_t m, int64_t n, std::optional<double> atol, std::optional<double> rtol) {
  const double rt = rtol ? *rtol : (atol && *atol > 0 ? 0.0 : eps_of(s.dtype()) * double(std::max(m, n)));
  const double at = atol.value_or(0.0);
  Tensor smax = s.size(-1) == 0 ? zeros(DimVector(s.sizes().begin(), s.sizes().end() - 1), TensorOptions(DType::Float64))
                                : vector_norm(s, std::numeric_limits<double>::infinity(), DimVector{-1}).to(DType::Float64);
  return maximum(mul(smax, rt), full(smax.sizes(), at, TensorOptions(DType::Float64)));
}

// 1/x where |x| > cutoff, else 0 (x real, cutoff float64, broadcast on the last dim).
Tensor safe_reciprocal(const Tensor& x, const Tensor& cut) {
  Tensor keep = gt(abs(x).to(DType::Float64), cut.unsqueeze(-1));
  Tensor ones_x = ones(x.sizes(), TensorOptions(x.dtype()));
  Tensor denom = add(mul(x, keep.to(x.dtype())), sub(ones_x, keep.to(x.dtype())));  // x where kept, else 1
  return mul(div(ones_x, denom), keep.to(x.dtype()));
}

void check_pinv_dtype(const Tensor& a, const char* op) {
  EMBER_CHECK(a.dtype() == DType::Float32 || a.dtype() == DType::Float64 || is_complex(a.dtype()), TypeError, "[",
              op, "] ", op, ": Expected a floating point or complex tensor as input. Got ", dtype_name(a.dtype()));
  EMBER_CHECK(a.dim() >= 2, RuntimeError, "[", op, "] ", op,
              ": The input tensor A must have at least 2 dimensions.");
}

}  // namespace

Tensor pinv(const Tensor& a, std::optional<double> atol, std::optional<double> rtol, bool hermitian) {
  const char* op = "linalg.pinv";
  check_pinv_dtype(a, op);
  const int64_t m = a.size(-2), n = a.size(-1);
  if (hermitian) {
    auto [w, v] = eigh(a);
    Tensor winv = safe_reciprocal(w, cutoffs(abs(w), m, n, atol, rtol));
    return matmul(mul(v, winv.unsqueeze(-2)), detail::conj_copy(v).mT());
  }
  auto [u, s, vh] = svd(a, false);
  Tensor sinv = safe_reciprocal(s, cutoffs(s, m, n, atol, rtol));
  return matmul(mul(detail::conj_copy(vh).mT(), sinv.unsqueeze(-2)), detail::conj_copy(u).mT());
}

Tensor matrix_rank(const Tensor& a, std::optional<double> atol, std::optional<double> rtol, bool hermitian) {
  const char* op = "linalg.matrix_rank";
  check_pinv_dtype(a, op);
  const int64_t m = a.size(-2), n = a.size(-1);
  Tensor s = hermitian ? abs(eigvalsh(a)) : svdvals(a);
  Tensor above = gt(s.to(DType::Float64), cutoffs(s, m, n, atol, rtol).unsqueeze(-1));
  return detail::sum_trailing(above.to(DType::Int64), 1, op);
}

Tensor matrix_power(const Tensor& a, int64_t n) {
  const char* op = "linalg.matrix_power";
  EMBER_CHECK(a.dim() >= 2 && a.size(-1) == a.size(-2), RuntimeError, "[", op, "] ", op,
              ": A must be batches of square matrices, but they are ",
              a.dim() >= 2 ? a.size(-2) : 0, " by ", a.dim() >= 2 ? a.size(-1) : 0, " matrices");
  EMBER_CHECK(a.dtype() != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  if (n == 0) {
    Tensor id = eye(a.size(-1), -1, TensorOptions(a.dtype()));
    return id.expand(a.sizes()).contiguous();
  }
  Tensor base = n < 0 ? inv(a) : a;
  uint64_t e = n < 0 ? uint64_t(-(n + 1)) + 1 : uint64_t(n);
  if (e == 1) return base.clone();
  // Binary exponentiation: log2(n) squarings.
  Tensor result;
  while (e > 0) {
    if (e & 1) result = result.defined() ? matmul(result, base) : base;
    e >>= 1;
    if (e > 0) base = matmul(base, base);
  }
  return result;
}

}  // namespace ember::linalg
