"""nnvm-dialect: NNVM's graph IR rebuilt as an xDSL dialect."""

from nnvm_dialect.compiler import CompiledModel, CompileError, compile

__all__ = ["CompileError", "CompiledModel", "compile"]
