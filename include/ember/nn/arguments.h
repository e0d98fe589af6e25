#pragma once
// Argument types of the C++ layers that stand for Python's "an int or a
// tuple" arguments (kernel_size=3 or kernel_size=(3, 2)) and conv padding
// (an int, a tuple, or "same"/"valid"). They remember the form they were
// given in, because PyTorch's repr prints what the user passed for pooling
// layers (kernel_size=2) and the expanded tuple for convolutions.
#include <initializer_list>
#include <string>

#include "ember/core/dim_vector.h"
#include "ember/core/macros.h"

namespace ember::nn {

class EMBER_API Dims {
 public:
  Dims(int64_t v) : values_{v}, scalar_(true) {}  // NOLINT: implicit like Python's int
  Dims(int v) : Dims(int64_t(v)) {}               // NOLINT
  Dims(std::initializer_list<int64_t> v) : values_(v) {}
  Dims(const DimVector& v) : values_(v) {}  // NOLINT

  // One value per spatial dim: a single value repeated n times, or exactly n
  // values (else RuntimeError "[op] expected a single integer or a list of n
  // integers for name, got [..]").
  DimVector expand(const char* op, const char* name, size_t n) const;
  const DimVector& values() const { return values_; }
  bool is_scalar() const { return scalar_; }
  // "3" for a single int, "(3, 2)" / "(3,)" for a tuple, as Python prints it.
  std::string repr() const;

 private:
  DimVector values_;
  bool scalar_ = false;
};

// Convolution padding: explicit amounts, or "same" / "valid". The literal
// constructor takes string literals without making `0` ambiguous (a null
// pointer would be another viable conversion of a plain const char*).
class EMBER_API Padding {
 public:
  Padding(int64_t v) : dims_(v) {}  // NOLINT
  Padding(int v) : dims_(v) {}      // NOLINT
  Padding(std::initializer_list<int64_t> v) : dims_(v) {}
  Padding(const DimVector& v) : dims_(v) {}  // NOLINT
  template <size_t N>
  Padding(const char (&mode)[N]) : Padding(std::string(mode)) {}  // NOLINT
  Padding(std::string mode);  // NOLINT: "same" or "valid", else ValueError

  bool is_mode() const { return !mode_.empty(); }
  const std::string& mode() const { return mode_; }  // "same", "valid" or ""
  const Dims& dims() const { return dims_; }

 private:
  Dims dims_{int64_t(0)};
  std::string mode_;
};

}  // namespace ember::nn
