"""ember.device: parsing, printing, comparison, tensor.device, and the clear
error (never a crash) when a CUDA device is asked of a build without CUDA."""
import numpy as np
import pytest

import ember

_cuda = getattr(ember, "cuda", None)
HAS_CUDA = bool(_cuda is not None and getattr(_cuda, "is_available", lambda: False)())
no_cuda_only = pytest.mark.skipif(HAS_CUDA, reason="checks the error of a build without CUDA")


@pytest.mark.parametrize("spec,type_,index", [
    ("cpu", "cpu", None),
    ("cuda", "cuda", None),
    ("cuda:0", "cuda", 0),
    ("cuda:1", "cuda", 1),
    ("cuda:127", "cuda", 127),
    ("cpu:0", "cpu", 0),
])
def test_parse_device_strings(spec, type_, index):
    d = ember.device(spec)
    assert d.type == type_
    assert d.index == index
    assert str(d) == spec
    want_repr = f"device(type='{type_}')" if index is None else f"device(type='{type_}', index={index})"
    assert repr(d) == want_repr


def test_device_from_type_and_index():
    d = ember.device("cuda", 1)
    assert (d.type, d.index) == ("cuda", 1)
    assert d == ember.device("cuda:1")
    assert str(d) == "cuda:1"
    assert ember.device("cpu", 0) == ember.device("cpu:0")
    assert ember.device(ember.device("cuda:2")) == ember.device("cuda:2")


def test_device_equality_and_hash():
    assert ember.device("cpu") == ember.device("cpu")
    assert ember.device("cuda:0") != ember.device("cuda")   # index None differs from 0, as PyTorch
    assert ember.device("cuda:0") != ember.device("cuda:1")
    assert ember.device("cpu") != ember.device("cuda")
    assert ember.device("cpu") == "cpu"                      # compares with a device string
    assert ember.device("cpu") != 3.5
    s = {ember.device("cpu"), ember.device("cpu"), ember.device("cuda:1"), ember.device("cuda", 1)}
    assert len(s) == 2
    assert {ember.device("cuda:0"): "x"}[ember.device("cuda", 0)] == "x"


@pytest.mark.parametrize("spec", ["gpu", "CPU", "", "cuda:", "cuda:x", "cuda:-1", "cuda:1:2", "cuda:999",
                                  "cuda: 1", " cpu", "cpu:", "mps", "cuda:00", "cuda:01"])
def test_bad_device_strings_raise_runtime_error(spec):
    with pytest.raises(RuntimeError, match="device"):
        ember.device(spec)


def test_bad_device_arguments():
    with pytest.raises(RuntimeError, match="index"):
        ember.device("cuda:1", 1)       # index given twice
    with pytest.raises(RuntimeError, match="negative"):
        ember.device("cuda", -1)
    with pytest.raises(TypeError):
        ember.device(1.5)
    with pytest.raises(RuntimeError, match="device"):
        ember.zeros(2, device="gpu")    # factories parse strings the same way
    with pytest.raises(RuntimeError, match="device"):
        ember.ones(2).to("tpu")


def test_tensor_device_is_cpu():
    for t in [ember.zeros(2), ember.tensor([1, 2]), ember.arange(3), ember.tensor(np.ones(2)),
              ember.zeros(2, device="cpu"), ember.zeros(2, device=ember.device("cpu")),
              ember.ones(2).t(), ember.zeros(2).to("cpu"), ember.zeros(2).cpu()]:
        assert t.device == ember.device("cpu")
        assert t.device.type == "cpu"
        assert str(t.device) == "cpu"
        assert t.is_cpu and not t.is_cuda


def test_to_same_device_is_a_no_op_and_copy_copies():
    t = ember.tensor([1.0, 2.0])
    assert t.to("cpu")._base_data_ptr == t._base_data_ptr
    assert t.to(ember.device("cpu"))._base_data_ptr == t._base_data_ptr
    c = t.to("cpu", copy=True)
    assert c._base_data_ptr != t._base_data_ptr
    assert c.tolist() == [1.0, 2.0]
    assert t.cpu()._base_data_ptr == t._base_data_ptr


_CUDA_REQUESTS = {
    "tensor": lambda: ember.tensor([1.0, 2.0], device="cuda"),
    "tensor_numpy": lambda: ember.tensor(np.ones(3), device="cuda:0"),
    "zeros": lambda: ember.zeros(2, device="cuda"),
    "ones": lambda: ember.ones(2, device="cuda:1"),
    "empty": lambda: ember.empty(2, device=ember.device("cuda", 0)),
    "full": lambda: ember.full((2,), 1.5, device="cuda"),
    "int_device": lambda: ember.zeros(2, device=0),
    "arange": lambda: ember.arange(3, device="cuda"),
    "linspace": lambda: ember.linspace(0, 1, 3, device="cuda"),
    "logspace": lambda: ember.logspace(0, 1, 3, device="cuda"),
    "eye": lambda: ember.eye(2, device="cuda"),
    "zeros_like": lambda: ember.zeros_like(ember.zeros(2), device="cuda"),
    "empty_like": lambda: ember.empty_like(ember.zeros(2), device="cuda"),
    "full_like": lambda: ember.full_like(ember.zeros(2), 3.0, device="cuda"),
    "to_str": lambda: ember.zeros(2).to("cuda"),
    "to_device": lambda: ember.zeros(2).to(ember.device("cuda:0")),
    "to_int": lambda: ember.zeros(2).to(0),
    "to_device_dtype": lambda: ember.zeros(2).to("cuda", ember.float64),
    "to_kwargs": lambda: ember.zeros(2).to(device="cuda", dtype=ember.float16),
    "cuda_method": lambda: ember.zeros(2).cuda(),
    "cuda_method_index": lambda: ember.zeros(2).cuda(1),
}


@no_cuda_only
@pytest.mark.parametrize("name", sorted(_CUDA_REQUESTS))
def test_cuda_without_cuda_raises_clear_error(name):
    with pytest.raises(RuntimeError, match="(?i)cuda") as info:
        _CUDA_REQUESTS[name]()
    assert "CUDA" in str(info.value)


@no_cuda_only
def test_process_survives_cuda_requests():
    # After every failed request the library still works normally.
    for make in _CUDA_REQUESTS.values():
        with pytest.raises(RuntimeError):
            make()
    t = ember.arange(6).reshape(2, 3)
    assert t.t().contiguous().tolist() == [[0, 3], [1, 4], [2, 5]]
