// SavedVariable (Note [Saved outputs]).
#include "ember/autograd/saved_variable.h"

#include <sstream>

#include "ember/autograd/meta.h"
#include "ember/autograd/record.h"
#include "ember/core/dtype.h"

namespace ember::autograd {

namespace {
thread_local uint64_t t_saved_count = 0;

std::string describe(const Tensor& t) {
  std::ostringstream os;
  os << "[ember." << torch_dtype_name(t.dtype()) << "Tensor [";
  for (size_t i = 0; i < t.sizes().size(); ++i) os << (i ? ", " : "") << t.sizes()[i];
  os << "]]";
  return os.str();
}
}  // namespace

uint64_t detail::saved_variable_count() { return t_saved_count; }

SavedVariable::SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr) {
  ++t_saved_count;
  if (!t.defined()) return;
  saved_version_ = t.version();
  output_nr_ = output_nr;
  is_output_ = is_output;
  // Outputs are kept as bare aliases (no metadata, no cycle); inputs are
  // kept as they are so unpack() gives back their history.
  data_ = is_output ? t.detach() : t;
}

Tensor SavedVariable::unpack(const std::shared_ptr<Node>& node) const {
  if (!data_.defined()) return Tensor();
  if (data_.version() != saved_version_) {
    std::ostringstream os;
    os << "one of the variables needed for gradient computation has been modified by an inplace operation: "
       << describe(data_) << ", which is output " << output_nr_ << " of "
       << (node ? node->name() : std::string("its node")) << ", is at version " << data_.version()
       << "; expected version " << saved_version_
       << " instead. Hint: the backtrace further above can help you find the operation that failed to compute "
          "its gradient. The variable in question was changed in there or anywhere later. Good luck!";
    EMBER_THROW(RuntimeError, os.str());
  }
  if (!is_output_ || !node) return data_;
  Tensor t = data_.detach();
  meta(t).set_grad_fn(node, output_nr_);
  return t;
}

}  // namespace ember::autograd
