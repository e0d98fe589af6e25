// Dims and Padding (arguments.h).
#include "ember/nn/arguments.h"

#include "ember/core/error.h"
#include "repr.h"

namespace ember::nn {

DimVector Dims::expand(const char* op, const char* name, size_t n) const {
  if (values_.size() == 1) return DimVector(n, values_[0]);
  EMBER_CHECK(values_.size() == n, RuntimeError, "[", op, "] expected a single integer or a list of ", n,
              " integers for ", name, ", got ", values_);
  return values_;
}

std::string Dims::repr() const {
  return scalar_ ? std::to_string(values_[0]) : detail::py_tuple(values_);
}

Padding::Padding(std::string mode) : mode_(std::move(mode)) {
  EMBER_CHECK(mode_ == "same" || mode_ == "valid", ValueError, "[padding] Invalid padding string '", mode_,
              "', should be one of {'valid', 'same'}");
}

}  // namespace ember::nn
