"""Core CPU benchmarks (issue 3): elementwise, reductions, matmul, indexing,
tiny-op overhead, and a memory-bandwidth reference (a large copy), so that
elementwise figures can be read as a fraction of the machine's bandwidth.

    python benchmarks/bench_core.py [--threads 1,2] [--filter elementwise]
"""
import numpy as np

import ember
from harness import Case, main, torch


def arrays(*shapes, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def three_ways(np_arrays):
    e = [ember.from_numpy(a) for a in np_arrays]
    t = [torch.from_numpy(a) for a in np_arrays] if torch is not None else None
    return e, np_arrays, t


def elementwise(name, n, fn_ember, fn_numpy, fn_torch=None, shapes=None, transpose=False):
    def make():
        shp = shapes or [(n,), (n,), (n,)]
        e, a, t = three_ways(arrays(*shp))
        if transpose:
            e = [x.T for x in e]
            a = [x.T for x in a]
            t = [x.T for x in t] if t else None
        fns = {"ember": lambda: fn_ember(*e), "numpy": lambda: fn_numpy(*a)}
        if t is not None:
            fns["torch"] = lambda: (fn_torch or fn_ember)(*t)
        return fns
    return Case("elementwise", name, make)


CASES = []
for n, label in ((1_000, "1e3"), (100_000, "1e5"), (10_000_000, "1e7")):
    CASES += [
        elementwise(f"a + b  [{label}]", n, lambda a, b, c: a + b, lambda a, b, c: a + b),
        elementwise(f"a * b + c  [{label}]", n, lambda a, b, c: a * b + c, lambda a, b, c: a * b + c),
        elementwise(f"exp(a)  [{label}]", n, lambda a, b, c: ember.exp(a), lambda a, b, c: np.exp(a),
                    lambda a, b, c: torch.exp(a)),
        elementwise(f"tanh(a)  [{label}]", n, lambda a, b, c: ember.tanh(a), lambda a, b, c: np.tanh(a),
                    lambda a, b, c: torch.tanh(a)),
    ]
CASES += [
    elementwise("a + b broadcast (4096,1)+(1,4096)", 0, lambda a, b, c: a + b, lambda a, b, c: a + b,
                shapes=[(4096, 1), (1, 4096), (1,)]),
    elementwise("a + b transposed (4096,4096).T", 0, lambda a, b, c: a + b, lambda a, b, c: a + b,
                shapes=[(4096, 4096), (4096, 4096), (1,)], transpose=True),
]


def copy_case():
    def make():
        (a,) = arrays((25_000_000,))
        e = ember.from_numpy(a)
        out_e = ember.empty_like(e)
        out_a = np.empty_like(a)
        fns = {"ember": lambda: out_e.copy_(e), "numpy": lambda: np.copyto(out_a, a)}
        if torch is not None:
            t = torch.from_numpy(a)
            out_t = torch.empty_like(t)
            fns["torch"] = lambda: out_t.copy_(t)
        return fns
    return Case("bandwidth", "copy 100 MB (read+write 200 MB)", make)


CASES.append(copy_case())


def reduction(name, fn_ember, fn_numpy, shape, fn_torch=None):
    def make():
        e, a, t = three_ways(arrays(shape))
        fns = {"ember": lambda: fn_ember(e[0]), "numpy": lambda: fn_numpy(a[0])}
        if t is not None:
            fns["torch"] = lambda: (fn_torch or fn_ember)(t[0])
        return fns
    return Case("reductions", name, make)


CASES += [
    reduction("sum all (4096,4096)", lambda x: x.sum(), lambda x: x.sum(), (4096, 4096)),
    reduction("sum dim 0 (4096,4096)", lambda x: x.sum(0), lambda x: x.sum(0), (4096, 4096)),
    reduction("sum dim 1 (4096,4096)", lambda x: x.sum(1), lambda x: x.sum(1), (4096, 4096)),
    reduction("softmax dim -1 (4096,1024)", lambda x: ember.softmax(x, -1),
              lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(
                  -1, keepdims=True), (4096, 1024), lambda x: torch.softmax(x, -1)),
]


def matmul_case(n, batch=None):
    def make():
        shape = (batch, n, n) if batch else (n, n)
        e, a, t = three_ways(arrays(shape, shape))
        fns = {"ember": lambda: e[0] @ e[1], "numpy": lambda: a[0] @ a[1]}
        if t is not None:
            fns["torch"] = lambda: t[0] @ t[1]
        return fns
    return Case("matmul", f"matmul {'%dx' % batch if batch else ''}{n}x{n}", make)


CASES += [matmul_case(n) for n in (64, 256, 1024, 2048)] + [matmul_case(64, batch=64)]


def indexing_cases():
    def gather():
        (a,) = arrays((1000, 1000))
        idx = np.random.default_rng(1).integers(0, 1000, size=(1000, 1000))
        e, ei = ember.from_numpy(a), ember.from_numpy(idx)
        fns = {"ember": lambda: ember.gather(e, 1, ei), "numpy": lambda: np.take_along_axis(a, idx, 1)}
        if torch is not None:
            t, ti = torch.from_numpy(a), torch.from_numpy(idx)
            fns["torch"] = lambda: torch.gather(t, 1, ti)
        return fns

    def mask():
        (a,) = arrays((1_000_000,))
        m = a > 0
        e, em = ember.from_numpy(a), ember.from_numpy(m)
        fns = {"ember": lambda: e[em], "numpy": lambda: a[m]}
        if torch is not None:
            t, tm = torch.from_numpy(a), torch.from_numpy(m)
            fns["torch"] = lambda: t[tm]
        return fns

    def fancy_setitem():
        (a,) = arrays((1_000_000,))
        idx = np.random.default_rng(2).integers(0, 1_000_000, size=100_000)
        e, ei = ember.from_numpy(a.copy()), ember.from_numpy(idx)
        b = a.copy()
        fns = {"ember": lambda: e.__setitem__(ei, 1.0), "numpy": lambda: b.__setitem__(idx, 1.0)}
        if torch is not None:
            t, ti = torch.from_numpy(a.copy()), torch.from_numpy(idx)
            fns["torch"] = lambda: t.__setitem__(ti, 1.0)
        return fns

    return [Case("indexing", "gather (1000,1000) dim 1", gather),
            Case("indexing", "boolean mask 1e6", mask),
            Case("indexing", "fancy setitem 1e5 of 1e6", fancy_setitem)]


CASES += indexing_cases()


def tiny_op():
    def make():
        a, b = arrays((1,), (1,))
        e1, e2 = ember.from_numpy(a), ember.from_numpy(b)
        fns = {"ember": lambda: e1 + e2, "numpy": lambda: a + b}
        if torch is not None:
            t1, t2 = torch.from_numpy(a), torch.from_numpy(b)
            fns["torch"] = lambda: t1 + t2
        return fns
    return Case("overhead", "a + b on 1-element tensors", make)


CASES.append(tiny_op())

if __name__ == "__main__":
    main(CASES)
