// The C++ random API: Philox known answers, Generator state, determinism
// across thread counts, value ranges and error types.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "ember/core/generator.h"
#include "ember/ember.h"

using namespace ember;

namespace {

template <class T>
std::vector<T> values(const Tensor& t) {
  Tensor c = t.contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}

// Restores the default generator and thread count after each test.
class RandomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = default_generator().get_state();
    threads_ = get_num_threads();
  }
  void TearDown() override {
    default_generator().set_state(state_);
    set_num_threads(threads_);
  }
  Tensor state_;
  int threads_ = 1;
};

}  // namespace

TEST(Philox, KnownAnswersFromRandom123) {
  // Random123's kat_vectors for philox4x32_10.
  Philox4x32 r = philox4x32_10({{0, 0, 0, 0}}, 0, 0);
  EXPECT_EQ(r.v[0], 0x6627e8d5u);
  EXPECT_EQ(r.v[1], 0xe169c58du);
  EXPECT_EQ(r.v[2], 0xbc57ac4cu);
  EXPECT_EQ(r.v[3], 0x9b00dbd8u);
  r = philox4x32_10({{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, 0xffffffffu, 0xffffffffu);
  EXPECT_EQ(r.v[0], 0x408f276du);
  EXPECT_EQ(r.v[1], 0x41c83b0eu);
  EXPECT_EQ(r.v[2], 0xa20bc7c6u);
  EXPECT_EQ(r.v[3], 0x6d5451fdu);
  r = philox4x32_10({{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, 0xa4093822u, 0x299f31d0u);
  EXPECT_EQ(r.v[0], 0xd16cfe09u);
  EXPECT_EQ(r.v[1], 0x94fdccebu);
  EXPECT_EQ(r.v[2], 0x5001e420u);
  EXPECT_EQ(r.v[3], 0x24126ea1u);
}

TEST(Philox, ElementBitsUseCounterOffsetPlusIndex) {
  PhiloxDraw d{0x0123456789abcdefULL, 0xfffffffffULL};
  uint64_t ctr = d.offset + 5;
  Philox4x32 r = philox4x32_10({{uint32_t(ctr), uint32_t(ctr >> 32), 0, 0}}, 0x89abcdefu, 0x01234567u);
  Bits128 b = philox_bits(d, 5);
  EXPECT_EQ(b.lo, uint64_t(r.v[0]) | (uint64_t(r.v[1]) << 32));
  EXPECT_EQ(b.hi, uint64_t(r.v[2]) | (uint64_t(r.v[3]) << 32));
}

TEST(GeneratorTest, DefaultSeedAndReserve) {
  Generator g;
  EXPECT_EQ(g.initial_seed(), 67280421310721ULL);
  EXPECT_EQ(g.offset(), 0u);
  PhiloxDraw a = g.reserve(10);
  PhiloxDraw b = g.reserve(3);
  EXPECT_EQ(a.seed, 67280421310721ULL);
  EXPECT_EQ(a.offset, 0u);
  EXPECT_EQ(b.offset, 10u);
  EXPECT_EQ(g.offset(), 13u);
  g.manual_seed(5);
  EXPECT_EQ(g.initial_seed(), 5u);
  EXPECT_EQ(g.offset(), 0u);
  uint64_t s = g.seed();
  EXPECT_EQ(g.initial_seed(), s);
}

TEST(GeneratorTest, StateRoundTripAndLayout) {
  Generator g(0x0807060504030201ULL);
  g.reserve(0x1234);
  Tensor st = g.get_state();
  ASSERT_EQ(st.dtype(), DType::UInt8);
  ASSERT_EQ(st.numel(), kRngStateBytes);
  std::vector<uint8_t> bytes = values<uint8_t>(st);
  std::vector<uint8_t> want = {1, 2, 3, 4, 5, 6, 7, 8, 0x34, 0x12, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(bytes, want);
  Generator h;
  h.set_state(st);
  EXPECT_EQ(h.initial_seed(), 0x0807060504030201ULL);
  EXPECT_EQ(h.offset(), 0x1234u);
  EXPECT_THROW(h.set_state(zeros({16})), TypeError);
  EXPECT_THROW(h.set_state(zeros({15}, TensorOptions(DType::UInt8))), RuntimeError);
}

TEST(GeneratorTest, ConcurrentDrawsNeverShareCounters) {
  Generator g(1);
  constexpr int kThreads = 4, kDraws = 1000;
  std::vector<std::vector<uint64_t>> offsets(kThreads);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < kDraws; ++i) offsets[t].push_back(g.reserve(7).offset);
    });
  }
  for (auto& th : pool) th.join();
  std::set<uint64_t> all;
  for (auto& v : offsets) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), size_t(kThreads * kDraws));
  EXPECT_EQ(*all.rbegin(), uint64_t(7 * (kThreads * kDraws - 1)));
  EXPECT_EQ(g.offset(), uint64_t(7 * kThreads * kDraws));
}

TEST_F(RandomTest, FreeFunctionsDriveTheDefaultGenerator) {
  manual_seed(42);
  EXPECT_EQ(initial_seed(), 42u);
  EXPECT_EQ(default_generator().initial_seed(), 42u);
  Tensor a = rand({4});
  manual_seed(42);
  EXPECT_EQ(values<float>(a), values<float>(rand({4})));
  EXPECT_EQ(default_generator().offset(), 4u);
  uint64_t s = seed();
  EXPECT_EQ(initial_seed(), s);
}

TEST_F(RandomTest, SameValuesForEveryThreadCount) {
  const int64_t n = 100000;  // above the grain: split across threads
  set_num_threads(1);
  Generator g1(9);
  std::vector<double> one = values<double>(randn({n}, TensorOptions(DType::Float64), &g1));
  std::vector<int64_t> one_i = values<int64_t>(randint(-7, 1 << 20, {n}, {}, &g1));
  set_num_threads(2);
  Generator g2(9);
  EXPECT_EQ(one, values<double>(randn({n}, TensorOptions(DType::Float64), &g2)));
  EXPECT_EQ(one_i, values<int64_t>(randint(-7, 1 << 20, {n}, {}, &g2)));
}

TEST_F(RandomTest, ExplicitGeneratorLeavesTheDefaultAlone) {
  manual_seed(3);
  Generator g(3);
  std::vector<float> from_g = values<float>(rand({8}, {}, &g));
  EXPECT_EQ(default_generator().offset(), 0u);
  EXPECT_EQ(g.offset(), 8u);
  EXPECT_EQ(from_g, values<float>(rand({8})));
}

TEST_F(RandomTest, UniformRangeAndMean) {
  Generator g(4);
  Tensor t = empty({200000}, TensorOptions(DType::Float64));
  uniform_(t, -2.0, 6.0, &g);
  std::vector<double> v = values<double>(t);
  double mean = 0;
  for (double x : v) {
    ASSERT_GE(x, -2.0);
    ASSERT_LT(x, 6.0);
    mean += x;
  }
  mean /= v.size();
  EXPECT_NEAR(mean, 2.0, 5 * 8 / std::sqrt(12.0 * v.size()));
}

TEST_F(RandomTest, NormalMomentsAndComplexHalves) {
  Generator g(5);
  std::vector<double> v = values<double>(normal(1.0, 3.0, {400000}, TensorOptions(DType::Float64), &g));
  double mean = 0, var = 0;
  for (double x : v) mean += x;
  mean /= v.size();
  for (double x : v) var += (x - mean) * (x - mean);
  var /= v.size();
  EXPECT_NEAR(mean, 1.0, 5 * 3 / std::sqrt(double(v.size())));
  EXPECT_NEAR(var, 9.0, 5 * 9 * std::sqrt(2.0 / v.size()));
  std::vector<std::complex<double>> z =
      values<std::complex<double>>(randn({400000}, TensorOptions(DType::Complex128), &g));
  double re = 0, im = 0;
  for (auto c : z) {
    re += c.real() * c.real();
    im += c.imag() * c.imag();
  }
  EXPECT_NEAR(re / z.size(), 0.5, 5 * 0.5 * std::sqrt(2.0 / z.size()));
  EXPECT_NEAR(im / z.size(), 0.5, 5 * 0.5 * std::sqrt(2.0 / z.size()));
}

TEST_F(RandomTest, RandintCoversEveryValueAndRandpermPermutes) {
  Generator g(6);
  std::vector<int64_t> v = values<int64_t>(randint(-2, 3, {10000}, {}, &g));
  std::set<int64_t> seen(v.begin(), v.end());
  EXPECT_EQ(seen, (std::set<int64_t>{-2, -1, 0, 1, 2}));
  std::vector<int64_t> p = values<int64_t>(randperm(1000, {}, &g));
  std::sort(p.begin(), p.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(p[i], i);
  Tensor r = empty({64}, TensorOptions(DType::UInt8));
  random_(r, 250, std::nullopt, &g);
  for (uint8_t x : values<uint8_t>(r)) ASSERT_GE(x, 250);
}

TEST_F(RandomTest, NonContiguousFillMatchesContiguousDraw) {
  Tensor t = zeros({5, 3}).t();
  ASSERT_FALSE(t.is_contiguous());
  Generator a(7), b(7);
  uniform_(t, 0, 1, &a);
  EXPECT_EQ(values<float>(t), values<float>(rand({3, 5}, {}, &b)));
}

TEST_F(RandomTest, MultinomialWithoutReplacementIsAPermutationWhenFull) {
  Generator g(8);
  Tensor probs = tensor({0.1, 0.2, 0.3, 0.4});
  std::vector<int64_t> s = values<int64_t>(multinomial(probs, 4, false, &g));
  std::sort(s.begin(), s.end());
  EXPECT_EQ(s, (std::vector<int64_t>{0, 1, 2, 3}));
  std::vector<int64_t> w = values<int64_t>(multinomial(tensor({0.0, 1.0, 0.0}), 50, true, &g));
  for (int64_t x : w) ASSERT_EQ(x, 1);
}

TEST_F(RandomTest, BernoulliExtremes) {
  Generator g(9);
  Tensor p = tensor({0.0, 1.0, 0.0, 1.0});
  EXPECT_EQ(values<float>(bernoulli(p, &g)), (std::vector<float>{0, 1, 0, 1}));
  Tensor b = zeros({6}, TensorOptions(DType::Bool));
  bernoulli_(b, 1.0, &g);
  for (bool x : values<bool>(b)) ASSERT_TRUE(x);
}

TEST_F(RandomTest, ErrorsAreTyped) {
  EXPECT_THROW(rand({2}, TensorOptions(DType::Int64)), RuntimeError);
  EXPECT_THROW(randn({-1}), RuntimeError);
  EXPECT_THROW(randint(5, 5, {2}), RuntimeError);
  EXPECT_THROW(randint(0, 300, {2}, TensorOptions(DType::UInt8)), RuntimeError);
  EXPECT_THROW(randperm(-1), RuntimeError);
  Tensor t = zeros({3});
  EXPECT_THROW(uniform_(t, 1, 0), RuntimeError);
  EXPECT_THROW(normal_(t, 0, -1), RuntimeError);
  EXPECT_THROW(bernoulli_(t, 2.0), RuntimeError);
  EXPECT_THROW(exponential_(t, 0.0), RuntimeError);
  EXPECT_THROW(multinomial(zeros({3}), 1), RuntimeError);
  EXPECT_THROW(multinomial(tensor({1.0, 1.0}), 3, false), RuntimeError);
  try {
    randint(5, 5, {2});
    FAIL() << "no exception";
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "[randint] random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  }
}
