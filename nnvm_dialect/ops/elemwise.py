"""Elementwise ops (NNVM levels 1 and 3): one output element per input element."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import Float64Type, FloatAttr
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
    Example,
    OpPattern,
    Shape,
    ShapeError,
    example,
    inplace_option,
    pattern_kind,
    reference,
    shape_rule,
    type_rule,
)
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


pattern_kind.register(UnaryOp, BinaryOp)(OpPattern.ELEMWISE)
inplace_option.register(UnaryOp)(((0, 0),))
inplace_option.register(BinaryOp)(((0, 0), (1, 0)))


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


# Examples: random valid instances for the generic rules-against-semantics test.

FLOATS = (np.float32, np.float64)
INTEGERS = (np.int8, np.int32, np.int64)


def random_shape(
    rng: np.random.Generator, min_rank: int = 0, max_rank: int = 3, high: int = 5
) -> tuple[int, ...]:
    """A shape of rank in [min_rank, max_rank] with dims in [1, high]."""
    rank = int(rng.integers(min_rank, max_rank + 1))
    return tuple(int(d) for d in rng.integers(1, high + 1, rank))


def random_array(
    rng: np.random.Generator,
    shape: Sequence[int],
    dtype: type | np.dtype,
    low: float = -3.0,
    high: float = 3.0,
) -> np.ndarray:
    """Uniform values in [low, high) (integers for integer dtypes), as `dtype`."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, tuple(shape)).astype(np.bool_)
    if dtype.kind in "iu":
        return rng.integers(int(np.ceil(low)), int(np.floor(high)) + 1, tuple(shape)).astype(dtype)
    return rng.uniform(low, high, tuple(shape)).astype(dtype)


def _pick(rng: np.random.Generator, choices: Sequence[Any]) -> Any:
    return choices[int(rng.integers(len(choices)))]


def _unary_example(
    dtypes: Sequence[type], low: float = -3.0, high: float = 3.0
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = _pick(rng, dtypes)
        return Example([random_array(rng, random_shape(rng), dtype, low, high)])

    return make


for _op, _example in [
    (ReluOp, _unary_example((*FLOATS, *INTEGERS))),
    (TanhOp, _unary_example(FLOATS)),
    (SigmoidOp, _unary_example(FLOATS, -6.0, 6.0)),
    (ExpOp, _unary_example(FLOATS)),
    (LogOp, _unary_example(FLOATS, 0.01, 10.0)),
    (SqrtOp, _unary_example(FLOATS, 0.0, 10.0)),
    (NegativeOp, _unary_example((*FLOATS, *INTEGERS))),
    (CopyOp, _unary_example((*FLOATS, *INTEGERS, np.bool_))),
]:
    example.register(_op)(_example)


@example.register(LeakyReluOp)
def _leaky_relu_example(rng: np.random.Generator) -> Example:
    x = random_array(rng, random_shape(rng), _pick(rng, FLOATS))
    return Example([x], {"alpha": FloatAttr(float(rng.uniform(0.0, 2.0)), 64)})


CAST_DTYPES = (
    np.float16,
    np.float32,
    np.float64,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.bool_,
)


@example.register(CastOp)
def _cast_example(rng: np.random.Generator) -> Example:
    source, target = np.dtype(_pick(rng, CAST_DTYPES)), np.dtype(_pick(rng, CAST_DTYPES))
    # Values every dtype here can hold, so the conversion is defined (no overflow, no
    # negative to unsigned).
    unsigned = "u" in (source.kind, target.kind)
    x = random_array(rng, random_shape(rng), source, 0.0 if unsigned else -100.0, 100.0)
    return Example([x], {"dtype": from_numpy(target)})


def _binary_example(
    dtypes: Sequence[type], nonzero_rhs: bool = False
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = np.dtype(_pick(rng, dtypes))
        shape = random_shape(rng)
        bound = 10.0 if dtype.kind in "iu" else 3.0
        lhs = random_array(rng, shape, dtype, -bound, bound)
        rhs = random_array(rng, shape, dtype, -bound, bound)
        if nonzero_rhs:
            # Magnitudes away from zero, random signs.
            mag = random_array(rng, shape, dtype, 1.0, bound)
            rhs = np.where(rng.integers(0, 2, shape).astype(bool), mag, -mag).astype(dtype)
        return Example([lhs, rhs])

    return make


for _op, _example in [
    (ElemwiseAddOp, _binary_example((*FLOATS, *INTEGERS))),
    (ElemwiseSubOp, _binary_example((*FLOATS, *INTEGERS))),
    (ElemwiseMulOp, _binary_example((*FLOATS, *INTEGERS))),
    (ElemwiseDivOp, _binary_example((*FLOATS, np.int32, np.int64), nonzero_rhs=True)),
]:
    example.register(_op)(_example)
