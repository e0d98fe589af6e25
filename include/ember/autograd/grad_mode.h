#pragma once
// Grad mode: whether ops record the graph. Thread-local, as in PyTorch, so
// a no_grad block on one thread does not change another's recording.
#include "ember/core/macros.h"

namespace ember::autograd {

struct EMBER_API GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// Inference mode is no-grad plus a flag users can query; tensors made inside
// it are ordinary tensors that never record history.
struct EMBER_API InferenceMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// Sets grad mode for a scope and restores the previous one.
class EMBER_API AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) : prev_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(prev_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_;
};

struct EMBER_API NoGradGuard : AutoGradMode {
  NoGradGuard() : AutoGradMode(false) {}
};

}  // namespace ember::autograd

namespace ember {
using autograd::AutoGradMode;
using autograd::GradMode;
using autograd::NoGradGuard;
}  // namespace ember
