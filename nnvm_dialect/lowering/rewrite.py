"""Module-wide rewriting for the conversion stages, in one walk.

xDSL's `PatternRewriteWalker` iterates to a fixed point with dead-code checks, and its recursive
`TypeConversionPattern` inspects every attribute of every op: on the few thousand ops of a small
CNN that costs seconds. A conversion stage replaces each source op once by target ops that no
pattern matches again, so one walk over a snapshot of the ops is enough.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.ir import Attribute
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import Rewriter

Convert = Callable[[Attribute], Attribute | None]


def retype(module: ModuleOp, convert: Convert) -> None:
    """Give every value and function signature whose type `convert` maps the new type."""
    for op in list(module.walk()):
        for res in list(op.results):
            if (new := convert(res.type)) is not None:
                Rewriter.replace_value_with_new_type(res, new)
        for region in op.regions:
            for block in region.blocks:
                for arg in list(block.args):
                    if (new := convert(arg.type)) is not None:
                        Rewriter.replace_value_with_new_type(arg, new)
        if isinstance(op, func.FuncOp):
            ins = [convert(t) or t for t in op.function_type.inputs.data]
            outs = [convert(t) or t for t in op.function_type.outputs.data]
            op.function_type = FunctionType.from_lists(ins, outs)


def rewrite_once(module: ModuleOp, *patterns: RewritePattern) -> None:
    """Offer every op (as it is before the walk) to each pattern until one replaces it."""
    for op in list(module.walk()):
        for pattern in patterns:
            if op.parent is None:
                break
            pattern.match_and_rewrite(op, PatternRewriter(op))
