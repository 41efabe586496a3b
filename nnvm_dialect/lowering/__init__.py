"""The CPU lowering: stages from nnvm on tensors to the llvm dialect, one file per stage.

Importing this package registers the `lowering` fact of the dialect's ops (loops_*.py).
"""

from xdsl.passes import ModulePass

from nnvm_dialect.lowering import (  # noqa: F401  (register the ops' lowerings)
    loops_elemwise,
    loops_fused,
    loops_index,
    loops_nn,
    loops_norm_pool,
    loops_onnx_elemwise,
    loops_reduce,
    loops_reinterpret,
    loops_transform,
    loops_window,
)
from nnvm_dialect.lowering.arith_to_llvm import ConvertArithToLlvm
from nnvm_dialect.lowering.cf_to_llvm import ConvertCfToLlvm
from nnvm_dialect.lowering.func_to_llvm import ConvertFuncToLlvm
from nnvm_dialect.lowering.index_to_i64 import ConvertIndexToI64
from nnvm_dialect.lowering.math_to_llvm import ConvertMathToLlvm
from nnvm_dialect.lowering.memref_to_llvm import ConvertMemrefToLlvm
from nnvm_dialect.lowering.nnvm_lower_cpu import NnvmLowerCpu
from nnvm_dialect.lowering.nnvm_to_loops import ConvertNnvmToLoops

LOWERING_PASSES: tuple[type[ModulePass], ...] = (
    ConvertNnvmToLoops,
    ConvertMemrefToLlvm,
    ConvertMathToLlvm,
    ConvertIndexToI64,
    ConvertArithToLlvm,
    ConvertCfToLlvm,
    ConvertFuncToLlvm,
    NnvmLowerCpu,
)
