"""ember.utils.data datasets: TensorDataset, Subset, ConcatDataset,
ChainDataset, Dataset.__add__ and random_split (lengths, fractions, seeds)."""
import numpy as np
import pytest

import ember
from ember.utils.data import (ChainDataset, ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset,
                              random_split)


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i

    def __len__(self):
        return self.n


class Stream(IterableDataset):
    def __init__(self, values):
        self.values = values

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)


@pytest.fixture(autouse=True)
def _restore_rng():
    state = ember.get_rng_state()
    yield
    ember.set_rng_state(state)


def test_tensor_dataset_items_and_length():
    x = ember.arange(12).reshape(6, 2)
    y = ember.arange(6) * 10
    ds = TensorDataset(x, y)
    assert len(ds) == 6
    xi, yi = ds[4]
    assert xi.tolist() == [8, 9] and yi.item() == 40
    assert ds[-1][1].item() == 50
    assert ds.tensors[0] is x


def test_tensor_dataset_errors():
    with pytest.raises(ValueError, match=r"\[TensorDataset\] Size mismatch.*\[3, 2\], \[4\]"):
        TensorDataset(ember.zeros(3, 2), ember.zeros(4))
    with pytest.raises(TypeError, match="expected tensors"):
        TensorDataset(ember.zeros(3), [1, 2, 3])
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(ember.tensor(1.0))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_base_dataset_getitem_is_abstract():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__iter__"):
        iter(IterableDataset())


def test_subset_maps_indices():
    sub = Subset(Squares(10), [7, 2, 5])
    assert len(sub) == 3
    assert [sub[i] for i in range(3)] == [49, 4, 25]
    assert sub.__getitems__([2, 0]) == [25, 49]


def test_concat_dataset_indices_across_parts():
    ds = ConcatDataset([Squares(3), Squares(0), Squares(2)])
    assert len(ds) == 5
    assert ds.cumulative_sizes == [3, 3, 5]
    assert [ds[i] for i in range(5)] == [0, 1, 4, 0, 1]
    assert ds[-1] == 1 and ds[-5] == 0
    with pytest.raises(ValueError, match="absolute value of index"):
        ds[-6]
    with pytest.raises(IndexError, match="out of range"):
        ds[5]


def test_concat_dataset_errors():
    with pytest.raises(ValueError, match="empty iterable"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="does not support IterableDataset"):
        ConcatDataset([Squares(2), Stream([1])])


def test_add_concatenates_and_chains():
    both = Squares(2) + Squares(3)
    assert isinstance(both, ConcatDataset) and [both[i] for i in range(5)] == [0, 1, 0, 1, 4]
    chained = Stream([1, 2]) + Stream([3])
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [1, 2, 3] and len(chained) == 3


def test_random_split_lengths_partition_and_seed():
    ds = Squares(10)
    parts = random_split(ds, [3, 7], generator=ember.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7]
    idx = [i for p in parts for i in p.indices]
    assert sorted(idx) == list(range(10))
    again = random_split(ds, [3, 7], generator=ember.Generator().manual_seed(1))
    assert [p.indices for p in again] == [p.indices for p in parts]
    # The split is the generator's permutation, cut in order.
    perm = ember.randperm(10, generator=ember.Generator().manual_seed(1)).tolist()
    assert parts[0].indices == perm[:3] and parts[1].indices == perm[3:]
    other = random_split(ds, [3, 7], generator=ember.Generator().manual_seed(2))
    assert [p.indices for p in other] != [p.indices for p in parts]


def test_random_split_default_generator_follows_manual_seed():
    ember.manual_seed(5)
    a = [p.indices for p in random_split(Squares(8), [4, 4])]
    ember.manual_seed(5)
    b = [p.indices for p in random_split(Squares(8), [4, 4])]
    assert a == b


def test_random_split_fractions():
    parts = random_split(Squares(10), [0.5, 0.3, 0.2], generator=ember.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [5, 3, 2]
    # floor(11 * f) = [3, 3, 3]; the remainder 2 goes to the first subsets.
    parts = random_split(Squares(11), [1 / 3, 1 / 3, 1 / 3], generator=ember.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [4, 4, 3]
    assert sorted(i for p in parts for i in p.indices) == list(range(11))
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        parts = random_split(Squares(2), [0.9, 0.1])
    assert [len(p) for p in parts] == [2, 0]


def test_random_split_errors():
    with pytest.raises(ValueError, match=r"Sum of input lengths \(9\) does not equal the length of the input "
                                         r"dataset \(10\)"):
        random_split(Squares(10), [4, 5])
    with pytest.raises(ValueError, match="Fraction at index 1 is not between 0 and 1"):
        random_split(Squares(10), [0.5, 1.5, -1.0])
    with pytest.raises(ValueError, match="non-negative integers"):
        random_split(Squares(10), [0.5, 9.5])


def test_subset_of_numpy_backed_tensor_dataset():
    a = np.arange(20, dtype=np.float32).reshape(10, 2)
    ds = TensorDataset(ember.from_numpy(a))
    sub = random_split(ds, [0.5, 0.5], generator=ember.Generator().manual_seed(3))[1]
    for k in range(len(sub)):
        np.testing.assert_array_equal(np.asarray(sub[k][0]), a[sub.indices[k]])
