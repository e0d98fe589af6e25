"""Linear algebra beyond the op table: decomposition properties (sign
independent), error messages, the BLAS thread setting, large products."""
import numpy as np
import pytest

import ember
import ember.linalg as LA

RNG = np.random.default_rng(1234)
DTYPES = [("float32", 1e-4), ("float64", 1e-10), ("complex64", 1e-4), ("complex128", 1e-10)]


def rand(shape, dtype):
    x = RNG.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * RNG.standard_normal(shape)
    return ember.tensor(x, dtype=getattr(ember, dtype))


def np_of(t):
    return t.to(ember.complex128 if t.is_complex() else ember.float64).numpy()


def eye_like(n, batch=()):
    return np.broadcast_to(np.eye(n), batch + (n, n))


def herm(x):
    return np.conj(np.swapaxes(x, -1, -2))


# ---- decompositions
@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (0, 3), (1, 1)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_properties(dtype, tol, shape, mode):
    a = rand(shape, dtype)
    q, r = LA.qr(a, mode=mode)
    qn, rn, an = np_of(q), np_of(r), np_of(a)
    k = q.shape[-1]
    np.testing.assert_allclose(herm(qn) @ qn, eye_like(k, shape[:-2]), atol=tol * 10)
    np.testing.assert_allclose(qn @ rn, an, atol=tol * 10)
    np.testing.assert_allclose(np.tril(rn, -1), 0)  # R upper triangular
    assert q.shape[-2:] == (shape[-2], shape[-2] if mode == "complete" else min(shape[-2:]))


def test_qr_mode_r_and_named_tuple():
    a = rand((4, 3), "float64")
    res = LA.qr(a, mode="r")
    assert res.Q.numel() == 0
    np.testing.assert_allclose(np.abs(res.R.numpy()), np.abs(np.linalg.qr(a.numpy(), mode="r")), atol=1e-12)
    with pytest.raises(RuntimeError, match="unrecognized mode"):
        LA.qr(a, mode="bad")


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (1, 1), (0, 2)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_properties(dtype, tol, shape, full):
    a = rand(shape, dtype)
    u, s, vh = LA.svd(a, full_matrices=full)
    un, sn, vhn, an = np_of(u), np_of(s), np_of(vh), np_of(a)
    k = min(shape[-2:])
    assert s.dtype == (ember.float32 if dtype in ("float32", "complex64") else ember.float64)
    assert np.all(sn >= 0) and np.all(np.diff(sn, axis=-1) <= 0)
    np.testing.assert_allclose(un[..., :k] * sn[..., None, :] @ vhn[..., :k, :], an, atol=tol * 10)
    np.testing.assert_allclose(herm(un) @ un, eye_like(un.shape[-1], shape[:-2]), atol=tol * 10)
    np.testing.assert_allclose(vhn @ herm(vhn), eye_like(vhn.shape[-2], shape[:-2]), atol=tol * 10)
    np.testing.assert_allclose(sn, np.linalg.svd(an, compute_uv=False), atol=tol * 10)


def test_torch_svd_returns_v():
    a = rand((4, 3), "complex128")
    u, s, v = ember.svd(a)
    np.testing.assert_allclose(np_of(u) * np_of(s) @ herm(np_of(v)), np_of(a), atol=1e-12)
    u, s, v = ember.svd(a, some=False)
    assert u.shape == (4, 4) and v.shape == (3, 3)


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_residuals(dtype, tol, uplo):
    x = np_of(rand((3, 4, 4), dtype))
    sym = x + herm(x)
    # Only the chosen triangle is read: garbage in the other must not matter.
    garbage = np.triu(x, 1) * 100 if uplo == "L" else np.tril(x, -1) * 100
    a = ember.tensor((np.tril(sym) if uplo == "L" else np.triu(sym)) + garbage, dtype=getattr(ember, dtype))
    w, v = LA.eigh(a, UPLO=uplo)
    wn, vn = np_of(w), np_of(v)
    np.testing.assert_allclose(sym @ vn, vn * wn[..., None, :], atol=tol * 100)
    np.testing.assert_allclose(herm(vn) @ vn, eye_like(4, (3,)), atol=tol * 10)
    np.testing.assert_allclose(np_of(LA.eigvalsh(a, UPLO=uplo)), np.linalg.eigvalsh(sym), atol=tol * 100)


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reconstructs(dtype, tol, upper):
    x = np_of(rand((2, 4, 4), dtype))
    spd = x @ herm(x) + 4 * np.eye(4)
    c = np_of(LA.cholesky(ember.tensor(spd, dtype=getattr(ember, dtype)), upper=upper))
    recon = herm(c) @ c if upper else c @ herm(c)
    np.testing.assert_allclose(recon, spd, rtol=tol * 10, atol=tol * 10)
    assert np.allclose(np.tril(c, -1) if upper else np.triu(c, 1), 0)


@pytest.mark.parametrize("dtype,tol", DTYPES)
def test_solve_residuals_left_and_right(dtype, tol):
    a = np_of(rand((2, 3, 3), dtype)) + 3 * np.eye(3)
    b = np_of(rand((2, 3, 2), dtype))
    ea, eb = (ember.tensor(v, dtype=getattr(ember, dtype)) for v in (a, b))
    x = np_of(LA.solve(ea, eb))
    np.testing.assert_allclose(a @ x, b, atol=tol * 10)
    bt = np.swapaxes(b, -1, -2).copy()
    xr = np_of(LA.solve(ea, ember.tensor(bt, dtype=getattr(ember, dtype)), left=False))
    np.testing.assert_allclose(xr @ a, bt, atol=tol * 10)


def test_lstsq_against_numpy():
    a, b = RNG.standard_normal((6, 3)), RNG.standard_normal((6, 2))
    res = LA.lstsq(ember.tensor(a), ember.tensor(b))
    x, resid, rank, sv = np.linalg.lstsq(a, b, rcond=None)
    np.testing.assert_allclose(res.solution.numpy(), x, atol=1e-12)
    np.testing.assert_allclose(res.residuals.numpy(), resid, atol=1e-12)
    assert res.rank.item() == rank == 3
    np.testing.assert_allclose(res.singular_values.numpy(), sv, atol=1e-12)
    # Rank-deficient: no residuals, the minimum-norm solution.
    a2 = np.outer(RNG.standard_normal(5), RNG.standard_normal(3))
    res2 = LA.lstsq(ember.tensor(a2), ember.tensor(b[:5]))
    assert res2.rank.item() == 1 and res2.residuals.numel() == 0
    np.testing.assert_allclose(res2.solution.numpy(), np.linalg.pinv(a2) @ b[:5], atol=1e-10)


def test_det_slogdet_singular_and_signs():
    s = ember.tensor([[1.0, 2.0], [2.0, 4.0]])
    assert LA.det(s).item() == 0
    sign, logabs = LA.slogdet(s)
    assert sign.item() == 0 and logabs.item() == -np.inf
    p = ember.tensor([[0.0, 1.0], [1.0, 0.0]])  # a permutation: det -1
    assert LA.det(p).item() == -1 and ember.det(p).item() == -1
    r = LA.slogdet(ember.tensor([[2.0, 0.0], [0.0, -3.0]], dtype=ember.float64))
    assert r.sign.item() == -1 and abs(r.logabsdet.item() - np.log(6)) < 1e-12
    c = np.array([[1 + 1j, 2], [0, 1j]])
    np.testing.assert_allclose(LA.det(ember.tensor(c)).numpy(), np.linalg.det(c), atol=1e-12)


def test_inv_ex_and_top_level_forms():
    a = np.array([[4.0, 1.0], [2.0, 3.0]])
    inv, info = LA.inv_ex(ember.tensor(np.stack([a, np.zeros((2, 2))])))
    assert info.tolist() == [0, 1]
    np.testing.assert_allclose(inv[0].numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(ember.inverse(ember.tensor(a)).numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(ember.tensor(a).inverse().numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(ember.pinverse(ember.tensor(a[:, :1])).numpy(), np.linalg.pinv(a[:, :1]))
    np.testing.assert_allclose(ember.tensor(a).det().item(), np.linalg.det(a))
    np.testing.assert_allclose(ember.tensor(a).matrix_power(-1).numpy(), np.linalg.inv(a))


def test_matrix_rank_tolerances_and_pinv_hermitian():
    a = np.diag([1.0, 1e-3, 1e-9])
    # Default cut-off: eps * max(m, n) * largest singular value, as NumPy.
    assert LA.matrix_rank(ember.tensor(a)).item() == np.linalg.matrix_rank(a) == 3
    assert LA.matrix_rank(ember.tensor(a), atol=1e-2).item() == 1
    assert LA.matrix_rank(ember.tensor(a), atol=1e-6).item() == 2
    assert LA.matrix_rank(ember.tensor(a), rtol=1e-6).item() == 2
    assert LA.matrix_rank(ember.tensor(a), hermitian=True, atol=1e-6).item() == 2
    h = np.array([[2.0, 1.0], [1.0, -3.0]])
    np.testing.assert_allclose(LA.pinv(ember.tensor(h), hermitian=True).numpy(), np.linalg.inv(h), atol=1e-12)


def test_norms_against_numpy():
    x = RNG.standard_normal((3, 4))
    t = ember.tensor(x)
    assert abs(LA.norm(t).item() - np.linalg.norm(x)) < 1e-12
    assert abs(ember.norm(t).item() - np.linalg.norm(x)) < 1e-12
    assert abs(t.norm(p=1).item() - np.abs(x).sum()) < 1e-12
    np.testing.assert_allclose(ember.norm(t, dim=1).numpy(), np.linalg.norm(x, axis=1))
    np.testing.assert_allclose(LA.vector_norm(t, ord=0).item(), 12)
    big = ember.tensor([1e200, 1e200], dtype=ember.float64)  # no overflow in the 2-norm
    assert abs(LA.vector_norm(big).item() / (np.sqrt(2) * 1e200) - 1) < 1e-12
    with pytest.raises(RuntimeError, match="empty tensor"):
        LA.vector_norm(ember.zeros(0), ord=float("inf"))


def test_linalg_cross_broadcast_and_default_dim():
    a, b = RNG.standard_normal((4, 3)), RNG.standard_normal((3,))
    np.testing.assert_allclose(LA.cross(ember.tensor(a), ember.tensor(b)).numpy(), np.cross(a, b))
    c, d = RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2))
    np.testing.assert_allclose(ember.cross(ember.tensor(c), ember.tensor(d)).numpy(), np.cross(c, d, axis=0))


# ---- errors
def test_error_messages():
    with pytest.raises(RuntimeError, match=r"The diagonal element 2 is zero, the inversion could not be completed "
                                           r"because the input matrix is singular\."):
        LA.inv(ember.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(RuntimeError, match=r"\(Batch element 1\): The diagonal element 1 is zero"):
        LA.inv(ember.tensor(np.stack([np.eye(2), np.zeros((2, 2))])))
    with pytest.raises(RuntimeError, match=r"linalg.cholesky: The factorization could not be completed because the "
                                           r"input is not positive-definite \(the leading minor of order 2 is not "
                                           r"positive-definite\)\."):
        LA.cholesky(ember.tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(TypeError, match="linalg.inv: Expected a floating point or complex tensor as input. Got Long"):
        LA.inv(ember.tensor([[1, 2], [3, 4]]))
    with pytest.raises(RuntimeError, match="must be batches of square matrices, but they are 2 by 3 matrices"):
        LA.det(ember.ones(2, 3))
    with pytest.raises(RuntimeError, match="must have at least 2 dimensions"):
        LA.svd(ember.ones(3))
    with pytest.raises(RuntimeError, match="input matrix is singular"):
        LA.solve(ember.zeros(2, 2), ember.ones(2))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        ember.mm(ember.ones(2, 3), ember.ones(4, 5))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        ember.ones(2, 3) @ ember.ones(4, 5)
    with pytest.raises(RuntimeError, match="need to be at least 1D, but they are 0D and 2D"):
        ember.matmul(ember.tensor(1.0), ember.ones(2, 2))
    with pytest.raises(RuntimeError, match="same dtype"):
        ember.matmul(ember.ones(2, 2), ember.ones(2, 2, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="1D tensors expected, but got 2D and 1D tensors"):
        ember.dot(ember.ones(2, 2), ember.ones(2))
    with pytest.raises(RuntimeError, match=r"batch1 must be a 3D tensor"):
        ember.bmm(ember.ones(2, 2), ember.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="size mismatch"):
        ember.mv(ember.ones(2, 3), ember.ones(4))
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        ember.matmul(ember.ones(2, 2, 3), ember.ones(4, 3, 2))
    with pytest.raises(TypeError, match="bool"):
        ember.mm(ember.ones(2, 2, dtype=ember.bool), ember.ones(2, 2, dtype=ember.bool))
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        ember.tensordot(ember.ones(2, 3), ember.ones(4, 2), dims=1)
    with pytest.raises(RuntimeError, match="expected a matrix"):
        ember.trace(ember.ones(2, 2, 2))


def test_einsum_errors_and_implicit_order():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 4))
    # Implicit output: subscripts seen once, in ASCII order (upper case first).
    np.testing.assert_allclose(ember.einsum("Ab,bc", ember.tensor(a), ember.tensor(b)).numpy(), a @ b)
    np.testing.assert_allclose(ember.einsum("ba", ember.tensor(a)).numpy(), a.T)
    np.testing.assert_allclose(ember.einsum("ij,jk->ik", [ember.tensor(a), ember.tensor(b)]).numpy(), a @ b)
    with pytest.raises(RuntimeError, match="does not match the number of dimensions"):
        ember.einsum("ijk", ember.tensor(a))
    with pytest.raises(RuntimeError, match="more operands were provided"):
        ember.einsum("ij", ember.tensor(a), ember.tensor(a))
    with pytest.raises(RuntimeError, match="output subscript k does not appear"):
        ember.einsum("ij->k", ember.tensor(a))
    with pytest.raises(RuntimeError, match="invalid subscript"):
        ember.einsum("i1", ember.tensor(a))
    with pytest.raises(RuntimeError, match="does not broadcast"):
        ember.einsum("ij,ij->ij", ember.tensor(a), ember.tensor(b))


# ---- products: big, threaded, batched, integer, half
def test_blas_threads_restored_and_large_matmul():
    old = ember.get_num_threads()
    try:
        ember.set_num_threads(2)
        a, b = RNG.standard_normal((1000, 1000)), RNG.standard_normal((1000, 1000))
        assert ember._C._blas_num_threads() == 1
        c = ember.matmul(ember.tensor(a), ember.tensor(b))
        assert ember._C._blas_num_threads() == 1  # back to 1 after the call
        np.testing.assert_allclose(c.numpy(), a @ b, rtol=1e-10, atol=1e-10)
    finally:
        ember.set_num_threads(old)


def test_batched_and_integer_and_half_products():
    a, b = RNG.standard_normal((64, 8, 9)), RNG.standard_normal((64, 9, 7))
    np.testing.assert_allclose(ember.bmm(ember.tensor(a), ember.tensor(b)).numpy(), a @ b, rtol=1e-12)
    x, y = RNG.integers(-50, 50, (70, 80)), RNG.integers(-50, 50, (80, 60))
    np.testing.assert_array_equal(ember.mm(ember.tensor(x), ember.tensor(y)).numpy(), x @ y)
    h = ember.tensor(a[0], dtype=ember.float16) @ ember.tensor(b[0], dtype=ember.float16)
    assert h.dtype == ember.float16
    ref = a[0].astype(np.float16).astype(np.float32) @ b[0].astype(np.float16).astype(np.float32)
    np.testing.assert_allclose(h.to(ember.float32).numpy(), ref, rtol=2e-3, atol=2e-3)


def test_out_and_operators():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 4))
    out = ember.empty(2, 4, dtype=ember.float64)
    r = ember.matmul(ember.tensor(a), ember.tensor(b), out=out)
    np.testing.assert_allclose(out.numpy(), a @ b)
    np.testing.assert_allclose(r.numpy(), a @ b)
    out.zero_()
    ember.mm(ember.tensor(a), ember.tensor(b), out=out)
    np.testing.assert_allclose(out.numpy(), a @ b)
    t = ember.tensor(a)
    t2 = ember.tensor(b)
    c = RNG.standard_normal((5, 2))
    np.testing.assert_allclose(t.__rmatmul__(ember.tensor(c)).numpy(), c @ a)
    np.testing.assert_allclose((t @ t2).numpy(), a @ b)
    assert t.__matmul__(3) is NotImplemented


def test_import_forms():
    from ember.linalg import norm  # noqa: PLC0415
    assert norm is LA.norm and ember.linalg is LA


def test_non_finite_and_logdet():
    with pytest.raises(RuntimeError, match="non-finite values"):
        LA.svdvals(ember.tensor([[float("nan"), 1.0], [1.0, 1.0]]))
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    assert abs(ember.logdet(ember.tensor(a)).item() - np.log(np.linalg.det(a))) < 1e-6
    assert np.isnan(ember.logdet(ember.tensor([[0.0, 1.0], [1.0, 0.0]])).item())  # negative det
