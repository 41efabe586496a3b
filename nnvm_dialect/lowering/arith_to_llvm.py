"""`convert-arith-to-llvm`: arith ops to llvm dialect instructions, one table entry per op.

Fast-math flags travel along (they are what lets LLVM contract a*b+c into an FMA and vectorise
reductions). What the llvm dialect of xDSL 0.74 lacks is built from what it has: NaN-propagating
max/min are the `llvm.maximum`/`llvm.minimum` intrinsics, float -> int conversions are the
saturating `llvm.fpto[su]i.sat` intrinsics (equal to fptosi/fptoui wherever those are defined),
and unsigned -> float goes through a wider signed integer (or, for u64, a halved one).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, llvm
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    i64,
)
from xdsl.dialects.utils.fast_math import FastMathFlag
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
)

from nnvm_dialect.lowering.rewrite import rewrite_once

_INT_BINARY: dict[type[Operation], type[Operation]] = {
    arith.AddiOp: llvm.AddOp,
    arith.SubiOp: llvm.SubOp,
    arith.MuliOp: llvm.MulOp,
    arith.DivSIOp: llvm.SDivOp,
    arith.DivUIOp: llvm.UDivOp,
    arith.RemSIOp: llvm.SRemOp,
    arith.RemUIOp: llvm.URemOp,
    arith.AndIOp: llvm.AndOp,
    arith.OrIOp: llvm.OrOp,
    arith.XOrIOp: llvm.XOrOp,
    arith.ShLIOp: llvm.ShlOp,
    arith.ShRSIOp: llvm.AShrOp,
    arith.ShRUIOp: llvm.LShrOp,
}
_FLOAT_BINARY: dict[type[Operation], type[Operation]] = {
    arith.AddfOp: llvm.FAddOp,
    arith.SubfOp: llvm.FSubOp,
    arith.MulfOp: llvm.FMulOp,
    arith.DivfOp: llvm.FDivOp,
}
_INTRINSIC_BINARY = {
    arith.MaximumfOp: "llvm.maximum",
    arith.MinimumfOp: "llvm.minimum",
    arith.MaxnumfOp: "llvm.maxnum",
    arith.MinnumfOp: "llvm.minnum",
}
_CASTS: dict[type[Operation], type[Operation]] = {
    arith.ExtFOp: llvm.FPExtOp,
    arith.TruncFOp: llvm.FPTruncOp,
    arith.SIToFPOp: llvm.SIToFPOp,
    arith.BitcastOp: llvm.BitcastOp,
}
_INT_CASTS: dict[type[Operation], type[Operation]] = {
    arith.ExtSIOp: llvm.SExtOp,
    arith.ExtUIOp: llvm.ZExtOp,
    arith.TruncIOp: llvm.TruncOp,
}
_FLOAT_NAMES = {Float16Type: "f16", Float32Type: "f32", Float64Type: "f64"}


def type_suffix(t: Attribute) -> str:
    """LLVM's name mangling of a scalar type in an intrinsic's name."""
    if isinstance(t, IntegerType):
        return f"i{t.width.data}"
    return _FLOAT_NAMES[type(t)]


def fastmath(op: Operation) -> llvm.FastMathAttr:
    flags = op.properties.get("fastmath")
    if isinstance(flags, arith.FastMathFlagsAttr):
        return llvm.FastMathAttr([FastMathFlag(f) for f in flags.data])
    return llvm.FastMathAttr(None)


def unsigned_to_float(op: arith.UIToFPOp) -> list[Operation]:
    src = op.input.type
    assert isinstance(src, IntegerType)
    if src.width.data < 64:
        wide = llvm.ZExtOp(op.input, i64)
        return [wide, llvm.SIToFPOp(wide.res, op.result.type)]
    # Values with the top bit set: halve (keeping the lost bit as a sticky bit, so the one
    # rounding is still exact), convert as signed, double.
    t = op.result.type
    conv = llvm.SIToFPOp(op.input, t)
    zero = llvm.ConstantOp(IntegerAttr(0, i64), i64)
    one = llvm.ConstantOp(IntegerAttr(1, i64), i64)
    neg = llvm.ICmpOp(op.input, zero.result, IntegerAttr(2, 64))  # slt
    half = llvm.LShrOp(op.input, one.result)
    sticky = llvm.AndOp(op.input, one.result)
    halved = llvm.OrOp(half.res, sticky.res)
    conv_half = llvm.SIToFPOp(halved.res, t)
    doubled = llvm.FAddOp(conv_half.results[0], conv_half.results[0])
    pick = llvm.SelectOp(neg.res, doubled.res, conv.results[0])
    return [conv, zero, one, neg, half, sticky, halved, conv_half, doubled, pick]


def lower(op: Operation) -> list[Operation] | None:
    """The llvm ops replacing `op` (its result is the last op's first result)."""
    t = type(op)
    if t in _INT_BINARY:
        return [_INT_BINARY[t](op.operands[0], op.operands[1])]  # type: ignore[call-arg]
    if t in _FLOAT_BINARY:
        return [_FLOAT_BINARY[t](op.operands[0], op.operands[1], fastmath(op))]  # type: ignore[call-arg]
    if t in _INTRINSIC_BINARY:
        name = f"{_INTRINSIC_BINARY[t]}.{type_suffix(op.results[0].type)}"
        return [llvm.CallIntrinsicOp(name, list(op.operands), [op.results[0].type])]
    if t in _CASTS:
        return [_CASTS[t](op.operands[0], op.results[0].type)]  # type: ignore[call-arg]
    if t in _INT_CASTS:
        return [_INT_CASTS[t](op.operands[0], op.results[0].type)]  # type: ignore[call-arg]
    match op:
        case arith.ConstantOp():
            return [llvm.ConstantOp(op.value, op.result.type)]
        case arith.NegfOp():
            return [llvm.FNegOp(op.operand, fastmath(op))]
        case arith.CmpiOp():
            return [llvm.ICmpOp(op.lhs, op.rhs, IntegerAttr(op.predicate.value.data, 64))]
        case arith.CmpfOp():
            return [llvm.FCmpOp(op.lhs, op.rhs, IntegerAttr(op.predicate.value.data, 64))]
        case arith.SelectOp():
            return [llvm.SelectOp(op.cond, op.lhs, op.rhs)]
        case arith.FPToSIOp() | arith.FPToUIOp():
            sign = "u" if isinstance(op, arith.FPToUIOp) else "s"
            dst, src = op.result.type, op.input.type
            name = f"llvm.fpto{sign}i.sat.{type_suffix(dst)}.{type_suffix(src)}"
            return [llvm.CallIntrinsicOp(name, [op.input], [dst])]
        case arith.UIToFPOp():
            return unsigned_to_float(op)
        case _:
            return None


@dataclass(frozen=True)
class LowerArith(RewritePattern):
    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.dialect_name() != "arith":
            return
        new_ops = lower(op)
        if new_ops is None:
            return
        results: list[SSAValue] = list(new_ops[-1].results)
        rewriter.replace(op, new_ops, results)


@dataclass(frozen=True)
class ConvertArithToLlvm(ModulePass):
    """arith ops to llvm instructions and intrinsics, fast-math flags kept."""

    name = "convert-arith-to-llvm"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        rewrite_once(module, LowerArith())
