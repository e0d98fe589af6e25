"""ember.save / ember.load: round trips of tensors and nested values through
paths, file objects and mmap; interop with the `safetensors` package; and a
corpus of malformed or hostile files that must raise RuntimeError (never
crash, never allocate what the file does not hold)."""
import io
import json
import math
import os
import pathlib
import random
import struct

import numpy as np
import pytest

import ember

# ember dtype -> NumPy dtype (None: NumPy has no such dtype; compared as float32).
DTYPES = [
    (ember.bool, np.bool_), (ember.uint8, np.uint8), (ember.int8, np.int8), (ember.int16, np.int16),
    (ember.int32, np.int32), (ember.int64, np.int64), (ember.float16, np.float16), (ember.bfloat16, None),
    (ember.float32, np.float32), (ember.float64, np.float64), (ember.complex64, np.complex64),
    (ember.complex128, np.complex128),
]


def sample_array(np_dtype, shape=(2, 3)):
    n = int(np.prod(shape))
    vals = np.arange(n) * 3 - 4
    if np_dtype == np.bool_:
        return (vals % 2 == 0).reshape(shape)
    if np_dtype is not None and np.issubdtype(np_dtype, np.complexfloating):
        return (vals + 1j * (vals[::-1] + 0.5)).astype(np_dtype).reshape(shape)
    if np_dtype == np.uint8:
        vals = vals + 10
    return vals.astype(np_dtype or np.float32).reshape(shape)


def as_numpy(t):
    if t.dtype == ember.bfloat16:
        return t.float().numpy()
    return t.numpy()


def make_tensor(dtype, np_dtype, shape=(2, 3)):
    arr = sample_array(np_dtype, shape)
    if np_dtype is None:
        return ember.from_numpy(arr).to(dtype), arr
    return ember.from_numpy(arr.copy()), arr


def assert_same(t, expected_dtype, expected_array):
    assert isinstance(t, ember.Tensor)
    assert t.dtype == expected_dtype
    assert tuple(t.shape) == expected_array.shape
    np.testing.assert_array_equal(as_numpy(t), expected_array)


def roundtrip_bytes(obj, **load_kwargs):
    buf = io.BytesIO()
    ember.save(obj, buf)
    buf.seek(0)
    return ember.load(buf, **load_kwargs)


def read_header(data):
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n])


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("dtype,np_dtype", DTYPES, ids=[str(d) for d, _ in DTYPES])
@pytest.mark.parametrize("route", ["path", "fileobj", "mmap"])
def test_roundtrip_every_dtype(tmp_path, dtype, np_dtype, route):
    t, arr = make_tensor(dtype, np_dtype)
    path = tmp_path / "t.safetensors"
    if route == "fileobj":
        out = roundtrip_bytes({"x": t, "scalar": t[0, 0]})
    else:
        ember.save({"x": t, "scalar": t[0, 0]}, path)
        out = ember.load(path, mmap=(route == "mmap"))
    assert list(out) == ["x", "scalar"]
    assert_same(out["x"], dtype, arr)
    assert_same(out["scalar"], dtype, arr[0, 0])


def test_bfloat16_bits_survive(tmp_path):
    t = ember.tensor([1.0, -2.5, 3.140625, 1e30, float("inf")], dtype=ember.bfloat16)
    out = roundtrip_bytes([t])[0]
    np.testing.assert_array_equal(out.view(ember.int16).numpy(), t.view(ember.int16).numpy())


@pytest.mark.parametrize("shape", [(), (0,), (3, 0, 2), (1,), (2, 1, 3, 1)])
def test_zero_dim_and_empty_shapes(shape):
    arr = np.asarray(np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) - 1.5)
    out = roundtrip_bytes({"t": ember.from_numpy(arr)})["t"]
    assert tuple(out.shape) == shape
    np.testing.assert_array_equal(out.numpy(), arr)


def test_non_contiguous_tensors_are_written_contiguous(tmp_path):
    base = ember.arange(24, dtype=ember.float32).reshape(2, 3, 4)
    views = {
        "transposed": base.transpose(0, 2),
        "strided": base[:, ::2, 1::2],
        "expanded": ember.arange(3, dtype=ember.int32).reshape(3, 1).expand(3, 4),
        "offset": base[1],
    }
    path = tmp_path / "views.safetensors"
    ember.save(views, path)
    header = read_header(path.read_bytes())
    assert header["expanded"]["data_offsets"][1] - header["expanded"]["data_offsets"][0] == 12 * 4
    out = ember.load(path)
    for name, v in views.items():
        assert out[name].is_contiguous()
        np.testing.assert_array_equal(out[name].numpy(), v.numpy())


def test_views_of_one_storage_load_as_independent_tensors():
    x = ember.arange(6, dtype=ember.float32)
    out = roundtrip_bytes({"x": x, "tail": x[3:]})
    out["x"].fill_(0.0)
    np.testing.assert_array_equal(out["tail"].numpy(), [3, 4, 5])


def test_nested_optimizer_like_state():
    p0, p1 = ember.ones(2, 3), ember.zeros(4, dtype=ember.float64)
    obj = {
        "state": {0: {"step": 7, "exp_avg": p0 * 2, "exp_avg_sq": p0 * 3}, 1: {"step": 7, "momentum_buffer": p1}},
        "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                          "amsgrad": False, "foreach": None, "params": [0, 1], "name": "default"}],
    }
    out = roundtrip_bytes(obj)
    assert list(out) == ["state", "param_groups"]
    assert list(out["state"]) == [0, 1]
    assert out["state"][0]["step"] == 7 and type(out["state"][0]["step"]) is int
    np.testing.assert_array_equal(out["state"][0]["exp_avg"].numpy(), np.full((2, 3), 2, np.float32))
    np.testing.assert_array_equal(out["state"][0]["exp_avg_sq"].numpy(), np.full((2, 3), 3, np.float32))
    assert out["state"][1]["momentum_buffer"].dtype == ember.float64
    g = out["param_groups"][0]
    assert g == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False,
                 "foreach": None, "params": [0, 1], "name": "default"}
    assert type(g["betas"]) is tuple and type(g["params"]) is list
    assert type(g["weight_decay"]) is float and type(g["amsgrad"]) is bool


def test_nested_tensor_names_follow_paths():
    buf = io.BytesIO()
    ember.save({"state": {0: {"exp_avg": ember.ones(1)}}, "w": [ember.ones(1), ember.ones(2)]}, buf)
    header = read_header(buf.getvalue())
    assert set(header) == {"__metadata__", "state.0.exp_avg", "w.0", "w.1"}
    assert "ember.structure" in header["__metadata__"]


def test_colliding_tensor_names_are_made_unique():
    obj = {"a.b": ember.ones(1), "a": {"b": ember.zeros(1)}, 3: "x"}
    out = roundtrip_bytes(obj)
    assert out["a.b"].item() == 1 and out["a"]["b"].item() == 0 and out[3] == "x"


def test_plain_state_dict_has_no_structure_metadata():
    buf = io.BytesIO()
    ember.save({"fc.weight": ember.ones(2, 2), "fc.bias": ember.zeros(2)}, buf)
    header = read_header(buf.getvalue())
    assert "__metadata__" not in header
    assert set(header) == {"fc.weight", "fc.bias"}
    # The data starts 8-byte aligned: the header is padded with spaces.
    (n,) = struct.unpack("<Q", buf.getvalue()[:8])
    assert n % 8 == 0


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**63 - 1, -2**63, 0.1, -0.0, 1e308, 5e-324, float("inf"), float("-inf"),
    "", "héllo \u2603 \U0001F600", "quote \" backslash \\ newline \n tab \t nul \x00",
    [], (), {}, [[]], {"k": []}, (1, (2, (3,))), [1, 2.0, "3", None, True],
])
def test_non_tensor_values_roundtrip(value):
    out = roundtrip_bytes(value)
    assert out == value
    assert type(out) is type(value)
    if isinstance(value, float) and value == 0:
        assert math.copysign(1, out) == math.copysign(1, value)


def test_nan_roundtrips():
    out = roundtrip_bytes({"x": float("nan")})
    assert math.isnan(out["x"])


def test_single_tensor_and_list_of_tensors():
    t = ember.arange(5)
    out = roundtrip_bytes(t)
    assert isinstance(out, ember.Tensor)
    np.testing.assert_array_equal(out.numpy(), np.arange(5))
    out = roundtrip_bytes((t, [t * 2]))
    np.testing.assert_array_equal(out[1][0].numpy(), np.arange(5) * 2)


def test_dict_key_order_and_int_keys_preserved():
    obj = {"z": 1, 5: 2, "a": 3, -1: ember.ones(1)}
    out = roundtrip_bytes(obj)
    assert list(out) == ["z", 5, "a", -1]


def test_loaded_tensors_are_plain_and_writable():
    t = ember.ones(3, requires_grad=True)
    out = roundtrip_bytes({"t": t})["t"]
    assert not out.requires_grad
    out.add_(1)
    np.testing.assert_array_equal(out.numpy(), [2, 2, 2])


def test_module_state_dict_roundtrip(tmp_path):
    from ember import nn
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
    p = tmp_path / "model.safetensors"
    ember.save(model.state_dict(), p)
    assert "__metadata__" not in read_header(p.read_bytes())  # a plain safetensors state dict
    x = ember.randn(5, 4)
    with ember.no_grad():
        expected = model(x).numpy()
    for mmap in (False, True):
        other = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
        other.load_state_dict(ember.load(p, mmap=mmap))
        with ember.no_grad():
            np.testing.assert_array_equal(other(x).numpy(), expected)


def test_parameters_save_as_tensors():
    from ember import nn
    w = nn.Parameter(ember.ones(2, 2))
    out = roundtrip_bytes({"w": w, "nested": [w]})
    np.testing.assert_array_equal(out["w"].numpy(), np.ones((2, 2), np.float32))
    assert not out["w"].requires_grad


# ------------------------------------------------------------------ save errors


@pytest.mark.parametrize("obj,err,match", [
    ({1, 2}, TypeError, r"\[save\] cannot save an object of type set"),
    ([object()], TypeError, r"\[save\] cannot save an object of type object"),
    (b"bytes", TypeError, r"type bytes"),
    (2**64, ValueError, r"\[save\] the int .* does not fit in 64 bits"),
    ({True: 1}, TypeError, r"\[save\] dict keys must be str or int, got bool"),
    ({1.5: 1}, TypeError, r"dict keys must be str or int, got float"),
    ({2**70: 1}, ValueError, r"dict key .* does not fit in 64 bits"),
])
def test_save_rejects_unsupported_values(obj, err, match):
    with pytest.raises(err, match=match):
        ember.save(obj, io.BytesIO())


def test_save_rejects_self_containing_and_too_deep_values(tmp_path):
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match=r"\[save\] the object is nested deeper than 100 levels"):
        ember.save(loop, io.BytesIO())
    deep = 0
    for _ in range(101):
        deep = [deep]
    with pytest.raises(ValueError, match="nested deeper"):
        ember.save(deep, io.BytesIO())
    ok = 0
    for _ in range(99):
        ok = {"k": ok}
    assert roundtrip_bytes(ok) == ok


def test_failed_save_leaves_no_file(tmp_path):
    path = tmp_path / "never.safetensors"
    with pytest.raises(TypeError):
        ember.save({"x": {1, 2}}, path)
    # The value is checked before the file is opened.
    assert not path.exists()


def test_strings_that_cannot_be_utf8_raise_unicode_errors():
    with pytest.raises(UnicodeEncodeError):
        ember.save("\udc80", io.BytesIO())
    with pytest.raises(UnicodeEncodeError):
        ember.save({"\udc80": 1}, io.BytesIO())


def test_save_f_must_be_path_or_writable():
    with pytest.raises(TypeError, match=r"\[save\] f must be a path or a file object with write\(\), got int"):
        ember.save({}, 3)


# ------------------------------------------------------------------ paths and file objects


def test_pathlike_and_str_paths(tmp_path):
    p = tmp_path / "a.safetensors"
    ember.save({"x": ember.ones(2)}, p)
    ember.save({"y": ember.zeros(2)}, str(p) + "2")
    assert ember.load(str(p))["x"].sum().item() == 2
    assert ember.load(pathlib.Path(str(p) + "2"))["y"].sum().item() == 0


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        ember.load(tmp_path / "missing.safetensors")
    with pytest.raises(FileNotFoundError):
        ember.save({}, tmp_path / "no" / "dir.safetensors")
    for mmap in (False, True):
        with pytest.raises(IsADirectoryError):
            ember.load(tmp_path, mmap=mmap)
    with pytest.raises(IsADirectoryError):
        ember.save({}, tmp_path)


def test_real_file_objects(tmp_path):
    p = tmp_path / "f.safetensors"
    with open(p, "wb") as f:
        ember.save({"x": ember.arange(4)}, f)
    with open(p, "rb") as f:
        out = ember.load(f)
        assert f.read() == b""  # positioned right after the file's data
    np.testing.assert_array_equal(out["x"].numpy(), np.arange(4))


def test_two_saves_in_one_stream_load_in_order():
    buf = io.BytesIO()
    ember.save({"a": ember.ones(3)}, buf)
    ember.save([1, "two"], buf)
    buf.write(b"trailer")
    buf.seek(0)
    assert ember.load(buf)["a"].sum().item() == 3
    assert ember.load(buf) == [1, "two"]
    assert buf.read() == b"trailer"


class ReadOnlyStream:
    """A file object with read() only: no seek, no tell (a pipe or socket)."""

    def __init__(self, data):
        self._buf = io.BytesIO(data)
        self.reads = 0

    def read(self, n=-1):
        self.reads += 1
        return self._buf.read(min(n, 1000) if n >= 0 else n)


class WriteOnlyStream:
    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)


def test_non_seekable_streams():
    w = WriteOnlyStream()
    big = ember.arange(100_000, dtype=ember.float32)
    ember.save({"big": big, "n": 3}, w)
    data = b"".join(w.chunks)
    out = ember.load(ReadOnlyStream(data))
    np.testing.assert_array_equal(out["big"].numpy(), np.arange(100_000, dtype=np.float32))
    assert out["n"] == 3


def test_text_mode_file_is_rejected(tmp_path):
    p = tmp_path / "t.safetensors"
    ember.save({"x": ember.ones(1)}, p)
    with open(p, "r", encoding="latin-1") as f:
        with pytest.raises(TypeError, match=r"\[load\] .*read\(\) returned str.*binary mode"):
            ember.load(f)


def test_python_errors_from_file_objects_propagate():
    class Broken:
        def write(self, data):
            raise OSError("disk full")

        def read(self, n=-1):
            raise OSError("unreadable")

    with pytest.raises(OSError, match="disk full"):
        ember.save({"x": ember.ones(100_000)}, Broken())
    with pytest.raises(OSError, match="unreadable"):
        ember.load(Broken())


# ------------------------------------------------------------------ load options


def test_map_location_and_weights_only():
    t = ember.arange(3)
    for loc in ["cpu", ember.device("cpu"), {"cpu": "cpu"}, {"cuda:0": "cpu"}, None]:
        out = roundtrip_bytes({"t": t}, map_location=loc, weights_only=False)
        np.testing.assert_array_equal(out["t"].numpy(), [0, 1, 2])
    with pytest.raises(NotImplementedError, match=r"\[load\] map_location as a function"):
        roundtrip_bytes({"t": t}, map_location=lambda s, loc: s)
    with pytest.raises(TypeError, match="weights_only"):
        roundtrip_bytes({"t": t}, weights_only="yes")


def proc_rchar():
    with open("/proc/self/io") as f:
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise AssertionError("no rchar")


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs /proc/self/io (Linux)")
def test_mmap_does_not_read_the_file(tmp_path):
    p = tmp_path / "big.safetensors"
    big = ember.arange(4_000_000, dtype=ember.float32)  # 16 MB
    ember.save({"big": big, "meta": {"step": 1}}, p)
    before = proc_rchar()
    out = ember.load(p, mmap=True)
    read_by_mmap = proc_rchar() - before
    assert read_by_mmap < 1_000_000, read_by_mmap
    before = proc_rchar()
    ember.load(p)
    assert proc_rchar() - before >= 16_000_000
    assert out["big"][3_999_999].item() == 3_999_999.0
    assert out["meta"] == {"step": 1}
    with open("/proc/self/maps") as f:
        assert str(p) in f.read()


def test_mmap_tensors_outlive_file_and_writes_stay_private(tmp_path):
    p = tmp_path / "m.safetensors"
    ember.save({"x": ember.arange(10, dtype=ember.int64)}, p)
    original = p.read_bytes()
    with open(p, "rb") as f:
        out = ember.load(f, mmap=True)
    assert f.closed
    x = out["x"]
    os.remove(p)
    x.mul_(10)  # copy-on-write: the file is untouched
    np.testing.assert_array_equal(x.numpy(), np.arange(10) * 10)
    ember.save({"x": ember.arange(10, dtype=ember.int64)}, p)
    assert p.read_bytes() == original


def test_saving_over_a_mapped_file_keeps_loaded_tensors_valid(tmp_path):
    p = tmp_path / "model.safetensors"
    ember.save({"w": ember.arange(1000, dtype=ember.float32)}, p)
    sd = ember.load(p, mmap=True)
    sd["w"].mul_(2)
    ember.save(sd, p)  # replaces the file instead of truncating the mapped one
    ember.save({"other": ember.ones(1)}, p)
    np.testing.assert_array_equal(sd["w"].numpy(), np.arange(1000) * 2)
    assert list(ember.load(p)) == ["other"]
    assert sorted(os.listdir(tmp_path)) == ["model.safetensors"]


def test_mmap_of_a_file_written_by_others_with_unaligned_tensors(tmp_path):
    # A one-byte tensor first puts the float64 tensor at an odd offset: it is
    # copied instead of borrowed.
    header = {"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
              "b": {"dtype": "F64", "shape": [2], "data_offsets": [1, 17]}}
    text = json.dumps(header).encode()
    p = tmp_path / "u.safetensors"
    p.write_bytes(struct.pack("<Q", len(text)) + text + b"\x07" + struct.pack("<2d", 1.5, -2.0))
    out = ember.load(p, mmap=True)
    assert out["a"].item() == 7
    np.testing.assert_array_equal(out["b"].numpy(), [1.5, -2.0])


def test_mmap_needs_a_real_file():
    buf = io.BytesIO()
    ember.save({"x": ember.ones(1)}, buf)
    buf.seek(0)
    with pytest.raises(ValueError, match=r"\[load\] mmap=True needs a path or a file object with a fileno\(\)"):
        ember.load(buf, mmap=True)


# ------------------------------------------------------------------ safetensors interop

def _safetensors_numpy():
    return pytest.importorskip("safetensors.numpy")


@pytest.mark.parametrize("np_dtype", [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64,
                                      np.float16, np.float32, np.float64, np.complex64])
def test_safetensors_files_open_in_ember(tmp_path, np_dtype):
    stn = _safetensors_numpy()
    arrays = {"w": sample_array(np_dtype, (3, 4)), "b": sample_array(np_dtype, (4,)),
              "s": sample_array(np_dtype, (1,)).reshape(()), "e": sample_array(np_dtype, (0, 2))}
    p = tmp_path / "np.safetensors"
    stn.save_file(arrays, str(p), metadata={"format": "np"})
    for mmap in (False, True):
        out = ember.load(p, mmap=mmap)
        assert set(out) == set(arrays)
        for k, arr in arrays.items():
            np.testing.assert_array_equal(out[k].numpy(), arr)
            assert tuple(out[k].shape) == arr.shape
    out = ember.load(io.BytesIO(stn.save(arrays)))
    np.testing.assert_array_equal(out["w"].numpy(), arrays["w"])


def test_ember_files_open_in_safetensors(tmp_path):
    stn = _safetensors_numpy()
    state = {name: make_tensor(d, n, (2, 3))[0] for (d, n), name in zip(DTYPES, "abcdefghijkl")
             if d not in (ember.bfloat16, ember.complex128)}
    p = tmp_path / "e.safetensors"
    ember.save(state, p)
    loaded = stn.load_file(str(p))
    assert set(loaded) == set(state)
    for k, t in state.items():
        np.testing.assert_array_equal(loaded[k], t.numpy())
        assert loaded[k].dtype == t.numpy().dtype
    # A nested value reads as flat, path-named tensors plus metadata.
    ember.save({"state": {0: {"m": ember.ones(2)}}, "lr": 0.5, "z": ember.tensor([1 + 2j], dtype=ember.complex128)}, p)
    loaded = stn.load_file(str(p))
    np.testing.assert_array_equal(loaded["state.0.m"], np.ones(2, np.float32))
    np.testing.assert_array_equal(loaded["z"], [[1.0, 2.0]])


# ------------------------------------------------------------------ hostile files


def file_from(header, data=b"", *, raw_header=None, length=None):
    text = raw_header if raw_header is not None else json.dumps(header).encode()
    n = len(text) if length is None else length
    return struct.pack("<Q", n) + text + data


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def meta(structure=None, **extra):
    m = dict(extra)
    if structure is not None:
        m["ember.structure"] = json.dumps(structure)
    return {"__metadata__": m}


F32x2 = entry("F32", [2], 0, 8)
EIGHT = b"\x00" * 8

HOSTILE = [
    # (id, file bytes, message pattern)
    ("empty", b"", r"too short for a safetensors header"),
    ("four-bytes", b"\x01\x02\x03\x04", r"too short"),
    ("header-longer-than-file", file_from({"x": F32x2}, EIGHT, length=10_000),
     r"header length 10000 bytes is larger than the \d+ bytes that follow"),
    ("header-over-limit", file_from({}, b"", length=200_000_000), r"larger than the limit of 100000000"),
    ("header-2**64-1", struct.pack("<Q", 2**64 - 1) + b"{}", r"larger than the limit"),
    ("torch-zip", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 60, r"looks like a zip file \(a torch.save checkpoint\?\)"),
    ("pickle", b"\x80\x02}q\x00." + b"\x00" * 8, r"looks like a pickle file.*never unpickles"),
    ("not-json", file_from(None, raw_header=b"hello world"), r"invalid JSON"),
    ("truncated-json", file_from(None, raw_header=b'{"x": {"dtype": "F32"'), r"invalid JSON"),
    ("invalid-utf8", file_from(None, raw_header=b'{"\xff\xfe": 1}'), r"invalid UTF-8"),
    ("overlong-utf8", file_from(None, raw_header=b'{"\xc0\xaf": 1}'), r"invalid UTF-8"),
    ("lone-surrogate", file_from(None, raw_header=b'{"\\ud800": 1}'), r"surrogate"),
    ("nul-in-string", file_from(None, raw_header=b'{"a\x00": 1}'), r"control character"),
    ("array-root", file_from([1, 2]), r"expected a JSON object, got a array"),
    ("trailing-garbage", file_from(None, raw_header=b'{} {}'), r"unexpected text after the value"),
    ("duplicate-key", file_from(None, raw_header=b'{"x": 1, "x": 2}'), r"duplicate key \"x\""),
    ("deep-json", file_from(None, raw_header=b"[" * 100_000 + b"]" * 100_000), r"nesting deeper than 3"),
    ("missing-dtype", file_from({"x": {"shape": [2], "data_offsets": [0, 8]}}, EIGHT), r"tensor 'x' has no 'dtype'"),
    ("missing-shape", file_from({"x": {"dtype": "F32", "data_offsets": [0, 8]}}, EIGHT), r"no 'shape'"),
    ("missing-offsets", file_from({"x": {"dtype": "F32", "shape": [2]}}, EIGHT), r"no 'data_offsets'"),
    ("extra-field", file_from({"x": dict(F32x2, evil="1")}, EIGHT), r"unexpected field 'evil'"),
    ("entry-not-object", file_from({"x": [1]}), r"tensor 'x' is a JSON array, not an object"),
    ("unknown-dtype", file_from({"x": entry("F7", [2], 0, 8)}, EIGHT), r"unknown dtype 'F7'"),
    ("unsupported-dtype", file_from({"x": entry("U16", [4], 0, 8)}, EIGHT), r"dtype U16, which Ember does not"),
    ("dtype-not-string", file_from({"x": entry(3, [2], 0, 8)}, EIGHT), r"dtype that is not a string"),
    ("negative-dim", file_from({"x": entry("F32", [-2], 0, 8)}, EIGHT), r"negative dimension -2"),
    ("float-dim", file_from({"x": entry("F32", [2.0], 0, 8)}, EIGHT), r"shape entry that is not an integer"),
    ("shape-not-array", file_from({"x": entry("F32", 2, 0, 8)}, EIGHT), r"shape that is not an array"),
    ("dim-over-int64", file_from(None, raw_header=b'{"x": {"dtype": "F32", "shape": [18446744073709551616],'
                                                  b' "data_offsets": [0, 8]}}'), r"out of the int64 range"),
    ("shape-overflow", file_from({"x": entry("F32", [2**62, 2**62], 0, 8)}, EIGHT), r"overflows 64 bits"),
    ("offsets-mismatch", file_from({"x": entry("F32", [3], 0, 8)}, EIGHT), r"spanning 8 bytes, but dtype F32 and shape \[3\] need 12"),
    ("offsets-reversed", file_from({"x": entry("F32", [2], 8, 0)}, EIGHT), r"end before they begin"),
    ("offsets-negative", file_from({"x": entry("F32", [2], -8, 0)}, EIGHT), r"not two non-negative integers"),
    ("offsets-three", file_from({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4, 8]}}, EIGHT),
     r"not a \[begin, end\] pair"),
    ("offsets-out-of-range", file_from({"x": entry("F32", [2], 0, 8)}, b"\x00" * 4),
     r"truncated: the header describes 8 bytes of tensor data but only 4"),
    ("huge-claimed-data", file_from({"x": entry("F32", [2**37], 0, 2**39)}, EIGHT), r"truncated"),
    ("overlap", file_from({"x": entry("F32", [2], 0, 8), "y": entry("F32", [2], 4, 12)}, b"\x00" * 12),
     r"overlapping tensor 'x'"),
    ("same-range", file_from({"x": entry("F32", [2], 0, 8), "y": entry("I32", [2], 0, 8)}, EIGHT), r"overlapping"),
    ("hole", file_from({"x": entry("F32", [2], 4, 12)}, b"\x00" * 12), r"starts at byte 4, leaving a hole"),
    ("trailing-bytes", file_from({"x": F32x2}, EIGHT + b"junk"), r"require.* cover the data exactly"),
    ("metadata-not-object", file_from({"__metadata__": [1]}), r"__metadata__ must be an object"),
    ("metadata-not-string", file_from({"__metadata__": {"a": 1}}), r"__metadata__ values must be strings, but 'a'"),
    ("structure-bad-json", file_from({"__metadata__": {"ember.structure": "[1,"}, "x": F32x2}, EIGHT), r"invalid JSON"),
    ("structure-missing-tensor", file_from(dict(meta([{"tensor": "nope"}])), b""),
     r"refers to a tensor 'nope' that the file does not hold"),
    ("structure-unreferenced", file_from(dict(meta([1]), x=F32x2), EIGHT), r"tensor 'x' is not referenced"),
    ("structure-unknown-tag", file_from(dict(meta({"pickle": "os.system"})), b""), r"unknown tag \"pickle\""),
    ("structure-two-tags", file_from(dict(meta({"tuple": [], "dict": []})), b""), r"exactly one key"),
    ("structure-bad-dict", file_from(dict(meta({"dict": [[1.5, 2]]})), b""), r"dict key must be a string or an integer"),
    ("structure-bad-float", file_from(dict(meta({"float": "1e5"})), b""), r"\"float\" must be"),
    ("structure-too-deep", file_from(dict(meta(json.loads("[" * 150 + "]" * 150))), b""), r"nesting deeper than"),
    ("structure-very-deep", file_from({"__metadata__": {"ember.structure": "[" * 50_000 + "]" * 50_000}}, b""),
     r"nesting deeper than"),
    ("complex-marker-wrong", file_from({"__metadata__": {"ember.complex128": '["x"]'}, "x": F32x2}, EIGHT),
     r"marked complex128 but is not F64"),
    ("complex-marker-missing", file_from({"__metadata__": {"ember.complex128": '["q"]'}}), r"names a tensor 'q'"),
]


def _load_via(route, data, tmp_path):
    if route == "bytesio":
        return ember.load(io.BytesIO(data))
    if route == "stream":
        return ember.load(ReadOnlyStream(data))
    p = tmp_path / "hostile.safetensors"
    p.write_bytes(data)
    return ember.load(p, mmap=(route == "mmap"))


# A stream is read only as far as the header claims, so bytes after the data
# are not an error there (test_trailing_bytes_in_a_stream_are_left_unread).
HOSTILE_CASES = [(route, *case) for route in ["path", "mmap", "bytesio", "stream"] for case in HOSTILE
                 if not (route in ("bytesio", "stream") and case[0] == "trailing-bytes")]


@pytest.mark.parametrize("route,name,data,pattern", HOSTILE_CASES, ids=[f"{c[0]}-{c[1]}" for c in HOSTILE_CASES])
def test_hostile_files_raise_clear_errors(tmp_path, route, name, data, pattern):
    if route == "stream" and name.startswith(("header-longer", "offsets-out-of-range")):
        # No length to check first: the read itself comes up short.
        pattern = r"truncated: expected \d+ bytes of (header|tensor data) but got \d+"
    with pytest.raises(RuntimeError, match=r"^\[load\] .*" + pattern):
        _load_via(route, data, tmp_path)


def test_trailing_bytes_in_a_stream_are_left_unread():
    data = file_from({"x": F32x2}, EIGHT) + b"junk"
    buf = io.BytesIO(data)
    assert ember.load(buf)["x"].shape == (2,)
    assert buf.read() == b"junk"


def test_hostile_corpus_files_on_disk():
    # Committed files (see tests/data/serialization/README.md): each must fail cleanly.
    folder = pathlib.Path(__file__).parent.parent / "data" / "serialization"
    files = sorted(folder.glob("*.safetensors"))
    assert len(files) >= 8
    for f in files:
        for mmap in (False, True):
            with pytest.raises(RuntimeError, match=r"^\[load\] "):
                ember.load(f, mmap=mmap)


def test_zero_size_tensors_may_share_an_offset():
    header = {"a": entry("F32", [0], 0, 0), "b": entry("F32", [2], 0, 8), "c": entry("I64", [0, 5], 8, 8)}
    out = ember.load(io.BytesIO(file_from(header, EIGHT)))
    assert tuple(out["a"].shape) == (0,) and tuple(out["c"].shape) == (0, 5)


def test_unknown_metadata_is_ignored_and_spaces_pad_the_header():
    text = json.dumps({"__metadata__": {"format": "pt"}, "x": F32x2}).encode() + b"   \n\t "
    out = ember.load(io.BytesIO(struct.pack("<Q", len(text)) + text + struct.pack("<2f", 1, 2)))
    np.testing.assert_array_equal(out["x"].numpy(), [1, 2])


def test_random_corruption_never_crashes(tmp_path):
    obj = {"state": {0: {"m": ember.arange(6, dtype=ember.float32).reshape(2, 3)}}, "lr": 0.1,
           "names": ("a", "b"), "c": ember.tensor([1j], dtype=ember.complex128)}
    buf = io.BytesIO()
    ember.save(obj, buf)
    good = buf.getvalue()
    rng = random.Random(0)
    outcomes = {"ok": 0, "error": 0}
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            pos = rng.randrange(len(data))
            if kind < 0.6:
                data[pos] = rng.randrange(256)
            elif kind < 0.8:
                del data[pos:pos + rng.randint(1, 8)]
            else:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        try:
            ember.load(io.BytesIO(bytes(data)))
            outcomes["ok"] += 1
        except RuntimeError as e:
            assert str(e).startswith("[load] ")
            outcomes["error"] += 1
    assert outcomes["error"] > 100


def test_readme_saving_section_runs(tmp_path, monkeypatch):
    import re
    readme = pathlib.Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text().split("## Saving and loading", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(code, "README saving", "exec"), namespace)  # noqa: S102
    assert namespace["sd"]["fc.weight"].sum().item() == 6
    assert ember.load("optim.safetensors")["state"][0]["step"] == 3
