// OpenBLAS calls behind ember::blas (see blas.h and Note [BLAS threads]).
#include "blas.h"

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/parallel.h"

using cf = std::complex<float>;
using cd = std::complex<double>;
using fint = int;    // LAPACK integer of the 32-bit wheel
using flen = size_t;  // gfortran's hidden length of character arguments

// LAPACK's Fortran entry points, as the wheel exports them.
extern "C" {
#define EMBER_LAPACK_GETRF(p, T) void scipy_##p##getrf_(const fint*, const fint*, T*, const fint*, fint*, fint*);
#define EMBER_LAPACK_GETRS(p, T)                                                                      \
  void scipy_##p##getrs_(const char*, const fint*, const fint*, const T*, const fint*, const fint*, T*, \
                         const fint*, fint*, flen);
#define EMBER_LAPACK_GETRI(p, T) \
  void scipy_##p##getri_(const fint*, T*, const fint*, const fint*, T*, const fint*, fint*);
#define EMBER_LAPACK_POTRF(p, T) void scipy_##p##potrf_(const char*, const fint*, T*, const fint*, fint*, flen);
#define EMBER_LAPACK_GEQRF(p, T) \
  void scipy_##p##geqrf_(const fint*, const fint*, T*, const fint*, T*, T*, const fint*, fint*);
#define EMBER_LAPACK_ALL(p, T) EMBER_LAPACK_GETRF(p, T) EMBER_LAPACK_GETRS(p, T) EMBER_LAPACK_GETRI(p, T) \
  EMBER_LAPACK_POTRF(p, T) EMBER_LAPACK_GEQRF(p, T)
EMBER_LAPACK_ALL(s, float)
EMBER_LAPACK_ALL(d, double)
EMBER_LAPACK_ALL(c, cf)
EMBER_LAPACK_ALL(z, cd)
void scipy_sorgqr_(const fint*, const fint*, const fint*, float*, const fint*, const float*, float*, const fint*, fint*);
void scipy_dorgqr_(const fint*, const fint*, const fint*, double*, const fint*, const double*, double*, const fint*, fint*);
void scipy_cungqr_(const fint*, const fint*, const fint*, cf*, const fint*, const cf*, cf*, const fint*, fint*);
void scipy_zungqr_(const fint*, const fint*, const fint*, cd*, const fint*, const cd*, cd*, const fint*, fint*);
void scipy_ssyevd_(const char*, const char*, const fint*, float*, const fint*, float*, float*, const fint*, fint*,
                   const fint*, fint*, flen, flen);
void scipy_dsyevd_(const char*, const char*, const fint*, double*, const fint*, double*, double*, const fint*,
                   fint*, const fint*, fint*, flen, flen);
void scipy_cheevd_(const char*, const char*, const fint*, cf*, const fint*, float*, cf*, const fint*, float*,
                   const fint*, fint*, const fint*, fint*, flen, flen);
void scipy_zheevd_(const char*, const char*, const fint*, cd*, const fint*, double*, cd*, const fint*, double*,
                   const fint*, fint*, const fint*, fint*, flen, flen);
void scipy_sgesdd_(const char*, const fint*, const fint*, float*, const fint*, float*, float*, const fint*, float*,
                   const fint*, float*, const fint*, fint*, fint*, flen);
void scipy_dgesdd_(const char*, const fint*, const fint*, double*, const fint*, double*, double*, const fint*,
                   double*, const fint*, double*, const fint*, fint*, fint*, flen);
void scipy_cgesdd_(const char*, const fint*, const fint*, cf*, const fint*, float*, cf*, const fint*, cf*,
                   const fint*, cf*, const fint*, float*, fint*, fint*, flen);
void scipy_zgesdd_(const char*, const fint*, const fint*, cd*, const fint*, double*, cd*, const fint*, cd*,
                   const fint*, cd*, const fint*, double*, fint*, fint*, flen);
void scipy_sgelsd_(const fint*, const fint*, const fint*, float*, const fint*, float*, const fint*, float*,
                   const float*, fint*, float*, const fint*, fint*, fint*);
void scipy_dgelsd_(const fint*, const fint*, const fint*, double*, const fint*, double*, const fint*, double*,
                   const double*, fint*, double*, const fint*, fint*, fint*);
void scipy_cgelsd_(const fint*, const fint*, const fint*, cf*, const fint*, cf*, const fint*, float*,
                   const float*, fint*, cf*, const fint*, float*, fint*, fint*);
void scipy_zgelsd_(const fint*, const fint*, const fint*, cd*, const fint*, cd*, const fint*, double*,
                   const double*, fint*, cd*, const fint*, double*, fint*, fint*);
}

namespace ember::blas {

namespace {

// OpenBLAS starts single-threaded when libember loads (Note [BLAS threads]).
struct SingleThreadedAtLoad {
  SingleThreadedAtLoad() { scipy_openblas_set_num_threads(1); }
} single_threaded_at_load;

// Work of one GEMM above which several BLAS threads pay off.
constexpr double kThreadedGemmFlops = 64.0 * 64.0 * 64.0;

CBLAS_TRANSPOSE op(bool trans, bool conj) {
  return trans ? (conj ? CblasConjTrans : CblasTrans) : (conj ? CblasConjNoTrans : CblasNoTrans);
}

void check_int(int64_t v, const char* what) {
  EMBER_CHECK(v <= INT32_MAX, RuntimeError, "[blas] ", what, " = ", v,
              " exceeds the 32-bit integers of the BLAS library");
}

template <class T>
void gemm_call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, T alpha, const T* a, int lda,
               const T* b, int ldb, T beta, T* c, int ldc) {
  if constexpr (std::is_same_v<T, float>) {
    scipy_cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else if constexpr (std::is_same_v<T, double>) {
    scipy_cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else if constexpr (std::is_same_v<T, cf>) {
    scipy_cblas_cgemm(CblasRowMajor, ta, tb, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc);
  } else {
    scipy_cblas_zgemm(CblasRowMajor, ta, tb, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc);
  }
}

}  // namespace

int num_threads() { return scipy_openblas_get_num_threads(); }

template <class T>
void gemm(bool trans_a, bool conj_a, bool trans_b, bool conj_b, int64_t m, int64_t n, int64_t k, T alpha,
          const T* a, int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc, bool may_thread) {
  for (auto [v, w] : {std::pair{m, "m"}, {n, "n"}, {k, "k"}, {lda, "lda"}, {ldb, "ldb"}, {ldc, "ldc"}})
    check_int(v, w);
  if (m == 0 || n == 0) return;
  // CblasConjNoTrans is not accepted by every OpenBLAS build for gemm: a
  // conjugated, untransposed operand is the caller's job (it never asks).
  auto ta = op(trans_a, conj_a), tb = op(trans_b, conj_b);
  int threads = ember::get_num_threads();
  bool threaded = may_thread && threads > 1 && !ember::in_parallel_region() &&
                  double(m) * double(n) * double(k) >= kThreadedGemmFlops;
  if (!threaded) {
    gemm_call<T>(ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
    return;
  }
  // Note [BLAS threads]: single-threaded GEMMs on blocks of C, one per
  // thread of our pool. Raising OpenBLAS's own thread count per call made a
  // 256x256 product 100x slower on 2 busy cores (its threads spin after the
  // call). The larger of m and n is split, in multiples of 64.
  const bool split_m = m >= n;
  const int64_t len = split_m ? m : n;
  const int64_t parts = std::min<int64_t>(threads, std::max<int64_t>(1, len / 64));
  const int64_t block = ((len + parts - 1) / parts + 63) / 64 * 64;
  parallel_for(0, (len + block - 1) / block, 1, [&](int64_t pb, int64_t pe) {
    for (int64_t p = pb; p < pe; ++p) {
      const int64_t lo = p * block, cnt = std::min(block, len - lo);
      if (split_m) {
        const T* ap = a + (trans_a ? lo : lo * lda);
        gemm_call<T>(ta, tb, int(cnt), int(n), int(k), alpha, ap, int(lda), b, int(ldb), beta, c + lo * ldc, int(ldc));
      } else {
        const T* bp = b + (trans_b ? lo * ldb : lo);
        gemm_call<T>(ta, tb, int(m), int(cnt), int(k), alpha, a, int(lda), bp, int(ldb), beta, c + lo, int(ldc));
      }
    }
  });
}

template <class T>
void gemv(bool trans, int64_t m, int64_t n, T alpha, const T* a, int64_t lda, const T* x, int64_t incx, T beta,
          T* y, int64_t incy) {
  for (auto [v, w] : {std::pair{m, "m"}, {n, "n"}, {lda, "lda"}, {incx, "incx"}, {incy, "incy"}}) check_int(v, w);
  auto t = trans ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>) {
    scipy_cblas_sgemv(CblasRowMajor, t, int(m), int(n), alpha, a, int(lda), x, int(incx), beta, y, int(incy));
  } else if constexpr (std::is_same_v<T, double>) {
    scipy_cblas_dgemv(CblasRowMajor, t, int(m), int(n), alpha, a, int(lda), x, int(incx), beta, y, int(incy));
  } else if constexpr (std::is_same_v<T, cf>) {
    scipy_cblas_cgemv(CblasRowMajor, t, int(m), int(n), &alpha, a, int(lda), x, int(incx), &beta, y, int(incy));
  } else {
    scipy_cblas_zgemv(CblasRowMajor, t, int(m), int(n), &alpha, a, int(lda), x, int(incx), &beta, y, int(incy));
  }
}

template <class T>
T dot(int64_t n, const T* x, int64_t incx, const T* y, int64_t incy, bool conj_x) {
  for (auto [v, w] : {std::pair{n, "n"}, {incx, "incx"}, {incy, "incy"}}) check_int(v, w);
  if constexpr (std::is_same_v<T, float>) {
    return scipy_cblas_sdot(int(n), x, int(incx), y, int(incy));
  } else if constexpr (std::is_same_v<T, double>) {
    return scipy_cblas_ddot(int(n), x, int(incx), y, int(incy));
  } else if constexpr (std::is_same_v<T, cf>) {
    T r;
    if (conj_x) scipy_cblas_cdotc_sub(int(n), x, int(incx), y, int(incy), &r);
    else scipy_cblas_cdotu_sub(int(n), x, int(incx), y, int(incy), &r);
    return r;
  } else {
    T r;
    if (conj_x) scipy_cblas_zdotc_sub(int(n), x, int(incx), y, int(incy), &r);
    else scipy_cblas_zdotu_sub(int(n), x, int(incx), y, int(incy), &r);
    return r;
  }
}

// ---- LAPACK
#define EMBER_PICK(T, s, d, c, z, ...)                                     \
  if constexpr (std::is_same_v<T, float>) scipy_##s(__VA_ARGS__);          \
  else if constexpr (std::is_same_v<T, double>) scipy_##d(__VA_ARGS__);    \
  else if constexpr (std::is_same_v<T, cf>) scipy_##c(__VA_ARGS__);        \
  else scipy_##z(__VA_ARGS__);

namespace {
// LAPACK's workspace query returns the size as a (complex) floating value.
template <class T>
int work_size(T w) {
  return std::max(1, int(std::real(w)));
}
}  // namespace

template <class T>
int getrf(int m, int n, T* a, int lda, int* ipiv) {
  int info = 0;
  EMBER_PICK(T, sgetrf_, dgetrf_, cgetrf_, zgetrf_, &m, &n, a, &lda, ipiv, &info)
  return info;
}

template <class T>
int getrs(int n, int nrhs, const T* a, int lda, const int* ipiv, T* b, int ldb) {
  int info = 0;
  char t = 'N';
  EMBER_PICK(T, sgetrs_, dgetrs_, cgetrs_, zgetrs_, &t, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1)
  return info;
}

template <class T>
int getri(int n, T* a, int lda, const int* ipiv) {
  int info = 0, lwork = -1;
  T q{};
  EMBER_PICK(T, sgetri_, dgetri_, cgetri_, zgetri_, &n, a, &lda, ipiv, &q, &lwork, &info)
  lwork = work_size(q);
  std::vector<T> work(lwork);
  EMBER_PICK(T, sgetri_, dgetri_, cgetri_, zgetri_, &n, a, &lda, ipiv, work.data(), &lwork, &info)
  return info;
}

template <class T>
int potrf(bool upper, int n, T* a, int lda) {
  int info = 0;
  char u = upper ? 'U' : 'L';
  EMBER_PICK(T, spotrf_, dpotrf_, cpotrf_, zpotrf_, &u, &n, a, &lda, &info, 1)
  return info;
}

template <class T>
int geqrf(int m, int n, T* a, int lda, T* tau) {
  int info = 0, lwork = -1;
  T q{};
  EMBER_PICK(T, sgeqrf_, dgeqrf_, cgeqrf_, zgeqrf_, &m, &n, a, &lda, tau, &q, &lwork, &info)
  lwork = work_size(q);
  std::vector<T> work(lwork);
  EMBER_PICK(T, sgeqrf_, dgeqrf_, cgeqrf_, zgeqrf_, &m, &n, a, &lda, tau, work.data(), &lwork, &info)
  return info;
}

template <class T>
int orgqr(int m, int n, int k, T* a, int lda, const T* tau) {
  int info = 0, lwork = -1;
  T q{};
  EMBER_PICK(T, sorgqr_, dorgqr_, cungqr_, zungqr_, &m, &n, &k, a, &lda, tau, &q, &lwork, &info)
  lwork = work_size(q);
  std::vector<T> work(lwork);
  EMBER_PICK(T, sorgqr_, dorgqr_, cungqr_, zungqr_, &m, &n, &k, a, &lda, tau, work.data(), &lwork, &info)
  return info;
}

template <class T>
int syevd(bool vectors, bool upper, int n, T* a, int lda, real_t<T>* w) {
  using R = real_t<T>;
  int info = 0, lwork = -1, liwork = -1, lrwork = -1, iq = 0;
  char jobz = vectors ? 'V' : 'N', uplo = upper ? 'U' : 'L';
  T q{};
  R rq{};
  if constexpr (std::is_same_v<T, R>) {
    EMBER_PICK(T, ssyevd_, dsyevd_, ssyevd_, dsyevd_, &jobz, &uplo, &n, a, &lda, w, &q, &lwork, &iq, &liwork,
               &info, 1, 1)
    lwork = work_size(q), liwork = std::max(1, iq);
    std::vector<T> work(lwork);
    std::vector<int> iwork(liwork);
    EMBER_PICK(T, ssyevd_, dsyevd_, ssyevd_, dsyevd_, &jobz, &uplo, &n, a, &lda, w, work.data(), &lwork,
               iwork.data(), &liwork, &info, 1, 1)
  } else {
    EMBER_PICK(T, cheevd_, zheevd_, cheevd_, zheevd_, &jobz, &uplo, &n, a, &lda, w, &q, &lwork, &rq, &lrwork,
               &iq, &liwork, &info, 1, 1)
    lwork = work_size(q), lrwork = work_size(rq), liwork = std::max(1, iq);
    std::vector<T> work(lwork);
    std::vector<R> rwork(lrwork);
    std::vector<int> iwork(liwork);
    EMBER_PICK(T, cheevd_, zheevd_, cheevd_, zheevd_, &jobz, &uplo, &n, a, &lda, w, work.data(), &lwork,
               rwork.data(), &lrwork, iwork.data(), &liwork, &info, 1, 1)
  }
  return info;
}

template <class T>
int gesdd(char jobz, int m, int n, T* a, int lda, real_t<T>* s, T* u, int ldu, T* vt, int ldvt) {
  using R = real_t<T>;
  int info = 0, lwork = -1;
  int mn = std::min(m, n), mx = std::max(m, n);
  std::vector<int> iwork(std::max(1, 8 * mn));
  T q{};
  if constexpr (std::is_same_v<T, R>) {
    EMBER_PICK(T, sgesdd_, dgesdd_, sgesdd_, dgesdd_, &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &q, &lwork,
               iwork.data(), &info, 1)
    lwork = work_size(q);
    std::vector<T> work(lwork);
    EMBER_PICK(T, sgesdd_, dgesdd_, sgesdd_, dgesdd_, &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt,
               work.data(), &lwork, iwork.data(), &info, 1)
  } else {
    int64_t lrwork = jobz == 'N' ? 7 * int64_t(mn)
                                 : std::max<int64_t>(5 * int64_t(mn) * mn + 5 * mn,
                                                     2 * int64_t(mx) * mn + 2 * int64_t(mn) * mn + mn);
    std::vector<R> rwork(std::max<int64_t>(1, lrwork));
    EMBER_PICK(T, cgesdd_, zgesdd_, cgesdd_, zgesdd_, &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &q, &lwork,
               rwork.data(), iwork.data(), &info, 1)
    lwork = work_size(q);
    std::vector<T> work(lwork);
    EMBER_PICK(T, cgesdd_, zgesdd_, cgesdd_, zgesdd_, &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt,
               work.data(), &lwork, rwork.data(), iwork.data(), &info, 1)
  }
  return info;
}

template <class T>
int gelsd(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, real_t<T>* s, real_t<T> rcond, int* rank) {
  using R = real_t<T>;
  int info = 0, lwork = -1, iq = 0;
  T q{};
  if constexpr (std::is_same_v<T, R>) {
    EMBER_PICK(T, sgelsd_, dgelsd_, sgelsd_, dgelsd_, &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, &q,
               &lwork, &iq, &info)
    lwork = work_size(q);
    std::vector<T> work(lwork);
    std::vector<int> iwork(std::max(1, iq));
    EMBER_PICK(T, sgelsd_, dgelsd_, sgelsd_, dgelsd_, &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank,
               work.data(), &lwork, iwork.data(), &info)
  } else {
    R rq{};
    EMBER_PICK(T, cgelsd_, zgelsd_, cgelsd_, zgelsd_, &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, &q,
               &lwork, &rq, &iq, &info)
    lwork = work_size(q);
    std::vector<T> work(lwork);
    std::vector<R> rwork(work_size(rq));
    std::vector<int> iwork(std::max(1, iq));
    EMBER_PICK(T, cgelsd_, zgelsd_, cgelsd_, zgelsd_, &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank,
               work.data(), &lwork, rwork.data(), iwork.data(), &info)
  }
  return info;
}
#undef EMBER_PICK

#define EMBER_BLAS_INSTANTIATE(T)                                                                            \
  template void gemm<T>(bool, bool, bool, bool, int64_t, int64_t, int64_t, T, const T*, int64_t, const T*,    \
                        int64_t, T, T*, int64_t, bool);                                                      \
  template void gemv<T>(bool, int64_t, int64_t, T, const T*, int64_t, const T*, int64_t, T, T*, int64_t);     \
  template T dot<T>(int64_t, const T*, int64_t, const T*, int64_t, bool);                                    \
  template int getrf<T>(int, int, T*, int, int*);                                                            \
  template int getrs<T>(int, int, const T*, int, const int*, T*, int);                                       \
  template int getri<T>(int, T*, int, const int*);                                                           \
  template int potrf<T>(bool, int, T*, int);                                                                 \
  template int geqrf<T>(int, int, T*, int, T*);                                                              \
  template int orgqr<T>(int, int, int, T*, int, const T*);                                                   \
  template int syevd<T>(bool, bool, int, T*, int, real_t<T>*);                                               \
  template int gesdd<T>(char, int, int, T*, int, real_t<T>*, T*, int, T*, int);                              \
  template int gelsd<T>(int, int, int, T*, int, T*, int, real_t<T>*, real_t<T>, int*);
EMBER_BLAS_INSTANTIATE(float)
EMBER_BLAS_INSTANTIATE(double)
EMBER_BLAS_INSTANTIATE(cf)
EMBER_BLAS_INSTANTIATE(cd)

}  // namespace ember::blas
