"""MLIR's `--verify-diagnostics`: `// expected-error {{text}}` comments against what was reported.

A comment checks the line it is on, or the one `@+N` / `@-N` lines away. Every expected
diagnostic must be produced on its line with the text in its message, and every produced one must
be expected; each mismatch is itself reported as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nnvm_dialect.diagnostics import Diagnostic

_EXPECTED = re.compile(
    r"expected-(?P<severity>error|warning|note|remark)(?:@(?P<where>[+-]\d+))?\s*\{\{(?P<text>.*?)\}\}"
)


@dataclass
class Expected:
    severity: str
    text: str
    line: int
    """The line the diagnostic is expected on."""
    comment_line: int
    """Where the comment is, with `col`: a diagnostic that is not produced is reported there."""
    col: int


def expected_diagnostics(text: str, line_offset: int) -> list[Expected]:
    found: list[Expected] = []
    for index, line in enumerate(text.splitlines()):
        for m in _EXPECTED.finditer(line):
            here = index + 1 + line_offset
            at = here + int(m["where"] or 0)
            found.append(Expected(m["severity"], m["text"], at, here, m.start() + 1))
    return found


def check_diagnostics(
    file: str, expected: list[Expected], produced: list[Diagnostic]
) -> list[Diagnostic]:
    """The mismatches between what the comments expect and what was produced."""
    unmatched = list(expected)
    problems: list[Diagnostic] = []
    for diag in produced:
        match = next(
            (
                e
                for e in unmatched
                if e.severity == diag.severity
                and e.line == diag.line
                and diag.file == file
                and e.text in diag.message
            ),
            None,
        )
        if match is None:
            problems.append(
                Diagnostic(
                    f"unexpected {diag.severity}: {diag.message}", diag.file, diag.line, diag.col
                )
            )
        else:
            unmatched.remove(match)
    for e in unmatched:
        message = f'expected {e.severity} "{e.text}" was not produced'
        problems.append(Diagnostic(message, file, e.comment_line, e.col))
    return problems
