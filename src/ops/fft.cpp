// ember::fft transforms: argument handling (n / s / dim / norm), dtype rules,
// padding and trimming, then 1-D kernels along each transformed dim.
#include "ember/autograd/record.h"
#include "ember/ops/fft.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"

namespace ember::fft {

DispatchStub<C2CKernel> c2c_stub{"fft_c2c"};
DispatchStub<R2CKernel> r2c_stub{"fft_r2c"};
DispatchStub<C2RKernel> c2r_stub{"fft_c2r"};

namespace {

// The scale of one 1-D transform of length n. A "forward" transform (fft,
// rfft, hfft) is unscaled under norm="backward".
double norm_scale(Norm norm, bool forward_transform, int64_t n, const char* op) {
  const std::string_view mode = norm.value_or("backward");
  const double inv = 1.0 / static_cast<double>(n);
  if (mode == "backward") return forward_transform ? 1.0 : inv;
  if (mode == "forward") return forward_transform ? inv : 1.0;
  if (mode == "ortho") return std::sqrt(inv);
  EMBER_THROW(RuntimeError, "[", op, "] Invalid normalization mode: \"", mode, "\"");
}

void check_norm(Norm norm, const char* op) { (void)norm_scale(norm, true, 1, op); }

// Complex compute dtype: float16/bfloat16/float32 -> complex64, float64 ->
// complex128, integers and bool -> the default complex dtype.
DType complex_compute_dtype(DType t) {
  if (is_complex(t)) return t;
  if (t == DType::Float64) return DType::Complex128;
  if (is_floating_point(t)) return DType::Complex64;
  return default_complex_dtype();
}

DType real_compute_dtype(DType t, const char* op) {
  EMBER_CHECK(!is_complex(t), RuntimeError, "[", op, "] expects a real input tensor, but got ", dtype_name(t));
  return to_real(complex_compute_dtype(t));
}

void check_n(int64_t n, const char* op) {
  EMBER_CHECK(n >= 1, RuntimeError, "[", op, "] Invalid number of data points (", n, ") specified");
}

// Trim or zero-pad x along dim to n.
Tensor resize_dim(const Tensor& x, int64_t dim, int64_t n) {
  const int64_t have = x.size(dim);
  if (have == n) return x;
  if (have > n) return x.narrow(dim, 0, n);
  DimVector sizes = x.sizes();
  sizes[dim] = n;
  Tensor out = zeros(sizes, x.options());
  out.narrow(dim, 0, have).copy_(x);
  return out;
}

// A copy we may write into, in dtype.
Tensor owned_copy(const Tensor& x, DType dtype) { return x.to(x.device(), dtype, /*copy=*/true).contiguous(); }

// In-place c2c along dim of y (a tensor this op owns; made contiguous if it
// is not), returned.
// Note [FFT gradients]: each 1-D step records its own node; the n-D
// transforms are compositions of them (and of resize_dim, made of views and
// copies), so their gradients follow. The adjoint of a c2c is the c2c of the
// other direction with the same scale; of r2c, the c2c of the zero-padded
// half spectrum (the engine keeps the real part); of c2r, the r2c of the
// other direction with the bins that stand for two (1 .. n-m) doubled.
Tensor c2c_along(const Tensor& y, int64_t dim, bool forward, double scale) {
  Tensor buf;
  {
    autograd::NoGradGuard no_grad;
    buf = y.contiguous();
    // y is a buffer this op owns: transforming it in place is safe.
    c2c_stub(buf.device().type)(buf, dim, forward, scale);
  }
  autograd::record("FftC2CBackward0", {y}, buf, [&] {
    return [dim, forward, scale](autograd::BackwardCtx& ctx) -> autograd::variable_list {
      const Tensor& g = ctx.grad();
      return {c2c_along(owned_copy(g, g.dtype()), dim, !forward, scale)};
    };
  });
  return buf;
}

// Real x (already resized) -> complex half spectrum along dim.
Tensor r2c_along(const Tensor& x, int64_t dim, bool forward, double scale) {
  const int64_t last = x.dim() - 1;
  Tensor in = (dim == last ? x : x.transpose(dim, last)).contiguous();
  DimVector sizes = in.sizes();
  const int64_t n = sizes[last];
  sizes[last] = n / 2 + 1;
  Tensor out = empty(sizes, TensorOptions(to_complex(in.dtype())).device(in.device()));
  r2c_stub(in.device().type)(in, out, forward, scale);
  Tensor result = dim == last ? out : out.transpose(dim, last);
  if (autograd::needs_grad({x})) {
    Tensor r = result.detach();
    autograd::record("FftR2CBackward0", {x}, r, [&] {
      return [dim, n, forward, scale](autograd::BackwardCtx& ctx) -> autograd::variable_list {
        const Tensor& g = ctx.grad();
        return {c2c_along(owned_copy(resize_dim(g, dim, n), g.dtype()), dim, !forward, scale)};
      };
    });
    return r;
  }
  return result;
}

// Complex half spectrum y (n/2+1 along dim) -> real signal of length n.
Tensor c2r_along(const Tensor& y, int64_t dim, int64_t n, bool forward, double scale) {
  const int64_t last = y.dim() - 1;
  Tensor in = (dim == last ? y : y.transpose(dim, last)).contiguous();
  DimVector sizes = in.sizes();
  sizes[last] = n;
  Tensor out = empty(sizes, TensorOptions(to_real(in.dtype())).device(in.device()));
  c2r_stub(in.device().type)(in, out, forward, scale);
  Tensor result = dim == last ? out : out.transpose(dim, last);
  if (autograd::needs_grad({y})) {
    Tensor r = result.detach();
    autograd::record("FftC2RBackward0", {y}, r, [&] {
      return [dim, n, m = y.size(dim), forward, scale](autograd::BackwardCtx& ctx) -> autograd::variable_list {
        Tensor gy = r2c_along(ctx.grad(), dim, !forward, scale);
        int64_t doubled = n - m;
        if (doubled <= 0) return {gy};
        Tensor w = ones({m}, TensorOptions(to_real(gy.dtype())).device(gy.device()));
        w.narrow(0, 1, doubled).fill_(2.0);
        DimVector shape(gy.dim(), 1);
        shape[dim] = m;
        return {mul(gy, w.view(shape))};
      };
    });
    return r;
  }
  return result;
}

// Dims and signal sizes of an n-D transform (PyTorch's rules); a size of -1
// means "the input's size" (or the op's own default, filled in by the caller).
struct DimsAndSizes {
  DimVector dims;
  DimVector sizes;
};

DimsAndSizes resolve(const Tensor& x, const OptDims& s, const OptDims& dim, const char* op) {
  DimsAndSizes r;
  const int64_t nd = x.dim();
  if (dim) {
    for (int64_t d : *dim) {
      EMBER_CHECK(nd > 0, IndexError, "[", op, "] Dimension specified as ", d, " but tensor has no dimensions");
      r.dims.push_back(wrap_dim(d, nd, op));
    }
    DimVector sorted = r.dims;
    std::sort(sorted.begin(), sorted.end());
    EMBER_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), RuntimeError, "[", op,
                "] FFT dims must be unique");
    if (s) {
      EMBER_CHECK(s->size() == dim->size(), RuntimeError, "[", op,
                  "] When given, dim and shape arguments must have the same length");
    }
  } else if (s) {
    EMBER_CHECK(static_cast<int64_t>(s->size()) <= nd, RuntimeError, "[", op, "] Got shape with ", s->size(),
                " values but input tensor only has ", nd, " dimensions.");
    for (int64_t i = nd - static_cast<int64_t>(s->size()); i < nd; ++i) r.dims.push_back(i);
  } else {
    for (int64_t i = 0; i < nd; ++i) r.dims.push_back(i);
  }
  for (size_t i = 0; i < r.dims.size(); ++i) {
    int64_t n = s ? (*s)[i] : -1;
    EMBER_CHECK(n == -1 || n >= 1, RuntimeError, "[", op, "] Invalid number of data points (", n, ") specified");
    r.sizes.push_back(n);
  }
  return r;
}

Tensor c2c_nd(const Tensor& x, DimsAndSizes ds, bool forward, Norm norm, const char* op) {
  check_norm(norm, op);
  Tensor t = x;
  for (size_t i = 0; i < ds.dims.size(); ++i) {
    if (ds.sizes[i] == -1) ds.sizes[i] = x.size(ds.dims[i]);
    check_n(ds.sizes[i], op);
    t = resize_dim(t, ds.dims[i], ds.sizes[i]);
  }
  Tensor y = owned_copy(t, complex_compute_dtype(x.dtype()));
  for (size_t i = 0; i < ds.dims.size(); ++i) {
    y = c2c_along(y, ds.dims[i], forward, norm_scale(norm, forward, ds.sizes[i], op));
  }
  return y.contiguous();
}

// Real input; r2c along the last of dims, then c2c along the others.
Tensor r2c_nd(const Tensor& x, DimsAndSizes ds, bool forward, Norm norm, const char* op) {
  check_norm(norm, op);
  const DType real = real_compute_dtype(x.dtype(), op);
  EMBER_CHECK(!ds.dims.empty(), RuntimeError, "[", op, "] must transform at least one axis");
  Tensor t = x;
  for (size_t i = 0; i < ds.dims.size(); ++i) {
    if (ds.sizes[i] == -1) ds.sizes[i] = x.size(ds.dims[i]);
    check_n(ds.sizes[i], op);
    t = resize_dim(t, ds.dims[i], ds.sizes[i]);
  }
  t = t.to(real);
  const size_t last = ds.dims.size() - 1;
  Tensor y = r2c_along(t, ds.dims[last], forward, norm_scale(norm, forward, ds.sizes[last], op));
  for (size_t i = 0; i < last; ++i) {
    y = c2c_along(y, ds.dims[i], forward, norm_scale(norm, forward, ds.sizes[i], op));
  }
  return y.contiguous();
}

// Half spectrum along the last of dims -> real output; c2c along the others
// first. The last dim's output length defaults to 2*(m-1).
Tensor c2r_nd(const Tensor& x, DimsAndSizes ds, bool forward, Norm norm, const char* op) {
  check_norm(norm, op);
  EMBER_CHECK(!ds.dims.empty(), RuntimeError, "[", op, "] must transform at least one axis");
  const size_t last = ds.dims.size() - 1;
  Tensor t = x;
  for (size_t i = 0; i < ds.dims.size(); ++i) {
    if (ds.sizes[i] == -1) ds.sizes[i] = i == last ? 2 * (x.size(ds.dims[i]) - 1) : x.size(ds.dims[i]);
    check_n(ds.sizes[i], op);
    t = resize_dim(t, ds.dims[i], i == last ? ds.sizes[i] / 2 + 1 : ds.sizes[i]);
  }
  Tensor y = owned_copy(t, complex_compute_dtype(x.dtype()));
  for (size_t i = 0; i < last; ++i) {
    y = c2c_along(y, ds.dims[i], forward, norm_scale(norm, forward, ds.sizes[i], op));
  }
  y = c2r_along(y, ds.dims[last], ds.sizes[last], forward, norm_scale(norm, forward, ds.sizes[last], op));
  return y.contiguous();
}

// One dim, one optional n: the 1-D functions.
DimsAndSizes one_dim(const Tensor& x, std::optional<int64_t> n, int64_t dim, const char* op) {
  EMBER_CHECK(x.dim() > 0, IndexError, "[", op, "] Dimension specified as ", dim,
              " but tensor has no dimensions");
  DimsAndSizes ds;
  ds.dims.push_back(wrap_dim(dim, x.dim(), op));
  if (n) check_n(*n, op);
  ds.sizes.push_back(n.value_or(-1));
  return ds;
}

OptDims dims2(const DimVector& dim) { return OptDims(dim); }

}  // namespace

Tensor fft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return c2c_nd(x, one_dim(x, n, dim, "fft_fft"), true, norm, "fft_fft");
}
Tensor ifft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return c2c_nd(x, one_dim(x, n, dim, "fft_ifft"), false, norm, "fft_ifft");
}
Tensor rfft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return r2c_nd(x, one_dim(x, n, dim, "fft_rfft"), true, norm, "fft_rfft");
}
Tensor irfft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return c2r_nd(x, one_dim(x, n, dim, "fft_irfft"), false, norm, "fft_irfft");
}
// hfft is a forward real transform of a Hermitian signal given by its half:
// the c2r machinery with the forward sign.
Tensor hfft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return c2r_nd(x, one_dim(x, n, dim, "fft_hfft"), true, norm, "fft_hfft");
}
Tensor ihfft(const Tensor& x, std::optional<int64_t> n, int64_t dim, Norm norm) {
  return r2c_nd(x, one_dim(x, n, dim, "fft_ihfft"), false, norm, "fft_ihfft");
}

Tensor fftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return c2c_nd(x, resolve(x, s, dim, "fft_fftn"), true, norm, "fft_fftn");
}
Tensor ifftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return c2c_nd(x, resolve(x, s, dim, "fft_ifftn"), false, norm, "fft_ifftn");
}
Tensor rfftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return r2c_nd(x, resolve(x, s, dim, "fft_rfftn"), true, norm, "fft_rfftn");
}
Tensor irfftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return c2r_nd(x, resolve(x, s, dim, "fft_irfftn"), false, norm, "fft_irfftn");
}

// hfftn = irfftn(conj(x)) without the 1/n: c2r with the forward sign after
// forward c2c on the other dims; ihfftn mirrors it with the inverse sign.
Tensor hfftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return c2r_nd(x, resolve(x, s, dim, "fft_hfftn"), true, norm, "fft_hfftn");
}
Tensor ihfftn(const Tensor& x, const OptDims& s, const OptDims& dim, Norm norm) {
  return r2c_nd(x, resolve(x, s, dim, "fft_ihfftn"), false, norm, "fft_ihfftn");
}

Tensor fft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return c2c_nd(x, resolve(x, s, dims2(dim), "fft_fft2"), true, norm, "fft_fft2");
}
Tensor ifft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return c2c_nd(x, resolve(x, s, dims2(dim), "fft_ifft2"), false, norm, "fft_ifft2");
}
Tensor rfft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return r2c_nd(x, resolve(x, s, dims2(dim), "fft_rfft2"), true, norm, "fft_rfft2");
}
Tensor irfft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return c2r_nd(x, resolve(x, s, dims2(dim), "fft_irfft2"), false, norm, "fft_irfft2");
}

Tensor hfft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return c2r_nd(x, resolve(x, s, dims2(dim), "fft_hfft2"), true, norm, "fft_hfft2");
}
Tensor ihfft2(const Tensor& x, const OptDims& s, const DimVector& dim, Norm norm) {
  return r2c_nd(x, resolve(x, s, dims2(dim), "fft_ihfft2"), false, norm, "fft_ihfft2");
}

}  // namespace ember::fft
