"""Writes the example models examples/resnet_block.mlir and examples/transformer_block.mlir.

    python examples/make_examples.py

Their weights are `nnvm.constant`s made from seeded random numbers (He-initialised), in all
three forms by size: up to 100 elements inline, up to 1024 as dense_resource blobs at the end of
the file, larger ones in a params file beside the model (`<model>.params.npz`). The same
weights are returned by `resnet_weights()` and `transformer_weights()`, so a test can check the
models against its own numpy computation.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    BoolAttr,
    Builtin,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
)
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.printer import Printer

from nnvm_dialect.ops import NNVM, build
from nnvm_dialect.ops.constant import make_constant, save_params
from nnvm_dialect.ops.nn import ints

HERE = Path(__file__).parent
OPS = {op.name: op for op in NNVM.operations}
INLINE_LIMIT, RESOURCE_LIMIT = 100, 1024

RESNET_INPUT = (1, 8, 16, 16)
TRANSFORMER_INPUT = (1, 8, 32)  # batch, sequence, model width
HEADS = 4


def _he(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    return (rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)).astype(np.float32)


def _bn(rng: np.random.Generator, prefix: str, c: int) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_gamma": rng.uniform(0.5, 1.5, c).astype(np.float32),
        f"{prefix}_beta": rng.uniform(-0.2, 0.2, c).astype(np.float32),
        f"{prefix}_mean": rng.uniform(-0.2, 0.2, c).astype(np.float32),
        f"{prefix}_var": rng.uniform(0.5, 1.5, c).astype(np.float32),
    }


def resnet_weights() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    w: dict[str, np.ndarray] = {}
    for name, (o, i, k) in {
        "conv0": (16, 8, 3),
        "block1_conv1": (16, 16, 3),
        "block1_conv2": (16, 16, 3),
        "block2_conv1": (32, 16, 3),
        "block2_conv2": (32, 32, 3),
        "block2_short": (32, 16, 1),
    }.items():
        w[f"{name}_w"] = _he(rng, (o, i, k, k), i * k * k)
        w.update(_bn(rng, f"{name}_bn", o))
    w["fc_w"] = _he(rng, (10, 32), 32)
    w["fc_b"] = rng.uniform(-0.1, 0.1, 10).astype(np.float32)
    return w


def transformer_weights() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    d, hidden = TRANSFORMER_INPUT[2], 2 * TRANSFORMER_INPUT[2]
    w: dict[str, np.ndarray] = {}
    for name in ("q", "k", "v"):
        w[f"{name}_w"] = _he(rng, (d, d), d)  # dense weights are (units, in)
        w[f"{name}_b"] = rng.uniform(-0.1, 0.1, d).astype(np.float32)
    w["o_w"] = _he(rng, (d, d), d)  # matmul weight, (in, out)
    w["o_b"] = rng.uniform(-0.1, 0.1, d).astype(np.float32)
    w["mlp1_w"] = _he(rng, (hidden, d), d)
    w["mlp1_b"] = rng.uniform(-0.1, 0.1, hidden).astype(np.float32)
    w["mlp2_w"] = _he(rng, (d, hidden), hidden)
    w["mlp2_b"] = rng.uniform(-0.1, 0.1, d).astype(np.float32)
    for ln in ("ln1", "ln2"):
        w[f"{ln}_gamma"] = rng.uniform(0.8, 1.2, d).astype(np.float32)
        w[f"{ln}_beta"] = rng.uniform(-0.1, 0.1, d).astype(np.float32)
    return w


def _attr(value: Any) -> Attribute:
    if isinstance(value, Attribute):
        return value
    if isinstance(value, bool):
        return BoolAttr.from_bool(value)
    if isinstance(value, int):
        return IntegerAttr(value, 64)
    if isinstance(value, float):
        return FloatAttr(value, 64)
    if isinstance(value, str):
        return StringAttr(value)
    return ints(*value)


class Graph:
    """Appends ops to one function body, result types from the ops' rules."""

    def __init__(self, weights: dict[str, np.ndarray], input_shape: tuple[int, ...]):
        self.block = Block(arg_types=[TensorType(f32, input_shape)])
        self.block.args[0].name_hint = "data"
        self.weights = weights
        self.consts: dict[str, SSAValue] = {}

    @property
    def data(self) -> SSAValue:
        return self.block.args[0]

    def w(self, name: str) -> SSAValue:
        if name not in self.consts:
            op = make_constant(self.weights[name], name, inline_limit=INLINE_LIMIT)
            self.block.add_op(op)
            self.consts[name] = op.results[0]
        return self.consts[name]

    def __call__(self, name: str, *operands: SSAValue, **props: Any) -> SSAValue:
        op = build(OPS[f"nnvm.{name}"], operands, {k: _attr(v) for k, v in props.items()})
        self.block.add_op(op)
        return op.results[0]

    def module(self, out: SSAValue) -> ModuleOp:
        self.block.add_op(func.ReturnOp(out))
        region = Region(self.block)
        return ModuleOp([func.FuncOp("main", (list(self.block.arg_types), [out.type]), region)])


def resnet_block() -> ModuleOp:
    g = Graph(resnet_weights(), RESNET_INPUT)

    def conv_bn(x: SSAValue, name: str, channels: int, k: int, stride: int = 1) -> SSAValue:
        y = g(
            "conv2d",
            x,
            g.w(f"{name}_w"),
            channels=channels,
            kernel_size=(k, k),
            strides=(stride, stride),
            padding=(k // 2, k // 2),
            use_bias=False,
        )
        bn = [g.w(f"{name}_bn_{p}") for p in ("gamma", "beta", "mean", "var")]
        return g("batch_norm", y, *bn)

    x = g("relu", conv_bn(g.data, "conv0", 16, 3))
    y = g("relu", conv_bn(x, "block1_conv1", 16, 3))
    x = g("relu", g("elemwise_add", conv_bn(y, "block1_conv2", 16, 3), x))
    y = g("relu", conv_bn(x, "block2_conv1", 32, 3, stride=2))
    short = conv_bn(x, "block2_short", 32, 1, stride=2)
    x = g("relu", g("elemwise_add", conv_bn(y, "block2_conv2", 32, 3), short))
    x = g("flatten", g("global_avg_pool2d", x))
    x = g("dense", x, g.w("fc_w"), g.w("fc_b"), units=10)
    return g.module(g("softmax", x, axis=-1))


def transformer_block() -> ModuleOp:
    g = Graph(transformer_weights(), TRANSFORMER_INPUT)
    b, s, d = TRANSFORMER_INPUT
    dh = d // HEADS

    def heads(x: SSAValue) -> SSAValue:
        """(b, s, d) -> (b * heads, s, dh)."""
        x = g("reshape", x, shape=(0, 0, HEADS, dh))
        return g("reshape", g("transpose", x, axes=(0, 2, 1, 3)), shape=(-3, 0, 0))

    x = g.data
    q, k, v = (heads(g("dense", x, g.w(f"{n}_w"), g.w(f"{n}_b"), units=d)) for n in "qkv")
    scores = g("__mul_scalar__", g("batch_matmul", q, k), scalar=1.0 / math.sqrt(dh))
    attn = g("batch_matmul", g("softmax", scores, axis=-1), v, transpose_b=False)
    attn = g("reshape", attn, shape=(-4, b, HEADS, -2))  # (b, heads, s, dh)
    attn = g("reshape", g("transpose", attn, axes=(0, 2, 1, 3)), shape=(0, 0, -3))
    proj = g("broadcast_add", g("matmul", attn, g.w("o_w")), g.w("o_b"))
    x = g("layer_norm", g("elemwise_add", x, proj), g.w("ln1_gamma"), g.w("ln1_beta"))
    h = g("gelu", g("dense", x, g.w("mlp1_w"), g.w("mlp1_b"), units=2 * d))
    h = g("dense", h, g.w("mlp2_w"), g.w("mlp2_b"), units=d)
    return g.module(g("layer_norm", g("elemwise_add", x, h), g.w("ln2_gamma"), g.w("ln2_beta")))


def write(module: ModuleOp, name: str) -> None:
    save_params(module, HERE / f"{name}.params.npz", larger_than=RESOURCE_LIMIT)
    out = io.StringIO()
    printer = Printer(stream=out)
    printer.print_op(module)
    printer.print_metadata([Builtin])
    header = (
        f"// Written by examples/make_examples.py; weights of more than {RESOURCE_LIMIT} "
        f"elements are in {name}.params.npz.\n"
    )
    (HERE / f"{name}.mlir").write_text(header + out.getvalue().rstrip() + "\n")


if __name__ == "__main__":
    write(resnet_block(), "resnet_block")
    write(transformer_block(), "transformer_block")
