// Autograd from Python: grad mode, Tensor.backward / grad_fn / hooks,
// ember._C._autograd (grad, backward, graph nodes, the node behind
// ember.autograd.Function).
#include <nanobind/stl/function.h>
#include <nanobind/stl/shared_ptr.h>

#include "bind.h"

namespace ember::py {

using namespace ember::autograd;

namespace {

// A graph node seen from Python (grad_fn): compares by identity of the node.
struct PyNode {
  std::shared_ptr<Node> node;
};

nb::object wrap_node(const std::shared_ptr<Node>& n) {
  if (!n) return nb::none();
  return nb::cast(PyNode{n});
}

nb::object tensor_or_none(const Tensor& t) { return t.defined() ? nb::cast(t) : nb::none(); }

variable_list tensors_from(nb::handle seq) {
  variable_list out;
  if (seq.is_none()) return out;
  if (nb::isinstance<Tensor>(seq)) return {nb::cast<Tensor>(seq)};
  for (nb::handle h : seq) out.push_back(h.is_none() ? Tensor() : nb::cast<Tensor>(h));
  return out;
}

nb::tuple tuple_of(const variable_list& ts) {
  nb::list l;
  for (const Tensor& t : ts) l.append(tensor_or_none(t));
  return nb::tuple(l);
}

// Calls a Python gradient hook; None keeps the gradient.
GradHook python_grad_hook(nb::object fn) {
  return [fn = std::move(fn)](const Tensor& g) -> Tensor {
    nb::object r = fn(g);
    return r.is_none() ? Tensor() : nb::cast<Tensor>(r);
  };
}

// The removable handle Tensor.register_hook returns.
struct HookHandle {
  std::function<void()> remover;
  void remove() {
    if (remover) remover();
    remover = nullptr;
  }
};

HookHandle register_tensor_hook(const Tensor& t, nb::object fn) {
  EMBER_CHECK(t.requires_grad(), RuntimeError, "cannot register a hook on a tensor that doesn't require gradient");
  AutogradMeta& m = meta(t);
  if (auto fn_node = m.grad_fn()) {
    int64_t id = fn_node->add_tensor_hook(m.output_nr(), python_grad_hook(std::move(fn)));
    std::weak_ptr<Node> weak = fn_node;
    return {[weak, id] {
      if (auto n = weak.lock()) n->remove_hook(id);
    }};
  }
  int64_t id = m.next_hook_id++;
  m.leaf_hooks.emplace_back(id, python_grad_hook(std::move(fn)));
  Tensor keep = t;
  return {[keep, id] { std::erase_if(meta(keep).leaf_hooks, [&](auto& h) { return h.first == id; }); }};
}

HookHandle register_post_accumulate_hook(const Tensor& t, nb::object fn) {
  EMBER_CHECK(t.requires_grad(), RuntimeError, "cannot register a hook on a tensor that doesn't require gradient");
  EMBER_CHECK(t.is_leaf(), RuntimeError, "post accumulate grad hooks cannot be registered on non-leaf tensors");
  AutogradMeta& m = meta(t);
  int64_t id = m.next_hook_id++;
  m.post_accumulate_hooks.emplace_back(id, [fn = std::move(fn)](const Tensor& v) { fn(v); });
  Tensor keep = t;
  return {[keep, id] {
    std::erase_if(meta(keep).post_accumulate_hooks, [&](auto& h) { return h.first == id; });
  }};
}

// Note [Python Function nodes]
// ember.autograd.Function.apply runs forward under no_grad, then calls
// _make_function_node with the tensor inputs and outputs: the node calls
// back into Python's backward with a tuple of gradients (None for missing
// ones unless materialize_grads) and expects one gradient (or None) per
// input.
class PythonFunctionNode : public Node {
 public:
  PythonFunctionNode(std::string name, nb::object backward, bool materialize)
      : name_(std::move(name)), backward_(std::move(backward)), materialize_(materialize) {}
  ~PythonFunctionNode() override {
    nb::gil_scoped_acquire gil;
    backward_.reset();
  }
  std::string name() const override { return name_; }
  bool materialize_grads() const override { return materialize_; }
  variable_list apply(variable_list&& grads) override {
    if (released_) throw_graph_freed();
    nb::object r = backward_(wrap_node(shared_from_this()), tuple_of(grads));
    variable_list out;
    if (nb::isinstance<Tensor>(r) || r.is_none()) {
      out.push_back(r.is_none() ? Tensor() : nb::cast<Tensor>(r));
    } else {
      for (nb::handle h : r) out.push_back(h.is_none() ? Tensor() : nb::cast<Tensor>(h));
    }
    return out;
  }
  void release_saved() override { released_ = true; }

 private:
  std::string name_;
  nb::object backward_;
  bool materialize_;
  bool released_ = false;
};

nb::object make_function_node(const std::string& name, nb::object backward, nb::handle inputs_seq,
                              nb::handle outputs_seq, nb::handle dirty_seq, bool materialize) {
  variable_list inputs = tensors_from(inputs_seq), outputs = tensors_from(outputs_seq);
  auto node = std::make_shared<PythonFunctionNode>(name, std::move(backward), materialize);
  for (const Tensor& t : inputs) {
    if (t.defined() && t.requires_grad()) {
      node->next_edges.push_back(gradient_edge(t));
      node->input_meta.emplace_back(t);
    } else {
      node->next_edges.emplace_back();
      node->input_meta.emplace_back();
    }
  }
  variable_list dirty = tensors_from(dirty_seq);
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& t = outputs[i];
    node->output_meta.emplace_back(t.defined() ? TensorMeta(t) : TensorMeta());
    if (!t.defined() || !(t.is_floating_point() || t.is_complex())) continue;
    bool is_dirty = std::any_of(dirty.begin(), dirty.end(), [&](const Tensor& d) { return d.is_same(t); });
    if (is_dirty) {
      AutogradMeta* m = meta_or_null(t);
      EMBER_CHECK(!(m && m->leaf_requires_grad() && !m->grad_fn()), RuntimeError,
                  "a leaf Variable that requires grad has been used in an in-place operation.");
    }
    meta(t).set_grad_fn(node, static_cast<uint32_t>(i));
  }
  return wrap_node(node);
}

void bind_autograd(nb::module_& m, nb::class_<Tensor>& cls) {
  m.def("is_grad_enabled", &GradMode::is_enabled);
  m.def("_set_grad_enabled", &GradMode::set_enabled);
  m.def("is_inference_mode_enabled", &InferenceMode::is_enabled);
  m.def("_set_inference_mode", [](bool v) {
    InferenceMode::set_enabled(v);
  });

  nb::class_<HookHandle>(m, "_HookHandle").def("remove", &HookHandle::remove);

  cls.def("backward",
          [](const Tensor& t, std::optional<Tensor> gradient, std::optional<bool> retain_graph, bool create_graph,
             nb::handle inputs) {
            variable_list ins = tensors_from(inputs);
            EMBER_CHECK(inputs.is_none() || !ins.empty(), RuntimeError, "'inputs' argument to backward() cannot be empty.");
            backward({t}, {gradient ? *gradient : Tensor()}, retain_graph, create_graph, ins);
          },
          nb::arg("gradient") = nb::none(), nb::arg("retain_graph") = nb::none(), nb::arg("create_graph") = false,
          nb::arg("inputs") = nb::none())
      .def_prop_ro("grad_fn", [](const Tensor& t) { return wrap_node(grad_fn(t)); })
      .def_prop_ro("is_leaf", [](const Tensor& t) { return t.is_leaf(); })
      .def_prop_ro("output_nr", [](const Tensor& t) {
        AutogradMeta* mm = meta_or_null(t);
        return mm ? mm->output_nr() : 0u;
      })
      .def("retain_grad", [](const Tensor& t) { t.retain_grad(); })
      .def_prop_ro("retains_grad", [](const Tensor& t) { return t.retains_grad(); })
      .def("register_hook", &register_tensor_hook, nb::arg("hook"))
      .def("register_post_accumulate_grad_hook", &register_post_accumulate_hook, nb::arg("hook"))
      .def("detach_", [](Tensor& t) -> Tensor& { return t.detach_(); }, nb::rv_policy::reference)
      .def_prop_ro("_base", [](const Tensor& t) -> nb::object {
        AutogradMeta* mm = meta_or_null(t);
        return mm && mm->is_view() ? nb::cast(mm->base()) : nb::none();
      });

  nb::module_ ag = m.def_submodule("_autograd", "Autograd engine entry points.");
  nb::class_<PyNode>(ag, "Node")
      .def("name", [](const PyNode& n) { return n.node->name(); })
      .def_prop_ro("next_functions", [](const PyNode& n) {
        nb::list l;
        for (const Edge& e : n.node->next_edges) l.append(nb::make_tuple(wrap_node(e.function), e.input_nr));
        return nb::tuple(l);
      })
      .def_prop_ro("variable", [](const PyNode& n) -> nb::object {
        auto* acc = dynamic_cast<AccumulateGrad*>(n.node.get());
        EMBER_CHECK(acc, RuntimeError, "'", n.node->name(), "' object has no attribute 'variable'");
        return nb::cast(acc->variable());
      })
      .def("register_hook", [](PyNode& n, nb::object fn) {
        int64_t id = n.node->next_hook_id();
        n.node->post_hooks.emplace_back(id, [fn](const variable_list& gi, const variable_list& go) {
          nb::object r = fn(tuple_of(gi), tuple_of(go));
          return r.is_none() ? variable_list{} : tensors_from(r);
        });
        std::weak_ptr<Node> weak = n.node;
        return HookHandle{[weak, id] {
          if (auto p = weak.lock()) p->remove_hook(id);
        }};
      })
      .def("register_prehook", [](PyNode& n, nb::object fn) {
        int64_t id = n.node->next_hook_id();
        n.node->pre_hooks.emplace_back(id, [fn](const variable_list& go) {
          nb::object r = fn(tuple_of(go));
          return r.is_none() ? variable_list{} : tensors_from(r);
        });
        std::weak_ptr<Node> weak = n.node;
        return HookHandle{[weak, id] {
          if (auto p = weak.lock()) p->remove_hook(id);
        }};
      })
      .def("__eq__", [](const PyNode& a, nb::handle b) {
        return nb::isinstance<PyNode>(b) && nb::cast<const PyNode&>(b).node == a.node;
      })
      .def("__hash__", [](const PyNode& n) { return reinterpret_cast<intptr_t>(n.node.get()) >> 4; })
      .def("__repr__", [](const PyNode& n) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%p", static_cast<void*>(n.node.get()));
        return "<" + n.node->name() + " object at " + buf + ">";
      });

  ag.def("backward", [](nb::handle tensors, nb::handle grads, std::optional<bool> retain_graph, bool create_graph,
                        nb::handle inputs) {
    backward(tensors_from(tensors), tensors_from(grads), retain_graph, create_graph, tensors_from(inputs));
  });
  ag.def("grad", [](nb::handle outputs, nb::handle inputs, nb::handle grad_outputs, std::optional<bool> retain_graph,
                    bool create_graph, bool allow_unused) {
    return tuple_of(grad(tensors_from(outputs), tensors_from(inputs), tensors_from(grad_outputs), retain_graph,
                         create_graph, allow_unused));
  });
  ag.def("_make_function_node", &make_function_node);
  ag.def("_live_nodes", &Node::live_count);
  // A saved output of a Python Function, handed back with its node as grad_fn.
  ag.def("_with_grad_fn", [](const Tensor& t, const PyNode& n, uint32_t output_nr) {
    Tensor r = t.detach();
    meta(r).set_grad_fn(n.node, output_nr);
    return r;
  });
}

}  // namespace

static BindingRegistrar reg(70, &bind_autograd);

}  // namespace ember::py
