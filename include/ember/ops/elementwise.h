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
struct Operand {
  Tensor tensor;
  bool wrapped_number = false;
  Operand(const Tensor& t) : tensor(t) {}  // NOLINT: implicit by design
  Operand(const Scalar& s);                // NOLINT
  Operand(double v) : Operand(Scalar(v)) {}
  Operand(int64_t v) : Operand(Scalar(v)) {}
  Operand(int v) : Operand(Scalar(int64_t(v))) {}
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

// A 0-dim tensor holding s, of dtype (default: the scalar's own).
EMBER_API Tensor scalar_tensor(const Scalar& s, std::optional<DType> dtype = std::nullopt, Device device = {});

}  // namespace ember
