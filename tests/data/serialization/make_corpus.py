"""Writes the hostile safetensors files of this folder (run it here:
`python make_corpus.py`). Each file is a few hundred bytes and must make
ember.load raise RuntimeError; tests/python/test_serialization.py loads them
all, and generates many more cases of its own."""
import json
import struct


def write(name, header_bytes, data=b"", length=None):
    n = len(header_bytes) if length is None else length
    with open(name, "wb") as f:
        f.write(struct.pack("<Q", n) + header_bytes + data)


def header(obj):
    return json.dumps(obj).encode()


F32x2 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}

# The length prefix claims a 1 GiB header in a file of under 100 bytes.
write("header_length_past_end.safetensors", header({"x": F32x2}), b"\0" * 8, length=1 << 30)
# Two tensors share bytes 4..8.
write("overlapping_tensors.safetensors",
      header({"x": F32x2, "y": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}), b"\0" * 12)
# The tensor claims 4 GiB of data that the file does not hold.
write("offsets_out_of_range.safetensors",
      header({"x": {"dtype": "F32", "shape": [1 << 30], "data_offsets": [0, 1 << 32]}}), b"\0" * 8)
write("unknown_dtype.safetensors", header({"x": {"dtype": "Q9", "shape": [2], "data_offsets": [0, 8]}}), b"\0" * 8)
write("negative_shape.safetensors", header({"x": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}),
      b"\0" * 8)
write("invalid_utf8_header.safetensors", b'{"\xff\xfe": {"dtype": "F32"}}')
# Ember structure metadata that names a tensor the file lacks.
write("structure_missing_tensor.safetensors",
      header({"__metadata__": {"ember.structure": json.dumps({"dict": [["w", {"tensor": "w"}]]})}}))
# Structure metadata nested 2000 levels deep (the limit is 100 values).
write("structure_too_deep.safetensors", header({"__metadata__": {"ember.structure": "[" * 2000 + "]" * 2000}}))
