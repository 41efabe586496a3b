"""A test plugin that plants a wrong canonicalization: sigmoid(x) -> tanh(x).

`nnvm-run --bisect -O 2` must name the canonicalize pass and the tanh it made.
"""

from __future__ import annotations

from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from nnvm_dialect.facts import canonicalize
from nnvm_dialect.ops.elemwise import SigmoidOp, TanhOp


class SigmoidIsTanh(RewritePattern):
    """Wrong on purpose: sigmoid and tanh differ everywhere."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: SigmoidOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, TanhOp.create(operands=[op.data], result_types=[op.out.type]))


canonicalize.register(SigmoidOp)((SigmoidIsTanh(),))
