// Random ops: argument checks, dtype defaults, allocation, counter
// reservation (Note [Random numbers]) and dispatch to the random kernels.
#include "ember/ops/random.h"

#include <cmath>
#include <limits>
#include <vector>

#include "ember/core/random_kernels.h"
#include "ember/core/tensor_iterator.h"
#include "ember/ops/creation.h"

namespace ember {

namespace {

// A new contiguous output. Checks sizes under the op's name, and that the
// byte size fits: empty() accepts up to 2^62 elements and its byte count
// would wrap for wide dtypes.
Tensor new_output(const DimVector& sizes, const TensorOptions& opts, const char* op) {
  int64_t n = checked_numel(sizes, op);
  DType dt = opts.dtype_or_default();
  EMBER_CHECK(n <= std::numeric_limits<int64_t>::max() / itemsize(dt), RuntimeError, "[", op,
              "] the shape ", sizes, " has too many elements for dtype ", dtype_name(dt));
  return empty(sizes, opts.requires_grad(false));
}

// Runs kernel(out, draw) on a contiguous tensor holding self's values after
// reserving `counters` Philox counters; a non-contiguous self receives the
// values by copy_, so a view gets what a contiguous tensor of its shape would.
template <class K>
Tensor& fill_random(Tensor& self, uint64_t counters, Generator* gen, const char* op, const K& kernel) {
  if (self.numel() == 0) return self;
  if (self.is_contiguous()) {
    kernel(self, generator_or_default(gen).reserve(counters));
    self.bump_version();
  } else {
    Tensor tmp = new_output(self.sizes(), TensorOptions(self.dtype()).device(self.device()), op);
    kernel(tmp, generator_or_default(gen).reserve(counters));
    self.copy_(tmp);
  }
  return self;
}

void check_defined(const Tensor& t, const char* op) {
  EMBER_CHECK(t.defined(), RuntimeError, "[", op, "] undefined tensor");
}

// The dtypes a distribution is defined for, with the dispatch-style wording
// PyTorch users know ("normal_kernel_cpu" not implemented for 'Long').
void check_floating(DType t, const char* op, const char* kernel, bool allow_complex) {
  bool ok = is_floating_point(t) || (allow_complex && is_complex(t));
  EMBER_CHECK(ok, RuntimeError, "[", op, "] \"", kernel, "\" not implemented for '", dtype_name(t),
              "' (expected a floating point", allow_complex ? " or complex" : "", " dtype)");
}

void check_not_complex(DType t, const char* op, const char* kernel) {
  EMBER_CHECK(!is_complex(t), RuntimeError, "[", op, "] \"", kernel, "\" not implemented for '",
              dtype_name(t), "'");
}

// The largest finite value of a floating dtype.
double floating_max(DType t) {
  switch (to_real(t)) {
    case DType::Float16: return 65504.0;
    case DType::BFloat16: return 3.3895313892515355e38;
    case DType::Float32: return std::numeric_limits<float>::max();
    default: return std::numeric_limits<double>::max();
  }
}

// The integers random_ may produce for a dtype, inclusive: the dtype's range
// for integers, [-2^digits, 2^digits] for floating dtypes (every integer
// there is exact), as PyTorch's random_ uses.
struct IntBounds {
  int64_t min, max;
};
IntBounds int_bounds(DType t) {
  switch (t) {
    case DType::Bool: return {0, 1};
    case DType::UInt8: return {0, 255};
    case DType::Int8: return {-128, 127};
    case DType::Int16: return {-32768, 32767};
    case DType::Int32: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    case DType::Int64: return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
    case DType::Float16: return {-(int64_t(1) << 11), int64_t(1) << 11};
    case DType::BFloat16: return {-(int64_t(1) << 8), int64_t(1) << 8};
    case DType::Float32: return {-(int64_t(1) << 24), int64_t(1) << 24};
    default: return {-(int64_t(1) << 53), int64_t(1) << 53};
  }
}

Tensor& uniform_impl(Tensor& self, double from, double to, Generator* gen, const char* op) {
  check_defined(self, op);
  check_floating(self.dtype(), op, "uniform_", true);
  EMBER_CHECK(from <= to, RuntimeError, "[", op, "] uniform_ expects to return a [from, to) range, but found from=",
              from, " > to=", to);
  double limit = floating_max(self.dtype());
  EMBER_CHECK(from >= -limit && from <= limit, RuntimeError, "[", op, "] from is out of bounds for ",
              dtype_name(self.dtype()), ": from=", from);
  EMBER_CHECK(to >= -limit && to <= limit, RuntimeError, "[", op, "] to is out of bounds for ",
              dtype_name(self.dtype()), ": to=", to);
  EMBER_CHECK(std::isfinite(to - from), RuntimeError, "[", op,
              "] uniform_ expects to-from <= std::numeric_limits<double>::max(), but found to=", to,
              " and from=", from, " which result in to-from to exceed the limit");
  return fill_random(self, self.numel(), gen, op, [&](const Tensor& out, PhiloxDraw d) {
    uniform_stub(out.device().type)(out, from, to, d);
  });
}

Tensor& normal_impl(Tensor& self, double mean, double std, Generator* gen, const char* op) {
  check_defined(self, op);
  check_floating(self.dtype(), op, "normal_kernel_cpu", true);
  EMBER_CHECK(std >= 0.0, RuntimeError, "[", op, "] normal expects std >= 0.0, but found std ", std);
  return fill_random(self, self.numel(), gen, op, [&](const Tensor& out, PhiloxDraw d) {
    normal_stub(out.device().type)(out, mean, std, d);
  });
}

// Draws k in [0, range) (range == 0: 2^64) and stores from + k.
Tensor& random_range_(Tensor& self, int64_t from, uint64_t range, Generator* gen, const char* op) {
  return fill_random(self, self.numel(), gen, op, [&](const Tensor& out, PhiloxDraw d) {
    random_int_stub(out.device().type)(out, from, range, d);
  });
}

// random_(from, to) with to exclusive, checked against the dtype's range.
Tensor& random_from_to(Tensor& self, int64_t from, int64_t to, Generator* gen, const char* op) {
  check_defined(self, op);
  check_not_complex(self.dtype(), op, "random_from_to");
  EMBER_CHECK(from < to, RuntimeError, "[", op, "] random_ expects 'from' to be less than 'to', but got from=",
              from, " >= to=", to);
  if (is_integral(self.dtype(), true)) {
    IntBounds b = int_bounds(self.dtype());
    EMBER_CHECK(from >= b.min && from <= b.max, RuntimeError, "[", op, "] from is out of bounds for ",
                dtype_name(self.dtype()));
    EMBER_CHECK(to - 1 >= b.min && to - 1 <= b.max, RuntimeError, "[", op, "] to - 1 is out of bounds for ",
                dtype_name(self.dtype()));
  }
  return random_range_(self, from, static_cast<uint64_t>(to) - static_cast<uint64_t>(from), gen, op);
}

// mean + std * N(0, 1) with mean and std tensors broadcast to one shape.
Tensor normal_tensors(const Tensor& mean, const Tensor& std, Generator* gen) {
  check_defined(mean, "normal");
  check_defined(std, "normal");
  DType dt = promote_types(mean.dtype(), std.dtype());
  EMBER_CHECK(is_floating_point(dt), RuntimeError,
              "[normal] expected floating point mean and std, but got mean of dtype ", dtype_name(mean.dtype()),
              " and std of dtype ", dtype_name(std.dtype()));
  DimVector shape = broadcast_shapes(mean.sizes(), std.sizes(), "normal");
  Tensor std64 = new_output(std.sizes(), TensorOptions(DType::Float64), "normal");
  std64.copy_(std);
  const double* s = std64.data_ptr<double>();
  for (int64_t i = 0; i < std64.numel(); ++i) {
    EMBER_CHECK(s[i] >= 0.0, RuntimeError, "[normal] normal expects all elements of std >= 0.0, but found std ",
                s[i]);
  }
  Tensor out = new_output(shape, TensorOptions(dt).device(mean.device()), "normal");
  normal_impl(out, 0.0, 1.0, gen, "normal");
  TensorIterator it;
  it.add_output(out).add_input(mean.to(dt)).add_input(std.to(dt)).build("normal");
  normal_affine_stub(out.device().type)(it);
  return out;
}

Tensor& bernoulli_scalar_impl(Tensor& self, double p, Generator* gen, const char* op) {
  check_defined(self, op);
  check_not_complex(self.dtype(), op, "bernoulli_scalar_cpu_");
  EMBER_CHECK(p >= 0 && p <= 1, RuntimeError, "[", op, "] bernoulli_ expects p to be in [0, 1], but got p=", p);
  return fill_random(self, self.numel(), gen, op, [&](const Tensor& out, PhiloxDraw d) {
    bernoulli_scalar_stub(out.device().type)(out, p, d);
  });
}

}  // namespace

// ---- in-place fills

Tensor& uniform_(Tensor& self, double from, double to, Generator* gen) {
  return uniform_impl(self, from, to, gen, "uniform_");
}

Tensor& normal_(Tensor& self, double mean, double std, Generator* gen) {
  return normal_impl(self, mean, std, gen, "normal_");
}

Tensor& bernoulli_(Tensor& self, double p, Generator* gen) {
  return bernoulli_scalar_impl(self, p, gen, "bernoulli_");
}

Tensor& bernoulli_(Tensor& self, const Tensor& p, Generator* gen) {
  check_defined(self, "bernoulli_");
  check_defined(p, "bernoulli_");
  check_not_complex(self.dtype(), "bernoulli_", "bernoulli_tensor_cpu_self_");
  check_not_complex(p.dtype(), "bernoulli_", "bernoulli_tensor_cpu_p_");
  // One float64 probability per element of self, in self's order.
  Tensor probs = new_output(self.sizes(), TensorOptions(DType::Float64), "bernoulli_");
  probs.copy_(p.expand(self.sizes()));
  const double* q = probs.data_ptr<double>();
  for (int64_t i = 0; i < probs.numel(); ++i) {
    EMBER_CHECK(q[i] >= 0 && q[i] <= 1, RuntimeError,
                "[bernoulli_] bernoulli_ expects all elements of p to be in [0, 1], but found p=", q[i]);
  }
  return fill_random(self, self.numel(), gen, "bernoulli_", [&](const Tensor& out, PhiloxDraw d) {
    bernoulli_tensor_stub(out.device().type)(out, probs, d);
  });
}

Tensor& random_(Tensor& self, Generator* gen) { return random_(self, 0, std::nullopt, gen); }

Tensor& random_(Tensor& self, int64_t to, Generator* gen) { return random_from_to(self, 0, to, gen, "random_"); }

Tensor& random_(Tensor& self, int64_t from, std::optional<int64_t> to, Generator* gen) {
  if (to) return random_from_to(self, from, *to, gen, "random_");
  check_defined(self, "random_");
  check_not_complex(self.dtype(), "random_", "random_from_to");
  IntBounds b = int_bounds(self.dtype());
  EMBER_CHECK(from >= b.min && from <= b.max, RuntimeError, "[random_] from is out of bounds for ",
              dtype_name(self.dtype()));
  // [from, max] holds max - from + 1 values; 2^64 wraps to 0, the kernel's "all".
  return random_range_(self, from, static_cast<uint64_t>(b.max) - static_cast<uint64_t>(from) + 1, gen,
                       "random_");
}

Tensor& exponential_(Tensor& self, double lambda, Generator* gen) {
  check_defined(self, "exponential_");
  check_floating(self.dtype(), "exponential_", "exponential_cpu", false);
  EMBER_CHECK(lambda > 0.0, RuntimeError, "[exponential_] exponential_ expects lambda > 0.0, but found lambda=",
              lambda);
  return fill_random(self, self.numel(), gen, "exponential_", [&](const Tensor& out, PhiloxDraw d) {
    exponential_stub(out.device().type)(out, lambda, d);
  });
}

// ---- factories

Tensor rand(const DimVector& sizes, const TensorOptions& opts, Generator* gen) {
  Tensor out = new_output(sizes, opts, "rand");
  uniform_impl(out, 0.0, 1.0, gen, "rand");
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor randn(const DimVector& sizes, const TensorOptions& opts, Generator* gen) {
  Tensor out = new_output(sizes, opts, "randn");
  normal_impl(out, 0.0, 1.0, gen, "randn");
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor randint(int64_t low, int64_t high, const DimVector& sizes, const TensorOptions& opts, Generator* gen) {
  Tensor out = new_output(sizes, opts.dtype(opts.dtype_.value_or(DType::Int64)), "randint");
  random_from_to(out, low, high, gen, "randint");
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor randperm(int64_t n, const TensorOptions& opts, Generator* gen) {
  EMBER_CHECK(n >= 0, RuntimeError, "[randperm] n must be non-negative, got ", n);
  DType dt = opts.dtype_.value_or(DType::Int64);
  check_not_complex(dt, "randperm", "randperm_cpu");
  EMBER_CHECK(n == 0 || n - 1 <= int_bounds(dt).max, RuntimeError,
              "[randperm] n is too large for result tensor type: '", dtype_name(dt), "' (n=", n, ")");
  Tensor perm = new_output({n}, TensorOptions(DType::Int64).device(opts.device_), "randperm");
  if (n > 0) {
    PhiloxDraw draw = generator_or_default(gen).reserve(static_cast<uint64_t>(n));
    randperm_stub(perm.device().type)(perm, draw);
  }
  Tensor out = dt == DType::Int64 ? perm : perm.to(dt);
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor rand_like(const Tensor& t, const TensorOptions& opts, Generator* gen) {
  return rand(t.sizes(), opts, gen);
}

Tensor randn_like(const Tensor& t, const TensorOptions& opts, Generator* gen) {
  return randn(t.sizes(), opts, gen);
}

Tensor randint_like(const Tensor& t, int64_t low, int64_t high, const TensorOptions& opts, Generator* gen) {
  return randint(low, high, t.sizes(), opts, gen);
}

// ---- distributions with tensor parameters

Tensor normal(double mean, double std, const DimVector& sizes, const TensorOptions& opts, Generator* gen) {
  Tensor out = new_output(sizes, opts, "normal");
  normal_impl(out, mean, std, gen, "normal");
  return out.set_requires_grad(opts.requires_grad_);
}

Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen) { return normal_tensors(mean, std, gen); }

Tensor normal(const Tensor& mean, double std, Generator* gen) {
  check_defined(mean, "normal");
  return normal_tensors(mean, full({}, Scalar(std), TensorOptions(mean.dtype()).device(mean.device())), gen);
}

Tensor normal(double mean, const Tensor& std, Generator* gen) {
  check_defined(std, "normal");
  return normal_tensors(full({}, Scalar(mean), TensorOptions(std.dtype()).device(std.device())), std, gen);
}

Tensor bernoulli(const Tensor& probs, Generator* gen) {
  check_defined(probs, "bernoulli");
  Tensor out = new_output(probs.sizes(), probs.options(), "bernoulli");
  return bernoulli_(out, probs, gen);
}

Tensor bernoulli(const Tensor& input, double p, Generator* gen) {
  check_defined(input, "bernoulli");
  Tensor out = new_output(input.sizes(), input.options(), "bernoulli");
  return bernoulli_scalar_impl(out, p, gen, "bernoulli");
}

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* gen) {
  check_defined(probs, "multinomial");
  EMBER_CHECK(probs.dim() == 1 || probs.dim() == 2, RuntimeError, "[multinomial] prob_dist must be 1 or 2 dim, got ",
              probs.dim(), " dims");
  EMBER_CHECK(is_floating_point(probs.dtype()), RuntimeError,
              "[multinomial] multinomial only supports floating-point dtypes for input, got: ",
              dtype_name(probs.dtype()));
  EMBER_CHECK(num_samples > 0, RuntimeError, "[multinomial] cannot sample n_sample <= 0 samples");
  int64_t categories = probs.size(-1);
  EMBER_CHECK(replacement || num_samples <= categories, RuntimeError,
              "[multinomial] cannot sample n_sample > prob_dist.size(-1) samples without replacement (n_sample=",
              num_samples, ", categories=", categories, ")");
  EMBER_CHECK(categories <= (int64_t(1) << 24), RuntimeError, "[multinomial] number of categories cannot exceed 2^24");
  int64_t rows = probs.dim() == 2 ? probs.size(0) : 1;
  Tensor out = new_output({rows, num_samples}, TensorOptions(DType::Int64).device(probs.device()), "multinomial");
  if (rows > 0) {
    EMBER_CHECK(categories > 0, RuntimeError,
                "[multinomial] invalid multinomial distribution (sum of probabilities <= 0)");
    Tensor p = new_output({rows, categories}, TensorOptions(DType::Float64), "multinomial");
    p.copy_(probs.reshape({rows, categories}));
    const double* q = p.data_ptr<double>();
    for (int64_t r = 0; r < rows; ++r) {
      double sum = 0;
      for (int64_t c = 0; c < categories; ++c) {
        double v = q[r * categories + c];
        if (!replacement) {
          EMBER_CHECK(v >= 0 && v < INFINITY, RuntimeError,
                      "[multinomial] probability tensor contains either `inf`, `nan` or element < 0");
        } else {
          EMBER_CHECK(std::isfinite(v), RuntimeError,
                      "[multinomial] invalid multinomial distribution (encountering probability entry = infinity "
                      "or NaN)");
          EMBER_CHECK(v >= 0, RuntimeError,
                      "[multinomial] invalid multinomial distribution (encountering probability entry < 0)");
        }
        sum += v;
      }
      EMBER_CHECK(sum > 0, RuntimeError, "[multinomial] invalid multinomial distribution (sum of probabilities <= 0)");
    }
    uint64_t counters = static_cast<uint64_t>(rows) * static_cast<uint64_t>(replacement ? num_samples : categories);
    PhiloxDraw draw = generator_or_default(gen).reserve(counters);
    multinomial_stub(out.device().type)(out, p, replacement, draw);
  }
  return probs.dim() == 1 ? out.view({num_samples}) : out;
}

}  // namespace ember
