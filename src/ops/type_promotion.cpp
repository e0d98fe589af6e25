// See Note [Type promotion] in type_promotion.h.
#include "ember/ops/type_promotion.h"

namespace ember {

namespace {
std::optional<DType> promote_opt(std::optional<DType> a, DType b) {
  return a ? promote_types(*a, b) : b;
}

// PyTorch's combine_categories: the higher-priority result wins unless the
// lower one is in a higher category.
std::optional<DType> combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  DType h = *higher, l = *lower;
  if (is_complex(h)) return h;
  if (is_complex(l)) {
    if (is_floating_point(h)) return h == DType::Float64 ? DType::Complex128 : DType::Complex64;
    return l;
  }
  if (is_floating_point(h)) return h;
  if (h == DType::Bool || is_floating_point(l)) return promote_types(h, l);
  return h;
}
}  // namespace

void ResultTypeState::add(const Tensor& t, bool wrapped_number) {
  DType d = t.dtype();
  if (wrapped_number) {
    // A wrapped Python scalar counts with its default dtype.
    if (is_floating_point(d)) d = get_default_dtype();
    else if (is_complex(d)) d = default_complex_dtype();
    wrapped_ = promote_opt(wrapped_, d);
  } else if (t.dim() == 0) {
    zero_ = promote_opt(zero_, d);
  } else {
    dim_ = promote_opt(dim_, d);
  }
}

void ResultTypeState::add(const Scalar& s) { wrapped_ = promote_opt(wrapped_, s.default_dtype()); }

DType ResultTypeState::result() const {
  auto r = combine(dim_, combine(zero_, wrapped_));
  return r ? *r : get_default_dtype();
}

DType result_type(const Tensor& a, const Tensor& b) {
  ResultTypeState s;
  s.add(a);
  s.add(b);
  return s.result();
}

DType result_type(const Tensor& a, const Scalar& b) {
  ResultTypeState s;
  s.add(a);
  s.add(b);
  return s.result();
}

bool can_cast(DType from, DType to) {
  auto category = [](DType t) {
    return is_complex(t) ? 3 : is_floating_point(t) ? 2 : t == DType::Bool ? 0 : 1;
  };
  return category(from) <= category(to);
}

}  // namespace ember
