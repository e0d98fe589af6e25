// repeat, tile, repeat_interleave: copies. repeat is one broadcast copy_
// into a view of the output that splits each repeated dim in two;
// repeat_interleave copies whole rows in a byte kernel.
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/indexing.h"
#include "ember/ops/shape.h"

namespace ember {

Tensor repeat(const Tensor& self, const DimVector& repeats) {
  int64_t nr = static_cast<int64_t>(repeats.size());
  EMBER_CHECK(nr >= self.dim(), RuntimeError,
              "[repeat] Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  int64_t pad = nr - self.dim();
  DimVector out_sizes(nr), split_shape, src_shape;
  for (int64_t i = 0; i < nr; ++i) {
    EMBER_CHECK(repeats[i] >= 0, RuntimeError, "[repeat] Trying to create tensor with negative dimension ",
                repeats[i], ": ", repeats);
    int64_t size = i < pad ? 1 : self.sizes()[i - pad];
    EMBER_CHECK(!__builtin_mul_overflow(size, repeats[i], &out_sizes[i]), RuntimeError,
                "[repeat] the repeated size overflows int64: ", size, " * ", repeats[i]);
    split_shape.push_back(repeats[i]);
    split_shape.push_back(size);
    src_shape.push_back(1);
    src_shape.push_back(size);
  }
  Tensor out = empty(out_sizes, self.options());
  if (out.numel() > 0) {
    autograd::NoGradGuard no_grad;
    // out[r0, s0, r1, s1, ...] = self[s0, s1, ...] for every r.
    out.view(split_shape).copy_(self.reshape(src_shape).expand(split_shape));
  }
  // The gradient sums the copies: over the r dims of the split shape.
  autograd::record("RepeatBackward0", {self}, out, [&] {
    return [split_shape, src_shape, sizes = self.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {autograd::sum_to(ctx.grad().reshape(split_shape), src_shape).reshape(sizes)};
    };
  });
  return out;
}

Tensor tile(const Tensor& self, const DimVector& reps) {
  int64_t pad = self.dim() - static_cast<int64_t>(reps.size());
  if (pad <= 0) return repeat(self, reps);
  DimVector padded(pad, 1);
  for (int64_t r : reps) padded.push_back(r);
  return repeat(self, padded);
}

namespace {

void check_output_size(std::optional<int64_t> output_size, int64_t total) {
  EMBER_CHECK(!output_size || *output_size == total, RuntimeError, "[repeat_interleave] output_size (",
              output_size.value_or(0), ") does not match the required size (", total, ")");
}

// The input as repeat_interleave sees it: flattened when dim is None.
Tensor interleave_input(const Tensor& self, std::optional<int64_t>& dim) {
  if (!dim || self.dim() == 0) {
    if (dim) wrap_dim(*dim, self.dim(), "repeat_interleave");
    dim = 0;
    return self.flatten();
  }
  dim = wrap_dim(*dim, self.dim(), "repeat_interleave");
  return self;
}

}  // namespace

Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  EMBER_CHECK(repeats >= 0, RuntimeError, "[repeat_interleave] repeats can not be negative");
  Tensor in = interleave_input(self, dim);
  int64_t d = *dim, n = in.sizes()[d], total = 0;
  EMBER_CHECK(!__builtin_mul_overflow(n, repeats, &total), RuntimeError,
              "[repeat_interleave] the repeated size overflows int64");
  check_output_size(output_size, total);
  DimVector out_sizes = in.sizes();
  out_sizes[d] = total;
  Tensor out = empty(out_sizes, in.options());
  if (out.numel() > 0) {
    autograd::NoGradGuard no_grad;
    repeat_rows_stub(in.device().type)(out, in.contiguous(), nullptr, repeats, d);
  }
  // Row i of the input became rows [i*r, (i+1)*r): split dim d as (n, r)
  // and sum over r.
  autograd::record("RepeatInterleaveBackward0", {in}, out, [&] {
    DimVector split = in.sizes();
    split[d] = repeats;
    split.insert(d, n);
    DimVector keep = split;
    keep[d + 1] = 1;
    return [split, keep, sizes = in.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      return {autograd::sum_to(ctx.grad().reshape(split), keep).reshape(sizes)};
    };
  });
  return out;
}

Tensor repeat_interleave(const Tensor& self, const Tensor& repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  EMBER_CHECK(is_integral(repeats.dtype(), false), RuntimeError,
              "[repeat_interleave] repeats has to be Long or Int tensor, but got ", dtype_name(repeats.dtype()));
  EMBER_CHECK(repeats.dim() <= 1, RuntimeError, "[repeat_interleave] repeat_interleave only accept 1D vector as repeat, "
              "but got a tensor with ", repeats.dim(), " dims");
  // A single repeat count applies to every element, as PyTorch broadcasts it.
  if (repeats.numel() == 1) return repeat_interleave(self, repeats.item().to<int64_t>(), dim, output_size);
  Tensor in = interleave_input(self, dim);
  int64_t d = *dim;
  EMBER_CHECK(repeats.numel() == in.sizes()[d], RuntimeError,
              "[repeat_interleave] repeats must have the same size as input along dim, but got repeats.size(0) = ",
              repeats.numel(), " and input.size(", d, ") = ", in.sizes()[d]);
  Tensor r64 = repeats.to(Device(DeviceType::CPU), DType::Int64).contiguous();
  const int64_t* counts = r64.data_ptr<int64_t>();
  int64_t total = 0;
  for (int64_t i = 0; i < r64.numel(); ++i) {
    EMBER_CHECK(counts[i] >= 0, RuntimeError, "[repeat_interleave] repeats can not be negative");
    EMBER_CHECK(!__builtin_add_overflow(total, counts[i], &total), RuntimeError,
                "[repeat_interleave] the repeated size overflows int64");
  }
  check_output_size(output_size, total);
  DimVector out_sizes = in.sizes();
  out_sizes[d] = total;
  Tensor out = empty(out_sizes, in.options());
  {
    autograd::NoGradGuard no_grad;
    repeat_rows_stub(in.device().type)(out, in.contiguous(), counts, 0, d);
  }
  // Output row j came from input row source[j]: the gradient adds the rows
  // back with index_add.
  autograd::record("RepeatInterleaveBackward0", {in}, out, [&] {
    Tensor source = repeat_interleave(r64);  // 0, 0, 1, 3, ... (the source row of each output row)
    return [source, d, sizes = in.sizes()](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      return {index_add(zeros(sizes, g.options()), d, source.to(g.device()), g)};
    };
  });
  return out;
}

Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size) {
  EMBER_CHECK(repeats.dim() <= 1, RuntimeError, "[repeat_interleave] repeats must be 0-dim or 1-dim tensor, but got ",
              repeats.dim(), " dims");
  EMBER_CHECK(is_integral(repeats.dtype(), false), RuntimeError,
              "[repeat_interleave] repeats has to be Long or Int tensor, but got ", dtype_name(repeats.dtype()));
  Tensor r = repeats.flatten();
  Tensor idx = arange(Scalar(int64_t(0)), Scalar(r.numel()), Scalar(int64_t(1)),
                      TensorOptions(repeats.dtype()).device(repeats.device()));
  if (r.numel() == 1) {  // a single count still means "index 0, that many times"
    int64_t c = r.item().to<int64_t>();
    EMBER_CHECK(c >= 0, RuntimeError, "[repeat_interleave] repeats can not be negative");
    return repeat_interleave(idx, c, 0, output_size);
  }
  return repeat_interleave(idx, r, 0, output_size);
}

}  // namespace ember
