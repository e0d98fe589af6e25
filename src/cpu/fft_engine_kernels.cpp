// CPU kernels of ember::fft: pick the precision (float for complex64 /
// float32, double for complex128 / float64) and hand rows to the engine.
#include "fft_engine.h"

#include "ember/ops/fft.h"

namespace ember::fft {
namespace {

int64_t rows_of(const Tensor& t, int64_t n) { return n == 0 ? 0 : t.numel() / n; }

void c2c_cpu(const Tensor& data, int64_t dim, bool forward, double scale) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < dim; ++d) outer *= data.sizes()[d];
  for (int64_t d = dim + 1; d < data.dim(); ++d) inner *= data.sizes()[d];
  const int64_t n = data.sizes()[dim];
  if (data.dtype() == DType::Complex128) {
    fft_engine::c2c(data.data_ptr<std::complex<double>>(), outer, n, inner, forward, scale);
  } else {
    fft_engine::c2c(data.data_ptr<std::complex<float>>(), outer, n, inner, forward, static_cast<float>(scale));
  }
}

void r2c_cpu(const Tensor& in, const Tensor& out, bool forward, double scale) {
  const int64_t n = in.size(-1);
  if (in.dtype() == DType::Float64) {
    fft_engine::r2c(in.data_ptr<double>(), out.data_ptr<std::complex<double>>(), rows_of(in, n), n, forward,
                    scale);
  } else {
    fft_engine::r2c(in.data_ptr<float>(), out.data_ptr<std::complex<float>>(), rows_of(in, n), n, forward,
                    static_cast<float>(scale));
  }
}

void c2r_cpu(const Tensor& in, const Tensor& out, bool forward, double scale) {
  const int64_t n = out.size(-1);
  if (out.dtype() == DType::Float64) {
    fft_engine::c2r(in.data_ptr<std::complex<double>>(), out.data_ptr<double>(), rows_of(out, n), n, forward,
                    scale);
  } else {
    fft_engine::c2r(in.data_ptr<std::complex<float>>(), out.data_ptr<float>(), rows_of(out, n), n, forward,
                    static_cast<float>(scale));
  }
}

}  // namespace

EMBER_REGISTER_KERNEL(c2c_stub, CPU, &c2c_cpu);
EMBER_REGISTER_KERNEL(r2c_stub, CPU, &r2c_cpu);
EMBER_REGISTER_KERNEL(c2r_stub, CPU, &c2r_cpu);

}  // namespace ember::fft
