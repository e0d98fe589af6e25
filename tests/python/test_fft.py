"""ember.fft beyond the op table: round trips, Parseval, hand-computed
values, output dtypes, the engine's plans (every length O(n log n)), errors
and the frequency helpers. Values are compared with numpy.fft."""
import numpy as np
import pytest

import ember

F = ember.fft
ALLOWED_RADICES = {2, 3, 4, 5, 7, 11, 13}


def _c128(t):
    return t.to(ember.complex128).numpy()


def _rand(shape, rng, complex_=True):
    x = rng.standard_normal(shape)
    return x + 1j * rng.standard_normal(shape) if complex_ else x


# ---- values worked out by hand

def test_fft_of_small_sequences_by_hand():
    got = _c128(F.fft(ember.tensor([1.0, 2.0, 3.0, 4.0], dtype=ember.float64)))
    np.testing.assert_allclose(got, [10, -2 + 2j, -2, -2 - 2j], atol=1e-14)
    # An impulse has a flat spectrum; a constant has all its energy at 0.
    np.testing.assert_allclose(_c128(F.fft(ember.tensor([1.0, 0, 0, 0, 0]))), np.ones(5), atol=1e-6)
    np.testing.assert_allclose(_c128(F.fft(ember.ones(3))), [3, 0, 0], atol=1e-6)
    # exp(2 pi i k/7) has its single peak at frequency 1 (height 7).
    k = np.arange(7)
    spec = _c128(F.fft(ember.tensor(np.exp(2j * np.pi * k / 7))))
    np.testing.assert_allclose(spec, 7 * (k == 1), atol=1e-12)
    np.testing.assert_allclose(F.irfft(ember.tensor([4.0, 0.0, 0.0])).numpy(), [1, 1, 1, 1], atol=1e-6)


# ---- round trips and Parseval

@pytest.mark.parametrize("n", [1, 2, 3, 7, 12, 17, 97, 210, 1024, 4097, 10007])
def test_round_trips(n):
    rng = np.random.default_rng(n)
    x = _rand((3, n), rng)
    t = ember.tensor(x)
    np.testing.assert_allclose(_c128(F.ifft(F.fft(t))), x, atol=1e-11)
    np.testing.assert_allclose(_c128(F.fft(F.ifft(t, norm="forward"), norm="forward")), x, atol=1e-11)
    r = ember.tensor(x.real)
    np.testing.assert_allclose(F.irfft(F.rfft(r), n=n).numpy(), x.real, atol=1e-11)
    np.testing.assert_allclose(F.hfft(F.ihfft(r), n=n).numpy(), x.real, atol=1e-11)
    # Hermitian n-D pair: hfftn undoes ihfftn.
    y = rng.standard_normal((3, n))
    np.testing.assert_allclose(F.hfftn(F.ihfftn(ember.tensor(y)), s=(3, n)).numpy(), y, atol=1e-11)
    # float32: the same round trip to single precision.
    t32 = t.to(ember.complex64)
    np.testing.assert_allclose(_c128(F.ifft(F.fft(t32))), x, atol=2e-5 * np.sqrt(np.log2(n + 1)) + 1e-5)


@pytest.mark.parametrize("n", [5, 64, 1000, 4097])
def test_parseval(n):
    rng = np.random.default_rng(1)
    x = _rand((n,), rng)
    X = _c128(F.fft(ember.tensor(x)))
    np.testing.assert_allclose(np.sum(np.abs(X) ** 2) / n, np.sum(np.abs(x) ** 2), rtol=1e-12)
    Xo = _c128(F.fft(ember.tensor(x), norm="ortho"))
    np.testing.assert_allclose(np.sum(np.abs(Xo) ** 2), np.sum(np.abs(x) ** 2), rtol=1e-12)


@pytest.mark.parametrize("n", [2 ** 16, 3 ** 9, 10007, 2 * 9973])
def test_large_lengths_match_numpy(n):
    rng = np.random.default_rng(2)
    x = _rand((n,), rng)
    got = _c128(F.fft(ember.tensor(x)))
    ref = np.fft.fft(x)
    assert np.abs(got - ref).max() <= 1e-12 * np.abs(ref).max()


def test_many_short_rows_run_in_parallel_and_match_numpy():
    rng = np.random.default_rng(3)
    x = _rand((5000, 24), rng)  # crosses the parallel grain
    np.testing.assert_allclose(_c128(F.fft(ember.tensor(x))), np.fft.fft(x), atol=1e-11)
    np.testing.assert_allclose(_c128(F.fft(ember.tensor(x), dim=0)), np.fft.fft(x, axis=0), atol=1e-9)


# ---- plans: every length is O(n log n)

def test_every_length_up_to_3000_has_a_fast_plan():
    for n in range(1, 3001):
        info = ember._C._fft_plan_info(n)
        radices = info["radices"]
        assert set(radices) <= ALLOWED_RADICES, (n, radices)
        inner = info["inner_n"] if info["bluestein"] else n
        assert int(np.prod(radices, dtype=np.int64)) == inner, (n, info)
        if info["bluestein"]:
            # A power of two long enough for the linear convolution, no longer.
            assert inner & (inner - 1) == 0 and 2 * n - 1 <= inner < 4 * n, (n, info)
            assert set(radices) <= {2, 4}
            # Only lengths with a prime factor above the largest radix.
            m = n
            for p in (2, 3, 5, 7, 11, 13):
                while m % p == 0:
                    m //= p
            assert m > 1, n
        else:
            assert info["inner_n"] == 0


def test_plan_info_examples():
    assert ember._C._fft_plan_info(1) == {"radices": [], "bluestein": False, "inner_n": 0}
    assert sorted(ember._C._fft_plan_info(1000)["radices"]) == [2, 4, 5, 5, 5]
    info = ember._C._fft_plan_info(97)
    assert info["bluestein"] and info["inner_n"] == 256
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        ember._C._fft_plan_info(0)
    with pytest.raises(RuntimeError, match="more than the"):
        ember._C._fft_plan_info(2 ** 62 - 1)  # would overflow the Bluestein length


# ---- dtypes

@pytest.mark.parametrize("dtype,out", [("float32", "complex64"), ("float64", "complex128"),
                                       ("float16", "complex64"), ("bfloat16", "complex64"),
                                       ("int64", "complex64"), ("uint8", "complex64"), ("bool", "complex64"),
                                       ("complex64", "complex64"), ("complex128", "complex128")])
def test_output_dtypes(dtype, out):
    x = ember.ones(4, dtype=getattr(ember, dtype))
    assert F.fft(x).dtype == getattr(ember, out)
    assert F.ifftn(x).dtype == getattr(ember, out)
    real_out = {"complex64": ember.float32, "complex128": ember.float64}[out]
    assert F.irfft(x).dtype == real_out
    assert F.hfft(x).dtype == real_out
    if "complex" not in dtype:
        assert F.rfft(x).dtype == getattr(ember, out)
        assert F.ihfft(x).dtype == getattr(ember, out)


def test_integer_input_follows_the_default_dtype():
    old = ember.get_default_dtype()
    try:
        ember.set_default_dtype(ember.float64)
        assert F.fft(ember.arange(4)).dtype == ember.complex128
        assert F.rfft(ember.arange(4)).dtype == ember.complex128
        assert F.fftfreq(4).dtype == ember.float64
    finally:
        ember.set_default_dtype(old)


# ---- arguments

def test_padding_trimming_and_default_lengths():
    x = np.arange(6.0)
    np.testing.assert_allclose(_c128(F.fft(ember.tensor(x), n=10)), np.fft.fft(x, 10), atol=1e-12)
    np.testing.assert_allclose(_c128(F.fft(ember.tensor(x), n=4)), np.fft.fft(x, 4), atol=1e-12)
    spec = np.fft.rfft(np.arange(7.0))                  # 4 terms
    assert F.irfft(ember.tensor(spec)).shape == (6,)    # n defaults to 2*(m-1)
    np.testing.assert_allclose(F.irfft(ember.tensor(spec), n=7).numpy(), np.arange(7.0), atol=1e-12)
    y = np.arange(24.0).reshape(2, 3, 4)
    # s=-1 keeps a dim's size.
    np.testing.assert_allclose(_c128(F.fftn(ember.tensor(y), s=(-1, 6))),
                               np.fft.fftn(y, s=(3, 6), axes=(1, 2)), atol=1e-11)
    np.testing.assert_allclose(_c128(F.fftn(ember.tensor(y), dim=1)), np.fft.fft(y, axis=1), atol=1e-11)
    np.testing.assert_allclose(_c128(F.fftn(ember.tensor(y), dim=())), y, atol=0)
    np.testing.assert_allclose(_c128(F.fft(ember.zeros(0), n=4)), np.zeros(4), atol=0)  # all padding
    np.testing.assert_allclose(F.irfftn(ember.tensor(y), s=(-1, 8)).numpy(),
                               np.fft.irfftn(y, s=(3, 8), axes=(1, 2)), atol=1e-12)


def test_out_argument():
    x = ember.tensor([1.0, 2.0, 3.0, 4.0])
    out = ember.empty(4, dtype=ember.complex64)
    r = F.fft(x, out=out)
    assert r.data_ptr() == out.data_ptr()  # written into out
    np.testing.assert_allclose(_c128(out), [10, -2 + 2j, -2, -2 - 2j], atol=1e-6)


def test_input_is_not_modified():
    x = ember.tensor([1.0, 2.0, 3.0], dtype=ember.complex128)
    F.fft(x)
    F.ifftn(x)
    np.testing.assert_array_equal(x.numpy(), [1, 2, 3])


# ---- errors

def test_errors():
    x = ember.ones(4)
    with pytest.raises(RuntimeError, match=r"\[fft_fft\] Invalid number of data points \(0\) specified"):
        F.fft(x, n=0)
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        F.fft(ember.ones(0))
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        F.irfft(ember.ones(1))  # default n = 2*(1-1)
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(-2\) specified"):
        F.fftn(ember.ones(3, 3), s=(-2, 3))
    with pytest.raises(RuntimeError, match=r'Invalid normalization mode: "foo"'):
        F.fft(x, norm="foo")
    with pytest.raises(RuntimeError, match=r'\[fft_fft2\] Invalid normalization mode: "ortho2"'):
        F.fft2(ember.ones(2, 2), norm="ortho2")
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"):
        F.fft(x, dim=1)
    with pytest.raises(IndexError, match=r"\[fft_fftn\] Dimension out of range"):
        F.fftn(ember.ones(2, 2), dim=(0, 2))
    with pytest.raises(IndexError, match="but tensor has no dimensions"):
        F.fft(ember.tensor(1.0))
    with pytest.raises(RuntimeError, match="FFT dims must be unique"):
        F.fftn(ember.ones(2, 2), dim=(0, -2))
    with pytest.raises(RuntimeError, match="dim and shape arguments must have the same length"):
        F.fftn(ember.ones(2, 2), s=(2,), dim=(0, 1))
    with pytest.raises(RuntimeError, match="Got shape with 3 values but input tensor only has 2 dimensions"):
        F.fftn(ember.ones(2, 2), s=(2, 2, 2))
    with pytest.raises(RuntimeError, match=r"\[fft_rfft\] expects a real input tensor, but got complex64"):
        F.rfft(ember.ones(4, dtype=ember.complex64))
    with pytest.raises(RuntimeError, match=r"\[fft_ihfft\] expects a real input tensor, but got complex128"):
        F.ihfft(ember.ones(4, dtype=ember.complex128))
    with pytest.raises(RuntimeError, match="must transform at least one axis"):
        F.rfftn(ember.ones(2, 2), dim=())
    with pytest.raises(TypeError, match=r"\[fft_fftfreq\] expected a floating point or complex dtype, but got int64"):
        F.fftfreq(4, dtype=ember.int64)
    with pytest.raises(RuntimeError, match="n must be non-negative"):
        F.rfftfreq(-1)


# ---- frequencies and shifts

def test_fftfreq_and_rfftfreq():
    np.testing.assert_allclose(F.fftfreq(5).numpy(), [0, 0.2, 0.4, -0.4, -0.2], rtol=1e-6)
    np.testing.assert_allclose(F.fftfreq(6, d=0.5, dtype=ember.float64).numpy(), np.fft.fftfreq(6, 0.5))
    np.testing.assert_allclose(F.rfftfreq(6, 0.5, dtype=ember.float64).numpy(), [0, 1 / 3, 2 / 3, 1])
    assert F.fftfreq(0).shape == (0,)
    assert F.fftfreq(4).dtype == ember.float32
    assert F.rfftfreq(4, dtype=ember.complex64).dtype == ember.complex64
    t = F.fftfreq(3, requires_grad=True)
    assert t.requires_grad


@pytest.mark.parametrize("shape,dim", [((8,), None), ((7,), None), ((3, 4), None), ((3, 5), 1),
                                       ((3, 5), (0,)), ((2, 3, 5), (0, -1)), ((4, 0), None)])
def test_shifts_match_numpy(shape, dim):
    x = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    t = ember.tensor(x)
    np.testing.assert_array_equal(F.fftshift(t, dim=dim).numpy(), np.fft.fftshift(x, axes=dim))
    np.testing.assert_array_equal(F.ifftshift(t, dim=dim).numpy(), np.fft.ifftshift(x, axes=dim))
    np.testing.assert_array_equal(F.ifftshift(F.fftshift(t, dim=dim), dim=dim).numpy(), x)


def test_shift_of_a_scalar_is_a_copy():
    t = ember.tensor(3.0)
    s = F.fftshift(t)
    assert s.shape == () and s.item() == 3.0
    s.fill_(1.0)
    assert t.item() == 3.0


def test_fftshift_centres_fftfreq():
    np.testing.assert_allclose(F.fftshift(F.fftfreq(6)).numpy(), [-0.5, -1 / 3, -1 / 6, 0, 1 / 6, 1 / 3],
                               rtol=1e-6)
