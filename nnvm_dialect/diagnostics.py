"""Diagnostics for the person who wrote the input: `file:line:col: error: message`.

xDSL reports verifier errors without a location and parse errors as tracebacks; the tools turn
both into located one-line errors with the source line and a caret under the place.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import FileLineColLoc, ModuleOp, NameLoc
from xdsl.ir import Operation
from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

_SOURCES: dict[str, list[str]] = {}


def remember_source(name: str, text: str) -> None:
    """Keep a file's lines so diagnostics can quote them."""
    _SOURCES[name] = text.splitlines()


class OpError(DiagnosticException):
    """A pass or runner found something wrong with `op`; the message is for the user."""

    def __init__(self, op: Operation, message: str):
        super().__init__(message)
        self.op = op
        self.message = message


@dataclass(frozen=True)
class Diagnostic:
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    severity: str = "error"
    node: str | None = None
    """An imported model's node (`node 'conv1' (Conv)`), where the op came from one."""

    def render(self) -> str:
        if self.file is None:
            return f"{self.severity}: {self.message}"
        if self.node is not None:
            return f"{self.file}: {self.node}: {self.severity}: {self.message}"
        if self.line is None:
            return f"{self.file}: {self.severity}: {self.message}"
        text = f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"
        lines = _SOURCES.get(self.file, [])
        if 0 < self.line <= len(lines) and self.col is not None:
            source = lines[self.line - 1]
            text += f"\n{source}\n{' ' * (self.col - 1)}^"
        return text


def op_location(op: Operation) -> FileLineColLoc | None:
    """Where `op` (or the nearest op around it) was written."""
    current: Operation | None = op
    while current is not None:
        loc = current.location
        while isinstance(loc, NameLoc):  # imported: loc("conv1"("Conv"("model.onnx":0:0)))
            loc = loc.location
        if isinstance(loc, FileLineColLoc):
            return loc
        current = current.parent_op()
    return None


def node_label(op: Operation) -> str | None:
    """`node 'conv1' (Conv)` for an op imported from a model's node."""
    current: Operation | None = op
    while current is not None:
        loc = current.location
        if isinstance(loc, NameLoc):
            kind = loc.location.desc.data if isinstance(loc.location, NameLoc) else None
            return f"node '{loc.desc.data}'" + (f" ({kind})" if kind else "")
        current = current.parent_op()
    return None


def at_op(
    op: Operation, message: str, file: str | None = None, severity: str = "error"
) -> Diagnostic:
    """A diagnostic about `op`, MLIR style: `'nnvm.dense' op <message>`."""
    text = f"'{op.name}' op {message}"
    loc = op_location(op)
    if loc is None:
        return Diagnostic(text, file, severity=severity)
    if loc.line.data == 0:  # an imported node has a name, not a line
        return Diagnostic(text, loc.filename.data, severity=severity, node=node_label(op))
    return Diagnostic(text, loc.filename.data, loc.line.data, loc.column.data, severity)


_REMARKS: list[Diagnostic] = []


def emit_remark(op: Operation, message: str) -> None:
    """A pass explains a decision at `op` (`fuse-ops{explain=true}`); the tool prints it."""
    _REMARKS.append(at_op(op, message, severity="remark"))


def take_remarks() -> list[Diagnostic]:
    """The remarks emitted since the last call, in order."""
    remarks = list(_REMARKS)
    _REMARKS.clear()
    return remarks


def from_parse_error(e: ParseError, line_offset: int = 0) -> Diagnostic:
    loc = e.span.get_location()
    return Diagnostic(e.msg, loc.file, loc.line + line_offset, loc.col)


def verify_message(e: Exception) -> str:
    message = str(e.args[0]) if e.args else type(e).__name__
    message = message.removeprefix("Operation does not verify: ")
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def verify_module(module: ModuleOp, file: str | None = None) -> list[Diagnostic]:
    """Verify every op on its own, so each failure is reported at its op."""
    diagnostics: list[Diagnostic] = []
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except VerifyException as e:
            diagnostics.append(at_op(op, verify_message(e), file))
        except Exception as e:  # a bug in a rule (perhaps a plugin's), shown at its op
            message = f"internal error in its verifier: {type(e).__name__}: {e}"
            diagnostics.append(at_op(op, message, file))
    return diagnostics
