#pragma once
// The kernel tables of the random ops (Note [Dispatch stubs]); backends fill
// them. Every kernel writes a contiguous `out`, element i from the Philox
// counter draw.offset + i (Note [Random numbers]), so results do not depend
// on how the work is split across threads. The ops layer checks arguments,
// reserves the counters and copies into non-contiguous destinations.
#include <cstdint>

#include "ember/core/dispatch_stub.h"
#include "ember/core/generator.h"
#include "ember/core/tensor_iterator.h"

namespace ember {

// out[i] uniform in [from, to); floating or complex out (complex: real and
// imaginary parts each uniform).
using UniformKernel = void (*)(const Tensor& out, double from, double to, PhiloxDraw draw);
// out[i] = mean + std * N(0, 1) by Box-Muller; complex out gets real and
// imaginary parts each N(mean, std^2 / 2), as PyTorch does.
using NormalKernel = void (*)(const Tensor& out, double mean, double std, PhiloxDraw draw);
// Operands (out, mean, std), all of out's dtype: out = mean + std * out, where
// out already holds standard normal values.
using NormalAffineKernel = void (*)(TensorIterator& it);
// out[i] = from + an integer uniform in [0, range); range == 0 means 2^64.
// Real dtypes (integers, bool and floating).
using RandomIntKernel = void (*)(const Tensor& out, int64_t from, uint64_t range, PhiloxDraw draw);
// out[i] = 1 with probability p else 0; real out.
using BernoulliScalarKernel = void (*)(const Tensor& out, double p, PhiloxDraw draw);
// Like BernoulliScalarKernel with p[i] from a contiguous float64 tensor of
// out's shape.
using BernoulliTensorKernel = void (*)(const Tensor& out, const Tensor& p, PhiloxDraw draw);
// out[i] ~ Exponential(lambda); floating out.
using ExponentialKernel = void (*)(const Tensor& out, double lambda, PhiloxDraw draw);
// A uniformly random permutation of 0..n-1 into an int64 out of n elements,
// by Fisher-Yates: step i uses counter draw.offset + i.
using RandpermKernel = void (*)(const Tensor& out, PhiloxDraw draw);
// out (int64, [rows, num_samples]) from probs (float64, contiguous,
// [rows, categories], checked by the op). With replacement sample s of row r
// uses counter r * num_samples + s; without, category c of row r uses
// counter r * categories + c (exponential keys, the top num_samples win).
using MultinomialKernel = void (*)(const Tensor& out, const Tensor& probs, bool replacement,
                                   PhiloxDraw draw);

EMBER_API extern DispatchStub<UniformKernel> uniform_stub;
EMBER_API extern DispatchStub<NormalKernel> normal_stub;
EMBER_API extern DispatchStub<NormalAffineKernel> normal_affine_stub;
EMBER_API extern DispatchStub<RandomIntKernel> random_int_stub;
EMBER_API extern DispatchStub<BernoulliScalarKernel> bernoulli_scalar_stub;
EMBER_API extern DispatchStub<BernoulliTensorKernel> bernoulli_tensor_stub;
EMBER_API extern DispatchStub<ExponentialKernel> exponential_stub;
EMBER_API extern DispatchStub<RandpermKernel> randperm_stub;
EMBER_API extern DispatchStub<MultinomialKernel> multinomial_stub;

}  // namespace ember
