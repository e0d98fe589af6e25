// ember::nn::Module: registration, traversal, state dicts, modes.
#include "ember/nn/module.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "ember/autograd/grad_mode.h"

namespace ember::nn {

namespace {
void check_name(const std::string& name, const char* what) {
  EMBER_CHECK(!name.empty(), ValueError, what, " name can't be empty string \"\"");
  EMBER_CHECK(name.find('.') == std::string::npos, ValueError, what, " name can't contain \".\"");
}
}  // namespace

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  check_name(name, "parameter");
  if (tensor.defined() && requires_grad) tensor.set_requires_grad(true);
  for (auto& [n, t] : parameters_)
    if (n == name) return *t = tensor;
  parameters_.emplace_back(name, std::make_unique<Tensor>(std::move(tensor)));
  return *parameters_.back().second;
}

Tensor& Module::register_buffer(const std::string& name, Tensor tensor) {
  check_name(name, "buffer");
  for (auto& [n, t] : buffers_)
    if (n == name) return *t = tensor;
  buffers_.emplace_back(name, std::make_unique<Tensor>(std::move(tensor)));
  return *buffers_.back().second;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> child) {
  check_name(name, "module");
  for (auto& [n, m] : children_)
    if (n == name) {
      m = std::move(child);
      return;
    }
  children_.emplace_back(name, std::move(child));
}

void Module::collect(const std::string& prefix, bool params, bool recurse,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  for (auto& [n, t] : params ? parameters_ : buffers_)
    if (t->defined()) out.emplace_back(prefix + n, *t);
  if (!recurse) return;
  for (auto& [n, m] : children_) m->collect(prefix + n + ".", params, true, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", true, recurse, out);
  // A parameter shared by two modules is listed once, as in Python.
  std::set<TensorImpl*> seen;
  std::erase_if(out, [&](auto& p) { return !seen.insert(p.second.impl()).second; });
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", false, recurse, out);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [n, t] : named_parameters(recurse)) out.push_back(t);
  return out;
}

std::map<std::string, Tensor> Module::state_dict() const {
  std::map<std::string, Tensor> out;
  std::vector<std::pair<std::string, Tensor>> all;
  collect("", true, true, all);
  collect("", false, true, all);
  for (auto& [n, t] : all) out.emplace(n, t.detach());
  return out;
}

void Module::load_state_dict(const std::map<std::string, Tensor>& state, bool strict) {
  std::vector<std::pair<std::string, Tensor>> all;
  collect("", true, true, all);
  collect("", false, true, all);
  std::vector<std::string> missing, unexpected, mismatched;
  std::set<std::string> known;
  for (auto& [n, t] : all) {
    known.insert(n);
    auto it = state.find(n);
    if (it == state.end()) {
      missing.push_back(n);
      continue;
    }
    if (it->second.sizes() != t.sizes()) {
      std::ostringstream os;
      os << "size mismatch for " << n << ": copying a param with shape " << it->second.sizes()
         << " from checkpoint, the shape in current model is " << t.sizes() << ".";
      mismatched.push_back(os.str());
    }
  }
  for (auto& [n, t] : state)
    if (!known.count(n)) unexpected.push_back(n);
  std::ostringstream err;
  auto list = [&](const char* what, const std::vector<std::string>& keys) {
    err << "\n\t" << what << " key(s) in state_dict: ";
    for (size_t i = 0; i < keys.size(); ++i) err << (i ? ", " : "") << '"' << keys[i] << '"';
    err << ". ";
  };
  if (strict && !missing.empty()) list("Missing", missing);
  if (strict && !unexpected.empty()) list("Unexpected", unexpected);
  for (auto& m : mismatched) err << "\n\t" << m;
  std::string problems = err.str();
  EMBER_CHECK(problems.empty(), RuntimeError, "Error(s) in loading state_dict for ", type_name_, ":", problems);
  NoGradGuard no_grad;
  for (auto& [n, t] : all) {
    auto it = state.find(n);
    if (it != state.end()) {
      Tensor dst = t;
      dst.copy_(it->second);
    }
  }
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [n, m] : children_) m->train(on);
}

void Module::zero_grad(bool set_to_none) {
  for (Tensor& p : parameters()) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      p.set_grad(Tensor());
    } else {
      g.zero_();
    }
  }
}

void Module::to(DType dtype) {
  NoGradGuard no_grad;
  for (auto* list : {&parameters_, &buffers_}) {
    for (auto& [n, t] : *list) {
      if (!t->defined() || !(t->is_floating_point() || t->is_complex())) continue;
      bool rg = t->requires_grad();
      *t = t->to(dtype).detach();
      if (rg) t->set_requires_grad(true);
    }
  }
  for (auto& [n, m] : children_) m->to(dtype);
}

void Module::to(Device device) {
  NoGradGuard no_grad;
  for (auto* list : {&parameters_, &buffers_}) {
    for (auto& [n, t] : *list) {
      if (!t->defined()) continue;
      bool rg = t->requires_grad();
      *t = t->to(device).detach();
      if (rg) t->set_requires_grad(true);
    }
  }
  for (auto& [n, m] : children_) m->to(device);
}

std::string Module::repr() const {
  std::ostringstream os;
  os << type_name_ << "(";
  std::string extra = extra_repr();
  if (children_.empty()) {
    os << extra << ")";
    return os.str();
  }
  os << "\n";
  if (!extra.empty()) os << "  " << extra << "\n";
  for (auto& [n, m] : children_) {
    std::string child = m->repr();
    // Indent the child's lines after the first.
    std::string indented;
    for (char c : child) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    os << "  (" << n << "): " << indented << "\n";
  }
  os << ")";
  return os.str();
}

}  // namespace ember::nn
