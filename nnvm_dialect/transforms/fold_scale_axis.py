"""`fold-scale-axis`: per-channel scales and shifts next to a conv2d or dense fold into its
constant weights and bias (NNVM's FoldScaleAxis, for the constant case).

Backward (after the op): `broadcast_mul(conv2d(x, W, b), s)` with a constant `s` that varies
only along the output-channel axis becomes `conv2d(x, W * s, b * s)`; `broadcast_add(conv2d(x,
W, b), t)` becomes `conv2d(x, W, b + t)`; the same for dense (units axis). Forward (before the
op): `conv2d(broadcast_mul(x, s), W, b)` with `s` per input channel becomes `conv2d(x, W * s,
b)` for ungrouped convolutions. The new weights are computed here, in float64, and stored as
constants, so nothing is left to run. Which ops take part is asked from the `scale_axis` fact:
an op registers how its weight, bias and channel axes line up.

Left alone: a conv2d or dense with more than one use (its unscaled value is needed elsewhere),
weights that are not constants, scales that vary along another axis, kernels not in OIHW with
data in NCHW.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import BoolAttr, ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from nnvm_dialect.facts import pattern_kind, scale_axis
from nnvm_dialect.ops.base import NnvmOp, build, shape_of
from nnvm_dialect.ops.broadcast import BroadcastAddOp, BroadcastMulOp
from nnvm_dialect.ops.constant import make_constant
from nnvm_dialect.ops.nn import Conv2dOp, DenseOp
from nnvm_dialect.transforms.fold_constants import constant_of


@dataclass(frozen=True)
class ScaleAxis:
    """How a weighted op's channels line up (FScaleAxisBackward/Forward for the constant case).

    `out_axis` is the output-channel axis of the result, `weight_out_axis` / `weight_in_axis`
    the matching weight axes, `in_axis` the input-channel axis of the data (None: no forward
    folding). `applies(op)` says whether this op instance fits (layouts, groups).
    """

    out_axis: int
    weight_out_axis: int
    in_axis: int | None
    weight_in_axis: int | None

    def applies(self, op: Operation, forward: bool) -> bool:
        if isinstance(op, Conv2dOp):
            out = op.output_layout()
            out_name = out if isinstance(out, str) else out.name
            layouts = (op.str_attr("layout"), op.str_attr("kernel_layout"), out_name)
            if layouts != ("NCHW", "OIHW", "NCHW"):
                return False
            return not forward or op.int_attr("groups") == 1
        return True


scale_axis.register(Conv2dOp)(ScaleAxis(out_axis=1, weight_out_axis=0, in_axis=1, weight_in_axis=1))
scale_axis.register(DenseOp)(
    ScaleAxis(out_axis=-1, weight_out_axis=0, in_axis=None, weight_in_axis=None)
)


def per_axis(value: np.ndarray, shape: Sequence[int | None], axis: int) -> np.ndarray | None:
    """`value` as a vector along `axis` of `shape` when it broadcasts to it along that axis
    only; None otherwise."""
    rank = len(shape)
    if value.ndim > rank or None in shape:
        return None
    axis %= rank
    padded = (1,) * (rank - value.ndim) + value.shape
    if any(d != 1 for i, d in enumerate(padded) if i != axis):
        return None
    if padded[axis] not in (1, shape[axis]):
        return None
    return np.broadcast_to(value.reshape(-1), (shape[axis],)).astype(np.float64)  # type: ignore[arg-type]


def weighted_producer(value: SSAValue, forward: bool) -> tuple[NnvmOp, ScaleAxis] | None:
    op = value.owner
    if not isinstance(op, NnvmOp) or len(list(value.uses)) != 1:
        return None
    axes = scale_axis.lookup(op)
    if axes is None or not axes.applies(op, forward):
        return None
    return op, axes


def scaled(weight: np.ndarray, vector: np.ndarray, axis: int) -> np.ndarray:
    shape = [1] * weight.ndim
    shape[axis] = -1
    return (weight.astype(np.float64) * vector.reshape(shape)).astype(weight.dtype)


def rebuilt(op: NnvmOp, operands: list[SSAValue], rewriter: PatternRewriter) -> NnvmOp:
    props = dict(op.properties)
    if len(operands) == 3:
        props["use_bias"] = BoolAttr.from_bool(True)
    new = build(type(op), operands, props)
    new.location = op.location
    return new


@dataclass(frozen=True)
class ScaleAfterIntoWeights(RewritePattern):
    """broadcast_mul(op(x, W, b), s) -> op(x, W * s, b * s); broadcast_add(op(x, W, b), t) ->
    op(x, W, b + t), for a constant s or t along the output-channel axis."""

    def match_and_rewrite(self, mul: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(mul, BroadcastMulOp | BroadcastAddOp):
            return
        for data, other in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
            found = weighted_producer(data, forward=False)
            constant = constant_of(other)
            if found is None or constant is None or data.type != mul.out.type:
                continue
            op, axes = found
            weight = constant_of(op.operands[1])
            shape = shape_of(data.type)
            if weight is None or shape is None:
                continue
            vector = per_axis(constant, shape, axes.out_axis)
            if vector is None:
                continue
            bias = constant_of(op.operands[2]) if len(op.operands) == 3 else None
            if len(op.operands) == 3 and bias is None:
                continue
            dtype = weight.dtype
            zero = np.zeros(vector.shape, dtype)
            if isinstance(mul, BroadcastMulOp):
                new_w = scaled(weight, vector, axes.weight_out_axis)
                new_b = None if bias is None else (bias * vector).astype(dtype)
            else:
                new_w = weight
                new_b = ((zero if bias is None else bias) + vector).astype(dtype)
            w_const = make_constant(new_w, name="folded_weight")
            consts: list[Operation] = [w_const]
            operands = [op.operands[0], w_const.results[0]]
            if new_b is not None:
                b_const = make_constant(new_b, name="folded_bias")
                consts.append(b_const)
                operands.append(b_const.results[0])
            new = rebuilt(op, operands, rewriter)
            rewriter.replace(mul, [*consts, new])
            rewriter.erase(op)
            return


@dataclass(frozen=True)
class ScaleBeforeIntoWeights(RewritePattern):
    """op(broadcast_mul(x, s), W, b) -> op(x, W * s, b) for a constant s along the data's
    input-channel axis (ungrouped conv2d)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, NnvmOp) or len(op.operands) < 2:
            return
        axes = scale_axis.lookup(op)
        if axes is None or axes.in_axis is None or not axes.applies(op, forward=True):
            return
        mul = op.operands[0].owner
        weight = constant_of(op.operands[1])
        if not isinstance(mul, BroadcastMulOp) or weight is None or len(list(mul.out.uses)) != 1:
            return
        for data, other in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
            constant = constant_of(other)
            shape = shape_of(mul.out.type)
            if constant is None or shape is None or data.type != mul.out.type:
                continue
            vector = per_axis(constant, shape, axes.in_axis)
            if vector is None or pattern_kind.lookup(op) is None:
                continue
            assert axes.weight_in_axis is not None
            w_const = make_constant(
                scaled(weight, vector, axes.weight_in_axis), name="folded_weight"
            )
            new = rebuilt(op, [data, w_const.results[0], *op.operands[2:]], rewriter)
            rewriter.replace(op, [w_const, new])
            rewriter.erase(mul)
            return


PATTERNS: tuple[RewritePattern, ...] = (ScaleAfterIntoWeights(), ScaleBeforeIntoWeights())


@dataclass(frozen=True)
class FoldScaleAxis(ModulePass):
    """Fold per-channel scales and shifts before or after conv2d/dense into their constant
    weights and bias (FoldScaleAxis)."""

    name = "fold-scale-axis"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier(list(PATTERNS))).rewrite_module(op)
