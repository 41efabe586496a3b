"""Algebraic identities of the nnvm ops, registered under the `canonicalize` fact.

`-p canonicalize` (xDSL's pass) applies them through the ops' `CanonicalizeFromFacts` trait. Each
pattern is exact: it never changes a result, NaN and signed zero included. Identities that would
are left alone on purpose, for floats:

- x + 0 -> x is wrong for x = -0.0 (-0.0 + 0.0 is +0.0); x - 0 -> x and x + (-0) -> x are exact.
- x * 0 -> 0 is wrong for NaN and infinities; x * 1 -> x and x / 1 -> x are exact.
- x - x -> 0 and x / x -> 1 are wrong for NaN and infinities (and 0 / 0).
- relu(x) -> x for x >= 0 needs a range analysis; not done.

Plugins add patterns for their own ops the same way: `canonicalize.register(MyOp)((P(),))`.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from nnvm_dialect.facts import canonicalize
from nnvm_dialect.ops.base import shape_of
from nnvm_dialect.ops.elemwise import CastOp, CopyOp, NegativeOp, ReluOp
from nnvm_dialect.ops.nn import PadOp
from nnvm_dialect.ops.transform import ConcatenateOp, FlattenOp


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
    flatten of a matrix, pad by nothing, concatenate of one."""

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


canonicalize.register(CopyOp, CastOp)((SameTypeIsIdentity(static_only=False),))
canonicalize.register(FlattenOp, PadOp, ConcatenateOp)((SameTypeIsIdentity(),))
canonicalize.register(NegativeOp)((Involution(),))
canonicalize.register(ReluOp)((Idempotent(),))
