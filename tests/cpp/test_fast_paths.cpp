// The per-call shortcuts of a tiny op (issue 3) against the general code
// they stand in for: Note [Trivial iteration] (build() vs build_general()),
// Note [Refcount atomics], Note [Operand references], Note [Wrapped numbers]
// and the allocator's size classes.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "ember/core/tensor_iterator.h"
#include "ember/ember.h"

using namespace ember;

namespace {

// Both builds of one set of operands: the same iteration space, operand by
// operand, or the same error.
void expect_same_iteration(const std::vector<Tensor>& operands, const char* what) {
  SCOPED_TRACE(what);
  TensorIterator fast, general;
  fast.add_output(operands[0]);
  general.add_output(operands[0]);
  for (size_t i = 1; i < operands.size(); ++i) {
    fast.add_input(operands[i]);
    general.add_input(operands[i]);
  }
  bool fast_threw = false, general_threw = false;
  try {
    fast.build("test");
  } catch (const RuntimeError&) {
    fast_threw = true;
  }
  try {
    general.build_general("test");
  } catch (const RuntimeError&) {
    general_threw = true;
  }
  ASSERT_EQ(fast_threw, general_threw);
  if (fast_threw) return;
  EXPECT_EQ(fast.numel(), general.numel());
  ASSERT_EQ(fast.ndim(), general.ndim());
  EXPECT_EQ(fast.shape(), general.shape());
  EXPECT_EQ(fast.is_contiguous(), general.is_contiguous());
  for (int op = 0; op < fast.ntensors(); ++op) {
    for (int d = 0; d < fast.ndim(); ++d) EXPECT_EQ(fast.stride(op, d), general.stride(op, d)) << "operand " << op;
  }
}

Tensor f32(const DimVector& sizes) { return empty(sizes, DType::Float32); }

}  // namespace

TEST(TrivialIteration, MatchesTheGeneralBuild) {
  // The shortcut's cases: same shape and contiguous, or one element.
  expect_same_iteration({f32({3, 4}), f32({3, 4}), f32({3, 4})}, "same shape");
  expect_same_iteration({f32({3, 4}), f32({3, 4}), empty({3, 4}, DType::Float64)}, "mixed dtypes");
  expect_same_iteration({f32({3, 4}), f32({3, 4}), f32({})}, "0-dim right");
  expect_same_iteration({f32({3, 4}), f32({1}), f32({3, 4})}, "one element left");
  expect_same_iteration({f32({3, 4}), f32({3, 4}), f32({1, 1})}, "one element, same rank");
  expect_same_iteration({f32({5}), f32({5})}, "unary");
  expect_same_iteration({f32({}), f32({}), f32({})}, "all 0-dim");
  expect_same_iteration({f32({1}), f32({1}), f32({})}, "one element everywhere");
  expect_same_iteration({f32({1, 1}), f32({1}), f32({1, 1})}, "size-1 dims");
  expect_same_iteration({f32({2, 1, 3}), f32({2, 1, 3}).as_strided({2, 1, 3}, {3, 99, 1}), f32({})},
                        "size-1 dim with any stride");
  expect_same_iteration({f32({1}), f32({1})}, "one-element unary");
  // Cases the shortcut leaves to the general build.
  expect_same_iteration({f32({3, 4}), f32({3, 4}), f32({4})}, "broadcast of a row");
  expect_same_iteration({f32({4, 3}), f32({3, 4}).t(), f32({4, 3})}, "transposed input");
  expect_same_iteration({f32({3, 4}).t(), f32({4, 3}), f32({4, 3})}, "transposed output");
  expect_same_iteration({f32({0, 3}), f32({0, 3}), f32({})}, "empty");
  expect_same_iteration({f32({3}), f32({3}), f32({1, 1})}, "one element of higher rank (an error)");
  expect_same_iteration({f32({3}), f32({4}), f32({3})}, "mismatch (an error)");
  expect_same_iteration({f32({6}).slice(0, 0, 6, 2), f32({3}), f32({3})}, "strided output");
}

TEST(TrivialIteration, KernelsGiveTheGeneralResults) {
  // add() through the shortcut, and through the general path (strided
  // operands), on every arrangement the shortcut takes.
  Tensor a = arange(0, 12).to(DType::Float64).view({3, 4});
  Tensor b = arange(100, 112).to(DType::Float64).view({3, 4});
  Tensor strided_b = empty({3, 8}, DType::Float64).slice(1, 0, 8, 2);
  strided_b.copy_(b);
  ASSERT_FALSE(strided_b.is_contiguous());
  EXPECT_TRUE(equal(add(a, b), add(a, strided_b)));
  EXPECT_TRUE(equal(add(a, tensor({2.5}, DType::Float64)), add(a.t().contiguous().t(), 2.5)));
  EXPECT_TRUE(equal(sub(full({}, 7.0, DType::Float64), b), sub(7.0, strided_b)));
  EXPECT_TRUE(equal(exp(a), exp(a.t().contiguous().t())));
  Tensor x = a.clone(), y = a.t().contiguous().t();
  mul_(x, b);
  mul_(y, strided_b);
  EXPECT_TRUE(equal(x, y));
}

TEST(BorrowedOperands, IterateLikeOwnedOnes) {
  Tensor out = f32({4}), in = arange(0, 4).to(DType::Float32);
  TensorIterator it;
  it.add_borrowed_output(out).add_borrowed_input(in).build("copy_");
  EXPECT_TRUE(it.tensor(0).is_same(out));
  EXPECT_TRUE(it.tensor(1).is_same(in));
  EXPECT_EQ(in.impl_ptr().use_count(), 1);  // no handle taken
  TensorIterator owned;
  owned.add_output(out).add_input(in).build("copy_");
  EXPECT_EQ(in.impl_ptr().use_count(), 2);
}

namespace {
struct Counted : RefCounted {
  explicit Counted(std::atomic<int>* d) : deleted(d) {}
  ~Counted() override { deleted->fetch_add(1); }
  std::atomic<int>* deleted;
};
}  // namespace

TEST(RefcountAtomics, CountsAndFreesOnce) {
  std::atomic<int> deleted{0};
  {
    intrusive_ptr<Counted> p = make_intrusive<Counted>(&deleted);
    EXPECT_EQ(p.use_count(), 1);
    {
      intrusive_ptr<Counted> q = p;
      EXPECT_EQ(p.use_count(), 2);
    }
    EXPECT_EQ(p.use_count(), 1);
    intrusive_ptr<Counted> moved = std::move(p);
    EXPECT_EQ(moved.use_count(), 1);
    EXPECT_EQ(deleted.load(), 0);
  }
  EXPECT_EQ(deleted.load(), 1);
  // Raw adoption by the counting constructor still counts from zero.
  Counted* raw = new Counted(&deleted);
  {
    intrusive_ptr<Counted> a(raw), b(raw);
    EXPECT_EQ(a.use_count(), 2);
  }
  EXPECT_EQ(deleted.load(), 2);
}

TEST(RefcountAtomics, ConcurrentOwnersFreeExactlyOnce) {
  std::atomic<int> deleted{0};
  for (int round = 0; round < 200; ++round) {
    intrusive_ptr<Counted> shared = make_intrusive<Counted>(&deleted);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([copy = shared]() mutable {
        for (int i = 0; i < 100; ++i) {
          intrusive_ptr<Counted> c = copy;
          intrusive_ptr<Counted> d = std::move(c);
        }
        copy.reset();
      });
    }
    shared.reset();  // the threads drop the last references
    for (auto& th : threads) th.join();
    ASSERT_EQ(deleted.load(), round + 1);
  }
}

TEST(OperandReferences, LvaluesAreReferencedTemporariesHeld) {
  Tensor t = arange(0, 3);
  Operand borrowed(t);
  EXPECT_EQ(&borrowed.tensor, &t);
  EXPECT_EQ(t.impl_ptr().use_count(), 1);
  Operand copy(borrowed);
  EXPECT_EQ(&copy.tensor, &t);
  Operand held(t.clone());
  EXPECT_NE(&held.tensor, &t);
  EXPECT_EQ(held.tensor.impl_ptr().use_count(), 1);
  Operand held_copy(held);
  EXPECT_NE(&held_copy.tensor, &held.tensor);  // its own handle ...
  EXPECT_TRUE(held_copy.tensor.is_same(held.tensor));  // ... to the same tensor
  Operand moved(std::move(held_copy));
  EXPECT_TRUE(moved.tensor.is_same(held.tensor));
  Operand number(2.5);
  EXPECT_TRUE(number.wrapped_number);
  EXPECT_EQ(number.tensor.dtype(), DType::Float64);
  Operand number_copy(number);
  EXPECT_TRUE(number_copy.wrapped_number);
  EXPECT_DOUBLE_EQ(number_copy.tensor.item().to_double(), 2.5);
}

TEST(WrappedNumbers, AHeldScalarIsNeverRewritten) {
  Operand two(2.0);
  Tensor kept = two.tensor;  // as autograd's SavedVariable keeps it
  for (int i = 0; i < 4; ++i) {
    Operand other(3.0 + i);
    EXPECT_FALSE(other.tensor.is_same(kept));
    EXPECT_DOUBLE_EQ(other.tensor.item().to_double(), 3.0 + i);
  }
  EXPECT_DOUBLE_EQ(kept.item().to_double(), 2.0);
  // Views keep the storage, which is enough to keep the tensor unshared.
  Tensor view = Operand(5.0).tensor.view({1});
  Operand next(6.0);
  EXPECT_DOUBLE_EQ(view.item().to_double(), 5.0);
  EXPECT_DOUBLE_EQ(next.tensor.item().to_double(), 6.0);
}

TEST(WrappedNumbers, SavedScalarsKeepTheirGradients) {
  Tensor x = arange(1, 4).to(DType::Float32);
  x.set_requires_grad(true);
  Tensor y = mul(x, 2.0);  // saves the wrapped 2.0 (converted to float32)
  Tensor z = mul(x, 3.0);
  Tensor w = mul(x, 4.0);
  sum(y).backward();
  EXPECT_TRUE(equal(x.grad(), full({3}, 2.0, DType::Float32)));
  EXPECT_TRUE(equal(w, mul(arange(1, 4).to(DType::Float32), 4.0)));
  EXPECT_TRUE(equal(z, mul(arange(1, 4).to(DType::Float32), 3.0)));
}

TEST(WrappedNumbers, ConvertLikeTo) {
  // The compute-dtype tensor of a Python number holds what .to() gives.
  for (double v : {2.7, -2.7, 1e10, -0.0, 65504.0, 70000.0}) {
    for (DType t : {DType::Int8, DType::Int32, DType::UInt8, DType::Float16, DType::BFloat16, DType::Float32}) {
      Tensor zeros_t = zeros({2}, t);
      Tensor viaop = add(zeros_t, v);  // promotion may change t; compare with the same op on a tensor
      Tensor ref = add(zeros_t, full({}, v, DType::Float64).to(viaop.dtype()));
      EXPECT_TRUE(equal(viaop, ref)) << v << " " << dtype_name(t);
    }
  }
  for (int64_t v : {int64_t(300), int64_t(-129), int64_t(1) << 40}) {
    for (DType t : {DType::Int8, DType::UInt8, DType::Int16, DType::Int32, DType::Float16}) {
      Tensor zeros_t = zeros({2}, t);
      Tensor viaop = add(zeros_t, v);
      EXPECT_EQ(viaop.dtype(), t);
      EXPECT_TRUE(equal(viaop, add(zeros_t, full({}, v, DType::Int64).to(t)))) << v << " " << dtype_name(t);
    }
  }
}

TEST(Allocator, SizeClassesReuseEveryRoundedSize) {
  const char* env = std::getenv("EMBER_NO_CACHING_ALLOCATOR");
  if (env && env[0] && env[0] != '0') GTEST_SKIP() << "caching disabled by environment";
#if defined(EMBER_SANITIZE)
  GTEST_SKIP() << "caching is off under sanitizers";
#endif
  for (int64_t bytes : {1, 63, 64, 65, 4095, 4096, 4097, 5121, 6144, 7169, 8192, 12289, 1 << 20, (1 << 21) + 1}) {
    void* first;
    {
      Tensor t = empty({bytes}, DType::UInt8);
      first = t.data_ptr();
    }
    CpuAllocatorStats before = cpu_allocator_stats();
    Tensor again = empty({bytes}, DType::UInt8);
    EXPECT_EQ(again.data_ptr(), first) << bytes;
    EXPECT_EQ(cpu_allocator_stats().num_cache_hits, before.num_cache_hits + 1) << bytes;
  }
  EXPECT_THROW(cpu_allocator()->allocate(~size_t(0) - 5), RuntimeError);
  cpu_allocator_empty_cache();
  EXPECT_EQ(cpu_allocator_stats().cached_bytes, 0);
}

TEST(Allocator, ForkWhileAnotherThreadAllocates) {
  // A forked child (a DataLoader worker) must find the allocator's lock
  // free, whatever another thread of the parent was doing at the fork.
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop.load()) {
      Tensor t = empty({static_cast<int64_t>(1 + (reinterpret_cast<uintptr_t>(&t) % 7) * 100)}, DType::Float32);
      (void)t;
    }
  });
  // The children's outcomes, checked after the churning thread has stopped.
  std::string failure;
  for (int i = 0; i < 50 && failure.empty(); ++i) {
    pid_t pid = fork();
    if (pid < 0) {
      failure = "fork failed";
      break;
    }
    if (pid == 0) {
      alarm(20);  // a deadlock ends the child by SIGALRM, which the parent reports
      Tensor t = add(ones({3}), 1.0);
      _exit(sum(t).item().to_double() == 6.0 ? 0 : 1);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) failure = "waitpid failed";
    else if (WIFSIGNALED(status)) failure = "child ended by signal " + std::to_string(WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0) failure = "child computed a wrong value";
  }
  stop = true;
  churn.join();
  EXPECT_EQ(failure, "");
}
