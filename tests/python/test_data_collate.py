"""default_collate / default_convert for every kind of sample (tensors,
Python numbers, NumPy arrays and scalars, strings, dicts, namedtuples,
tuples and lists, nested), their errors, and tensor pickling (how batches
leave worker processes)."""
import collections
import copy
import pickle

import numpy as np
import pytest

import ember
from ember.utils.data import default_collate, default_convert

Point = collections.namedtuple("Point", ["x", "y"])


def test_collate_tensors_stack_on_a_new_first_dim():
    batch = [ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0]), ember.tensor([5.0, 6.0])]
    out = default_collate(batch)
    assert out.shape == (3, 2) and out.dtype == ember.float32
    assert out.tolist() == [[1, 2], [3, 4], [5, 6]]
    scalars = default_collate([ember.tensor(1), ember.tensor(2)])
    assert scalars.shape == (2,) and scalars.dtype == ember.int64


def test_collate_tensors_of_different_shapes_is_an_error():
    with pytest.raises(RuntimeError, match="stack"):
        default_collate([ember.zeros(2), ember.zeros(3)])
    with pytest.raises(TypeError, match="element 0 of the batch is a Tensor but element 1 is a list"):
        default_collate([ember.zeros(2), [1, 2]])


def test_collate_python_numbers():
    f = default_collate([1.5, 2.0, -3.25])
    assert f.dtype == ember.float64 and f.tolist() == [1.5, 2.0, -3.25]
    i = default_collate([1, 2, 3])
    assert i.dtype == ember.int64 and i.tolist() == [1, 2, 3]
    b = default_collate([True, False])
    assert b.dtype == ember.bool and b.tolist() == [True, False]


def test_collate_numpy_arrays_and_scalars():
    arrays = [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)]
    out = default_collate(arrays)
    assert out.dtype == ember.int32 and out.tolist() == [[1, 2], [3, 4]]
    f = default_collate([np.float32(0.5), np.float32(1.5)])
    assert f.dtype == ember.float32 and f.tolist() == [0.5, 1.5]
    g = default_collate([np.float64(2.0), np.float64(3.0)])
    assert g.dtype == ember.float64
    with pytest.raises(TypeError, match=r"\[default_collate\] batch must contain tensors, numpy arrays, numbers, "
                                        r"dicts or lists; found <U1"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_collate_strings_stay_a_list():
    assert default_collate(["a", "bc"]) == ["a", "bc"]
    assert default_collate([b"x", b"y"]) == [b"x", b"y"]


def test_collate_dicts_collate_each_key():
    batch = [{"img": ember.ones(2), "label": 1, "name": "a"},
             {"img": ember.zeros(2), "label": 0, "name": "b"}]
    out = default_collate(batch)
    assert set(out) == {"img", "label", "name"}
    assert out["img"].tolist() == [[1, 1], [0, 0]]
    assert out["label"].tolist() == [1, 0] and out["label"].dtype == ember.int64
    assert out["name"] == ["a", "b"]
    od = default_collate([collections.OrderedDict(a=1.0), collections.OrderedDict(a=2.0)])
    assert isinstance(od, collections.OrderedDict) and od["a"].tolist() == [1.0, 2.0]


def test_collate_namedtuple_keeps_its_type():
    out = default_collate([Point(1, ember.tensor([1.0])), Point(2, ember.tensor([2.0]))])
    assert isinstance(out, Point)
    assert out.x.tolist() == [1, 2] and out.y.tolist() == [[1.0], [2.0]]


def test_collate_tuples_and_lists_transpose():
    out = default_collate([(ember.tensor([1, 2]), 3), (ember.tensor([4, 5]), 6)])
    assert isinstance(out, list) and len(out) == 2  # tuples give a list, as in PyTorch
    assert out[0].tolist() == [[1, 2], [4, 5]] and out[1].tolist() == [3, 6]
    lists = default_collate([[1, 2.5], [3, 4.5]])
    assert isinstance(lists, list)
    assert lists[0].tolist() == [1, 3] and lists[1].dtype == ember.float64
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])


def test_collate_nested():
    batch = [{"pair": (np.float64(1.0), [ember.tensor(1)]), "meta": {"id": 7}},
             {"pair": (np.float64(2.0), [ember.tensor(2)]), "meta": {"id": 8}}]
    out = default_collate(batch)
    assert out["pair"][0].tolist() == [1.0, 2.0]
    assert out["pair"][1][0].tolist() == [1, 2]
    assert out["meta"]["id"].tolist() == [7, 8]


def test_collate_unknown_type_is_a_type_error():
    with pytest.raises(TypeError, match="found <class 'object'>"):
        default_collate([object(), object()])
    with pytest.raises(ValueError, match="empty batch"):
        default_collate([])


def test_default_convert():
    a = np.arange(4.0)
    t = default_convert(a)
    assert isinstance(t, ember.Tensor) and t.dtype == ember.float64 and t.tolist() == [0, 1, 2, 3]
    a[0] = 9.0  # as_tensor shares NumPy's memory
    assert t[0].item() == 9.0
    s = default_convert(np.int32(3))
    assert isinstance(s, ember.Tensor) and s.dtype == ember.int32 and s.dim() == 0
    x = ember.ones(2)
    assert default_convert(x) is x
    out = default_convert({"a": np.zeros(1), "b": (np.ones(1), "s"), "c": Point(np.zeros(1), 3)})
    assert isinstance(out["a"], ember.Tensor)
    assert isinstance(out["b"], list) and isinstance(out["b"][0], ember.Tensor) and out["b"][1] == "s"
    assert isinstance(out["c"], Point) and isinstance(out["c"].x, ember.Tensor) and out["c"].y == 3
    assert default_convert(5) == 5 and default_convert("s") == "s"
    strings = np.array(["a"])
    assert default_convert(strings) is strings


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
                                   "uint8", "bool", "complex64", "complex128"])
def test_tensor_pickle_round_trip(dtype):
    dt = getattr(ember, dtype)
    src = np.arange(24).reshape(2, 3, 4) * 3 - 5
    x = ember.from_numpy(src).to(dt).transpose(0, 2)[1:]  # a non-contiguous view
    ref = np.asarray(x.to(ember.float64)) if dtype != "complex64" and dtype != "complex128" else np.asarray(x)
    for protocol in (2, 4, 5):
        y = pickle.loads(pickle.dumps(x, protocol=protocol))
        assert y.dtype == dt and tuple(y.shape) == (3, 3, 2)
        got = np.asarray(y.to(ember.float64)) if not dtype.startswith("complex") else np.asarray(y)
        np.testing.assert_array_equal(got, ref)


def test_tensor_pickle_keeps_requires_grad_and_copies():
    x = ember.ones(3, requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    assert y.requires_grad and y.tolist() == [1, 1, 1]
    z = ember.arange(6).float()
    w = copy.deepcopy(z)
    w[0] = 100.0
    assert z[0].item() == 0.0 and w.tolist() == [100, 1, 2, 3, 4, 5]
    # Only the viewed elements travel, not the whole storage.
    big = ember.zeros(1_000_000)
    assert len(pickle.dumps(big[:10])) < 1000
    assert pickle.loads(pickle.dumps(ember.zeros(0, 3))).shape == (0, 3)
    assert pickle.loads(pickle.dumps(ember.tensor(2.5))).item() == 2.5
