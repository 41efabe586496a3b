"""Reading `.mlir` input with every op located, for diagnostics that point at the source."""

from __future__ import annotations

import re

from xdsl.context import Context
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr, UnknownLoc
from xdsl.ir import Operation
from xdsl.parser import Parser

from nnvm_dialect import plugins
from nnvm_dialect.ops import NNVM

_COMMENT = re.compile(r"//[^\n]*")


class LocatingParser(Parser):
    """Records where each op starts, as MLIR does, unless the source gives a `loc(...)`."""

    def __init__(self, ctx: Context, text: str, name: str, line_offset: int = 0):
        super().__init__(ctx, text, name)
        self.line_offset = line_offset

    def parse_operation(self) -> Operation:
        start = self._current_token.span.get_location()
        op = super().parse_operation()
        if isinstance(op.location, UnknownLoc):
            op.location = FileLineColLoc(
                StringAttr(start.file), IntAttr(start.line + self.line_offset), IntAttr(start.col)
            )
        return op


def parse_mlir(
    ctx: Context, text: str, name: str, line_offset: int = 0, implicit_module: bool = True
) -> ModuleOp:
    """Parse a module; input with nothing but comments is an empty module, as in MLIR."""
    if not _COMMENT.sub("", text).strip():
        return ModuleOp([])
    return LocatingParser(ctx, text, name, line_offset).parse_module(implicit_module)


def load_nnvm(ctx: Context) -> None:
    """Make the nnvm dialect and every plugin op and dialect known to `ctx`."""
    if ctx.get_optional_dialect("nnvm") is None:
        ctx.load_dialect(NNVM)
    for dialect in plugins.DIALECTS:
        if ctx.get_optional_dialect(dialect.name) is None:
            ctx.load_dialect(dialect)
    for op in plugins.OPS:
        if ctx.get_optional_op(op.name) is None:
            ctx.load_op(op)
