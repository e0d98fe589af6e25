#pragma once
// ember::fft: discrete Fourier transforms with torch.fft's signatures.
// norm is "backward" (default: inverse transforms scale by 1/n), "forward"
// (forward transforms scale by 1/n) or "ortho" (both by 1/sqrt(n)).
// Real and integer inputs of complex transforms are promoted: float16,
// bfloat16 -> complex64, float32 -> complex64, float64 -> complex128,
// integers and bool -> the default complex dtype. Multi-dimensional
// transforms are repeated 1-D transforms along each dim.
#include <optional>
#include <string_view>
#include <vector>

#include "ember/core/dispatch_stub.h"
#include "ember/core/tensor.h"

namespace ember::fft {

using Norm = std::optional<std::string_view>;
using OptDims = std::optional<DimVector>;

EMBER_API Tensor fft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});
EMBER_API Tensor ifft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});
// Real input -> the n/2+1 non-redundant terms.
EMBER_API Tensor rfft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});
// Half spectrum -> real signal of length n (default 2*(m-1)).
EMBER_API Tensor irfft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});
// Hermitian half spectrum of a signal -> its real FFT; ihfft is its inverse.
EMBER_API Tensor hfft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});
EMBER_API Tensor ihfft(const Tensor& x, std::optional<int64_t> n = std::nullopt, int64_t dim = -1, Norm norm = {});

// s: signal sizes (-1 keeps a dim's size); dim: dims to transform. With s
// and no dim, the last len(s) dims; with neither, every dim.
EMBER_API Tensor fftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
EMBER_API Tensor ifftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
EMBER_API Tensor rfftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
EMBER_API Tensor irfftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
// n-D hfft / ihfft: the last of dims holds the half spectrum (real output of
// hfftn, complex output of ihfftn, real input of ihfftn).
EMBER_API Tensor hfftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
EMBER_API Tensor ihfftn(const Tensor& x, const OptDims& s = {}, const OptDims& dim = {}, Norm norm = {});
// The 2-D forms default to dim = (-2, -1).
EMBER_API Tensor fft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});
EMBER_API Tensor ifft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});
EMBER_API Tensor rfft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});
EMBER_API Tensor irfft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});
EMBER_API Tensor hfft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});
EMBER_API Tensor ihfft2(const Tensor& x, const OptDims& s = {}, const DimVector& dim = {-2, -1}, Norm norm = {});

// Sample frequencies: [0, 1, ..., -(n/2), ..., -1] / (d*n) and [0 .. n/2] / (d*n).
// opts.dtype defaults to the default float dtype.
EMBER_API Tensor fftfreq(int64_t n, double d = 1.0, const TensorOptions& opts = {});
EMBER_API Tensor rfftfreq(int64_t n, double d = 1.0, const TensorOptions& opts = {});

// Move the zero frequency to the centre (roll by n/2 along each dim; all
// dims when dim is empty) and back.
EMBER_API Tensor fftshift(const Tensor& x, const OptDims& dim = {});
EMBER_API Tensor ifftshift(const Tensor& x, const OptDims& dim = {});


// How the engine transforms a length: Cooley-Tukey radices, or Bluestein
// with a power-of-two inner length (then radices are the inner plan's).
// Exposed for tests (ember._C._fft_plan_info).
struct PlanInfo {
  std::vector<int64_t> radices;
  bool bluestein = false;
  int64_t inner_n = 0;
};
EMBER_API PlanInfo plan_info(int64_t n);

// Kernel tables (Note [Dispatch stubs]). Every tensor is contiguous; forward
// picks the sign exp(-2 pi i ...).
// In place along `dim` of a complex tensor.
using C2CKernel = void (*)(const Tensor& data, int64_t dim, bool forward, double scale);
// For r2c and c2r the transformed dim is last.
// Real rows of n -> complex rows of n/2+1 (r2c) and back (c2r).
using R2CKernel = void (*)(const Tensor& in, const Tensor& out, bool forward, double scale);
using C2RKernel = void (*)(const Tensor& in, const Tensor& out, bool forward, double scale);
EMBER_API extern DispatchStub<C2CKernel> c2c_stub;
EMBER_API extern DispatchStub<R2CKernel> r2c_stub;
EMBER_API extern DispatchStub<C2RKernel> c2r_stub;

}  // namespace ember::fft
