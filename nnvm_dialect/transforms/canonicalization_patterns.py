"""Algebraic identities of the nnvm ops, registered under the `canonicalize` fact.

`-p canonicalize` (xDSL's pass) applies them through the ops' `CanonicalizeFromFacts` trait. Each
pattern is exact: it never changes a result, NaN and signed zero included. Identities that would
are left alone on purpose, for floats:

- x + 0 -> x is wrong for x = -0.0 (-0.0 + 0.0 is +0.0); x - 0 -> x and x + (-0) -> x are exact.
- x * 0 -> 0 is wrong for NaN and infinities; x * 1 -> x and x / 1 -> x are exact.
- x - x -> 0 and x / x -> 1 are wrong for NaN and infinities (and 0 / 0).
- relu(x) -> x for x >= 0 needs a range analysis; not done.

Ops whose operands are all constants fold through their `reference` semantics
(`FoldConstantOperands`, registered on `NnvmOp` so every op without patterns of its own,
plugin ops included, gets it; ops with their own patterns list it too).

Plugins add patterns for their own ops the same way: `canonicalize.register(MyOp)((P(),))`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import canonicalize
from nnvm_dialect.ops.base import NnvmOp, dtype_of, shape_of
from nnvm_dialect.ops.broadcast import (
    BroadcastAddOp,
    BroadcastDivOp,
    BroadcastMulOp,
    BroadcastSubOp,
)
from nnvm_dialect.ops.elemwise import (
    CastOp,
    CopyOp,
    ElemwiseAddOp,
    ElemwiseDivOp,
    ElemwiseMulOp,
    ElemwiseSubOp,
    NegativeOp,
    ReluOp,
)
from nnvm_dialect.ops.layout import LayoutTransformOp
from nnvm_dialect.ops.nn import PadOp, ints
from nnvm_dialect.ops.replicate import BroadcastToOp
from nnvm_dialect.ops.scalar import AddScalarOp, DivScalarOp, MulScalarOp, SubScalarOp
from nnvm_dialect.ops.transform import (
    ConcatenateOp,
    ExpandDimsOp,
    FlattenOp,
    ReshapeOp,
    SqueezeOp,
    TransposeOp,
)
from nnvm_dialect.transforms.fold_constants import FoldConstantOperands, constant_of


def static_type(t: Attribute) -> bool:
    shape = shape_of(t)
    return shape is not None and None not in shape


def forward(op: Operation, value: SSAValue, rewriter: PatternRewriter) -> None:
    """Replace `op` by `value` when that keeps every use well typed."""
    if value.type == op.results[0].type:
        rewriter.replace(op, [], [value])


@dataclass(frozen=True)
class SameTypeIsIdentity(RewritePattern):
    """An op that only moves or converts elements is its operand when the types match: copy,
    cast to the same type; with static shapes only (a pad of tensor<?xf32> may grow it),
    flatten of a matrix, reshape or squeeze to the same shape, pad by nothing, concatenate of
    one, broadcast_to the same shape."""

    static_only: bool = True

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if len(op.operands) == 1 and len(op.results) == 1:
            if not self.static_only or static_type(op.results[0].type):
                forward(op, op.operands[0], rewriter)


@dataclass(frozen=True)
class Involution(RewritePattern):
    """f(f(x)) -> x: negative."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        inner = op.operands[0].owner
        if type(inner) is type(op) and inner.properties == op.properties:
            forward(op, inner.operands[0], rewriter)


@dataclass(frozen=True)
class Idempotent(RewritePattern):
    """f(f(x)) -> f(x): relu."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        inner = op.operands[0].owner
        if type(inner) is type(op) and inner.properties == op.properties:
            forward(op, op.operands[0], rewriter)


def is_float(value: SSAValue) -> bool:
    dtype = dtype_of(value.type)
    return dtype is not None and to_numpy(dtype).kind == "f"


@dataclass(frozen=True)
class NeutralOperand(RewritePattern):
    """x op c -> x (or c op x -> x with `commutes`) where the constant c is the neutral element
    everywhere: x * 1, x / 1, x - 0, x + (-0.0) (x + 0 for integers), as long as the result keeps
    x's type (the constant does not broadcast x to a larger shape)."""

    neutral: float
    commutes: bool
    float_neutral: float | None = None
    """The neutral element for floats when it differs (-0.0 for addition)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        lhs, rhs = op.operands
        pairs = [(lhs, rhs), (rhs, lhs)] if self.commutes else [(lhs, rhs)]
        for x, c in pairs:
            value = constant_of(c)
            if value is None or x.type != op.results[0].type:
                continue
            want = self.neutral
            if self.float_neutral is not None and is_float(x):
                want = self.float_neutral
            if (
                value.size
                and np.all(value == want)
                and np.all(np.signbit(value) == np.signbit(want))
            ):
                rewriter.replace(op, [], [x])
                return


@dataclass(frozen=True)
class NeutralScalar(RewritePattern):
    """x op scalar -> x for the neutral scalar (x * 1, x / 1, x - 0; x + 0 for integers)."""

    neutral: float
    integers_only: bool = False

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        assert isinstance(op, NnvmOp)
        if self.integers_only and is_float(op.operands[0]):
            return
        if op.float_attr("scalar") == self.neutral:
            forward(op, op.operands[0], rewriter)


@dataclass(frozen=True)
class ComposeTransposes(RewritePattern):
    """transpose(transpose(x, p), q) -> transpose(x, p . q), or x when that is the identity."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        inner = op.operands[0].owner
        shape = shape_of(op.operands[0].type)
        if not isinstance(op, TransposeOp) or not isinstance(inner, TransposeOp) or shape is None:
            return
        rank = len(shape)
        p, q = inner.permutation(rank), op.permutation(rank)
        composed = [p[i] for i in q]
        if composed == list(range(rank)):
            forward(op, inner.operands[0], rewriter)
            return
        new = TransposeOp.create(
            operands=[inner.operands[0]],
            result_types=[op.results[0].type],
            properties={"axes": ints(*composed)},
        )
        rewriter.replace(op, [new])


@dataclass(frozen=True)
class OuterReshapeWins(RewritePattern):
    """reshape(reshape(x)) -> reshape(x) to the outer static shape; a reshape to x's own type
    (or a squeeze of an expand_dims back to x's type) -> x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        inner = op.operands[0].owner
        if not isinstance(inner, ReshapeOp | ExpandDimsOp | FlattenOp | SqueezeOp):
            return
        source = inner.operands[0]
        out = op.results[0].type
        if source.type == out and static_type(out):
            forward(op, source, rewriter)
            return
        shape = shape_of(out)
        if isinstance(op, ReshapeOp) and shape is not None and None not in shape:
            new = ReshapeOp.create(
                operands=[source], result_types=[out], properties={"shape": ints(*shape)}
            )
            rewriter.replace(op, [new])


@dataclass(frozen=True)
class InverseLayoutTransforms(RewritePattern):
    """layout_transform(layout_transform(x, A -> B), B -> A) -> x: the transforms that
    alter-op-layout inserts cancel where two meet. A -> A is x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        assert isinstance(op, LayoutTransformOp)
        if op.str_attr("src_layout") == op.str_attr("dst_layout"):
            forward(op, op.operands[0], rewriter)
            return
        inner = op.operands[0].owner
        if (
            isinstance(inner, LayoutTransformOp)
            and inner.str_attr("src_layout") == op.str_attr("dst_layout")
            and inner.str_attr("dst_layout") == op.str_attr("src_layout")
        ):
            forward(op, inner.operands[0], rewriter)


FOLD = FoldConstantOperands()


def patterns(*ops: type[Operation]):  # noqa: ANN201
    """Register patterns for `ops`, with constant folding after them."""

    def attach(*pats: RewritePattern) -> None:
        canonicalize.register(*ops)((*pats, FOLD))

    return attach


canonicalize.register(NnvmOp)((FOLD,))
patterns(CopyOp, CastOp)(SameTypeIsIdentity(static_only=False))
patterns(PadOp, ConcatenateOp, BroadcastToOp)(SameTypeIsIdentity())
patterns(NegativeOp)(Involution())
patterns(ReluOp)(Idempotent())
patterns(ElemwiseMulOp, BroadcastMulOp)(NeutralOperand(1.0, commutes=True))
patterns(ElemwiseDivOp, BroadcastDivOp)(NeutralOperand(1.0, commutes=False))
patterns(ElemwiseSubOp, BroadcastSubOp)(NeutralOperand(0.0, commutes=False))
patterns(ElemwiseAddOp, BroadcastAddOp)(NeutralOperand(0.0, commutes=True, float_neutral=-0.0))
patterns(MulScalarOp, DivScalarOp)(NeutralScalar(1.0))
patterns(SubScalarOp)(NeutralScalar(0.0))
patterns(AddScalarOp)(NeutralScalar(0.0, integers_only=True))
patterns(TransposeOp)(ComposeTransposes())
patterns(ReshapeOp, SqueezeOp, FlattenOp)(OuterReshapeWins(), SameTypeIsIdentity())
patterns(LayoutTransformOp)(InverseLayoutTransforms())
