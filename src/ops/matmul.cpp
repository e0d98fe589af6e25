// The matrix products: matmul and its special cases (mm, bmm, mv, dot, vdot,
// inner, outer), the add* forms, kron, trace, multi_dot and cross. Every
// product funnels into detail::bmm_core, which calls the bmm kernel.
#include "ember/autograd/record.h"
#include <algorithm>
#include <sstream>

#include "ember/core/tensor_iterator.h"  // broadcast_shapes
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "ember/ops/unary.h"

namespace ember {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

DispatchStub<BmmKernel> bmm_stub("bmm");

namespace {

std::string shape_str(const Tensor& t, const char* sep = "x") {
  std::ostringstream os;
  for (int64_t i = 0; i < t.dim(); ++i) os << (i ? sep : "") << t.size(i);
  return os.str();
}

void check_same_dtype(const Tensor& a, const Tensor& b, const char* op) {
  EMBER_CHECK(a.dtype() == b.dtype(), RuntimeError, "[", op,
              "] expected both tensors to have the same dtype, but got: ", dtype_name(a.dtype()),
              " != ", dtype_name(b.dtype()));
}

void check_mm_shapes(const Tensor& a, const Tensor& b, const char* op) {
  EMBER_CHECK(a.size(-1) == b.size(-2), RuntimeError, "[", op, "] mat1 and mat2 shapes cannot be multiplied (",
              a.size(-2), "x", a.size(-1), " and ", b.size(-2), "x", b.size(-1), ")");
}

bool is_zero(const Scalar& s) { return s.to_complex() == std::complex<double>(0, 0); }
bool is_one(const Scalar& s) { return s.to_complex() == std::complex<double>(1, 0); }

// beta * input + alpha * product, with input broadcast to product's shape;
// beta == 0 ignores input (NaN and inf included), as BLAS does.
Tensor add_scaled(const Tensor& input, const Tensor& product, const Scalar& beta, const Scalar& alpha,
                  const char* op) {
  check_same_dtype(input, product, op);
  Tensor in = input.expand(product.sizes());
  Tensor scaled = is_one(alpha) ? product : mul(product, alpha);
  if (is_zero(beta)) return scaled;
  return add(is_one(beta) ? in : mul(in, beta), scaled);
}

}  // namespace

namespace detail {

// The unary conj_physical kernel copies complex tensors; real ones are
// their own conjugate and are returned as they are (callers only read).
Tensor conj_copy(const Tensor& a) { return conj_physical(a); }

Tensor bmm_core(const Tensor& a, const Tensor& b, bool conj_a, const char* op) {
  check_same_dtype(a, b, op);
  const DType dt = a.dtype();
  EMBER_CHECK(dt != DType::Bool, TypeError, "[", op, "] not implemented for dtype bool");
  if (dt == DType::Float16 || dt == DType::BFloat16) {
    // Half-precision products accumulate in float32, as on PyTorch's CPU.
    return bmm_core(a.to(DType::Float32), b.to(DType::Float32), false, op).to(dt);
  }
  Tensor out = empty({a.size(0), a.size(1), b.size(2)}, a.options());
  bmm_stub(a.device().type)(out, a, b, conj_a);
  // out = op(a) @ b with op = conj when conj_a: grad_a = op(grad @ b^H),
  // grad_b = op(a)^H @ grad. Every matrix product goes through here.
  autograd::record("BmmBackward0", {a, b}, out, [&] {
    return [conj_a, sa = SavedVariable(b.requires_grad() ? a : Tensor(), false),
            sb = SavedVariable(a.requires_grad() ? b : Tensor(), false)](BackwardCtx& ctx) -> variable_list {
      const Tensor& g = ctx.grad();
      Tensor ga, gb;
      if (ctx.needs_input_grad(0)) {
        Tensor bt = ctx.unpack(sb).transpose(1, 2);
        // grad @ conj(b)^T, conjugated again when conj_a: conj(grad) @ b^T.
        ga = conj_a ? bmm_core(conj_copy(g), bt, false, "bmm") : bmm_core(g, conj_copy(bt), false, "bmm");
      }
      if (ctx.needs_input_grad(1)) {
        Tensor at = ctx.unpack(sa).transpose(1, 2);
        // op(a)^H = a^T when conj_a, conj(a)^T otherwise.
        gb = conj_a ? bmm_core(at, g, false, "bmm") : bmm_core(at, g, true, "bmm");
      }
      return {ga, gb};
    };
  });
  return out;
}

Tensor sum_trailing(const Tensor& a, int64_t n, const char* op) {
  DimVector keep(a.sizes().begin(), a.sizes().end() - n);
  int64_t rows = 1, cols = 1;
  for (int64_t s : keep) rows *= s;
  for (int64_t i = a.dim() - n; i < a.dim(); ++i) cols *= a.size(i);
  // Integer sums accumulate in int64, as torch.sum does.
  Tensor x = is_integral(a.dtype(), true) ? a.to(DType::Int64) : a;
  Tensor ones_col = ones({1, cols, 1}, x.options());
  return bmm_core(x.reshape({1, rows, cols}), ones_col, false, op).view(keep);
}

}  // namespace detail

Tensor mm(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 2, RuntimeError, "[mm] self must be a matrix, got a ", a.dim(), "-D tensor");
  EMBER_CHECK(b.dim() == 2, RuntimeError, "[mm] mat2 must be a matrix, got a ", b.dim(), "-D tensor");
  check_mm_shapes(a, b, "mm");
  return detail::bmm_core(a.unsqueeze(0), b.unsqueeze(0), false, "mm").squeeze({0});
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 3, RuntimeError, "[bmm] batch1 must be a 3D tensor, got a ", a.dim(), "-D tensor");
  EMBER_CHECK(b.dim() == 3, RuntimeError, "[bmm] batch2 must be a 3D tensor, got a ", b.dim(), "-D tensor");
  EMBER_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), RuntimeError,
              "[bmm] Expected size for first two dimensions of batch2 tensor to be: [", a.size(0), ", ",
              a.size(2), "] but got: [", b.size(0), ", ", b.size(1), "].");
  return detail::bmm_core(a, b, false, "bmm");
}

Tensor mv(const Tensor& a, const Tensor& v) {
  EMBER_CHECK(a.dim() == 2 && v.dim() == 1, RuntimeError, "[mv] vector + matrix @ vector expected, got ",
              a.dim(), ", ", v.dim());
  EMBER_CHECK(a.size(1) == v.size(0), RuntimeError, "[mv] size mismatch, got mat (", shape_str(a), "), vec (",
              v.size(0), ")");
  return detail::bmm_core(a.unsqueeze(0), v.view({1, v.size(0), 1}), false, "mv").view({a.size(0)});
}

namespace {
Tensor dot_impl(const Tensor& a, const Tensor& b, bool conj_a, const char* op) {
  EMBER_CHECK(a.dim() == 1 && b.dim() == 1, RuntimeError, "[", op, "] 1D tensors expected, but got ", a.dim(),
              "D and ", b.dim(), "D tensors");
  EMBER_CHECK(a.size(0) == b.size(0), RuntimeError, "[", op,
              "] inconsistent tensor size, expected tensor [", a.size(0), "] and src [", b.size(0),
              "] to have the same number of elements, but got ", a.size(0), " and ", b.size(0),
              " elements respectively");
  const int64_t k = a.size(0);
  return detail::bmm_core(a.view({1, 1, k}), b.view({1, k, 1}), conj_a, op).view(DimVector{});
}
}  // namespace

Tensor dot(const Tensor& a, const Tensor& b) { return dot_impl(a, b, false, "dot"); }
Tensor vdot(const Tensor& a, const Tensor& b) { return dot_impl(a, b, true, "vdot"); }

Tensor outer(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 1 && b.dim() == 1, RuntimeError, "[outer] 1D tensors expected, but got ", a.dim(),
              "D and ", b.dim(), "D tensors");
  check_same_dtype(a, b, "outer");
  return mul(a.unsqueeze(1), b.unsqueeze(0));
}

Tensor inner(const Tensor& a, const Tensor& b) {
  if (a.dim() == 0 || b.dim() == 0) return mul(a, b);
  EMBER_CHECK(a.size(-1) == b.size(-1), RuntimeError, "[inner] inner() the last dimension must match on both "
              "input tensors but got shapes [", shape_str(a, ", "), "] and [", shape_str(b, ", "), "]");
  return tensordot(a, b, DimVector{a.dim() - 1}, DimVector{b.dim() - 1});
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  EMBER_CHECK(da > 0 && db > 0, RuntimeError, "[matmul] both arguments to matmul need to be at least 1D, but they are ",
              da, "D and ", db, "D");
  check_same_dtype(a, b, "matmul");
  if (da == 1 && db == 1) return dot_impl(a, b, false, "matmul");
  Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
  Tensor b2 = db == 1 ? b.unsqueeze(-1) : b;
  check_mm_shapes(a2, b2, "matmul");
  const int64_t M = a2.size(-2), K = a2.size(-1), N = b2.size(-1);
  DimVector batch;
  Tensor out;
  if (b2.dim() == 2) {
    // (..., M, K) @ (K, N): fold the batch into the rows, one GEMM.
    batch.assign(a2.sizes().begin(), a2.sizes().end() - 2);
    int64_t rows_n = M;
    for (int64_t s : batch) rows_n *= s;
    Tensor rows = a2.reshape({rows_n, K});
    out = detail::bmm_core(rows.unsqueeze(0), b2.unsqueeze(0), false, "matmul");
  } else {
    DimVector ba(a2.sizes().begin(), a2.sizes().end() - 2), bb(b2.sizes().begin(), b2.sizes().end() - 2);
    batch = broadcast_shapes(ba, bb, "matmul");
    int64_t nb = 1;
    for (int64_t s : batch) nb *= s;
    DimVector ea = batch, eb = batch;
    ea.push_back(M), ea.push_back(K);
    eb.push_back(K), eb.push_back(N);
    out = detail::bmm_core(a2.expand(ea).reshape({nb, M, K}), b2.expand(eb).reshape({nb, K, N}), false, "matmul");
  }
  DimVector shape = batch;
  if (da > 1) shape.push_back(M);
  if (db > 1) shape.push_back(N);
  return out.view(shape);
}

Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
  return add_scaled(input, mm(a, b), beta, alpha, "addmm");
}
Tensor addmv(const Tensor& input, const Tensor& a, const Tensor& v, const Scalar& beta, const Scalar& alpha) {
  return add_scaled(input, mv(a, v), beta, alpha, "addmv");
}
Tensor baddbmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
  return add_scaled(input, bmm(a, b), beta, alpha, "baddbmm");
}
Tensor addbmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
  EMBER_CHECK(a.dim() == 3 && b.dim() == 3, RuntimeError, "[addbmm] batch1 and batch2 must be 3D tensors, got ",
              a.dim(), "D and ", b.dim(), "D");
  EMBER_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), RuntimeError,
              "[addbmm] Expected size for first two dimensions of batch2 tensor to be: [", a.size(0), ", ",
              a.size(2), "] but got: [", b.size(0), ", ", b.size(1), "].");
  // Sum over the batch as one product: (M, B*K) @ (B*K, N).
  const int64_t B = a.size(0), M = a.size(1), K = a.size(2), N = b.size(2);
  Tensor lhs = a.permute({1, 0, 2}).reshape({M, B * K});
  return add_scaled(input, mm(lhs, b.reshape({B * K, N})), beta, alpha, "addbmm");
}

Tensor kron(const Tensor& a, const Tensor& b) {
  check_same_dtype(a, b, "kron");
  const int64_t n = std::max(a.dim(), b.dim());
  DimVector sa(n, 1), sb(n, 1), ia, ib, out;
  for (int64_t i = 0; i < a.dim(); ++i) sa[n - a.dim() + i] = a.size(i);
  for (int64_t i = 0; i < b.dim(); ++i) sb[n - b.dim() + i] = b.size(i);
  // a[i0, 1, i1, 1, ...] * b[1, j0, 1, j1, ...] then merge each (i, j) pair.
  for (int64_t i = 0; i < n; ++i) {
    ia.push_back(sa[i]), ia.push_back(1);
    ib.push_back(1), ib.push_back(sb[i]);
    out.push_back(sa[i] * sb[i]);
  }
  return mul(a.reshape(ia), b.reshape(ib)).reshape(out);
}

Tensor trace(const Tensor& a) {
  EMBER_CHECK(a.dim() == 2, RuntimeError, "[trace] expected a matrix, but got tensor with dim ", a.dim());
  return detail::sum_trailing(a.diagonal(), 1, "trace");
}

Tensor multi_dot(const std::vector<Tensor>& tensors) {
  const size_t n = tensors.size();
  EMBER_CHECK(n >= 2, RuntimeError, "[linalg.multi_dot] expected at least 2 tensors but got ", n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t d = tensors[i].dim();
    const bool end = i == 0 || i == n - 1;
    EMBER_CHECK(d == 2 || (end && d == 1), RuntimeError, "[linalg.multi_dot] tensor ", i, " must be ",
                end ? "1D or 2D" : "2D", " but got ", d, "D");
  }
  Tensor first = tensors[0].dim() == 1 ? tensors[0].unsqueeze(0) : tensors[0];
  Tensor last = tensors[n - 1].dim() == 1 ? tensors[n - 1].unsqueeze(1) : tensors[n - 1];
  Tensor acc = first;
  for (size_t i = 1; i < n; ++i) {
    const Tensor& t = i == n - 1 ? last : tensors[i];
    EMBER_CHECK(acc.size(1) == t.size(0), RuntimeError, "[linalg.multi_dot] tensor ", i - 1, " and tensor ", i,
                " shapes cannot be multiplied (", acc.size(0), "x", acc.size(1), " and ", t.size(0), "x",
                t.size(1), ")");
    acc = mm(acc, t);
  }
  if (tensors[0].dim() == 1) acc = acc.squeeze({0});
  if (tensors[n - 1].dim() == 1) acc = acc.squeeze({-1});
  return acc;
}

Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim) {
  check_same_dtype(a, b, "cross");
  EMBER_CHECK(a.dim() == b.dim(), RuntimeError, "[cross] inconsistent tensors dimensions input: ", a.dim(),
              " other: ", b.dim());
  DimVector shape = broadcast_shapes(a.sizes(), b.sizes(), "cross");
  int64_t d;
  if (dim) {
    d = wrap_dim(*dim, int64_t(shape.size()), "cross");
  } else {
    d = -1;
    for (int64_t i = 0; i < int64_t(shape.size()) && d < 0; ++i)
      if (shape[i] == 3) d = i;
    EMBER_CHECK(d >= 0, RuntimeError, "[cross] no dimension of size 3 in input");
  }
  EMBER_CHECK(a.size(d) == 3 && b.size(d) == 3, RuntimeError, "[cross] inputs dimension ", d,
              " must have length 3. Got ", a.size(d), " and ", b.size(d));
  Tensor x = a.expand(shape), y = b.expand(shape);
  Tensor out = empty(shape, a.options());
  for (int64_t i = 0; i < 3; ++i) {
    const int64_t j = (i + 1) % 3, k = (i + 2) % 3;
    out.select(d, i).copy_(sub(mul(x.select(d, j), y.select(d, k)), mul(x.select(d, k), y.select(d, j))));
  }
  return out;
}

namespace linalg {
Tensor cross(const Tensor& a, const Tensor& b, int64_t dim) {
  // linalg.cross broadcasts inputs of different ranks too.
  const int64_t n = std::max(a.dim(), b.dim());
  DimVector sa(n - a.dim(), 1), sb(n - b.dim(), 1);
  for (int64_t s : a.sizes()) sa.push_back(s);
  for (int64_t s : b.sizes()) sb.push_back(s);
  return ember::cross(a.reshape(sa), b.reshape(sb), dim);
}
}  // namespace linalg

}  // namespace ember

namespace ember {

Tensor tensordot(const Tensor& a, const Tensor& b, const DimVector& dims_a, const DimVector& dims_b) {
  EMBER_CHECK(dims_a.size() == dims_b.size(), RuntimeError,
              "[tensordot] both dimension lists should have same length, got ", dims_a.size(), " and ",
              dims_b.size());
  check_same_dtype(a, b, "tensordot");
  std::vector<bool> used_a(a.dim(), false), used_b(b.dim(), false);
  DimVector perm_a, perm_b, out_shape;
  int64_t K = 1;
  for (size_t i = 0; i < dims_a.size(); ++i) {
    const int64_t da = wrap_dim(dims_a[i], a.dim(), "tensordot"), db = wrap_dim(dims_b[i], b.dim(), "tensordot");
    EMBER_CHECK(!used_a[da] && !used_b[db], RuntimeError, "[tensordot] a dimension appears twice in the dims lists");
    EMBER_CHECK(a.size(da) == b.size(db), RuntimeError,
                "[tensordot] contracted dimensions need to match, but first has size ", a.size(da), " in dim ", da,
                " and second has size ", b.size(db), " in dim ", db);
    used_a[da] = used_b[db] = true;
    K *= a.size(da);
  }
  int64_t M = 1, N = 1;
  for (int64_t i = 0; i < a.dim(); ++i)
    if (!used_a[i]) perm_a.push_back(i), out_shape.push_back(a.size(i)), M *= a.size(i);
  for (size_t i = 0; i < dims_a.size(); ++i) perm_a.push_back(wrap_dim(dims_a[i], a.dim(), "tensordot"));
  for (size_t i = 0; i < dims_b.size(); ++i) perm_b.push_back(wrap_dim(dims_b[i], b.dim(), "tensordot"));
  for (int64_t i = 0; i < b.dim(); ++i)
    if (!used_b[i]) perm_b.push_back(i), out_shape.push_back(b.size(i)), N *= b.size(i);
  Tensor out = detail::bmm_core(a.permute(perm_a).reshape({1, M, K}), b.permute(perm_b).reshape({1, K, N}), false,
                                "tensordot");
  return out.view(out_shape);
}

Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims) {
  EMBER_CHECK(dims >= 0, RuntimeError, "[tensordot] tensordot expects dims >= 0, but got dims=", dims);
  EMBER_CHECK(dims <= a.dim() && dims <= b.dim(), RuntimeError, "[tensordot] tensordot expects dims < ndim_a or ndim_b, but got dims=",
              dims);
  DimVector da, db;
  for (int64_t i = 0; i < dims; ++i) da.push_back(a.dim() - dims + i), db.push_back(i);
  return tensordot(a, b, da, db);
}

}  // namespace ember
