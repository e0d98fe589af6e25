"""ember.fft entries of the op table: every transform against numpy.fft over
many lengths (powers of two, small primes, mixed radices, large primes that
take Bluestein's path), batched and strided inputs, n/s padding and
trimming, dims and the three norm modes, for every input dtype."""
import numpy as np

import ember
from op_db import ALL_DTYPES, COMPLEX, FLOATING, OpInfo, Raw, Sample

# 97 and 4097 = 17 * 241 have prime factors above the largest radix.
LENGTHS = [1, 2, 3, 5, 7, 8, 12, 16, 17, 30, 97, 128, 1000, 1024, 4097]
REAL = [d for d in ALL_DTYPES if d not in COMPLEX]
# Errors grow like eps * sqrt(log n) * |x|; values reach ~9 * n.
FFT_TOL = {"complex64": 1e-3, "float32": 1e-3, "complex128": 1e-9, "float64": 1e-9}


def _values(shape, dtype, rng):
    from test_ops import make_values  # noqa: PLC0415  (shared value maker)
    return make_values(shape, dtype, rng)


def _strided(x):
    # The same values seen through a view with stride 2 in the last dim.
    base = ember.zeros(*x.shape, 2, dtype=x.dtype)
    view = base.select(-1, 0)
    view.copy_(x)
    return view


def _wrap(fn):
    """fn with an extra strided= keyword that makes the input non-contiguous."""
    def call(x, *args, strided=False, **kwargs):
        return fn(_strided(x) if strided else x, *args, **kwargs)
    return call


def _rename(kwargs):
    """ember's keywords -> NumPy's (dim -> axis/axes)."""
    out = dict(kwargs)
    out.pop("strided", None)
    if "dim" in out:
        d = out.pop("dim")
        out["axes" if isinstance(d, tuple) else "axis"] = d
    return out


def _s(args, **kwargs):
    return Sample(args, kwargs, _rename(kwargs))


def _one_dim_samples(half_spectrum):
    """Samples of the 1-D transforms; half_spectrum: the input is n/2+1 terms
    of an output of length n (irfft, hfft)."""
    def samples(dtype, rng):
        out = []
        for n in LENGTHS:
            if half_spectrum:
                out.append(_s((_values((2, n // 2 + 1), dtype, rng),), n=n))
            else:
                out.append(_s((_values((2, n), dtype, rng),)))
        x = _values((3, 6, 5), dtype, rng)
        out += [
            _s((x,), n=8),                           # zero padding
            _s((x,), n=3, dim=1),                    # trimming along another dim
            _s((x,), dim=0, norm="ortho"),
            _s((x,), norm="forward"),
            _s((x,), norm="backward"),
            _s((x,), dim=-2, strided=True),
            _s((x,), n=7, strided=True),
            _s((_values((0, 4), dtype, rng),)),       # empty batch
            _s((_values((4, 1), dtype, rng),), dim=0),  # size-1 batch dim
            _s((_values((1, 4), dtype, rng),), n=1),    # length 1
            _s((_values((9,), dtype, rng),)),           # 1-D input, default n
        ]
        return out
    return samples


def _n_dim_samples(two_dim, real_input):
    def samples(dtype, rng):
        x = _values((3, 4, 5), dtype, rng)
        out = [
            _s((x,), s=(4, 6), dim=(1, 2)),
            _s((x,), s=(2, 7), dim=(2, 0)),
            _s((x,), dim=(0, 2), norm="ortho"),
            _s((x,), dim=(1, 2), norm="forward", strided=True),
            _s((_values((2, 17, 6), dtype, rng),), dim=(1, 2)),   # Bluestein along one dim
            _s((_values((0, 3, 4), dtype, rng),), dim=(1, 2)),    # empty batch
            _s((_values((1, 1, 4), dtype, rng),), dim=(1, 2)),    # size-1 transformed dim
        ]
        if two_dim:
            out.append(Sample((x,), {}, {}))  # default dims (-2, -1)
        else:
            out.append(Sample((x,), {}, {}))  # every dim
            out.append(_s((x,), dim=(1,)))
        if not real_input and not two_dim:
            out.append(_s((x,), s=(2, 3, 4), dim=(0, 1, 2)))
        return out
    return samples


def _c2r_n_dim_samples(two_dim):
    def samples(dtype, rng):
        x = _values((3, 4, 5), dtype, rng)
        out = [
            _s((x,), s=(4, 8), dim=(1, 2)),      # last dim: 5 terms of a length-8 signal
            _s((x,), s=(2, 7), dim=(2, 0)),
            _s((x,), s=(4, 9), dim=(1, 2), norm="ortho"),
            _s((x,), dim=(0, 2), norm="forward", strided=True),
            _s((_values((2, 17, 9), dtype, rng),), s=(17, 17), dim=(1, 2)),
            _s((_values((0, 3, 4), dtype, rng),), dim=(1, 2)),
            Sample((x,), {}, {}),
        ]
        return out
    return samples


_SWAP_NORM = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


def _np_hfft_ref(inverse, default_axes):
    """NumPy has no hfftn / ihfftn: they are irfftn of the conjugate and the
    conjugate of rfftn, with the norm swapped."""
    def ref(x, s=None, axes=None, norm=None):
        axes = default_axes if axes is None else axes
        if inverse:
            return np.conj(np.fft.rfftn(x, s=s, axes=axes, norm=_SWAP_NORM[norm]))
        return np.fft.irfftn(np.conj(x), s=s, axes=axes, norm=_SWAP_NORM[norm])
    return ref


def _fftshift_samples(dtype, rng):
    out = []
    for shape, kw in [((7,), {}), ((4, 5), {}), ((4, 5), {"dim": 1}), ((3, 4, 5), {"dim": (0, 2)}),
                      ((0, 3), {}), ((1, 6), {"dim": -1})]:
        out.append(Sample((_values(shape, dtype, rng),), kw,
                          {"axes": kw["dim"]} if "dim" in kw else {}))
    x = _values((5, 6), dtype, rng)
    out.append(Sample((x,), {"strided": True}, {}))
    return out


def _freq_samples(dtype, rng):
    # The first argument only carries the dtype under test.
    like = np.zeros(0)
    return [Sample((like, n, d)) for n, d in [(1, 1.0), (8, 1.0), (9, 0.5), (10, 2.5), (101, 0.1)]]


def _fftfreq(like, n, d):
    return ember.fft.fftfreq(n, d, dtype=like.dtype)


def _rfftfreq(like, n, d):
    return ember.fft.rfftfreq(n, d, dtype=like.dtype)


def _np_shift(fn):
    def call(x, axes=None):
        return fn(x, axes=axes)
    return call


F = ember.fft
OPS = [
    OpInfo("fft.fft", _wrap(F.fft), np.fft.fft, ALL_DTYPES, sample_inputs=_one_dim_samples(False), rtol=FFT_TOL),
    OpInfo("fft.ifft", _wrap(F.ifft), np.fft.ifft, ALL_DTYPES, sample_inputs=_one_dim_samples(False),
           rtol=FFT_TOL),
    OpInfo("fft.rfft", _wrap(F.rfft), np.fft.rfft, REAL, sample_inputs=_one_dim_samples(False), rtol=FFT_TOL),
    OpInfo("fft.ihfft", _wrap(F.ihfft), np.fft.ihfft, REAL, sample_inputs=_one_dim_samples(False),
           rtol=FFT_TOL),
    OpInfo("fft.irfft", _wrap(F.irfft), np.fft.irfft, ALL_DTYPES, sample_inputs=_one_dim_samples(True),
           rtol=FFT_TOL),
    OpInfo("fft.hfft", _wrap(F.hfft), np.fft.hfft, ALL_DTYPES, sample_inputs=_one_dim_samples(True),
           rtol=FFT_TOL),
    OpInfo("fft.fftn", _wrap(F.fftn), np.fft.fftn, ALL_DTYPES, sample_inputs=_n_dim_samples(False, False),
           rtol=FFT_TOL),
    OpInfo("fft.ifftn", _wrap(F.ifftn), np.fft.ifftn, ALL_DTYPES, sample_inputs=_n_dim_samples(False, False),
           rtol=FFT_TOL),
    OpInfo("fft.fft2", _wrap(F.fft2), np.fft.fft2, ALL_DTYPES, sample_inputs=_n_dim_samples(True, False),
           rtol=FFT_TOL),
    OpInfo("fft.ifft2", _wrap(F.ifft2), np.fft.ifft2, ALL_DTYPES, sample_inputs=_n_dim_samples(True, False),
           rtol=FFT_TOL),
    OpInfo("fft.rfftn", _wrap(F.rfftn), np.fft.rfftn, REAL, sample_inputs=_n_dim_samples(False, True),
           rtol=FFT_TOL),
    OpInfo("fft.rfft2", _wrap(F.rfft2), np.fft.rfft2, REAL, sample_inputs=_n_dim_samples(True, True),
           rtol=FFT_TOL),
    OpInfo("fft.irfftn", _wrap(F.irfftn), np.fft.irfftn, ALL_DTYPES,
           sample_inputs=_c2r_n_dim_samples(False),
           rtol=FFT_TOL),
    OpInfo("fft.irfft2", _wrap(F.irfft2), np.fft.irfft2, ALL_DTYPES, sample_inputs=_c2r_n_dim_samples(True),
           rtol=FFT_TOL),
    OpInfo("fft.hfftn", _wrap(F.hfftn), _np_hfft_ref(False, None), ALL_DTYPES,
           sample_inputs=_c2r_n_dim_samples(False),
           rtol=FFT_TOL),
    OpInfo("fft.hfft2", _wrap(F.hfft2), _np_hfft_ref(False, (-2, -1)), ALL_DTYPES,
           sample_inputs=_c2r_n_dim_samples(True), rtol=FFT_TOL),
    OpInfo("fft.ihfftn", _wrap(F.ihfftn), _np_hfft_ref(True, None), REAL, sample_inputs=_n_dim_samples(False, True),
           rtol=FFT_TOL),
    OpInfo("fft.ihfft2", _wrap(F.ihfft2), _np_hfft_ref(True, (-2, -1)), REAL,
           sample_inputs=_n_dim_samples(True, True),
           rtol=FFT_TOL),
    OpInfo("fft.fftshift", _wrap(F.fftshift), _np_shift(np.fft.fftshift), ALL_DTYPES,
           sample_inputs=_fftshift_samples),
    OpInfo("fft.ifftshift", _wrap(F.ifftshift), _np_shift(np.fft.ifftshift), ALL_DTYPES,
           sample_inputs=_fftshift_samples),
    OpInfo("fft.fftfreq", _fftfreq, lambda like, n, d: np.fft.fftfreq(n, d), FLOATING + COMPLEX,
           sample_inputs=_freq_samples, differentiable=False, rtol={"float16": 2e-3, "bfloat16": 1e-2}),
    OpInfo("fft.rfftfreq", _rfftfreq, lambda like, n, d: np.fft.rfftfreq(n, d), FLOATING + COMPLEX,
           sample_inputs=_freq_samples, differentiable=False, rtol={"float16": 2e-3, "bfloat16": 1e-2}),
]
