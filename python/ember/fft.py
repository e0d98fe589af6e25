"""ember.fft: discrete Fourier transforms, as torch.fft. The functions are
written in C++ (ember._C.fft); this module only gives them their home."""
from ._C import fft as _C_fft

fft = _C_fft.fft
ifft = _C_fft.ifft
rfft = _C_fft.rfft
irfft = _C_fft.irfft
hfft = _C_fft.hfft
ihfft = _C_fft.ihfft
fft2 = _C_fft.fft2
ifft2 = _C_fft.ifft2
rfft2 = _C_fft.rfft2
irfft2 = _C_fft.irfft2
fftn = _C_fft.fftn
ifftn = _C_fft.ifftn
rfftn = _C_fft.rfftn
irfftn = _C_fft.irfftn
hfft2 = _C_fft.hfft2
ihfft2 = _C_fft.ihfft2
hfftn = _C_fft.hfftn
ihfftn = _C_fft.ihfftn
fftfreq = _C_fft.fftfreq
rfftfreq = _C_fft.rfftfreq
fftshift = _C_fft.fftshift
ifftshift = _C_fft.ifftshift

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "fftn", "ifftn", "rfftn", "irfftn",
           "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]
