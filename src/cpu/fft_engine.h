#pragma once
// The FFT engine: mixed-radix Cooley-Tukey for lengths whose prime factors
// are small, Bluestein's chirp-z (through a power-of-two FFT) for the rest,
// so every length costs O(n log n). Plans are cached per (n, direction,
// precision). Rows are contiguous; a batch of rows runs in parallel.
// The ops layer (src/ops/fft*.cpp) does argument handling and calls these.
#include <complex>
#include <cstdint>
#include <vector>

#include "ember/core/macros.h"
#include "ember/ops/fft.h"

namespace ember::fft_engine {

// Largest radix the Cooley-Tukey path uses directly; a length with a larger
// prime factor goes through Bluestein.
constexpr int64_t kMaxRadix = 13;

// ember::fft::plan_info (declared in ember/ops/fft.h) is defined in
// fft_engine.cpp from the same factorisation the plans use.

// In place on contiguous data of shape [outer, n, inner]: every line along
// the middle dim becomes its DFT (forward: exp(-2 pi i jk/n); inverse:
// exp(+...), unnormalised), times scale.
template <class R>
void c2c(std::complex<R>* data, int64_t outer, int64_t n, int64_t inner, bool forward, R scale);

// Real rows of length n -> the first n/2+1 DFT terms (out rows n/2+1 long).
template <class R>
void r2c(const R* in, std::complex<R>* out, int64_t rows, int64_t n, bool forward, R scale);

// Rows of n/2+1 Hermitian half-spectra -> real rows of length n. The imaginary
// parts of the zero (and, for even n, Nyquist) terms are ignored, as in NumPy.
template <class R>
void c2r(const std::complex<R>* in, R* out, int64_t rows, int64_t n, bool forward, R scale);

}  // namespace ember::fft_engine
