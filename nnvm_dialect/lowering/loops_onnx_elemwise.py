"""CPU lowerings of the element-wise ops of `ops/onnx_elemwise.py` (`PerElement`).

Float functions are `math` dialect ops (LLVM intrinsics or libm calls, see math_to_llvm.py);
bitwise and logical ops are arith's and/or/xor on the integer (i1) registers; floor modulo
corrects C's remainder by the divisor where their signs differ, as numpy does.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.loops_elemwise import absolute, binary, float_math, modulo, unary
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype
from nnvm_dialect.ops import onnx_elemwise as ox

B1 = np.dtype(np.bool_)


def softsign(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return em.div(x, em.add(em.const(1, dtype), absolute(em, x, dtype)), dtype)


def isnan(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x = em.operand(op, 0, idx)
    return em.cmp("ne", x, x, tensor_dtype(op.operands[0]))  # unordered: true for NaN only


def isinf(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x, dtype = em.operand(op, 0, idx), tensor_dtype(op.operands[0])
    found = em.const(False, B1)
    for attr, sign in (("detect_positive", 1), ("detect_negative", -1)):
        if op.bool_attr(attr):  # type: ignore[attr-defined]
            hit = em.cmp("eq", x, em.const(sign * np.inf, dtype), dtype)
            found = em.emit(arith.OrIOp(found, hit))
    return found


def bitwise(kind: type[Operation]) -> PerElement:
    """and, or, xor on integers or i1."""
    return binary(lambda em, a, b, t: em.emit(kind(a, b)))  # type: ignore[call-arg]


def bitwise_not(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return em.emit(arith.XOrIOp(x, em.const(-1, dtype)))


def floor_mod(em: Lowering, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
    """fmod(a, b), plus b where it is nonzero and its sign differs from b's (never overflows:
    the two have opposite signs); unsigned values need no correction. A zero float result
    takes b's sign, as numpy's does."""
    r = modulo(em, a, b, dtype)
    if dtype.kind == "u":
        return r
    zero = em.const(0, dtype)
    differ = em.emit(arith.XOrIOp(em.cmp("lt", r, zero, dtype), em.cmp("lt", b, zero, dtype)))
    fix = em.emit(arith.AndIOp(em.cmp("ne", r, zero, dtype), differ))
    if dtype.kind == "f":
        signed_zero = em.emit(mathd.CopySignOp(r, b))
        r = em.select(em.cmp("eq", r, zero, dtype), signed_zero, r)
    return em.select(fix, em.add(r, b), r)


for _op, _rule in [
    (ox.SinOp, unary(float_math(mathd.SinOp))),
    (ox.CosOp, unary(float_math(mathd.CosOp))),
    (ox.TanOp, unary(float_math(mathd.TanOp))),
    (ox.AsinOp, unary(float_math(mathd.AsinOp))),
    (ox.AcosOp, unary(float_math(mathd.AcosOp))),
    (ox.AtanOp, unary(float_math(mathd.AtanOp))),
    (ox.SinhOp, unary(float_math(mathd.SinhOp))),
    (ox.CoshOp, unary(float_math(mathd.CoshOp))),
    (ox.AsinhOp, unary(float_math(mathd.AsinhOp))),
    (ox.AcoshOp, unary(float_math(mathd.AcoshOp))),
    (ox.AtanhOp, unary(float_math(mathd.AtanhOp))),
    (ox.SoftsignOp, unary(softsign)),
    (ox.IsNanOp, PerElement(isnan, flat="same")),
    (ox.IsInfOp, PerElement(isinf, flat="same")),
    (ox.BitwiseNotOp, unary(bitwise_not)),
    (ox.LogicalXorOp, bitwise(arith.XOrIOp)),
    (ox.BroadcastLogicalAndOp, bitwise(arith.AndIOp)),
    (ox.BroadcastLogicalOrOp, bitwise(arith.OrIOp)),
    (ox.BroadcastLogicalXorOp, bitwise(arith.XOrIOp)),
    (ox.BitwiseAndOp, bitwise(arith.AndIOp)),
    (ox.BitwiseOrOp, bitwise(arith.OrIOp)),
    (ox.BitwiseXorOp, bitwise(arith.XOrIOp)),
    (ox.BroadcastFloorModOp, binary(floor_mod)),
]:
    lowering.register(_op)(_rule)
