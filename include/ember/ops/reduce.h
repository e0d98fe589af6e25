#pragma once
// Reductions, scans and softmax, as PyTorch has them. `dims` is the list of
// dims to reduce (negative allowed, duplicates are an error); nullopt or an
// empty list reduces every dim. keepdim keeps reduced dims with size 1.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/core/reduce_kernels.h"
#include "ember/core/tensor.h"

namespace ember {

using OptDims = std::optional<DimVector>;

// ---- sums and products. Bool and integer inputs give int64 unless dtype is given
// (the input is cast to dtype first).
EMBER_API Tensor sum(const Tensor& a, const OptDims& dims = {}, bool keepdim = false,
                     std::optional<DType> dtype = {});
EMBER_API Tensor nansum(const Tensor& a, const OptDims& dims = {}, bool keepdim = false,
                        std::optional<DType> dtype = {});
EMBER_API Tensor prod(const Tensor& a, const OptDims& dims = {}, bool keepdim = false,
                      std::optional<DType> dtype = {});
// Floating or complex inputs only (or a floating/complex dtype); empty gives nan.
EMBER_API Tensor mean(const Tensor& a, const OptDims& dims = {}, bool keepdim = false,
                      std::optional<DType> dtype = {});
EMBER_API Tensor nanmean(const Tensor& a, const OptDims& dims = {}, bool keepdim = false,
                         std::optional<DType> dtype = {});

// ---- extremes. NaN wins; ties give the first index.
EMBER_API Tensor max(const Tensor& a);  // 0-dim; empty input is an error
EMBER_API Tensor min(const Tensor& a);
// (values, indices) along dim.
EMBER_API std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim = false);
EMBER_API std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim = false);
EMBER_API Tensor amax(const Tensor& a, const OptDims& dims = {}, bool keepdim = false);
EMBER_API Tensor amin(const Tensor& a, const OptDims& dims = {}, bool keepdim = false);
// (min, max)
EMBER_API std::pair<Tensor, Tensor> aminmax(const Tensor& a, std::optional<int64_t> dim = {},
                                            bool keepdim = false);
// int64 indices; dim nullopt: index into the flattened input.
EMBER_API Tensor argmax(const Tensor& a, std::optional<int64_t> dim = {}, bool keepdim = false);
EMBER_API Tensor argmin(const Tensor& a, std::optional<int64_t> dim = {}, bool keepdim = false);

// ---- logical (bool results)
EMBER_API Tensor all(const Tensor& a, const OptDims& dims = {}, bool keepdim = false);
EMBER_API Tensor any(const Tensor& a, const OptDims& dims = {}, bool keepdim = false);
EMBER_API Tensor count_nonzero(const Tensor& a, const OptDims& dims = {});  // int64

// ---- statistics. correction defaults to 1 (Bessel); floating/complex inputs.
EMBER_API Tensor var(const Tensor& a, const OptDims& dims = {}, std::optional<double> correction = {},
                     bool keepdim = false);
// (Named std_dev: a function called std inside namespace ember would hide ::std.)
EMBER_API Tensor std_dev(const Tensor& a, const OptDims& dims = {}, std::optional<double> correction = {},
                     bool keepdim = false);
// (var, mean) and (std, mean)
EMBER_API std::pair<Tensor, Tensor> var_mean(const Tensor& a, const OptDims& dims = {},
                                             std::optional<double> correction = {}, bool keepdim = false);
EMBER_API std::pair<Tensor, Tensor> std_mean(const Tensor& a, const OptDims& dims = {},
                                             std::optional<double> correction = {}, bool keepdim = false);
// log(sum(exp(a))) computed stably; integer inputs give the default float dtype.
EMBER_API Tensor logsumexp(const Tensor& a, const DimVector& dims, bool keepdim = false);
// Vector p-norm over dims (all when nullopt): p = 2, inf, -inf, 0 or any other
// number; "fro" is p = 2. Floating/complex inputs; complex gives the real dtype.
EMBER_API Tensor norm(const Tensor& a, double p = 2.0, const OptDims& dims = {}, bool keepdim = false,
                      std::optional<DType> dtype = {});

// ---- order statistics (floating and integer inputs)
// The lower median of all elements (0-dim); nanmedian ignores NaN.
EMBER_API Tensor median(const Tensor& a);
EMBER_API Tensor nanmedian(const Tensor& a);
EMBER_API std::pair<Tensor, Tensor> median(const Tensor& a, int64_t dim, bool keepdim = false);
EMBER_API std::pair<Tensor, Tensor> nanmedian(const Tensor& a, int64_t dim, bool keepdim = false);
// The most frequent value along dim (the smallest on ties) and an index of it.
EMBER_API std::pair<Tensor, Tensor> mode(const Tensor& a, int64_t dim = -1, bool keepdim = false);
// q: a 0-dim or 1-D tensor of values in [0, 1]; a 1-D q adds a leading dim.
// interpolation: linear, lower, higher, midpoint, nearest.
EMBER_API Tensor quantile(const Tensor& a, const Tensor& q, std::optional<int64_t> dim = {},
                          bool keepdim = false, std::string_view interpolation = "linear");
EMBER_API Tensor nanquantile(const Tensor& a, const Tensor& q, std::optional<int64_t> dim = {},
                             bool keepdim = false, std::string_view interpolation = "linear");

// ---- scans along dim (bool and integer inputs of cumsum/cumprod give int64)
EMBER_API Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype = {});
EMBER_API Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype = {});
EMBER_API std::pair<Tensor, Tensor> cummax(const Tensor& a, int64_t dim);
EMBER_API std::pair<Tensor, Tensor> cummin(const Tensor& a, int64_t dim);

// ---- softmax along dim, in dtype when given (floating only)
EMBER_API Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = {});
EMBER_API Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = {});

// Shared by the reduction ops: the wrapped, checked dims as a mask (every
// dim when dims is nullopt or empty); "dim 1 appears multiple times in the
// list of dims" on duplicates.
EMBER_API std::vector<bool> reduction_mask(const char* op, int64_t ndim, const OptDims& dims);
// The shape of a reduction's result for the mask.
EMBER_API DimVector reduced_shape(const DimVector& sizes, const std::vector<bool>& mask, bool keepdim);

// ---- internals shared by the reduction op files (src/ops/reduce*.cpp)
namespace detail_reduce {

// Runs a reduction kernel over the dims in mask: values of out_dtype and,
// when asked, int64 indices.
EMBER_API std::pair<Tensor, Tensor> run_reduction(const char* op, const DispatchStub<ReduceKernel>& stub, const Tensor& a,
                                        const std::vector<bool>& mask, DType out_dtype, bool keepdim,
                                        bool with_indices);
// Product of the sizes of the reduced dims.
EMBER_API int64_t reduced_numel(const Tensor& a, const std::vector<bool>& mask);
// IndexError "op(): Expected reduction dim 1 to have non-zero size." for ops without identity.
EMBER_API void check_nonempty_dims(const char* op, const Tensor& a, const std::vector<bool>& mask);

}  // namespace detail_reduce

}  // namespace ember
