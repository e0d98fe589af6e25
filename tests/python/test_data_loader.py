"""DataLoader in the main process (num_workers=0): order, batching, last
batch and drop_last, shuffling determinism, samplers and batch samplers,
batch_size=None, IterableDataset, collate_fn, len, and argument errors."""
import collections

import numpy as np
import pytest

import ember
from ember.utils.data import (BatchSampler, DataLoader, Dataset, IterableDataset, SequentialSampler,
                              TensorDataset, WeightedRandomSampler)


@pytest.fixture(autouse=True)
def _restore_rng():
    state = ember.get_rng_state()
    yield
    ember.set_rng_state(state)


class Range(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        return i

    def __len__(self):
        return self.n


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def labels(loader):
    return [b.tolist() for b in loader]


def test_order_and_last_batch():
    dl = DataLoader(Range(10), batch_size=4)
    assert labels(dl) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(dl) == 3


def test_drop_last():
    dl = DataLoader(Range(10), batch_size=4, drop_last=True)
    assert labels(dl) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(dl) == 2
    assert labels(DataLoader(Range(8), batch_size=4, drop_last=True)) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_default_batch_size_is_one():
    out = list(DataLoader(Range(3)))
    assert [b.tolist() for b in out] == [[0], [1], [2]]
    assert out[0].dtype == ember.int64


def test_tensor_dataset_batches_match_numpy():
    x = np.random.default_rng(0).standard_normal((10, 3)).astype(np.float32)
    y = np.arange(10)
    dl = DataLoader(TensorDataset(ember.from_numpy(x), ember.from_numpy(y)), batch_size=4)
    batches = list(dl)
    assert len(batches) == 3
    for k, (xb, yb) in enumerate(batches):
        np.testing.assert_array_equal(np.asarray(xb), x[4 * k:4 * k + 4])
        np.testing.assert_array_equal(np.asarray(yb), y[4 * k:4 * k + 4])


def test_shuffle_is_deterministic_with_a_seeded_generator():
    def epoch(seed):
        dl = DataLoader(Range(20), batch_size=5, shuffle=True, generator=ember.Generator().manual_seed(seed))
        return labels(dl)
    a, b, c = epoch(0), epoch(0), epoch(1)
    assert a == b and a != c
    assert sorted(sum(a, [])) == list(range(20))


def test_shuffle_follows_manual_seed_and_differs_between_epochs():
    ember.manual_seed(123)
    dl = DataLoader(Range(20), batch_size=5, shuffle=True)
    e1, e2 = labels(dl), labels(dl)
    assert e1 != e2  # a new order every epoch
    ember.manual_seed(123)
    dl = DataLoader(Range(20), batch_size=5, shuffle=True)
    assert labels(dl) == e1 and labels(dl) == e2
    assert sorted(sum(e1, [])) == list(range(20))


def test_sampler_and_batch_sampler():
    sampler = [3, 1, 2]
    assert labels(DataLoader(Range(5), batch_size=2, sampler=sampler)) == [[3, 1], [2]]
    bs = BatchSampler(SequentialSampler(range(5)), 2, drop_last=True)
    dl = DataLoader(Range(5), batch_sampler=bs)
    assert labels(dl) == [[0, 1], [2, 3]] and len(dl) == 2
    weighted = DataLoader(Range(4), batch_size=5,
                          sampler=WeightedRandomSampler([0, 0, 1, 0], 5, generator=ember.Generator()))
    assert labels(weighted) == [[2, 2, 2, 2, 2]]


def test_batch_size_none_converts_each_sample():
    class Arrays(Dataset):
        def __getitem__(self, i):
            return np.full(2, i, dtype=np.float32)

        def __len__(self):
            return 3

    out = list(DataLoader(Arrays(), batch_size=None))
    assert len(out) == 3 and all(isinstance(t, ember.Tensor) for t in out)
    assert out[2].tolist() == [2.0, 2.0] and out[0].shape == (2,)


def test_custom_collate_fn_and_getitems():
    class Batched(Range):
        def __getitems__(self, indices):
            return [100 + i for i in indices]

    dl = DataLoader(Batched(5), batch_size=2, collate_fn=lambda batch: tuple(batch))
    assert list(dl) == [(100, 101), (102, 103), (104,)]


def test_collation_of_structured_samples():
    Sample = collections.namedtuple("Sample", ["image", "label"])

    class Structured(Dataset):
        def __getitem__(self, i):
            return {"s": Sample(ember.full((2,), float(i)), i), "name": f"n{i}"}

        def __len__(self):
            return 3

    batch = next(iter(DataLoader(Structured(), batch_size=3)))
    assert batch["name"] == ["n0", "n1", "n2"]
    assert isinstance(batch["s"], Sample)
    assert batch["s"].image.tolist() == [[0, 0], [1, 1], [2, 2]] and batch["s"].label.tolist() == [0, 1, 2]


def test_iterable_dataset():
    assert labels(DataLoader(Stream(7), batch_size=3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert labels(DataLoader(Stream(7), batch_size=3, drop_last=True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(DataLoader(Stream(7), batch_size=3)) == 3
    assert len(DataLoader(Stream(7), batch_size=3, drop_last=True)) == 2
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]  # default_convert leaves ints


def test_pin_memory_is_accepted_on_cpu():
    assert labels(DataLoader(Range(3), batch_size=2, pin_memory=True)) == [[0, 1], [2]]


def test_argument_errors():
    ds = Range(4)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(ValueError, match="timeout option should be non-negative"):
        DataLoader(ds, timeout=-1)
    with pytest.raises(ValueError, match="prefetch_factor option could only be specified in multiprocessing"):
        DataLoader(ds, prefetch_factor=2)
    with pytest.raises(ValueError, match="prefetch_factor option should be a positive integer"):
        DataLoader(ds, num_workers=1, prefetch_factor=0)
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(ds, persistent_workers=True)
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(ds, sampler=[0, 1], shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive with batch_size"):
        DataLoader(ds, batch_size=2, batch_sampler=[[0, 1]])
    with pytest.raises(ValueError, match="batch_size=None option disables auto-batching"):
        DataLoader(ds, batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="expected unspecified shuffle option, but got shuffle=True"):
        DataLoader(Stream(3), shuffle=True)
    with pytest.raises(ValueError, match="expected unspecified sampler option"):
        DataLoader(Stream(3), sampler=[0])
    with pytest.raises(ValueError, match="multiprocessing_context can only be used with multi-process loading"):
        DataLoader(ds, multiprocessing_context="fork")
    with pytest.raises(ValueError, match="should specify a valid start method"):
        DataLoader(ds, num_workers=1, multiprocessing_context="teleport")
    with pytest.raises(TypeError, match="should be a valid context object"):
        DataLoader(ds, num_workers=1, multiprocessing_context=3)
    dl = DataLoader(ds)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        dl.batch_size = 3
    dl.num_workers = 0  # other attributes may change


def test_dataset_errors_propagate_unchanged_in_the_main_process():
    class Bad(Range):
        def __getitem__(self, i):
            if i == 2:
                raise KeyError("missing sample 2")
            return i

    it = iter(DataLoader(Bad(4), batch_size=1))
    assert next(it).tolist() == [0] and next(it).tolist() == [1]
    with pytest.raises(KeyError, match="missing sample 2"):
        next(it)


def test_readme_loading_data_runs():
    import pathlib
    import re
    readme = pathlib.Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text().split("## Loading data", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(compile(code, "README Loading data", "exec"), namespace)  # noqa: S102
    assert len(namespace["train"]) == 800 and len(namespace["test"]) == 200
    assert len(namespace["loader"]) == 6
    assert namespace["xb"].shape == (128, 784) and namespace["yb"].dtype == ember.int64
    lines = namespace["DataLoader"](namespace["Lines"](), batch_size=4, num_workers=2)
    assert sorted(ember.cat(list(lines)).tolist()) == list(range(10))


def test_reachable_as_ember_utils_data():
    import subprocess
    import sys
    code = "import ember as torch; print(torch.utils.data.DataLoader.__name__, torch.utils.data.TensorDataset.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["DataLoader", "TensorDataset"]
