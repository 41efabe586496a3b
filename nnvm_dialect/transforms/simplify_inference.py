"""`simplify-inference`: ops that only matter in training take their inference form
(NNVM's SimplifyInference).

The pass applies the patterns each op registers under the `simplify_inference` fact: dropout
becomes its input, batch_norm a per-channel scale and shift (`broadcast_mul`, `broadcast_add`
by constants computed here) which canonicalize and fold-scale-axis can then fold into the
weights of a conv2d or dense before it. The scale and shift are computed in float64 from
constant statistics; with statistics that are function arguments they are built as ops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.facts import simplify_inference
from nnvm_dialect.ops.base import NnvmOp, build, shape_of
from nnvm_dialect.ops.broadcast import BroadcastAddOp, BroadcastMulOp
from nnvm_dialect.ops.constant import make_constant
from nnvm_dialect.ops.elemwise import ElemwiseAddOp, ElemwiseMulOp, NegativeOp, SqrtOp
from nnvm_dialect.ops.nn import BatchNormOp, DropoutOp, normalize_axis
from nnvm_dialect.ops.scalar import AddScalarOp, RdivScalarOp
from nnvm_dialect.ops.transform import ExpandDimsOp
from nnvm_dialect.transforms.fold_constants import constant_of
from nnvm_dialect.transforms.fold_scale_axis import PATTERNS as FOLD_INTO_WEIGHTS


class DropoutToInput(RewritePattern):
    """dropout(x) -> x: at inference dropout keeps every value."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: DropoutOp, rewriter: PatternRewriter) -> None:
        if op.data.type == op.out.type:
            rewriter.replace(op, [], [op.data])


class BatchNormToScaleShift(RewritePattern):
    """batch_norm(x, gamma, beta, mean, var) -> x * a + b along `axis`, with
    a = gamma / sqrt(var + epsilon) and b = beta - mean * a (NNVM's form). With constant
    statistics a and b are constants computed here in float64; otherwise they are built from
    ops as NNVM does (add_scalar, sqrt, rdiv_scalar, negative, elemwise_mul/add, expand_dims)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: BatchNormOp, rewriter: PatternRewriter) -> None:
        # NNVM's operand order; read by position (the named accessors of BatchNormOp follow
        # its class fields, base class last).
        data, *stats = op.operands
        shape = shape_of(data.type)
        if shape is None:
            return
        axis = normalize_axis(op.int_attr("axis"), len(shape))
        trailing = len(shape) - axis - 1
        values = [constant_of(v) for v in stats]
        new_ops: list[Operation] = []
        if all(v is not None for v in values):
            gamma, beta, mean, var = (np.asarray(v, np.float64) for v in values)  # type: ignore[arg-type]
            a = 1 / np.sqrt(var + op.float_attr("epsilon"))
            if op.bool_attr("scale"):
                a = a * gamma
            b = -mean * a
            if op.bool_attr("center"):
                b = b + beta
            dtype = values[0].dtype  # type: ignore[union-attr]
            ca = make_constant(a.reshape(-1, *[1] * trailing).astype(dtype), name="bn_scale")
            cb = make_constant(b.reshape(-1, *[1] * trailing).astype(dtype), name="bn_shift")
            new_ops += [ca, cb]
            scale, shift = ca.results[0], cb.results[0]
        else:

            def add(cls: type[NnvmOp], operands: list, **props: object) -> SSAValue:
                new = build(cls, operands, props)  # type: ignore[arg-type]
                new_ops.append(new)
                return new.results[0]

            eps = FloatAttr(op.float_attr("epsilon"), 64)
            a = add(AddScalarOp, [stats[3]], scalar=eps)
            a = add(SqrtOp, [a])
            a = add(RdivScalarOp, [a], scalar=FloatAttr(1.0, 64))
            if op.bool_attr("scale"):
                a = add(ElemwiseMulOp, [a, stats[0]])
            b = add(ElemwiseMulOp, [add(NegativeOp, [stats[2]]), a])
            if op.bool_attr("center"):
                b = add(ElemwiseAddOp, [b, stats[1]])
            if trailing > 0:
                a = add(
                    ExpandDimsOp,
                    [a],
                    axis=IntegerAttr(1, 64),
                    num_newaxis=IntegerAttr(trailing, 64),
                )
                b = add(
                    ExpandDimsOp,
                    [b],
                    axis=IntegerAttr(1, 64),
                    num_newaxis=IntegerAttr(trailing, 64),
                )
            scale, shift = a, b
        mul = build(BroadcastMulOp, [data, scale])
        out = build(BroadcastAddOp, [mul.results[0], shift])
        if out.results[0].type != op.results[0].type:
            return
        for new in (*new_ops, mul, out):
            new.location = op.location
        rewriter.replace(op, [*new_ops, mul, out])


simplify_inference.register(DropoutOp)((DropoutToInput(),))
simplify_inference.register(BatchNormOp)((BatchNormToScaleShift(),))


@dataclass(frozen=True)
class FromFacts(RewritePattern):
    """Applies the `simplify_inference` patterns of whatever op it meets."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        for pattern in simplify_inference.lookup(op) or ():
            pattern.match_and_rewrite(op, rewriter)
            if rewriter.has_done_action:
                return


@dataclass(frozen=True)
class SimplifyInference(ModulePass):
    """batch_norm to a scale and shift, dropout to its input (SimplifyInference)."""

    name = "simplify-inference"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        patterns = [FromFacts(), *FOLD_INTO_WEIGHTS]
        PatternRewriteWalker(GreedyRewritePatternApplier(patterns)).rewrite_module(op)
