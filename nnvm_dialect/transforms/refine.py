"""What infer-shape and infer-type share: refine result types, then function signatures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.facts import ShapeError

Refiner = Callable[[Operation], list[Attribute] | None]
"""Given an op, the refined type of each result, or None when the op has no rule."""


@dataclass(frozen=True)
class RefineResultTypes(RewritePattern):
    refine: Refiner

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        try:
            new_types = self.refine(op)
        except ShapeError as e:
            raise OpError(op, str(e)) from None
        if new_types is None:
            return
        for res, new in zip(op.results, new_types):
            if new != res.type:
                rewriter.replace_value_with_new_type(res, new)


def refine_module(module: ModuleOp, refine: Refiner) -> None:
    # One forward walk: types flow from operands to results, so every op's operands are final
    # when it is visited; revisiting changed ops ran each rule three times on large graphs.
    PatternRewriteWalker(RefineResultTypes(refine), apply_recursively=False).rewrite_module(module)
    for fn in module.walk():
        if isinstance(fn, func.FuncOp):
            update_signature(fn)


def update_signature(fn: func.FuncOp) -> None:
    """Give the function the result types its `func.return` now returns."""
    if not fn.body.blocks:
        return
    ret = fn.body.blocks[-1].last_op
    if not isinstance(ret, func.ReturnOp):
        return
    outputs = [v.type for v in ret.arguments]
    if tuple(outputs) != tuple(fn.function_type.outputs.data):
        fn.function_type = FunctionType.from_lists(fn.function_type.inputs.data, outputs)
