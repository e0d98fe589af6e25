"""Autograd engine overhead (issue 4): a chain of 1,000 tiny ops on a
one-element tensor, forward and backward, so that the time is almost all
graph recording and engine work; and a small MLP forward + backward.
NumPy has no autograd: its column shows the same chain's forward alone, as
a reference for the cost of the ops themselves.

    python benchmarks/bench_autograd.py [--threads 1]
"""
import numpy as np

import ember
from harness import Case, main, torch


def chain(lib, n_ops=1000):
    def make():
        fns = {}
        x = ember.ones(1, requires_grad=True)

        def ember_chain():
            y = x
            for _ in range(n_ops // 2):
                y = y * 1.0001
                y = y + 0.0001
            y.sum().backward()
            x.grad = None
        fns["ember"] = ember_chain

        a = np.ones(1, dtype=np.float32)

        def numpy_chain():
            y = a
            for _ in range(n_ops // 2):
                y = y * np.float32(1.0001)
                y = y + np.float32(0.0001)
        fns["numpy"] = numpy_chain
        if torch is not None:
            t = torch.ones(1, requires_grad=True)

            def torch_chain():
                y = t
                for _ in range(n_ops // 2):
                    y = y * 1.0001
                    y = y + 0.0001
                y.sum().backward()
                t.grad = None
            fns["torch"] = torch_chain
        return fns
    return Case("engine", f"chain of {n_ops} tiny ops, fwd+bwd", make)


def mlp():
    def make():
        rng = np.random.default_rng(0)
        shapes = [(256, 784), (256,), (10, 256), (10,)]
        arrays = [rng.standard_normal(s).astype(np.float32) * 0.05 for s in shapes]
        xb = rng.standard_normal((128, 784)).astype(np.float32)
        fns = {}
        ew = [ember.tensor(a, requires_grad=True) for a in arrays]
        ex = ember.tensor(xb)

        def ember_step():
            h = ember.clamp(ex @ ew[0].t() + ew[1], min=0)
            out = h @ ew[2].t() + ew[3]
            (out * out).mean().backward()
            for p in ew:
                p.grad = None
        fns["ember"] = ember_step
        if torch is not None:
            tw = [torch.tensor(a, requires_grad=True) for a in arrays]
            tx = torch.tensor(xb)

            def torch_step():
                h = torch.clamp(tx @ tw[0].t() + tw[1], min=0)
                out = h @ tw[2].t() + tw[3]
                (out * out).mean().backward()
                for p in tw:
                    p.grad = None
            fns["torch"] = torch_step
        return fns
    return Case("engine", "MLP 784-256-10, batch 128, fwd+bwd", make)


if __name__ == "__main__":
    main([chain(None), mlp()])
