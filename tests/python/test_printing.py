"""Tensor printing. Every expected string is worked out by hand from the
algorithm of PyTorch's torch/_tensor_str.py (_Formatter, _vector_str,
_tensor_str_with_formatter, _add_suffixes), with `ember.` where PyTorch
writes `torch.`."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember

nan, inf = float("nan"), float("inf")


@pytest.fixture(autouse=True)
def _restore_state():
    saved = ember.get_printoptions()
    dtype = ember.get_default_dtype()
    yield
    ember.set_printoptions(**saved)
    ember.set_default_dtype(dtype)


def r(t):
    s = repr(t)
    assert str(t) == s
    return s


# ---- floating formats (_Formatter)

def test_float_whole_numbers_print_with_a_point():
    assert r(ember.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert r(ember.tensor([-1.0, 20.0])) == "tensor([-1., 20.])"
    # width is len("{:.0f}") + 1 for the point: 3 for "20."
    assert r(ember.tensor([1.0, 20.0])) == "tensor([ 1., 20.])"


def test_float_fixed_point_shares_one_width():
    assert r(ember.tensor([1.5, 2.25, -3.125])) == "tensor([ 1.5000,  2.2500, -3.1250])"
    assert r(ember.tensor([[1.5, -20.25], [300.125, 4.0]])) == (
        "tensor([[  1.5000, -20.2500],\n"
        "        [300.1250,   4.0000]])")


def test_precision_rounds_like_python_format():
    assert r(ember.tensor([0.12345678], dtype=ember.float64)) == "tensor([0.1235], dtype=ember.float64)"
    # 0.125 and 2.5 are exact binary ties: round half to even as Python does.
    ember.set_printoptions(precision=2)
    assert r(ember.tensor([0.125, 1.5])) == "tensor([0.12, 1.50])"
    ember.set_printoptions(precision=0)
    assert r(ember.tensor([2.5, 0.5])) == "tensor([2, 0])"


def test_scientific_when_ratio_exceeds_1000():
    assert r(ember.tensor([1e-3, 10.0])) == "tensor([1.0000e-03, 1.0000e+01])"
    # whole numbers too: 2000 / 1 > 1000
    assert r(ember.tensor([1.0, 2000.0])) == "tensor([1.0000e+00, 2.0000e+03])"
    # ratio exactly 1000 is not enough
    assert r(ember.tensor([1.0, 1000.0])) == "tensor([   1., 1000.])"


def test_scientific_when_max_above_1e8_or_min_below_1e4():
    assert r(ember.tensor([1e9, 2e9])) == "tensor([1.0000e+09, 2.0000e+09])"
    assert r(ember.tensor([5e-5, 6e-5], dtype=ember.float64)) == (
        "tensor([5.0000e-05, 6.0000e-05], dtype=ember.float64)")
    # 1e8 itself is not above 1e8
    assert r(ember.tensor([1e8])) == "tensor([100000000.])"


def test_sci_mode_option_forces_or_forbids():
    ember.set_printoptions(sci_mode=False)
    assert r(ember.tensor([1e-5, 1.0])) == "tensor([0.0000, 1.0000])"
    assert r(ember.tensor([1e9, 1.0])) == "tensor([1000000000.,          1.])"
    ember.set_printoptions(sci_mode=True)
    assert r(ember.tensor([2.5, 1.0])) == "tensor([2.5000e+00, 1.0000e+00])"
    assert r(ember.tensor([2.0, 1.0])) == "tensor([2.0000e+00, 1.0000e+00])"
    # no finite nonzero value: PyTorch never looks at sci_mode
    assert r(ember.tensor([0.0, 0.0])) == "tensor([0., 0.])"


def test_nan_and_inf():
    assert r(ember.tensor([1.0, nan, inf, -inf])) == "tensor([1., nan, inf, -inf])"
    assert r(ember.tensor([1.5, nan])) == "tensor([1.5000,    nan])"
    assert r(ember.tensor([nan, nan])) == "tensor([nan, nan])"
    assert r(ember.tensor([1e-5, nan])) == "tensor([1.0000e-05,        nan])"
    assert r(ember.tensor([0.0, inf])) == "tensor([0., inf])"


def test_negative_zero():
    assert r(ember.tensor([-0.0, 1.0])) == "tensor([-0., 1.])"
    # zeros do not count towards the width
    assert r(ember.tensor([-0.0, 1.5])) == "tensor([-0.0000, 1.5000])"
    assert r(ember.tensor([0.0, -1.5])) == "tensor([ 0.0000, -1.5000])"
    assert r(ember.tensor(-0.0)) == "tensor(-0.)"


def test_half_and_bfloat16_print_their_float_values():
    assert r(ember.tensor([1.5, 2.0], dtype=ember.float16)) == "tensor([1.5000, 2.0000], dtype=ember.float16)"
    # 0.1 in float16 is 0.0999755859375
    assert r(ember.tensor([0.1, 1.0], dtype=ember.float16)) == "tensor([0.1000, 1.0000], dtype=ember.float16)"
    # 1.1 in bfloat16 is 1.1015625
    assert r(ember.tensor([1.1, 2.0], dtype=ember.bfloat16)) == "tensor([1.1016, 2.0000], dtype=ember.bfloat16)"
    assert r(ember.tensor([1.0, 2.0], dtype=ember.bfloat16)) == "tensor([1., 2.], dtype=ember.bfloat16)"


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e7, allow_nan=False).filter(lambda x: x != math.ceil(x)))
def test_fixed_format_matches_python_format(x):
    assert r(ember.tensor(x, dtype=ember.float64)) == f"tensor({x:.4f}, dtype=ember.float64)"
    x32 = float(np.float32(x))
    if x32 != math.ceil(x32):
        assert r(ember.tensor(x32)) == f"tensor({x32:.4f})"


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1e9, max_value=1e300) | st.floats(min_value=1e-300, max_value=1e-5))
def test_sci_format_matches_python_format(x):
    assert r(ember.tensor(x, dtype=ember.float64)) == f"tensor({x:.4e}, dtype=ember.float64)"


# ---- integers, bools, complex

def test_integers():
    assert r(ember.tensor([[1, 2], [3, 4]])) == "tensor([[1, 2],\n        [3, 4]])"
    assert r(ember.tensor([1, -20, 300])) == "tensor([  1, -20, 300])"
    big = 2**63 - 1
    assert r(ember.tensor([big, -1])) == f"tensor([{big},                  -1])"


def test_bool_pads_to_false():
    assert r(ember.tensor([True, False])) == "tensor([ True, False])"
    assert r(ember.tensor([True, True])) == "tensor([True, True])"
    assert r(ember.tensor([[False], [True]])) == "tensor([[False],\n        [ True]])"


def test_complex():
    assert r(ember.tensor([1 + 2j, 3 - 1j])) == "tensor([1.+2.j, 3.-1.j])"
    assert r(ember.tensor([1.5 + 0.25j])) == "tensor([1.5000+0.2500j])"
    # real and imaginary parts have their own formatters: the imaginary
    # parts span 0.25 .. 1e5, so they go scientific.
    assert r(ember.tensor([[1 + 2j, -3.5 - 0.25j], [0j, 1e5j]])) == (
        "tensor([[ 1.0000+2.0000e+00j, -3.5000-2.5000e-01j],\n"
        "        [ 0.0000+0.0000e+00j,  0.0000+1.0000e+05j]])")
    assert r(ember.tensor(complex(1.0, -0.0))) == "tensor(1.-0.j)"
    assert r(ember.tensor([complex(nan, 1.0)])) == "tensor([nan+1.j])"
    assert r(ember.tensor([1j], dtype=ember.complex128)) == "tensor([0.+1.j], dtype=ember.complex128)"


# ---- shapes: 0-d, empty, nested, wrapping

def test_zero_dim():
    assert r(ember.tensor(3.0)) == "tensor(3.)"
    assert r(ember.tensor(3)) == "tensor(3)"
    assert r(ember.tensor(2.5)) == "tensor(2.5000)"
    assert r(ember.tensor(True)) == "tensor(True)"
    assert r(ember.tensor(1e-5)) == "tensor(1.0000e-05)"
    assert r(ember.tensor(3, dtype=ember.int32)) == "tensor(3, dtype=ember.int32)"
    assert r(ember.tensor(1 + 2j)) == "tensor(1.+2.j)"


def test_empty():
    assert r(ember.tensor([])) == "tensor([])"
    assert r(ember.empty(0, 3)) == "tensor([], size=(0, 3))"
    # no values to tell int64 from float: every non-default dtype is shown
    assert r(ember.tensor([], dtype=ember.int64)) == "tensor([], dtype=ember.int64)"
    assert r(ember.tensor([], dtype=ember.bool)) == "tensor([], dtype=ember.bool)"
    assert r(ember.empty(2, 0, dtype=ember.int32)) == "tensor([], size=(2, 0), dtype=ember.int32)"
    assert r(ember.empty(0, requires_grad=True)) == "tensor([], requires_grad=True)"


def test_three_dims_separate_blocks_by_a_blank_line():
    t = ember.arange(8).reshape(2, 2, 2)
    assert r(t) == ("tensor([[[0, 1],\n"
                    "         [2, 3]],\n"
                    "\n"
                    "        [[4, 5],\n"
                    "         [6, 7]]])")


def test_long_rows_wrap_at_linewidth():
    # width 2 + ", " = 4 per cell, (80 - 7) // 4 = 18 cells per line
    assert r(ember.arange(30)) == (
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])")
    # rows of a matrix sit one deeper: (80 - 8) // 4 = 18
    assert r(ember.arange(40).reshape(2, 20)) == (
        "tensor([[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "         18, 19],\n"
        "        [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,\n"
        "         38, 39]])")
    ember.set_printoptions(linewidth=20)
    assert r(ember.arange(10)) == "tensor([0, 1, 2, 3,\n        4, 5, 6, 7,\n        8, 9])"
    ember.set_printoptions(linewidth=1)  # never fewer than one cell a line
    assert r(ember.arange(3)) == "tensor([0,\n        1,\n        2])"


# ---- summarization

def test_summarize_1d():
    assert r(ember.arange(2000)) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    # 1999 / 1 > 1000: scientific, 10 wide, (80 - 7) // 12 = 6 cells a line
    assert r(ember.arange(2000.0)) == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])")


def test_summarize_formats_only_the_shown_values():
    a = np.ones(2000)
    a[1000] = 1e10
    assert r(ember.tensor(a)) == "tensor([1., 1., 1.,  ..., 1., 1., 1.], dtype=ember.float64)"


def test_summarize_threshold_is_strict():
    ember.set_printoptions(threshold=10)
    assert r(ember.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"
    assert r(ember.arange(11)) == "tensor([ 0,  1,  2,  ...,  8,  9, 10])"


def test_summarize_every_dim_of_a_noncontiguous_tensor():
    t = ember.arange(2000).reshape(40, 50).t()  # t[i, j] = 50 * j + i
    assert not t.is_contiguous()
    assert r(t) == (
        "tensor([[   0,   50,  100,  ..., 1850, 1900, 1950],\n"
        "        [   1,   51,  101,  ..., 1851, 1901, 1951],\n"
        "        [   2,   52,  102,  ..., 1852, 1902, 1952],\n"
        "        ...,\n"
        "        [  47,   97,  147,  ..., 1897, 1947, 1997],\n"
        "        [  48,   98,  148,  ..., 1898, 1948, 1998],\n"
        "        [  49,   99,  149,  ..., 1899, 1949, 1999]])")


def test_summarize_3d_with_options():
    ember.set_printoptions(threshold=10, edgeitems=1)
    assert r(ember.arange(27).reshape(3, 3, 3)) == (
        "tensor([[[ 0,  ...,  2],\n"
        "         ...,\n"
        "         [ 6,  ...,  8]],\n"
        "\n"
        "        ...,\n"
        "\n"
        "        [[18,  ..., 20],\n"
        "         ...,\n"
        "         [24,  ..., 26]]])")
    # a dim no longer than 2 * edgeitems is shown whole
    assert r(ember.arange(24).reshape(2, 12)) == (
        "tensor([[ 0,  ..., 11],\n"
        "        [12,  ..., 23]])")


def test_summarize_edgeitems_zero_shows_only_ellipsis():
    ember.set_printoptions(threshold=5, edgeitems=0)
    assert r(ember.arange(10)) == "tensor([...])"
    assert r(ember.arange(12).reshape(3, 4)) == "tensor([...])"


def test_summarize_expanded_and_complex():
    assert r(ember.tensor([5]).expand(2000)) == "tensor([5, 5, 5,  ..., 5, 5, 5])"
    c = ember.tensor(np.full(2000, 1 + 2j, dtype=np.complex64))
    assert r(c) == "tensor([1.+2.j, 1.+2.j, 1.+2.j,  ..., 1.+2.j, 1.+2.j, 1.+2.j])"


# ---- views print their own values

def test_noncontiguous_views_print_their_own_values():
    base = ember.arange(12).reshape(3, 4)
    assert r(base.t()) == ("tensor([[ 0,  4,  8],\n"
                           "        [ 1,  5,  9],\n"
                           "        [ 2,  6, 10],\n"
                           "        [ 3,  7, 11]])")
    assert r(base.narrow(1, 1, 2)) == ("tensor([[ 1,  2],\n"
                                       "        [ 5,  6],\n"
                                       "        [ 9, 10]])")
    assert r(base.select(1, 3)) == "tensor([ 3,  7, 11])"
    assert r(base.diagonal()) == "tensor([ 0,  5, 10])"
    assert r(base.as_strided((2, 2), (1, 4), 2)) == "tensor([[2, 6],\n        [3, 7]])"
    assert r(ember.tensor([1, 2, 3]).expand(2, 3)) == "tensor([[1, 2, 3],\n        [1, 2, 3]])"


# ---- suffixes

# Names, not dtype objects, in the parameters: pytest holding nanobind
# objects until exit makes nanobind report them as leaked.
# dtype names, not dtype objects, as parameters: nanobind objects that pytest
# holds until exit are reported by nanobind as leaked.
@pytest.mark.parametrize("name, value, shown", [
    ("float32", "1.", False), ("int64", "1", False), ("bool", "True", False), ("complex64", "1.+0.j", False),
    ("float64", "1.", True), ("float16", "1.", True), ("bfloat16", "1.", True), ("int32", "1", True),
    ("int16", "1", True), ("int8", "1", True), ("uint8", "1", True), ("complex128", "1.+0.j", True),
])
def test_dtype_suffix_rule(name, value, shown):
    suffix = f", dtype=ember.{name}" if shown else ""
    assert r(ember.tensor([1], dtype=getattr(ember, name))) == f"tensor([{value}]{suffix})"


def test_dtype_suffix_follows_the_default_dtype():
    ember.set_default_dtype(ember.float64)
    assert r(ember.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert r(ember.tensor([1.0], dtype=ember.float32)) == "tensor([1.], dtype=ember.float32)"
    assert r(ember.tensor([1j])) == "tensor([0.+1.j])"
    assert r(ember.tensor([1j], dtype=ember.complex64)) == "tensor([0.+1.j], dtype=ember.complex64)"
    assert r(ember.tensor([], dtype=ember.float32)) == "tensor([], dtype=ember.float32)"
    assert r(ember.tensor([])) == "tensor([])"


def test_requires_grad_suffix():
    assert r(ember.tensor([1.0, 2.0], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"
    assert r(ember.tensor([1.0], dtype=ember.float64, requires_grad=True)) == (
        "tensor([1.], dtype=ember.float64, requires_grad=True)")


def test_suffixes_wrap_at_linewidth():
    # "tensor([ 0, ..., 17]" is 79 wide: 79 + 2 + len(", dtype=ember.int32") > 80
    assert r(ember.arange(18).to(ember.int32)) == (
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17],\n"
        "       dtype=ember.int32)")
    # the first suffix fits, the second does not
    t = ember.tensor([float(i) for i in range(10)], dtype=ember.float64, requires_grad=True)
    assert r(t) == ("tensor([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.], dtype=ember.float64,\n"
                    "       requires_grad=True)")
    # after a multi-line body only the last line counts
    t = ember.tensor([[1, 2], [3, 4]], dtype=ember.int32)
    assert r(t) == "tensor([[1, 2],\n        [3, 4]], dtype=ember.int32)"


# ---- print options

def test_printoptions_defaults_and_round_trip():
    assert ember.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}
    ember.set_printoptions(precision=2, threshold=5, edgeitems=1, linewidth=40, sci_mode=True)
    opts = ember.get_printoptions()
    assert opts == {"precision": 2, "threshold": 5, "edgeitems": 1, "linewidth": 40, "sci_mode": True}
    ember.set_printoptions(profile="default")
    assert ember.get_printoptions()["precision"] == 4
    ember.set_printoptions(**opts)
    assert ember.get_printoptions() == opts


def test_printoptions_change_output():
    ember.set_printoptions(precision=2)
    assert r(ember.tensor([1.12345])) == "tensor([1.12])"
    ember.set_printoptions(threshold=5)
    assert r(ember.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    ember.set_printoptions(profile="default")
    assert r(ember.tensor([1.12345])) == "tensor([1.1235])"
    assert r(ember.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


def test_printoptions_sci_mode_resets_when_not_given():
    ember.set_printoptions(sci_mode=False)
    ember.set_printoptions(precision=3)
    assert ember.get_printoptions()["sci_mode"] is None


def test_printoptions_profiles():
    ember.set_printoptions(profile="short")
    assert ember.get_printoptions() == {
        "precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80, "sci_mode": None}
    assert r(ember.arange(2000)) == "tensor([   0,    1,  ..., 1998, 1999])"
    ember.set_printoptions(profile="full")
    assert ember.get_printoptions()["threshold"] == math.inf
    s = r(ember.arange(2000))
    assert "..." not in s and s.endswith("1998, 1999])") and s.count("\n") == 166  # 12 cells a line
    # other arguments override the profile
    ember.set_printoptions(profile="short", precision=3)
    assert ember.get_printoptions()["precision"] == 3
    ember.set_printoptions(threshold=2.5)  # a float threshold compares like PyTorch's
    assert r(ember.arange(3)) == "tensor([0, 1, 2])"
    ember.set_printoptions(threshold=2.5, edgeitems=1)
    assert r(ember.arange(3)) == "tensor([0,  ..., 2])"


def test_printoptions_reject_bad_values():
    with pytest.raises(ValueError, match=r"\[set_printoptions\] profile"):
        ember.set_printoptions(profile="long")
    with pytest.raises(ValueError, match="precision"):
        ember.set_printoptions(precision=-1)
    with pytest.raises(ValueError, match="edgeitems"):
        ember.set_printoptions(edgeitems=-2)
    with pytest.raises(TypeError):
        ember.set_printoptions(threshold="big")
    assert ember.get_printoptions()["precision"] == 4  # nothing changed


# ---- Python protocol

def test_format_and_print(capsys):
    assert f"{ember.tensor(3.14159):.2f}" == "3.14"
    assert f"{ember.tensor(7):>3}" == "  7"
    assert f"{ember.tensor([1, 2])}" == "tensor([1, 2])"
    with pytest.raises(TypeError):
        f"{ember.tensor([1, 2]):.2f}"
    print(ember.tensor([1.5]))
    assert capsys.readouterr().out == "tensor([1.5000])\n"


def test_extreme_options_do_not_overflow():
    ember.set_printoptions(threshold=0, edgeitems=2**62)
    assert r(ember.arange(5)) == "tensor([0, 1, 2, 3, 4])"
    ember.set_printoptions(linewidth=-2**63)
    assert r(ember.arange(2)) == "tensor([0,\n        1])"
    ember.set_printoptions(linewidth=2**63 - 1, threshold=-math.inf)
    assert r(ember.arange(2)) == "tensor([0, 1])"
    with pytest.raises(ValueError, match="nan"):
        ember.set_printoptions(threshold=nan)
