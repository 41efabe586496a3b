"""docs/ops.md is the registry's op table; it must say what the registry says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nnvm_dialect.tools import ops_doc

ROOT = Path(__file__).resolve().parent.parent


def test_docs_ops_md_is_up_to_date() -> None:
    written = (ROOT / "docs" / "ops.md").read_text()
    generated = ops_doc.document(ops_doc.dialect_ops())
    assert written == generated, (
        f"docs/ops.md is out of date with the op registry; regenerate it with `{ops_doc.REGENERATE}`"
    )


def test_every_op_has_a_row_with_its_facts() -> None:
    ops = ops_doc.dialect_ops()
    table = ops_doc.markdown_table(ops)
    assert len(table.splitlines()) == len(ops) + 2
    dense = next(r for r in ops_doc.rows(ops) if r[0] == "nnvm.dense")
    assert dense[1] == "data, weight, [bias]"
    assert "use_bias = true" in dense[2] and "units" in dense[2].split(", ")
    assert "f32" in dense[3].split(", ")


def test_list_ops_shows_the_ops_and_their_count() -> None:
    tool = [sys.executable, "-m", "nnvm_dialect.tools.nnvm_opt"]
    plugin = ROOT / "examples" / "my_ops.py"
    result = subprocess.run(
        [*tool, "--list-ops", "--plugin", str(plugin)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    count = len(ops_doc.dialect_ops())
    assert lines[0] == f"{count + 1} ops ({count} nnvm, 1 from plugins):"
    assert "nnvm.dense(data, weight, [bias]) {units, use_bias = true}" in result.stdout
    assert any(line.startswith("myops.swish(data) {beta = 1}") for line in lines)
    markdown = subprocess.run(
        [*tool, "--list-ops", "--format", "markdown"], capture_output=True, text=True, cwd=ROOT
    )
    assert markdown.stdout == ops_doc.markdown_table(ops_doc.dialect_ops()) + "\n"
