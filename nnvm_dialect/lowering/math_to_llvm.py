"""`convert-math-to-llvm`: math ops to LLVM intrinsics, or libm calls where LLVM has none.

Intrinsics are called by their mangled name (`llvm.exp.f32`) through `llvm.call_intrinsic`, so
each type gets its own declaration; LLVM expands them to libm calls (resolved in the JIT from the
process) or inline code. The few functions with no intrinsic (erf, ...) are `llvm.call`s to the
C library (`erff`, `erf`), declared once per module.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import llvm
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import Float16Type, Float32Type, ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from nnvm_dialect.lowering.arith_to_llvm import type_suffix
from nnvm_dialect.lowering.rewrite import rewrite_once

INTRINSICS: dict[type[Operation], str] = {
    mathd.AbsFOp: "fabs",
    mathd.CeilOp: "ceil",
    mathd.CosOp: "cos",
    mathd.CoshOp: "cosh",
    mathd.ExpOp: "exp",
    mathd.Exp2Op: "exp2",
    mathd.FloorOp: "floor",
    mathd.LogOp: "log",
    mathd.Log10Op: "log10",
    mathd.Log2Op: "log2",
    mathd.RoundEvenOp: "roundeven",
    mathd.RoundOp: "round",
    mathd.SinOp: "sin",
    mathd.SinhOp: "sinh",
    mathd.SqrtOp: "sqrt",
    mathd.TanOp: "tan",
    mathd.TanhOp: "tanh",
    mathd.TruncOp: "trunc",
    mathd.AsinOp: "asin",
    mathd.AcosOp: "acos",
    mathd.AtanOp: "atan",
    mathd.PowFOp: "pow",
    mathd.CopySignOp: "copysign",
    mathd.Atan2Op: "atan2",
    mathd.FmaOp: "fma",
}
LIBM: dict[type[Operation], str] = {
    mathd.ErfOp: "erf",
    mathd.CbrtOp: "cbrt",
    mathd.ExpM1Op: "expm1",
    mathd.Log1pOp: "log1p",
    mathd.AsinhOp: "asinh",
    mathd.AcoshOp: "acosh",
    mathd.AtanhOp: "atanh",
}


@dataclass
class LowerMath(RewritePattern):
    module: ModuleOp
    declared: set[str]

    def declare(self, name: str, args: list[Attribute], result: Attribute) -> None:
        if name in self.declared:
            return
        self.declared.add(name)
        fn_type = llvm.LLVMFunctionType(args, result)
        decl = llvm.FuncOp(name, fn_type, linkage=llvm.LinkageAttr("external"))
        block = self.module.body.block
        if block.first_op is None:
            block.add_op(decl)
        else:
            block.insert_op_before(decl, block.first_op)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        t = type(op)
        result_type = op.results[0].type if op.results else None
        if t in INTRINSICS:
            name = f"llvm.{INTRINSICS[t]}.{type_suffix(result_type)}"  # type: ignore[arg-type]
            rewriter.replace(op, llvm.CallIntrinsicOp(name, list(op.operands), [result_type]))  # type: ignore[list-item]
        elif t in LIBM:
            # libm has float and double versions; half goes through float.
            half = isinstance(result_type, Float16Type)
            ops: list[Operation] = []
            args = list(op.operands)
            call_type = Float32Type() if half else result_type
            if half:
                ops += [llvm.FPExtOp(a, call_type) for a in args]
                args = [o.results[0] for o in ops]
            name = LIBM[t] + ("f" if isinstance(call_type, Float32Type) else "")
            self.declare(name, [a.type for a in args], call_type)  # type: ignore[arg-type]
            ops.append(llvm.CallOp(name, *args, return_type=call_type))
            if half:
                ops.append(llvm.FPTruncOp(ops[-1].results[0], result_type))
            rewriter.replace(op, ops)
        elif t is mathd.RsqrtOp:
            sqrt = llvm.CallIntrinsicOp(
                f"llvm.sqrt.{type_suffix(result_type)}",  # type: ignore[arg-type]
                list(op.operands),
                [result_type],  # type: ignore[list-item]
            )
            one = llvm.ConstantOp(_one(result_type), result_type)  # type: ignore[arg-type]
            rewriter.replace(op, [sqrt, one, llvm.FDivOp(one.result, sqrt.results[0])])


def _one(t):  # type: ignore[no-untyped-def]
    from xdsl.dialects.builtin import FloatAttr

    return FloatAttr(1.0, t)


@dataclass(frozen=True)
class ConvertMathToLlvm(ModulePass):
    """math ops to llvm intrinsics (llvm.exp.f32, ...) or libm calls (erff, ...)."""

    name = "convert-math-to-llvm"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        declared = {op.sym_name.data for op in module.ops if isinstance(op, llvm.FuncOp)}
        rewrite_once(module, LowerMath(module, declared))


__all__ = ["ConvertMathToLlvm", "InsertPoint"]
