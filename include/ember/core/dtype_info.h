#pragma once
// Numeric limits of a dtype, as torch.finfo / torch.iinfo report them.
#include <cstdint>

#include "ember/core/dtype.h"

namespace ember {

// Limits of a floating dtype. Complex dtypes report their real type's values
// (complex64 -> float32), as PyTorch does.
struct FInfo {
  int bits;
  double eps;              // 1.0's distance to the next larger value
  double max;              // largest finite value
  double min;              // lowest finite value (-max)
  double tiny;             // smallest positive normal value (= smallest_normal)
  double smallest_normal;
  double resolution;       // 10 ** -(decimal digits of precision)
  DType dtype;             // the real dtype
};

// Limits of an integer dtype (bool excluded, as in PyTorch).
struct IInfo {
  int bits;
  int64_t max;
  int64_t min;
  DType dtype;
};

// Throws TypeError for integer and bool dtypes.
EMBER_API FInfo finfo(DType t);
// Of the default dtype.
EMBER_API FInfo finfo();
// Throws TypeError for bool, floating and complex dtypes.
EMBER_API IInfo iinfo(DType t);

}  // namespace ember
