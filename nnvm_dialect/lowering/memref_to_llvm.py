"""`convert-memref-to-llvm`: flat buffers become `!llvm.ptr`, accesses getelementptr + load/store.

xDSL's memref -> ptr -> llvm route does address arithmetic with ptrtoint/add/inttoptr, which stops
LLVM's loop vectoriser. Here every access is `getelementptr inbounds` on the element type, and every
load and store carries an explicit alignment (the element size: numpy guarantees no more), so the
vector accesses LLVM makes of them are safe on numpy memory. Views into the arena are byte GEPs.
Indices are cast to i64 here; `convert-index-to-i64` removes the casts.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, llvm, memref
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    MemRefType,
    ModuleOp,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from nnvm_dialect.lowering.rewrite import retype, rewrite_once

_SIZES = {Float16Type: 2, Float32Type: 4, Float64Type: 8}


def element_size(t: Attribute) -> int:
    if isinstance(t, IntegerType):
        return max(1, t.width.data // 8)
    return _SIZES[type(t)]


def element_pointer(
    rewriter: PatternRewriter, op: Operation, ref: SSAValue, index: SSAValue, elt: Attribute
) -> SSAValue:
    """`&ref[index]` for elements of type `elt`, as ops inserted before `op`."""
    cast = arith.IndexCastOp(index, i64)
    gep = llvm.GEPOp(ref, [llvm.GEP_USE_SSA_VAL], elt, ssa_indices=[cast], inbounds=True)
    rewriter.insert_op([cast, gep], InsertPoint.before(op))
    return gep.result


@dataclass(frozen=True)
class LowerLoad(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.LoadOp, rewriter: PatternRewriter) -> None:
        elt = op.res.type
        ptr = element_pointer(rewriter, op, op.memref, op.indices[0], elt)
        rewriter.replace(op, llvm.LoadOp(ptr, elt, alignment=element_size(elt)))


@dataclass(frozen=True)
class LowerStore(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.StoreOp, rewriter: PatternRewriter) -> None:
        elt = op.value.type
        ptr = element_pointer(rewriter, op, op.memref, op.indices[0], elt)
        rewriter.replace(op, llvm.StoreOp(op.value, ptr, alignment=element_size(elt)))


@dataclass(frozen=True)
class LowerView(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.ViewOp, rewriter: PatternRewriter) -> None:
        cast = arith.IndexCastOp(op.byte_shift, i64)
        gep = llvm.GEPOp(
            op.source, [llvm.GEP_USE_SSA_VAL], IntegerType(8), ssa_indices=[cast], inbounds=True
        )
        rewriter.replace(op, [cast, gep])


def to_pointer(t: Attribute) -> Attribute | None:
    return llvm.LLVMPointerType() if isinstance(t, MemRefType) else None


@dataclass(frozen=True)
class ConvertMemrefToLlvm(ModulePass):
    """Buffers to !llvm.ptr; load/store/view to getelementptr + aligned llvm.load/store."""

    name = "convert-memref-to-llvm"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        rewrite_once(module, LowerLoad(), LowerStore(), LowerView())
        retype(module, to_pointer)
