"""Ember's main job: train a small CNN on handwritten digits.

    python -m ember.examples.digits [--epochs 15] [--batch-size 64] [--seed 0]
                                    [--threads N] [--device cpu] [--data DIR]
                                    [--out DIR]

With no --data it uses the 8x8 digits shipped inside the package
(examples/data/digits.csv.gz, the UCI optical digits test set, CC BY 4.0;
see examples/data/SOURCE.md). --data DIR reads the MNIST IDX files
(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
t10k-labels-idx1-ubyte, optionally .gz) instead.

It prints a progress bar with loss, accuracy and throughput, reports the
test accuracy, saves a checkpoint (safetensors), reloads it into a fresh
model and checks that the predictions are identical, and plots the loss
and accuracy curves to a PNG when matplotlib is installed.
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.utils.data import DataLoader, TensorDataset

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


# ---- data ---------------------------------------------------------------

def load_shipped_digits():
    """(images float32 [N, 1, 8, 8] in [0, 1], labels int64 [N])."""
    with gzip.open(os.path.join(DATA_DIR, "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    images = table[:, :64].reshape(-1, 1, 8, 8) / 16.0
    labels = table[:, 64].astype(np.int64)
    return images, labels


def _read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        ndim = magic & 0xFF
        dims = struct.unpack(">" + "I" * ndim, f.read(4 * ndim))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    return data.reshape(dims)


def _find(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"[digits] {stem} (or {stem}.gz) not found in {directory}")


def load_mnist(directory):
    """The four MNIST IDX files: ((train x, train y), (test x, test y))."""
    def pair(images, labels):
        x = _read_idx(_find(directory, images)).astype(np.float32)[:, None] / 255.0
        y = _read_idx(_find(directory, labels)).astype(np.int64)
        return x, y
    return pair("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), \
        pair("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def split(images, labels, test_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(len(labels) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return (images[train], labels[train]), (images[test], labels[test])


# ---- model --------------------------------------------------------------

class DigitsCNN(nn.Module):
    """conv(32) - relu - conv(64) - relu - maxpool(2) - fc(128) - relu - dropout - fc(10)."""

    def __init__(self, image_size=8):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        side = image_size // 2
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * side * side, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


# ---- training -----------------------------------------------------------

class Progress:
    """One line per epoch, redrawn in place: bar, loss, accuracy, samples/s."""

    def __init__(self, total, epoch, epochs, width=24):
        self.total, self.epoch, self.epochs, self.width = total, epoch, epochs, width
        self.start = time.perf_counter()
        self.tty = sys.stdout.isatty()

    def update(self, done, loss, acc, final=False):
        if not (self.tty or final):
            return
        frac = done / max(self.total, 1)
        bar = "#" * int(frac * self.width) + "-" * (self.width - int(frac * self.width))
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        line = (f"epoch {self.epoch:2d}/{self.epochs} [{bar}] {100 * frac:3.0f}%  loss {loss:.4f}  "
                f"acc {100 * acc:5.1f}%  {rate:8.0f} samples/s")
        print("\r" + line if self.tty else line, end="\n" if final else "", flush=True)


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    loss_sum = 0.0
    preds = []
    with ember.no_grad():
        for x, y in loader:
            out = model(x)
            loss_sum += F.cross_entropy(out, y, reduction="sum").item()
            p = out.argmax(dim=1)
            preds.append(p.numpy())
            correct += int((p == y).sum().item())
            total += y.numel()
    model.train()
    return loss_sum / max(total, 1), correct / max(total, 1), np.concatenate(preds) if preds else np.zeros(0)


def train(args):
    if args.threads:
        ember.set_num_threads(args.threads)
    ember.manual_seed(args.seed)
    if args.data:
        (xtr, ytr), (xte, yte) = load_mnist(args.data)
        source = f"MNIST IDX files in {args.data}"
    else:
        images, labels = load_shipped_digits()
        (xtr, ytr), (xte, yte) = split(images, labels, 0.2, args.seed)
        source = "the 8x8 digits shipped with Ember (UCI, CC BY 4.0)"
    device = ember.device(args.device)
    print(f"data: {source}: {len(ytr)} training and {len(yte)} test images of {xtr.shape[-2]}x{xtr.shape[-1]}")
    train_set = TensorDataset(ember.from_numpy(xtr), ember.from_numpy(ytr))
    test_set = TensorDataset(ember.from_numpy(xte), ember.from_numpy(yte))
    g = ember.Generator().manual_seed(args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, generator=g)
    test_loader = DataLoader(test_set, batch_size=512)

    model = DigitsCNN(image_size=xtr.shape[-1]).to(device)
    optimizer = ember.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = ember.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    print(model)
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        bar = Progress(len(train_set), epoch, args.epochs)
        seen = correct = 0
        loss_sum = 0.0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            out = model(x)
            loss = F.cross_entropy(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            n = y.numel()
            seen += n
            loss_sum += loss.item() * n
            correct += int((out.argmax(dim=1) == y).sum().item())
            bar.update(seen, loss_sum / seen, correct / seen)
        bar.update(seen, loss_sum / seen, correct / seen, final=True)
        scheduler.step()
        test_loss, test_acc, _ = evaluate(model, test_loader)
        for k, v in zip(history, (loss_sum / seen, correct / seen, test_loss, test_acc)):
            history[k].append(v)
        print(f"           test loss {test_loss:.4f}  test acc {100 * test_acc:5.1f}%")
    elapsed = time.perf_counter() - start
    _, test_acc, preds = evaluate(model, test_loader)
    print(f"trained {args.epochs} epochs in {elapsed:.1f} s on {ember.get_num_threads()} thread(s); "
          f"test accuracy {100 * test_acc:.2f}%")
    return model, test_loader, preds, history, test_acc, elapsed


def check_checkpoint(model, test_loader, preds, out_dir, image_size):
    path = os.path.join(out_dir, "digits_cnn.safetensors")
    ember.save(model.state_dict(), path)
    fresh = DigitsCNN(image_size=image_size)
    fresh.load_state_dict(ember.load(path))
    _, _, reloaded = evaluate(fresh, test_loader)
    if not np.array_equal(preds, reloaded):
        raise RuntimeError("[digits] the reloaded checkpoint predicts differently from the trained model")
    print(f"checkpoint saved to {path}; reloaded model gives identical predictions on {len(preds)} test images")


def plot(history, out_dir):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot written (pip install matplotlib to get one)")
        return None
    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
    ax1.plot(epochs, history["train_loss"], label="train")
    ax1.plot(epochs, history["test_loss"], label="test")
    ax1.set_xlabel("epoch"), ax1.set_ylabel("cross-entropy loss"), ax1.legend()
    ax2.plot(epochs, [100 * a for a in history["train_acc"]], label="train")
    ax2.plot(epochs, [100 * a for a in history["test_acc"]], label="test")
    ax2.set_xlabel("epoch"), ax2.set_ylabel("accuracy (%)"), ax2.legend()
    fig.tight_layout()
    path = os.path.join(out_dir, "digits_training.png")
    fig.savefig(path, dpi=100)
    print(f"loss and accuracy curves written to {path}")
    return path


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m ember.examples.digits", description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (default: Ember's choice)")
    p.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    p.add_argument("--data", default=None, help="directory with the MNIST IDX files")
    p.add_argument("--out", default=".", help="directory for the checkpoint and the plot")
    p.add_argument("--min-accuracy", type=float, default=0.97, help="fail below this test accuracy")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    model, test_loader, preds, history, test_acc, _ = train(args)
    image_size = next(iter(test_loader))[0].shape[-1]
    check_checkpoint(model.cpu(), test_loader, preds, args.out, image_size)
    plot(history, args.out)
    if test_acc < args.min_accuracy:
        raise SystemExit(f"[digits] test accuracy {100 * test_acc:.2f}% is below {100 * args.min_accuracy:.0f}%")
    return test_acc


if __name__ == "__main__":
    main()
