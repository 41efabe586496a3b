"""Writes examples/cnn_inputs.npz: an image and He-initialised weights for examples/cnn.mlir.

python examples/make_cnn_inputs.py
"""

from pathlib import Path

import numpy as np


def he(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    return (rng.standard_normal(shape) * np.sqrt(2 / fan_in)).astype(np.float32)


def main() -> None:
    rng = np.random.default_rng(2018)
    arrays = {
        "data": rng.random((1, 3, 16, 16), dtype=np.float32),
        "conv1_weight": he(rng, (8, 3, 3, 3), 27),
        "conv1_bias": np.zeros(8, np.float32),
        "bn_gamma": np.ones(8, np.float32),
        "bn_beta": np.zeros(8, np.float32),
        "bn_mean": (rng.standard_normal(8) * 0.1).astype(np.float32),
        "bn_var": rng.uniform(0.5, 1.5, 8).astype(np.float32),
        "conv2_weight": he(rng, (16, 8, 3, 3), 72),
        "fc_weight": he(rng, (10, 256), 256),
        "fc_bias": np.zeros(10, np.float32),
    }
    np.savez(Path(__file__).with_name("cnn_inputs.npz"), **arrays)


if __name__ == "__main__":
    main()
