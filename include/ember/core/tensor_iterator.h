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

  // Outputs first. Outputs must already have the broadcast shape.
  TensorIterator& add_output(const Tensor& t);
  TensorIterator& add_input(const Tensor& t);
  // Throws the broadcast error naming `op` when shapes disagree.
  TensorIterator& build(const char* op);

  int ntensors() const { return static_cast<int>(operands_.size()); }
  int64_t numel() const { return numel_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  const DimVector& shape() const { return shape_; }  // after coalescing
  DType dtype(int i) const { return operands_[i].dtype(); }
  const Tensor& tensor(int i) const { return operands_[i]; }
  // True when every operand is contiguous in the iteration order.
  bool is_contiguous() const;

  // Runs loop over all elements; parallel when numel >= grain.
  void for_each(const Loop& loop, int64_t grain = kGrainSize) const;
  // Runs loop over linear elements [begin, end) of the iteration space.
  void serial_for_each(const Loop& loop, int64_t begin, int64_t end) const;

 private:
  void compute_shape(const char* op);
  void compute_strides();
  void reorder_dims();
  void coalesce_dims();

  std::vector<Tensor> operands_;
  int num_outputs_ = 0;
  DimVector shape_;
  // byte_strides_[op][dim]
  std::vector<DimVector> byte_strides_;
  int64_t numel_ = 0;
};

// The broadcast shape of two shapes, or the PyTorch error: "The size of
// tensor a (3) must match the size of tensor b (4) at non-singleton
// dimension 1".
EMBER_API DimVector broadcast_shapes(const DimVector& a, const DimVector& b, const char* op);

}  // namespace ember
