"""CPU lowerings of the elementwise, scalar and broadcast ops (`PerElement`).

Each op is a scalar formula: `unary(f)` and `binary(f)` turn f(em, x[, y], dtype) into the op's
lowering, reading operands at the (broadcast) index, so the lowering of a new elementwise op is
one line, for the dialect's ops and for plugins alike. The formulas follow the reference
semantics exactly where numpy is exact: integer division and modulo truncate toward zero and
give 0 for a zero divisor, integer powers wrap, rounding is the identity on integers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects import arith, llvm
from xdsl.dialects import math as mathd
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering import narrow
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype, tensor_shape
from nnvm_dialect.ops import broadcast as bc
from nnvm_dialect.ops import elemwise as ew
from nnvm_dialect.ops import nn
from nnvm_dialect.ops import scalar as sc
from nnvm_dialect.ops.device import DeviceCopyOp
from nnvm_dialect.ops.scalar import attr_as

Unary = Callable[[Lowering, SSAValue, np.dtype], SSAValue]
Binary = Callable[[Lowering, SSAValue, SSAValue, np.dtype], SSAValue]


def broadcast_index(
    idx: Sequence[Index], in_shape: Sequence[int], out_shape: Sequence[int]
) -> list[Index | int]:
    """numpy broadcasting: an output index as an index into an operand of `in_shape`."""
    if tuple(in_shape) == tuple(out_shape):
        return list(idx)  # also a flat index, when the loop is flat
    lead = len(out_shape) - len(in_shape)
    return [0 if d == 1 else idx[lead + k] for k, d in enumerate(in_shape)]


def operand_at(em: Lowering, op: Operation, i: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[i])
    return em.operand(op, i, broadcast_index(idx, shape, tensor_shape(op.results[0])))  # type: ignore[arg-type]


def unary(f: Unary) -> PerElement:
    """A PerElement from f(em, x, dtype) -> y."""

    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        return f(em, em.operand(op, 0, idx), tensor_dtype(op.operands[0]))

    return PerElement(value, flat="same")


def binary(f: Binary) -> PerElement:
    """A PerElement from f(em, x, y, dtype) -> z, operands broadcast numpy's way."""

    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        a, b = operand_at(em, op, 0, idx), operand_at(em, op, 1, idx)
        return f(em, a, b, tensor_dtype(op.operands[0]))

    return PerElement(value, flat="same")


def with_scalar(f: Binary, reverse: bool = False) -> PerElement:
    """`x op scalar` (or `scalar op x`), the scalar attribute in x's dtype."""

    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        dtype = tensor_dtype(op.operands[0])
        s = em.const(attr_as(op.float_attr("scalar"), dtype).item(), dtype)  # type: ignore[attr-defined]
        x = em.operand(op, 0, idx)
        return f(em, s, x, dtype) if reverse else f(em, x, s, dtype)

    return PerElement(value, flat="same")


def float_math(mathop: type[Operation]) -> Unary:
    """A `math` op on floats; integers go through float64, as numpy's ufuncs do."""

    def f(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
        if dtype.kind == "f":
            return em.math(mathop, x)
        wide = np.dtype(np.float64)
        return em.cast(em.math(mathop, em.cast(x, dtype, wide)), wide, dtype)

    return f


def rounding(mathop: type[Operation]) -> Unary:
    return lambda em, x, t: em.math(mathop, x) if t.kind == "f" else x


def relu(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return em.max(x, em.const(0, dtype), dtype)


def sigmoid(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    one = em.const(1, dtype)
    return em.div(one, em.add(one, em.exp(em.neg(x))), dtype)


def absolute(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    if dtype.kind == "f":
        return em.math(mathd.AbsFOp, x)
    return em.select(em.cmp("lt", x, em.const(0, dtype), dtype), em.neg(x), x)


def sign(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    zero, one = em.const(0, dtype), em.const(1, dtype)
    s = em.select(em.cmp("gt", x, zero, dtype), one, zero)
    s = em.select(em.cmp("lt", x, zero, dtype), em.neg(one), s)
    if dtype.kind == "f":  # NaN stays NaN
        s = em.select(em.cmp("ne", x, x, dtype), x, s)
    return s


def erf(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return float_math(mathd.ErfOp)(em, x, dtype)


def gelu(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    half, one = em.const(0.5, dtype), em.const(1, dtype)
    inner = erf(em, em.mul(x, em.const(1 / math.sqrt(2), dtype)), dtype)
    return em.mul(em.mul(x, half), em.add(one, inner))


def rsqrt(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return em.div(em.const(1, dtype), float_math(mathd.SqrtOp)(em, x, dtype), dtype)


def safe_divisor(em: Lowering, b: SSAValue, dtype: np.dtype) -> tuple[SSAValue, SSAValue | None]:
    """b with 0 (and, for signed integers, -1) replaced by 1, since the CPU traps on x / 0 and
    on MIN / -1; and the i1 `b == -1` (None for unsigned), whose quotient is -x (wrapping) and
    remainder 0."""
    one = em.const(1, dtype)
    by_zero = em.cmp("eq", b, em.const(0, dtype), dtype)
    safe = em.select(by_zero, one, b)
    if dtype.kind == "u":
        return safe, None
    minus_one = em.cmp("eq", b, em.const(-1, dtype), dtype)
    return em.select(minus_one, one, safe), minus_one


def divide(em: Lowering, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
    if dtype.kind == "f":
        return em.div(a, b, dtype)
    zero = em.const(0, dtype)
    safe, minus_one = safe_divisor(em, b, dtype)
    q = em.div(a, safe, dtype)
    if minus_one is not None:
        q = em.select(minus_one, em.neg(a), q)
    return em.select(em.cmp("eq", b, zero, dtype), zero, q)


def modulo(em: Lowering, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
    if dtype.kind == "f":
        return em.emit(llvm.FRemOp(a, b))  # C's fmod; arith has no float remainder
    safe, _ = safe_divisor(em, b, dtype)
    return em.rem(a, safe, dtype)  # x % 1 is 0: the answer for b == 0 and b == -1 alike


def power(em: Lowering, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
    if dtype.kind == "f":
        return em.emit(mathd.PowFOp(a, b))
    # Integers: square-and-multiply over the exponent's bits, wrapping like numpy; a negative
    # exponent gives trunc(a ** b): 1 for a == 1, +-1 for a == -1, else 0.
    zero, one = em.const(0, dtype), em.const(1, dtype)
    bits = dtype.itemsize * 8

    def step(k: Index, acc: list[SSAValue]) -> list[SSAValue]:
        result, base, e = acc
        odd = em.cmp("ne", em.emit(arith.AndIOp(e, one)), zero, dtype)
        result = em.select(odd, em.mul(result, base), result)
        return [result, em.mul(base, base), em.emit(arith.ShRUIOp(e, one))]

    result, _, _ = em.loop_carried(0, bits, [one, a, b], step)
    negative = em.cmp("lt", b, zero, dtype)
    odd_exp = em.cmp("ne", em.emit(arith.AndIOp(b, one)), zero, dtype)
    minus_one = em.neg(one)
    inverse = em.select(
        em.cmp("eq", a, one, dtype),
        one,
        em.select(em.cmp("eq", a, minus_one, dtype), em.select(odd_exp, minus_one, one), zero),
    )
    return em.select(negative, inverse, result)


def shift(left: bool) -> Binary:
    """a << n (0 once n >= bits) or a >> n (arithmetic for signed a, logical for unsigned), a
    negative n counting as 0, as the reference does (C leaves those counts undefined, so they
    are clamped first)."""

    def f(em: Lowering, a: SSAValue, n: SSAValue, dtype: np.dtype) -> SSAValue:
        bits = dtype.itemsize * 8
        zero, top = em.const(0, dtype), em.const(bits - 1, dtype)
        count = em.min(em.max(n, zero, dtype), top, dtype)
        if not left:
            right = arith.ShRUIOp if dtype.kind == "u" else arith.ShRSIOp
            return em.emit(right(a, count))
        shifted = em.emit(arith.ShLIOp(a, count))
        return em.select(em.cmp("ge", n, em.const(bits, dtype), dtype), zero, shifted)

    return f


def compare(pred: str) -> PerElement:
    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        a, b = operand_at(em, op, 0, idx), operand_at(em, op, 1, idx)
        return em.cmp(pred, a, b, tensor_dtype(op.operands[0]))

    return PerElement(value, flat="same")


def leaky_relu(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x, dtype = em.operand(op, 0, idx), tensor_dtype(op.operands[0])
    alpha = em.const(op.float_attr("alpha"), dtype)  # type: ignore[attr-defined]
    positive = em.cmp("gt", x, em.const(0, dtype), dtype)
    return em.select(positive, x, em.mul(x, alpha))


def clip(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x, dtype = em.operand(op, 0, idx), tensor_dtype(op.operands[0])
    lo, hi = (
        em.const(attr_as(op.float_attr(a), dtype).item(), dtype)  # type: ignore[attr-defined]
        for a in ("a_min", "a_max")
    )
    return em.min(em.max(x, lo, dtype), hi, dtype)


def cast(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    dst = to_numpy(op.dtype)  # type: ignore[attr-defined]
    if problem := narrow.supported(tensor_dtype(op.operands[0]), dst):
        raise OpError(op, problem)
    return em.cast(em.operand(op, 0, idx), tensor_dtype(op.operands[0]), dst)


def elemwise_sum(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    total = em.operand(op, 0, idx)
    for i in range(1, len(op.operands)):
        total = em.add(total, em.operand(op, i, idx))
    return total


def logical(kind: str) -> PerElement:
    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        a = em.operand(op, 0, idx)
        true = em.const(True, np.dtype(np.bool_))
        if kind == "not":
            return em.emit(arith.XOrIOp(a, true))
        b = em.operand(op, 1, idx)
        return em.emit((arith.AndIOp if kind == "and" else arith.OrIOp)(a, b))

    return PerElement(value, flat="same")


def _add(em: Lowering, a: SSAValue, b: SSAValue, t: np.dtype) -> SSAValue:
    return em.add(a, b)


def _sub(em: Lowering, a: SSAValue, b: SSAValue, t: np.dtype) -> SSAValue:
    return em.sub(a, b)


def _mul(em: Lowering, a: SSAValue, b: SSAValue, t: np.dtype) -> SSAValue:
    return em.mul(a, b)


def _max(em: Lowering, a: SSAValue, b: SSAValue, t: np.dtype) -> SSAValue:
    return em.max(a, b, t)


def _min(em: Lowering, a: SSAValue, b: SSAValue, t: np.dtype) -> SSAValue:
    return em.min(a, b, t)


def _same(em: Lowering, x: SSAValue, t: np.dtype) -> SSAValue:
    return x


def _neg(em: Lowering, x: SSAValue, t: np.dtype) -> SSAValue:
    return em.neg(x)


for _op, _rule in [
    (ew.ReluOp, unary(relu)),
    (ew.TanhOp, unary(float_math(mathd.TanhOp))),
    (ew.SigmoidOp, unary(sigmoid)),
    (ew.ExpOp, unary(float_math(mathd.ExpOp))),
    (ew.LogOp, unary(float_math(mathd.LogOp))),
    (ew.SqrtOp, unary(float_math(mathd.SqrtOp))),
    (ew.RsqrtOp, unary(rsqrt)),
    (ew.NegativeOp, unary(_neg)),
    (ew.CopyOp, unary(_same)),
    (ew.BlockGradOp, unary(_same)),
    (nn.DropoutOp, unary(_same)),
    (ew.AbsOp, unary(absolute)),
    (ew.SignOp, unary(sign)),
    (ew.FloorOp, unary(rounding(mathd.FloorOp))),
    (ew.CeilOp, unary(rounding(mathd.CeilOp))),
    (ew.TruncOp, unary(rounding(mathd.TruncOp))),
    (ew.RoundOp, unary(rounding(mathd.RoundOp))),
    (ew.NearbyintOp, unary(rounding(mathd.RoundEvenOp))),
    (ew.ErfOp, unary(erf)),
    (ew.GeluOp, unary(gelu)),
    (ew.LeakyReluOp, PerElement(leaky_relu, flat="same")),
    (sc.ClipOp, PerElement(clip, flat="same")),
    (ew.CastOp, PerElement(cast, flat="same")),
    (ew.LogicalNotOp, logical("not")),
    (ew.LogicalAndOp, logical("and")),
    (ew.LogicalOrOp, logical("or")),
    (ew.ElemwiseAddOp, binary(_add)),
    (ew.ElemwiseSubOp, binary(_sub)),
    (ew.ElemwiseMulOp, binary(_mul)),
    (ew.ElemwiseDivOp, binary(divide)),
    (ew.ElemwiseModOp, binary(modulo)),
    (ew.ElemwisePowOp, binary(power)),
    (ew.GreaterOp, compare("gt")),
    (ew.LessOp, compare("lt")),
    (ew.ElemwiseSumOp, PerElement(elemwise_sum, flat="same")),
    (sc.AddScalarOp, with_scalar(_add)),
    (sc.SubScalarOp, with_scalar(_sub)),
    (sc.RsubScalarOp, with_scalar(_sub, reverse=True)),
    (sc.MulScalarOp, with_scalar(_mul)),
    (sc.DivScalarOp, with_scalar(divide)),
    (sc.RdivScalarOp, with_scalar(divide, reverse=True)),
    (sc.PowScalarOp, with_scalar(power)),
    (sc.RpowScalarOp, with_scalar(power, reverse=True)),
    (sc.LshiftScalarOp, with_scalar(shift(True))),
    (sc.RshiftScalarOp, with_scalar(shift(False))),
    (bc.BroadcastLeftShiftOp, binary(shift(True))),
    (bc.BroadcastRightShiftOp, binary(shift(False))),
    (DeviceCopyOp, unary(_same)),
    (bc.BroadcastAddOp, binary(_add)),
    (bc.BroadcastSubOp, binary(_sub)),
    (bc.BroadcastMulOp, binary(_mul)),
    (bc.BroadcastDivOp, binary(divide)),
    (bc.BroadcastModOp, binary(modulo)),
    (bc.BroadcastPowOp, binary(power)),
    (bc.BroadcastMaxOp, binary(_max)),
    (bc.BroadcastMinOp, binary(_min)),
    (bc.BroadcastGreaterOp, compare("gt")),
    (bc.BroadcastLessOp, compare("lt")),
    (bc.BroadcastEqualOp, compare("eq")),
    (bc.BroadcastNotEqualOp, compare("ne")),
    (bc.BroadcastGreaterEqualOp, compare("ge")),
    (bc.BroadcastLessEqualOp, compare("le")),
]:
    lowering.register(_op)(_rule)
