// Splitting ops: every part is a view of the input (narrow/slice).
#include <algorithm>

#include "ember/ops/shape.h"

namespace ember {

namespace {

void check_at_least_1d(const Tensor& self, const char* op) {
  EMBER_CHECK(self.dim() > 0, RuntimeError, "[", op, "] ", op,
              " expects at least a 1-dimensional tensor, but got a tensor with 0 dims");
}

}  // namespace

std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) {
  check_at_least_1d(self, "split");
  dim = wrap_dim(dim, self.dim(), "split");
  int64_t size = self.sizes()[dim];
  EMBER_CHECK(split_size >= 0, RuntimeError, "[split] split expects split_size be non-negative, but got split_size=",
              split_size);
  EMBER_CHECK(split_size > 0 || size == 0, RuntimeError,
              "[split] split_size can only be 0 if dimension size is 0, but got dimension size of ", size);
  // One (empty) part for an empty dim, as PyTorch.
  int64_t parts = split_size == 0 || size == 0 ? 1 : (size - 1) / split_size + 1;  // no overflow
  std::vector<Tensor> out;
  out.reserve(parts);
  for (int64_t i = 0; i < parts; ++i) {
    int64_t start = i * split_size;
    out.push_back(self.narrow(dim, start, std::min(split_size, size - start)));
  }
  return out;
}

std::vector<Tensor> split_with_sizes(const Tensor& self, const DimVector& sizes, int64_t dim) {
  check_at_least_1d(self, "split_with_sizes");
  dim = wrap_dim(dim, self.dim(), "split_with_sizes");
  int64_t size = self.sizes()[dim], total = 0;
  for (int64_t s : sizes) {
    EMBER_CHECK(s >= 0, RuntimeError,
                "[split_with_sizes] split_with_sizes expects split_sizes have only non-negative entries, but got "
                "split_sizes=", sizes);
    total += s;
  }
  EMBER_CHECK(total == size, RuntimeError, "[split_with_sizes] split_with_sizes expects split_sizes to sum exactly to ",
              size, " (input tensor's size at dimension ", dim, "), but got split_sizes=", sizes);
  std::vector<Tensor> out;
  out.reserve(sizes.size());
  int64_t start = 0;
  for (int64_t s : sizes) {
    out.push_back(self.narrow(dim, start, s));
    start += s;
  }
  return out;
}

std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) {
  check_at_least_1d(self, "chunk");
  EMBER_CHECK(chunks > 0, RuntimeError, "[chunk] chunk expects `chunks` to be greater than 0, got: ", chunks);
  int64_t size = self.sizes()[wrap_dim(dim, self.dim(), "chunk")];
  return split(self, size == 0 ? 0 : (size - 1) / chunks + 1, dim);
}

std::vector<Tensor> tensor_split(const Tensor& self, int64_t sections, int64_t dim) {
  check_at_least_1d(self, "tensor_split");
  EMBER_CHECK(sections > 0, RuntimeError, "[tensor_split] number of sections must be larger than 0, got ", sections);
  dim = wrap_dim(dim, self.dim(), "tensor_split");
  int64_t size = self.sizes()[dim];
  // Parts beyond the size are empty; refuse counts that could only exhaust memory.
  EMBER_CHECK(sections <= std::max<int64_t>(size, int64_t(1) << 24), RuntimeError, "[tensor_split] ", sections,
              " sections of a dimension of size ", size, " is too many");
  int64_t base = size / sections, extra = size % sections;
  std::vector<Tensor> out;
  out.reserve(sections);
  int64_t start = 0;
  for (int64_t i = 0; i < sections; ++i) {
    int64_t len = base + (i < extra ? 1 : 0);
    out.push_back(self.narrow(dim, start, len));
    start += len;
  }
  return out;
}

std::vector<Tensor> tensor_split_indices(const Tensor& self, const DimVector& indices, int64_t dim) {
  check_at_least_1d(self, "tensor_split");
  dim = wrap_dim(dim, self.dim(), "tensor_split");
  std::vector<Tensor> out;
  out.reserve(indices.size() + 1);
  // Python slice rules: negative indices count from the end, bounds clamp,
  // and a stop before its start gives an empty part.
  std::optional<int64_t> start = 0;
  for (int64_t idx : indices) {
    out.push_back(self.slice(dim, start, idx));
    start = idx;
  }
  out.push_back(self.slice(dim, start, std::nullopt));
  return out;
}

namespace {

void check_dims(const Tensor& self, int64_t min_dims, const char* op) {
  EMBER_CHECK(self.dim() >= min_dims, RuntimeError, "[", op, "] torch.", op, " requires a tensor with at least ",
              min_dims, " dimension", min_dims > 1 ? "s" : "", ", but got a tensor with ", self.dim(),
              " dimensions!");
}

// hsplit/vsplit/dsplit into sections: tensor_split along a fixed dim, with
// NumPy's requirement that the sections divide the size.
std::vector<Tensor> split_evenly(const Tensor& self, int64_t sections, int64_t dim, const char* op) {
  EMBER_CHECK(sections > 0, RuntimeError, "[", op, "] number of sections must be larger than 0, got ", sections);
  EMBER_CHECK(self.sizes()[dim] % sections == 0, RuntimeError, "[", op, "] torch.", op,
              " attempted to split along dimension ", dim, ", but the size of the dimension ", self.sizes()[dim],
              " is not divisible by the split_size ", sections, "!");
  return tensor_split(self, sections, dim);
}

// hsplit works along dim 1, or dim 0 of a 1-D tensor.
int64_t hsplit_dim(const Tensor& self) { return self.dim() == 1 ? 0 : 1; }

}  // namespace

std::vector<Tensor> hsplit(const Tensor& self, int64_t sections) {
  check_dims(self, 1, "hsplit");
  return split_evenly(self, sections, hsplit_dim(self), "hsplit");
}
std::vector<Tensor> vsplit(const Tensor& self, int64_t sections) {
  check_dims(self, 2, "vsplit");
  return split_evenly(self, sections, 0, "vsplit");
}
std::vector<Tensor> dsplit(const Tensor& self, int64_t sections) {
  check_dims(self, 3, "dsplit");
  return split_evenly(self, sections, 2, "dsplit");
}

std::vector<Tensor> hsplit(const Tensor& self, const DimVector& indices) {
  check_dims(self, 1, "hsplit");
  return tensor_split_indices(self, indices, hsplit_dim(self));
}
std::vector<Tensor> vsplit(const Tensor& self, const DimVector& indices) {
  check_dims(self, 2, "vsplit");
  return tensor_split_indices(self, indices, 0);
}
std::vector<Tensor> dsplit(const Tensor& self, const DimVector& indices) {
  check_dims(self, 3, "dsplit");
  return tensor_split_indices(self, indices, 2);
}

}  // namespace ember
