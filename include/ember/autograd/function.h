#pragma once
// Custom differentiable functions in C++, like libtorch's
// torch::autograd::Function:
//
//   struct Cube : autograd::Function<Cube> {
//     static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
//       ctx->save_for_backward({x});
//       return mul(mul(x, x), x);
//     }
//     static autograd::variable_list backward(autograd::AutogradContext* ctx, autograd::variable_list g) {
//       Tensor x = ctx->get_saved_variables()[0];
//       return {mul(mul(g[0], mul(x, x)), 3.0)};
//     }
//   };
//   Tensor y = Cube::apply(x);
//
// forward runs without recording; backward returns one gradient per Tensor
// argument of forward (undefined for none), and is itself recorded when
// create_graph is set, so it may be differentiated again.
#include <any>
#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/meta.h"
#include "ember/autograd/saved_variable.h"

namespace ember::autograd {

class EMBER_API AutogradContext {
 public:
  void save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }
  variable_list get_saved_variables() const;
  void mark_non_differentiable(const variable_list& outputs);
  bool needs_input_grad(size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }
  std::map<std::string, std::any> saved_data;

  // ---- used by Function<T>::apply
  void set_needs_input_grad(std::vector<bool> v) { needs_input_grad_ = std::move(v); }
  void finish(const variable_list& outputs, const std::shared_ptr<Node>& node);
  bool is_non_differentiable(const Tensor& t) const;
  void set_node(std::weak_ptr<Node> n) { node_ = std::move(n); }

 private:
  variable_list to_save_;
  std::vector<SavedVariable> saved_;
  std::vector<TensorImpl*> non_differentiable_;
  std::vector<bool> needs_input_grad_;
  std::weak_ptr<Node> node_;
};

// The node of a C++ custom Function: calls the user's backward.
class EMBER_API CppFunctionNode : public Node {
 public:
  using Backward = variable_list (*)(AutogradContext*, variable_list);
  CppFunctionNode(std::string name, Backward backward, std::shared_ptr<AutogradContext> ctx)
      : name_(std::move(name)), backward_(backward), ctx_(std::move(ctx)) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override;
  void release_saved() override { released_ = true; }

 private:
  std::string name_;
  Backward backward_;
  std::shared_ptr<AutogradContext> ctx_;
  bool released_ = false;
};

namespace detail {
inline void collect_tensors(variable_list&) {}
template <class A, class... Rest>
void collect_tensors(variable_list& out, const A& a, const Rest&... rest) {
  if constexpr (std::is_convertible_v<const A&, const Tensor&>) out.push_back(a);
  collect_tensors(out, rest...);
}
EMBER_API void connect(const char* name, CppFunctionNode::Backward backward, const std::shared_ptr<AutogradContext>& ctx,
                       const variable_list& inputs, const variable_list& outputs);
}  // namespace detail

template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args) {
    auto ctx = std::make_shared<AutogradContext>();
    variable_list inputs;
    detail::collect_tensors(inputs, args...);
    std::vector<bool> needs;
    for (const Tensor& t : inputs) needs.push_back(t.defined() && t.requires_grad());
    ctx->set_needs_input_grad(needs);
    auto result = [&] {
      NoGradGuard no_grad;
      return T::forward(ctx.get(), std::forward<Args>(args)...);
    }();
    variable_list outputs;
    if constexpr (std::is_same_v<std::decay_t<decltype(result)>, Tensor>) outputs = {result};
    else outputs = result;
    detail::connect(typeid(T).name(), &T::backward, ctx, inputs, outputs);
    return result;
  }
};

}  // namespace ember::autograd
