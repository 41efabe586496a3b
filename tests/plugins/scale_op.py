"""A test plugin: `myplugin.scale`, y = factor * x, with its facts registered from outside.

Loaded with `nnvm_dialect.plugins.load_plugin`, so the generic rules-against-semantics test
covers ops that plugins add as well as the dialect's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import Float64Type, FloatAttr
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.facts import (
    Example,
    Shape,
    example,
    gradient,
    lowering,
    reference,
    shape_rule,
)
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.plugins import register_op


@register_op
@irdl_op_definition
class ScaleOp(NnvmOp):
    """factor * x, in the dtype of x."""

    name = "myplugin.scale"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    factor = prop_def(FloatAttr[Float64Type], default_value=FloatAttr(1.0, 64))


@shape_rule.register(ScaleOp)
def scale_shape(op: ScaleOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


@reference.register(ScaleOp)
def scale(op: ScaleOp, x: np.ndarray) -> np.ndarray:
    return np.asarray(x * op.float_attr("factor")).astype(x.dtype)


@example.register(ScaleOp)
def scale_example(rng: np.random.Generator) -> Example:
    shape = tuple(int(d) for d in rng.integers(1, 5, rng.integers(0, 4)))
    dtype = (np.float32, np.float64)[int(rng.integers(2))]
    x = rng.standard_normal(shape).astype(dtype)
    return Example([x], {"factor": FloatAttr(float(rng.uniform(-3, 3)), 64)})


@gradient.register(ScaleOp)
def scale_gradient(b, op: ScaleOp, grads):  # type: ignore[no-untyped-def]
    """d(factor * x)/dx = factor; emitted with the builder's scalar multiply."""
    return [b.scale(grads[0], op.float_attr("factor"))]


def scale_lowering(em: Lowering, op: ScaleOp, r: int, idx: list) -> SSAValue:  # type: ignore[type-arg]
    """The CPU lowering: factor * x per element, so the op runs on --target cpu."""
    dtype = tensor_dtype(op.operands[0])
    return em.mul(em.operand(op, 0, idx), em.const(op.float_attr("factor"), dtype))


lowering.register(ScaleOp)(PerElement(scale_lowering))
