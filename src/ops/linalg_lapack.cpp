// ember::linalg decompositions and solvers through LAPACK: det, slogdet,
// inv, solve, cholesky, qr, eigh, svd, lstsq. Each batch of matrices is
// copied into column-major (Fortran) order, factorised in place one matrix
// at a time over the pool (LAPACK itself runs single-threaded, Note [BLAS
// threads]), and errors are reported with PyTorch's wording.
// These ops are CPU-only: they call the OpenBLAS wrapper directly rather
// than through a dispatch stub, which a CUDA backend will add with cuSOLVER.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../cpu/blas.h"
#include "ember/core/parallel.h"
#include "ember/core/tensor_iterator.h"  // broadcast_shapes
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "linalg_grad.h"
#include "ember/autograd/record.h"

namespace ember::linalg {

namespace {

using cf = std::complex<float>;
using cd = std::complex<double>;

void check_dtype(const Tensor& a, const char* op) {
  const DType t = a.dtype();
  EMBER_CHECK(is_floating_point(t) || is_complex(t), TypeError, "[", op, "] ", op,
              ": Expected a floating point or complex tensor as input. Got ", torch_dtype_name(t));
  EMBER_CHECK(t != DType::Float16 && t != DType::BFloat16, TypeError, "[", op, "] ", op,
              ": Low precision dtypes not supported. Got ", torch_dtype_name(t));
  EMBER_CHECK(a.is_cpu(), NotImplementedError, "[", op, "] only CPU tensors are supported");
}

void check_matrix(const Tensor& a, const char* op, const char* name = "A") {
  check_dtype(a, op);
  EMBER_CHECK(a.dim() >= 2, RuntimeError, "[", op, "] ", op, ": The input tensor ", name,
              " must have at least 2 dimensions.");
}

void check_square(const Tensor& a, const char* op, const char* name = "A") {
  check_matrix(a, op, name);
  EMBER_CHECK(a.size(-1) == a.size(-2), RuntimeError, "[", op, "] ", op, ": ", name,
              " must be batches of square matrices, but they are ", a.size(-2), " by ", a.size(-1), " matrices");
}

DimVector batch_of(const Tensor& a) { return DimVector(a.sizes().begin(), a.sizes().end() - 2); }
int64_t count(const DimVector& s) {
  int64_t n = 1;
  for (int64_t v : s) n *= v;
  return n;
}
DimVector cat(DimVector a, std::initializer_list<int64_t> tail) {
  for (int64_t v : tail) a.push_back(v);
  return a;
}

// A fresh batch of column-major (rows x cols) matrices: contiguous batches,
// each stored column by column.
Tensor empty_colmajor(const DimVector& batch, int64_t rows, int64_t cols, DType dt) {
  return empty(cat(batch, {cols, rows}), TensorOptions(dt)).mT();
}
// A column-major copy of a (..., rows, cols), expanded to `batch`.
Tensor colmajor_copy(const Tensor& a, const DimVector& batch) {
  Tensor out = empty_colmajor(batch, a.size(-2), a.size(-1), a.dtype());
  out.copy_(a.expand(cat(batch, {a.size(-2), a.size(-1)})));
  return out;
}

template <class F>
decltype(auto) dispatch_lapack(DType t, const char* op, F&& f) {
  switch (t) {
    case DType::Float32: return f.template operator()<float>();
    case DType::Float64: return f.template operator()<double>();
    case DType::Complex64: return f.template operator()<cf>();
    case DType::Complex128: return f.template operator()<cd>();
    default: EMBER_THROW(TypeError, "[", op, "] not implemented for dtype ", dtype_name(t));
  }
}

// Runs fn(i) for each matrix of a batch over the pool; LAPACK on small
// matrices is cheap, so several go to one chunk.
template <class F>
void for_each_matrix(int64_t n_batch, int64_t matrix_size, F fn) {
  const int64_t work = std::max<int64_t>(1, matrix_size * 32);
  parallel_for(0, n_batch, std::max<int64_t>(1, kGrainSize / work), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) fn(i);
  });
}

// The first nonzero info of a batch, raised with PyTorch's wording.
void check_infos(const std::vector<int>& infos, const char* op, bool batched,
                 std::string (*message)(int info)) {
  for (size_t i = 0; i < infos.size(); ++i) {
    if (infos[i] == 0) continue;
    EMBER_CHECK(infos[i] > 0, RuntimeError, "[", op, "] ", op, ": argument ", -infos[i],
                " has an illegal value (LAPACK)");
    if (batched) EMBER_THROW(RuntimeError, "[", op, "] ", op, ": (Batch element ", i, "): ", message(infos[i]));
    EMBER_THROW(RuntimeError, "[", op, "] ", op, ": ", message(infos[i]));
  }
}

std::string singular_message(int info) {
  return detail::str_cat("The diagonal element ", info,
                         " is zero, the inversion could not be completed because the input matrix is singular.");
}

void check_lapack_size(int64_t v, const char* op) {
  EMBER_CHECK(v <= std::numeric_limits<int>::max(), RuntimeError, "[", op, "] matrix dimension ", v,
              " exceeds the 32-bit integers of LAPACK");
}

template <class T>
T* mat_ptr(const Tensor& t, int64_t i) {
  return static_cast<T*>(t.data_ptr()) + i * t.size(-1) * t.size(-2);
}

}  // namespace

// ---- inverse
std::tuple<Tensor, Tensor> inv_ex(const Tensor& a, bool check_errors) {
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph

  check_square(a, "linalg.inv");
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), n = a.size(-1);
  check_lapack_size(n, "linalg.inv");
  Tensor out = colmajor_copy(a, batch);
  std::vector<int> infos(nb, 0);
  dispatch_lapack(a.dtype(), "linalg.inv", [&]<class T>() {
    for_each_matrix(nb, n * n * n, [&](int64_t i) {
      std::vector<int> ipiv(std::max<int64_t>(1, n));
      T* p = mat_ptr<T>(out, i);
      if (n == 0) return;
      infos[i] = blas::getrf<T>(int(n), int(n), p, int(n), ipiv.data());
      if (infos[i] == 0) infos[i] = blas::getri<T>(int(n), p, int(n), ipiv.data());
    });
  });
  if (check_errors) check_infos(infos, "linalg.inv", !batch.empty(), &singular_message);
  Tensor info = empty(batch, TensorOptions(DType::Int32));
  std::copy(infos.begin(), infos.end(), info.data_ptr<int32_t>());
  autograd::GradMode::set_enabled(grad_on);
  grad::record_inv(a, out);
  return {out, info};
}

Tensor inv(const Tensor& a) { return std::get<0>(inv_ex(a, true)); }

// ---- determinants from an LU factorisation
namespace {
// sign (phase for complex) and log|det| of each matrix.
std::tuple<Tensor, Tensor> lu_logdet(const Tensor& a, const char* op) {
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph

  check_square(a, op);
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), n = a.size(-1);
  check_lapack_size(n, op);
  Tensor lu = colmajor_copy(a, batch);
  Tensor sign = empty(batch, TensorOptions(a.dtype()));
  Tensor logabs = empty(batch, TensorOptions(to_real(a.dtype())));
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    using R = blas::real_t<T>;
    T* ps = sign.data_ptr<T>();
    R* pl = logabs.data_ptr<R>();
    for_each_matrix(nb, n * n * n, [&](int64_t i) {
      std::vector<int> ipiv(std::max<int64_t>(1, n));
      T* p = mat_ptr<T>(lu, i);
      const int info = n == 0 ? 0 : blas::getrf<T>(int(n), int(n), p, int(n), ipiv.data());
      EMBER_CHECK(info >= 0, RuntimeError, "[", op, "] LAPACK getrf: illegal argument ", -info);
      T s(1);
      R l(0);
      for (int64_t j = 0; j < n; ++j) {
        const T d = p[j * n + j];
        const R m = std::abs(d);
        if (ipiv[j] != j + 1) s = -s;
        if (m == R(0)) {
          s = T(0);
          l = -std::numeric_limits<R>::infinity();
          break;
        }
        s *= d / m;
        l += std::log(m);
      }
      ps[i] = s;
      pl[i] = l;
    });
  });
  autograd::GradMode::set_enabled(grad_on);
  grad::record_logdet(a, sign, logabs);
  return {sign, logabs};
}
}  // namespace

std::tuple<Tensor, Tensor> slogdet(const Tensor& a) { return lu_logdet(a, "linalg.slogdet"); }

Tensor det(const Tensor& a) {
  auto [sign, logabs] = lu_logdet(a, "linalg.det");
  // det = sign * exp(log|det|); exp(-inf) = 0 for singular matrices.
  return mul(sign, exp(logabs));
}

// ---- solve
Tensor solve(const Tensor& a, const Tensor& b, bool left) {
  const char* op = "linalg.solve";
  check_square(a, op);
  check_dtype(b, op);
  EMBER_CHECK(a.dtype() == b.dtype(), RuntimeError, "[", op, "] ", op,
              ": Expected A and B to have the same dtype, but found A of type ", torch_dtype_name(a.dtype()),
              " and B of type ", torch_dtype_name(b.dtype()), " instead");
  if (!left) {
    // X A = B  <=>  A^T X^T = B^T.
    return solve(a.mT(), b.dim() == 1 ? b : b.mT(), true).mT();
  }
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph
  const int64_t n = a.size(-1);
  // B is a batch of vectors when it has one dim less than A (and matches).
  const bool vector = b.dim() == 1 || (b.dim() == a.dim() - 1 && DimVector(b.sizes()) == DimVector(a.sizes().begin(), a.sizes().end() - 1));
  Tensor bm = vector ? b.unsqueeze(-1) : b;
  EMBER_CHECK(bm.dim() >= 2 && bm.size(-2) == n, RuntimeError, "[", op, "] ", op,
              ": Incompatible shapes of A and B for the equation AX = B (", a.size(-2), "x", a.size(-1), " and ",
              bm.size(-2), "x", bm.size(-1), ")");
  const DimVector batch = broadcast_shapes(batch_of(a), batch_of(bm), op);
  const int64_t nb = count(batch), k = bm.size(-1);
  check_lapack_size(n, op);
  check_lapack_size(k, op);
  Tensor lu = colmajor_copy(a, batch);
  Tensor x = colmajor_copy(bm, batch);
  std::vector<int> infos(nb, 0);
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    for_each_matrix(nb, n * n * n + n * n * k, [&](int64_t i) {
      if (n == 0) return;
      std::vector<int> ipiv(n);
      T* p = mat_ptr<T>(lu, i);
      infos[i] = blas::getrf<T>(int(n), int(n), p, int(n), ipiv.data());
      if (infos[i] == 0 && k > 0)
        infos[i] = blas::getrs<T>(int(n), int(k), p, int(n), ipiv.data(), static_cast<T*>(x.data_ptr()) + i * n * k,
                                  int(n));
    });
  });
  for (int info : infos)
    EMBER_CHECK(info == 0, RuntimeError, "[", op, "] torch.linalg.solve: The solver failed because the input "
                "matrix is singular.");
  Tensor result = vector ? x.squeeze({-1}) : x;
  autograd::GradMode::set_enabled(grad_on);
  grad::record_solve(a, b, result, vector);
  return result;
}

// ---- cholesky
Tensor cholesky(const Tensor& a, bool upper) {
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph

  const char* op = "linalg.cholesky";
  check_square(a, op);
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), n = a.size(-1);
  check_lapack_size(n, op);
  Tensor out = colmajor_copy(a, batch);
  std::vector<int> infos(nb, 0);
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    for_each_matrix(nb, n * n * n, [&](int64_t i) {
      T* p = mat_ptr<T>(out, i);
      if (n == 0) return;
      infos[i] = blas::potrf<T>(upper, int(n), p, int(n));
      // Zero the triangle LAPACK leaves untouched: p[col * n + row].
      for (int64_t c = 0; c < n; ++c)
        for (int64_t r = 0; r < n; ++r)
          if (upper ? r > c : r < c) p[c * n + r] = T(0);
    });
  });
  check_infos(infos, op, !batch.empty(), [](int info) {
    return detail::str_cat("The factorization could not be completed because the input is not "
                           "positive-definite (the leading minor of order ", info, " is not positive-definite).");
  });
  autograd::GradMode::set_enabled(grad_on);
  grad::record_cholesky(a, out, upper);
  return out;
}

// ---- QR
std::tuple<Tensor, Tensor> qr(const Tensor& a, std::string_view mode) {
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph

  const char* op = "linalg.qr";
  check_matrix(a, op);
  EMBER_CHECK(mode == "reduced" || mode == "complete" || mode == "r", RuntimeError, "[", op,
              "] qr received unrecognized mode '", mode, "' but expected one of 'reduced' (default), 'r', or 'complete'");
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), m = a.size(-2), n = a.size(-1), k = std::min(m, n);
  check_lapack_size(m, op);
  check_lapack_size(n, op);
  const bool complete = mode == "complete";
  const int64_t qcols = complete ? m : k, rrows = complete ? m : k;
  // The factorisation works on an (m x max(n, qcols)) buffer, so that Q can
  // be formed in place with all the columns it needs.
  const int64_t wcols = std::max(n, qcols);
  Tensor work = empty_colmajor(batch, m, wcols, a.dtype());
  work.narrow(-1, 0, n).copy_(a.expand(cat(batch, {m, n})));
  Tensor r = zeros(cat(batch, {rrows, n}), TensorOptions(a.dtype()));
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    T* pr = static_cast<T*>(r.data_ptr());
    for_each_matrix(nb, m * n * k + 1, [&](int64_t i) {
      T* p = mat_ptr<T>(work, i);
      std::vector<T> tau(std::max<int64_t>(1, k));
      if (k > 0) blas::geqrf<T>(int(m), int(n), p, int(std::max<int64_t>(1, m)), tau.data());
      // R: the upper triangle (row-major output of rrows x n).
      T* ri = pr + i * rrows * n;
      for (int64_t row = 0; row < std::min(rrows, m); ++row)
        for (int64_t c = row; c < n; ++c) ri[row * n + c] = p[c * m + row];
      if (mode != "r" && qcols > 0 && m > 0)
        blas::orgqr<T>(int(m), int(qcols), int(k), p, int(m), tau.data());
    });
  });
  Tensor q = mode == "r" ? empty({0}, TensorOptions(a.dtype())) : work.narrow(-1, 0, qcols).contiguous();
  autograd::GradMode::set_enabled(grad_on);
  if (mode != "r") grad::record_qr(a, q, r);
  return {q, r};
}

// ---- eigh
namespace {
std::tuple<Tensor, Tensor> eigh_impl(const Tensor& a, std::string_view uplo, bool vectors, const char* op) {
  autograd::NoGradGuard internals;  // the callers record

  check_square(a, op);
  EMBER_CHECK(uplo == "L" || uplo == "U" || uplo == "l" || uplo == "u", RuntimeError, "[", op, "] ", op,
              ": Expected UPLO argument to be 'L' or 'U', but got ", uplo);
  const bool upper = uplo == "U" || uplo == "u";
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), n = a.size(-1);
  check_lapack_size(n, op);
  Tensor v = colmajor_copy(a, batch);
  Tensor w = empty(cat(batch, {n}), TensorOptions(to_real(a.dtype())));
  std::vector<int> infos(nb, 0);
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    using R = blas::real_t<T>;
    for_each_matrix(nb, n * n * n, [&](int64_t i) {
      if (n == 0) return;
      infos[i] = blas::syevd<T>(vectors, upper, int(n), mat_ptr<T>(v, i), int(n), w.data_ptr<R>() + i * n);
    });
  });
  check_infos(infos, op, !batch.empty(), [](int info) {
    return detail::str_cat("The algorithm failed to converge because the input matrix is ill-conditioned or has "
                           "too many repeated eigenvalues (error code: ", info, ").");
  });
  return {w, v};
}
}  // namespace

std::tuple<Tensor, Tensor> eigh(const Tensor& a, std::string_view uplo) {
  auto [w, v] = eigh_impl(a, uplo, true, "linalg.eigh");
  grad::record_eigh(a, w, v, v);
  return {w, v};
}
Tensor eigvalsh(const Tensor& a, std::string_view uplo) {
  if (!autograd::needs_grad({a})) return std::get<0>(eigh_impl(a, uplo, false, "linalg.eigvalsh"));
  // The gradient needs the eigenvectors, and its own derivative needs their
  // history too: go through eigh.
  return std::get<0>(eigh(a, uplo));
}

// ---- SVD
namespace {
std::tuple<Tensor, Tensor, Tensor> svd_impl(const Tensor& a, bool full, bool vectors, const char* op) {
  autograd::NoGradGuard internals;  // the callers record

  check_matrix(a, op);
  const DimVector batch = batch_of(a);
  const int64_t nb = count(batch), m = a.size(-2), n = a.size(-1), k = std::min(m, n);
  check_lapack_size(m, op);
  check_lapack_size(n, op);
  Tensor work = colmajor_copy(a, batch);
  const int64_t ucols = full ? m : k, vrows = full ? n : k;
  Tensor s = empty(cat(batch, {k}), TensorOptions(to_real(a.dtype())));
  Tensor u = vectors ? empty_colmajor(batch, m, ucols, a.dtype()) : Tensor();
  Tensor vh = vectors ? empty_colmajor(batch, vrows, n, a.dtype()) : Tensor();
  std::vector<int> infos(nb, 0);
  const char jobz = !vectors ? 'N' : full ? 'A' : 'S';
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    using R = blas::real_t<T>;
    for_each_matrix(nb, m * n * k + 1, [&](int64_t i) {
      if (k == 0) {
        // Nothing to decompose; full U and Vh of an empty matrix are identities.
        if (vectors) {
          T* pu = static_cast<T*>(u.data_ptr()) + i * m * ucols;
          T* pv = static_cast<T*>(vh.data_ptr()) + i * vrows * n;
          std::fill(pu, pu + m * ucols, T(0));
          std::fill(pv, pv + vrows * n, T(0));
          for (int64_t j = 0; j < std::min(m, ucols); ++j) pu[j * m + j] = T(1);
          for (int64_t j = 0; j < std::min(vrows, n); ++j) pv[j * vrows + j] = T(1);
        }
        return;
      }
      T dummy{};
      T* pu = vectors ? static_cast<T*>(u.data_ptr()) + i * m * ucols : &dummy;
      T* pv = vectors ? static_cast<T*>(vh.data_ptr()) + i * vrows * n : &dummy;
      infos[i] = blas::gesdd<T>(jobz, int(m), int(n), mat_ptr<T>(work, i), int(m), s.data_ptr<R>() + i * k, pu,
                                int(vectors ? m : 1), pv, int(vectors ? vrows : 1));
    });
  });
  // gesdd flags a NaN in A as an illegal 4th argument.
  for (int info : infos)
    EMBER_CHECK(info != -4, RuntimeError, "[", op, "] ", op, ": The algorithm failed to converge because the input "
                "matrix contained non-finite values.");
  check_infos(infos, op, !batch.empty(), [](int info) {
    return detail::str_cat("The algorithm failed to converge because the input matrix is ill-conditioned or has "
                           "too many repeated singular values (error code: ", info, ").");
  });
  return {u, s, vh};
}
}  // namespace

std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& a, bool full_matrices) {
  auto [u, s, vh] = svd_impl(a, full_matrices, true, "linalg.svd");
  grad::record_svd(a, u, s, vh, u, vh);
  return {u, s, vh};
}
Tensor svdvals(const Tensor& a) {
  if (!autograd::needs_grad({a})) return std::get<1>(svd_impl(a, false, false, "linalg.svdvals"));
  // As eigvalsh: the singular vectors, with their history, through svd.
  return std::get<1>(svd(a, false));
}

// ---- least squares
std::tuple<Tensor, Tensor, Tensor, Tensor> lstsq(const Tensor& a, const Tensor& b, std::optional<double> rcond,
                                                 std::optional<std::string_view> driver) {
  const bool grad_on = autograd::GradMode::is_enabled();
  autograd::NoGradGuard internals;  // scratch buffers are not part of the graph

  const char* op = "linalg.lstsq";
  check_matrix(a, op);
  check_dtype(b, op);
  EMBER_CHECK(a.dtype() == b.dtype(), RuntimeError, "[", op, "] ", op,
              ": Expected input and other to have the same dtype, but got input's dtype ", torch_dtype_name(a.dtype()),
              " and other's dtype ", torch_dtype_name(b.dtype()));
  if (driver) {
    EMBER_CHECK(*driver == "gelsd" || *driver == "gelsy" || *driver == "gelss" || *driver == "gels", RuntimeError,
                "[", op, "] ", op, ": parameter `driver` should be one of (gels, gelsy, gelsd, gelss)");
  }
  const int64_t m = a.size(-2), n = a.size(-1);
  const bool vector = b.dim() == a.dim() - 1;
  Tensor bm = vector ? b.unsqueeze(-1) : b;
  EMBER_CHECK(bm.dim() >= 2 && bm.size(-2) == m, RuntimeError, "[", op, "] ", op,
              ": input.size(-2) should match other.size(-2)");
  const DimVector batch = broadcast_shapes(batch_of(a), batch_of(bm), op);
  const int64_t nb = count(batch), nrhs = bm.size(-1), k = std::min(m, n), ldb = std::max<int64_t>(1, std::max(m, n));
  check_lapack_size(ldb, op);
  check_lapack_size(nrhs, op);
  Tensor work = colmajor_copy(a, batch);
  Tensor x = zeros(cat(batch, {nrhs, ldb}), TensorOptions(a.dtype())).mT();  // column-major, ldb rows
  x.narrow(-2, 0, m).copy_(bm.expand(cat(batch, {m, nrhs})));
  const DType real = to_real(a.dtype());
  Tensor sv = empty(cat(batch, {k}), TensorOptions(real));
  Tensor rank = empty(batch, TensorOptions(DType::Int64));
  const double eps = real == DType::Float32 ? std::numeric_limits<float>::epsilon()
                                            : std::numeric_limits<double>::epsilon();
  const double rc = rcond.value_or(eps * double(std::max(m, n)));
  std::vector<int> infos(nb, 0);
  dispatch_lapack(a.dtype(), op, [&]<class T>() {
    using R = blas::real_t<T>;
    for_each_matrix(nb, m * n * k + 1, [&](int64_t i) {
      int r = 0;
      if (k > 0 && nrhs > 0) {
        infos[i] = blas::gelsd<T>(int(m), int(n), int(nrhs), mat_ptr<T>(work, i), int(std::max<int64_t>(1, m)),
                                  static_cast<T*>(x.data_ptr()) + i * ldb * nrhs, int(ldb),
                                  sv.data_ptr<R>() + i * k, R(rc), &r);
      } else if (k > 0) {
        // No right-hand side: the singular values are still wanted.
        T dummy{};
        infos[i] = blas::gesdd<T>('N', int(m), int(n), mat_ptr<T>(work, i), int(m), sv.data_ptr<R>() + i * k,
                                  &dummy, 1, &dummy, 1);
        R* s = sv.data_ptr<R>() + i * k;
        for (int64_t j = 0; j < k; ++j) r += s[j] > R(rc) * s[0];
      }
      rank.data_ptr<int64_t>()[i] = r;
    });
  });
  check_infos(infos, op, !batch.empty(), [](int info) {
    return detail::str_cat("The least squares solution could not be computed because the input matrix does not "
                           "have full rank (error code: ", info, ").");
  });
  Tensor solution = x.narrow(-2, 0, n);
  // Residuals: squared norms of the leftover rows, when m > n and every
  // matrix has full rank (as PyTorch).
  Tensor residuals = empty({0}, TensorOptions(real));
  bool full_rank = true;
  for (int64_t i = 0; i < nb; ++i) full_rank = full_rank && rank.data_ptr<int64_t>()[i] == n;
  if (m > n && full_rank && nb > 0) {
    Tensor rest = x.narrow(-2, n, m - n);
    residuals = detail::sum_trailing(mul(rest, detail::conj_copy(rest)).mT(), 1, op);
    if (is_complex(residuals.dtype())) residuals = abs(residuals);
  }
  if (vector) {
    solution = solution.squeeze({-1});
    if (residuals.dim() > 0 && residuals.numel() > 0) residuals = residuals.squeeze({-1});
  }
  solution = solution.contiguous();
  autograd::GradMode::set_enabled(grad_on);
  grad::record_lstsq(a, b, solution);
  return {solution, residuals, rank, sv};
}

}  // namespace ember::linalg
