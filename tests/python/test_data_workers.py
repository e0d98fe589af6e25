"""DataLoader with worker processes: results identical to num_workers=0 and
in order, prefetching, worker_init_fn, get_worker_info and seeding,
IterableDataset copies and sharding, exceptions with the worker's
traceback, killed workers, timeouts, persistent workers, shutdown, the
spawn context, and ember's thread pool inside forked workers."""
import gc
import os
import signal
import sys
import time

import numpy as np
import pytest

import ember
from ember.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork start method (Linux)")


@pytest.fixture(autouse=True)
def _restore_rng_and_threads():
    state = ember.get_rng_state()
    threads = ember.get_num_threads()
    yield
    ember.set_rng_state(state)
    ember.set_num_threads(threads)


class Range(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        return i

    def __len__(self):
        return self.n


def tensor_dataset(n=37):
    x = ember.from_numpy(np.random.default_rng(0).standard_normal((n, 3)).astype(np.float32))
    return TensorDataset(x, ember.arange(n))


def as_lists(loader):
    return [[t.tolist() for t in batch] for batch in loader]


@pytest.mark.parametrize("num_workers,prefetch_factor", [(1, 2), (2, 1), (3, 3)])
def test_workers_give_the_same_batches_in_order(num_workers, prefetch_factor):
    ds = tensor_dataset()
    expected = as_lists(DataLoader(ds, batch_size=5))
    got = as_lists(DataLoader(ds, batch_size=5, num_workers=num_workers, prefetch_factor=prefetch_factor))
    assert got == expected and len(got) == 8


def test_workers_shuffle_like_the_main_process():
    ds = tensor_dataset()
    kw = dict(batch_size=4, shuffle=True, drop_last=True)
    main = as_lists(DataLoader(ds, generator=ember.Generator().manual_seed(5), **kw))
    workers = as_lists(DataLoader(ds, num_workers=2, generator=ember.Generator().manual_seed(5), **kw))
    assert workers == main and len(main) == 9


def test_out_of_order_delivery_gives_every_batch():
    class Slow(Range):
        def __getitem__(self, i):
            if i == 0:
                time.sleep(0.2)  # batch 0 arrives last
            return i

    got = [b.tolist() for b in DataLoader(Slow(6), batch_size=2, num_workers=2, in_order=False)]
    assert sorted(got) == [[0, 1], [2, 3], [4, 5]]
    assert got[0] == [2, 3]  # worker 1's batch is returned first


_init_id = None


def _record_init(worker_id):
    global _init_id
    _init_id = worker_id


class WhoAmI(Dataset):
    """Each sample says which worker made it, how that worker was seeded,
    and draws from ember's, Python's and NumPy's generators there."""

    def __getitem__(self, i):
        info = get_worker_info()
        import random
        return {"i": i, "init": _init_id, "id": info.id, "num_workers": info.num_workers, "seed": info.seed,
                "ember": ember.rand(1).item(), "python": random.random(), "numpy": float(np.random.rand()),
                "is_tensor_dataset": isinstance(info.dataset, WhoAmI)}

    def __len__(self):
        return 8


def test_worker_init_fn_and_worker_info():
    assert get_worker_info() is None
    dl = DataLoader(WhoAmI(), batch_size=None, num_workers=2, worker_init_fn=_record_init,
                    generator=ember.Generator().manual_seed(0))
    samples = list(dl)
    assert [s["i"] for s in samples] == list(range(8))
    # Tasks go round-robin: sample k was made by worker k % 2.
    assert [s["id"] for s in samples] == [k % 2 for k in range(8)]
    assert all(s["init"] == s["id"] and s["num_workers"] == 2 and s["is_tensor_dataset"] for s in samples)
    seeds = {s["id"]: s["seed"] for s in samples}
    assert seeds[1] == seeds[0] + 1  # base_seed + worker id
    # Each worker has its own random streams, and the loader's generator fixes them.
    first = {s["id"]: s for s in samples[:2]}
    for key in ("ember", "python", "numpy"):
        assert first[0][key] != first[1][key]
    again = list(DataLoader(WhoAmI(), batch_size=None, num_workers=2, worker_init_fn=_record_init,
                            generator=ember.Generator().manual_seed(0)))
    assert again == samples
    assert get_worker_info() is None


def test_worker_info_is_read_only():
    class TryWrite(Range):
        def __getitem__(self, i):
            try:
                get_worker_info().id = 5
            except RuntimeError as e:
                return str(e)
            return "no error"

    out = list(DataLoader(TryWrite(1), batch_size=None, num_workers=1))
    assert out == ["Cannot assign attributes to WorkerInfo objects"]


class Stream(IterableDataset):
    def __init__(self, n, shard):
        self.n, self.shard = n, shard

    def __iter__(self):
        info = get_worker_info()
        if self.shard and info is not None:
            return iter(range(info.id, self.n, info.num_workers))
        return iter(range(self.n))


def test_iterable_dataset_each_worker_iterates_its_own_copy():
    got = [b.tolist() for b in DataLoader(Stream(5, shard=False), batch_size=2, num_workers=2)]
    # Batches alternate between the two workers until both run out.
    assert got == [[0, 1], [0, 1], [2, 3], [2, 3], [4], [4]]


def test_iterable_dataset_sharded_with_worker_info():
    got = [b.tolist() for b in DataLoader(Stream(7, shard=True), batch_size=2, num_workers=2)]
    assert got == [[0, 2], [1, 3], [4, 6], [5]]
    assert sorted(sum(got, [])) == list(range(7))
    dropped = [b.tolist() for b in DataLoader(Stream(7, shard=True), batch_size=2, num_workers=2, drop_last=True)]
    assert dropped == [[0, 2], [1, 3], [4, 6]]
    single = list(DataLoader(Stream(5, shard=True), batch_size=None, num_workers=2))
    assert sorted(single) == [0, 1, 2, 3, 4]


class FailsAt(Range):
    def __init__(self, n, bad, exc):
        super().__init__(n)
        self.bad, self.exc = bad, exc

    def __getitem__(self, i):
        if i == self.bad:
            raise self.exc
        return i


def test_worker_exception_carries_the_worker_traceback():
    it = iter(DataLoader(FailsAt(6, 3, ValueError("bad sample 3")), batch_size=1, num_workers=2))
    assert [next(it).tolist() for _ in range(3)] == [[0], [1], [2]]
    with pytest.raises(ValueError) as info:
        next(it)
    msg = str(info.value)
    assert "Caught ValueError in DataLoader worker process 1" in msg
    assert "Traceback (most recent call last)" in msg and "in __getitem__" in msg and "bad sample 3" in msg
    # The loader goes on after the error, as PyTorch's does.
    assert [b.tolist() for b in it] == [[4], [5]]


def test_worker_key_error_and_odd_exception_types():
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(DataLoader(FailsAt(2, 0, KeyError("k")), num_workers=1))

    class NeedsTwoArgs(Exception):
        def __init__(self, a, b):
            super().__init__(a, b)

    # A local class does not pickle, and its constructor takes two arguments:
    # the error arrives as a RuntimeError with the original text.
    with pytest.raises(RuntimeError, match="NeedsTwoArgs"):
        list(DataLoader(FailsAt(2, 1, NeedsTwoArgs(1, 2)), num_workers=1))


def test_worker_init_fn_exception():
    def bad_init(worker_id):
        raise ZeroDivisionError(f"init of worker {worker_id}")

    with pytest.raises(ZeroDivisionError, match="init of worker 0"):
        list(DataLoader(Range(4), num_workers=1, worker_init_fn=bad_init))


def test_unpicklable_batch_is_an_error_not_a_hang():
    dl = DataLoader(Range(2), batch_size=1, num_workers=1, collate_fn=lambda b: (lambda: b), timeout=10)
    with pytest.raises(Exception, match="while pickling its batch"):
        list(dl)


def test_killed_worker_raises_runtime_error():
    class Dies(Range):
        def __getitem__(self, i):
            if i == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            return i

    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly "
                                           r"\(killed by signal 9: SIGKILL\)"):
        list(DataLoader(Dies(6), num_workers=2))


def test_persistent_workers_restart_after_a_worker_died():
    class DiesOnce(Range):
        def __getitem__(self, i):
            if i == 1 and not os.path.exists(self.flag):
                open(self.flag, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)
            return i

    import tempfile
    with tempfile.TemporaryDirectory() as d:
        ds = DiesOnce(4)
        ds.flag = os.path.join(d, "died")
        dl = DataLoader(ds, batch_size=None, num_workers=2, persistent_workers=True)
        with pytest.raises(RuntimeError, match="exited unexpectedly"):
            list(dl)
        assert list(dl) == [0, 1, 2, 3]  # a new set of workers


def test_timeout():
    class Slow(Range):
        def __getitem__(self, i):
            time.sleep(0.6)
            return i

    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.2 seconds"):
        list(DataLoader(Slow(2), num_workers=1, timeout=0.2))
    assert time.monotonic() - t0 < 5


class Pid(Range):
    def __getitem__(self, i):
        return os.getpid()


def test_persistent_workers_are_reused_across_epochs():
    dl = DataLoader(Pid(4), batch_size=None, num_workers=2, persistent_workers=True)
    first, second = list(dl), list(dl)
    assert first == second and len(set(first)) == 2 and os.getpid() not in first
    workers = dl._iterator._workers
    assert all(w.is_alive() for w in workers)
    # An epoch cut short leaves replies in flight; the next epoch discards them.
    it = iter(dl)
    next(it)
    assert list(dl) == first
    fresh = DataLoader(Pid(4), batch_size=None, num_workers=2)
    assert set(list(fresh)).isdisjoint(list(fresh))  # new workers every epoch
    del dl, it
    gc.collect()
    for w in workers:
        w.join(timeout=5)
        assert not w.is_alive()


def test_persistent_workers_reshuffle_and_restart_iterables():
    ds = tensor_dataset(10)
    dl = DataLoader(ds, batch_size=5, shuffle=True, num_workers=2, persistent_workers=True,
                    generator=ember.Generator().manual_seed(1))
    e1 = sum((b[1].tolist() for b in dl), [])
    e2 = sum((b[1].tolist() for b in dl), [])
    assert sorted(e1) == sorted(e2) == list(range(10)) and e1 != e2
    stream = DataLoader(Stream(5, shard=True), batch_size=2, num_workers=2, persistent_workers=True)
    assert [b.tolist() for b in stream] == [b.tolist() for b in stream] == [[0, 2], [1, 3], [4]]


def test_workers_shut_down_when_exhausted_or_deleted():
    it = iter(DataLoader(Range(4), num_workers=2))
    workers = list(it._workers)
    assert all(w.is_alive() for w in workers)
    list(it)
    assert not any(w.is_alive() for w in workers)

    it = iter(DataLoader(Range(100), num_workers=2))
    next(it)
    workers = list(it._workers)
    del it
    gc.collect()
    for w in workers:
        w.join(timeout=5)
        assert not w.is_alive()


def test_spawn_context():
    ds = tensor_dataset(9)
    got = as_lists(DataLoader(ds, batch_size=4, num_workers=1, multiprocessing_context="spawn"))
    assert got == as_lists(DataLoader(ds, batch_size=4))


class ThreadedSum(Dataset):
    """Runs a large sum on 2 threads and reports how many threads the worker
    process then has (it starts with one: fork copies only the caller)."""

    def __getitem__(self, i):
        ember.set_num_threads(2)
        total = ember.ones(2_000_000).sum().item()
        return total, len(os.listdir("/proc/self/task")), ember.get_num_threads()

    def __len__(self):
        return 2


def test_thread_pool_works_in_forked_workers():
    ember.set_num_threads(2)
    assert ember.ones(2_000_000).sum().item() == 2_000_000  # the parent's pool is up
    out = list(DataLoader(ThreadedSum(), batch_size=None, num_workers=2))
    for total, threads, num in out:
        assert total == 2_000_000 and num == 2
        assert threads >= 2  # a fresh pool started its worker thread
    assert ember.ones(2_000_000).sum().item() == 2_000_000  # the parent's pool still works


def test_thread_pool_after_plain_fork():
    ember.set_num_threads(2)
    x = ember.arange(3_000_000).double()
    expected = x.sum().item()
    pid = os.fork()
    if pid == 0:  # child: must neither hang nor compute wrongly
        ok = x.sum().item() == expected and (x * 2).sum().item() == 2 * expected
        os._exit(0 if ok else 1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("an op in a forked child hung")
