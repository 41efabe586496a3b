"""Reading `.mlir` input with every op located, for diagnostics that point at the source."""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import sys
from collections.abc import Callable

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr, UnknownLoc
from xdsl.ir import Block, Dialect, Operation, SSAValue
from xdsl.irdl import AttributeInvT
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.universe import Universe
from xdsl.utils.exceptions import ParseError, VerifyException
from xdsl.utils.lexer import Span
from xdsl.utils.mlir_lexer import MLIRLexer, MLIRTokenKind

from nnvm_dialect import plugins
from nnvm_dialect.diagnostics import Diagnostic
from nnvm_dialect.ops import NNVM

_COMMENT = re.compile(r"//[^\n]*")

# Workaround for xDSL 0.74: its string-literal regex nests `+` inside `*`, so an unterminated
# string (`nnvm.sig"moid ...`) backtracks exponentially in the length of the text after the
# quote. The same language with possessive quantifiers fails in linear time. Drop this when
# xDSL's `MLIRLexer._unescaped_characters_regex` no longer has the nested quantifier.
MLIRLexer._unescaped_characters_regex = re.compile(  # pyright: ignore[reportPrivateUsage]
    r'"(?:[^"\\\n\v\f]++|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*+"'
)


class LocatingParser(Parser):
    """Records where each op starts, as MLIR does, unless the source gives a `loc(...)`."""

    def __init__(self, ctx: Context, text: str, name: str, line_offset: int = 0):
        super().__init__(ctx, text, name)
        self.line_offset = line_offset
        self.first_use: dict[str, Span] = {}
        self.op_names: list[str | None] = []
        self.resource_keys: dict[tuple[str, str], str] = {}
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_col(self, pos: int) -> tuple[int, int]:
        """What `Span.get_location` gives, from a line index: it counts the newlines from the
        start of the file for every op, which made parsing quadratic."""
        line = bisect.bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def resolve_operand(self, operand: UnresolvedOperand, type: AttributeInvT) -> SSAValue:
        if operand.operand_name not in self.ssa_values:
            self.first_use.setdefault(operand.operand_name, operand.span)
        return super().resolve_operand(operand, type)

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        try:
            return super().parse_module(allow_implicit_module)
        except ParseError as e:
            undefined = [n for n in self.forward_ssa_references if n in self.first_use]
            if e.msg.startswith("values used but not defined") and undefined:
                name = undefined[0]
                raise ParseError(
                    self.first_use[name], f"use of undefined value '%{name}'"
                ) from None
            raise

    def _parse_dialect_resource_handle(
        self, dialect_name: str, interface: OpAsmDialectInterface
    ) -> str:
        # Blobs live in one store per process. xDSL renames a name another file already took,
        # but then loses track of the rename; keep one name per name in this file.
        key = self.parse_identifier(" for resource handle")
        if (dialect_name, key) not in self.resource_keys:
            actual = interface.declare_resource(key)
            self.resource_keys[dialect_name, key] = actual
            self.dialect_resources.add((dialect_name, actual))
        return self.resource_keys[dialect_name, key]

    def _parse_block(self) -> Block:
        # xDSL's own message here is just " in block definition".
        token = self._current_token
        if token.kind != MLIRTokenKind.CARET_IDENT:
            got = "the end of the input" if token.kind == MLIRTokenKind.EOF else f"'{token.text}'"
            self.raise_error(f"expected an operation or '}}' to close the region, got {got}")
        return super()._parse_block()

    def _get_op_by_name(self, name: str) -> type[Operation]:
        if self.op_names:
            self.op_names[-1] = name
        if op := self.ctx.get_optional_op(name, dialect_stack=self._parser_state.dialect_stack):
            return op
        known = [o.name for o in self.ctx.loaded_ops]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        # Point at the op name (just parsed, possibly quoted), not at the token after it.
        here = self._current_token.span.start
        at = self.lexer.input.content.rfind(name, 0, here)
        if at > 0 and self.lexer.input.content[at - 1] == '"':
            at -= 1
        self.raise_error(f"unknown op '{name}'{hint}", at if at >= 0 else None)

    def parse_operation(self) -> Operation:
        start_span = self._current_token.span
        line, col = self.line_col(start_span.start)
        self.op_names.append(None)
        try:
            op = super().parse_operation()
        except VerifyException as e:
            # Custom formats check attribute constraints while parsing (`units = "four"`).
            name = self.op_names[-1]
            message = " ".join(str(e).split())
            raise ParseError(start_span, f"'{name}' op {message}" if name else message) from None
        finally:
            self.op_names.pop()
        if isinstance(op.location, UnknownLoc):
            op.location = FileLineColLoc(
                StringAttr(start_span.input.name),
                IntAttr(line + self.line_offset),
                IntAttr(col),
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


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def source_name(path: str | None) -> str:
    """How diagnostics name an input; `-` or no path is standard input, as in mlir-opt."""
    return "<stdin>" if path in (None, "-") else str(path)


def read_source(path: str | None) -> str:
    """The input's text (standard input for `-` or None); an unreadable or non-UTF-8 file is a
    located error."""
    name = source_name(path)
    try:
        if name == "<stdin>":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot open input file: {e.strerror}", name)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(Diagnostic("input is not valid UTF-8", name, line, col)) from None


@functools.cache
def _xdsl_dialects() -> dict[str, Callable[[], Dialect]]:
    """xDSL's dialect factories: found through the installed entry points, which takes 0.1 s,
    so once per process rather than once per compile."""
    return dict(Universe.get_multiverse().all_dialects)


def make_context() -> Context:
    """A context that knows every xDSL dialect (loaded on first use), nnvm and the plugins'."""
    ctx = Context()
    for name, factory in _xdsl_dialects().items():
        ctx.register_dialect(name, factory)
    load_nnvm(ctx)
    return ctx
