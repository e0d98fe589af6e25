"""Tensor methods that are easiest to express in Python: argument parsing for
``to``, conversions to Python numbers, iteration. The arithmetic and all data
work happen in C++."""
import numbers

from . import _C
from ._C import Tensor

_dtype_methods = {
    "float": _C.float32, "double": _C.float64, "half": _C.float16, "bfloat16": _C.bfloat16,
    "int": _C.int32, "long": _C.int64, "short": _C.int16, "char": _C.int8, "byte": _C.uint8,
    "bool": _C.bool, "cfloat": _C.complex64, "cdouble": _C.complex128,
}


def _to(self, *args, **kwargs):
    """to(dtype) / to(device) / to(device, dtype) / to(other) / to(dtype=, device=, copy=)."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, _C.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, (str, _C.device, int)) and not isinstance(a, bool):
            device = a
        elif isinstance(a, bool):
            copy = a
        elif a is None:
            continue
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {type(a).__name__}")
    device = self.device if device is None else _C.device(device) if isinstance(device, str) else device
    if isinstance(device, int):
        device = _C.device("cuda", device)
    return self._to(device, self.dtype if dtype is None else dtype, copy)


def _cuda(self, device=None, non_blocking=False, memory_format=None):
    """A copy on a CUDA device (the current one when device is None)."""
    return self.to("cuda" if device is None else device)


def _type(self, dtype=None, non_blocking=False):
    if dtype is None:
        return _type_names[self.dtype]
    if isinstance(dtype, str):
        for k, v in _type_names.items():
            if v == dtype:
                dtype = k
                break
        else:
            raise ValueError(f"invalid type: '{dtype}'")
    return self.to(dtype)


_type_names = {
    _C.float32: "ember.FloatTensor", _C.float64: "ember.DoubleTensor", _C.float16: "ember.HalfTensor",
    _C.bfloat16: "ember.BFloat16Tensor", _C.int64: "ember.LongTensor", _C.int32: "ember.IntTensor",
    _C.int16: "ember.ShortTensor", _C.int8: "ember.CharTensor", _C.uint8: "ember.ByteTensor",
    _C.bool: "ember.BoolTensor", _C.complex64: "ember.ComplexFloatTensor",
    _C.complex128: "ember.ComplexDoubleTensor",
}


def _make_cast(dt):
    def cast(self, memory_format=None):
        return self.to(dt)
    cast.__name__ = str(dt)
    return cast


def _len(self):
    if self.dim() == 0:
        raise TypeError("len() of a 0-d tensor")
    return self.shape[0]


def _iter(self):
    if self.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(self.unbind(0))


def _one_element(self, what):
    if self.numel() != 1:
        raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
    return self.item()


def _bool(self):
    if self.numel() != 1:
        raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous"
                           if self.numel() > 1 else "Boolean value of Tensor with no values is ambiguous")
    return bool(self.item())


def _index(self):
    if self.numel() != 1 or self.dtype.is_floating_point or self.dtype.is_complex:
        raise TypeError("only integer tensors of a single element can be converted to an index")
    return int(self.item())


def _tolist(self):
    if self.dim() == 0:
        return self.item()
    t = self.detach().cpu()  # tolist() works on tensors that require grad, as in PyTorch
    return t.numpy().tolist() if t.dtype != _C.bfloat16 else t.float().tolist()


def _array(self, dtype=None, copy=None):
    """NumPy's array protocol (np.asarray(t)): shares t's memory, like
    Tensor.numpy() (and raising what it raises), unless a copy is asked for
    (copy=True) or a dtype conversion needs one (refused when copy=False)."""
    a = self.numpy()
    if dtype is not None:
        converted = a.astype(dtype, copy=False)
        if converted is not a:
            if copy is False:
                raise ValueError(f"[__array__] converting a {self.dtype} tensor to {converted.dtype} "
                                 "needs a copy, but copy=False was given")
            return converted
    return a.copy() if copy else a


# Note [Tensor pickling]
# A tensor pickles as its dtype name, its device and a C-contiguous NumPy
# copy of its elements (only the elements it views, not its whole storage);
# NumPy's own pickling moves the bytes. That is what DataLoader workers use
# to send batches to the main process. bfloat16, which NumPy lacks, travels
# as its int16 bit pattern. Autograd history is not pickled: the copy is a
# leaf that keeps requires_grad.
def _reduce(self):
    t = self.detach()
    device = str(t.device)
    if device != "cpu":
        t = t.cpu()
    if t.dtype == _C.bfloat16:
        t = t.contiguous().view(_C.int16)
    array = t.contiguous().numpy()
    return _rebuild_tensor, (str(self.dtype).rpartition(".")[2], device, array, self.requires_grad)


def _rebuild_tensor(dtype_name, device, array, requires_grad):
    if not array.flags.writeable:  # arrays unpickled over a bytes object are read-only
        array = array.copy()
    t = _C.from_numpy(array)
    if dtype_name == "bfloat16":
        t = t.view(_C.bfloat16)
    if device != "cpu":
        t = t.to(device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _install():
    Tensor.to = _to
    Tensor.cuda = _cuda
    Tensor.type = _type
    for name, dt in _dtype_methods.items():
        setattr(Tensor, name, _make_cast(dt))
    Tensor.__len__ = _len
    Tensor.__iter__ = _iter
    Tensor.__bool__ = _bool
    Tensor.__int__ = lambda self: int(_one_element(self, "int"))
    Tensor.__float__ = lambda self: float(_one_element(self, "float"))
    Tensor.__complex__ = lambda self: complex(_one_element(self, "complex"))
    Tensor.__index__ = _index
    Tensor.tolist = _tolist
    Tensor.__array__ = _array
    Tensor.__array_priority__ = 1000
    Tensor.ndimension = Tensor.dim
    Tensor.__reduce__ = _reduce
    numbers  # keep the import for subclasses that register


_install()
