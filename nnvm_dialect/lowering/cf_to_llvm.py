"""`convert-cf-to-llvm`: unstructured control flow to `llvm.br` / `llvm.cond_br`."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import cf, llvm
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.lowering.rewrite import rewrite_once


@dataclass(frozen=True)
class LowerBranch(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: cf.BranchOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, llvm.BrOp(op.successor, *op.arguments))


@dataclass(frozen=True)
class LowerCondBranch(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: cf.ConditionalBranchOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(
            op,
            llvm.CondBrOp(
                op.cond, op.then_block, op.then_arguments, op.else_block, op.else_arguments
            ),
        )


@dataclass(frozen=True)
class ConvertCfToLlvm(ModulePass):
    """cf.br and cf.cond_br to llvm.br and llvm.cond_br."""

    name = "convert-cf-to-llvm"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        rewrite_once(module, LowerBranch(), LowerCondBranch())
