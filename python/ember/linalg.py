"""ember.linalg (torch.linalg): the C++ submodule ``ember._C.linalg`` as an
importable module, so that ``import ember.linalg`` and
``from ember.linalg import norm`` work."""
from ._C import linalg as _impl

globals().update({name: getattr(_impl, name) for name in dir(_impl) if not name.startswith("_")})
__all__ = [name for name in dir(_impl) if not name.startswith("_")]
