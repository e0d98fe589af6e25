"""Ember: tensors, automatic differentiation and neural networks, written in
C++ with a PyTorch-compatible Python front end (``import ember as torch``)."""
from . import _C
from ._C import *  # noqa: F401,F403  the C++ API: Tensor, dtypes, factories, views
from ._C import Tensor, dtype, device  # noqa: F401
from ._size import Size  # noqa: F401
from . import _tensor  # noqa: F401  installs the Python-side Tensor methods
from . import return_types  # noqa: F401
from . import utils  # noqa: F401  ember.utils.data, as torch.utils.data
from ._C import save, load  # noqa: F401  safetensors files (python/src/serialize.cpp)
# The Python modules ember.fft and ember.linalg (a plain "from . import"
# would find the _C submodules that the star import above brought in).
import ember.fft as _fft  # noqa: F401,E402
import ember.linalg as _linalg  # noqa: F401,E402
import ember.autograd as _autograd  # noqa: F401,E402
from .autograd.grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,  # noqa: F401,E402
                                 is_grad_enabled, is_inference_mode_enabled)
import ember.optim  # noqa: F401,E402  optimizers and lr schedulers (torch.optim)

__version__ = "0.1.0"

import atexit as _atexit

_atexit.register(_C._release_singletons)

# PyTorch's dtype aliases.
float = float32  # noqa: A001
double = float64
half = float16
cfloat = complex64
cdouble = complex128
long = int64
int = int32  # noqa: A001
short = int16
bool = _C.bool  # noqa: A001


def is_floating_point(t):
    return t.is_floating_point()


def is_complex(t):
    return t.is_complex()


# ember.nn last: its modules use the dtype aliases above at import time.
import ember.nn as _nn  # noqa: F401,E402
