"""Named tuples that ops with several outputs return, as torch.return_types:
``values, indices = ember.max(x, dim=0)`` and ``ember.max(x, 0).values``."""
from collections import namedtuple

_FIELDS = {
    "max": ("values", "indices"),
    "min": ("values", "indices"),
    "median": ("values", "indices"),
    "nanmedian": ("values", "indices"),
    "mode": ("values", "indices"),
    "sort": ("values", "indices"),
    "topk": ("values", "indices"),
    "kthvalue": ("values", "indices"),
    "cummax": ("values", "indices"),
    "cummin": ("values", "indices"),
    "aminmax": ("min", "max"),
    "slogdet": ("sign", "logabsdet"),
    "qr": ("Q", "R"),
    "eigh": ("eigenvalues", "eigenvectors"),
    "svd": ("U", "S", "Vh"),
    "lstsq": ("solution", "residuals", "rank", "singular_values"),
    "histogram": ("hist", "bin_edges"),
}

for _name, _fields in _FIELDS.items():
    globals()[_name] = namedtuple(_name, _fields)
    globals()[_name].__module__ = "ember.return_types"

__all__ = list(_FIELDS)
