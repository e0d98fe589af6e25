// CPU reduction kernels: one generic driver over a reduction TensorIterator
// (Note [Reduction iteration]) and small "ops" structs that say how to
// accumulate. An ops struct has:
//   in_t, acc_t                   input element and accumulator types
//   init()                        the accumulator of an empty reduction
//   step(acc, x, i)               folds element x at reduced index i
//   row(acc, p, n, stride, i0)    folds a strided row (fast paths)
//   combine(a, b)                 a then b (partials of consecutive ranges)
//   write(outs, acc)              stores the result(s)
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "ember/core/reduce_kernels.h"

namespace ember {
namespace {

template <class T>
inline T load(const char* p) {
  return *reinterpret_cast<const T*>(p);
}

// Outputs handled per thread chunk in the fixed-chunk path, and its chunk size:
// both constants so results do not depend on the thread count.
constexpr int64_t kFewOutputs = 16;
constexpr int64_t kChunk = 1 << 16;
// Outputs accumulated together when the reduced dims are outer: wide enough
// that each reduced row is read as one long contiguous run (the prefetcher
// streams it), small enough that the accumulators stay in L1.
constexpr int64_t kOuterBlock = 1024;
// Reduced indices an outer block accumulates before folding into its total.
constexpr int64_t kOuterFlush = 256;

// Pairwise (cascade) sum of n strided elements, each mapped through v: 8
// interleaved partial sums over blocks of 128, halves summed recursively.
// The error grows like O(log n) instead of O(n).
template <class Acc, class T, class V>
Acc pairwise_sum(const char* p, int64_t n, int64_t s, V v) {
  constexpr int64_t kBlock = 128;
  if (n <= kBlock) {
    Acc a[8] = {};
    if (s == sizeof(T)) {
      const T* q = reinterpret_cast<const T*>(p);
      int64_t i = 0;
      for (; i + 8 <= n; i += 8) {
        for (int k = 0; k < 8; ++k) a[k] += v(q[i + k]);
      }
      for (; i < n; ++i) a[i & 7] += v(q[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) a[i & 7] += v(load<T>(p + i * s));
    }
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  }
  int64_t h = (n / 2 + 7) & ~int64_t(7);
  return pairwise_sum<Acc, T>(p, h, s, v) + pairwise_sum<Acc, T>(p + h * s, n - h, s, v);
}

// Kept and reduced dims of the iterator, fastest first.
struct Geometry {
  int nops = 0, in = 0;
  DimVector ksize, rsize, rstride;
  DimVector kstride[3];
  int64_t M = 1, N = 1;
  bool inner = true;  // the fastest dim is reduced (or nothing is kept)

  explicit Geometry(const TensorIterator& it) : nops(it.ntensors()), in(it.ntensors() - 1) {
    for (int d = 0; d < it.ndim(); ++d) {
      if (it.is_reduced_dim(d)) {
        rsize.push_back(it.shape()[d]);
        rstride.push_back(it.stride(in, d));
        N *= it.shape()[d];
      } else {
        ksize.push_back(it.shape()[d]);
        for (int k = 0; k < nops; ++k) kstride[k].push_back(it.stride(k, d));
        M *= it.shape()[d];
      }
    }
    inner = rsize.empty() || ksize.empty() || it.is_reduced_dim(0);
  }

  // Pointers of every operand at kept element o, counting kept dims from `first`.
  void locate(int64_t o, char** base, char** ptrs, size_t first = 0) const {
    for (int k = 0; k < nops; ++k) ptrs[k] = base[k];
    for (size_t d = first; d < ksize.size(); ++d) {
      int64_t i = o % ksize[d];
      o /= ksize[d];
      for (int k = 0; k < nops; ++k) ptrs[k] += i * kstride[k][d];
    }
  }
};

// Folds reduced elements [b, e) (linear over the reduced dims) of the row at p.
template <class Ops>
typename Ops::acc_t reduce_range(const Ops& ops, const Geometry& g, const char* p, int64_t b, int64_t e,
                                 typename Ops::acc_t acc) {
  size_t nr = g.rsize.size();
  if (nr == 0) return b < e ? ops.step(acc, load<typename Ops::in_t>(p), 0) : acc;
  DimVector idx(nr, 0);
  int64_t rem = b;
  for (size_t r = 0; r < nr; ++r) {
    idx[r] = rem % g.rsize[r];
    rem /= g.rsize[r];
  }
  for (int64_t pos = b; pos < e;) {
    const char* q = p;
    for (size_t r = 0; r < nr; ++r) q += idx[r] * g.rstride[r];
    int64_t n = std::min(g.rsize[0] - idx[0], e - pos);
    acc = ops.row(acc, q, n, g.rstride[0], pos);
    pos += n;
    idx[0] += n;
    for (size_t r = 0; r + 1 < nr && idx[r] == g.rsize[r]; ++r) {
      idx[r] = 0;
      ++idx[r + 1];
    }
  }
  return acc;
}

template <class Ops>
void run_reduce(TensorIterator& it, const Ops& ops) {
  using Acc = typename Ops::acc_t;
  using T = typename Ops::in_t;
  int nout = it.noutputs();
  EMBER_CHECK(it.is_reduction() && nout >= 1 && nout <= 2 && it.ntensors() == nout + 1, RuntimeError,
              "[reduce] expected a reduction iterator with one or two outputs and one input");
  char* base[3];
  for (int k = 0; k < it.ntensors(); ++k) base[k] = static_cast<char*>(it.tensor(k).data_ptr());
  if (it.tensor(0).numel() == 0) return;
  if (it.numel() == 0) {  // empty reduction: every output gets init() (fresh contiguous outputs)
    for (int64_t i = 0; i < it.tensor(0).numel(); ++i) {
      char* outs[2] = {};
      for (int k = 0; k < nout; ++k) outs[k] = base[k] + i * it.tensor(k).element_size();
      ops.write(outs, ops.init());
    }
    return;
  }
  Geometry g(it);
  if (g.inner && g.M < kFewOutputs && g.N >= 2 * kChunk) {
    // Few long reductions: fixed chunks in parallel, partials combined in order.
    int64_t nchunks = (g.N + kChunk - 1) / kChunk;
    std::vector<Acc> part(nchunks);
    for (int64_t o = 0; o < g.M; ++o) {
      char* ptrs[3];
      g.locate(o, base, ptrs);
      parallel_for(0, nchunks, 1, [&](int64_t cb, int64_t ce) {
        for (int64_t c = cb; c < ce; ++c) {
          part[c] = reduce_range(ops, g, ptrs[g.in], c * kChunk, std::min(g.N, (c + 1) * kChunk), ops.init());
        }
      });
      Acc acc = part[0];
      for (int64_t c = 1; c < nchunks; ++c) acc = ops.combine(acc, part[c]);
      ops.write(ptrs, acc);
    }
  } else if (g.inner) {
    it.for_each_output([&](int64_t b, int64_t e) {
      char* ptrs[3];
      for (int64_t o = b; o < e; ++o) {
        g.locate(o, base, ptrs);
        ops.write(ptrs, reduce_range(ops, g, ptrs[g.in], 0, g.N, ops.init()));
      }
    }, g.N);
  } else {
    // Outer reduction: blocks of kOuterBlock outputs along the fastest kept
    // dim, each accumulated over the whole reduced space (out[j] op= in[r, j]).
    int64_t k0 = g.ksize[0];
    int64_t nblocks = (k0 + kOuterBlock - 1) / kOuterBlock;
    int64_t work = (g.M / k0) * nblocks;
    int64_t grain = std::max<int64_t>(1, kGrainSize / (g.N * kOuterBlock));
    size_t nr = g.rsize.size();
    parallel_for(0, work, grain, [&](int64_t wb, int64_t we) {
      // acc runs over kOuterFlush reduced indices at a time; full blocks are
      // combined pairwise through a binary counter (level k holds 2^k
      // blocks), so long float sums stay accurate as in pairwise summation.
      Acc acc[kOuterBlock], total[kOuterBlock];
      // One level per bit of the number of flushed blocks.
      const int nlevels = std::bit_width(static_cast<uint64_t>(g.N / kOuterFlush)) + 1;
      std::vector<Acc> level(nlevels * kOuterBlock);
      DimVector idx(nr, 0);
      for (int64_t w = wb; w < we; ++w) {
        char* ptrs[3];
        g.locate(w / nblocks, base, ptrs, 1);
        int64_t j0 = (w % nblocks) * kOuterBlock;
        int64_t nb = std::min(kOuterBlock, k0 - j0);
        const char* in0 = ptrs[g.in] + j0 * g.kstride[g.in][0];
        int64_t sj = g.kstride[g.in][0];
        for (int64_t j = 0; j < nb; ++j) acc[j] = total[j] = ops.init();
        uint64_t blocks = 0;
        std::fill(idx.begin(), idx.end(), 0);
        int64_t roff = 0;
        for (int64_t r = 0; r < g.N; ++r) {
          const char* p = in0 + roff;
          if (nr == 1 && sj == sizeof(T) && (r & 3) == 0 && r + 4 <= g.N) {
            // Four rows per pass over the accumulators (same order per output,
            // a quarter of the accumulator loads and stores). kOuterFlush is a
            // multiple of 4, so no flush falls inside.
            const int64_t rs = g.rstride[0];
            const T* q0 = reinterpret_cast<const T*>(p);
            const T* q1 = reinterpret_cast<const T*>(p + rs);
            const T* q2 = reinterpret_cast<const T*>(p + 2 * rs);
            const T* q3 = reinterpret_cast<const T*>(p + 3 * rs);
            for (int64_t j = 0; j < nb; ++j) {
              Acc a = ops.step(acc[j], q0[j], r);
              a = ops.step(a, q1[j], r + 1);
              a = ops.step(a, q2[j], r + 2);
              acc[j] = ops.step(a, q3[j], r + 3);
            }
            r += 3;
            roff += 3 * rs;
            idx[0] += 3;
          } else if (sj == sizeof(T)) {
            const T* q = reinterpret_cast<const T*>(p);
            for (int64_t j = 0; j < nb; ++j) acc[j] = ops.step(acc[j], q[j], r);
          } else {
            for (int64_t j = 0; j < nb; ++j) acc[j] = ops.step(acc[j], load<T>(p + j * sj), r);
          }
          roff += g.rstride[0];
          if (++idx[0] == g.rsize[0]) {
            for (size_t d = 0; d + 1 < nr && idx[d] == g.rsize[d]; ++d) {
              idx[d] = 0;
              ++idx[d + 1];
            }
            roff = 0;
            for (size_t d = 0; d < nr; ++d) roff += idx[d] * g.rstride[d];
          }
          if ((r + 1) % kOuterFlush == 0) {
            int k = 0;
            for (uint64_t c = blocks; c & 1; c >>= 1, ++k) {
              for (int64_t j = 0; j < nb; ++j) acc[j] = ops.combine(level[k * kOuterBlock + j], acc[j]);
            }
            for (int64_t j = 0; j < nb; ++j) {
              level[k * kOuterBlock + j] = acc[j];
              acc[j] = ops.init();
            }
            ++blocks;
          }
        }
        // Older (higher) levels first, then the partial block.
        for (int k = nlevels - 1; k >= 0; --k) {
          if (!((blocks >> k) & 1)) continue;
          for (int64_t j = 0; j < nb; ++j) total[j] = ops.combine(total[j], level[k * kOuterBlock + j]);
        }
        for (int64_t j = 0; j < nb; ++j) {
          char* outs[2] = {};
          for (int k = 0; k < nout; ++k) outs[k] = ptrs[k] + (j0 + j) * g.kstride[k][0];
          ops.write(outs, ops.combine(total[j], acc[j]));
        }
      }
    });
  }
}

// ---- sums and products

// Bool and integers accumulate in int64; float16/bfloat16 in float32.
template <class T>
using sum_acc_t = std::conditional_t<std::is_integral_v<T>, int64_t, detail::compute_t<T>>;
template <class T>
using sum_out_t = std::conditional_t<std::is_integral_v<T>, int64_t, T>;

template <class T, bool SkipNan>
struct SumOps {
  using in_t = T;
  using acc_t = sum_acc_t<T>;
  static acc_t value(T x) {
    if constexpr (SkipNan && detail::is_float_v<T>) {
      acc_t v = static_cast<acc_t>(x);
      return std::isnan(v) ? acc_t(0) : v;
    } else {
      return static_cast<acc_t>(x);
    }
  }
  acc_t init() const { return acc_t(0); }
  acc_t step(acc_t a, T x, int64_t) const { return a + value(x); }
  acc_t row(acc_t a, const char* p, int64_t n, int64_t s, int64_t) const {
    if constexpr (std::is_integral_v<T>) {
      for (int64_t i = 0; i < n; ++i) a += value(load<T>(p + i * s));
      return a;
    } else {
      return a + pairwise_sum<acc_t, T>(p, n, s, [](T x) { return value(x); });
    }
  }
  acc_t combine(acc_t a, acc_t b) const { return a + b; }
  void write(char** outs, acc_t a) const { *reinterpret_cast<sum_out_t<T>*>(outs[0]) = static_cast<sum_out_t<T>>(a); }
};

template <class T>
struct ProdOps {
  using in_t = T;
  using acc_t = sum_acc_t<T>;
  acc_t init() const { return acc_t(1); }
  acc_t step(acc_t a, T x, int64_t) const { return a * static_cast<acc_t>(x); }
  acc_t row(acc_t a, const char* p, int64_t n, int64_t s, int64_t) const {
    for (int64_t i = 0; i < n; ++i) a *= static_cast<acc_t>(load<T>(p + i * s));
    return a;
  }
  acc_t combine(acc_t a, acc_t b) const { return a * b; }
  void write(char** outs, acc_t a) const { *reinterpret_cast<sum_out_t<T>*>(outs[0]) = static_cast<sum_out_t<T>>(a); }
};

// ---- max and min with the index of the first extreme; NaN wins (the first NaN).

// Element types GCC vector extensions take (not bool, float16, bfloat16, complex).
template <class T>
constexpr bool kHasVector = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

// The max (IsMax) or min of q[0, n) and init, with 16-byte GCC vectors (SSE2
// on any x86-64, NEON on ARM): GCC does not vectorize the scalar form of this
// loop. `nan` is set when a float element is NaN (the value is then meaningless).
template <class T, bool IsMax>
T vector_extreme(const T* q, int64_t n, T init, bool& nan) {
  typedef T V __attribute__((vector_size(16)));
  typedef decltype(V{} < V{}) M;
  constexpr int L = 16 / sizeof(T);
  V m0 = V{} + init, m1 = m0;
  M bad = M{};
  int64_t i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    V x0, x1;
    std::memcpy(&x0, q + i, sizeof x0);
    std::memcpy(&x1, q + i + L, sizeof x1);
    m0 = (IsMax ? x0 > m0 : x0 < m0) ? x0 : m0;
    m1 = (IsMax ? x1 > m1 : x1 < m1) ? x1 : m1;
    if constexpr (std::is_floating_point_v<T>) bad |= (x0 != x0) | (x1 != x1);
  }
  T r = init;
  for (int k = 0; k < L; ++k) {
    r = (IsMax ? m0[k] > r : m0[k] < r) ? m0[k] : r;
    r = (IsMax ? m1[k] > r : m1[k] < r) ? m1[k] : r;
    nan |= bad[k] != 0;
  }
  for (; i < n; ++i) {
    r = (IsMax ? q[i] > r : q[i] < r) ? q[i] : r;
    if constexpr (std::is_floating_point_v<T>) nan |= q[i] != q[i];
  }
  return r;
}

// Values only (amax, amin, max/min of everything): a plain accumulator the
// compiler can keep in registers; NaN is sticky.
template <class T, bool IsMax>
struct ExtremeValueOps {
  using in_t = T;
  using acc_t = detail::compute_t<T>;
  static acc_t pick(acc_t a, acc_t x) {
    if constexpr (detail::is_float_v<T>) {
      return (IsMax ? x > a : x < a) || x != x ? x : a;
    } else {
      return (IsMax ? x > a : x < a) ? x : a;
    }
  }
  acc_t init() const {
    if constexpr (detail::is_float_v<T>) {
      return IsMax ? -std::numeric_limits<acc_t>::infinity() : std::numeric_limits<acc_t>::infinity();
    } else {
      return IsMax ? std::numeric_limits<acc_t>::lowest() : std::numeric_limits<acc_t>::max();
    }
  }
  acc_t step(acc_t a, T x, int64_t) const { return pick(a, static_cast<acc_t>(x)); }
  acc_t row(acc_t a, const char* p, int64_t n, int64_t s, int64_t) const {
    if (s != sizeof(T)) {
      for (int64_t i = 0; i < n; ++i) a = pick(a, static_cast<acc_t>(load<T>(p + i * s)));
      return a;
    }
    if constexpr (kHasVector<T>) {
      // Contiguous: 16-byte vectors of branch-free max/min, NaNs flagged on the side.
      bool nan = false;
      a = pick(a, vector_extreme<T, IsMax>(reinterpret_cast<const T*>(p), n, static_cast<T>(a), nan));
      return nan ? std::numeric_limits<acc_t>::quiet_NaN() : a;
    }
    // Contiguous: 8 lanes of a branch-free max/min, NaNs counted on the side
    // (x != x).
    const T* q = reinterpret_cast<const T*>(p);
    acc_t lane[8];
    int nan[8] = {};
    for (auto& l : lane) l = a;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (int k = 0; k < 8; ++k) {
        acc_t x = static_cast<acc_t>(q[i + k]);
        lane[k] = (IsMax ? x > lane[k] : x < lane[k]) ? x : lane[k];
        if constexpr (detail::is_float_v<T>) nan[k] |= x != x;
      }
    }
    for (; i < n; ++i) a = pick(a, static_cast<acc_t>(q[i]));
    for (int k = 0; k < 8; ++k) {
      a = pick(a, lane[k]);
      if constexpr (detail::is_float_v<T>) {
        if (nan[k]) a = std::numeric_limits<acc_t>::quiet_NaN();
      }
    }
    return a;
  }
  acc_t combine(acc_t a, acc_t b) const { return pick(a, b); }
  void write(char** outs, acc_t a) const { *reinterpret_cast<T*>(outs[0]) = static_cast<T>(a); }
};

template <class C>
struct ValueIndex {
  C v{};
  int64_t i = -1;  // -1: nothing seen yet
};

template <class T, bool IsMax>
struct ExtremeOps {
  using in_t = T;
  using C = detail::compute_t<T>;
  using acc_t = ValueIndex<C>;
  bool with_index;
  static bool is_nan(C x) {
    if constexpr (detail::is_float_v<T>) return std::isnan(x);
    else return false;
  }
  // Whether x replaces the current extreme a (strictly better, so ties keep the first).
  static bool better(C x, C a) {
    if (is_nan(a)) return false;
    if (is_nan(x)) return true;
    return IsMax ? x > a : x < a;
  }
  acc_t init() const { return {}; }
  acc_t step(acc_t a, T x, int64_t i) const {
    C v = static_cast<C>(x);
    return (a.i < 0 || better(v, a.v)) ? acc_t{v, i} : a;
  }
  acc_t row(acc_t a, const char* p, int64_t n, int64_t s, int64_t i0) const {
    if (s == sizeof(T) && n >= 16) {
      // Two vectorizable passes: the extreme value (NaN if any), then the
      // first element equal to it; the same answer as stepping in order.
      const C m = ExtremeValueOps<T, IsMax>{}.row(ExtremeValueOps<T, IsMax>{}.init(), p, n, s, i0);
      const T* q = reinterpret_cast<const T*>(p);
      int64_t i = 0;
      if (is_nan(m)) {
        while (!is_nan(static_cast<C>(q[i]))) ++i;
      } else {
        while (!(static_cast<C>(q[i]) == m)) ++i;
      }
      return combine(a, acc_t{static_cast<C>(q[i]), i0 + i});
    }
    for (int64_t i = 0; i < n; ++i) a = step(a, load<T>(p + i * s), i0 + i);
    return a;
  }
  acc_t combine(acc_t a, acc_t b) const { return (a.i < 0 || (b.i >= 0 && better(b.v, a.v))) ? b : a; }
  void write(char** outs, acc_t a) const {
    *reinterpret_cast<T*>(outs[0]) = static_cast<T>(a.v);
    if (with_index) *reinterpret_cast<int64_t*>(outs[1]) = a.i;
  }
};

// ---- all and any: bool outputs.

template <class T, bool IsAll>
struct LogicalOps {
  using in_t = T;
  using acc_t = bool;
  acc_t init() const { return IsAll; }
  acc_t step(acc_t a, T x, int64_t) const {
    bool v = detail::convert<bool>(x);
    return IsAll ? (a && v) : (a || v);
  }
  acc_t row(acc_t a, const char* p, int64_t n, int64_t s, int64_t) const {
    for (int64_t i = 0; i < n && a == IsAll; ++i) a = step(a, load<T>(p + i * s), i);
    return a;
  }
  acc_t combine(acc_t a, acc_t b) const { return IsAll ? (a && b) : (a || b); }
  void write(char** outs, acc_t a) const { *reinterpret_cast<bool*>(outs[0]) = a; }
};

DType input_dtype(const TensorIterator& it) { return it.dtype(it.ntensors() - 1); }

void sum_kernel(TensorIterator& it) {
  dispatch_all(input_dtype(it), [&]<class T>() { run_reduce(it, SumOps<T, false>{}); });
}
void nansum_kernel(TensorIterator& it) {
  dispatch_all(input_dtype(it), [&]<class T>() { run_reduce(it, SumOps<T, true>{}); });
}
void prod_kernel(TensorIterator& it) {
  dispatch_all(input_dtype(it), [&]<class T>() { run_reduce(it, ProdOps<T>{}); });
}

template <bool IsMax>
void extreme_kernel(TensorIterator& it) {
  const char* name = IsMax ? "max" : "min";
  DType t = input_dtype(it);
  auto run = [&]<class T>() {
    if (it.noutputs() == 2) run_reduce(it, ExtremeOps<T, IsMax>{true});
    else run_reduce(it, ExtremeValueOps<T, IsMax>{});
  };
  if (t == DType::Bool) return run.template operator()<bool>();
  dispatch_real(t, name, run);
}

template <bool IsAll>
void logical_kernel(TensorIterator& it) {
  dispatch_all(input_dtype(it), [&]<class T>() { run_reduce(it, LogicalOps<T, IsAll>{}); });
}

}  // namespace

EMBER_REGISTER_KERNEL(sum_stub, CPU, &sum_kernel);
EMBER_REGISTER_KERNEL(nansum_stub, CPU, &nansum_kernel);
EMBER_REGISTER_KERNEL(prod_stub, CPU, &prod_kernel);
EMBER_REGISTER_KERNEL(max_stub, CPU, &extreme_kernel<true>);
EMBER_REGISTER_KERNEL(min_stub, CPU, &extreme_kernel<false>);
EMBER_REGISTER_KERNEL(all_stub, CPU, &logical_kernel<true>);
EMBER_REGISTER_KERNEL(any_stub, CPU, &logical_kernel<false>);

}  // namespace ember
