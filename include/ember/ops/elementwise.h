#pragma once
// Elementwise math with broadcasting and PyTorch's type promotion
// (Note [Type promotion]). Scalar overloads treat the scalar as a weak
// Python number. The `_` forms write into self (the result must keep
// self's shape and be castable to its dtype).
#include <optional>
#include <string_view>

#include "ember/core/tensor.h"
#include "ember/ops/unary.h"

namespace ember {

// A tensor or a Python number, as binary ops take them.
// Note [Operand references]: an Operand made from a tensor lvalue refers to
// it, as a `const Tensor&` parameter would, instead of copying the handle
// (each copy and its release are locked atomic operations, Note [Refcount
// atomics], which a tiny op cannot afford); one made from a temporary
// tensor or a number holds its tensor. So an Operand, like a reference,
// must not outlive the tensor variable it was made from; a copy refers to
// the same tensor (or holds its own handle when the original held one).
struct Operand {
 private:
  Tensor holder_;  // the tensor, when this operand owns it (declared first: `tensor` may bind to it)

 public:
  const Tensor& tensor;
  bool wrapped_number = false;

  Operand(const Tensor& t) : tensor(t) {}                          // NOLINT: implicit by design
  Operand(Tensor&& t) : holder_(std::move(t)), tensor(holder_) {}  // NOLINT
  Operand(const Scalar& s);                                        // NOLINT
  Operand(double v) : Operand(Scalar(v)) {}
  Operand(int64_t v) : Operand(Scalar(v)) {}
  Operand(int v) : Operand(Scalar(int64_t(v))) {}
  Operand(const Operand& o)
      : holder_(o.holder_), tensor(o.owns() ? holder_ : o.tensor), wrapped_number(o.wrapped_number) {}
  Operand(Operand&& o) noexcept
      : holder_(std::move(o.holder_)), tensor(o.owns() ? holder_ : o.tensor), wrapped_number(o.wrapped_number) {}
  Operand& operator=(const Operand&) = delete;

 private:
  bool owns() const { return &tensor == &holder_; }
};

EMBER_API Tensor add(const Operand& a, const Operand& b, const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor sub(const Operand& a, const Operand& b, const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor mul(const Operand& a, const Operand& b);
// rounding_mode: nullopt (true division), "trunc" or "floor".
EMBER_API Tensor div(const Operand& a, const Operand& b, std::optional<std::string_view> rounding_mode = std::nullopt);
EMBER_API Tensor floor_divide(const Operand& a, const Operand& b);
EMBER_API Tensor remainder(const Operand& a, const Operand& b);
EMBER_API Tensor pow(const Operand& a, const Operand& b);
EMBER_API Tensor maximum(const Tensor& a, const Tensor& b);
EMBER_API Tensor minimum(const Tensor& a, const Tensor& b);

EMBER_API Tensor eq(const Operand& a, const Operand& b);
EMBER_API Tensor ne(const Operand& a, const Operand& b);
EMBER_API Tensor lt(const Operand& a, const Operand& b);
EMBER_API Tensor le(const Operand& a, const Operand& b);
EMBER_API Tensor gt(const Operand& a, const Operand& b);
EMBER_API Tensor ge(const Operand& a, const Operand& b);

EMBER_API Tensor& add_(Tensor& self, const Operand& other, const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor& sub_(Tensor& self, const Operand& other, const Scalar& alpha = Scalar(int64_t(1)));
EMBER_API Tensor& mul_(Tensor& self, const Operand& other);
EMBER_API Tensor& div_(Tensor& self, const Operand& other,
                       std::optional<std::string_view> rounding_mode = std::nullopt);
EMBER_API Tensor& pow_(Tensor& self, const Operand& other);
EMBER_API Tensor& floor_divide_(Tensor& self, const Operand& other);
EMBER_API Tensor& remainder_(Tensor& self, const Operand& other);

// ---- more binary math (binary_math.cpp). Integer inputs of atan2,
// copysign and xlogy compute in the default float dtype; hypot and
// logaddexp(2) take floating dtypes only; none takes complex.
EMBER_API Tensor fmod(const Operand& a, const Operand& b);  // sign of the dividend
EMBER_API Tensor atan2(const Operand& a, const Operand& b);
EMBER_API Tensor hypot(const Operand& a, const Operand& b);
EMBER_API Tensor copysign(const Operand& a, const Operand& b);
EMBER_API Tensor fmax(const Operand& a, const Operand& b);  // NaN-ignoring
EMBER_API Tensor fmin(const Operand& a, const Operand& b);
EMBER_API Tensor logaddexp(const Operand& a, const Operand& b);
EMBER_API Tensor logaddexp2(const Operand& a, const Operand& b);
EMBER_API Tensor xlogy(const Operand& x, const Operand& y);  // 0 where x == 0 (unless y is NaN)
EMBER_API Tensor& fmod_(Tensor& self, const Operand& other);
EMBER_API Tensor& atan2_(Tensor& self, const Operand& other);
EMBER_API Tensor& hypot_(Tensor& self, const Operand& other);
EMBER_API Tensor& copysign_(Tensor& self, const Operand& other);
EMBER_API Tensor& xlogy_(Tensor& self, const Operand& other);

// Bitwise ops: bool and integer dtypes (shifts: integers only); others
// raise TypeError. Shift counts outside [0, bits) give 0 (left) or the sign
// fill (right), as PyTorch.
EMBER_API Tensor bitwise_and(const Operand& a, const Operand& b);
EMBER_API Tensor bitwise_or(const Operand& a, const Operand& b);
EMBER_API Tensor bitwise_xor(const Operand& a, const Operand& b);
EMBER_API Tensor bitwise_left_shift(const Operand& a, const Operand& b);
EMBER_API Tensor bitwise_right_shift(const Operand& a, const Operand& b);
EMBER_API Tensor& bitwise_and_(Tensor& self, const Operand& other);
EMBER_API Tensor& bitwise_or_(Tensor& self, const Operand& other);
EMBER_API Tensor& bitwise_xor_(Tensor& self, const Operand& other);
EMBER_API Tensor& bitwise_left_shift_(Tensor& self, const Operand& other);
EMBER_API Tensor& bitwise_right_shift_(Tensor& self, const Operand& other);
// Logical ops: any dtypes (nonzero is true), bool result; the in-place
// forms store 0/1 in self's dtype.
EMBER_API Tensor logical_and(const Operand& a, const Operand& b);
EMBER_API Tensor logical_or(const Operand& a, const Operand& b);
EMBER_API Tensor logical_xor(const Operand& a, const Operand& b);
EMBER_API Tensor& logical_and_(Tensor& self, const Operand& other);
EMBER_API Tensor& logical_or_(Tensor& self, const Operand& other);
EMBER_API Tensor& logical_xor_(Tensor& self, const Operand& other);

// ---- ternary ops (ternary.cpp)
// condition ? input : other; condition must be bool; input and other promote.
EMBER_API Tensor where(const Tensor& condition, const Operand& input, const Operand& other);
// min(max(self, min), max) with NaN propagation; at least one bound; the
// result dtype promotes self with the bounds. Not for bool or complex.
EMBER_API Tensor clamp(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max);
EMBER_API Tensor clip(const Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max);
EMBER_API Tensor clamp_min(const Tensor& self, const Operand& min);
EMBER_API Tensor clamp_max(const Tensor& self, const Operand& max);
EMBER_API Tensor& clamp_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max);
EMBER_API Tensor& clip_(Tensor& self, const std::optional<Operand>& min, const std::optional<Operand>& max);
EMBER_API Tensor& clamp_min_(Tensor& self, const Operand& min);
EMBER_API Tensor& clamp_max_(Tensor& self, const Operand& max);
// start + weight * (end - start); floating and complex; start, end and a
// tensor weight share one dtype.
EMBER_API Tensor lerp(const Tensor& start, const Tensor& end, const Operand& weight);
EMBER_API Tensor& lerp_(Tensor& self, const Tensor& end, const Operand& weight);

// ---- in-place comparisons: self becomes 0/1 in its own dtype (compare.cpp)
EMBER_API Tensor& eq_(Tensor& self, const Operand& other);
EMBER_API Tensor& ne_(Tensor& self, const Operand& other);
EMBER_API Tensor& lt_(Tensor& self, const Operand& other);
EMBER_API Tensor& le_(Tensor& self, const Operand& other);
EMBER_API Tensor& gt_(Tensor& self, const Operand& other);
EMBER_API Tensor& ge_(Tensor& self, const Operand& other);

// ---- closeness (compare.cpp)
// |a - b| <= atol + rtol * |b| elementwise; a and b share one dtype.
EMBER_API Tensor isclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08,
                         bool equal_nan = false);
EMBER_API bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08,
                        bool equal_nan = false);
// Same shape and equal values (NaN is never equal).
EMBER_API bool equal(const Tensor& a, const Tensor& b);

// A 0-dim tensor holding s, of dtype (default: the scalar's own).
EMBER_API Tensor scalar_tensor(const Scalar& s, std::optional<DType> dtype = std::nullopt, Device device = {});

}  // namespace ember
