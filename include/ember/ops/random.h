#pragma once
// Random sampling ops. Each takes an optional Generator (nullptr: the
// default generator) and draws its numbers as Note [Random numbers] in
// ember/core/generator.h describes: the same seed gives the same values on
// every run and for every thread count. In-place ops fill non-contiguous
// tensors by generating contiguously and copying, so a view gets the values
// a contiguous tensor of its shape would.
#include <optional>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"

namespace ember {

// ---- in-place fills (Tensor methods in Python)
// Uniform in [from, to); floating and complex dtypes.
EMBER_API Tensor& uniform_(Tensor& self, double from = 0, double to = 1, Generator* gen = nullptr);
// Normal with the given mean and standard deviation; floating and complex
// dtypes (complex: real and imaginary parts each with variance std^2 / 2).
EMBER_API Tensor& normal_(Tensor& self, double mean = 0, double std = 1, Generator* gen = nullptr);
// 1 with probability p, else 0; real dtypes.
EMBER_API Tensor& bernoulli_(Tensor& self, double p = 0.5, Generator* gen = nullptr);
// p broadcasts to self's shape; its elements must lie in [0, 1].
EMBER_API Tensor& bernoulli_(Tensor& self, const Tensor& p, Generator* gen = nullptr);
// Integers uniform in [0, max] where max is the dtype's largest value (2^mantissa
// digits for floating dtypes).
EMBER_API Tensor& random_(Tensor& self, Generator* gen = nullptr);
// Integers uniform in [0, to).
EMBER_API Tensor& random_(Tensor& self, int64_t to, Generator* gen = nullptr);
// Integers uniform in [from, to), or [from, max] when to is nullopt.
EMBER_API Tensor& random_(Tensor& self, int64_t from, std::optional<int64_t> to,
                          Generator* gen = nullptr);
// Exponential with rate lambda > 0; floating dtypes.
EMBER_API Tensor& exponential_(Tensor& self, double lambda = 1, Generator* gen = nullptr);

// ---- factories (default dtype: the default float dtype; randint and
// randperm: int64)
EMBER_API Tensor rand(const DimVector& sizes, const TensorOptions& opts = {}, Generator* gen = nullptr);
EMBER_API Tensor randn(const DimVector& sizes, const TensorOptions& opts = {}, Generator* gen = nullptr);
// Integers uniform in [low, high).
EMBER_API Tensor randint(int64_t low, int64_t high, const DimVector& sizes, const TensorOptions& opts = {},
                         Generator* gen = nullptr);
// A random permutation of 0..n-1.
EMBER_API Tensor randperm(int64_t n, const TensorOptions& opts = {}, Generator* gen = nullptr);
EMBER_API Tensor rand_like(const Tensor& t, const TensorOptions& opts, Generator* gen = nullptr);
EMBER_API Tensor randn_like(const Tensor& t, const TensorOptions& opts, Generator* gen = nullptr);
EMBER_API Tensor randint_like(const Tensor& t, int64_t low, int64_t high, const TensorOptions& opts,
                              Generator* gen = nullptr);

// ---- distributions with tensor parameters
EMBER_API Tensor normal(double mean, double std, const DimVector& sizes, const TensorOptions& opts = {},
                        Generator* gen = nullptr);
// mean and std broadcast together; the result has their promoted dtype,
// which must be floating.
EMBER_API Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen = nullptr);
EMBER_API Tensor normal(const Tensor& mean, double std = 1, Generator* gen = nullptr);
EMBER_API Tensor normal(double mean, const Tensor& std, Generator* gen = nullptr);
// Each element is 1 with the probability in probs (same shape and dtype).
EMBER_API Tensor bernoulli(const Tensor& probs, Generator* gen = nullptr);
// A tensor like input with each element 1 with probability p.
EMBER_API Tensor bernoulli(const Tensor& input, double p, Generator* gen = nullptr);
// Indices sampled from the categories of each row of probs (1-D or 2-D,
// non-negative, finite, rows with a positive sum; need not sum to 1). The
// result is int64 of shape [num_samples] or [rows, num_samples].
EMBER_API Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false,
                             Generator* gen = nullptr);

}  // namespace ember
