"""Output targets for `nnvm-opt -t NAME`: a registry from name to xDSL Target class.

Each subsystem registers its own (`json` and `dot` here; the CPU lowering adds `llvm`, `asm`).
A target that cannot emit a module (not lowered far enough, a foreign op) raises FrontendError
or OpError with a message for the user; nnvm-opt prints it and exits with status 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

TARGETS: dict[str, Callable[[], type[Target]]] = {}


def register_target(cls: type[Target]) -> type[Target]:
    TARGETS[cls.name] = lambda: cls
    return cls


@register_target
@dataclass(frozen=True)
class JsonTarget(Target):
    """NNVM graph JSON with inferred shapes and dtypes, and the storage plan when present."""

    name = "json"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.frontend.nnvm_json import write_json

        write_json(module, output)


@register_target
@dataclass(frozen=True)
class DotTarget(Target):
    """A Graphviz graph of each function."""

    name = "dot"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from nnvm_dialect.frontend.dot import write_dot

        write_dot(module, output)
