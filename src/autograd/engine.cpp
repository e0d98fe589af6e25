// The backward engine (Note [Engine order], Note [Gradient shapes]).
#include "ember/autograd/engine.h"

#include <queue>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/meta.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/unary.h"

namespace ember::autograd {

// Note [Engine order]
// A node runs once every node that feeds it gradients has run (the counts in
// `deps`, taken over the part of the graph reachable from the outputs).
// Among ready nodes the most recently created runs first, which keeps the
// walk close to the reverse of the forward and frees buffers early. The
// engine runs on the calling thread; grad mode inside it is create_graph, so
// formulas record a graph exactly when higher-order gradients are wanted.
//
// Note [Gradient shapes]
// Each gradient a node returns is checked against the metadata of the input
// it belongs to: a gradient with extra broadcast dimensions is summed down,
// a complex gradient of a real input keeps its real part, and the dtype is
// cast to the input's. Formulas of broadcasting ops therefore return the
// gradient at the output's shape and let the engine reduce it.

namespace {

struct ReadyOrder {
  bool operator()(Node* a, Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

std::string shape_str(const DimVector& s) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  os << "]";
  return os.str();
}

bool expandable_to(const DimVector& small, const DimVector& big) {
  if (small.size() > big.size()) return false;
  size_t lead = big.size() - small.size();
  for (size_t i = 0; i < small.size(); ++i)
    if (small[i] != 1 && small[i] != big[lead + i]) return false;
  return true;
}

Tensor validate_grad(Tensor g, const TensorMeta& m, const Node& node, size_t index) {
  if (!g.defined()) return g;
  if (g.sizes() != m.sizes) {
    EMBER_CHECK(expandable_to(m.sizes, g.sizes()), RuntimeError, "Function ", node.name(),
                " returned an invalid gradient at index ", index, " - got ", shape_str(g.sizes()),
                " but expected shape compatible with ", shape_str(m.sizes));
    g = sum_to(g, m.sizes);
  }
  if (!is_complex(m.dtype) && g.is_complex()) g = real(g);
  if (g.dtype() != m.dtype) g = g.to(m.dtype);
  return g;
}

void accumulate(variable_list& buffer, size_t i, Tensor g) {
  if (!g.defined()) return;
  if (!buffer[i].defined()) buffer[i] = std::move(g);
  else buffer[i] = add(buffer[i], g);
}

struct Capture {
  uint32_t output_nr;
  size_t index;
};

struct GraphTask {
  bool keep_graph = false;
  bool filtered = false;  // only nodes in `needed` run
  std::unordered_map<Node*, int> deps;
  std::unordered_map<Node*, variable_list> buffers;
  std::unordered_set<Node*> needed;
  std::unordered_multimap<Node*, Capture> captures;
  variable_list captured;
  std::vector<Node*> postorder;  // children before parents
};

// Counts dependencies and lists the nodes reachable from the roots.
void discover(GraphTask& task, const std::vector<Edge>& roots) {
  std::unordered_set<Node*> seen;
  std::vector<std::pair<Node*, size_t>> stack;  // node, next edge to visit
  for (const Edge& r : roots) {
    if (!r.is_valid() || !seen.insert(r.function.get()).second) continue;
    stack.push_back({r.function.get(), 0});
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < node->next_edges.size()) {
        Node* child = node->next_edges[next++].function.get();
        if (!child) continue;
        ++task.deps[child];
        if (seen.insert(child).second) stack.push_back({child, 0});
      } else {
        task.postorder.push_back(node);
        stack.pop_back();
      }
    }
  }
}

// With inputs given, a node runs only if a capture or a sink to run lies below it.
void mark_needed(GraphTask& task, const std::unordered_set<Node*>& sinks) {
  task.filtered = true;
  for (Node* n : task.postorder) {
    bool need = sinks.count(n) > 0;
    for (const Edge& e : n->next_edges) {
      Node* c = e.function.get();
      if (c && (task.needed.count(c) || task.captures.count(c))) need = true;
    }
    if (need) task.needed.insert(n);
  }
}

void run_hooks(Node& node, variable_list& grads, GraphTask& task) {
  for (auto& h : node.tensor_pre_hooks) {
    if (h.output_nr >= grads.size() || !grads[h.output_nr].defined()) continue;
    Tensor r = h.fn(grads[h.output_nr]);
    if (r.defined()) grads[h.output_nr] = r;
  }
  for (auto& [nr, hook] : node.retain_grad_hooks)
    if (nr < grads.size() && grads[nr].defined()) hook(grads[nr]);
  auto range = task.captures.equal_range(&node);
  for (auto it = range.first; it != range.second; ++it) {
    const Tensor& g = grads[it->second.output_nr];
    if (g.defined()) {
      Tensor& slot = task.captured[it->second.index];
      slot = slot.defined() ? add(slot, g) : g;
    }
  }
}

void execute(GraphTask& task, const std::vector<Edge>& roots, const variable_list& root_grads) {
  std::priority_queue<Node*, std::vector<Node*>, ReadyOrder> ready;
  auto buffer_of = [&](Node* n) -> variable_list& {
    auto& b = task.buffers[n];
    if (b.empty()) b.resize(n->output_meta.size());
    return b;
  };
  std::unordered_set<Node*> queued;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (!roots[i].is_valid()) continue;
    Node* n = roots[i].function.get();
    accumulate(buffer_of(n), roots[i].input_nr, root_grads[i]);
  }
  for (const Edge& r : roots) {
    Node* n = r.function.get();
    if (n && task.deps[n] == 0 && queued.insert(n).second) ready.push(n);
  }
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    variable_list grads = std::move(buffer_of(node));
    task.buffers.erase(node);
    run_hooks(*node, grads, task);
    bool run = !task.filtered || task.needed.count(node);
    variable_list outputs;
    if (run) {
      bool any = false;
      for (const Tensor& g : grads) any = any || g.defined();
      if (any) {
        if (node->materialize_grads())
          for (size_t i = 0; i < grads.size(); ++i)
            if (!grads[i].defined() && i < node->output_meta.size())
              grads[i] = node->output_meta[i].zeros();
        for (auto& [id, hook] : node->pre_hooks) {
          variable_list r = hook(grads);
          if (!r.empty()) grads = std::move(r);
        }
        variable_list grad_outputs;
        if (!node->post_hooks.empty()) grad_outputs = grads;
        outputs = node->apply(std::move(grads));
        for (auto& [id, hook] : node->post_hooks) {
          variable_list r = hook(outputs, grad_outputs);
          if (!r.empty()) outputs = std::move(r);
        }
        EMBER_CHECK(outputs.size() == node->next_edges.size() || node->next_edges.empty(), RuntimeError,
                    "Function ", node->name(), " returned an incorrect number of gradients (expected ",
                    node->next_edges.size(), ", got ", outputs.size(), ")");
      }
      if (!task.keep_graph) node->release_saved();
    }
    for (size_t i = 0; i < node->next_edges.size(); ++i) {
      const Edge& e = node->next_edges[i];
      if (!e.is_valid()) continue;
      Node* child = e.function.get();
      if (i < outputs.size() && outputs[i].defined())
        accumulate(buffer_of(child), e.input_nr, validate_grad(std::move(outputs[i]), node->input_meta[i], *node, i));
      if (--task.deps[child] == 0 && queued.insert(child).second) ready.push(child);
    }
  }
}

// The gradient a root starts with: the user's, or ones for a scalar.
variable_list root_grads(const variable_list& tensors, const variable_list& grad_tensors) {
  EMBER_CHECK(grad_tensors.empty() || grad_tensors.size() == tensors.size(), RuntimeError,
              "grad can be implicitly created only for scalar outputs");
  variable_list out;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    Tensor g = grad_tensors.empty() ? Tensor() : grad_tensors[i];
    if (!g.defined()) {
      EMBER_CHECK(t.numel() == 1, RuntimeError, "grad can be implicitly created only for scalar outputs");
      EMBER_CHECK(!t.is_complex(), RuntimeError, "grad can be implicitly created only for real scalar outputs");
      g = ones(t.sizes(), t.options());
    } else {
      EMBER_CHECK(g.sizes() == t.sizes(), RuntimeError, "Mismatch in shape: grad_output[", i,
                  "] has a shape of ", shape_str(g.sizes()), " and output[", i, "] has a shape of ",
                  shape_str(t.sizes()), ".");
      EMBER_CHECK(g.is_complex() == t.is_complex(), RuntimeError, "For complex Tensors, both grad_output and output are required to have the same dtype. Mismatch in dtype: grad_output[", i, "] has a dtype of ", dtype_name(g.dtype()), " and output[", i, "] has a dtype of ", dtype_name(t.dtype()));
    }
    out.push_back(g);
  }
  return out;
}

std::vector<Edge> root_edges(const variable_list& tensors) {
  std::vector<Edge> edges;
  for (size_t i = 0; i < tensors.size(); ++i) {
    Edge e = gradient_edge(tensors[i]);
    EMBER_CHECK(e.is_valid(), RuntimeError, "element ", i,
                " of tensors does not require grad and does not have a grad_fn");
    edges.push_back(e);
  }
  return edges;
}

}  // namespace

void backward(const variable_list& tensors, const variable_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph, const variable_list& inputs) {
  std::vector<Edge> roots = root_edges(tensors);
  variable_list grads = root_grads(tensors, grad_tensors);
  GraphTask task;
  task.keep_graph = retain_graph.value_or(create_graph);
  AutoGradMode mode(create_graph);
  discover(task, roots);
  std::vector<std::pair<size_t, Tensor>> nonleaf_inputs;
  if (!inputs.empty()) {
    std::unordered_set<Node*> sinks;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& t = inputs[i];
      EMBER_CHECK(t.requires_grad(), RuntimeError, "One of the differentiated Tensors does not require grad");
      Edge e = gradient_edge(t);
      if (is_leaf(t)) {
        sinks.insert(e.function.get());
      } else {
        task.captures.insert({e.function.get(), Capture{e.input_nr, nonleaf_inputs.size()}});
        nonleaf_inputs.push_back({i, t});
      }
    }
    task.captured.resize(nonleaf_inputs.size());
    mark_needed(task, sinks);
  }
  execute(task, roots, grads);
  for (size_t k = 0; k < nonleaf_inputs.size(); ++k) {
    const Tensor& g = task.captured[k];
    if (!g.defined()) continue;
    AutogradMeta& m = meta(nonleaf_inputs[k].second);
    m.grad = m.grad.defined() ? add(m.grad, g) : (create_graph ? g : g.detach());
  }
}

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  std::vector<Edge> roots = root_edges(outputs);
  variable_list grads = root_grads(outputs, grad_outputs);
  GraphTask task;
  task.keep_graph = retain_graph.value_or(create_graph);
  AutoGradMode mode(create_graph);
  discover(task, roots);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    EMBER_CHECK(t.requires_grad(), RuntimeError, "One of the differentiated Tensors does not require grad");
    Edge e = gradient_edge(t);
    task.captures.insert({e.function.get(), Capture{e.input_nr, i}});
  }
  task.captured.resize(inputs.size());
  mark_needed(task, {});
  // A root that is itself an input: its gradient is the root gradient.
  execute(task, roots, grads);
  variable_list result = std::move(task.captured);
  for (size_t i = 0; i < result.size(); ++i) {
    EMBER_CHECK(result[i].defined() || allow_unused, RuntimeError,
                "One of the differentiated Tensors appears to not have been used in the graph. Set "
                "allow_unused=True if this is the desired behavior.");
    if (result[i].defined() && !create_graph) result[i] = result[i].detach();
  }
  return result;
}

}  // namespace ember::autograd
