// Norms: linalg.vector_norm, matrix_norm and norm. Reductions run here on a
// contiguous (rows, reduced) copy of |x| in double precision, since Ember
// has no reduction ops of its own yet for ops/ to build on.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ember/core/parallel.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "linalg_grad.h"

namespace ember::linalg {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void check_norm_dtype(const Tensor& a, const char* op) {
  const DType t = a.dtype();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), TypeError, "[", op, "] ", op,
              ": Expected a floating point or complex tensor as input. Got ",
              t == DType::Int64 ? "Long" : t == DType::Int32 ? "Int" : dtype_name(t));
}

// The p-norm of each row of a contiguous float64 (rows, n) tensor.
void row_norms(const double* x, double* out, int64_t rows, int64_t n, double p) {
  parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n)), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const double* v = x + r * n;
      double acc;
      if (p == kInf) {
        acc = 0;
        for (int64_t i = 0; i < n; ++i) acc = std::isnan(v[i]) || v[i] > acc ? v[i] : acc;
      } else if (p == -kInf) {
        acc = kInf;
        for (int64_t i = 0; i < n; ++i) acc = std::isnan(v[i]) || v[i] < acc ? v[i] : acc;
      } else if (p == 0) {
        acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += v[i] != 0;
      } else if (p == 1) {
        acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += v[i];
      } else if (p == 2) {
        // Scaled by the largest magnitude so that huge and tiny values neither
        // overflow nor underflow.
        double scale = 0;
        for (int64_t i = 0; i < n; ++i) scale = std::max(scale, v[i]);
        acc = 0;
        if (scale > 0 && std::isfinite(scale)) {
          for (int64_t i = 0; i < n; ++i) acc += (v[i] / scale) * (v[i] / scale);
          acc = scale * std::sqrt(acc);
        } else {
          for (int64_t i = 0; i < n; ++i) acc += v[i] * v[i];
          acc = std::sqrt(acc);
        }
      } else {
        acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += std::pow(v[i], p);
        acc = std::pow(acc, 1.0 / p);
      }
      out[r] = acc;
    }
  });
}

// The singular-value norms need LAPACK: no half precision.
void check_svd_dtype(const Tensor& a, const char* op) {
  EMBER_CHECK(a.dtype() != DType::Float16 && a.dtype() != DType::BFloat16, TypeError, "[", op, "] ", op,
              ": Low precision dtypes not supported. Got ", a.dtype() == DType::Float16 ? "Half" : "BFloat16");
}

// Normalised, sorted, distinct dims of `dim` (all dims when empty/absent).
DimVector reduce_dims(const Tensor& a, const std::optional<DimVector>& dim, const char* op) {
  DimVector out;
  if (!dim || dim->empty()) {
    for (int64_t i = 0; i < a.dim(); ++i) out.push_back(i);
    return out;
  }
  std::vector<bool> seen(std::max<int64_t>(a.dim(), 1), false);
  for (int64_t d : *dim) {
    const int64_t w = wrap_dim(d, a.dim(), op);
    EMBER_CHECK(!seen[w], RuntimeError, "[", op, "] dim ", w, " appears multiple times in the list of dims");
    seen[w] = true;
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// a with dims d0 and d1 moved to the end, in that order.
Tensor matrix_dims_last(const Tensor& a, int64_t d0, int64_t d1) {
  DimVector perm;
  for (int64_t i = 0; i < a.dim(); ++i)
    if (i != d0 && i != d1) perm.push_back(i);
  perm.push_back(d0), perm.push_back(d1);
  return a.permute(perm);
}

}  // namespace

Tensor vector_norm(const Tensor& a_in, double ord, std::optional<DimVector> dim, bool keepdim,
                   std::optional<DType> dtype) {
  const char* op = "linalg.vector_norm";
  check_norm_dtype(a_in, op);
  Tensor a = dtype ? a_in.to(*dtype) : a_in;
  const DType out_dtype = to_real(a.dtype());
  const DimVector dims = reduce_dims(a, dim, op);
  std::vector<bool> reduced(std::max<int64_t>(a.dim(), 1), false);
  for (int64_t d : dims) reduced[d] = true;
  DimVector perm, kept_shape, keep_shape;
  int64_t n = 1;
  for (int64_t i = 0; i < a.dim(); ++i)
    if (!reduced[i]) perm.push_back(i), kept_shape.push_back(a.size(i));
  for (int64_t d : dims) perm.push_back(d), n *= a.size(d);
  for (int64_t i = 0; i < a.dim(); ++i) keep_shape.push_back(reduced[i] ? 1 : a.size(i));
  int64_t rows = 1;
  for (int64_t s : kept_shape) rows *= s;
  EMBER_CHECK(n > 0 || rows == 0 || (ord >= 0 && ord != kInf), RuntimeError, "[", op, "] ", op,
              " cannot compute the ", ord, " norm on an empty tensor because the operation does not have an identity");
  Tensor x = abs(a).to(DType::Float64).permute(perm).contiguous();
  Tensor out = empty(kept_shape, TensorOptions(DType::Float64));
  if (rows > 0) row_norms(x.data_ptr<double>(), out.data_ptr<double>(), rows, n, ord);
  out = out.to(out_dtype);
  if (keepdim) out = out.view(keep_shape);
  grad::record_vector_norm(a, out, ord, dims, keepdim);
  return out;
}

Tensor matrix_norm(const Tensor& a, const NormOrd& ord, const DimVector& dim, bool keepdim,
                   std::optional<DType> dtype) {
  const char* op = "linalg.matrix_norm";
  check_norm_dtype(a, op);
  EMBER_CHECK(a.dim() >= 2, RuntimeError, "[", op, "] ", op, ": The input tensor A must have at least 2 dimensions.");
  EMBER_CHECK(dim.size() == 2, RuntimeError, "[", op, "] ", op, ": dim must be a 2-tuple. Got ", dim.size(),
              " dims");
  int64_t d0 = wrap_dim(dim[0], a.dim(), op), d1 = wrap_dim(dim[1], a.dim(), op);
  EMBER_CHECK(d0 != d1, RuntimeError, "[", op, "] ", op, ": dims must be different. Got (", dim[0], ", ", dim[1], ")");
  Tensor x = dtype ? a.to(*dtype) : a;
  // Restores the two reduced dims as size 1 when keepdim.
  auto finish = [&](Tensor r) {
    if (!keepdim) return r;
    r = r.unsqueeze(std::min(d0, d1));
    return r.unsqueeze(std::max(d0, d1));
  };
  if (const std::string* s = std::get_if<std::string>(&ord)) {
    if (*s == "fro") return vector_norm(x, 2, DimVector{d0, d1}, keepdim);
    EMBER_CHECK(*s == "nuc", RuntimeError, "[", op, "] ", op, ": Order ", *s, " not supported.");
    check_svd_dtype(x, op);
    // Sum of singular values, with the matrix dims moved last.
    Tensor sv = svdvals(matrix_dims_last(x, d0, d1));
    return finish(vector_norm(sv, 1, DimVector{-1}));
  }
  const double p = std::get<double>(ord);
  if (p == 2 || p == -2) {
    check_svd_dtype(x, op);
    Tensor sv = svdvals(matrix_dims_last(x, d0, d1));
    return finish(vector_norm(sv, p > 0 ? kInf : -kInf, DimVector{-1}));
  }
  EMBER_CHECK(p == 1 || p == -1 || p == kInf || p == -kInf, RuntimeError, "[", op, "] ", op, ": Order ", p,
              " not supported.");
  // 1: the largest column sum (over rows d0); inf: the largest row sum.
  const int64_t sum_dim = (p == 1 || p == -1) ? d0 : d1;
  const int64_t max_dim = sum_dim == d0 ? d1 : d0;
  Tensor sums = vector_norm(x, 1, DimVector{sum_dim}, true);
  Tensor r = vector_norm(sums, p > 0 ? kInf : -kInf, DimVector{max_dim}, true);
  return keepdim ? r : r.squeeze(DimVector{std::min(d0, d1), std::max(d0, d1)});
}

Tensor norm(const Tensor& a, const std::optional<NormOrd>& ord, std::optional<DimVector> dim, bool keepdim,
            std::optional<DType> dtype) {
  const char* op = "linalg.norm";
  check_norm_dtype(a, op);
  if (dim) {
    EMBER_CHECK(dim->size() == 1 || dim->size() == 2, RuntimeError, "[", op, "] ", op,
                ": If dim is specified, it must be of length 1 or 2. Got ", dim->size());
  } else if (ord) {
    EMBER_CHECK(a.dim() == 1 || a.dim() == 2, RuntimeError, "[", op, "] ", op,
                ": If dim is not specified but ord is, the input must be 1D or 2D. Got ", a.dim(), "D.");
  }
  const bool matrix = (dim && dim->size() == 2) || (!dim && ord && a.dim() == 2);
  if (matrix) {
    return matrix_norm(a, ord.value_or(NormOrd(std::string("fro"))), dim.value_or(DimVector{-2, -1}), keepdim,
                       dtype);
  }
  double p = 2;
  if (ord) {
    EMBER_CHECK(std::holds_alternative<double>(*ord), RuntimeError, "[", op, "] ", op, ": Order ",
                std::get<std::string>(*ord), " not supported for vector norms.");
    p = std::get<double>(*ord);
  }
  return vector_norm(a, p, dim, keepdim, dtype);
}

}  // namespace ember::linalg
