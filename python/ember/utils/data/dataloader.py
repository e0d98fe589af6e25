"""``DataLoader``, as in ``torch.utils.data.dataloader``: batches from a
dataset through a sampler and a collate function, loaded in the main process
(``num_workers=0``) or by worker processes. See Note [DataLoader workers]."""
import itertools
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import time

import ember

from . import worker as _worker
from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader"]

# How long shutdown waits for a worker to exit before terminating it.
_JOIN_TIMEOUT = 5.0


class _InfiniteConstantSampler(Sampler):
    """The "indices" of an IterableDataset: None forever (the dataset's own
    iterator decides what comes next)."""

    def __iter__(self):
        while True:
            yield None


def _default_context():
    # fork on Linux, as PyTorch: workers start fast and inherit the dataset.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class DataLoader:
    """Iterates over batches of ``dataset``.

    ``batch_size`` samples (``None``: no batching) chosen by ``sampler``
    (default: in order, or a ``RandomSampler`` drawing from ``generator`` when
    ``shuffle``), or whole batches of keys from ``batch_sampler``; merged by
    ``collate_fn`` (default: ``default_collate``, or ``default_convert``
    without batching). ``num_workers > 0`` loads in that many worker
    processes (started with ``multiprocessing_context``, 'fork' on Linux by
    default), each keeping up to ``prefetch_factor`` batches in flight;
    ``worker_init_fn(worker_id)`` runs first in each; ``persistent_workers``
    keeps them across epochs; ``timeout`` bounds the wait for one batch.
    Batches come back in the sampler's order unless ``in_order=False``.
    ``pin_memory`` is accepted and does nothing on CPU."""

    _frozen_attrs = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")
    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if not isinstance(num_workers, int) or isinstance(num_workers, bool) or num_workers < 0:
            raise ValueError(f"[DataLoader] num_workers option should be non-negative; use num_workers=0 to "
                             f"disable multiprocessing (got {num_workers!r})")
        if timeout < 0:
            raise ValueError(f"[DataLoader] timeout option should be non-negative (got {timeout!r})")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("[DataLoader] prefetch_factor option could only be specified in multiprocessing. "
                             "Let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if prefetch_factor is not None and (not isinstance(prefetch_factor, int) or prefetch_factor < 1):
            raise ValueError(f"[DataLoader] prefetch_factor option should be a positive integer "
                             f"(got {prefetch_factor!r})")
        if persistent_workers and num_workers == 0:
            raise ValueError("[DataLoader] persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory  # no pinned memory on CPU: accepted, no effect
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.in_order = in_order
        self.multiprocessing_context = multiprocessing_context

        is_iterable = isinstance(dataset, IterableDataset)
        if is_iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"[DataLoader] DataLoader with IterableDataset: expected unspecified {name} "
                                     f"option, but got {name}={value!r}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("[DataLoader] sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("[DataLoader] batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("[DataLoader] batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            if is_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self._is_iterable = is_iterable
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self.__initialized = True

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers == 0:
                raise ValueError("[DataLoader] multiprocessing_context can only be used with multi-process "
                                 f"loading (num_workers > 0), but got num_workers={self.num_workers}")
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(f"[DataLoader] multiprocessing_context option should specify a valid start "
                                     f"method in {methods!r}, but got multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            elif not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("[DataLoader] multiprocessing_context option should be a valid context object or "
                                f"a string specifying the start method, but got {context!r}")
        self.__multiprocessing_context = context

    def __setattr__(self, attr, val):
        if self.__initialized and attr in self._frozen_attrs:
            raise ValueError(f"[DataLoader] {attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        return _MultiProcessingDataLoaderIter(self)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None or self._iterator._shutdown:  # none yet, or its workers died
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    def __len__(self):
        if self._is_iterable:
            return _iterable_length(self.dataset, self.batch_size, self.drop_last)
        return len(self._index_sampler)


def _iterable_length(dataset, batch_size, drop_last):
    length = len(dataset)  # TypeError when the dataset has no length, as in PyTorch
    if batch_size is not None:
        length = length // batch_size if drop_last else math.ceil(length / batch_size)
    return length


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._is_iterable = loader._is_iterable
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._persistent_workers = loader.persistent_workers
        self._batch_size = loader.batch_size
        self._sampler_iter = iter(self._index_sampler)
        # Seeds the workers' generators; drawn from the loader's generator (the
        # default one when None), so a seeded run seeds its workers the same way.
        self._base_seed = ember.empty((), dtype=ember.int64).random_(generator=loader.generator).item()
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0

    def _next_index(self):
        return next(self._sampler_iter)  # StopIteration ends the epoch

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        return data

    def __len__(self):
        # Holds no reference to the loader: a loader <-> iterator cycle would
        # leave shutdown to the garbage collector (Note [DataLoader workers]).
        if self._is_iterable:
            return _iterable_length(self._dataset, self._batch_size, self._drop_last)
        return len(self._index_sampler)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._fetcher = _worker.create_fetcher(self._is_iterable, self._dataset, self._auto_collation,
                                               self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._fetcher.fetch(index)


# Note [DataLoader workers]
# Each worker gets tasks from its own index queue and sends replies through
# its own pipe, widened to hold whole batches (_widen_pipe): a reply is
# pickled once by the worker itself (so a batch that does not pickle becomes
# an error, not a lost reply) and moves in one write, with no feeder thread
# copying it again. The main process hands out task indices round-robin,
# keeping prefetch_factor tasks per worker in flight, and returns results in
# task order (stashing those that arrive early) unless in_order=False. It
# waits on the pipes and on the workers' process sentinels together, so a
# worker that dies raises RuntimeError at once instead of hanging. Workers
# exit on None, on the shared done event (polled, in case the None was lost
# because the iterator died in a garbage-collected cycle after its queues),
# when their parent is gone, or when their pipe is closed; shutdown (end of
# epoch without persistent workers, or the iterator's deletion) closes the
# pipes, joins the workers and terminates stragglers. Persistent workers get
# a ResumeIteration at each new epoch and acknowledge it after any stale
# replies of an interrupted epoch, which the main process discards.
class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._shutdown = True  # until the workers exist
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        context = loader.multiprocessing_context or _default_context()
        self._done_event = context.Event()
        self._index_queues = []
        self._readers = []  # worker id -> the read end of its pipe, None once closed
        self._workers = []
        self._workers_status = []
        try:
            for worker_id in range(self._num_workers):
                index_queue = context.Queue()
                index_queue.cancel_join_thread()  # never block our exit on undelivered indices
                reader, writer = context.Pipe(duplex=False)
                _widen_pipe(writer)
                self._index_queues.append(index_queue)
                self._readers.append(reader)
                w = context.Process(
                    target=_worker.worker_loop,
                    args=(self._is_iterable, self._dataset, index_queue, writer, self._done_event,
                          self._auto_collation, self._collate_fn, self._drop_last, self._base_seed,
                          loader.worker_init_fn, worker_id, self._num_workers, os.getpid()),
                    daemon=True)
                w.start()
                writer.close()  # the worker holds the write end: its death shows as end of file here
                self._workers.append(w)
                self._workers_status.append(True)
        finally:
            self._shutdown = False
            if len(self._workers) < self._num_workers:
                self._shutdown_workers()
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._send_idx = 0  # next task index to send
        self._rcvd_idx = 0  # next task index to return
        self._task_info = {}  # task index -> (worker_id,) while outstanding, (worker_id, data) once here
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            for index_queue in self._index_queues:
                index_queue.put(_worker.ResumeIteration())
            acks = 0
            while acks < self._num_workers:
                idx, _ = self._get_data()
                if idx == _worker.RESUME_ACK:
                    acks += 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_cycle)
            if self._workers_status[worker_id]:
                break
        else:
            return  # every worker's IterableDataset copy is exhausted
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _worker_died(self, worker_ids):
        self._shutdown_workers()
        failed = [self._workers[i] for i in worker_ids]
        pids = ", ".join(str(w.pid) for w in failed)
        reasons = ", ".join(_exit_reason(w.exitcode) for w in failed)
        raise RuntimeError(f"[DataLoader] DataLoader worker (pid(s) {pids}) exited unexpectedly ({reasons})")

    def _get_data(self):
        """The next (idx, data) from any worker. Raises when a worker that
        still owes replies dies, or when the timeout (if any) passes."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            readers = [r for r in self._readers if r is not None]
            sentinels = {w.sentinel: worker_id for worker_id, w in enumerate(self._workers)
                         if self._workers_status[worker_id]}
            wait = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not readers and not sentinels:
                raise RuntimeError("[DataLoader] no worker is left to send the batches still awaited")
            ready = multiprocessing.connection.wait(readers + list(sentinels), timeout=wait)
            if not ready:
                raise RuntimeError(f"[DataLoader] DataLoader timed out after {self._timeout} seconds")
            for worker_id, reader in enumerate(self._readers):
                if reader is None or reader not in ready:
                    continue
                try:
                    payload = reader.recv_bytes()
                except (EOFError, OSError):  # the worker exited: nothing more will come from it
                    reader.close()
                    self._readers[worker_id] = None
                    continue
                try:
                    return pickle.loads(payload)
                except Exception as e:  # e.g. a class the worker has and this process cannot import
                    self._shutdown_workers()  # the lost reply would otherwise be awaited forever
                    raise RuntimeError(f"[DataLoader] could not unpickle a batch from DataLoader worker "
                                       f"{worker_id}: {type(e).__name__}: {e}") from e
            # Nothing to read: a worker that still owes replies and has exited died.
            dead = [worker_id for sentinel, worker_id in sentinels.items() if sentinel in ready]
            if dead:
                self._worker_died(dead)

    def _next_data(self):
        while True:
            # Skip tasks that will never come: those of workers whose
            # IterableDataset copy ran out.
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info is not None and (len(info) == 2 or self._workers_status[info[0]]):
                    break
                self._task_info.pop(self._rcvd_idx, None)
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:
                data = self._task_info.pop(self._rcvd_idx)[1]
                self._rcvd_idx += 1
                return self._process_data(data)
            if self._shutdown:
                raise RuntimeError("[DataLoader] the workers were shut down after an error; start a new epoch")
            idx, data = self._get_data()
            if idx == _worker.RESUME_ACK:
                continue
            self._tasks_outstanding -= 1
            if isinstance(data, _worker.IterableDatasetStopIteration):
                self._workers_status[data.worker_id] = False
                if not self._persistent_workers:
                    self._index_queues[data.worker_id].put(None)  # this worker may exit now
                self._task_info.pop(idx, None)
                self._try_put_index()
                continue
            if idx == self._rcvd_idx:
                del self._task_info[idx]
                self._rcvd_idx += 1
                return self._process_data(data)
            if not self._in_order:
                del self._task_info[idx]
                return self._process_data(data)
            self._task_info[idx] += (data,)

    def _process_data(self, data):
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        try:
            self._done_event.set()
            for index_queue in self._index_queues:
                try:
                    index_queue.put(None)
                except (OSError, ValueError):  # already closed
                    pass
            # A worker blocked sending a batch fails with BrokenPipeError and exits.
            for worker_id, reader in enumerate(self._readers):
                if reader is not None:
                    reader.close()
                    self._readers[worker_id] = None
            for w in self._workers:
                w.join(timeout=_JOIN_TIMEOUT)
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
        finally:
            for w in self._workers:
                if w.is_alive():
                    w.terminate()

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:  # interpreter shutdown: modules may be gone
            pass


def _widen_pipe(conn):
    """Lets whole batches sit in a worker's pipe (Linux makes pipes 64 KiB by
    default), so that a batch moves in one write and one read instead of a
    ping-pong of 64 KiB pieces, and the worker can run ahead of the main
    process by a batch or two."""
    try:
        import fcntl
        with open("/proc/sys/fs/pipe-max-size") as f:
            size = min(int(f.read()), 4 << 20)
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # not Linux, or not allowed: the default pipe works, only slower


def _exit_reason(exitcode):
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        try:
            return f"killed by signal {-exitcode}: {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"
