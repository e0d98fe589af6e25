// Joining ops: cat and the stacks built on it. Each input is copied into its
// slice of the output with Tensor::copy_, which converts dtypes and threads.
#include <string>

#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/shape.h"
#include "ember/ops/type_promotion.h"

namespace ember {

namespace {

// PyTorch's legacy rule: 1-D tensors of size 0 may join anything (they are
// skipped), so code that starts from torch.tensor([]) keeps working.
bool legacy_empty(const Tensor& t) { return t.dim() == 1 && t.sizes()[0] == 0; }

struct CatPlan {
  DimVector sizes;  // of the result
  int64_t dim = 0;
  DType dtype = DType::Float32;
};

CatPlan plan_cat(const std::vector<Tensor>& tensors, int64_t dim, const char* op) {
  EMBER_CHECK(!tensors.empty(), RuntimeError, "[", op, "] expected a non-empty list of Tensors");
  ResultTypeState promo;
  const Tensor* ref = nullptr;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    EMBER_CHECK(t.defined(), RuntimeError, "[", op, "] tensor number ", i, " in the list is undefined");
    EMBER_CHECK(t.dim() > 0, RuntimeError, "[", op, "] zero-dimensional tensor (at position ", i,
                ") cannot be concatenated");
    EMBER_CHECK(t.device() == tensors[0].device(), RuntimeError, "[", op,
                "] Expected all tensors to be on the same device, but found at least two devices, ",
                tensors[0].device().str(), " and ", t.device().str(), "!");
    promo.add(t);
    if (!ref && !legacy_empty(t)) ref = &t;
  }
  CatPlan plan;
  plan.dtype = promo.result();
  if (!ref) {  // only legacy empty tensors: the result is one of them
    plan.dim = wrap_dim(dim, 1, op);
    plan.sizes = DimVector{0};
    return plan;
  }
  plan.dim = wrap_dim(dim, ref->dim(), op);
  plan.sizes = ref->sizes();
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (legacy_empty(t)) continue;
    EMBER_CHECK(t.dim() == ref->dim(), RuntimeError, "[", op,
                "] Tensors must have same number of dimensions: got ", ref->dim(), " and ", t.dim());
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (d == plan.dim) continue;
      EMBER_CHECK(t.sizes()[d] == ref->sizes()[d], RuntimeError, "[", op,
                  "] Sizes of tensors must match except in dimension ", plan.dim, ". Expected size ",
                  ref->sizes()[d], " but got size ", t.sizes()[d], " for tensor number ", i, " in the list.");
    }
    EMBER_CHECK(!__builtin_add_overflow(total, t.sizes()[plan.dim], &total), RuntimeError, "[", op,
                "] the concatenated size overflows int64");
  }
  plan.sizes[plan.dim] = total;
  return plan;
}

void fill_cat(const std::vector<Tensor>& tensors, int64_t dim, Tensor& out) {
  // Contiguous inputs of out's dtype are block copies: one kernel call
  // instead of a copy_ (and its iterator setup) per input.
  bool blocks = out.is_contiguous();
  std::vector<Tensor> kept;
  kept.reserve(tensors.size());
  for (const Tensor& t : tensors) {
    if (legacy_empty(t)) continue;
    blocks = blocks && t.is_contiguous() && t.dtype() == out.dtype() && t.device() == out.device();
    kept.push_back(t);
  }
  if (blocks) {
    cat_contiguous_stub(out.device().type)(out, kept, dim);
    out.bump_version();  // as copy_ would
    return;
  }
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    if (legacy_empty(t)) continue;
    int64_t n = t.sizes()[dim];
    if (n > 0 && t.numel() > 0) out.narrow(dim, offset, n).copy_(t);
    offset += n;
  }
}

std::vector<Tensor> unsqueezed(const std::vector<Tensor>& tensors, int64_t dim, const char* op) {
  EMBER_CHECK(!tensors.empty(), RuntimeError, "[", op, "] stack expects a non-empty TensorList");
  for (size_t i = 1; i < tensors.size(); ++i) {
    EMBER_CHECK(tensors[i].sizes() == tensors[0].sizes(), RuntimeError, "[", op,
                "] stack expects each tensor to be equal size, but got ", tensors[0].sizes(),
                " at entry 0 and ", tensors[i].sizes(), " at entry ", i);
  }
  int64_t d = wrap_dim(dim, tensors[0].dim() + 1, op);
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (const Tensor& t : tensors) out.push_back(t.unsqueeze(d));
  return out;
}

template <class F>
std::vector<Tensor> map_tensors(const std::vector<Tensor>& tensors, const char* op, F f) {
  EMBER_CHECK(!tensors.empty(), RuntimeError, "[", op, "] ", op, " expects a non-empty TensorList");
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (const Tensor& t : tensors) out.push_back(f(t));
  return out;
}

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  CatPlan plan = plan_cat(tensors, dim, "cat");
  Tensor out = empty(plan.sizes, TensorOptions(plan.dtype).device(tensors[0].device()));
  {
    autograd::NoGradGuard no_grad;  // the copies into `out` are not part of the graph
    fill_cat(tensors, plan.dim, out);
  }
  // Each input's gradient is its slice of the output's; legacy empty inputs
  // get an empty gradient.
  autograd::record("CatBackward0", autograd::variable_list(tensors.begin(), tensors.end()), out, [&] {
    std::vector<int64_t> lengths;
    lengths.reserve(tensors.size());
    for (const Tensor& t : tensors) lengths.push_back(legacy_empty(t) ? -1 : t.sizes()[plan.dim]);
    return [lengths, d = plan.dim](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      autograd::variable_list grads(lengths.size());
      int64_t offset = 0;
      for (size_t i = 0; i < lengths.size(); ++i) {
        if (lengths[i] < 0) {
          if (ctx.needs_input_grad(i)) grads[i] = zeros({0}, g.options());
          continue;
        }
        if (ctx.needs_input_grad(i)) grads[i] = g.narrow(d, offset, lengths[i]);
        offset += lengths[i];
      }
      return grads;
    };
  });
  return out;
}

Tensor& cat_out(const std::vector<Tensor>& tensors, int64_t dim, Tensor& out) {
  CatPlan plan = plan_cat(tensors, dim, "cat");
  EMBER_CHECK(out.sizes() == plan.sizes, RuntimeError, "[cat] out has shape ", out.sizes(),
              " but the result has shape ", plan.sizes);
  EMBER_CHECK(can_cast(plan.dtype, out.dtype()), RuntimeError, "[cat] result type ",
              dtype_name(plan.dtype), " can't be cast to the desired output type ", dtype_name(out.dtype()));
  for (const Tensor& t : tensors) {
    EMBER_CHECK(t.numel() == 0 || out.numel() == 0 || t.storage() != out.storage(), RuntimeError,
                "[cat] unsupported operation: the input tensors cannot refer to any of the output "
                "memory locations. Found overlap in input tensor ", &t - tensors.data());
  }
  fill_cat(tensors, plan.dim, out);
  return out;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  Tensor out;
  {
    autograd::NoGradGuard no_grad;  // one node for the stack, not one per unsqueeze
    out = cat(unsqueezed(tensors, dim, "stack"), dim);
  }
  // Input i's gradient is the gradient's slice i along the new dim.
  autograd::record("StackBackward0", autograd::variable_list(tensors.begin(), tensors.end()), out, [&] {
    return [d = wrap_dim(dim, tensors[0].dim() + 1, "stack"), n = tensors.size()](autograd::BackwardCtx& ctx)
               -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      autograd::variable_list grads(n);
      for (size_t i = 0; i < grads.size(); ++i)
        if (ctx.needs_input_grad(i)) grads[i] = g.select(d, static_cast<int64_t>(i));
      return grads;
    };
  });
  return out;
}

Tensor& stack_out(const std::vector<Tensor>& tensors, int64_t dim, Tensor& out) {
  auto parts = unsqueezed(tensors, dim, "stack");
  return cat_out(parts, dim, out);
}

Tensor hstack(const std::vector<Tensor>& tensors) {
  auto parts = map_tensors(tensors, "hstack", atleast_1d);
  return cat(parts, parts[0].dim() == 1 ? 0 : 1);
}

Tensor vstack(const std::vector<Tensor>& tensors) { return cat(map_tensors(tensors, "vstack", atleast_2d), 0); }

Tensor dstack(const std::vector<Tensor>& tensors) { return cat(map_tensors(tensors, "dstack", atleast_3d), 2); }

Tensor column_stack(const std::vector<Tensor>& tensors) {
  auto parts = map_tensors(tensors, "column_stack", [](const Tensor& t) {
    return t.dim() <= 1 ? t.reshape({t.numel(), 1}) : t;
  });
  return cat(parts, 1);
}

}  // namespace ember
