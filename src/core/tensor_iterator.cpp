// See Note [Tensor iterator] in tensor_iterator.h.
#include "ember/core/tensor_iterator.h"

#include <algorithm>
#include <span>

#include "ember/core/parallel.h"

namespace ember {

DimVector broadcast_shapes(const DimVector& a, const DimVector& b, const char* op) {
  if (a == b) return a;
  size_t n = std::max(a.size(), b.size());
  DimVector out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      EMBER_THROW(RuntimeError, "[", op, "] The size of tensor a (", da,
                  ") must match the size of tensor b (", db, ") at non-singleton dimension ", i);
    }
  }
  return out;
}

Tensor empty_like_inputs(const DimVector& shape, const TensorOptions& opts,
                         std::initializer_list<const Tensor*> inputs) {
  const int nd = static_cast<int>(shape.size());
  bool all_contiguous = true;
  for (const Tensor* t : inputs) all_contiguous = all_contiguous && t->is_contiguous();
  if (nd <= 1 || all_contiguous) return empty(shape, opts);
  // Each input's strides over the output's dims; 0 where it broadcasts.
  DimVector strides[TensorIterator::kMaxOperands];
  int n = 0;
  for (const Tensor* t : inputs) {
    if (n == TensorIterator::kMaxOperands) break;
    DimVector& st = strides[n++];
    st = DimVector(nd, 0);
    const int td = static_cast<int>(t->dim());
    for (int k = 0; k < td; ++k) {
      const int d = nd - td + k;
      if (t->sizes()[k] != 1 && shape[d] != 1) st[d] = t->strides()[k];
    }
  }
  // perm[0] is the outermost dim; insertion sort keeps the default order on ties.
  DimVector perm(nd);
  for (int d = 0; d < nd; ++d) perm[d] = d;
  auto inner_first = [&](int64_t d0, int64_t d1) {  // true when d0 should be inside d1
    for (int i = 0; i < n; ++i) {
      const int64_t s0 = strides[i][d0], s1 = strides[i][d1];
      if (s0 == 0 || s1 == 0) continue;
      if (s0 != s1) return s0 < s1;
    }
    return false;
  };
  bool identity = true;
  for (int j = 1; j < nd; ++j) {
    for (int k = j; k > 0 && inner_first(perm[k - 1], perm[k]); --k) {
      std::swap(perm[k - 1], perm[k]);
      identity = false;
    }
  }
  if (identity) return empty(shape, opts);
  DimVector out_strides(nd);
  int64_t step = 1;
  for (int j = nd - 1; j >= 0; --j) {
    out_strides[perm[j]] = step;
    step *= std::max<int64_t>(shape[perm[j]], 1);
  }
  return empty_strided(shape, out_strides, opts);
}

TensorIterator& TensorIterator::add_operand(const Tensor& t, bool output, bool borrow) {
  EMBER_CHECK(ntensors_ < kMaxOperands, RuntimeError, "[TensorIterator] more than ", kMaxOperands, " operands");
  if (output) {
    EMBER_CHECK(num_outputs_ == ntensors(), RuntimeError, "[TensorIterator] outputs must be added before inputs");
    ++num_outputs_;
  }
  if (borrow) {
    operands_[ntensors_] = &t;
  } else {
    owned_[ntensors_] = t;
    operands_[ntensors_] = &owned_[ntensors_];
  }
  ++ntensors_;
  return *this;
}

TensorIterator& TensorIterator::add_reduced_output(const Tensor& t) {
  EMBER_CHECK(num_outputs_ == ntensors() && (is_reduction_ || num_outputs_ == 0), RuntimeError,
              "[TensorIterator] reduced outputs must be added first, and not mixed with add_output");
  is_reduction_ = true;
  return add_output(t);
}

TensorIterator& TensorIterator::build(const char* op) {
  if (build_trivial()) return *this;
  return build_general(op);
}

TensorIterator& TensorIterator::build_general(const char* op) {
  compute_shape(op);
  compute_strides();
  reorder_dims();
  coalesce_dims();
  return *this;
}

// Note [Trivial iteration]
// Most elementwise calls have operands that are all contiguous with the
// output's shape, or hold a single element (a scalar operand, a 0-dim
// tensor). The general build (broadcast, reorder, coalesce) then always ends
// in the same place: one dim of numel elements, each operand's byte stride
// its element size, 0 for one-element inputs (and for every operand when
// numel is 1, since size-1 dims get stride 0), or no dim at all when the
// output is 0-dim. build_trivial() writes that result directly, so a tiny
// op does not pay for the general algorithm; anything else (a broadcast of
// more than one element, a non-contiguous operand, an empty output, a
// reduction) takes the general path. tests/cpp/test_tensor_iterator.cpp
// compares the two on every such case.
bool TensorIterator::build_trivial() {
  if (is_reduction_ || num_outputs_ != 1 || ntensors_ < 2) return false;
  const Tensor& out = *operands_[0];
  const int64_t n = out.numel();
  if (n == 0 || !out.is_contiguous()) return false;
  const DimVector& sizes = out.sizes();
  for (int i = 1; i < ntensors_; ++i) {
    const Tensor& t = *operands_[i];
    if (t.numel() == 1 ? t.dim() > out.dim() : !(t.is_contiguous() && t.sizes() == sizes)) return false;
  }
  numel_ = n;
  const size_t nd = out.dim() == 0 ? 0 : 1;
  shape_.assign(&numel_, &numel_ + nd);
  for (int i = 0; i < ntensors_; ++i) {
    const Tensor& t = *operands_[i];
    const int64_t stride = (n == 1 || t.numel() == 1) ? 0 : t.element_size();
    byte_strides_[i].assign(&stride, &stride + nd);
  }
  return true;
}

void TensorIterator::compute_shape(const char* op) {
  DimVector shape;
  for (int i = num_outputs_; i < ntensors(); ++i) {
    shape = broadcast_shapes(shape, operands_[i]->sizes(), op);
  }
  if (is_reduction_) {
    // Outputs keep the input's rank with size 1 (or the input's size) per dim.
    for (int i = 0; i < num_outputs_; ++i) {
      const DimVector& out = operands_[i]->sizes();
      bool ok = out.size() == shape.size();
      for (size_t d = 0; ok && d < out.size(); ++d) ok = out[d] == shape[d] || out[d] == 1;
      EMBER_CHECK(ok, RuntimeError, "[", op, "] reduction output with shape ", out,
                  " does not fit the input shape ", shape);
    }
  }
  for (int i = 0; i < num_outputs_ && !is_reduction_; ++i) {
    const DimVector& out = operands_[i]->sizes();
    bool ok = (num_outputs_ == ntensors()) || broadcast_shapes(out, shape, op) == out;
    EMBER_CHECK(ok, RuntimeError, "[", op, "] output with shape ", out,
                " doesn't match the broadcast shape ", broadcast_shapes(out, shape, op));
    shape = out;
  }
  // Stored fastest-moving dim first (reversed from the tensors' order).
  shape_.assign(shape.begin(), shape.end());
  std::reverse(shape_.begin(), shape_.end());
  // Operands are valid tensors, so a product past int64 only happens with
  // a zero somewhere: the count is then 0 (no overflow, which would be UB).
  numel_ = 1;
  for (int64_t s : shape_) {
    if (s == 0) {
      numel_ = 0;
      break;
    }
    if (__builtin_mul_overflow(numel_, s, &numel_)) numel_ = INT64_MAX;
  }
}

void TensorIterator::compute_strides() {
  size_t nd = shape_.size();
  for (int i = 0; i < ntensors(); ++i) {
    byte_strides_[i] = DimVector(nd, 0);
    const Tensor& t = *operands_[i];
    int64_t isz = t.element_size();
    size_t td = t.sizes().size();
    for (size_t k = 0; k < td; ++k) {
      size_t rev = td - 1 - k;  // position in reversed order
      int64_t size = t.sizes()[k];
      // Saturating: only empty tensors have strides whose byte size
      // overflows, and nothing is addressed through them.
      int64_t bytes = 0;
      if (size != 1 && __builtin_mul_overflow(t.strides()[k], isz, &bytes)) bytes = INT64_MAX;
      byte_strides_[i][rev] = bytes;
    }
  }
}

void TensorIterator::reorder_dims() {
  int nd = ndim();
  if (nd <= 1) return;
  // perm[j] = which original (reversed) dim goes to position j; sorted so
  // that smaller strides come first, judged by the first operand whose
  // strides differ. Insertion sort keeps the default order on ties.
  std::vector<int> perm(nd);
  for (int j = 0; j < nd; ++j) perm[j] = j;
  auto should_swap = [&](int d0, int d1) {  // true when d1 should be inner of d0
    for (int i = 0; i < ntensors(); ++i) {
      int64_t s0 = byte_strides_[i][d0], s1 = byte_strides_[i][d1];
      if (s0 == 0 || s1 == 0) continue;  // broadcast dims don't decide
      if (s0 < s1) return false;
      if (s0 > s1) return true;
    }
    return false;
  };
  for (int j = 1; j < nd; ++j) {
    for (int k = j; k > 0 && should_swap(perm[k - 1], perm[k]); --k) {
      std::swap(perm[k - 1], perm[k]);
    }
  }
  DimVector shape(nd);
  for (int j = 0; j < nd; ++j) shape[j] = shape_[perm[j]];
  shape_ = shape;
  for (auto& st : std::span(byte_strides_.data(), ntensors_)) {
    DimVector s(nd);
    for (int j = 0; j < nd; ++j) s[j] = st[perm[j]];
    st = s;
  }
}

void TensorIterator::coalesce_dims() {
  int nd = ndim();
  // An empty iteration visits nothing; its sizes and strides may multiply
  // past int64, so leave them as they are.
  if (nd <= 1 || numel_ == 0) return;
  auto can_merge = [&](int inner, int outer) {
    if (shape_[inner] == 1 || shape_[outer] == 1) return true;
    for (auto& st : std::span(byte_strides_.data(), ntensors_)) {
      if (st[inner] * shape_[inner] != st[outer]) return false;
    }
    return true;
  };
  int out = 0;  // index of the dim being grown
  for (int d = 1; d < nd; ++d) {
    if (can_merge(out, d)) {
      for (auto& st : std::span(byte_strides_.data(), ntensors_)) {
        if (shape_[out] == 1) st[out] = st[d];
      }
      shape_[out] *= shape_[d];
    } else {
      ++out;
      shape_[out] = shape_[d];
      for (auto& st : std::span(byte_strides_.data(), ntensors_)) st[out] = st[d];
    }
  }
  shape_.resize(out + 1);
  for (auto& st : std::span(byte_strides_.data(), ntensors_)) st.resize(out + 1);
}

bool TensorIterator::is_contiguous() const {
  if (ndim() > 1) return false;
  if (ndim() == 0) return true;
  for (int i = 0; i < ntensors(); ++i) {
    if (byte_strides_[i][0] != operands_[i]->element_size()) return false;
  }
  return true;
}

int64_t TensorIterator::num_output_elements() const {
  int64_t n = 1;
  for (int d = 0; d < ndim(); ++d) {
    if (!is_reduced_dim(d)) n *= shape_[d];
  }
  return n;
}

int64_t TensorIterator::reduction_size() const {
  int64_t n = 1;
  for (int d = 0; d < ndim(); ++d) {
    if (is_reduced_dim(d)) n *= shape_[d];
  }
  return n;
}

void TensorIterator::for_each_output(const std::function<void(int64_t, int64_t)>& fn, int64_t cost) const {
  int64_t m = num_output_elements();
  if (m == 0) return;
  int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, cost));
  parallel_for(0, m, grain, fn);
}

void TensorIterator::serial_for_each(const Loop& loop, int64_t begin, int64_t end) const {
  int nt = ntensors();
  char* base[kMaxOperands];
  for (int i = 0; i < nt; ++i) base[i] = static_cast<char*>(operands_[i]->data_ptr());
  int nd = ndim();
  if (nd == 0) {
    if (begin < end) {
      int64_t zero[kMaxOperands] = {};
      loop(base, zero, 1);
    }
    return;
  }
  int64_t inner_strides[kMaxOperands];
  for (int i = 0; i < nt; ++i) inner_strides[i] = byte_strides_[i][0];
  if (nd == 1) {  // one run: no multi-index to keep
    if (begin >= end) return;
    for (int i = 0; i < nt; ++i) base[i] += begin * inner_strides[i];
    loop(base, inner_strides, end - begin);
    return;
  }
  // Multi-index of `begin` over dims 1..nd-1 and the offset in dim 0.
  DimVector idx(nd, 0);
  int64_t rem = begin;
  for (int d = 0; d < nd; ++d) {
    idx[d] = rem % shape_[d];
    rem /= shape_[d];
  }
  char* ptrs[kMaxOperands];
  int64_t pos = begin;
  while (pos < end) {
    for (int i = 0; i < nt; ++i) {
      char* p = base[i];
      for (int d = 0; d < nd; ++d) p += idx[d] * byte_strides_[i][d];
      ptrs[i] = p;
    }
    int64_t n = std::min(shape_[0] - idx[0], end - pos);
    loop(ptrs, inner_strides, n);
    pos += n;
    idx[0] += n;
    // Carry into the outer dims.
    for (int d = 0; d < nd - 1 && idx[d] == shape_[d]; ++d) {
      idx[d] = 0;
      ++idx[d + 1];
    }
  }
}

void TensorIterator::for_each(const Loop& loop, int64_t grain) const {
  if (numel_ == 0) return;
  parallel_for(0, numel_, grain, [&](int64_t b, int64_t e) { serial_for_each(loop, b, e); });
}

}  // namespace ember
