"""Train a small MLP with SGD on synthetic data, forward and backward compiled by nnvm-dialect.

The model is a function in the `nnvm` dialect (dense, relu, dense, log_softmax); `-p gradient`
builds its backward function, which returns the log-probabilities and the gradients of the
weights in one call. The cross-entropy loss is computed outside: its gradient with respect to the
log-probabilities, -onehot / batch, is the head gradient the backward function takes.

    python examples/train_mlp.py [--steps 300] [--lr 0.5]
"""

from __future__ import annotations

import argparse

import numpy as np

import nnvm_dialect
from nnvm_dialect.compiler import CompiledModel
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.transforms.gradient import Gradient

BATCH, FEATURES, HIDDEN, CLASSES = 64, 4, 16, 3

X, H, Y = (f"tensor<{BATCH}x{n}xf32>" for n in (FEATURES, HIDDEN, CLASSES))
W1, B1 = f"tensor<{HIDDEN}x{FEATURES}xf32>", f"tensor<{HIDDEN}xf32>"
W2, B2 = f"tensor<{CLASSES}x{HIDDEN}xf32>", f"tensor<{CLASSES}xf32>"
MODEL = f"""
func.func @mlp(%x: {X}, %w1: {W1}, %b1: {B1}, %w2: {W2}, %b2: {B2}) -> {Y} {{
  %h = nnvm.dense %x, %w1, %b1 {{units = {HIDDEN}}} : ({X}, {W1}, {B1}) -> {H}
  %r = nnvm.relu %h : ({H}) -> {H}
  %o = nnvm.dense %r, %w2, %b2 {{units = {CLASSES}}} : ({H}, {W2}, {B2}) -> {Y}
  %logp = nnvm.log_softmax %o : ({Y}) -> {Y}
  func.return %logp : {Y}
}}
"""

WEIGHTS = ("w1", "b1", "w2", "b2")


def compile_training_step(target: str = "reference", opt_level: int = 2) -> CompiledModel:
    """The backward function of the MLP: (x, weights..., d logp) -> (logp, d weights...)."""
    module = parse_mlir(make_context(), MODEL, "train_mlp.mlir")
    Gradient(func="mlp", wrt=WEIGHTS, keep_outputs=True).apply(make_context(), module)
    return nnvm_dialect.compile(module, target=target, entry="mlp_grad", opt_level=opt_level)


def synthetic_data(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^4 labelled by which of three regions of the first two coordinates they
    fall in (not linearly separable: the hidden layer is needed)."""
    x = rng.uniform(-1, 1, (n, FEATURES)).astype(np.float32)
    radius = np.hypot(x[:, 0], x[:, 1])
    labels = np.where(radius < 0.5, 0, np.where(x[:, 0] * x[:, 1] > 0, 1, 2))
    return x, labels


def train(
    steps: int = 300, lr: float = 0.5, seed: int = 0, target: str = "reference", opt_level: int = 2
) -> list[float]:
    """Mini-batch SGD; the loss of every step."""
    rng = np.random.default_rng(seed)
    step = compile_training_step(target, opt_level)
    weights = {
        "w1": (rng.standard_normal((HIDDEN, FEATURES)) * np.sqrt(2 / FEATURES)).astype(np.float32),
        "b1": np.zeros(HIDDEN, np.float32),
        "w2": (rng.standard_normal((CLASSES, HIDDEN)) * np.sqrt(1 / HIDDEN)).astype(np.float32),
        "b2": np.zeros(CLASSES, np.float32),
    }
    losses = []
    for _ in range(steps):
        x, labels = synthetic_data(rng, BATCH)
        onehot = np.eye(CLASSES, dtype=np.float32)[labels]
        head = -onehot / BATCH  # d(mean cross-entropy) / d logp
        logp, *grads = step.run(x, *(weights[k] for k in WEIGHTS), head)
        losses.append(float(-(onehot * logp).sum() / BATCH))
        for k, g in zip(WEIGHTS, grads):
            weights[k] -= lr * g
    return losses


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--target", default="reference", help="reference or cpu")
    p.add_argument("-O", dest="opt_level", type=int, default=2, help="optimisation level")
    args = p.parse_args()
    losses = train(args.steps, args.lr, target=args.target, opt_level=args.opt_level)
    for i in range(0, len(losses), max(1, len(losses) // 10)):
        window = losses[i : i + 10]
        print(f"step {i:4d}: loss {np.mean(window):.4f}")
    print(f"final loss (mean of the last 20 steps): {np.mean(losses[-20:]):.4f}")


if __name__ == "__main__":
    main()
