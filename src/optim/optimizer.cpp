// ember::optim::Optimizer and OptimizerParamGroup (include/ember/optim/optimizer.h).
#include "ember/optim/optimizer.h"

#include <unordered_set>

#include "ember/core/error.h"

namespace ember::optim {

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup& other)
    : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}

OptimizerParamGroup& OptimizerParamGroup::operator=(const OptimizerParamGroup& other) {
  if (this != &other) {
    params_ = other.params_;
    options_ = other.options_ ? other.options_->clone() : nullptr;
  }
  return *this;
}

OptimizerOptions& OptimizerParamGroup::options() {
  EMBER_CHECK(options_, RuntimeError, "[optim] the parameter group has no options");
  return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
  EMBER_CHECK(options_, RuntimeError, "[optim] the parameter group has no options");
  return *options_;
}

void Optimizer::add_initial_groups(const std::vector<OptimizerParamGroup>& groups) {
  EMBER_CHECK(!groups.empty() && !(groups.size() == 1 && groups[0].params().empty()), ValueError, "[",
              name_, "] optimizer got an empty parameter list");
  for (const auto& group : groups) add_param_group(group);
}

void Optimizer::add_param_group(const OptimizerParamGroup& group) {
  std::unordered_set<const TensorImpl*> seen;
  for (const auto& g : param_groups_)
    for (const auto& p : g.params()) seen.insert(p.impl());
  std::unordered_set<const TensorImpl*> in_group;
  for (const auto& p : group.params()) {
    EMBER_CHECK(p.defined(), ValueError, "[", name_, "] optimizer got an undefined parameter");
    EMBER_CHECK(p.is_floating_point(), TypeError, "[", name_,
                "] optimizer can only optimize floating point tensors, but one of the params has dtype ",
                dtype_name(p.dtype()));
    EMBER_CHECK(!seen.count(p.impl()) && in_group.insert(p.impl()).second, ValueError, "[", name_,
                "] some parameters appear in more than one parameter group");
  }
  OptimizerParamGroup copy(group);
  if (!copy.has_options()) copy.set_options(defaults_->clone());
  param_groups_.push_back(std::move(copy));
}

void Optimizer::zero_grad(bool set_to_none) {
  for (auto& group : param_groups_) {
    for (auto& p : group.params()) {
      Tensor g = p.grad();
      if (!g.defined()) continue;
      if (set_to_none) p.set_grad(Tensor());
      else g.zero_();
    }
  }
}

size_t Optimizer::size() const noexcept {
  size_t n = 0;
  for (const auto& g : param_groups_) n += g.params().size();
  return n;
}

}  // namespace ember::optim
