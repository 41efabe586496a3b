"""Elementwise ops (NNVM levels 1, 3 and 4, and erf/gelu): one output element per input element.

Integer arithmetic follows one rule, C's (and TVM's): division truncates toward zero, modulo
takes the sign of the dividend (fmod), so a == (a / b) * b + a % b; a float attribute used on an
integer tensor (a scalar, a clip bound) is first converted to the tensor's dtype, truncating
toward zero; x ** y with y < 0 is the truncated real power (0 unless |x| is 1). Integer division
or modulo by zero gives 0 here (C leaves it undefined). Unsigned integers wrap, as in numpy and C.
Float ops follow IEEE 754.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import I64, Float64Type, FloatAttr, IntegerAttr, IntegerType
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, var_operand_def

from nnvm_dialect.dtypes import NARROW_FLOATS, NARROW_INTS, from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
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
    same_type,
    shape_rule,
    type_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape, refine_shape

BOOL = IntegerType(1)


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
class RsqrtOp(UnaryOp):
    name = "nnvm.rsqrt"


@irdl_op_definition
class NegativeOp(UnaryOp):
    name = "nnvm.negative"


@irdl_op_definition
class CopyOp(UnaryOp):
    name = "nnvm.copy"


@irdl_op_definition
class BlockGradOp(UnaryOp):
    """The identity; only its gradient differs (zeros)."""

    name = "nnvm.block_grad"


@irdl_op_definition
class AbsOp(UnaryOp):
    name = "nnvm.abs"


@irdl_op_definition
class SignOp(UnaryOp):
    """-1, 0 or 1 (NaN stays NaN)."""

    name = "nnvm.sign"


@irdl_op_definition
class FloorOp(UnaryOp):
    name = "nnvm.floor"


@irdl_op_definition
class CeilOp(UnaryOp):
    name = "nnvm.ceil"


@irdl_op_definition
class TruncOp(UnaryOp):
    """Rounds toward zero."""

    name = "nnvm.trunc"


@irdl_op_definition
class RoundOp(UnaryOp):
    """Rounds half away from zero (C's round, TVM's); `nearbyint` rounds half to even."""

    name = "nnvm.round"


@irdl_op_definition
class NearbyintOp(UnaryOp):
    """Rounds half to even (C's nearbyint, ONNX Round); not an NNVM op, TVM has it."""

    name = "nnvm.nearbyint"


@irdl_op_definition
class ErfOp(UnaryOp):
    name = "nnvm.erf"


@irdl_op_definition
class GeluOp(UnaryOp):
    """x * (1 + erf(x / sqrt 2)) / 2, the exact form (not the tanh approximation)."""

    name = "nnvm.gelu"


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
    """Converts to `dtype`; float to integer truncates toward zero. Narrow floats (bf16,
    float8, float4) round to nearest even, and overflow as ml_dtypes does (to inf, or nan where
    the format has no inf): ONNX's saturating cast is a clip before it."""

    name = "nnvm.cast"
    dtype = prop_def(TypeAttribute)

    def verify_attributes(self) -> None:
        try:
            to_numpy(self.dtype)
        except ValueError:
            msg = f"dtype must be a float, integer or i1 type, got {self.dtype}"
            raise ShapeError(msg) from None


@irdl_op_definition
class LogicalNotOp(UnaryOp):
    """On i1 tensors."""

    name = "nnvm.logical_not"


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
    """lhs / rhs; integers truncate toward zero."""

    name = "nnvm.elemwise_div"


@irdl_op_definition
class ElemwiseModOp(BinaryOp):
    """The remainder with the sign of lhs (C's fmod), for floats and integers alike."""

    name = "nnvm.elemwise_mod"


@irdl_op_definition
class ElemwisePowOp(BinaryOp):
    """lhs ** rhs; for integers a negative exponent gives the truncated real power."""

    name = "nnvm.elemwise_pow"


@irdl_op_definition
class LogicalAndOp(BinaryOp):
    """On i1 tensors."""

    name = "nnvm.logical_and"


@irdl_op_definition
class LogicalOrOp(BinaryOp):
    """On i1 tensors."""

    name = "nnvm.logical_or"


@irdl_op_definition
class GreaterOp(BinaryOp):
    """lhs > rhs as i1 (NNVM returned float32 0/1; here every comparison returns i1)."""

    name = "nnvm.greater"


@irdl_op_definition
class LessOp(BinaryOp):
    """lhs < rhs as i1 (NNVM returned float32 0/1; here every comparison returns i1)."""

    name = "nnvm.less"


@irdl_op_definition
class ElemwiseSumOp(NnvmOp):
    """The sum of its `num_args` operands, all of one shape."""

    name = "nnvm.elemwise_sum"
    args = var_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    num_args = prop_def(IntegerAttr[I64])

    def verify_attributes(self) -> None:
        num_args = self.int_attr("num_args")
        if num_args < 1:
            raise ShapeError(f"num_args must be >= 1, got {num_args}")
        if num_args != len(self.args):
            raise ShapeError(f"num_args is {num_args} but the op has {len(self.args)} operands")


COMPARISONS = (GreaterOp, LessOp)
LOGICAL = (LogicalNotOp, LogicalAndOp, LogicalOrOp)


# Shape and type rules.


@shape_rule.register(UnaryOp)
def _same_shape(op: UnaryOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


def identical_shapes(shapes: Sequence[Shape]) -> Shape:
    """The one shape all operands share; a ShapeError listing them where they differ."""
    shape: Shape = None
    try:
        for s in shapes:
            shape = refine_shape(shape, s)
    except ShapeError:
        listing = " and ".join(format_shape(s) for s in shapes)
        raise ShapeError(f"operands must have identical shapes, got {listing}") from None
    return shape


@shape_rule.register(BinaryOp, ElemwiseSumOp)
def _identical_shapes(op: NnvmOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [identical_shapes(shapes)]


@type_rule.register(CastOp)
def _cast_type(op: CastOp, dtypes: Sequence[DType]) -> list[DType]:
    return [op.dtype]


def check_dtypes(op: NnvmOp, types: Sequence[DType]) -> None:
    """Operand element types must be among those the op declares (its `dtypes` fact), so the
    semantics never meet one they cannot compute."""
    allowed = dtypes.lookup(op)
    if allowed is None:
        return
    for i, t in enumerate(types):
        if t is None:
            continue
        try:
            known = to_numpy(t) in allowed
        except ValueError:
            known = False
        if not known:
            names = ", ".join(str(from_numpy(d)) for d in allowed)
            raise ShapeError(f"operand #{i} has element type {t}; {op.name} takes {names}")


def checked_same_type(op: NnvmOp, types: Sequence[DType]) -> list[DType]:
    """NNVM's SameType, for element types the op declares."""
    check_dtypes(op, types)
    return same_type(op, types)


def compare_type(op: NnvmOp, types: Sequence[DType]) -> list[DType]:
    """Comparisons: operands of one element type, an i1 result."""
    checked_same_type(op, types)
    return [BOOL]


def logical_type(op: NnvmOp, types: Sequence[DType]) -> list[DType]:
    """Logical ops take and give i1."""
    for i, t in enumerate(types):
        if t is not None and t != BOOL:
            raise ShapeError(f"operand #{i} must be i1 (bool), got {t}")
    return [BOOL]


type_rule.register(UnaryOp, BinaryOp, ElemwiseSumOp)(checked_same_type)
type_rule.register(*COMPARISONS)(compare_type)
type_rule.register(*LOGICAL)(logical_type)


# Semantics.


def keep_dtype(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Semantics computed in numpy's promoted type, returned in the first operand's dtype."""

    def semantics(op: NnvmOp, *xs: np.ndarray) -> np.ndarray:
        return np.asarray(f(*xs)).astype(xs[0].dtype, copy=False)

    return semantics


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division truncates toward zero, like C and TVM (by zero: 0)."""
    if a.dtype.kind in "iu":
        # numpy's // floors; truncation is one more where the division is inexact and the signs
        # differ. (|a| // |b| would be wrong at the dtype's minimum, whose |x| wraps.)
        safe = np.where(b == 0, 1, b).astype(b.dtype)
        with np.errstate(over="ignore"):
            q = a // safe
        inexact = np.fmod(a, safe) != 0
        q = q + (inexact & ((a < 0) != (safe < 0))).astype(q.dtype)
        return np.where(b == 0, 0, q)
    return a / b


def modulo(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The remainder with the sign of the dividend, like C's fmod and % (by zero: 0)."""
    if a.dtype.kind in "iu":
        return np.where(b == 0, 0, np.fmod(a, np.where(b == 0, 1, b)))
    return np.fmod(a, b)


def power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a ** b; for integers a negative exponent gives trunc(a ** b): 0 unless |a| is 1."""
    if a.dtype.kind not in "iu":
        return np.power(a, b)
    negative = b < 0
    result = np.power(a, np.where(negative, 0, b).astype(a.dtype))
    odd = b % 2 != 0
    inverse = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
    return np.where(negative, inverse, result)


def round_half_away(x: np.ndarray) -> np.ndarray:
    t = np.trunc(x)
    return np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)


_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: np.ndarray) -> np.ndarray:
    """math.erf elementwise, in double precision (numpy has no erf)."""
    return np.asarray(_erf(x.astype(np.float64)), np.float64)


def gelu(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    return x * (1 + erf(x / math.sqrt(2))) / 2


def _ident(x: np.ndarray) -> np.ndarray:
    return x.copy()


def _rounding(f: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """Rounding is the identity on integers."""
    return lambda x: x.copy() if x.dtype.kind in "iub" else f(x)


for _op, _f in [
    (ReluOp, lambda x: np.maximum(x, 0)),
    (TanhOp, np.tanh),
    (SigmoidOp, _sigmoid),
    (ExpOp, np.exp),
    (LogOp, np.log),
    (SqrtOp, np.sqrt),
    (RsqrtOp, lambda x: 1 / np.sqrt(x)),
    (NegativeOp, np.negative),
    (CopyOp, _ident),
    (BlockGradOp, _ident),
    (AbsOp, np.abs),
    (SignOp, np.sign),
    (FloorOp, _rounding(np.floor)),
    (CeilOp, _rounding(np.ceil)),
    (TruncOp, _rounding(np.trunc)),
    (RoundOp, _rounding(round_half_away)),
    (NearbyintOp, _rounding(np.rint)),
    (ErfOp, erf),
    (GeluOp, gelu),
    (LogicalNotOp, np.logical_not),
    (ElemwiseAddOp, np.add),
    (ElemwiseSubOp, np.subtract),
    (ElemwiseMulOp, np.multiply),
    (ElemwiseDivOp, divide),
    (ElemwiseModOp, modulo),
    (ElemwisePowOp, power),
    (LogicalAndOp, np.logical_and),
    (LogicalOrOp, np.logical_or),
]:
    reference.register(_op)(keep_dtype(_f))


@reference.register(GreaterOp)
def _greater(op: GreaterOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(a > b)


@reference.register(LessOp)
def _less(op: LessOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(a < b)


@reference.register(LeakyReluOp)
def _leaky_relu(op: LeakyReluOp, x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, x * op.float_attr("alpha")).astype(x.dtype, copy=False)


@reference.register(CastOp)
def _cast(op: CastOp, x: np.ndarray) -> np.ndarray:
    return x.astype(to_numpy(op.dtype))


@reference.register(ElemwiseSumOp)
def _elemwise_sum(op: ElemwiseSumOp, *xs: np.ndarray) -> np.ndarray:
    total = xs[0].copy()
    for x in xs[1:]:
        total += x
    return total


# Registry facts: fusion pattern, in-place options, dtypes, ONNX equivalents.

# NNVM registered elemwise_add & co. as BROADCAST (they were computed by TOPI's broadcast ops);
# with identical operand shapes they are ELEMWISE by the pattern's own definition, as here.
pattern_kind.register(UnaryOp, BinaryOp, ElemwiseSumOp)(OpPattern.ELEMWISE)
inplace_option.register(UnaryOp)(((0, 0),))
inplace_option.register(BinaryOp)(((0, 0), (1, 0)))
# NNVM registers leaky_relu directly, without in-place options; a comparison's i1
# result cannot take its operands' storage.
inplace_option.register(LeakyReluOp, *COMPARISONS)(())

FLOAT_DTYPES = tuple(np.dtype(t) for t in (np.float16, np.float32, np.float64))
INT_DTYPES = tuple(np.dtype(t) for t in (np.int8, np.int32, np.int64))
NUMBER_DTYPES = (*FLOAT_DTYPES, *INT_DTYPES)
ALL_INT_DTYPES = tuple(
    np.dtype(t)
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
)
WIDE_DTYPES = (*FLOAT_DTYPES, *ALL_INT_DTYPES)
"""Every float and integer dtype, for ops exact on all of them: + - * wrap like numpy's,
division truncates, comparisons of unsigned values are unsigned."""
B1 = np.dtype(np.bool_)

ELEMWISE_OPS = [
    ReluOp,
    TanhOp,
    SigmoidOp,
    ExpOp,
    LogOp,
    SqrtOp,
    RsqrtOp,
    NegativeOp,
    CopyOp,
    BlockGradOp,
    AbsOp,
    SignOp,
    FloorOp,
    CeilOp,
    TruncOp,
    RoundOp,
    NearbyintOp,
    ErfOp,
    GeluOp,
    LeakyReluOp,
    CastOp,
    LogicalNotOp,
    ElemwiseAddOp,
    ElemwiseSubOp,
    ElemwiseMulOp,
    ElemwiseDivOp,
    ElemwiseModOp,
    ElemwisePowOp,
    LogicalAndOp,
    LogicalOrOp,
    GreaterOp,
    LessOp,
    ElemwiseSumOp,
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


def nonzero_array(
    rng: np.random.Generator, shape: Sequence[int], dtype: np.dtype, low: float, high: float
) -> np.ndarray:
    """Magnitudes in [low, high] with random signs: safe divisors."""
    mag = random_array(rng, shape, dtype, low, high)
    sign = rng.integers(0, 2, tuple(shape)).astype(bool)
    return np.where(sign, mag, -mag).astype(dtype)


def _pick(rng: np.random.Generator, choices: Sequence[Any]) -> Any:
    return choices[int(rng.integers(len(choices)))]


def _unary_example(
    types: Sequence[np.dtype], low: float = -3.0, high: float = 3.0
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        return Example([random_array(rng, random_shape(rng), _pick(rng, types), low, high)])

    return make


def _binary_example(
    types: Sequence[np.dtype], low: float = -3.0, high: float = 3.0, nonzero_rhs: bool = False
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = np.dtype(_pick(rng, types))
        shape = random_shape(rng)
        lhs = random_array(rng, shape, dtype, low, high)
        if nonzero_rhs:
            rhs = nonzero_array(rng, shape, dtype, 1.0, max(high, 1.0))
        else:
            rhs = random_array(rng, shape, dtype, low, high)
        return Example([lhs, rhs])

    return make


def _pow_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, NUMBER_DTYPES)
    shape = random_shape(rng)
    if dtype.kind == "f":
        return Example([random_array(rng, shape, dtype, 0.1, 3), random_array(rng, shape, dtype)])
    return Example([random_array(rng, shape, dtype, -3, 3), random_array(rng, shape, dtype, -2, 3)])


_FACTS: list[tuple[type[NnvmOp], tuple[np.dtype, ...], str, Any]] = [
    (ReluOp, NUMBER_DTYPES, "Relu", _unary_example(NUMBER_DTYPES)),
    (TanhOp, FLOAT_DTYPES, "Tanh", _unary_example(FLOAT_DTYPES)),
    (SigmoidOp, FLOAT_DTYPES, "Sigmoid", _unary_example(FLOAT_DTYPES, -6.0, 6.0)),
    (ExpOp, FLOAT_DTYPES, "Exp", _unary_example(FLOAT_DTYPES)),
    (LogOp, FLOAT_DTYPES, "Log", _unary_example(FLOAT_DTYPES, 0.01, 10.0)),
    (SqrtOp, FLOAT_DTYPES, "Sqrt", _unary_example(FLOAT_DTYPES, 0.0, 10.0)),
    (RsqrtOp, FLOAT_DTYPES, "Reciprocal(Sqrt(x))", _unary_example(FLOAT_DTYPES, 0.01, 10.0)),
    (NegativeOp, NUMBER_DTYPES, "Neg", _unary_example(NUMBER_DTYPES)),
    (CopyOp, (*NUMBER_DTYPES, B1), "Identity", _unary_example((*NUMBER_DTYPES, B1))),
    (BlockGradOp, (*NUMBER_DTYPES, B1), "Identity", _unary_example((*NUMBER_DTYPES, B1))),
    (AbsOp, NUMBER_DTYPES, "Abs", _unary_example(NUMBER_DTYPES)),
    (SignOp, NUMBER_DTYPES, "Sign", _unary_example(NUMBER_DTYPES)),
    (FloorOp, NUMBER_DTYPES, "Floor", _unary_example(NUMBER_DTYPES)),
    (CeilOp, NUMBER_DTYPES, "Ceil", _unary_example(NUMBER_DTYPES)),
    (TruncOp, NUMBER_DTYPES, "Sign(x) * Floor(Abs(x))", _unary_example(NUMBER_DTYPES)),
    (RoundOp, NUMBER_DTYPES, "Sign(x) * Floor(Abs(x) + 0.5)", _unary_example(NUMBER_DTYPES)),
    (NearbyintOp, NUMBER_DTYPES, "Round", _unary_example(NUMBER_DTYPES)),
    (ErfOp, FLOAT_DTYPES, "Erf", _unary_example(FLOAT_DTYPES)),
    (GeluOp, FLOAT_DTYPES, "Gelu (opset 20, approximate='none')", _unary_example(FLOAT_DTYPES)),
    (LogicalNotOp, (B1,), "Not", _unary_example((B1,))),
    (ElemwiseAddOp, WIDE_DTYPES, "Add", _binary_example(WIDE_DTYPES, -10, 10)),
    (ElemwiseSubOp, WIDE_DTYPES, "Sub", _binary_example(WIDE_DTYPES, -10, 10)),
    (ElemwiseMulOp, WIDE_DTYPES, "Mul", _binary_example(WIDE_DTYPES, -10, 10)),
    (
        ElemwiseDivOp,
        WIDE_DTYPES,
        "Div (integers truncate toward zero)",
        _binary_example(WIDE_DTYPES, -10, 10, nonzero_rhs=True),
    ),
    (
        ElemwiseModOp,
        WIDE_DTYPES,
        "Mod (fmod=1)",
        _binary_example(WIDE_DTYPES, -10, 10, nonzero_rhs=True),
    ),
    (ElemwisePowOp, NUMBER_DTYPES, "Pow", _pow_example),
    (LogicalAndOp, (B1,), "And", _binary_example((B1,))),
    (LogicalOrOp, (B1,), "Or", _binary_example((B1,))),
    (GreaterOp, WIDE_DTYPES, "Greater", _binary_example(WIDE_DTYPES)),
    (LessOp, WIDE_DTYPES, "Less", _binary_example(WIDE_DTYPES)),
]
for _op, _types, _onnx, _example in _FACTS:
    dtypes.register(_op)(_types)
    onnx_equivalent.register(_op)(_onnx)
    example.register(_op)(_example)


@example.register(LeakyReluOp)
def _leaky_relu_example(rng: np.random.Generator) -> Example:
    x = random_array(rng, random_shape(rng), _pick(rng, FLOAT_DTYPES))
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


@example.register(ElemwiseSumOp)
def _elemwise_sum_example(rng: np.random.Generator) -> Example:
    dtype, shape = _pick(rng, NUMBER_DTYPES), random_shape(rng)
    count = int(rng.integers(1, 5))
    xs = [random_array(rng, shape, dtype, -10, 10) for _ in range(count)]
    return Example(xs, {"num_args": IntegerAttr(count, 64)})


dtypes.register(LeakyReluOp)(FLOAT_DTYPES)
dtypes.register(ElemwiseSumOp)(NUMBER_DTYPES)
dtypes.register(CastOp)((*(np.dtype(d) for d in CAST_DTYPES), *NARROW_FLOATS, *NARROW_INTS))
onnx_equivalent.register(LeakyReluOp)("LeakyRelu")
onnx_equivalent.register(CastOp)("Cast")
onnx_equivalent.register(ElemwiseSumOp)("Sum")
