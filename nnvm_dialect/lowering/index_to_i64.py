"""`convert-index-to-i64`: the `index` type becomes i64 (the host's pointer width) everywhere.

LLVM has no `index`; loop counters, block arguments and constants switch to i64, and the
`arith.index_cast`s that `convert-memref-to-llvm` put before each getelementptr disappear.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, IntegerAttr, ModuleOp, i64
from xdsl.ir import Attribute
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.lowering.retype import retype


def to_i64(t: Attribute) -> Attribute | None:
    return i64 if isinstance(t, IndexType) else None


@dataclass(frozen=True)
class DropIndexCast(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.IndexCastOp, rewriter: PatternRewriter) -> None:
        if op.input.type == op.result.type:
            rewriter.replace_op(op, [], [op.input])


@dataclass(frozen=True)
class IndexConstant(RewritePattern):
    """`arith.constant 3 : index` keeps its value as `3 : i64`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.ConstantOp, rewriter: PatternRewriter) -> None:
        value = op.value
        if isinstance(value, IntegerAttr) and isinstance(value.type, IndexType):
            rewriter.replace_op(op, arith.ConstantOp(IntegerAttr(value.value.data, i64)))


@dataclass(frozen=True)
class ConvertIndexToI64(ModulePass):
    """Replace the index type by i64 and drop the index casts that become no-ops."""

    name = "convert-index-to-i64"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        PatternRewriteWalker(IndexConstant()).rewrite_module(module)
        retype(module, to_i64)
        PatternRewriteWalker(GreedyRewritePatternApplier([DropIndexCast()])).rewrite_module(module)
