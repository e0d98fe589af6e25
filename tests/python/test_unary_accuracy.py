"""Accuracy of the transcendental functions against NumPy's validation data
(tests/data/umath-validation, see SOURCE.md there): every result must lie
within the file's ULP bound of the correctly rounded value. float16, which
the files lack, is checked on every finite float16 input against the float64
result rounded to float16, within 1 ULP."""
import pathlib

import numpy as np
import pytest

import ember

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "umath-validation"
FUNCS = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
         "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "cbrt"]
BITS = {"float16": np.uint16, "float32": np.uint32, "float64": np.uint64}
SIGNED = {"float16": np.int16, "float32": np.int32, "float64": np.int64}


def load(name):
    """{dtype name: (inputs, expected, max_ulp)} from one CSV file."""
    rows = {}
    for line in (DATA / f"umath-validation-set-{name}.csv").read_text().splitlines()[1:]:
        if not line or line.startswith("#"):
            continue
        dtype, inp, out, ulp = line.split(",")
        rows.setdefault(dtype.replace("np.", ""), []).append((int(inp, 16), int(out, 16), int(ulp)))
    data = {}
    for dtype, r in rows.items():
        bits = np.array([(i, o) for i, o, _ in r], dtype=BITS[dtype])
        data[dtype] = (bits[:, 0].view(dtype), bits[:, 1].view(dtype), max(u for _, _, u in r))
    return data


def ulp_distance(a, b):
    """ULPs between same-dtype arrays, on their integer bit patterns made
    monotonic (negative floats mirrored below zero), as NumPy's nulp_diff;
    two NaNs are 0 apart, a NaN and a number infinitely far."""
    dtype = a.dtype.name
    signed = SIGNED[dtype]

    def ordered(x):
        i = x.view(signed).astype(np.int64)
        return np.where(i < 0, np.iinfo(signed).min - i, i)

    d = np.abs(ordered(a) - ordered(b)).astype(np.float64)
    both_nan = np.isnan(a) & np.isnan(b)
    one_nan = np.isnan(a) ^ np.isnan(b)
    return np.where(both_nan, 0.0, np.where(one_nan, np.inf, d))


def run(name, x):
    return getattr(ember, name)(ember.from_numpy(x)).numpy()


def test_ulp_distance_is_on_bit_patterns():
    one = np.array([1.0], dtype=np.float32)
    assert ulp_distance(one, np.nextafter(one, np.float32(2))) == 1
    assert ulp_distance(np.array([-0.0], np.float32), np.array([0.0], np.float32)) == 0
    tiny = np.array([np.finfo(np.float32).smallest_subnormal], dtype=np.float32)
    assert ulp_distance(tiny, -tiny) == 2
    assert ulp_distance(np.array([np.nan], np.float32), one) == np.inf


@pytest.mark.parametrize("name", FUNCS)
def test_within_ulp_bound_of_validation_data(name):
    data = load(name)
    assert data, name
    for dtype, (x, expected, max_ulp) in data.items():
        got = run(name, x)
        assert got.dtype == expected.dtype
        dist = ulp_distance(got, expected)
        bad = np.flatnonzero(dist > max_ulp)
        assert bad.size == 0, (f"{name} {dtype}: {bad.size} of {x.size} beyond {max_ulp} ULP, e.g. "
                               f"x={x[bad[0]]!r} got {got[bad[0]]!r} expected {expected[bad[0]]!r}")


ALL_FLOAT16 = np.arange(0, 1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
ALL_FLOAT16 = ALL_FLOAT16[np.isfinite(ALL_FLOAT16)]


@pytest.mark.parametrize("name", FUNCS)
def test_float16_every_input_within_1_ulp(name):
    with np.errstate(all="ignore"):
        expected = getattr(np, name)(ALL_FLOAT16.astype(np.float64)).astype(np.float16)
    got = run(name, ALL_FLOAT16)
    assert got.dtype == np.float16
    dist = ulp_distance(got, expected)
    bad = np.flatnonzero(dist > 1)
    assert bad.size == 0, (f"{name} float16: {bad.size} inputs beyond 1 ULP, e.g. x={ALL_FLOAT16[bad[0]]!r} "
                           f"got {got[bad[0]]!r} expected {expected[bad[0]]!r}")
