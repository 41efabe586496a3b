"""Every reader under fuzzing: mutated .mlir, .onnx and .json inputs to nnvm-opt and nnvm-run
end in success or a located error (status 1), never a traceback, a hang or a dead process.

A seeded sample runs here (about a minute); `python benchmarks/fuzz.py --count N` runs more.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import fuzz  # noqa: E402


def test_mutated_inputs_end_in_success_or_a_located_error() -> None:
    outcomes = fuzz.fuzz(count=240, seed=2026, timeout=30.0)
    bad = [
        f"{o.tool} {o.kind} {o.mutation}: {o.status}\n{o.stderr[-600:]}" for o in outcomes if o.bad
    ]
    assert not bad, "\n\n".join(bad)
    # The sample reaches every reader and both tools, and most inputs are rejected cleanly.
    assert {(o.tool, o.kind) for o in outcomes} >= {
        (tool, kind) for tool in ("nnvm-opt", "nnvm-run") for kind in ("mlir", "onnx", "json")
    }
    assert sum(o.status == "error" for o in outcomes) > len(outcomes) // 2


def test_a_stray_double_quote_is_an_error_not_a_hang(tmp_path: Path) -> None:
    text = fuzz.MLIR_SEED.replace("nnvm.relu", 'nnvm.relu "', 1)
    path = tmp_path / "quote.mlir"
    path.write_text(text)
    status, stderr = fuzz.run_tool("nnvm-opt", [str(path)], 30.0, str(tmp_path))
    assert status == "error", stderr
    assert "quote.mlir:" in stderr


def test_mutations_are_deterministic_for_a_seed() -> None:
    assert fuzz.inputs(30, 7) == fuzz.inputs(30, 7)
    assert fuzz.inputs(30, 7) != fuzz.inputs(30, 8)
