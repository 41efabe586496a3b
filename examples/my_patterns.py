"""A plugin adding a rewrite pattern to a built-in op, and a pass, from outside the package.

x - (-z) -> x + z is exact in IEEE arithmetic (NaN and signed zeros included), so it is added
to the `canonicalize` patterns of nnvm.elemwise_sub, next to the ones the dialect registers;
the pass `sub-of-negative` applies only this pattern.

nnvm-opt --plugin examples/my_patterns.py examples/sub_neg.mlir -p canonicalize
nnvm-opt --plugin examples/my_patterns.py examples/sub_neg.mlir -p sub-of-negative,dce
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.facts import canonicalize
from nnvm_dialect.ops.elemwise import ElemwiseAddOp, ElemwiseSubOp, NegativeOp
from nnvm_dialect.plugins import register_pass


class SubOfNegative(RewritePattern):
    """elemwise_sub(x, negative(z)) -> elemwise_add(x, z)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ElemwiseSubOp, rewriter: PatternRewriter) -> None:
        neg = op.rhs.owner
        if isinstance(neg, NegativeOp):
            add = ElemwiseAddOp.create(operands=[op.lhs, neg.data], result_types=[op.out.type])
            add.location = op.location
            rewriter.replace(op, add)


# Keep the dialect's own patterns for the op (constant folding, x - 0) and add ours first.
canonicalize.register(ElemwiseSubOp, override=True)(
    (SubOfNegative(), *(canonicalize.lookup(ElemwiseSubOp) or ()))
)


@register_pass
@dataclass(frozen=True)
class SubOfNegativePass(ModulePass):
    """Rewrite x - (-z) into x + z."""

    name = "sub-of-negative"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(SubOfNegative()).rewrite_module(op)
