#pragma once
// Sorting, selection, uniqueness, searching and counting, as torch.sort,
// topk, kthvalue, unique, searchsorted, bucketize, bincount and histc.
// Ops returning (values, indices) return int64 indices along `dim`.
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "ember/core/tensor.h"
// Sort's indices are applied with gather: the scatter family belongs to
// the same API area.
#include "ember/ops/scatter.h"

namespace ember {

// NaN sorts last ascending and first descending. The CPU sort is stable
// whatever `stable` says (equal keys keep their order), as PyTorch's.
EMBER_API std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim = -1,
                                          bool descending = false, bool stable = false);
EMBER_API Tensor argsort(const Tensor& self, int64_t dim = -1, bool descending = false,
                         bool stable = false);
EMBER_API Tensor msort(const Tensor& self);  // sort(self, 0).values

// The k largest (or smallest) along dim; sorted orders them best first.
EMBER_API std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim = -1,
                                          bool largest = true, bool sorted = true);
// The k-th smallest (1-based) along dim.
EMBER_API std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim = -1,
                                              bool keepdim = false);

// (unique values, inverse indices, counts). The values are always sorted
// (PyTorch allows that for sorted=false). With dim, unique slices along dim.
EMBER_API std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& self, bool sorted = true,
                                                    std::optional<int64_t> dim = std::nullopt);
// Collapses runs of equal consecutive values (or slices along dim).
EMBER_API std::tuple<Tensor, Tensor, Tensor> unique_consecutive(
    const Tensor& self, std::optional<int64_t> dim = std::nullopt);

// Insertion points of values in the innermost dim of sorted_sequence (1-D,
// or with the same leading dims as values). side ("left"/"right") overrides
// right; sorter gives the order of an unsorted sequence.
EMBER_API Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values,
                              bool out_int32 = false, bool right = false,
                              std::optional<std::string_view> side = std::nullopt,
                              const std::optional<Tensor>& sorter = std::nullopt);
EMBER_API Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value,
                              bool out_int32 = false, bool right = false,
                              std::optional<std::string_view> side = std::nullopt,
                              const std::optional<Tensor>& sorter = std::nullopt);
// The bucket of each input value for 1-D boundaries.
EMBER_API Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32 = false,
                           bool right = false);

// Occurrences of each non-negative integer of a 1-D input.
EMBER_API Tensor bincount(const Tensor& self, const std::optional<Tensor>& weights = std::nullopt,
                          int64_t minlength = 0);
// Histogram with equal bins over [min, max]; min == max means the data range.
EMBER_API Tensor histc(const Tensor& self, int64_t bins = 100, double min = 0, double max = 0);
// (hist, bin_edges) as torch.histogram: `bins` equal bins over range (the
// data range when absent), or the increasing edges in a 1-D tensor `bins`.
EMBER_API std::tuple<Tensor, Tensor> histogram(
    const Tensor& self, int64_t bins = 100,
    std::optional<std::pair<double, double>> range = std::nullopt,
    const std::optional<Tensor>& weight = std::nullopt, bool density = false);
EMBER_API std::tuple<Tensor, Tensor> histogram(const Tensor& self, const Tensor& bins,
                                               const std::optional<Tensor>& weight = std::nullopt,
                                               bool density = false);

}  // namespace ember
