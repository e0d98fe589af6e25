"""A tiny side-by-side benchmark harness: each case runs the same work in
Ember, NumPy and PyTorch (each when installed) in one process, and prints
medians and ratios measured in the same run. Absolute times on a shared
machine are noise; the ratios are the result."""
import argparse
import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

import numpy as np

import ember


@dataclass
class Case:
    group: str
    name: str
    # library name -> zero-argument callable doing one repetition
    make: Callable[[], Dict[str, Callable[[], object]]]


def time_call(fn, min_time=0.2, max_reps=10000, rounds=7):
    """Median seconds per call over `rounds` rounds of enough repetitions."""
    fn()  # warm up (allocator caches, lazy init)
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt > min_time / rounds or reps >= max_reps:
            break
        reps *= 4
    samples = []
    for _ in range(rounds):
        gc.disable()
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t0) / reps)
        gc.enable()
    return statistics.median(samples)


def set_numpy_blas_threads(n):
    """NumPy's own OpenBLAS (in numpy.libs) runs its own thread pool: give it
    the same thread count as Ember and PyTorch so matmul ratios compare like
    with like. Best effort (Linux, NumPy wheels); returns whether it worked."""
    import ctypes
    import re
    try:
        maps = open("/proc/self/maps").read()
    except OSError:
        return False
    for path in sorted(set(re.findall(r"\S*numpy\.libs/\S*openblas\S*\.so\S*", maps))):
        lib = ctypes.CDLL(path)
        for sym in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            fn = getattr(lib, sym, None)
            if fn is not None:
                fn(ctypes.c_int(n))
                return True
    return False


def fmt(t: Optional[float]) -> str:
    if t is None:
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if t >= scale:
            return f"{t / scale:7.2f} {unit}"
    return f"{t / 1e-9:7.2f} ns"


def run(cases, threads, filter_text=None):
    libs = ["ember", "numpy"] + (["torch"] if torch is not None else [])
    header = f"{'case':44s}" + "".join(f"{lib:>12s}" for lib in libs) + f"{'numpy/ember':>13s}"
    if torch is not None:
        header += f"{'torch/ember':>13s}"
    for n in threads:
        ember.set_num_threads(n)
        if torch is not None:
            torch.set_num_threads(n)
        numpy_blas = "" if set_numpy_blas_threads(n) else " (NumPy's BLAS threads not set)"
        print(f"\n== {n} thread(s)   (ratios > 1: Ember is faster){numpy_blas}")
        print(header)
        group = None
        for case in cases:
            if filter_text and filter_text not in f"{case.group}/{case.name}":
                continue
            if case.group != group:
                group = case.group
                print(f"-- {group}")
            try:
                fns = case.make()
            except AttributeError as e:  # op not implemented yet
                print(f"{case.name:44s} skipped: {e}")
                continue
            times = {lib: (time_call(fns[lib]) if lib in fns else None) for lib in libs}
            row = f"{case.name:44s}" + "".join(f"{fmt(times[lib]):>12s}" for lib in libs)
            e = times["ember"]
            for other in libs[1:]:
                o = times[other]
                row += f"{(o / e if o and e else float('nan')):13.2f}"
            print(row)


def main(cases):
    p = argparse.ArgumentParser()
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--filter", default=None, help="only cases whose group/name contains this")
    a = p.parse_args()
    run(cases, [int(t) for t in a.threads.split(",")], a.filter)
