"""Training-step benchmarks (issue 5), Ember beside PyTorch when installed:
an MLP 784-256-256-10 at batch 128 and the digits CNN at batch 64, each one
full step (forward, cross-entropy, backward, optimizer step).
(conv2d forward/backward: bench_nn.py; DataLoader throughput: bench_data.py.)

    python benchmarks/bench_train.py [--threads 1,2]
"""
import numpy as np

import ember
from harness import Case, main, torch


def _mlp(lib, nn):
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def _cnn(lib, nn):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def _step_fn(lib, model, x, y, opt):
    F = lib.nn.functional

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step


def train_case(name, build, x_shape, batch):
    def make():
        rng = np.random.default_rng(0)
        xb = rng.standard_normal((batch,) + x_shape).astype(np.float32)
        yb = rng.integers(0, 10, batch).astype(np.int64)
        fns = {}
        ember.manual_seed(0)
        em = build(ember, ember.nn)
        fns["ember"] = _step_fn(ember, em, ember.tensor(xb), ember.tensor(yb),
                                ember.optim.SGD(em.parameters(), lr=0.01, momentum=0.9))
        if torch is not None:
            tm = build(torch, torch.nn)
            # The same initial weights, so both take the same steps.
            with torch.no_grad():
                for pt, pe in zip(tm.parameters(), em.parameters()):
                    pt.copy_(torch.from_numpy(pe.detach().numpy().copy()))
            fns["torch"] = _step_fn(torch, tm, torch.tensor(xb), torch.tensor(yb),
                                    torch.optim.SGD(tm.parameters(), lr=0.01, momentum=0.9))
        return fns
    return Case("training step", name, make)


if __name__ == "__main__":
    main([train_case("MLP 784-256-256-10, batch 128, SGD", _mlp, (784,), 128),
          train_case("digits CNN (8x8), batch 64, SGD", _cnn, (1, 8, 8), 64)])
