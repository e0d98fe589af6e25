#pragma once
// PyTorch's type promotion (Note [Type promotion]). Operands rank by
// priority: tensors with dims > zero-dim tensors > Python scalars ("wrapped
// numbers", which are weak). Within the highest category present
// (bool < integer < floating < complex), the highest-priority operands
// decide the dtype, so float16_tensor + 1.0 stays float16 while
// int_tensor + 2.5 becomes the default float dtype.
#include <initializer_list>

#include "ember/core/tensor.h"

namespace ember {

// One operand of an op: a tensor, or a Python scalar that a tensor wraps.
struct PromotionOperand {
  DType dtype;
  int64_t dim;
  bool wrapped_number;  // a Python scalar: weak
};

class EMBER_API ResultTypeState {
 public:
  void add(const Tensor& t, bool wrapped_number = false);
  void add(const Scalar& s);
  DType result() const;

 private:
  std::optional<DType> dim_, zero_, wrapped_;
};

EMBER_API DType result_type(const Tensor& a, const Tensor& b);
EMBER_API DType result_type(const Tensor& a, const Scalar& b);
// Whether a value of dtype `from` may be written into `to` by an in-place op
// (no lowering of category: float into int is refused, as PyTorch does).
EMBER_API bool can_cast(DType from, DType to);

// The dtype a Python scalar gets on its own: bool, int64, default float, default complex.
inline DType scalar_dtype(const Scalar& s) { return s.default_dtype(); }

}  // namespace ember
