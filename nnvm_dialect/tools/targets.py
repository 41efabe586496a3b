"""What `nnvm-opt -t NAME` can print: a registry from a name to an xDSL `Target`.

Only formats that work on this project's IR are offered (xDSL's own targets print riscv, wasm,
... dialects that an nnvm module never contains). A target registers itself with a factory that
imports its module only when the target is used, so the tool starts fast:

    def _llvm() -> type[Target]:
        from nnvm_dialect.lowering.to_llvm_ir import LLVMTarget
        return LLVMTarget

    register_target("llvm", _llvm, "LLVM IR of a module lowered by -p nnvm-lower-cpu")

Its `emit(ctx, module, output)` raises `TargetError` (with `require_lowered` for the usual case)
when the module is not in a form it can print; nnvm-opt reports that at the op, exit status 1.
A plugin registers a target the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.utils.target import Target


class TargetError(Exception):
    """The module cannot be printed by this target (not lowered far enough, ...)."""

    def __init__(self, message: str, op: Operation | None = None):
        super().__init__(message)
        self.message = message
        self.op = op


@dataclass(frozen=True)
class TargetEntry:
    factory: Callable[[], type[Target]]
    doc: str


TARGETS: dict[str, TargetEntry] = {}


def register_target(name: str, factory: Callable[[], type[Target]], doc: str) -> None:
    """Offer `-t name`; `factory` returns the Target class (importing it lazily)."""
    if name in TARGETS:
        raise ValueError(f"target '{name}' is already registered")
    TARGETS[name] = TargetEntry(factory, doc)


def require_lowered(
    module: ModuleOp, dialects: Collection[str], target: str, how: str = ""
) -> None:
    """Raise TargetError at the first op outside `dialects` (`builtin` is always allowed)."""
    allowed = {"builtin", *dialects}
    for op in module.walk():
        dialect = op.name.split(".", 1)[0]
        if dialect not in allowed:
            hint = f" ({how})" if how else ""
            raise TargetError(
                f"is not lowered far enough for target '{target}', which prints only "
                f"{', '.join(sorted(dialects))} ops{hint}",
                op,
            )


def _mlir() -> type[Target]:
    from xdsl.targets.mlir import MLIRTarget

    return MLIRTarget


register_target("mlir", _mlir, "the IR as MLIR text (default)")


@dataclass(frozen=True)
class _GraphTarget(Target):
    """Graph exports; an op they cannot describe is a TargetError at that op."""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.diagnostics import OpError
        from nnvm_dialect.frontend import FrontendError

        try:
            self.write(module, output)
        except OpError as e:
            raise TargetError(e.message, e.op) from None
        except FrontendError as e:
            raise TargetError("; ".join(d.message for d in e.diagnostics)) from None

    def write(self, module: ModuleOp, output: IO[str]) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class JsonTarget(_GraphTarget):
    name = "json"

    def write(self, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.frontend.nnvm_json import write_json

        write_json(module, output)


@dataclass(frozen=True)
class DotTarget(_GraphTarget):
    name = "dot"

    def write(self, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.frontend.dot import write_dot

        write_dot(module, output)


register_target("json", lambda: JsonTarget, "NNVM graph JSON with shapes, dtypes, storage ids")
register_target("dot", lambda: DotTarget, "a Graphviz graph of each function")


@dataclass(frozen=True)
class _Lowered(Target):
    """The CPU targets, whose refusals become TargetErrors at the op."""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.lowering.to_llvm_ir import NotLowered
        from nnvm_dialect.runtime.cpu import CpuError

        try:
            self.inner().emit(ctx, module, output)
        except NotLowered as e:
            raise TargetError(e.message, e.op) from None
        except CpuError as e:
            raise TargetError(str(e)) from None

    def inner(self) -> Target:
        raise NotImplementedError


@dataclass(frozen=True)
class LLVMTarget(_Lowered):
    name = "llvm"

    def inner(self) -> Target:
        from nnvm_dialect.lowering.to_llvm_ir import LLVMTarget

        return LLVMTarget()


@dataclass(frozen=True)
class AsmTarget(_Lowered):
    name = "asm"
    opt_level: int = 2

    def inner(self) -> Target:
        from nnvm_dialect.lowering.to_llvm_ir import AsmTarget

        return AsmTarget(self.opt_level)


register_target("llvm", lambda: LLVMTarget, "LLVM IR of a module lowered by -p nnvm-lower-cpu")
register_target("asm", lambda: AsmTarget, "host assembly of a module lowered by -p nnvm-lower-cpu")
