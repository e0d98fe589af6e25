#pragma once
// Backward formulas of the LAPACK-backed linear algebra (linalg_lapack.cpp)
// and of vector_norm (linalg_norms.cpp). Each records a node when grad mode
// is on and an input requires grad; the formulas follow PyTorch's
// FunctionsManual (Note [Linalg gradients] in linalg_grad.cpp).
#include "ember/core/tensor.h"

namespace ember::linalg::grad {

void record_inv(const Tensor& a, const Tensor& inverse);
void record_logdet(const Tensor& a, const Tensor& sign, const Tensor& logabs);
// X = A^{-1} B (B a batch of vectors when `vector`).
void record_solve(const Tensor& a, const Tensor& b, const Tensor& x, bool vector);
void record_cholesky(const Tensor& a, const Tensor& factor, bool upper);
// Reduced QR with m >= n (or complete with m <= n... only the square-R cases).
void record_qr(const Tensor& a, const Tensor& q, const Tensor& r);
// v may be undefined (eigvalsh): then it is computed for the gradient.
void record_eigh(const Tensor& a, const Tensor& w, const Tensor& v, const Tensor& v_for_grad);
void record_svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& vh, const Tensor& u_for_grad,
                const Tensor& vh_for_grad);
void record_vector_norm(const Tensor& a, const Tensor& out, double ord, const DimVector& dims, bool keepdim);
// The solution of lstsq, differentiated as pinv(A) @ B.
void record_lstsq(const Tensor& a, const Tensor& b, const Tensor& x);

}  // namespace ember::linalg::grad
