"""Elementwise ops (NNVM levels 1 and 3): one output element per input element."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import Float64Type, FloatAttr
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import DType, Shape, ShapeError, reference, shape_rule, type_rule
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape, refine_shape


class UnaryOp(NnvmOp):
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)


class BinaryOp(NnvmOp):
    """NNVM's elemwise_* ops: both operands have the same shape (no broadcasting)."""

    lhs = operand_def(AnyTensor)
    rhs = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@irdl_op_definition
class ReluOp(UnaryOp):
    name = "nnvm.relu"


@irdl_op_definition
class TanhOp(UnaryOp):
    name = "nnvm.tanh"


@irdl_op_definition
class SigmoidOp(UnaryOp):
    name = "nnvm.sigmoid"


@irdl_op_definition
class ExpOp(UnaryOp):
    name = "nnvm.exp"


@irdl_op_definition
class LogOp(UnaryOp):
    name = "nnvm.log"


@irdl_op_definition
class SqrtOp(UnaryOp):
    name = "nnvm.sqrt"


@irdl_op_definition
class NegativeOp(UnaryOp):
    name = "nnvm.negative"


@irdl_op_definition
class CopyOp(UnaryOp):
    name = "nnvm.copy"


@irdl_op_definition
class LeakyReluOp(UnaryOp):
    """x if x > 0 else alpha * x."""

    name = "nnvm.leaky_relu"
    alpha = prop_def(FloatAttr[Float64Type], default_value=FloatAttr(0.25, 64))

    def verify_attributes(self) -> None:
        if self.float_attr("alpha") < 0:
            raise ShapeError(f"alpha must be >= 0, got {self.float_attr('alpha')}")


@irdl_op_definition
class CastOp(UnaryOp):
    """Converts to `dtype`; float to integer truncates toward zero."""

    name = "nnvm.cast"
    dtype = prop_def(TypeAttribute)


@irdl_op_definition
class ElemwiseAddOp(BinaryOp):
    name = "nnvm.elemwise_add"


@irdl_op_definition
class ElemwiseSubOp(BinaryOp):
    name = "nnvm.elemwise_sub"


@irdl_op_definition
class ElemwiseMulOp(BinaryOp):
    name = "nnvm.elemwise_mul"


@irdl_op_definition
class ElemwiseDivOp(BinaryOp):
    name = "nnvm.elemwise_div"


@shape_rule.register(UnaryOp)
def _same_shape(op: UnaryOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


@shape_rule.register(BinaryOp)
def _identical_shapes(op: BinaryOp, shapes: Sequence[Shape]) -> list[Shape]:
    lhs, rhs = shapes
    try:
        return [refine_shape(lhs, rhs)]
    except ShapeError:
        raise ShapeError(
            f"operands must have identical shapes, got {format_shape(lhs)} and {format_shape(rhs)}"
        ) from None


@type_rule.register(CastOp)
def _cast_type(op: CastOp, dtypes: Sequence[DType]) -> list[DType]:
    return [op.dtype]


def _keep_dtype(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Semantics computed in numpy's promoted type, returned in the operand's dtype."""

    def semantics(op: NnvmOp, *xs: np.ndarray) -> np.ndarray:
        return np.asarray(f(*xs)).astype(xs[0].dtype, copy=False)

    return semantics


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division truncates toward zero, like C and TVM."""
    if a.dtype.kind in "iu":
        return np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))
    return a / b


for _op, _f in [
    (ReluOp, lambda x: np.maximum(x, 0)),
    (TanhOp, np.tanh),
    (SigmoidOp, _sigmoid),
    (ExpOp, np.exp),
    (LogOp, np.log),
    (SqrtOp, np.sqrt),
    (NegativeOp, np.negative),
    (CopyOp, np.copy),
    (ElemwiseAddOp, np.add),
    (ElemwiseSubOp, np.subtract),
    (ElemwiseMulOp, np.multiply),
    (ElemwiseDivOp, _divide),
]:
    reference.register(_op)(_keep_dtype(_f))


@reference.register(LeakyReluOp)
def _leaky_relu(op: LeakyReluOp, x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, x * op.float_attr("alpha")).astype(x.dtype, copy=False)


@reference.register(CastOp)
def _cast(op: CastOp, x: np.ndarray) -> np.ndarray:
    return x.astype(to_numpy(op.dtype))


ELEMWISE_OPS = [
    ReluOp,
    TanhOp,
    SigmoidOp,
    ExpOp,
    LogOp,
    SqrtOp,
    NegativeOp,
    CopyOp,
    LeakyReluOp,
    CastOp,
    ElemwiseAddOp,
    ElemwiseSubOp,
    ElemwiseMulOp,
    ElemwiseDivOp,
]
