#pragma once
// A thin C++ face over OpenBLAS (BLAS + LAPACK from the scipy-openblas32
// wheel): the only file that knows its symbol prefix and integer width.
// Row-major BLAS calls; LAPACK calls take column-major matrices, as Fortran.
// Instantiated for float, double, std::complex<float>, std::complex<double>.
#include <complex>
#include <cstdint>

namespace ember::blas {

// Note [BLAS threads]
// Ember runs one intra-op pool (Note [One pool]); a second, spinning OpenBLAS
// pool beside it makes timings swing wildly. So OpenBLAS is set to 1 thread
// when libember loads and stays there. Batched products run single-threaded
// BLAS calls inside our parallel_for; one large GEMM outside a parallel
// region is split into blocks of rows (or columns) of C, each a
// single-threaded GEMM on one thread of our pool.
int num_threads();  // OpenBLAS's current thread count (1 between calls)

// C = alpha * op(A) @ op(B) + beta * C, row-major. op is A, A^T (trans) or
// A^H (conj_trans). `may_thread`: allowed to split C across our pool.
template <class T>
void gemm(bool trans_a, bool conj_a, bool trans_b, bool conj_b, int64_t m, int64_t n, int64_t k,
          T alpha, const T* a, int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc,
          bool may_thread);

// y = alpha * A @ x + beta * y, row-major A (m x n).
template <class T>
void gemv(bool trans, int64_t m, int64_t n, T alpha, const T* a, int64_t lda, const T* x, int64_t incx,
          T beta, T* y, int64_t incy);

// sum x_i * y_i; conj_x: sum conj(x_i) * y_i.
template <class T>
T dot(int64_t n, const T* x, int64_t incx, const T* y, int64_t incy, bool conj_x);

// ---- LAPACK (column-major, leading dimension lda). Each returns LAPACK's info.
template <class T>
int getrf(int m, int n, T* a, int lda, int* ipiv);
template <class T>
int getrs(int n, int nrhs, const T* a, int lda, const int* ipiv, T* b, int ldb);
template <class T>
int getri(int n, T* a, int lda, const int* ipiv);
template <class T>
int potrf(bool upper, int n, T* a, int lda);
template <class T>
int geqrf(int m, int n, T* a, int lda, T* tau);
// Forms Q (m x k columns) from geqrf's reflectors: orgqr / ungqr.
template <class T>
int orgqr(int m, int n, int k, T* a, int lda, const T* tau);

template <class T>
struct real_of { using type = T; };
template <class T>
struct real_of<std::complex<T>> { using type = T; };
template <class T>
using real_t = typename real_of<T>::type;

// Eigen-decomposition of a symmetric/Hermitian matrix: syevd / heevd.
template <class T>
int syevd(bool vectors, bool upper, int n, T* a, int lda, real_t<T>* w);
// SVD by divide and conquer; jobz 'A' (full), 'S' (reduced) or 'N'.
template <class T>
int gesdd(char jobz, int m, int n, T* a, int lda, real_t<T>* s, T* u, int ldu, T* vt, int ldvt);
// Least squares by SVD: b (ldb x nrhs, ldb >= max(m, n)) receives the
// solution; rcond < 0 uses machine precision.
template <class T>
int gelsd(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, real_t<T>* s, real_t<T> rcond, int* rank);

}  // namespace ember::blas
