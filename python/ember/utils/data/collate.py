"""``default_collate`` and ``default_convert``, as in
``torch.utils.data._utils.collate``: how the DataLoader turns a list of
samples into a batch (with batching) or a sample into tensors (without)."""
import collections.abc
import re

import numpy as np

import ember

__all__ = ["default_collate", "default_convert"]

# NumPy dtypes with no tensor equivalent: bytes, str, unicode, object.
_np_str_obj_array_pattern = re.compile(r"[SaUO]")

_collate_err_msg = ("[default_collate] batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    "found {}")


def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(obj, "_fields")


def _is_numpy_value(obj):
    return type(obj).__module__ == "numpy" and not isinstance(obj, (np.str_, np.bytes_))


def default_convert(data):
    """Tensors stay as they are; NumPy arrays and scalars become tensors
    (sharing memory where NumPy allows); mappings, namedtuples, tuples and
    lists are converted element by element; anything else is returned as
    is. Used without automatic batching (``batch_size=None``)."""
    if isinstance(data, ember.Tensor):
        return data
    if _is_numpy_value(data):
        if isinstance(data, np.ndarray) and _np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return ember.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        try:
            return type(data)(converted)
        except TypeError:  # the mapping type does not take a dict
            return converted
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]  # a list, as PyTorch returns
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(d) for d in data]
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    return data


def _collate_numpy(batch, elem):
    if isinstance(elem, np.ndarray):
        if _np_str_obj_array_pattern.search(elem.dtype.str) is not None:
            raise TypeError(_collate_err_msg.format(elem.dtype))
        return default_collate([ember.as_tensor(b) for b in batch])
    # NumPy scalars: one tensor of their common dtype.
    return ember.as_tensor(np.array(batch))


def default_collate(batch):
    """Merges a list of samples into a batch, recursively:

    - tensors are stacked along a new first dimension;
    - NumPy arrays become tensors, then are stacked; NumPy scalars become one
      tensor;
    - Python floats become a float64 tensor, ints an int64 tensor, bools a
      bool tensor;
    - strings and bytes are returned as the list they came in;
    - mappings give a mapping of the same type with each key collated;
    - namedtuples give the same namedtuple of collated fields; other tuples
      and lists (which must all have the same length) give a list with each
      position collated, as in PyTorch.
    """
    if not isinstance(batch, collections.abc.Sequence) or isinstance(batch, (str, bytes)):
        raise TypeError(f"[default_collate] expected a list of samples, got {type(batch).__name__}")
    if len(batch) == 0:
        raise ValueError("[default_collate] cannot collate an empty batch")
    elem = batch[0]
    if isinstance(elem, ember.Tensor):
        for i, b in enumerate(batch):
            if not isinstance(b, ember.Tensor):
                raise TypeError(f"[default_collate] element 0 of the batch is a Tensor but element {i} is a "
                                f"{type(b).__name__}")
        return ember.stack(list(batch), 0)
    if _is_numpy_value(elem):
        return _collate_numpy(batch, elem)
    if isinstance(elem, bool):
        return ember.tensor(batch, dtype=ember.bool)
    if isinstance(elem, float):
        return ember.tensor(batch, dtype=ember.float64)
    if isinstance(elem, int):
        return ember.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return type(elem)(collated)
        except TypeError:
            return collated
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(list(samples)) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("[default_collate] each element in list of batch should be of equal size")
        transposed = [default_collate(list(samples)) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return transposed  # a list, as PyTorch returns for tuples
        try:
            return type(elem)(transposed)
        except TypeError:
            return transposed
    raise TypeError(_collate_err_msg.format(type(elem)))
