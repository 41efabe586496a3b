"""Binary ops with numpy broadcasting (NNVM level 4): broadcast_add ... broadcast_min, the
shifts, and the comparisons broadcast_greater ... broadcast_less_equal.

Shapes align on the right; each pair of dims must be equal or one of them 1. Arithmetic follows
the integer rule of `ops/elemwise.py` (division truncates, modulo takes the dividend's sign).
Comparisons return i1, where NNVM returned 0/1 in the operands' dtype.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.irdl import irdl_op_definition, operand_def, result_def

from nnvm_dialect.facts import (
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    inplace_option,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
    type_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import (
    ALL_INT_DTYPES,
    NUMBER_DTYPES,
    WIDE_DTYPES,
    checked_same_type,
    compare_type,
    divide,
    modulo,
    nonzero_array,
    power,
    random_array,
    random_shape,
)
from nnvm_dialect.ops.scalar import shift_left, shift_right


class BroadcastOp(NnvmOp):
    lhs = operand_def(AnyTensor)
    rhs = operand_def(AnyTensor)
    out = result_def(AnyTensor)


class CompareOp(BroadcastOp):
    """A broadcast comparison: operands of one element type, an i1 result."""


@irdl_op_definition
class BroadcastAddOp(BroadcastOp):
    name = "nnvm.broadcast_add"


@irdl_op_definition
class BroadcastSubOp(BroadcastOp):
    name = "nnvm.broadcast_sub"


@irdl_op_definition
class BroadcastMulOp(BroadcastOp):
    name = "nnvm.broadcast_mul"


@irdl_op_definition
class BroadcastDivOp(BroadcastOp):
    """lhs / rhs; integers truncate toward zero."""

    name = "nnvm.broadcast_div"


@irdl_op_definition
class BroadcastModOp(BroadcastOp):
    """The remainder with the sign of lhs (C's fmod)."""

    name = "nnvm.broadcast_mod"


@irdl_op_definition
class BroadcastPowOp(BroadcastOp):
    """lhs ** rhs; for integers a negative exponent gives the truncated real power."""

    name = "nnvm.broadcast_pow"


@irdl_op_definition
class BroadcastMaxOp(BroadcastOp):
    name = "nnvm.broadcast_max"


@irdl_op_definition
class BroadcastMinOp(BroadcastOp):
    name = "nnvm.broadcast_min"


@irdl_op_definition
class BroadcastLeftShiftOp(BroadcastOp):
    """lhs << rhs on integers (counts outside [0, bits) as in `__lshift_scalar__`)."""

    name = "nnvm.broadcast_left_shift"


@irdl_op_definition
class BroadcastRightShiftOp(BroadcastOp):
    """lhs >> rhs on integers, arithmetic for signed ones, logical for unsigned ones (counts
    clamp to [0, bits - 1])."""

    name = "nnvm.broadcast_right_shift"


@irdl_op_definition
class BroadcastGreaterOp(CompareOp):
    name = "nnvm.broadcast_greater"


@irdl_op_definition
class BroadcastLessOp(CompareOp):
    name = "nnvm.broadcast_less"


@irdl_op_definition
class BroadcastEqualOp(CompareOp):
    name = "nnvm.broadcast_equal"


@irdl_op_definition
class BroadcastNotEqualOp(CompareOp):
    name = "nnvm.broadcast_not_equal"


@irdl_op_definition
class BroadcastGreaterEqualOp(CompareOp):
    name = "nnvm.broadcast_greater_equal"


@irdl_op_definition
class BroadcastLessEqualOp(CompareOp):
    name = "nnvm.broadcast_less_equal"


def broadcast_shapes(lhs: Shape, rhs: Shape) -> Shape:
    """numpy's broadcast of two shapes; unknown dims stay unknown unless the other side fixes
    them (a dim against 1 is unknown, against k > 1 it must be k)."""
    if lhs is None or rhs is None:
        return None
    rank = max(len(lhs), len(rhs))
    a = (1,) * (rank - len(lhs)) + tuple(lhs)
    b = (1,) * (rank - len(rhs)) + tuple(rhs)
    out: list[int | None] = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x is None or y is None:
            other = y if x is None else x
            out.append(None if other in (None, 1) else other)
        elif x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ShapeError(
                f"operands cannot be broadcast together: {format_shape(lhs)} and "
                f"{format_shape(rhs)} differ in dim {i - rank} ({x} vs {y}; one must be 1)"
            )
    return tuple(out)


@shape_rule.register(BroadcastOp)
def _broadcast_shape(op: BroadcastOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [broadcast_shapes(shapes[0], shapes[1])]


type_rule.register(BroadcastOp)(checked_same_type)
type_rule.register(CompareOp)(compare_type)


def _same_dtype(f: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable[..., np.ndarray]:
    def semantics(op: BroadcastOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray(f(a, b)).astype(a.dtype, copy=False)

    return semantics


def _compare(f: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda op, a, b: np.asarray(f(a, b))


def _pow_example(rng: np.random.Generator, dtype: np.dtype, shapes: list) -> list[np.ndarray]:
    lhs, rhs = shapes
    if dtype.kind == "f":
        return [random_array(rng, lhs, dtype, 0.1, 3), random_array(rng, rhs, dtype)]
    return [random_array(rng, lhs, dtype, -3, 3), random_array(rng, rhs, dtype, -2, 3)]


def broadcastable_shapes(rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Two shapes that broadcast: a random output shape, each side keeping a random suffix of
    it with random dims set to 1."""
    out = random_shape(rng, 0, 4, high=4)
    shapes = []
    for _ in range(2):
        rank = int(rng.integers(0, len(out) + 1))
        dims = [1 if rng.random() < 0.3 else d for d in out[len(out) - rank :]]
        shapes.append(tuple(dims))
    return shapes


def _example(kind: str = "") -> Callable[[np.random.Generator], Example]:
    """kind: "" for values in [-10, 10], "div" for a divisor away from 0, "pow" for a small
    power, "shift" for integers and counts in [0, 6]."""

    def make(rng: np.random.Generator) -> Example:
        types = {"shift": ALL_INT_DTYPES, "pow": NUMBER_DTYPES}.get(kind, WIDE_DTYPES)
        dtype = types[int(rng.integers(len(types)))]
        lhs, rhs = broadcastable_shapes(rng)
        if kind == "pow":
            return Example(_pow_example(rng, dtype, [lhs, rhs]))
        if kind == "shift":
            return Example([random_array(rng, lhs, dtype), random_array(rng, rhs, dtype, 0, 6)])
        a = random_array(rng, lhs, dtype, -10, 10)
        b = nonzero_array(rng, rhs, dtype, 1, 10) if kind == "div" else None
        return Example([a, random_array(rng, rhs, dtype, -10, 10) if b is None else b])

    return make


def _compare_example(rng: np.random.Generator) -> Example:
    """Small integers (cast to the dtype), so equal elements are common."""
    dtype = WIDE_DTYPES[int(rng.integers(len(WIDE_DTYPES)))]
    lhs, rhs = broadcastable_shapes(rng)
    return Example([rng.integers(-2, 3, s).astype(dtype) for s in (lhs, rhs)])


for _op, _f, _onnx, _make in [
    (BroadcastAddOp, np.add, "Add", _example()),
    (BroadcastSubOp, np.subtract, "Sub", _example()),
    (BroadcastMulOp, np.multiply, "Mul", _example()),
    (BroadcastDivOp, divide, "Div (integers truncate toward zero)", _example("div")),
    (BroadcastModOp, modulo, "Mod (fmod=1)", _example("div")),
    (BroadcastPowOp, power, "Pow", _example("pow")),
    (BroadcastMaxOp, np.maximum, "Max", _example()),
    (BroadcastMinOp, np.minimum, "Min", _example()),
    (BroadcastLeftShiftOp, shift_left, "BitShift (LEFT)", _example("shift")),
    (BroadcastRightShiftOp, shift_right, "BitShift (RIGHT)", _example("shift")),
]:
    reference.register(_op)(_same_dtype(_f))
    example.register(_op)(_make)
    onnx_equivalent.register(_op)(_onnx)

for _op, _f, _onnx in [
    (BroadcastGreaterOp, np.greater, "Greater"),
    (BroadcastLessOp, np.less, "Less"),
    (BroadcastEqualOp, np.equal, "Equal"),
    (BroadcastNotEqualOp, np.not_equal, "Not(Equal)"),
    (BroadcastGreaterEqualOp, np.greater_equal, "GreaterOrEqual"),
    (BroadcastLessEqualOp, np.less_equal, "LessOrEqual"),
]:
    reference.register(_op)(_compare(_f))
    onnx_equivalent.register(_op)(_onnx)

example.register(CompareOp)(_compare_example)
dtypes.register(BroadcastOp)(WIDE_DTYPES)
dtypes.register(BroadcastPowOp)(NUMBER_DTYPES)
dtypes.register(BroadcastLeftShiftOp, BroadcastRightShiftOp)(ALL_INT_DTYPES)
pattern_kind.register(BroadcastOp)(OpPattern.BROADCAST)
inplace_option.register(BroadcastOp)(((0, 0), (1, 0)))
inplace_option.register(CompareOp)(())  # an i1 result cannot take its operands' storage

BROADCAST_OPS = [
    BroadcastAddOp,
    BroadcastSubOp,
    BroadcastMulOp,
    BroadcastDivOp,
    BroadcastModOp,
    BroadcastPowOp,
    BroadcastMaxOp,
    BroadcastMinOp,
    BroadcastLeftShiftOp,
    BroadcastRightShiftOp,
    BroadcastGreaterOp,
    BroadcastLessOp,
    BroadcastEqualOp,
    BroadcastNotEqualOp,
    BroadcastGreaterEqualOp,
    BroadcastLessEqualOp,
]
