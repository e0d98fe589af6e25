"""The main job (python -m ember.examples.digits) on a few epochs: it trains,
saves a checkpoint that reloads to identical predictions, and learns."""
import os

import numpy as np

from ember.examples import digits


def test_shipped_data_loads_with_attribution():
    images, labels = digits.load_shipped_digits()
    assert images.shape == (1797, 1, 8, 8) and labels.shape == (1797,)
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert set(np.unique(labels)) == set(range(10))
    assert os.path.exists(os.path.join(digits.DATA_DIR, "SOURCE.md"))


def test_short_training_run_learns_and_round_trips(tmp_path, capsys):
    acc = digits.main(["--epochs", "3", "--out", str(tmp_path), "--min-accuracy", "0.85", "--threads", "1"])
    assert acc >= 0.85
    assert (tmp_path / "digits_cnn.safetensors").exists()
    out = capsys.readouterr().out
    assert "identical predictions" in out and "samples/s" in out


def test_mnist_idx_reader(tmp_path):
    import gzip
    import struct
    imgs = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x0803, 2, 28, 28) + imgs.tobytes())
    with open(tmp_path / "train-labels-idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 0x0801, 2) + bytes([3, 7]))
    x = digits._read_idx(str(tmp_path / "train-images-idx3-ubyte.gz"))
    y = digits._read_idx(str(tmp_path / "train-labels-idx1-ubyte"))
    np.testing.assert_array_equal(x, imgs)
    np.testing.assert_array_equal(y, [3, 7])
