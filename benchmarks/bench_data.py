"""DataLoader throughput (issue 5): batches per second from a TensorDataset
of 60000 x 784 float32 images and int64 labels (MNIST-sized) at batch 128,
shuffled, with num_workers 0 and 2 (persistent workers, started before
timing). PyTorch's DataLoader runs the same case beside when installed.

    python benchmarks/bench_data.py [--threads 1] [--workers 0,2]
"""
import argparse
import itertools

import numpy as np

import ember
import ember.utils.data
from harness import time_call, torch

if torch is not None:
    import torch.utils.data  # noqa: F401

N, FEATURES, BATCH = 60000, 784, 128


def endless_batches(lib, data, num_workers):
    """An iterator over batches that runs epoch after epoch, so that one
    next() is one batch whatever the number of repetitions."""
    x, y = data
    mod = lib.utils.data
    loader = mod.DataLoader(mod.TensorDataset(x, y), batch_size=BATCH, shuffle=True,
                            generator=lib.Generator().manual_seed(0), num_workers=num_workers,
                            persistent_workers=num_workers > 0)
    return itertools.chain.from_iterable(itertools.repeat(loader))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", default="1", help="comma-separated intra-op thread counts")
    p.add_argument("--workers", default="0,2", help="comma-separated num_workers values")
    a = p.parse_args()
    rng = np.random.default_rng(0)
    images = rng.standard_normal((N, FEATURES)).astype(np.float32)
    labels = rng.integers(0, 10, N)
    libs = {"ember": (ember, (ember.from_numpy(images), ember.from_numpy(labels)))}
    if torch is not None:
        libs["torch"] = (torch, (torch.from_numpy(images), torch.from_numpy(labels)))
    for threads in (int(t) for t in a.threads.split(",")):
        ember.set_num_threads(threads)
        if torch is not None:
            torch.set_num_threads(threads)
        print(f"\n== {threads} thread(s), batches/s (higher is better; ratio > 1: Ember is faster)")
        print(f"{'case':44s}" + "".join(f"{name:>12s}" for name in libs) +
              (f"{'ember/torch':>13s}" if torch is not None else ""))
        for workers in (int(w) for w in a.workers.split(",")):
            rates = {}
            for name, (lib, data) in libs.items():
                it = endless_batches(lib, data, workers)
                rates[name] = 1.0 / time_call(lambda: next(it), min_time=1.0, rounds=5)
                del it
            row = f"{f'TensorDataset 60000x784, batch 128, workers {workers}':44s}"
            row += "".join(f"{r:12.0f}" for r in rates.values())
            if torch is not None:
                row += f"{rates['ember'] / rates['torch']:13.2f}"
            print(row)


if __name__ == "__main__":
    main()
