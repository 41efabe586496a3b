"""`convert-index-to-i64`: the `index` type becomes i64 (the host's pointer width) everywhere.

LLVM has no `index`; loop counters, block arguments and constants switch to i64, and the
`arith.index_cast`s that `convert-memref-to-llvm` put before each getelementptr disappear
(casts to other integer widths become truncations or sign extensions).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, IntegerAttr, IntegerType, ModuleOp, i64
from xdsl.ir import Attribute
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.lowering.rewrite import retype, rewrite_once


def to_i64(t: Attribute) -> Attribute | None:
    return i64 if isinstance(t, IndexType) else None


@dataclass(frozen=True)
class DropIndexCast(RewritePattern):
    """An index cast between i64 and i64 disappears; to another width it truncates or extends."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.IndexCastOp, rewriter: PatternRewriter) -> None:
        src, dst = op.input.type, op.result.type
        if src == dst:
            rewriter.replace(op, [], [op.input])
        elif isinstance(src, IntegerType) and isinstance(dst, IntegerType):
            wider = dst.width.data > src.width.data
            rewriter.replace(op, (arith.ExtSIOp if wider else arith.TruncIOp)(op.input, dst))


@dataclass(frozen=True)
class IndexConstant(RewritePattern):
    """`arith.constant 3 : index` keeps its value as `3 : i64`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.ConstantOp, rewriter: PatternRewriter) -> None:
        value = op.value
        if isinstance(value, IntegerAttr) and isinstance(value.type, IndexType):
            rewriter.replace(op, arith.ConstantOp(IntegerAttr(value.value.data, i64)))


@dataclass(frozen=True)
class ConvertIndexToI64(ModulePass):
    """Replace the index type by i64 and drop the index casts that become no-ops."""

    name = "convert-index-to-i64"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        rewrite_once(module, IndexConstant())
        retype(module, to_i64)
        rewrite_once(module, DropIndexCast())
