"""Random number generation: determinism, generator state, statistics,
dtype/device/requires_grad arguments and every error case.

Statistical checks use fixed seeds, so they are exact regression tests for
this generator; their tolerances (5 standard errors) would still hold for any
correct generator."""
import math

import numpy as np
import pytest

import ember
from ember import Generator

BIG = 200_000  # above the 32768-element grain: split across threads


def arr(t):
    return np.asarray(t)


@pytest.fixture(autouse=True)
def _restore_rng_and_threads():
    state = ember.get_rng_state()
    threads = ember.get_num_threads()
    yield
    ember.set_rng_state(state)
    ember.set_num_threads(threads)


def assert_close_to(sample_mean, expected, std, n, k=5.0):
    """|mean - expected| within k standard errors."""
    assert abs(sample_mean - expected) < k * std / math.sqrt(n), (sample_mean, expected)


# ---------------------------------------------------------------- determinism

DRAWS = {
    "rand": lambda g: ember.rand(BIG, generator=g),
    "randn": lambda g: ember.randn(BIG, generator=g),
    "randn_complex": lambda g: ember.randn(BIG, dtype=ember.complex64, generator=g),
    "randint": lambda g: ember.randint(-5, 1000, (BIG,), generator=g),
    "randint_big": lambda g: ember.randint(-(2**62), 2**62, (BIG,), generator=g),
    "randperm": lambda g: ember.randperm(1000, generator=g),
    "normal": lambda g: ember.normal(1.0, 2.0, (BIG,), generator=g),
    "normal_tensor": lambda g: ember.normal(ember.zeros(BIG), ember.ones(BIG, dtype=ember.float32), generator=g),
    "bernoulli": lambda g: ember.bernoulli(ember.full((BIG,), 0.3), generator=g),
    "bernoulli_p": lambda g: ember.bernoulli(ember.zeros(BIG), 0.7, generator=g),
    "multinomial": lambda g: ember.multinomial(ember.ones(2000, 50, dtype=ember.float32), 10, generator=g),
    "multinomial_repl": lambda g: ember.multinomial(ember.ones(2000, 50, dtype=ember.float32), 30, True, generator=g),
    "exponential": lambda g: ember.zeros(BIG).exponential_(2.0, generator=g),
    "random_": lambda g: ember.zeros(BIG, dtype=ember.int64).random_(generator=g),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_same_seed_same_values_and_different_seed_differs(name):
    draw = DRAWS[name]
    a = arr(draw(Generator().manual_seed(123)))
    b = arr(draw(Generator().manual_seed(123)))
    c = arr(draw(Generator().manual_seed(124)))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_values_do_not_depend_on_thread_count(name):
    draw = DRAWS[name]
    ember.set_num_threads(1)
    one = arr(draw(Generator().manual_seed(7)))
    ember.set_num_threads(2)
    two = arr(draw(Generator().manual_seed(7)))
    np.testing.assert_array_equal(one, two)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_default_generator_is_used_and_reseeding_repeats(name):
    draw = DRAWS[name]
    ember.manual_seed(99)
    a = arr(draw(None))
    b = arr(draw(None))  # the offset moved on: new values
    ember.manual_seed(99)
    np.testing.assert_array_equal(a, arr(draw(None)))
    assert not np.array_equal(a, b)


def test_consecutive_draws_continue_the_counter_stream():
    # Element i of a draw uses counter offset + i, and a draw of n advances
    # the offset by n: two draws equal one draw of the combined size.
    ember.manual_seed(5)
    first, second = arr(ember.rand(3)), arr(ember.rand(4))
    ember.manual_seed(5)
    np.testing.assert_array_equal(np.concatenate([first, second]), arr(ember.rand(7)))


def test_non_contiguous_fill_matches_contiguous_draw():
    t = ember.zeros(4, 3).t()
    assert not t.is_contiguous()
    ember.manual_seed(11)
    t.uniform_()
    ember.manual_seed(11)
    np.testing.assert_array_equal(arr(t), arr(ember.rand(3, 4)))
    # a strided view writes through to its base and leaves the gaps alone
    base = ember.zeros(6)
    view = base.as_strided((3,), (2,))
    ember.manual_seed(11)
    view.normal_()
    ember.manual_seed(11)
    np.testing.assert_array_equal(arr(base)[::2], arr(ember.randn(3)))
    np.testing.assert_array_equal(arr(base)[1::2], 0)


M32 = 0xFFFFFFFF


def philox4x32_10(counter, seed):
    """Reference Philox4x32-10 on counter (counter, 0) and key seed, as Note
    [Random numbers] specifies; returns the 128 bits as (lo, hi) words."""
    c = [counter & M32, counter >> 32, 0, 0]
    k0, k1 = seed & M32, seed >> 32
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c[3] ^ k1) & M32, p0 & M32]
        k0, k1 = (k0 + 0x9E3779B9) & M32, (k1 + 0xBB67AE85) & M32
    return c[0] | (c[1] << 32), c[2] | (c[3] << 32)


def test_values_match_a_reference_philox():
    seed, offset = 0x123456789ABCDEF0, 3
    bits = [philox4x32_10(offset + i, seed) for i in range(6)]

    def at_offset():
        g = Generator().manual_seed(seed)
        ember.rand(offset, generator=g)  # consumes counters 0..2
        return g

    # float64: the top 53 bits of the low word; float32: the top 24
    got = arr(ember.rand(6, dtype=ember.float64, generator=at_offset()))
    np.testing.assert_array_equal(got, [(lo >> 11) * 2.0**-53 for lo, _ in bits])
    got = arr(ember.rand(6, generator=at_offset()))
    np.testing.assert_array_equal(got, np.array([(lo >> 40) * 2.0**-24 for lo, _ in bits], dtype=np.float32))
    # randint: floor(X * range / 2^128) for X = hi:lo
    got = arr(ember.randint(-10, 10**15, (6,), generator=at_offset()))
    rng = 10**15 + 10
    np.testing.assert_array_equal(got, [-10 + (((hi << 64) | lo) * rng >> 128) for lo, hi in bits])
    # randn: Box-Muller on u1 in (0, 1] from lo and u2 in [0, 1) from hi
    got = arr(ember.randn(6, dtype=ember.float64, generator=at_offset()))
    want = [math.sqrt(-2 * math.log(((lo >> 11) + 1) * 2.0**-53)) * math.cos(2 * math.pi * (hi >> 11) * 2.0**-53)
            for lo, hi in bits]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------ generator state

def test_default_seed_is_pytorchs():
    assert Generator().initial_seed() == 67280421310721
    assert Generator("cpu").initial_seed() == 67280421310721
    assert Generator(device="cpu").device.type == "cpu"


def test_manual_seed_returns_generators():
    g = ember.manual_seed(3)
    assert g is ember.default_generator
    assert ember.initial_seed() == 3
    h = Generator()
    assert h.manual_seed(4) is h
    assert h.initial_seed() == 4


def test_manual_seed_wraps_negative_and_rejects_overflow():
    ember.manual_seed(-1)
    assert ember.initial_seed() == 2**64 - 1
    ember.manual_seed(2**64 - 1)
    assert ember.initial_seed() == 2**64 - 1
    ember.manual_seed(7.0)  # int(seed), as PyTorch
    assert ember.initial_seed() == 7
    with pytest.raises(RuntimeError, match=r"\[manual_seed\] Overflow when unpacking long"):
        ember.manual_seed(2**64)
    with pytest.raises(RuntimeError, match="Overflow"):
        Generator().manual_seed(-(2**63) - 1)


def test_seed_is_random_and_becomes_initial_seed():
    s1 = ember.seed()
    assert ember.initial_seed() == s1
    s2 = Generator().seed()
    assert isinstance(s1, int) and 0 <= s1 < 2**64
    assert s1 != s2


def test_state_layout_is_seed_then_offset_little_endian():
    g = Generator().manual_seed(0x0102030405060708)
    state = g.get_state()
    assert state.dtype == ember.uint8 and state.shape == (16,)
    assert arr(state)[:8].tolist() == [8, 7, 6, 5, 4, 3, 2, 1]
    assert arr(state)[8:].tolist() == [0] * 8
    ember.rand(300, generator=g)  # 300 counters
    assert arr(g.get_state())[8:].tolist() == [300 % 256, 300 // 256, 0, 0, 0, 0, 0, 0]


def test_state_save_and_restore():
    g = Generator().manual_seed(21)
    ember.randn(10, generator=g)
    saved = g.get_state()
    a = arr(ember.randn(10, generator=g))
    b = arr(ember.randn(10, generator=g))
    assert g.set_state(saved) is g
    np.testing.assert_array_equal(a, arr(ember.randn(10, generator=g)))
    np.testing.assert_array_equal(b, arr(ember.randn(10, generator=g)))
    # the state moves between generators
    h = Generator()
    h.set_state(saved)
    np.testing.assert_array_equal(a, arr(ember.randn(10, generator=h)))
    assert h.initial_seed() == 21


def test_global_rng_state_save_and_restore():
    ember.manual_seed(8)
    saved = ember.get_rng_state()
    a = arr(ember.randint(0, 100, (20,)))
    ember.rand(5)
    ember.set_rng_state(saved)
    np.testing.assert_array_equal(a, arr(ember.randint(0, 100, (20,))))


def test_separate_generators_are_independent_of_the_global_one():
    ember.manual_seed(1)
    before = arr(ember.get_rng_state())
    g = Generator().manual_seed(1)
    from_g = arr(ember.rand(10, generator=g))
    ember.randn(10, generator=g)
    np.testing.assert_array_equal(arr(ember.get_rng_state()), before)  # untouched
    np.testing.assert_array_equal(arr(ember.rand(10)), from_g)  # same seed, same stream
    g2 = Generator().manual_seed(1)
    ember.rand(3)  # global draws do not move g2
    np.testing.assert_array_equal(arr(ember.rand(10, generator=g2)), from_g)


def test_state_errors():
    g = Generator()
    with pytest.raises(TypeError, match=r"\[set_state\].*uint8.*float32"):
        g.set_state(ember.zeros(16))
    with pytest.raises(RuntimeError, match=r"\[set_state\] RNG state is wrong size.*16.*got 5"):
        g.set_state(ember.zeros(5, dtype=ember.uint8))
    with pytest.raises(RuntimeError, match="wrong size"):
        ember.set_rng_state(ember.zeros(17, dtype=ember.uint8))
    with pytest.raises(NotImplementedError, match=r"\[Generator\].*cuda"):
        Generator(device="cuda")


# ---------------------------------------------------------------- statistics

N = 1_000_000


def test_rand_uniform_statistics():
    x = arr(ember.rand(N, generator=Generator().manual_seed(2))).astype(np.float64)
    assert x.min() >= 0 and x.max() < 1
    assert_close_to(x.mean(), 0.5, math.sqrt(1 / 12), N)
    # var of U(0,1) is 1/12; the fourth central moment is 1/80
    assert_close_to(x.var(), 1 / 12, math.sqrt(1 / 80 - 1 / 144), N)
    hist, _ = np.histogram(x, bins=10, range=(0, 1))
    assert np.all(np.abs(hist - N / 10) < 5 * math.sqrt(N * 0.1 * 0.9))


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16, ember.float32, ember.float64])
def test_uniform_range_per_dtype(dtype):
    g = Generator().manual_seed(3)
    x = ember.rand(100_000, dtype=dtype, generator=g)
    assert x.dtype == dtype
    v = arr(x.to(ember.float64))
    assert v.min() >= 0 and v.max() < 1
    assert_close_to(v.mean(), 0.5, math.sqrt(1 / 12), v.size)
    t = ember.empty(100_000, dtype=dtype).uniform_(-3, 5, generator=g)
    v = arr(t.to(ember.float64))
    assert v.min() >= -3 and v.max() < 5
    assert_close_to(v.mean(), 1.0, 8 / math.sqrt(12), v.size)


def test_uniform_with_equal_bounds_and_rounding_near_to():
    np.testing.assert_array_equal(arr(ember.empty(10).uniform_(2.5, 2.5)), 2.5)
    # float16 cannot represent 0.1: values stay below the rounded bound
    v = arr(ember.empty(50_000, dtype=ember.float16).uniform_(0, 0.1).to(ember.float64))
    assert v.max() < np.float64(np.float16(0.1))


def test_rand_complex_parts_are_uniform():
    z = arr(ember.rand(200_000, dtype=ember.complex128, generator=Generator().manual_seed(4)))
    for part in (z.real, z.imag):
        assert part.min() >= 0 and part.max() < 1
        assert_close_to(part.mean(), 0.5, math.sqrt(1 / 12), z.size)
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / math.sqrt(z.size)


def test_randn_statistics():
    x = arr(ember.randn(N, dtype=ember.float64, generator=Generator().manual_seed(5)))
    assert_close_to(x.mean(), 0.0, 1.0, N)
    assert_close_to(x.var(), 1.0, math.sqrt(2.0), N)  # var of s^2 is 2 for N(0,1)
    # tails: P(|z| > 2) = 0.0455
    p = 0.04550026389635842
    assert_close_to((np.abs(x) > 2).mean(), p, math.sqrt(p * (1 - p)), N)
    assert_close_to(np.mean(x**3), 0.0, math.sqrt(15.0), N)  # skewness


def test_randn_complex_halves_the_variance_of_each_part():
    z = arr(ember.randn(300_000, dtype=ember.complex64, generator=Generator().manual_seed(6)))
    assert z.dtype == np.complex64
    n = z.size
    for part in (z.real.astype(np.float64), z.imag.astype(np.float64)):
        assert_close_to(part.mean(), 0.0, math.sqrt(0.5), n)
        assert_close_to(part.var(), 0.5, math.sqrt(2 * 0.25), n)
    assert_close_to(np.mean(np.abs(z) ** 2), 1.0, 1.0, n)
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / math.sqrt(n)


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16, ember.float32])
def test_randn_reduced_dtypes(dtype):
    x = ember.randn(100_000, dtype=dtype, generator=Generator().manual_seed(7))
    assert x.dtype == dtype
    v = arr(x.to(ember.float64))
    assert_close_to(v.mean(), 0.0, 1.0, v.size)
    assert abs(v.std() - 1.0) < 0.02


def test_normal_scalar_mean_std():
    x = arr(ember.normal(3.0, 2.0, (N,), generator=Generator().manual_seed(8)))
    assert x.dtype == np.float32
    assert_close_to(x.mean(), 3.0, 2.0, N)
    assert_close_to(x.astype(np.float64).var(), 4.0, 4.0 * math.sqrt(2.0), N)
    t = ember.empty(N, dtype=ember.float64).normal_(-1.0, 0.5, generator=Generator().manual_seed(8))
    assert_close_to(arr(t).mean(), -1.0, 0.5, N)
    np.testing.assert_array_equal(arr(ember.normal(4.0, 0.0, (5,))), 4.0)


def test_normal_tensor_mean_and_std_broadcast():
    n = 200_000
    mean = ember.tensor([[0.0], [10.0]])  # (2, 1)
    std = ember.full((n,), 2.0)  # (n,)
    x = ember.normal(mean, std, generator=Generator().manual_seed(9))
    assert x.shape == (2, n) and x.dtype == ember.float32
    v = arr(x).astype(np.float64)
    for row, m in ((0, 0.0), (1, 10.0)):
        assert_close_to(v[row].mean(), m, 2.0, n)
        assert_close_to(v[row].var(), 4.0, 4.0 * math.sqrt(2.0), n)
    # std 0 gives the mean exactly; per-element means and stds
    mean = ember.tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(arr(ember.normal(mean, ember.zeros(3))), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(arr(ember.normal(mean, 0.0)), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(arr(ember.normal(5.0, ember.zeros(2, 2))), np.full((2, 2), 5.0))


def test_normal_tensor_forms_follow_the_standard_normal_stream():
    # normal(mean, std) is mean + std * z for the z that randn would draw
    mean = ember.tensor([1.0, -2.0, 0.5], dtype=ember.float64)
    std = ember.tensor([0.5, 2.0, 3.0], dtype=ember.float64)
    z = arr(ember.randn(3, dtype=ember.float64, generator=Generator().manual_seed(10)))
    x = arr(ember.normal(mean, std, generator=Generator().manual_seed(10)))
    np.testing.assert_allclose(x, arr(mean) + arr(std) * z, rtol=1e-15)
    x = arr(ember.normal(mean, generator=Generator().manual_seed(10)))  # std defaults to 1
    np.testing.assert_allclose(x, arr(mean) + z, rtol=1e-15)
    x = arr(ember.normal(2.0, std, generator=Generator().manual_seed(10)))
    np.testing.assert_allclose(x, 2.0 + arr(std) * z, rtol=1e-15)


def test_normal_tensor_dtype_promotes():
    x = ember.normal(ember.zeros(3, dtype=ember.float32), ember.ones(3, dtype=ember.float64))
    assert x.dtype == ember.float64
    assert ember.normal(ember.zeros(2, dtype=ember.float16), 1.0).dtype == ember.float16


def test_randint_covers_every_value_uniformly():
    n = 300_000
    x = arr(ember.randint(-3, 7, (n,), generator=Generator().manual_seed(11)))
    assert x.dtype == np.int64
    values, counts = np.unique(x, return_counts=True)
    assert values.tolist() == list(range(-3, 7))
    assert np.all(np.abs(counts - n / 10) < 5 * math.sqrt(n * 0.1 * 0.9))


def test_randint_high_only_and_keywords():
    x = arr(ember.randint(5, (10_000,), generator=Generator().manual_seed(12)))
    assert sorted(set(x.tolist())) == [0, 1, 2, 3, 4]
    y = arr(ember.randint(low=2, high=4, size=(1000,)))
    assert sorted(set(y.tolist())) == [2, 3]
    z = arr(ember.randint(high=3, size=[2, 5]))
    assert z.shape == (2, 5) and z.min() >= 0 and z.max() < 3


def test_randint_large_ranges_are_exact_and_unbiased():
    n = 100_000
    g = Generator().manual_seed(13)
    x = arr(ember.randint(0, 3 * 2**60, (n,), generator=g)).astype(object)
    assert min(x) >= 0 and max(x) < 3 * 2**60
    # each third of the range gets a third of the values (a modulo-biased
    # draw from 64 bits would not)
    thirds = np.bincount(np.array([v // 2**60 for v in x], dtype=np.int64), minlength=3)
    assert np.all(np.abs(thirds - n / 3) < 5 * math.sqrt(n * (1 / 3) * (2 / 3)))
    full = arr(ember.randint(-(2**63), 2**63 - 1, (n,), generator=g))
    assert_close_to((full < 0).mean(), 0.5, 0.5, n)
    assert_close_to((full % 2).mean(), 0.5, 0.5, n)


@pytest.mark.parametrize("dtype,low,high", [
    (ember.uint8, 0, 256), (ember.int8, -128, 128), (ember.int16, -5, 5), (ember.int32, 0, 2**31 - 1),
    (ember.float32, -10, 10), (ember.float64, 0, 3), (ember.float16, -4, 4), (ember.bool, 0, 2)])
def test_randint_dtypes(dtype, low, high):
    x = ember.randint(low, high, (20_000,), dtype=dtype, generator=Generator().manual_seed(14))
    assert x.dtype == dtype
    v = arr(x.to(ember.float64))
    assert v.min() >= low and v.max() < high
    np.testing.assert_array_equal(v, np.floor(v))  # integers, also for float dtypes
    if high - low <= 256:
        assert len(np.unique(v)) == high - low


def test_randperm_is_a_permutation():
    for n in (0, 1, 2, 17, 100_000):
        p = arr(ember.randperm(n, generator=Generator().manual_seed(15)))
        assert p.dtype == np.int64
        np.testing.assert_array_equal(np.sort(p), np.arange(n))
    f = ember.randperm(50, dtype=ember.float32)
    assert f.dtype == ember.float32
    np.testing.assert_array_equal(np.sort(arr(f)), np.arange(50))
    assert ember.randperm(2, dtype=ember.bool).dtype == ember.bool


def test_randperm_positions_are_uniform():
    g = Generator().manual_seed(16)
    trials = 3000
    first = np.array([arr(ember.randperm(5, generator=g))[0] for _ in range(trials)])
    counts = np.bincount(first, minlength=5)
    assert np.all(np.abs(counts - trials / 5) < 5 * math.sqrt(trials * 0.2 * 0.8))
    # not the identity on average: big permutations move almost everything
    p = arr(ember.randperm(10_000, generator=g))
    assert (p == np.arange(10_000)).sum() < 10


def test_bernoulli_frequencies():
    n = 200_000
    probs = ember.tensor([0.0, 0.25, 0.5, 1.0]).expand(n, 4)
    x = arr(ember.bernoulli(probs, generator=Generator().manual_seed(17)))
    assert x.dtype == np.float32 and set(np.unique(x).tolist()) <= {0.0, 1.0}
    for col, p in enumerate((0.0, 0.25, 0.5, 1.0)):
        assert_close_to(x[:, col].mean(), p, math.sqrt(p * (1 - p)) + 1e-12, n)
    y = ember.bernoulli(ember.zeros(n, dtype=ember.float64), 0.3, generator=Generator().manual_seed(17))
    assert y.dtype == ember.float64
    assert_close_to(arr(y).mean(), 0.3, math.sqrt(0.21), n)
    z = ember.zeros(n, dtype=ember.float64).bernoulli(0.6)
    assert_close_to(arr(z).mean(), 0.6, math.sqrt(0.24), n)
    w = ember.full((n,), 0.9, dtype=ember.float64).bernoulli()
    assert_close_to(arr(w).mean(), 0.9, math.sqrt(0.09), n)


def test_bernoulli_in_place():
    n = 100_000
    b = ember.zeros(n, dtype=ember.bool)
    assert b.bernoulli_(0.2, generator=Generator().manual_seed(18)) is b
    assert arr(b).dtype == np.bool_
    assert_close_to(arr(b).mean(), 0.2, 0.4, n)
    t = ember.zeros(n, 2, dtype=ember.int32)
    t.bernoulli_(ember.tensor([0.1, 0.8]))  # p broadcasts to t's shape
    v = arr(t)
    assert_close_to(v[:, 0].mean(), 0.1, 0.3, n)
    assert_close_to(v[:, 1].mean(), 0.8, 0.4, n)
    np.testing.assert_array_equal(arr(ember.ones(5, dtype=ember.float32).bernoulli_(0.0)), 0.0)
    np.testing.assert_array_equal(arr(ember.zeros(5).bernoulli_(1.0)), 1.0)


def test_multinomial_with_replacement_frequencies():
    n = 200_000
    probs = ember.tensor([1.0, 0.0, 2.0, 3.0, 4.0])  # need not sum to 1
    x = arr(ember.multinomial(probs, n, replacement=True, generator=Generator().manual_seed(19)))
    assert x.shape == (n,) and x.dtype == np.int64
    counts = np.bincount(x, minlength=5)
    assert counts[1] == 0
    for c, w in enumerate((1.0, 0.0, 2.0, 3.0, 4.0)):
        p = w / 10
        assert abs(counts[c] - n * p) < 5 * math.sqrt(n * p * (1 - p)) + 1e-9


def test_multinomial_2d_rows_are_separate_distributions():
    probs = ember.tensor([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], dtype=ember.float64)
    x = arr(ember.multinomial(probs, 1000, True, generator=Generator().manual_seed(20)))
    assert x.shape == (2, 1000)
    assert np.all(x[0] == 1)
    assert set(np.unique(x[1]).tolist()) == {0, 2}
    assert_close_to((x[1] == 0).mean(), 0.5, 0.5, 1000)


def test_multinomial_without_replacement_has_no_repeats():
    g = Generator().manual_seed(21)
    probs = ember.tensor(arr(ember.rand(500, 20, generator=g)) + 0.01)
    x = arr(ember.multinomial(probs, 20, generator=g))
    assert x.shape == (500, 20)
    for row in x:
        np.testing.assert_array_equal(np.sort(row), np.arange(20))
    y = arr(ember.multinomial(probs, 7, replacement=False, generator=g))
    assert all(len(set(row)) == 7 for row in y.tolist())


def test_multinomial_without_replacement_frequencies():
    # The first sample follows probs; a later one never repeats an earlier one
    # and skips zero-probability categories while others remain.
    rows = 100_000
    probs = ember.tensor([0.1, 0.0, 0.2, 0.7]).expand(rows, 4)
    x = arr(ember.multinomial(probs, 3, generator=Generator().manual_seed(22)))
    first = np.bincount(x[:, 0], minlength=4) / rows
    for c, p in enumerate((0.1, 0.0, 0.2, 0.7)):
        assert_close_to(first[c], p, math.sqrt(p * (1 - p)) + 1e-12, rows)
    assert not np.any(x == 1)
    # P(second = 2 | first = 3) = 0.2 / 0.3
    second = x[x[:, 0] == 3, 1]
    assert_close_to((second == 2).mean(), 2 / 3, math.sqrt(2 / 9), second.size)


def test_multinomial_method_and_dtypes():
    probs = ember.tensor([0.2, 0.8], dtype=ember.float64)
    assert probs.multinomial(3, True).shape == (3,)
    assert ember.multinomial(ember.ones(3, 4, dtype=ember.float16), 2).shape == (3, 2)
    assert ember.multinomial(ember.ones(0, 4, dtype=ember.float32), 2).shape == (0, 2)


def test_exponential_statistics():
    x = arr(ember.empty(N, dtype=ember.float64).exponential_(4.0, generator=Generator().manual_seed(23)))
    assert x.min() >= 0
    assert_close_to(x.mean(), 0.25, 0.25, N)
    assert_close_to((x > 0.5).mean(), math.exp(-2), math.sqrt(math.exp(-2) * (1 - math.exp(-2))), N)


def test_random_in_place_ranges():
    g = Generator().manual_seed(24)
    v = arr(ember.zeros(50_000, dtype=ember.int64).random_(0, 10, generator=g))
    assert sorted(set(v.tolist())) == list(range(10))
    v = arr(ember.zeros(50_000, dtype=ember.int64).random_(4, generator=g))
    assert sorted(set(v.tolist())) == [0, 1, 2, 3]
    v = arr(ember.zeros(50_000, dtype=ember.int8).random_(generator=g))
    assert v.min() == 0 and v.max() == 127
    v = arr(ember.zeros(50_000, dtype=ember.uint8).random_(250, None, generator=g))
    assert sorted(set(v.tolist())) == list(range(250, 256))
    v = arr(ember.zeros(50_000, dtype=ember.float32).random_(generator=g))
    assert v.min() >= 0 and v.max() <= 2**24 and np.all(v == np.floor(v))
    v = arr(ember.zeros(1000, dtype=ember.bool).random_(generator=g))
    assert set(v.tolist()) == {False, True}
    v = arr(ember.zeros(50_000, dtype=ember.int64).random_(generator=g))
    assert v.min() >= 0 and v.max() > 2**62  # [0, 2^63 - 1]
    v = arr(ember.zeros(50_000, dtype=ember.int64).random_(-(2**63), None, generator=g))
    assert_close_to((v < 0).mean(), 0.5, 0.5, v.size)


# ---------------------------------------------- dtype / device / requires_grad

def test_sizes_as_varargs_or_sequence():
    assert ember.rand(2, 3).shape == (2, 3)
    assert ember.rand((2, 3)).shape == (2, 3)
    assert ember.randn([4]).shape == (4,)
    assert ember.rand().shape == ()
    assert ember.rand(0, 5).shape == (0, 5)
    assert ember.randint(3, ()).shape == ()


def test_dtype_device_requires_grad_arguments():
    x = ember.rand(2, 3, dtype=ember.float64, device="cpu", requires_grad=True)
    assert x.dtype == ember.float64 and x.device.type == "cpu" and x.requires_grad
    assert ember.randn(2, device=ember.device("cpu")).dtype == ember.float32
    assert not ember.randn(2).requires_grad
    assert ember.randint(0, 5, (2,)).dtype == ember.int64
    assert ember.randperm(3).dtype == ember.int64
    assert ember.randn(3, dtype=ember.bfloat16).dtype == ember.bfloat16
    assert ember.normal(0.0, 1.0, (2,), dtype=ember.float64, requires_grad=True).requires_grad
    old = ember.get_default_dtype()
    try:
        ember.set_default_dtype(ember.float64)
        assert ember.rand(2).dtype == ember.float64
        assert ember.randn(2).dtype == ember.float64
    finally:
        ember.set_default_dtype(old)


def test_like_functions():
    base = ember.zeros(3, 4, dtype=ember.float64)
    r = ember.rand_like(base)
    assert r.shape == (3, 4) and r.dtype == ember.float64
    assert ember.randn_like(base, dtype=ember.float32).dtype == ember.float32
    assert ember.rand_like(base, requires_grad=True).requires_grad
    i = ember.randint_like(base, 5)
    assert i.dtype == ember.float64 and arr(i).max() < 5 and arr(i).min() >= 0
    j = ember.randint_like(ember.zeros(1000, dtype=ember.int32), 10, 12)
    assert j.dtype == ember.int32 and set(arr(j).tolist()) == {10, 11}
    g = Generator().manual_seed(25)
    a = arr(ember.randn_like(base, generator=g))
    np.testing.assert_array_equal(a, arr(ember.randn(3, 4, dtype=ember.float64,
                                                     generator=Generator().manual_seed(25))))


def test_in_place_ops_bump_the_version():
    t = ember.zeros(4)
    v = t._version
    t.uniform_()
    t.normal_()
    t.exponential_()
    t.bernoulli_()
    t.random_(3)
    assert t._version == v + 5


def test_empty_tensors_consume_nothing():
    g = Generator().manual_seed(26)
    before = arr(g.get_state())
    assert ember.rand(0, generator=g).shape == (0,)
    ember.empty(0).normal_(generator=g)
    np.testing.assert_array_equal(arr(g.get_state()), before)


# -------------------------------------------------------------------- errors

@pytest.mark.parametrize("call,match", [
    (lambda: ember.rand(2, dtype=ember.int64), r"\[rand\] \"uniform_\" not implemented for 'int64'"),
    (lambda: ember.randn(2, dtype=ember.int32), r"\[randn\] .*not implemented for 'int32'"),
    (lambda: ember.randn(2, dtype=ember.bool), r"\[randn\] .*'bool'"),
    (lambda: ember.zeros(2, dtype=ember.int64).uniform_(), r"\[uniform_\] .*'int64'"),
    (lambda: ember.zeros(2, dtype=ember.uint8).normal_(), r"\[normal_\] .*'uint8'"),
    (lambda: ember.zeros(2, dtype=ember.int64).exponential_(), r"\[exponential_\] .*'int64'"),
    (lambda: ember.zeros(2, dtype=ember.complex64).exponential_(), r"\[exponential_\] .*'complex64'"),
    (lambda: ember.zeros(2, dtype=ember.complex64).bernoulli_(0.5), r"\[bernoulli_\] .*'complex64'"),
    (lambda: ember.zeros(2, dtype=ember.complex64).random_(), r"\[random_\] .*'complex64'"),
    (lambda: ember.randint(0, 3, (2,), dtype=ember.complex64), r"\[randint\] .*'complex64'"),
    (lambda: ember.randperm(3, dtype=ember.complex64), r"\[randperm\] .*'complex64'"),
    (lambda: ember.rand(-1), r"\[rand\] Trying to create tensor with negative dimension -1"),
    (lambda: ember.randn(2, -3), r"\[randn\] Trying to create tensor with negative dimension -3"),
    (lambda: ember.randint(0, 5, (-2,)), r"\[randint\] Trying to create tensor with negative dimension"),
    (lambda: ember.normal(0.0, 1.0, (-1,)), r"\[normal\] Trying to create tensor with negative dimension"),
    (lambda: ember.randint(5, 5, (2,)),
     r"\[randint\] random_ expects 'from' to be less than 'to', but got from=5 >= to=5"),
    (lambda: ember.randint(0, (2,)), r"random_ expects 'from' to be less than 'to', but got from=0 >= to=0"),
    (lambda: ember.randint(0, 300, (2,), dtype=ember.uint8), r"\[randint\] to - 1 is out of bounds for uint8"),
    (lambda: ember.randint(-1, 3, (2,), dtype=ember.uint8), r"\[randint\] from is out of bounds for uint8"),
    (lambda: ember.zeros(2).random_(3, 1), r"\[random_\] random_ expects 'from' to be less than 'to'"),
    (lambda: ember.zeros(2, dtype=ember.int8).random_(200, None), r"\[random_\] from is out of bounds for int8"),
    (lambda: ember.randperm(-1), r"\[randperm\] n must be non-negative, got -1"),
    (lambda: ember.randperm(300, dtype=ember.int8), r"\[randperm\] n is too large for result tensor type: 'int8'"),
    (lambda: ember.zeros(2).uniform_(1, 0),
     r"\[uniform_\] uniform_ expects to return a \[from, to\) range, but found from=1 > to=0"),
    (lambda: ember.zeros(2).uniform_(0, float("inf")), r"\[uniform_\] to is out of bounds for float32"),
    (lambda: ember.zeros(2).uniform_(float("nan"), 1), r"\[uniform_\]"),
    (lambda: ember.zeros(2, dtype=ember.float16).uniform_(0, 1e5), r"to is out of bounds for float16"),
    (lambda: ember.zeros(2, dtype=ember.float64).uniform_(-1e308, 1e308), r"to-from <= std::numeric_limits"),
    (lambda: ember.zeros(2).normal_(0, -1), r"\[normal_\] normal expects std >= 0.0, but found std -1"),
    (lambda: ember.normal(0.0, -2.0, (2,)), r"\[normal\] normal expects std >= 0.0, but found std -2"),
    (lambda: ember.normal(ember.zeros(2), ember.tensor([1.0, -1.0])),
     r"\[normal\] normal expects all elements of std >= 0.0"),
    (lambda: ember.normal(ember.zeros(2), -1.0), r"normal expects all elements of std >= 0.0"),
    (lambda: ember.normal(ember.zeros(2), ember.tensor([float("nan"), 1.0])), r"std >= 0.0"),
    (lambda: ember.normal(ember.zeros(2, dtype=ember.int64), ember.ones(2, dtype=ember.int64)),
     r"\[normal\] expected floating point mean and std.*int64"),
    (lambda: ember.normal(ember.zeros(2), ember.ones(3, dtype=ember.float32)),
     r"\[normal\] The size of tensor a \(2\) must match the size of tensor b \(3\)"),
    (lambda: ember.zeros(2).bernoulli_(1.5), r"\[bernoulli_\] bernoulli_ expects p to be in \[0, 1\], but got p=1.5"),
    (lambda: ember.zeros(2).bernoulli_(-0.1), r"bernoulli_ expects p to be in \[0, 1\]"),
    (lambda: ember.bernoulli(ember.zeros(2), 2.0), r"\[bernoulli\] bernoulli_ expects p to be in \[0, 1\]"),
    (lambda: ember.bernoulli(ember.tensor([0.5, 1.2])),
     r"\[bernoulli_\] bernoulli_ expects all elements of p to be in \[0, 1\], but found p=1.2"),
    (lambda: ember.zeros(3).bernoulli_(ember.tensor([float("nan")])), r"all elements of p to be in \[0, 1\]"),
    (lambda: ember.zeros(2).exponential_(0.0),
     r"\[exponential_\] exponential_ expects lambda > 0.0, but found lambda=0"),
    (lambda: ember.zeros(2).exponential_(-1.0), r"exponential_ expects lambda > 0.0"),
])
def test_runtime_errors(call, match):
    with pytest.raises(RuntimeError, match=match):
        call()


@pytest.mark.parametrize("call,match", [
    (lambda: ember.multinomial(ember.ones(2, 2, 2, dtype=ember.float32), 1), r"\[multinomial\] prob_dist must be 1 or 2 dim"),
    (lambda: ember.multinomial(ember.ones((), dtype=ember.float32), 1), r"prob_dist must be 1 or 2 dim"),
    (lambda: ember.multinomial(ember.ones(3, dtype=ember.int64), 1),
     r"\[multinomial\] multinomial only supports floating-point dtypes for input, got: int64"),
    (lambda: ember.multinomial(ember.ones(3, dtype=ember.float32), 0), r"\[multinomial\] cannot sample n_sample <= 0 samples"),
    (lambda: ember.multinomial(ember.ones(3, dtype=ember.float32), -1, True), r"cannot sample n_sample <= 0 samples"),
    (lambda: ember.multinomial(ember.ones(3, dtype=ember.float32), 4),
     r"\[multinomial\] cannot sample n_sample > prob_dist.size\(-1\) samples without replacement"),
    (lambda: ember.multinomial(ember.zeros(1).expand(2**24 + 1), 1, True),
     r"\[multinomial\] number of categories cannot exceed 2\^24"),
    (lambda: ember.multinomial(ember.tensor([1.0, -1.0, 1.0]), 2),
     r"\[multinomial\] probability tensor contains either `inf`, `nan` or element < 0"),
    (lambda: ember.multinomial(ember.tensor([1.0, float("inf"), 1.0]), 2),
     r"probability tensor contains either `inf`, `nan` or element < 0"),
    (lambda: ember.multinomial(ember.tensor([1.0, 1.0, float("nan")]), 2),
     r"probability tensor contains either `inf`, `nan` or element < 0"),
    (lambda: ember.multinomial(ember.tensor([1.0, -1.0, 1.0]), 2, True),
     r"\[multinomial\] invalid multinomial distribution \(encountering probability entry < 0\)"),
    (lambda: ember.multinomial(ember.tensor([1.0, float("-inf"), 1.0]), 2, True),
     r"invalid multinomial distribution \(encountering probability entry = infinity or NaN\)"),
    (lambda: ember.multinomial(ember.tensor([float("nan"), 1.0]), 2, True),
     r"encountering probability entry = infinity or NaN"),
    (lambda: ember.multinomial(ember.zeros(3), 2),
     r"\[multinomial\] invalid multinomial distribution \(sum of probabilities <= 0\)"),
    (lambda: ember.multinomial(ember.zeros(3), 2, True), r"invalid multinomial distribution \(sum of probabilities"),
    (lambda: ember.multinomial(ember.tensor([[1.0, 1.0], [0.0, 0.0]]), 1),
     r"invalid multinomial distribution \(sum of probabilities <= 0\)"),
    (lambda: ember.multinomial(ember.zeros(0), 1, True), r"invalid multinomial distribution"),
])
def test_multinomial_errors(call, match):
    with pytest.raises(RuntimeError, match=match):
        call()


@pytest.mark.parametrize("call,op", [
    (lambda: ember.randperm(2**62), "randperm"),
    (lambda: ember.rand(2**62, dtype=ember.float64), "rand"),
    (lambda: ember.normal(ember.zeros(1).expand(2**62), 1.0), "normal"),
    (lambda: ember.bernoulli(ember.zeros(1).expand(2**62)), "bernoulli"),
    (lambda: ember.multinomial(ember.tensor([1.0]), 2**62, True), "multinomial"),
])
def test_sizes_whose_bytes_overflow_raise(call, op):
    with pytest.raises(RuntimeError, match=rf"\[{op}\] the shape .* has too many elements"):
        call()


def test_argument_type_errors():
    with pytest.raises(TypeError, match="randint"):
        ember.randint(5, 10)  # no size: 10 is not a sequence
    with pytest.raises(TypeError):
        ember.rand(2, generator="not a generator")
    with pytest.raises(TypeError, match=r"rand\(\): argument 'size' must be tuple of ints"):
        ember.rand(2.5)
    with pytest.raises(NotImplementedError, match=r"\[rand\] out="):
        ember.rand(2, out=ember.zeros(2))
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        ember.randint(0, 3, (2,), requires_grad=True)
    with pytest.raises(RuntimeError, match="cuda"):
        ember.rand(2, device="cuda")
