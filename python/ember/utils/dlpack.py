"""``torch.utils.dlpack``: the legacy capsule API. ``to_dlpack(t)`` returns a
"dltensor" PyCapsule sharing t's memory; ``from_dlpack`` takes such a capsule
or any object with ``__dlpack__``. Both are implemented in C++
(python/src/dlpack.cpp)."""
import enum

from .._C import _to_dlpack as to_dlpack
from .._C import from_dlpack

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]


class DLDeviceType(enum.IntEnum):
    """Device codes of the DLPack specification (include/ember/core/dlpack.h)."""
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16
    kDLMAIA = 17
