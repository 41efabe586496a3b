"""Element-wise ops that ONNX has and NNVM lacked: trigonometric and hyperbolic functions,
softsign, NaN and infinity tests, xor and broadcast logical ops, bitwise ops, floor modulo.

They follow the rules of `ops/elemwise.py` (unary and same-shape binary ops) and
`ops/broadcast.py` (numpy broadcasting). Float functions are IEEE 754 / C's libm (NaN outside
their domain); bitwise ops work on the two's complement bits of any integer dtype; logical ops
take and give i1. `broadcast_floor_mod` is Python's (numpy's) modulo, the sign of the divisor,
which NNVM's `broadcast_mod` (C's fmod) is not; TVM calls it floor_mod.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import BoolAttr
from xdsl.irdl import irdl_op_definition, prop_def

from nnvm_dialect.facts import (
    DType,
    Example,
    dtypes,
    example,
    inplace_option,
    onnx_equivalent,
    reference,
    type_rule,
)
from nnvm_dialect.ops.broadcast import BroadcastOp, broadcastable_shapes
from nnvm_dialect.ops.elemwise import (
    ALL_INT_DTYPES,
    B1,
    BOOL,
    FLOAT_DTYPES,
    WIDE_DTYPES,
    BinaryOp,
    UnaryOp,
    check_dtypes,
    logical_type,
    nonzero_array,
    random_array,
    random_shape,
)

TRUE = BoolAttr.from_bool(True)
FALSE = BoolAttr.from_bool(False)


@irdl_op_definition
class SinOp(UnaryOp):
    name = "nnvm.sin"


@irdl_op_definition
class CosOp(UnaryOp):
    name = "nnvm.cos"


@irdl_op_definition
class TanOp(UnaryOp):
    name = "nnvm.tan"


@irdl_op_definition
class AsinOp(UnaryOp):
    name = "nnvm.asin"


@irdl_op_definition
class AcosOp(UnaryOp):
    name = "nnvm.acos"


@irdl_op_definition
class AtanOp(UnaryOp):
    name = "nnvm.atan"


@irdl_op_definition
class SinhOp(UnaryOp):
    name = "nnvm.sinh"


@irdl_op_definition
class CoshOp(UnaryOp):
    name = "nnvm.cosh"


@irdl_op_definition
class AsinhOp(UnaryOp):
    name = "nnvm.asinh"


@irdl_op_definition
class AcoshOp(UnaryOp):
    name = "nnvm.acosh"


@irdl_op_definition
class AtanhOp(UnaryOp):
    name = "nnvm.atanh"


@irdl_op_definition
class SoftsignOp(UnaryOp):
    """x / (1 + |x|)."""

    name = "nnvm.softsign"


@irdl_op_definition
class IsNanOp(UnaryOp):
    """x != x, as i1."""

    name = "nnvm.isnan"


@irdl_op_definition
class IsInfOp(UnaryOp):
    """x is +inf (when `detect_positive`) or -inf (when `detect_negative`), as i1."""

    name = "nnvm.isinf"
    detect_positive = prop_def(BoolAttr, default_value=TRUE)
    detect_negative = prop_def(BoolAttr, default_value=TRUE)


@irdl_op_definition
class BitwiseNotOp(UnaryOp):
    """~x: every bit flipped."""

    name = "nnvm.bitwise_not"


@irdl_op_definition
class LogicalXorOp(BinaryOp):
    """On i1 tensors of one shape."""

    name = "nnvm.logical_xor"


class BroadcastLogicalOp(BroadcastOp):
    """A logical op on i1 tensors, broadcast numpy's way."""


@irdl_op_definition
class BroadcastLogicalAndOp(BroadcastLogicalOp):
    name = "nnvm.broadcast_logical_and"


@irdl_op_definition
class BroadcastLogicalOrOp(BroadcastLogicalOp):
    name = "nnvm.broadcast_logical_or"


@irdl_op_definition
class BroadcastLogicalXorOp(BroadcastLogicalOp):
    name = "nnvm.broadcast_logical_xor"


@irdl_op_definition
class BitwiseAndOp(BroadcastOp):
    name = "nnvm.bitwise_and"


@irdl_op_definition
class BitwiseOrOp(BroadcastOp):
    name = "nnvm.bitwise_or"


@irdl_op_definition
class BitwiseXorOp(BroadcastOp):
    name = "nnvm.bitwise_xor"


@irdl_op_definition
class BroadcastFloorModOp(BroadcastOp):
    """lhs mod rhs with the sign of rhs (numpy's mod): fmod(lhs, rhs), plus rhs where that is
    nonzero and of the other sign; a zero float result takes rhs's sign. Integers by zero: 0."""

    name = "nnvm.broadcast_floor_mod"


def _predicate_type(op: UnaryOp, types: Sequence[DType]) -> list[DType]:
    """isnan, isinf: a float operand, an i1 result."""
    check_dtypes(op, types)
    return [BOOL]


type_rule.register(IsNanOp, IsInfOp)(_predicate_type)
type_rule.register(LogicalXorOp, BroadcastLogicalOp)(logical_type)
# An i1 result cannot take a float operand's storage.
inplace_option.register(IsNanOp, IsInfOp)(())


# Semantics.


def floor_mod(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """numpy's mod; integers by zero give 0 (numpy's, without its warning)."""
    if a.dtype.kind in "iu":
        return np.where(b == 0, 0, np.mod(a, np.where(b == 0, 1, b)))
    return np.mod(a, b)


def _isinf(op: IsInfOp, x: np.ndarray) -> np.ndarray:
    pos, neg = op.bool_attr("detect_positive"), op.bool_attr("detect_negative")
    return np.asarray((np.isposinf(x) & pos) | (np.isneginf(x) & neg))


def _same_dtype(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda op, *xs: np.asarray(f(*xs)).astype(xs[0].dtype, copy=False)


reference.register(IsInfOp)(_isinf)
reference.register(IsNanOp)(lambda op, x: np.asarray(np.isnan(x)))


# Examples: random valid instances for the generic tests.


def _unary(
    types: Sequence[np.dtype], low: float = -3.0, high: float = 3.0
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = types[int(rng.integers(len(types)))]
        return Example([random_array(rng, random_shape(rng), dtype, low, high)])

    return make


def _special_floats(rng: np.random.Generator) -> np.ndarray:
    """Floats with NaN and both infinities among them."""
    dtype = FLOAT_DTYPES[int(rng.integers(len(FLOAT_DTYPES)))]
    x = random_array(rng, random_shape(rng), dtype)
    special = np.array([np.nan, np.inf, -np.inf, 0.0], dtype)
    picks = rng.integers(0, 8, x.shape)
    return np.where(picks < 4, special[np.minimum(picks, 3)], x).astype(dtype)


def _isinf_example(rng: np.random.Generator) -> Example:
    props = {
        name: TRUE if rng.random() < 0.5 else FALSE
        for name in ("detect_positive", "detect_negative")
    }
    return Example([_special_floats(rng)], props)


def _broadcast(
    types: Sequence[np.dtype], kind: str = ""
) -> Callable[[np.random.Generator], Example]:
    """kind "mod": a nonzero divisor for integers, any for floats."""

    def make(rng: np.random.Generator) -> Example:
        dtype = types[int(rng.integers(len(types)))]
        lhs, rhs = broadcastable_shapes(rng)
        a = random_array(rng, lhs, dtype, -100, 100)
        if kind == "mod" and dtype.kind in "iu":
            b = nonzero_array(rng, rhs, dtype, 1, 20)
        else:
            b = random_array(rng, rhs, dtype, -20, 20)
        return Example([a, b])

    return make


def _logical(broadcast: bool) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        shapes = broadcastable_shapes(rng) if broadcast else [random_shape(rng)] * 2
        return Example([random_array(rng, s, B1) for s in shapes])

    return make


FLOAT_FUNCTIONS: list[tuple[type[UnaryOp], Callable[..., np.ndarray], str, float, float]] = [
    (SinOp, np.sin, "Sin", -6.0, 6.0),
    (CosOp, np.cos, "Cos", -6.0, 6.0),
    (TanOp, np.tan, "Tan", -1.4, 1.4),
    (AsinOp, np.arcsin, "Asin", -1.0, 1.0),
    (AcosOp, np.arccos, "Acos", -1.0, 1.0),
    (AtanOp, np.arctan, "Atan", -10.0, 10.0),
    (SinhOp, np.sinh, "Sinh", -5.0, 5.0),
    (CoshOp, np.cosh, "Cosh", -5.0, 5.0),
    (AsinhOp, np.arcsinh, "Asinh", -10.0, 10.0),
    (AcoshOp, np.arccosh, "Acosh", 1.0, 10.0),
    (AtanhOp, np.arctanh, "Atanh", -0.95, 0.95),
    (SoftsignOp, lambda x: x / (1 + np.abs(x)), "Softsign", -10.0, 10.0),
]
for _op, _f, _onnx, _low, _high in FLOAT_FUNCTIONS:
    reference.register(_op)(_same_dtype(_f))
    dtypes.register(_op)(FLOAT_DTYPES)
    onnx_equivalent.register(_op)(_onnx)
    example.register(_op)(_unary(FLOAT_DTYPES, _low, _high))

for _op, _f, _types, _onnx, _make in [
    (BitwiseNotOp, np.invert, ALL_INT_DTYPES, "BitwiseNot", _unary(ALL_INT_DTYPES, -100, 100)),
    (LogicalXorOp, np.logical_xor, (B1,), "Xor", _logical(False)),
    (BroadcastLogicalAndOp, np.logical_and, (B1,), "And", _logical(True)),
    (BroadcastLogicalOrOp, np.logical_or, (B1,), "Or", _logical(True)),
    (BroadcastLogicalXorOp, np.logical_xor, (B1,), "Xor", _logical(True)),
    (BitwiseAndOp, np.bitwise_and, ALL_INT_DTYPES, "BitwiseAnd", _broadcast(ALL_INT_DTYPES)),
    (BitwiseOrOp, np.bitwise_or, ALL_INT_DTYPES, "BitwiseOr", _broadcast(ALL_INT_DTYPES)),
    (BitwiseXorOp, np.bitwise_xor, ALL_INT_DTYPES, "BitwiseXor", _broadcast(ALL_INT_DTYPES)),
    (BroadcastFloorModOp, floor_mod, WIDE_DTYPES, "Mod (fmod=0)", _broadcast(WIDE_DTYPES, "mod")),
]:
    reference.register(_op)(_same_dtype(_f))
    dtypes.register(_op)(_types)
    onnx_equivalent.register(_op)(_onnx)
    example.register(_op)(_make)

dtypes.register(IsNanOp, IsInfOp)(FLOAT_DTYPES)
onnx_equivalent.register(IsNanOp)("IsNaN")
onnx_equivalent.register(IsInfOp)("IsInf")
example.register(IsNanOp)(lambda rng: Example([_special_floats(rng)]))
example.register(IsInfOp)(_isinf_example)

ONNX_ELEMWISE_OPS = [
    *(f[0] for f in FLOAT_FUNCTIONS),
    IsNanOp,
    IsInfOp,
    BitwiseNotOp,
    LogicalXorOp,
    BroadcastLogicalAndOp,
    BroadcastLogicalOrOp,
    BroadcastLogicalXorOp,
    BitwiseAndOp,
    BitwiseOrOp,
    BitwiseXorOp,
    BroadcastFloorModOp,
]
