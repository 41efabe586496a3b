"""`nnvm-opt -t llvm` and `-t asm`: a module at the llvm dialect as LLVM IR or host assembly.

The module must have been lowered (`-p nnvm-lower-cpu`); anything else is refused, naming the
first op that is not in the llvm dialect. `-t llvm` prints the IR as translated by xDSL (weights
are arguments, so it stays small); `-t asm` prints what LLVM makes of it for this CPU after
optimisation (`-t 'asm{opt-level=3}'`), where the vector instructions of the loops show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.utils.target import Target


class NotLowered(Exception):
    """The module holds an op the target cannot print; `op` is it."""

    def __init__(self, message: str, op: Operation):
        super().__init__(message)
        self.message = message
        self.op = op


def require_llvm(module: ModuleOp, target: str) -> None:
    for op in module.walk():
        if op.name.split(".", 1)[0] not in ("builtin", "llvm"):
            raise NotLowered(
                f"is not lowered far enough for target '{target}', which prints only llvm "
                "dialect ops (run -p nnvm-lower-cpu first)",
                op,
            )


@dataclass(frozen=True)
class LLVMTarget(Target):
    """LLVM IR of a module lowered by -p nnvm-lower-cpu."""

    name = "llvm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.runtime.cpu import translate

        require_llvm(module, self.name)
        output.write(translate(module))


@dataclass(frozen=True)
class AsmTarget(Target):
    """Host assembly of a module lowered by -p nnvm-lower-cpu, after LLVM's optimisation."""

    name = "asm"
    opt_level: int = 2

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.runtime.cpu import assembly

        require_llvm(module, self.name)
        output.write(assembly(module, self.opt_level))


TARGETS: tuple[type[Target], ...] = (LLVMTarget, AsmTarget)
