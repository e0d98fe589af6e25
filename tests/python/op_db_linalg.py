"""Op table entries for the matrix products and ember.linalg (collected by
op_db.py). References are NumPy's on float64/complex128/int64 values.
Non-contiguous inputs: samples with ``t=True`` pass transposed views (the
reference transposes the same arrays)."""
import numpy as np

import ember
from op_db import COMPLEX, FLOATING, INTEGRAL, OpInfo, Sample

NUMERIC = INTEGRAL + FLOATING + COMPLEX
LAPACK = ["float32", "float64", "complex64", "complex128"]
# Products of K terms carry K roundings; decompositions amplify by the
# condition number (kept small by the samples).
PRODUCT_TOL = {"float32": 2e-5, "complex64": 2e-5, "float16": 4e-3, "bfloat16": 3e-2}
LAPACK_TOL = {"float32": 2e-4, "complex64": 2e-4, "float64": 1e-10, "complex128": 1e-10}
NORM_TOL = dict(LAPACK_TOL, float16=2e-3, bfloat16=1.6e-2)


def _vals(shape, dtype, rng, domain=(-2, 2)):
    from test_ops import make_values  # noqa: PLC0415
    return make_values(shape, dtype, rng, domain)


def _swap(x):
    return np.swapaxes(x, -1, -2)


def _mT(t):
    return t.mT if t.dim() >= 2 else t


# ---- products
_MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 1, 1, 3), (4, 3, 2)),
                  ((5, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
                  ((1, 1), (1, 1)), ((2, 3, 0, 4), (4, 5)), ((1, 4, 2), (3, 2, 5)), ((40, 70), (70, 30))]


def _matmul_samples(dtype, rng):
    out = [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng))) for sa, sb in _MATMUL_SHAPES]
    # Transposed (non-contiguous) operands.
    for sa, sb in [((3, 2), (4, 3)), ((2, 4, 3), (2, 5, 4)), ((0, 2), (3, 0))]:
        out.append(Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng)), {"t": True}))
    return out


def _matmul(a, b, t=False):
    return ember.matmul(_mT(a), _mT(b)) if t else ember.matmul(a, b)


def _matmul_ref(a, b, t=False):
    return np.matmul(_swap(a), _swap(b)) if t else np.matmul(a, b)


def _mm_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng)), {"t": t})
            for sa, sb, t in [((2, 3), (3, 4), False), ((0, 3), (3, 1), False), ((2, 0), (0, 2), False),
                              ((1, 1), (1, 1), False), ((3, 2), (4, 3), True)]]


def _bmm_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng)), {"t": t})
            for sa, sb, t in [((2, 2, 3), (2, 3, 4), False), ((0, 2, 3), (0, 3, 1), False),
                              ((3, 1, 1), (3, 1, 1), False), ((4, 3, 2), (4, 5, 3), True)]]


def _mv_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng))) for sa, sb in
            [((2, 3), (3,)), ((0, 3), (3,)), ((2, 0), (0,)), ((1, 1), (1,))]]


def _vec_pair_samples(dtype, rng):
    out = [Sample((_vals((n,), dtype, rng), _vals((n,), dtype, rng))) for n in (0, 1, 5, 40)]
    x = _vals((6,), dtype, rng)
    out.append(Sample((x, _vals((3,), dtype, rng)), {"t": True}))  # strided first operand
    return out


def _strided_first(fn, ref):
    return (lambda a, b, t=False: fn(a[::2] if t else a, b),
            lambda a, b, t=False: ref(a[::2] if t else a, b))


_dot, _dot_ref = _strided_first(ember.dot, np.dot)
_vdot, _vdot_ref = _strided_first(ember.vdot, np.vdot)
_outer, _outer_ref = _strided_first(ember.outer, np.outer)


def _inner_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng))) for sa, sb in
            [((3,), (3,)), ((2, 3), (4, 3)), ((2, 1, 3), (3,)), ((0, 2), (2,)), ((), (2, 3))]]


def _addmm_samples(dtype, rng):
    return [Sample((_vals(si, dtype, rng), _vals(sa, dtype, rng), _vals(sb, dtype, rng)), kw)
            for si, sa, sb, kw in [((2, 4), (2, 3), (3, 4), {}), ((4,), (2, 3), (3, 4), {"beta": 2, "alpha": 3}),
                                   ((1, 1), (0, 3), (3, 1), {}), ((2, 2), (2, 0), (0, 2), {"beta": 0})]]


def _addmm_ref(i, a, b, beta=1, alpha=1):
    return beta * i + alpha * (a @ b) if beta != 0 else alpha * (a @ b)


def _addmv_samples(dtype, rng):
    return [Sample((_vals(si, dtype, rng), _vals(sa, dtype, rng), _vals(sb, dtype, rng)), kw)
            for si, sa, sb, kw in [((2,), (2, 3), (3,), {}), ((1,), (2, 3), (3,), {"beta": 2, "alpha": 3}),
                                   ((0,), (0, 3), (3,), {})]]


def _baddbmm_samples(dtype, rng):
    return [Sample((_vals(si, dtype, rng), _vals(sa, dtype, rng), _vals(sb, dtype, rng)), kw)
            for si, sa, sb, kw in [((2, 2, 4), (2, 2, 3), (2, 3, 4), {}),
                                   ((4,), (3, 2, 3), (3, 3, 4), {"beta": 2, "alpha": 3}),
                                   ((0, 1, 1), (0, 1, 2), (0, 2, 1), {})]]


def _addbmm_samples(dtype, rng):
    return [Sample((_vals(si, dtype, rng), _vals(sa, dtype, rng), _vals(sb, dtype, rng)), kw)
            for si, sa, sb, kw in [((2, 4), (3, 2, 3), (3, 3, 4), {}),
                                   ((4,), (3, 2, 3), (3, 3, 4), {"beta": 2, "alpha": 3}),
                                   ((1, 1), (0, 1, 2), (0, 2, 1), {})]]


def _addbmm_ref(i, a, b, beta=1, alpha=1):
    return beta * i + alpha * np.einsum("bij,bjk->ik", a, b)


_EINSUM = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 1)]),
           ("ii", [(3, 3)]), ("ii->i", [(3, 3)]), ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]),
           ("i,j->ij", [(3,), (2,)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]),
           ("ij,ij->i", [(2, 3), (2, 3)]), ("iij->j", [(2, 2, 3)]), ("ijk,ikl,lm->jm", [(2, 3, 4), (2, 4, 2), (2, 3)]),
           ("a...,a...->...", [(3, 2), (3, 1)]), ("ij,jk->ik", [(0, 3), (3, 2)]), ("ij,jk->ik", [(2, 0), (0, 2)]),
           ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]), ("i,i", [(4,), (4,)])]


def _einsum_samples(dtype, rng):
    return [Sample((eq, *[_vals(s, dtype, rng) for s in shapes])) for eq, shapes in _EINSUM]


def _tensordot_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng)), {"dims": d}, {"axes": rd})
            for sa, sb, d, rd in [((2, 3, 4), (3, 4, 5), 2, 2), ((2, 3), (3, 2), 1, 1), ((2, 3), (4,), 0, 0),
                                  ((3, 4, 5), (4, 3), ([0, 1], [1, 0]), ([0, 1], [1, 0])),
                                  ((0, 3), (3, 2), 1, 1)]]


def _kron_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng))) for sa, sb in
            [((2, 3), (2, 2)), ((3,), (2,)), ((2, 1, 2), (3, 2)), ((0, 2), (2, 2)), ((), (3,))]]


def _trace_samples(dtype, rng):
    return [Sample((_vals(s, dtype, rng),)) for s in [(3, 3), (2, 4), (4, 2), (0, 3), (1, 1)]]


def _cross_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng)), kw, rkw)
            for sa, sb, kw, rkw in [((3,), (3,), {}, {}), ((2, 3), (1, 3), {"dim": 1}, {"axis": 1}),
                                    ((3, 2), (3, 2), {"dim": 0}, {"axis": 0}), ((0, 3), (0, 3), {}, {})]]


# ---- linalg
def _well_conditioned(shape, dtype, rng, spd=False):
    """A batch of matrices with a dominant diagonal (far from singular)."""
    a = _vals(shape, dtype, rng, (-1, 1))
    n = shape[-1]
    if spd:
        a = a @ np.conj(_swap(a)) + n * np.eye(n)
    else:
        a = a + (n + 1) * np.eye(n)
    return a


_SQUARE = [(3, 3), (2, 4, 4), (1, 1), (0, 0), (2, 0, 0), (3, 1, 2, 2), (0, 2, 2)]


def _square_samples(dtype, rng, spd=False):
    return [Sample((_well_conditioned(s, dtype, rng, spd),)) for s in _SQUARE]


def _solve_samples(dtype, rng):
    out = []
    for sa, sb in [((3, 3), (3, 2)), ((3, 3), (3,)), ((2, 3, 3), (3, 1)), ((2, 3, 3), (2, 3)), ((0, 0), (0, 2)),
                   ((1, 4, 4), (2, 4, 3))]:
        out.append(Sample((_well_conditioned(sa, dtype, rng), _vals(sb, dtype, rng))))
    return out


def _solve_ref(a, b):
    if b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1]):
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _general_samples(dtype, rng):
    return [Sample((_vals(s, dtype, rng),), kw) for s, kw in
            [((4, 3), {}), ((3, 4), {}), ((2, 5, 2), {}), ((1, 1), {}), ((3, 3), {})]]


def _qr_samples(dtype, rng):
    return [Sample((_vals(s, dtype, rng),), {"mode": m}) for s, m in
            [((4, 3), "reduced"), ((3, 4), "reduced"), ((4, 3), "complete"), ((2, 3, 2), "reduced"),
             ((3, 4), "complete"), ((1, 1), "reduced")]]


def _qr(a, mode):
    q, r = ember.linalg.qr(a, mode=mode)
    return q, r


def _qr_grad_samples(dtype, rng):
    # PyTorch has no derivative for mode='complete' with more rows than columns.
    return [s for s in _qr_samples(dtype, rng) if not (s.kwargs["mode"] == "complete" and s.args[0].shape[-2] > s.args[0].shape[-1])]


def _hermitian_part(a):
    """(A + A^H) / 2: the input LAPACK reads (one triangle) as a function of
    every element, so finite differences see what the gradient describes.
    Other dtypes pass through, so the op's own dtype error is what shows."""
    if not (a.is_floating_point() or a.is_complex()):
        return a
    return (a + a.mT.conj()) * 0.5


def _hermitian_part_ref(a):
    if a.dtype.kind not in "fc":
        return a
    return (a + np.swapaxes(a, -1, -2).conj()) * 0.5


def _eigh_invariant(a):
    """Eigenvalues and |V|^2: the gradient of a function that does not
    depend on the phase of each eigenvector (gradcheck needs one)."""
    a = a + a.mT.conj()  # Hermitian
    w, v = ember.linalg.eigh(a)
    return w, (v * v.conj()).real


def _eigh_invariant_ref(a):
    a = a + np.swapaxes(a, -1, -2).conj()
    w, v = np.linalg.eigh(a)
    return w, (v * v.conj()).real


def _svd_invariant(a, full_matrices=False):
    u, s, vh = ember.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    return s, (u[..., :k] * u[..., :k].conj()).real, (vh[..., :k, :] * vh[..., :k, :].conj()).real


def _svd_invariant_ref(a, full_matrices=False):
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    return s, (u[..., :k] * u[..., :k].conj()).real, (vh[..., :k, :] * vh[..., :k, :].conj()).real


def _svd_samples(dtype, rng):
    return [Sample((_vals(s, dtype, rng),), kw) for s, kw in
            [((3, 3), {}), ((4, 2), {}), ((2, 4), {}), ((2, 3, 2), {}), ((4, 3), {"full_matrices": True})]]


def _lstsq_samples(dtype, rng):
    return [Sample((_vals(sa, dtype, rng), _vals(sb, dtype, rng))) for sa, sb in
            [((5, 3), (5, 2)), ((4, 4), (4, 1)), ((2, 6, 3), (2, 6, 2))]]


def _lstsq_ref(a, b):
    return np.linalg.pinv(a) @ b


def _matrix_power_samples(dtype, rng):
    out = [Sample((_vals(s, dtype, rng, (-1, 1)), n)) for s, n in [((3, 3), 0), ((3, 3), 1), ((2, 3, 3), 3),
                                                                   ((2, 2), 5), ((0, 0), 2)]]
    if dtype in LAPACK:
        out.append(Sample((_well_conditioned((2, 3, 3), dtype, rng), -2)))
    return out


def _matrix_power_ref(a, n):
    return np.linalg.matrix_power(a, n)


_NORM_SHAPES = [(3,), (2, 3), (2, 3, 4), (0,), (1, 1)]


def _vector_norm_samples(dtype, rng):
    out = []
    for ord_ in [2, 1, np.inf, -np.inf, 0, 3, 0.5]:
        for s in _NORM_SHAPES:
            if 0 in s and (ord_ < 0 or ord_ == np.inf):
                continue
            out.append(Sample((_vals(s, dtype, rng),), {"ord": ord_}))
    out.append(Sample((_vals((2, 3, 4), dtype, rng),), {"ord": 2, "dim": (0, 2), "keepdim": True}))
    out.append(Sample((_vals((2, 3, 4), dtype, rng),), {"ord": 1, "dim": -1}))
    return out


def _vector_norm_ref(x, ord=2, dim=None, keepdim=False):
    if dim is None:
        x = x.reshape(-1)
        dim = 0
    dims = dim if isinstance(dim, tuple) else (dim,)
    # Move the reduced dims last and flatten them.
    rest = [i for i in range(x.ndim) if i not in [d % x.ndim for d in dims]]
    y = np.transpose(x, rest + [d % x.ndim for d in dims]).reshape([x.shape[i] for i in rest] + [-1])
    r = np.linalg.norm(y, ord=ord, axis=-1) if y.shape[-1] else np.zeros(y.shape[:-1])
    if keepdim:
        r = np.expand_dims(r, tuple(d % x.ndim for d in dims))
    return r


def _matrix_norm_samples(dtype, rng):
    out = []
    # The singular-value norms need LAPACK, which has no half precision.
    svd_ords = ["nuc", 2, -2] if dtype in LAPACK else []
    for ord_ in ["fro", 1, -1, np.inf, -np.inf] + svd_ords:
        for s in [(3, 3), (2, 3, 4), (1, 1), (4, 2)]:
            out.append(Sample((_vals(s, dtype, rng),), {"ord": ord_}))
    out.append(Sample((_vals((3, 2, 4), dtype, rng),), {"ord": 1, "dim": (0, 2), "keepdim": True}))
    return out


def _matrix_norm_ref(a, ord="fro", dim=(-2, -1), keepdim=False):
    return np.linalg.norm(a, ord=ord, axis=dim, keepdims=keepdim)


def _norm_samples(dtype, rng):
    cases = [((3,), {}), ((2, 3), {}), ((2, 3, 4), {}), ((2, 3), {"ord": 1}), ((3,), {"ord": np.inf}),
             ((2, 3, 4), {"ord": 2, "dim": 1}), ((2, 3, 4), {"dim": (1, 2)})]
    if dtype in LAPACK:
        cases.append(((2, 3), {"ord": "nuc"}))
    return [Sample((_vals(s, dtype, rng),), kw) for s, kw in cases]


def _norm_ref(a, ord=None, dim=None, keepdim=False):
    if dim is None and ord is None:
        return np.linalg.norm(a.reshape(-1))
    return np.linalg.norm(a, ord=ord, axis=dim, keepdims=keepdim)


def _slogdet_ref(a):
    s, l = np.linalg.slogdet(a)
    return s, l


def _pinv_samples(dtype, rng):
    out = _general_samples(dtype, rng)
    sym = _vals((3, 3), dtype, rng)
    out.append(Sample((sym + np.conj(sym.T),), {"hermitian": True}))
    # Rank-deficient: the cut-off matters.
    u = _vals((4, 1), dtype, rng)
    out.append(Sample((u @ np.conj(u.T) * 1.0,)))
    return out


def _pinv_ref(a, hermitian=False):
    return np.linalg.pinv(a, hermitian=hermitian)


def _rank_samples(dtype, rng):
    u = _vals((5, 2), dtype, rng)
    return _general_samples(dtype, rng) + [Sample((u @ np.conj(u.T),)), Sample((np.zeros((3, 3)),))]


OPS = [
    OpInfo("matmul", _matmul, _matmul_ref, NUMERIC, sample_inputs=_matmul_samples, rtol=PRODUCT_TOL),
    OpInfo("mm", lambda a, b, t=False: ember.mm(_mT(a), _mT(b)) if t else ember.mm(a, b),
           _matmul_ref, NUMERIC, sample_inputs=_mm_samples, rtol=PRODUCT_TOL),
    OpInfo("bmm", lambda a, b, t=False: ember.bmm(_mT(a), _mT(b)) if t else ember.bmm(a, b),
           _matmul_ref, NUMERIC, sample_inputs=_bmm_samples, rtol=PRODUCT_TOL),
    OpInfo("mv", ember.mv, np.matmul, NUMERIC, sample_inputs=_mv_samples, rtol=PRODUCT_TOL),
    OpInfo("dot", _dot, _dot_ref, NUMERIC, sample_inputs=_vec_pair_samples, rtol=PRODUCT_TOL),
    OpInfo("vdot", _vdot, _vdot_ref, NUMERIC, sample_inputs=_vec_pair_samples, rtol=PRODUCT_TOL),
    OpInfo("outer", _outer, _outer_ref, NUMERIC + ["bool"], sample_inputs=_vec_pair_samples, rtol=PRODUCT_TOL),
    OpInfo("inner", ember.inner, np.inner, NUMERIC, sample_inputs=_inner_samples, rtol=PRODUCT_TOL),
    OpInfo("addmm", ember.addmm, _addmm_ref, NUMERIC, sample_inputs=_addmm_samples, rtol=PRODUCT_TOL),
    OpInfo("addmv", ember.addmv, _addmm_ref, NUMERIC, sample_inputs=_addmv_samples, rtol=PRODUCT_TOL),
    OpInfo("baddbmm", ember.baddbmm, _addmm_ref, NUMERIC, sample_inputs=_baddbmm_samples, rtol=PRODUCT_TOL),
    OpInfo("addbmm", ember.addbmm, _addbmm_ref, NUMERIC, sample_inputs=_addbmm_samples, rtol=PRODUCT_TOL),
    OpInfo("einsum", ember.einsum, np.einsum, NUMERIC, sample_inputs=_einsum_samples, rtol=PRODUCT_TOL),
    OpInfo("tensordot", ember.tensordot, np.tensordot, NUMERIC, sample_inputs=_tensordot_samples,
           rtol=PRODUCT_TOL),
    OpInfo("kron", ember.kron, np.kron, NUMERIC + ["bool"], sample_inputs=_kron_samples, rtol=PRODUCT_TOL),
    OpInfo("trace", ember.trace, lambda a: np.asarray(np.trace(a)), NUMERIC + ["bool"], sample_inputs=_trace_samples,
           rtol=PRODUCT_TOL),
    OpInfo("cross", ember.cross, np.cross, NUMERIC, sample_inputs=_cross_samples, rtol=PRODUCT_TOL),
    OpInfo("linalg.cross", ember.linalg.cross, np.cross, NUMERIC, sample_inputs=_cross_samples, rtol=PRODUCT_TOL),
    OpInfo("linalg.det", ember.linalg.det, np.linalg.det, LAPACK, sample_inputs=_square_samples, rtol=LAPACK_TOL),
    OpInfo("linalg.slogdet", ember.linalg.slogdet, _slogdet_ref, LAPACK, sample_inputs=_square_samples,
           rtol=LAPACK_TOL),
    OpInfo("linalg.inv", ember.linalg.inv, np.linalg.inv, LAPACK, sample_inputs=_square_samples, rtol=LAPACK_TOL),
    OpInfo("linalg.solve", ember.linalg.solve, _solve_ref, LAPACK, sample_inputs=_solve_samples, rtol=LAPACK_TOL),
    OpInfo("linalg.cholesky", lambda a: ember.linalg.cholesky(_hermitian_part(a)),
           lambda a: np.linalg.cholesky(_hermitian_part_ref(a)), LAPACK,
           sample_inputs=lambda d, r: _square_samples(d, r, spd=True), rtol=LAPACK_TOL),
    OpInfo("linalg.qr", _qr, np.linalg.qr, LAPACK, sample_inputs=_qr_samples, rtol=LAPACK_TOL,
           grad_samples=_qr_grad_samples),
    OpInfo("linalg.eigh", _eigh_invariant, _eigh_invariant_ref, LAPACK, sample_inputs=_square_samples,
           rtol=LAPACK_TOL),
    OpInfo("linalg.svd", _svd_invariant, _svd_invariant_ref, LAPACK, sample_inputs=_svd_samples, rtol=LAPACK_TOL),
    OpInfo("linalg.eigvalsh", lambda a: ember.linalg.eigvalsh(_hermitian_part(a)),
           lambda a: np.linalg.eigvalsh(_hermitian_part_ref(a)), LAPACK,
           sample_inputs=lambda d, r: _square_samples(d, r, spd=True), rtol=LAPACK_TOL),
    OpInfo("linalg.svdvals", ember.linalg.svdvals, lambda a: np.linalg.svd(a, compute_uv=False), LAPACK,
           sample_inputs=_general_samples, rtol=LAPACK_TOL),
    # Gradients: the pseudo-inverse is not differentiable where the rank
    # changes (the rank-deficient sample), and hermitian=True reads one
    # triangle; the general samples are checked.
    OpInfo("linalg.pinv", ember.linalg.pinv, _pinv_ref, LAPACK, sample_inputs=_pinv_samples, rtol=LAPACK_TOL,
           grad_samples=_general_samples),
    OpInfo("linalg.matrix_rank", ember.linalg.matrix_rank, np.linalg.matrix_rank, LAPACK,
           sample_inputs=_rank_samples, differentiable=False),
    # The backward differentiates pinv(A) @ B in a graph of its own, so it is
    # not itself differentiable: no second derivatives.
    OpInfo("linalg.lstsq", lambda a, b: ember.linalg.lstsq(a, b).solution, _lstsq_ref, LAPACK,
           sample_inputs=_lstsq_samples, rtol=LAPACK_TOL, check_gradgrad=False),
    OpInfo("linalg.matrix_power", ember.linalg.matrix_power, _matrix_power_ref, NUMERIC,
           sample_inputs=_matrix_power_samples, rtol=PRODUCT_TOL),
    OpInfo("linalg.vector_norm", ember.linalg.vector_norm, _vector_norm_ref, FLOATING + COMPLEX,
           sample_inputs=_vector_norm_samples, rtol=NORM_TOL),
    OpInfo("linalg.matrix_norm", ember.linalg.matrix_norm, _matrix_norm_ref, FLOATING + COMPLEX,
           sample_inputs=_matrix_norm_samples, rtol=NORM_TOL),
    OpInfo("linalg.norm", ember.linalg.norm, _norm_ref, FLOATING + COMPLEX, sample_inputs=_norm_samples, rtol=NORM_TOL),
]
