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

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.facts import simplify_inference
from nnvm_dialect.ops.nn import DropoutOp


class DropoutToInput(RewritePattern):
    """dropout(x) -> x: at inference dropout keeps every value."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: DropoutOp, rewriter: PatternRewriter) -> None:
        if op.data.type == op.out.type:
            rewriter.replace(op, [], [op.data])


simplify_inference.register(DropoutOp)((DropoutToInput(),))


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
        PatternRewriteWalker(GreedyRewritePatternApplier([FromFacts()])).rewrite_module(op)
