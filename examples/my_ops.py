"""A plugin: a new op with its facts, a rewrite pattern and a pass, all from outside the package.

nnvm-opt --plugin examples/my_ops.py examples/swish.mlir -p fuse-swish,dce,infer-shape
nnvm-run --plugin examples/my_ops.py examples/swish.mlir --random-inputs 0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import Float64Type, FloatAttr, ModuleOp
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.facts import Example, Shape, example, reference, shape_rule
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import ElemwiseMulOp, SigmoidOp
from nnvm_dialect.plugins import register_op, register_pass


@register_op
@irdl_op_definition
class SwishOp(NnvmOp):
    """x * sigmoid(beta * x)."""

    name = "myops.swish"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    beta = prop_def(FloatAttr[Float64Type], default_value=FloatAttr(1.0, 64))


@shape_rule.register(SwishOp)
def swish_shape(op: SwishOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


@reference.register(SwishOp)
def swish(op: SwishOp, x: np.ndarray) -> np.ndarray:
    beta = op.float_attr("beta")
    return (x / (1 + np.exp(-beta * x))).astype(x.dtype)


@example.register(SwishOp)
def swish_example(rng: np.random.Generator) -> Example:
    x = rng.standard_normal(tuple(rng.integers(1, 5, rng.integers(1, 4)))).astype(np.float32)
    return Example([x], {"beta": FloatAttr(float(rng.uniform(0.5, 2)), 64)})


class MulSigmoidToSwish(RewritePattern):
    """elemwise_mul(x, sigmoid(x)) -> swish(x)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ElemwiseMulOp, rewriter: PatternRewriter) -> None:
        for x, s in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            if isinstance(s.owner, SigmoidOp) and s.owner.data == x:
                rewriter.replace(op, SwishOp.create(operands=[x], result_types=[op.out.type]))
                return


@register_pass
@dataclass(frozen=True)
class FuseSwish(ModulePass):
    """Rewrite x * sigmoid(x) into myops.swish."""

    name = "fuse-swish"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(MulSigmoidToSwish()).rewrite_module(op)
