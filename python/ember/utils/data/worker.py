"""What runs inside a DataLoader worker process, as in
``torch.utils.data._utils.worker``: the loop that fetches batches for the
indices it is sent, ``get_worker_info()``, and the wrapper that carries an
exception (with the worker's traceback text) back to the main process."""
import os
import pickle
import queue
import random
import sys
import traceback

import numpy as np

import ember

__all__ = ["WorkerInfo", "get_worker_info"]

# How often (seconds) a worker waiting for work checks the done event and
# that its parent lives.
STATUS_CHECK_INTERVAL = 0.1

_worker_info = None


class WorkerInfo:
    """``id`` (0..num_workers-1), ``num_workers``, ``seed`` (this worker's
    seed of ember's, Python's and NumPy's generators) and ``dataset`` (this
    worker's copy). Read-only."""

    __initialized = False

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs)
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        return super().__setattr__(key, val)

    def __repr__(self):
        items = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


def get_worker_info():
    """In a DataLoader worker process, its ``WorkerInfo``; None in the main
    process. An ``IterableDataset`` uses it to give each worker its own
    shard of the data."""
    return _worker_info


class ExceptionWrapper:
    """An exception and its traceback text, picklable, re-raised in the main
    process with the worker's traceback in the message."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_type_name = exc_info[0].__name__  # kept when exc_type must become RuntimeError
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            # KeyError prints its argument with repr(); keep the text readable.
            msg = KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:  # an exception type whose constructor takes other arguments
            raise RuntimeError(msg) from None
        raise exception


class KeyErrorMessage(str):
    def __repr__(self):
        return self


class IterableDatasetStopIteration:
    """Sent by a worker whose copy of an IterableDataset is exhausted."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


class ResumeIteration:
    """Sent to persistent workers at the start of each epoch (with the
    epoch's seed for an IterableDataset's fresh iterator)."""


# The idx of a worker's reply to ResumeIteration (task indices are >= 0).
RESUME_ACK = -1


def _pickled(idx, data, worker_id):
    """The reply (idx, data) as bytes. A batch that does not pickle becomes
    an error for the main process to raise, never a lost reply."""
    try:
        return pickle.dumps((idx, data), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        if isinstance(data, ExceptionWrapper):  # the exception's type does not pickle (a local class)
            data.exc_type = RuntimeError
            return pickle.dumps((idx, data), protocol=pickle.HIGHEST_PROTOCOL)
        wrapper = ExceptionWrapper(where=f"in DataLoader worker process {worker_id} while pickling its batch")
    try:
        return pickle.dumps((idx, wrapper), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # the exception type itself does not pickle (a local class)
        wrapper.exc_type = RuntimeError
        return pickle.dumps((idx, wrapper), protocol=pickle.HIGHEST_PROTOCOL)


class _MapFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        getitems = getattr(self.dataset, "__getitems__", None)
        data = getitems(index) if callable(getitems) else [self.dataset[i] for i in index]
        return self.collate_fn(data)


class _IterableFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.iterator = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.iterator))
        data = []
        for _ in index:  # index is a list of batch_size placeholders
            try:
                data.append(next(self.iterator))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)


def create_fetcher(is_iterable, dataset, auto_collation, collate_fn, drop_last):
    cls = _IterableFetcher if is_iterable else _MapFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)


def _seed_everything(seed, worker_id, base_seed):
    random.seed(seed)
    ember.manual_seed(seed)
    np_seed = np.random.SeedSequence([worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32]).generate_state(4)
    np.random.seed(np_seed)


def worker_loop(is_iterable, dataset, index_queue, data_conn, done_event, auto_collation, collate_fn,
                drop_last, base_seed, init_fn, worker_id, num_workers, parent_pid):
    """Runs in the worker process until it gets None, sees done_event, or
    its parent dies or stops listening. For every (idx, indices) it gets it
    sends back, pickled, (idx, batch), (idx, ExceptionWrapper) or
    (idx, IterableDatasetStopIteration) through its own pipe, data_conn."""
    global _worker_info
    try:
        # One thread per worker: the workers are the parallelism (PyTorch does
        # the same). The pool is a fresh one (Note [Thread pool after fork]).
        ember.set_num_threads(1)
        seed = base_seed + worker_id
        _seed_everything(seed, worker_id, base_seed)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)

        init_exception = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(is_iterable, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_exception = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")

        iteration_ended = False  # an IterableDataset copy that ran out waits for the next epoch
        while not done_event.is_set():
            try:
                r = index_queue.get(timeout=STATUS_CHECK_INTERVAL)
            except queue.Empty:
                if os.getppid() != parent_pid:  # orphaned: the main process is gone
                    break
                continue
            if isinstance(r, ResumeIteration):
                data_conn.send_bytes(pickle.dumps((RESUME_ACK, None)))
                iteration_ended = False
                if init_exception is None:
                    try:
                        fetcher = create_fetcher(is_iterable, dataset, auto_collation, collate_fn, drop_last)
                    except Exception:
                        init_exception = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_ended:
                continue
            idx, index = r
            if init_exception is not None:
                data, init_exception = init_exception, None
            else:
                try:
                    data = fetcher.fetch(index)
                except Exception as e:
                    if isinstance(e, StopIteration) and is_iterable:
                        data = IterableDatasetStopIteration(worker_id)
                        iteration_ended = True
                    else:
                        data = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
            data_conn.send_bytes(_pickled(idx, data, worker_id))
            del data, idx, index, r
    except (KeyboardInterrupt, BrokenPipeError, ConnectionResetError):
        pass  # Ctrl-C is the main process's to handle; a closed pipe means it stopped listening
    finally:
        data_conn.close()
