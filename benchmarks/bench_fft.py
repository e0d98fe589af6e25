"""ember.fft vs numpy.fft (and torch.fft when installed): complex and real
1-D transforms for a power of two, a prime (Bluestein) and 2^20, plus a
batch of short rows. Prints times and ratios measured in the same run.

    python benchmarks/bench_fft.py [--repeat 20]
"""
import argparse
import time

import numpy as np

import ember

try:
    import torch
except ImportError:  # torch is optional
    torch = None


def best_time(fn, repeat):
    fn()  # warm up (plans are built and cached on the first call)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def row(name, x, repeat, kind):
    e = ember.tensor(x)
    np_fn = {"fft": np.fft.fft, "rfft": np.fft.rfft}[kind]
    em_fn = {"fft": ember.fft.fft, "rfft": ember.fft.rfft}[kind]
    t_np = best_time(lambda: np_fn(x), repeat)
    t_em = best_time(lambda: em_fn(e), repeat)
    line = f"{name:<28} ember {t_em * 1e3:9.3f} ms  numpy {t_np * 1e3:9.3f} ms  ember/numpy {t_em / t_np:6.2f}"
    if torch is not None:
        tt = torch.from_numpy(x)
        t_fn = {"fft": torch.fft.fft, "rfft": torch.fft.rfft}[kind]
        t_to = best_time(lambda: t_fn(tt), repeat)
        line += f"  torch {t_to * 1e3:9.3f} ms  ember/torch {t_em / t_to:6.2f}"
    print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"threads: {ember.get_num_threads()}")
    for n in [1024, 10007, 2 ** 20]:
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        row(f"fft complex128 n={n}", x, args.repeat, "fft")
        row(f"fft complex64  n={n}", x.astype(np.complex64), args.repeat, "fft")
        row(f"rfft float64   n={n}", x.real.copy(), args.repeat, "rfft")
    x = rng.standard_normal((4096, 64)) + 1j * rng.standard_normal((4096, 64))
    row("fft complex128 4096 x 64", x, args.repeat, "fft")


if __name__ == "__main__":
    main()
