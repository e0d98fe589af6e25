#pragma once
// Matrix products (matmul family, einsum, tensordot, kron, trace, cross) and
// ember::linalg (decompositions, solvers, norms). Products of floating and
// complex dtypes go through OpenBLAS, integers through Ember's own kernel;
// float16/bfloat16 compute in float32. Decompositions take float32/float64/
// complex64/complex128 with any leading batch dims.
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "ember/core/dispatch_stub.h"
#include "ember/core/tensor.h"

namespace ember {

// ---- products
EMBER_API Tensor matmul(const Tensor& a, const Tensor& b);
EMBER_API Tensor mm(const Tensor& a, const Tensor& b);
EMBER_API Tensor bmm(const Tensor& a, const Tensor& b);
EMBER_API Tensor mv(const Tensor& a, const Tensor& v);
EMBER_API Tensor dot(const Tensor& a, const Tensor& b);
EMBER_API Tensor vdot(const Tensor& a, const Tensor& b);  // conjugates a
EMBER_API Tensor inner(const Tensor& a, const Tensor& b);
EMBER_API Tensor outer(const Tensor& a, const Tensor& b);
// beta * input + alpha * (a @ b); beta == 0 ignores input's values (NaN too).
EMBER_API Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta = Scalar(int64_t(1)),
                       const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor addmv(const Tensor& input, const Tensor& a, const Tensor& v, const Scalar& beta = Scalar(int64_t(1)),
                       const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor baddbmm(const Tensor& input, const Tensor& a, const Tensor& b,
                         const Scalar& beta = Scalar(int64_t(1)), const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor addbmm(const Tensor& input, const Tensor& a, const Tensor& b,
                        const Scalar& beta = Scalar(int64_t(1)), const Scalar& alpha = Scalar(int64_t(1)));
// torch.nn.functional.linear for a 2-D weight (out, in): input (..., in) @
// weight^T + bias (0-D or 1-D), one node whose weight gradient comes out in
// the weight's layout (src/ops/nn_linear.cpp). All operands share one dtype.
EMBER_API Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt);
EMBER_API Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands);
EMBER_API Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims);
EMBER_API Tensor tensordot(const Tensor& a, const Tensor& b, const DimVector& dims_a, const DimVector& dims_b);
EMBER_API Tensor kron(const Tensor& a, const Tensor& b);
EMBER_API Tensor trace(const Tensor& a);
EMBER_API Tensor multi_dot(const std::vector<Tensor>& tensors);
// torch.cross: dim defaults to the first dim of size 3; linalg_cross to -1.
EMBER_API Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim = std::nullopt);

// The number of threads OpenBLAS runs with right now: 1 between calls
// (Note [BLAS threads] in src/cpu/blas.h).
EMBER_API int blas_num_threads();

// out[b] = op(a[b]) @ b[b] for 3-D a (B, M, K), b (B, K, N) and a
// contiguous out (B, M, N) of the same dtype; strides of a and b are
// arbitrary. op conjugates a when conj_a is set.
using BmmKernel = void (*)(const Tensor& out, const Tensor& a, const Tensor& b, bool conj_a);
EMBER_API extern DispatchStub<BmmKernel> bmm_stub;

namespace detail {
// Shared by the linalg source files: (B, M, K) @ (B, K, N) -> contiguous
// (B, M, N) for any dtype but bool (float16/bfloat16 via float32),
// conjugating a when asked.
EMBER_API Tensor bmm_core(const Tensor& a, const Tensor& b, bool conj_a, const char* op);
// The conjugate: a copy for complex dtypes, the input itself for real ones.
EMBER_API Tensor conj_copy(const Tensor& a);
// Sums the trailing `n` dims away (a product with a vector of ones).
EMBER_API Tensor sum_trailing(const Tensor& a, int64_t n, const char* op);
}  // namespace detail

namespace linalg {

EMBER_API Tensor det(const Tensor& a);
EMBER_API std::tuple<Tensor, Tensor> slogdet(const Tensor& a);  // sign, logabsdet
EMBER_API Tensor inv(const Tensor& a);
EMBER_API std::tuple<Tensor, Tensor> inv_ex(const Tensor& a, bool check_errors = false);
EMBER_API Tensor solve(const Tensor& a, const Tensor& b, bool left = true);
EMBER_API Tensor cholesky(const Tensor& a, bool upper = false);
EMBER_API std::tuple<Tensor, Tensor> qr(const Tensor& a, std::string_view mode = "reduced");
EMBER_API std::tuple<Tensor, Tensor> eigh(const Tensor& a, std::string_view uplo = "L");
EMBER_API Tensor eigvalsh(const Tensor& a, std::string_view uplo = "L");
EMBER_API std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& a, bool full_matrices = true);
EMBER_API Tensor svdvals(const Tensor& a);
// solution, residuals, rank, singular_values
EMBER_API std::tuple<Tensor, Tensor, Tensor, Tensor> lstsq(const Tensor& a, const Tensor& b,
                                                           std::optional<double> rcond = std::nullopt,
                                                           std::optional<std::string_view> driver = std::nullopt);
EMBER_API Tensor pinv(const Tensor& a, std::optional<double> atol = std::nullopt,
                      std::optional<double> rtol = std::nullopt, bool hermitian = false);
EMBER_API Tensor matrix_rank(const Tensor& a, std::optional<double> atol = std::nullopt,
                             std::optional<double> rtol = std::nullopt, bool hermitian = false);
EMBER_API Tensor matrix_power(const Tensor& a, int64_t n);
EMBER_API Tensor cross(const Tensor& a, const Tensor& b, int64_t dim = -1);

// ord: a number (inf as std::numeric_limits<double>::infinity()) or a string
// ("fro", "nuc").
using NormOrd = std::variant<double, std::string>;
EMBER_API Tensor vector_norm(const Tensor& a, double ord = 2, std::optional<DimVector> dim = std::nullopt,
                             bool keepdim = false, std::optional<DType> dtype = std::nullopt);
EMBER_API Tensor matrix_norm(const Tensor& a, const NormOrd& ord = std::string("fro"),
                             const DimVector& dim = {-2, -1}, bool keepdim = false,
                             std::optional<DType> dtype = std::nullopt);
EMBER_API Tensor norm(const Tensor& a, const std::optional<NormOrd>& ord = std::nullopt,
                      std::optional<DimVector> dim = std::nullopt, bool keepdim = false,
                      std::optional<DType> dtype = std::nullopt);

}  // namespace linalg
}  // namespace ember
