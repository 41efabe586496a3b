"""`nnvm-lower-cpu`: the CPU pipeline, from nnvm on tensors to the llvm dialect.

Its stages, each a pass of its own that prints valid IR:

    infer-shape, infer-type            result types made static
    convert-nnvm-to-loops              buffers; scf loops of arith/math/memref (the ops' `lowering`)
    convert-scf-to-cf                  xDSL's: structured loops to blocks and branches
    convert-memref-to-llvm             !llvm.ptr, getelementptr, aligned llvm.load/store
    convert-math-to-llvm               llvm intrinsics and libm calls
    convert-index-to-i64               index is i64
    convert-arith-to-llvm              llvm instructions, fast-math flags kept
    convert-cf-to-llvm                 llvm.br / llvm.cond_br
    convert-func-to-llvm               llvm.func with noalias pointer arguments

nnvm-opt expands the pipeline into its stages, so `--print-between-passes` shows each.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.convert_scf_to_cf import ConvertScfToCf

from nnvm_dialect.lowering.arith_to_llvm import ConvertArithToLlvm
from nnvm_dialect.lowering.cf_to_llvm import ConvertCfToLlvm
from nnvm_dialect.lowering.func_to_llvm import ConvertFuncToLlvm
from nnvm_dialect.lowering.index_to_i64 import ConvertIndexToI64
from nnvm_dialect.lowering.math_to_llvm import ConvertMathToLlvm
from nnvm_dialect.lowering.memref_to_llvm import ConvertMemrefToLlvm
from nnvm_dialect.lowering.nnvm_to_loops import ConvertNnvmToLoops
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType


@dataclass(frozen=True)
class NnvmLowerCpu(ModulePass):
    """The CPU pipeline: nnvm on tensors to the llvm dialect, stage by stage."""

    name = "nnvm-lower-cpu"

    def stages(self) -> list[ModulePass]:
        return [
            InferShape(),
            InferType(),
            ConvertNnvmToLoops(),
            ConvertScfToCf(),
            ConvertMemrefToLlvm(),
            ConvertMathToLlvm(),
            ConvertIndexToI64(),
            ConvertArithToLlvm(),
            ConvertCfToLlvm(),
            ConvertFuncToLlvm(),
        ]

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        for stage in self.stages():
            stage.apply(ctx, module)
