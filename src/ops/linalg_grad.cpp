// Note [Linalg gradients]
// Formulas for inv, slogdet/det, solve, cholesky, qr, eigh, svd, vector
// norms and lstsq, after PyTorch's FunctionsManual.cpp, written with ops so
// they differentiate again. They assume what the forward's derivative needs:
// invertible matrices (inv, det, solve), distinct eigenvalues / singular
// values (eigh, svd vectors), nonzero singular values for the parts of U and
// V outside the square block, and full rank for lstsq. Gauge-dependent
// outputs (eigenvectors, singular vectors) give gradients of functions that
// do not depend on the phase of each vector, as in PyTorch.
#include "linalg_grad.h"

#include <cmath>
#include <limits>

#include "ember/autograd/engine.h"
#include "ember/autograd/record.h"
#include "ember/ops/creation.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/linalg.h"
#include "ember/ops/reduce.h"
#include "ember/ops/shape.h"
#include "ember/ops/unary.h"

namespace ember::linalg::grad {

using autograd::BackwardCtx;
using autograd::SavedVariable;
using autograd::variable_list;

namespace {
Tensor mH(const Tensor& t) { return conj(t.mT()); }
Tensor i_times(const Tensor& t) { return mul(t, Scalar(std::complex<double>(0, 1))); }
// X with its diagonal replaced: E[..., j, k] = s_k - s_j (off the diagonal),
// 1 on it, so that dividing by it leaves the diagonal alone.
Tensor pairwise_differences(const Tensor& s) {
  Tensor e = sub(s.unsqueeze(-2), s.unsqueeze(-1));
  int64_t n = s.size(-1);
  Tensor eye_n = eye(n, n, TensorOptions(e.dtype()).device(e.device()));
  return add(e, eye_n);  // the diagonal of e is 0
}
Tensor set_diagonal(const Tensor& x, const Tensor& d) {
  Tensor eye_n = eye(x.size(-1), x.size(-1), TensorOptions(DType::Bool).device(x.device()));
  return where(eye_n, diag_embed(d.to(x.dtype())), x);
}
}  // namespace

void record_inv(const Tensor& a, const Tensor& inverse) {
  // d(A^-1) = -A^-1 dA A^-1  ->  gA = -A^-H gX A^-H
  autograd::record("LinalgInvExBackward0", {a}, inverse, [&] {
    return [si = SavedVariable(inverse, true)](BackwardCtx& ctx) -> variable_list {
      Tensor ih = mH(ctx.unpack(si));
      return {neg(matmul(matmul(ih, ctx.grad()), ih))};
    };
  });
}

void record_logdet(const Tensor& a, const Tensor& sign, const Tensor& logabs) {
  // d log|det| = Re tr(A^-1 dA), d sign = i Im tr(A^-1 dA) sign:
  // gA = (g_logabs - i Im(conj(g_sign) sign)) A^-H.
  autograd::record("LinalgSlogdetBackward0", {a}, {sign, logabs}, [&] {
    return [sa = SavedVariable(a, false), ss = SavedVariable(sign, true, 0)](BackwardCtx& ctx) -> variable_list {
      Tensor A = ctx.unpack(sa);
      Tensor w = ctx.grad(1);
      if (A.is_complex()) {
        Tensor s = ctx.unpack(ss);
        w = sub(w.to(A.dtype()), i_times(imag(mul(conj(ctx.grad(0)), s)).to(A.dtype())));
      }
      return {mul(w.unsqueeze(-1).unsqueeze(-1), mH(inv(A)))};
    };
  });
}

void record_solve(const Tensor& a, const Tensor& b, const Tensor& x, bool vector) {
  // X = A^-1 B: gB = A^-H gX, gA = -gB X^H.
  autograd::record("LinalgSolveExBackward0", {a, b}, x, [&] {
    return [vector, sa = SavedVariable(a, false), sx = SavedVariable(a.requires_grad() ? x : Tensor(), true)](
               BackwardCtx& ctx) -> variable_list {
      Tensor A = ctx.unpack(sa);
      Tensor gb = solve(mH(A), ctx.grad(), true);
      Tensor ga;
      if (ctx.needs_input_grad(0)) {
        Tensor X = ctx.unpack(sx);
        ga = vector ? neg(mul(gb.unsqueeze(-1), conj(X).unsqueeze(-2))) : neg(matmul(gb, mH(X)));
      }
      return {ga, ctx.needs_input_grad(1) ? gb : Tensor()};
    };
  });
}

void record_cholesky(const Tensor& a, const Tensor& factor, bool upper) {
  autograd::record("LinalgCholeskyExBackward0", {a}, factor, [&] {
    return [upper, sl = SavedVariable(factor, true)](BackwardCtx& ctx) -> variable_list {
      Tensor L = ctx.unpack(sl), gL = ctx.grad();
      if (upper) L = mH(L), gL = mH(gL);
      // gA = L^-H Φ(L^H gL) L^-1 symmetrised, Φ = lower triangle with half diagonal.
      Tensor phi = tril(matmul(mH(L), gL));
      phi = mul(add(phi, mH(tril(phi, -1))), Scalar(0.5));
      Tensor g = solve(mH(L), phi, true);
      g = solve(L, g, false);
      return {g};
    };
  });
}

namespace {
// Square R (m >= n, reduced): gA = (gQ + Q syminvadj(triu(gR R^H - Q^H gQ))) R^-H,
// syminvadj(X) = X + X^H with the real part of the diagonal halved.
Tensor qr_backward_tall(const Tensor& Q, const Tensor& R, const Tensor& gQ, const Tensor& gR) {
  Tensor m = triu(sub(matmul(gR, mH(R)), matmul(mH(Q), gQ)));
  Tensor sym = add(m, mH(m));
  sym = sub(sym, mul(diag_embed(real(sym.diagonal(0, -2, -1)).to(sym.dtype())), Scalar(0.5)));
  return solve(mH(R), add(gQ, matmul(Q, sym)), false);
}
}  // namespace

void record_qr(const Tensor& a, const Tensor& q, const Tensor& r) {
  autograd::record("LinalgQrBackward0", {a}, {q, r}, [&] {
    return [sa = SavedVariable(a, false), sq = SavedVariable(q, true, 0), sr = SavedVariable(r, true, 1)](
               BackwardCtx& ctx) -> variable_list {
      Tensor Q = ctx.unpack(sq), R = ctx.unpack(sr);
      const Tensor& gQ = ctx.grad(0);
      const Tensor& gR = ctx.grad(1);
      const int64_t m = Q.size(-2), n = R.size(-1);
      EMBER_CHECK(Q.size(-1) == R.size(-2) && Q.size(-1) == std::min(m, n), NotImplementedError,
                  "[linalg.qr] The derivative of linalg.qr is not implemented when mode='complete' and nrows > "
                  "ncols.");
      if (m >= n) return {qr_backward_tall(Q, R, gQ, gR)};
      // Wide A = [X | Y], X square: Q R1 = X and R2 = Q^H Y.
      Tensor Y = ctx.unpack(sa).narrow(-1, m, n - m);
      Tensor gR1 = gR.narrow(-1, 0, m), gR2 = gR.narrow(-1, m, n - m);
      Tensor gX = qr_backward_tall(Q, R.narrow(-1, 0, m), add(gQ, matmul(Y, mH(gR2))), gR1);
      return {cat({gX, matmul(Q, gR2)}, -1)};
    };
  });
}

void record_eigh(const Tensor& a, const Tensor& w, const Tensor& v, const Tensor& v_for_grad) {
  // gA = V (diag(gL) + skew(V^H gV) / conj(E)) V^H, E_jk = L_k - L_j.
  variable_list outs = v.defined() ? variable_list{w, v} : variable_list{w};
  autograd::record(v.defined() ? "LinalgEighBackward0" : "LinalgEigvalshBackward0", {a}, outs, [&] {
    return [sw = SavedVariable(w, true, 0), sv = SavedVariable(v_for_grad, v.defined(), 1)](
               BackwardCtx& ctx) -> variable_list {
      Tensor L = ctx.unpack(sw), V = ctx.unpack(sv);
      Tensor gA;
      if (ctx.grads().size() > 1) {
        Tensor vhgv = matmul(mH(V), ctx.grad(1));
        vhgv = mul(sub(vhgv, mH(vhgv)), Scalar(0.5));
        gA = div(vhgv, pairwise_differences(L).to(vhgv.dtype()));
        gA = set_diagonal(gA, ctx.grad(0));
      } else {
        gA = diag_embed(ctx.grad(0).to(V.dtype()));
      }
      return {matmul(matmul(V, gA), mH(V))};
    };
  });
}

void record_svd(const Tensor& a, const Tensor& u, const Tensor& s, const Tensor& vh, const Tensor& u_for_grad,
                const Tensor& vh_for_grad) {
  bool vectors = u.defined();
  variable_list outs = vectors ? variable_list{u, s, vh} : variable_list{s};
  autograd::record(vectors ? "LinalgSvdBackward0" : "LinalgSvdvalsBackward0", {a}, outs, [&] {
    return [vectors, su = SavedVariable(u_for_grad, vectors, 0), ss = SavedVariable(s, true, vectors ? 1 : 0),
            sv = SavedVariable(vh_for_grad, vectors, 2)](BackwardCtx& ctx) -> variable_list {
      Tensor U = ctx.unpack(su), S = ctx.unpack(ss), Vh = ctx.unpack(sv);
      const int64_t k = S.size(-1);
      // Only the first k columns of U / rows of Vh take part (full_matrices).
      U = U.narrow(-1, 0, k);
      Tensor V = mH(Vh.narrow(-2, 0, k));
      Tensor gS = ctx.grad(vectors ? 1 : 0);
      if (!vectors) return {matmul(mul(U, gS.unsqueeze(-2).to(U.dtype())), mH(V))};
      Tensor gU = ctx.grad(0).narrow(-1, 0, k), gV = mH(ctx.grad(2).narrow(-2, 0, k));
      Tensor uhgu = matmul(mH(U), gU), vhgv = matmul(mH(V), gV);
      Tensor skew_u = sub(uhgu, mH(uhgu)), skew_v = sub(vhgv, mH(vhgv));
      Tensor s2 = mul(S, S);
      Tensor E = pairwise_differences(s2).to(U.dtype());
      Tensor Sc = S.to(U.dtype());
      Tensor inner = div(add(mul(skew_u, Sc.unsqueeze(-2)), mul(Sc.unsqueeze(-1), skew_v)), E);
      Tensor diag = gS.to(U.dtype());
      if (U.is_complex()) {
        // The phase term: i Im(diag(U^H gU)) / S (half the diagonal of the
        // skew part over S, as PyTorch).
        Tensor im = imag(uhgu.diagonal(0, -2, -1));
        diag = add(diag, i_times(div(im, S).to(U.dtype())));
      }
      inner = set_diagonal(inner, diag);
      Tensor gA = matmul(matmul(U, inner), mH(V));
      const int64_t m = U.size(-2), n = V.size(-2);
      if (m > k) {
        Tensor proj = sub(gU, matmul(U, uhgu));
        gA = add(gA, matmul(div(proj, Sc.unsqueeze(-2)), mH(V)));
      }
      if (n > k) {
        Tensor proj = sub(gV, matmul(V, vhgv));
        gA = add(gA, matmul(U, mH(div(proj, Sc.unsqueeze(-2)))));
      }
      return {gA};
    };
  });
}

void record_vector_norm(const Tensor& a, const Tensor& out, double ord, const DimVector& dims, bool keepdim) {
  autograd::record("LinalgVectorNormBackward0", {a}, out, [&] {
    return [ord, dims, keepdim, sa = SavedVariable(a, false), so = SavedVariable(out, true)](
               BackwardCtx& ctx) -> variable_list {
      Tensor x = ctx.unpack(sa), norm = ctx.unpack(so), g = ctx.grad();
      if (!keepdim) {
        DimVector sorted = dims;
        std::sort(sorted.begin(), sorted.end());
        for (int64_t d : sorted) g = g.unsqueeze(d), norm = norm.unsqueeze(d);
      }
      if (ord == 0) return {zeros_like(x, x.options())};
      Tensor ax = abs(x);
      Tensor sg = sgn(x);
      if (std::isinf(ord)) {
        // Ties at the extreme share the gradient.
        Tensor hit = eq(ax, norm).to(ax.dtype());
        Tensor count = dims.empty() ? hit : sum(hit, dims, true);
        return {mul(mul(sg, div(hit, count)), g)};
      }
      if (ord == 1) return {mul(sg, g)};
      // g * sgn(x) * (|x| / norm)^(p-1); zero where x or the norm is 0.
      Tensor scaled = pow(div(ax, norm), Scalar(ord - 1));
      Tensor r = mul(mul(sg, scaled), g);
      return {where(eq(norm, Scalar(0.0)), Scalar(0.0), r)};
    };
  });
}

void record_lstsq(const Tensor& a, const Tensor& b, const Tensor& x) {
  autograd::record("LinalgLstsqBackward0", {a, b}, x, [&] {
    return [sa = SavedVariable(a, false), sb = SavedVariable(b, false)](BackwardCtx& ctx) -> variable_list {
      // Differentiate pinv(A) @ B in a graph of its own.
      Tensor A = ctx.unpack(sa).detach(), B = ctx.unpack(sb).detach();
      A.set_requires_grad(true);
      B.set_requires_grad(true);
      bool create = autograd::GradMode::is_enabled();
      Tensor y;
      {
        autograd::AutoGradMode on(true);
        bool vec = B.dim() == A.dim() - 1;
        y = matmul(pinv(A), vec ? B.unsqueeze(-1) : B);
        if (vec) y = y.squeeze({-1});
      }
      return autograd::grad({y}, {A, B}, {ctx.grad()}, std::nullopt, create, true);
    };
  });
}

}  // namespace ember::linalg::grad
