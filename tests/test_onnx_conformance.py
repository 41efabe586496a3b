"""ONNX conformance in the suite: the light models and a deterministic sample of onnx's backend
test folders through import and the reference and cpu targets (benchmarks/onnx_conformance.py
runs all of them on every target and writes docs/conformance.md).

Every case must pass or be refused with a clean error: never a wrong result, never a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import onnx_conformance as conformance  # noqa: E402

MISSING_OP = "which this build"
"""The words of an error about an op the dialect does not have yet (still a clean refusal)."""


SCRIPT_ONLY = {"vgg19"}
"""VGG-19 (20 GFLOPs) takes minutes on the numpy reference; the script runs it."""


@pytest.mark.parametrize(
    "case",
    [c for c in conformance.collect("light") if c.name not in SCRIPT_ONLY],
    ids=lambda c: c.name,
)
def test_light_model_passes(case: conformance.Case) -> None:
    status, detail = conformance.run_isolated(case, "reference", timeout=300)
    if status == "unsupported" and MISSING_OP in detail:
        pytest.skip(detail.splitlines()[-1])
    assert status == "pass", detail


SAMPLE = {"node": 30, "pytorch-converted": 8, "pytorch-operator": 6, "simple": 4}
"""Cases per folder, on each target (every k-th case, so the same ones every run)."""

JOBS = 2
"""Children at a time: the CI machine has two cores."""


@pytest.fixture(scope="module")
def warm() -> None:
    """Children fork from this process: compiled once here, they start with the imports done."""
    conformance.warm_up(["reference", "cpu"])


@pytest.mark.parametrize("target", ["reference", "cpu"])
@pytest.mark.parametrize("folder", list(SAMPLE))
def test_sample_has_no_wrong_results_and_no_crashes(folder: str, target: str, warm: None) -> None:
    cases = conformance.sample(conformance.collect(folder), SAMPLE[folder])
    outcomes = conformance.run_many([(c, target, 120.0) for c in cases], JOBS)
    results = [(c.name, *outcome) for c, outcome in zip(cases, outcomes)]
    bad = [
        f"{name}: {status}: {detail[-800:]}"
        for name, status, detail in results
        if status in ("wrong", "crash")
    ]
    assert not bad, "\n".join(bad)
    # A refusal is a diagnostic for the user: it names the file.
    for name, status, detail in results:
        if status == "unsupported":
            assert "error:" in detail and "Traceback" not in detail, (name, detail)


def test_compare_checks_dtype_shape_and_values() -> None:
    import numpy as np

    a = np.array([1.0, 2.0], np.float32)
    assert conformance.compare([a], [a.copy()]) is None
    assert "dtype" in conformance.compare([a], [a.astype(np.float64)])
    assert "shape" in conformance.compare([a], [a.reshape(2, 1)])
    assert "difference" in conformance.compare([a], [a + 1e-2])
    assert conformance.compare([a], [a + 1e-6]) is None
    assert "values differ" in conformance.compare([np.array([1, 2])], [np.array([1, 3])])
