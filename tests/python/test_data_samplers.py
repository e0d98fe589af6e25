"""ember.utils.data samplers: order, determinism under a seeded generator
or ember.manual_seed, with/without replacement, num_samples, batching, the
weighted distribution, and argument errors."""
import numpy as np
import pytest

import ember
from ember.utils.data import (BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler,
                              WeightedRandomSampler)


@pytest.fixture(autouse=True)
def _restore_rng():
    state = ember.get_rng_state()
    yield
    ember.set_rng_state(state)


def gen(seed):
    return ember.Generator().manual_seed(seed)


def test_sequential_sampler():
    s = SequentialSampler(range(5))
    assert list(s) == [0, 1, 2, 3, 4] and len(s) == 5


def test_random_sampler_is_a_permutation_given_by_the_generator():
    s = RandomSampler(range(20), generator=gen(3))
    order = list(s)
    assert sorted(order) == list(range(20)) and len(s) == 20
    assert order == ember.randperm(20, generator=gen(3)).tolist()
    assert list(RandomSampler(range(20), generator=gen(3))) == order
    assert list(RandomSampler(range(20), generator=gen(4))) != order
    # The generator advances: the next epoch is another permutation.
    assert list(s) != order


def test_random_sampler_without_generator_follows_manual_seed():
    ember.manual_seed(11)
    a = list(RandomSampler(range(30)))
    ember.manual_seed(11)
    b = list(RandomSampler(range(30)))
    ember.manual_seed(12)
    c = list(RandomSampler(range(30)))
    assert a == b and a != c and sorted(a) == list(range(30))


def test_random_sampler_num_samples_without_replacement_repeats_permutations():
    order = list(RandomSampler(range(4), num_samples=10, generator=gen(0)))
    assert len(order) == 10
    assert sorted(order[:4]) == sorted(order[4:8]) == [0, 1, 2, 3]
    assert set(order[8:]) <= {0, 1, 2, 3} and len(set(order[8:])) == 2


def test_random_sampler_with_replacement():
    s = RandomSampler(range(5), replacement=True, num_samples=1000, generator=gen(1))
    order = list(s)
    assert len(order) == 1000 == len(s)
    counts = np.bincount(order, minlength=5)
    assert counts.min() > 150  # each expects 200 (sd ~13)
    assert list(RandomSampler(range(5), replacement=True, num_samples=1000, generator=gen(1))) == order
    # Fewer than one block of 32 works too.
    assert len(list(RandomSampler(range(5), replacement=True, num_samples=7, generator=gen(1)))) == 7


def test_random_sampler_errors():
    with pytest.raises(ValueError, match=r"\[RandomSampler\] num_samples should be a positive integer value, "
                                         r"but got num_samples=0"):
        RandomSampler(range(0))
    with pytest.raises(ValueError, match="num_samples=-1"):
        RandomSampler(range(3), num_samples=-1)
    with pytest.raises(TypeError, match="replacement should be a boolean value, but got replacement=1"):
        RandomSampler(range(3), replacement=1)


def test_subset_random_sampler():
    indices = [10, 20, 30, 40, 50]
    s = SubsetRandomSampler(indices, generator=gen(2))
    order = list(s)
    assert sorted(order) == indices and len(s) == 5
    perm = ember.randperm(5, generator=gen(2)).tolist()
    assert order == [indices[i] for i in perm]


def test_weighted_sampler_distribution_chi_square():
    weights = [1.0, 2.0, 3.0, 4.0, 0.0]
    n = 20000
    s = WeightedRandomSampler(weights, n, generator=gen(7))
    draws = list(s)
    assert len(draws) == n == len(s)
    counts = np.bincount(draws, minlength=5)
    assert counts[4] == 0  # zero weight is never drawn
    expected = n * np.array(weights[:4]) / 10.0
    chi2 = float(((counts[:4] - expected) ** 2 / expected).sum())
    # 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
    assert chi2 < 16.27, (counts, chi2)
    assert list(WeightedRandomSampler(weights, n, generator=gen(7))) == draws


def test_weighted_sampler_without_replacement_draws_distinct():
    draws = list(WeightedRandomSampler(ember.tensor([0.1, 5.0, 1.0, 0.5]), 4, replacement=False,
                                       generator=gen(0)))
    assert sorted(draws) == [0, 1, 2, 3]


def test_weighted_sampler_errors():
    with pytest.raises(ValueError, match=r"weights should be a 1d sequence but given weights have shape \(2, 2\)"):
        WeightedRandomSampler([[1.0, 2.0], [3.0, 4.0]], 3)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, but got num_samples=0"):
        WeightedRandomSampler([1.0], 0)
    with pytest.raises(ValueError, match="num_samples=True"):
        WeightedRandomSampler([1.0], True)
    with pytest.raises(ValueError, match="replacement should be a boolean value"):
        WeightedRandomSampler([1.0], 2, replacement="yes")


def test_batch_sampler_last_batch_and_drop_last():
    assert list(BatchSampler(range(7), 3, False)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(BatchSampler(range(7), 3, False)) == 3
    assert list(BatchSampler(range(7), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(BatchSampler(range(7), 3, True)) == 2
    assert list(BatchSampler(range(6), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    shuffled = list(BatchSampler(RandomSampler(range(6), generator=gen(0)), 4, False))
    assert [len(b) for b in shuffled] == [4, 2]
    assert sorted(sum(shuffled, [])) == list(range(6))


def test_batch_sampler_errors():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but got batch_size=0"):
        BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="batch_size=2.0"):
        BatchSampler(range(3), 2.0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean value, but got drop_last=None"):
        BatchSampler(range(3), 2, None)
