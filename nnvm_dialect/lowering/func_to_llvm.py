"""`convert-func-to-llvm`: func.func/return/call to llvm.func/return/call.

Functions keep their bodies and attributes (`nnvm.abi`, ...). Every pointer argument is marked
`noalias`: the runtime passes distinct buffers for outputs and the arena, and inputs are only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, UnitAttr
from xdsl.ir import Attribute, Region
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from nnvm_dialect.lowering.rewrite import rewrite_once


def result_type(types: tuple[Attribute, ...] | list[Attribute]) -> Attribute:
    if not types:
        return llvm.LLVMVoidType()
    if len(types) == 1:
        return types[0]
    return llvm.LLVMStructType.from_type_list(list(types))


@dataclass(frozen=True)
class LowerFunc(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.FuncOp, rewriter: PatternRewriter) -> None:
        inputs = list(op.function_type.inputs.data)
        fn_type = llvm.LLVMFunctionType(inputs, result_type(op.function_type.outputs.data))
        body = Region()
        op.body.move_blocks(body)
        is_decl = not body.blocks
        new = llvm.FuncOp(
            op.sym_name.data,
            fn_type,
            linkage=llvm.LinkageAttr("external"),
            body=body,
        )
        if not is_decl:
            noalias = {"llvm.noalias": UnitAttr()}
            attrs = [
                DictionaryAttr(noalias if isinstance(t, llvm.LLVMPointerType) else {})
                for t in inputs
            ]
            new.arg_attrs = ArrayAttr(attrs)
        for name, value in op.attributes.items():
            new.attributes[name] = value
        rewriter.replace(op, new)


@dataclass(frozen=True)
class LowerReturn(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.ReturnOp, rewriter: PatternRewriter) -> None:
        if len(op.arguments) > 1:
            raise NotImplementedError("returning several values from a lowered function")
        rewriter.replace(op, llvm.ReturnOp(op.arguments[0] if op.arguments else None))


@dataclass(frozen=True)
class LowerCall(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: func.CallOp, rewriter: PatternRewriter) -> None:
        ret = list(op.result_types)
        call = llvm.CallOp(
            op.callee.string_value(), *op.arguments, return_type=ret[0] if ret else None
        )
        rewriter.replace(op, call)


@dataclass(frozen=True)
class ConvertFuncToLlvm(ModulePass):
    """func.func/return/call to llvm.func/return/call; pointer arguments noalias."""

    name = "convert-func-to-llvm"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        rewrite_once(module, LowerFunc(), LowerReturn(), LowerCall())
