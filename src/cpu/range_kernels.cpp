// CPU kernels for arange and linspace (contiguous outputs).
#include <algorithm>
#include <complex>

#include "ember/core/kernels.h"
#include "ember/core/parallel.h"

namespace ember {
namespace {

void arange_kernel(const Tensor& out, const Scalar& start, const Scalar& step) {
  dispatch_all(out.dtype(), [&]<class T>() {
    T* data = static_cast<T*>(out.data_ptr());
    bool exact_int = start.is_integral() && step.is_integral();
    int64_t s0 = start.to_int(), ds = step.to_int();
    double d0 = start.to_double(), dd = step.to_double();
    parallel_for(0, out.numel(), kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        data[i] = exact_int ? detail::convert<T>(s0 + i * ds) : detail::convert<T>(d0 + double(i) * dd);
      }
    });
  });
}

void linspace_kernel(const Tensor& out, const Scalar& start, const Scalar& end) {
  int64_t n = out.numel();
  std::complex<double> a = start.to_complex(), z = end.to_complex();
  std::complex<double> step = n > 1 ? (z - a) / double(n - 1) : std::complex<double>(0);
  // Values below `half` count up from start, the rest down from end; with
  // one step that single value is start, as in PyTorch.
  int64_t half = std::max<int64_t>(n / 2, 1);
  dispatch_all(out.dtype(), [&]<class T>() {
    T* data = static_cast<T*>(out.data_ptr());
    parallel_for(0, n, kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        std::complex<double> v = i < half ? a + step * double(i) : z - step * double(n - 1 - i);
        if constexpr (detail::is_complex_v<T>) {
          data[i] = detail::convert<T>(v);
        } else {
          data[i] = detail::convert<T>(v.real());
        }
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL(arange_stub, CPU, &arange_kernel);
EMBER_REGISTER_KERNEL(linspace_stub, CPU, &linspace_kernel);

}  // namespace ember
