"""`alter-op-layout`: conv2d to a blocked layout, NCHW to NCHW{b}c (NNVM's AlterOpLayout).

Each op that can change layout registers an `alter_layout` rule: given the op and the block size
it returns the ops that replace it, or None. conv2d's rule (groups 1, NCHW data, OIHW kernel,
channel counts multiples of the block, static shapes) gives `layout_transform` of the data to
NCHW{b}c and of the weight to OIHW{b}i{b}o, the conv2d in those layouts with out_layout
NCHW{b}c, and a `layout_transform` of its result back to NCHW.

A transform back to NCHW followed by an elementwise op (pattern kind `elemwise`, one operand) is
moved after that op, so the transforms between two blocked convolutions meet; canonicalize
then cancels a pair of inverse transforms, and fold-constants computes the transformed constant
weights once.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from nnvm_dialect.facts import OpPattern, alter_layout, pattern_kind
from nnvm_dialect.ops.base import NnvmOp, build, shape_of
from nnvm_dialect.ops.layout import LayoutTransformOp
from nnvm_dialect.ops.nn import Conv2dOp


def transform(value: SSAValue, src: str, dst: str) -> NnvmOp:
    return build(
        LayoutTransformOp,
        [value],
        {"src_layout": StringAttr(src), "dst_layout": StringAttr(dst)},
    )


@alter_layout.register(Conv2dOp)
def _blocked_conv2d(op: Conv2dOp, block: int) -> list[Operation] | None:
    out = op.output_layout()
    out_name = out if isinstance(out, str) else out.name
    if (op.str_attr("layout"), op.str_attr("kernel_layout"), out_name) != ("NCHW", "OIHW", "NCHW"):
        return None
    data, weight = shape_of(op.operands[0].type), shape_of(op.operands[1].type)
    if data is None or weight is None or None in data or None in weight:
        return None
    if op.int_attr("groups") != 1 or data[1] % block or op.int_attr("channels") % block:
        return None
    blocked, kernel = f"NCHW{block}c", f"OIHW{block}i{block}o"
    x = transform(op.operands[0], "NCHW", blocked)
    w = transform(op.operands[1], "OIHW", kernel)
    props = dict(op.properties)
    props.update(
        layout=StringAttr(blocked), kernel_layout=StringAttr(kernel), out_layout=StringAttr(blocked)
    )
    conv = build(Conv2dOp, [x.results[0], w.results[0], *op.operands[2:]], props)
    back = transform(conv.results[0], blocked, "NCHW")
    for new in (x, w, conv, back):
        new.location = op.location
    return [x, w, conv, back]


@dataclass(frozen=True)
class AlterLayout(RewritePattern):
    block_size: int

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        rule = alter_layout.lookup(op)
        if rule is None:
            return
        new_ops = rule(op, self.block_size)
        if new_ops and new_ops[-1].results[0].type == op.results[0].type:
            rewriter.replace(op, new_ops)


class SinkTransformBack(RewritePattern):
    """f(layout_transform(x, A -> B)) -> layout_transform(f(x), A -> B) for an elementwise f
    of one operand: the result is the same in any layout."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if len(op.operands) != 1 or len(op.results) != 1 or op.regions:
            return
        if pattern_kind.lookup(op) != OpPattern.ELEMWISE or not isinstance(op, NnvmOp):
            return
        lt = op.operands[0].owner
        if not isinstance(lt, LayoutTransformOp) or len(list(lt.out.uses)) != 1:
            return
        inner = build(type(op), [lt.operands[0]], dict(op.properties))
        inner.location = op.location
        back = transform(inner.results[0], lt.str_attr("src_layout"), lt.str_attr("dst_layout"))
        if back.results[0].type != op.results[0].type:
            return
        rewriter.replace(op, [inner, back])
        rewriter.erase(lt)


@dataclass(frozen=True)
class AlterOpLayout(ModulePass):
    """conv2d to the blocked layout NCHW{b}c with layout_transform ops at its boundaries
    (AlterOpLayout); block-size sets b."""

    name = "alter-op-layout"

    block_size: int = 8
    """Channels per block (8 fills an AVX2 register with f32, 16 an AVX-512 one)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.block_size < 1:
            raise ValueError(f"block-size must be >= 1, got {self.block_size}")
        patterns = [AlterLayout(self.block_size), SinkTransformBack()]
        PatternRewriteWalker(GreedyRewritePatternApplier(patterns)).rewrite_module(op)
