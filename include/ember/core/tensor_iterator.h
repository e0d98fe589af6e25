#pragma once
// Note [Tensor iterator]
// TensorIterator walks one or more outputs and inputs of a common broadcast
// shape, element by element, for every elementwise and reduction kernel on
// every backend. It:
//   1. broadcasts the operands' shapes (PyTorch's error wording on mismatch),
//   2. orders dims so the output's fastest-moving dim is innermost,
//   3. coalesces dims that are contiguous with each other (a contiguous or
//      uniformly strided tensor becomes 1-D),
//   4. hands kernels a 2-D loop: `loop(char** ptrs, const int64_t* strides,
//      int64_t n)` called over the inner dim with byte strides, and splits the
//      work across threads with parallel_for.
// Operands are addressed by their data pointer and byte strides; dtypes may
// differ between operands (the kernel decides how to read each).
#include <array>
#include <functional>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"

namespace ember {

class EMBER_API TensorIterator {
 public:
  static constexpr int kMaxOperands = 8;
  // ptrs[i] is operand i's element, strides[i] its byte stride; n elements.
  using Loop = std::function<void(char** ptrs, const int64_t* strides, int64_t n)>;

  TensorIterator() = default;
  // Operands may point into owned_: an iterator is built and used in place.
  TensorIterator(const TensorIterator&) = delete;
  TensorIterator& operator=(const TensorIterator&) = delete;

  // Outputs first. Outputs must already have the broadcast shape.
  TensorIterator& add_output(const Tensor& t) { return add_operand(t, true, false); }
  // Reduction mode (Note [Reduction iteration]): an output with the input's
  // shape but size 1 in the reduced dims (the keepdim shape). It is walked
  // with stride 0 along the reduced dims. Every output of a reduction
  // iterator must be added this way.
  TensorIterator& add_reduced_output(const Tensor& t);
  TensorIterator& add_input(const Tensor& t) { return add_operand(t, false, false); }
  // The same without taking a handle: the iterator refers to `t`, which the
  // caller keeps alive and unchanged until the iterator is gone (the op
  // drivers, whose operands are their own locals and arguments). Saves two
  // atomic refcount updates per operand (Note [Refcount atomics]).
  // Temporaries are refused at compile time.
  TensorIterator& add_borrowed_output(const Tensor& t) { return add_operand(t, true, true); }
  TensorIterator& add_borrowed_input(const Tensor& t) { return add_operand(t, false, true); }
  TensorIterator& add_borrowed_output(Tensor&&) = delete;
  TensorIterator& add_borrowed_input(Tensor&&) = delete;
  // Throws the broadcast error naming `op` when shapes disagree.
  TensorIterator& build(const char* op);
  // build() without the shortcut of Note [Trivial iteration], so that
  // tests can compare the two.
  TensorIterator& build_general(const char* op);

  int ntensors() const { return ntensors_; }
  int64_t numel() const { return numel_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  const DimVector& shape() const { return shape_; }  // after coalescing
  DType dtype(int i) const { return operands_[i]->dtype(); }
  const Tensor& tensor(int i) const { return *operands_[i]; }
  // True when every operand is contiguous in the iteration order.
  bool is_contiguous() const;

  // ---- reduction mode (Note [Reduction iteration])
  bool is_reduction() const { return is_reduction_; }
  int noutputs() const { return num_outputs_; }
  // Byte stride of operand `op` along iteration dim `dim` (after coalescing).
  int64_t stride(int op, int dim) const { return byte_strides_[op][dim]; }
  // A dim the outputs do not move along: reduced (size-1 dims are coalesced away).
  bool is_reduced_dim(int dim) const { return is_reduction_ && byte_strides_[0][dim] == 0 && shape_[dim] > 1; }
  // Number of output elements and of input elements folded into each.
  int64_t num_output_elements() const;
  int64_t reduction_size() const;
  // Runs fn(begin, end) over ranges of output elements [0, num_output_elements()),
  // split across threads; each output is handled by one thread only, so
  // results do not depend on the thread count. `cost` is the work per output.
  void for_each_output(const std::function<void(int64_t, int64_t)>& fn, int64_t cost) const;

  // Runs loop over all elements; parallel when numel >= grain.
  void for_each(const Loop& loop, int64_t grain = kGrainSize) const;
  // Runs loop over linear elements [begin, end) of the iteration space.
  void serial_for_each(const Loop& loop, int64_t begin, int64_t end) const;

 private:
  bool build_trivial();  // Note [Trivial iteration]
  void compute_shape(const char* op);
  void compute_strides();
  void reorder_dims();
  void coalesce_dims();

  TensorIterator& add_operand(const Tensor& t, bool output, bool borrow);

  // Fixed arrays, not vectors: a tiny op then builds its iterator with no
  // heap allocation (per-call overhead counts, issue 3). operands_[i] points
  // at owned_[i] or at a borrowed tensor.
  std::array<const Tensor*, kMaxOperands> operands_{};
  std::array<Tensor, kMaxOperands> owned_;
  int ntensors_ = 0;
  int num_outputs_ = 0;
  bool is_reduction_ = false;
  DimVector shape_;
  // byte_strides_[op][dim]
  std::array<DimVector, kMaxOperands> byte_strides_;
  int64_t numel_ = 0;
};

// Note [Reduction iteration]
// A reduction iterator has outputs of the keepdim shape; after build() the
// dims split into kept dims (outputs move) and reduced dims (outputs have
// stride 0). Reordering puts the outputs' fastest dim innermost where the
// input allows, and coalescing never merges a kept dim with a reduced one,
// so a kernel sees either an inner reduction (dim 0 reduced: reduce
// contiguous rows, e.g. pairwise sums) or an outer reduction (dim 0 kept:
// out[j] op= in[i, j] over blocks of j, vectorizable). Work is split only
// across output elements (for_each_output), or, for a few outputs and a long
// reduction, by the kernel into fixed-size chunks whose partials it combines
// in a fixed order: results never depend on the thread count.

// Note [Output layout]
// An elementwise result follows its inputs' memory layout, as PyTorch's
// TensorIterator does: the output of `shape` is allocated with the dims in
// the order the inputs' strides give (the first input whose strides tell
// two dims apart decides; broadcast and size-1 dims never decide), densely.
// a.t() + b.t() is then transposed too, and the iterator walks all three
// contiguously instead of reading the inputs with a large stride. Inputs
// that are all contiguous (the common case, checked first) give a
// contiguous output.
EMBER_API Tensor empty_like_inputs(const DimVector& shape, const TensorOptions& opts,
                                   std::initializer_list<const Tensor*> inputs);

// The broadcast shape of two shapes, or the PyTorch error: "The size of
// tensor a (3) must match the size of tensor b (4) at non-singleton
// dimension 1".
EMBER_API DimVector broadcast_shapes(const DimVector& a, const DimVector& b, const char* op);

}  // namespace ember
