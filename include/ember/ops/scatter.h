#pragma once
// gather and the scatter family: reading and writing along one dim at
// positions given by an int64 index tensor, as torch.gather / scatter /
// scatter_add / scatter_reduce.
#include <optional>
#include <string_view>

#include "ember/core/tensor.h"

namespace ember {

// out[i][j][k] = self[index[i][j][k]][j][k] (dim 0); out has index's shape.
EMBER_API Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);

// self[index[i][j]][j] = src[i][j] (dim 0), in place; returns self. reduce
// is None, "add" or "multiply" (PyTorch's older scatter reduce).
EMBER_API Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                           std::optional<std::string_view> reduce = std::nullopt);
EMBER_API Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
                           std::optional<std::string_view> reduce = std::nullopt);
EMBER_API Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                         std::optional<std::string_view> reduce = std::nullopt);
EMBER_API Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
                         std::optional<std::string_view> reduce = std::nullopt);

// self[index[i][j]][j] += src[i][j]; duplicates accumulate.
EMBER_API Tensor& scatter_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
EMBER_API Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);

// reduce: "sum", "prod", "mean", "amax" or "amin". include_self=false
// leaves self's old values out of the positions written to.
EMBER_API Tensor& scatter_reduce_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                                  std::string_view reduce, bool include_self = true);
EMBER_API Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index,
                                const Tensor& src, std::string_view reduce, bool include_self = true);

}  // namespace ember
