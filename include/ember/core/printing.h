#pragma once
// Printing tensors the way PyTorch does (torch/_tensor_str.py): Tensor::str(),
// operator<<, and the process-wide print options behind
// ember.set_printoptions / ember.get_printoptions.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "ember/core/tensor.h"

namespace ember {

struct PrintOptions {
  int precision = 4;          // digits after the point (fixed) or in the mantissa (sci)
  int64_t threshold = 1000;   // summarize with "..." when numel() > threshold
  int64_t edgeitems = 3;      // items kept at each end of a summarized dim
  int64_t linewidth = 80;     // where 1-D rows and suffixes wrap
  std::optional<bool> sci_mode;  // nullopt: chosen per tensor from its values
};

// The PyTorch profiles: "default", "short" (precision 2, edgeitems 2) and
// "full" (threshold = INT64_MAX, PyTorch's inf). Throws ValueError otherwise.
EMBER_API PrintOptions print_options_profile(const std::string& profile);

// A copy of the current options. Thread safe.
EMBER_API PrintOptions get_print_options();
// Replaces the options; ValueError on a negative precision or edgeitems.
EMBER_API void set_print_options(const PrintOptions& options);

// Note [grad_fn suffix hook]
// Printing lives in core, below autograd, yet a tensor with history prints
// `grad_fn=<AddBackward0>` (instead of `requires_grad=True`). The autograd
// layer installs this hook; it returns the node's name when t has a grad_fn.
using GradFnNameHook = std::optional<std::string> (*)(const Tensor& t);
EMBER_API void set_grad_fn_name_hook(GradFnNameHook hook);
EMBER_API GradFnNameHook get_grad_fn_name_hook();

EMBER_API std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace ember
