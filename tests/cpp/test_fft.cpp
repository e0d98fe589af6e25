// GoogleTest for ember::fft: the engine against a direct O(n^2) DFT for
// every length up to 64 and for Bluestein lengths, both directions and both
// precisions; real transforms; plans built concurrently; argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <thread>
#include <vector>

#include "ember/ember.h"

using namespace ember;
using cd = std::complex<double>;

namespace {

std::vector<cd> direct_dft(const std::vector<cd>& x, bool forward) {
  const int64_t n = static_cast<int64_t>(x.size());
  std::vector<cd> out(n);
  const double sign = forward ? -1.0 : 1.0;
  for (int64_t k = 0; k < n; ++k) {
    cd acc = 0;
    for (int64_t j = 0; j < n; ++j) {
      double a = sign * 2.0 * std::numbers::pi * static_cast<double>((j * k) % n) / static_cast<double>(n);
      acc += x[j] * cd(std::cos(a), std::sin(a));
    }
    out[k] = acc;
  }
  return out;
}

std::vector<cd> signal(int64_t n, int seed) {
  std::vector<cd> x(n);
  for (int64_t i = 0; i < n; ++i) x[i] = cd(std::sin(0.7 * i + seed), std::cos(1.3 * i * i + 0.1 * seed));
  return x;
}

Tensor to_tensor(const std::vector<cd>& x, DType dtype) {
  Tensor t = empty({static_cast<int64_t>(x.size())}, TensorOptions(DType::Complex128));
  std::copy(x.begin(), x.end(), t.data_ptr<cd>());
  return t.to(dtype);
}

std::vector<cd> from_tensor(const Tensor& t) {
  Tensor c = t.to(DType::Complex128).contiguous();
  return std::vector<cd>(c.data_ptr<cd>(), c.data_ptr<cd>() + c.numel());
}

double max_rel_error(const std::vector<cd>& got, const std::vector<cd>& ref) {
  double err = 0, scale = 1e-300;
  for (size_t i = 0; i < ref.size(); ++i) {
    err = std::max(err, std::abs(got[i] - ref[i]));
    scale = std::max(scale, std::abs(ref[i]));
  }
  return err / scale;
}

}  // namespace

TEST(FFT, MatchesDirectDftForEveryLengthUpTo64) {
  for (int64_t n = 1; n <= 64; ++n) {
    auto x = signal(n, static_cast<int>(n));
    for (bool forward : {true, false}) {
      auto ref = direct_dft(x, forward);
      Tensor t = to_tensor(x, DType::Complex128);
      Tensor y = forward ? fft::fft(t) : fft::ifft(t, std::nullopt, -1, "forward");  // unscaled inverse
      EXPECT_LT(max_rel_error(from_tensor(y), ref), 1e-13) << "n=" << n << " forward=" << forward;
      Tensor t32 = t.to(DType::Complex64);
      Tensor y32 = forward ? fft::fft(t32) : fft::ifft(t32, std::nullopt, -1, "forward");
      EXPECT_EQ(y32.dtype(), DType::Complex64);
      EXPECT_LT(max_rel_error(from_tensor(y32), ref), 2e-6) << "n=" << n << " forward=" << forward;
    }
  }
}

TEST(FFT, BluesteinLengthsMatchDirectDft) {
  for (int64_t n : {17, 19, 97, 101, 2 * 17, 3 * 29, 257, 1009}) {
    EXPECT_TRUE(fft::plan_info(n).bluestein) << n;
    auto x = signal(n, 3);
    EXPECT_LT(max_rel_error(from_tensor(fft::fft(to_tensor(x, DType::Complex128))), direct_dft(x, true)), 1e-12)
        << n;
  }
}

TEST(FFT, PlanInfo) {
  auto p = fft::plan_info(360);  // 4 * 2 * 3 * 3 * 5
  EXPECT_FALSE(p.bluestein);
  int64_t prod = 1;
  for (int64_t r : p.radices) prod *= r;
  EXPECT_EQ(prod, 360);
  auto b = fft::plan_info(1009);
  EXPECT_TRUE(b.bluestein);
  EXPECT_EQ(b.inner_n, 2048);
  EXPECT_THROW(fft::plan_info(0), RuntimeError);
}

TEST(FFT, RealTransformsRoundTrip) {
  for (int64_t n : {1, 2, 5, 8, 17, 30, 101}) {
    Tensor x = empty({3, n}, TensorOptions(DType::Float64));
    double* p = x.data_ptr<double>();
    for (int64_t i = 0; i < x.numel(); ++i) p[i] = std::sin(0.37 * i) + 0.1 * i;
    Tensor spec = fft::rfft(x);
    EXPECT_EQ(spec.sizes(), (DimVector{3, n / 2 + 1}));
    EXPECT_EQ(spec.dtype(), DType::Complex128);
    Tensor back = fft::irfft(spec, n);
    ASSERT_EQ(back.dtype(), DType::Float64);
    const double* q = back.contiguous().data_ptr<double>();
    for (int64_t i = 0; i < x.numel(); ++i) EXPECT_NEAR(q[i], p[i], 1e-12) << "n=" << n;
  }
}

TEST(FFT, PlansBuiltConcurrentlyAgree) {
  // Several threads ask for the same new lengths at once; the cache must hand
  // every one a complete plan.
  const std::vector<int64_t> lengths = {241, 2 * 241, 7 * 11 * 13, 1031};
  std::vector<std::vector<std::vector<cd>>> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n : lengths) results[t].push_back(from_tensor(fft::fft(to_tensor(signal(n, 1), DType::Complex128))));
    });
  }
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < lengths.size(); ++i) {
    auto ref = direct_dft(signal(lengths[i], 1), true);
    for (int t = 0; t < 4; ++t) EXPECT_LT(max_rel_error(results[t][i], ref), 1e-11) << lengths[i];
  }
}

TEST(FFT, MultiDimMatchesRepeated1D) {
  Tensor x = to_tensor(signal(12, 2), DType::Complex128).view({3, 4});
  Tensor a = fft::fft2(x);
  Tensor b = fft::fft(fft::fft(x, std::nullopt, 0), std::nullopt, 1);
  EXPECT_LT(max_rel_error(from_tensor(a), from_tensor(b)), 1e-14);
}

TEST(FFT, Errors) {
  Tensor x = ones({4});
  EXPECT_THROW(fft::fft(x, 0), RuntimeError);
  EXPECT_THROW(fft::fft(x, std::nullopt, -1, "foo"), RuntimeError);
  EXPECT_THROW(fft::fft(x, std::nullopt, 1), IndexError);
  EXPECT_THROW(fft::rfft(ones({4}, TensorOptions(DType::Complex64))), RuntimeError);
  EXPECT_THROW(fft::fftn(ones({2, 2}), std::nullopt, DimVector{0, 0}), RuntimeError);
  EXPECT_THROW(fft::fftfreq(4, 1.0, TensorOptions(DType::Int32)), TypeError);
  try {
    fft::fft(x, 0);
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "[fft_fft] Invalid number of data points (0) specified");
  }
}

TEST(FFT, FreqAndShift) {
  Tensor f = fft::fftfreq(4, 0.5, TensorOptions(DType::Float64));
  const double* p = f.data_ptr<double>();
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_DOUBLE_EQ(p[1], 0.5);
  EXPECT_DOUBLE_EQ(p[2], -1.0);
  EXPECT_DOUBLE_EQ(p[3], -0.5);
  Tensor s = fft::fftshift(f).contiguous();
  const double* q = s.data_ptr<double>();
  EXPECT_DOUBLE_EQ(q[0], -1.0);
  EXPECT_DOUBLE_EQ(q[2], 0.0);
  Tensor r = fft::rfftfreq(5, 1.0, TensorOptions(DType::Float64));
  EXPECT_EQ(r.numel(), 3);
  EXPECT_DOUBLE_EQ(r.data_ptr<double>()[2], 0.4);
}
