"""The README's snippets run as written from the repository root, and it stands on its own."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)
PYTHON = [code for lang, code in BLOCKS if lang == "python"]
COMMANDS = [
    line
    for lang, code in BLOCKS
    if lang == ""
    for line in code.splitlines()
    if line.startswith(("nnvm-opt ", "nnvm-run ")) and "FILE" not in line
]
"""The cheap tool invocations of the README (not the install lines or usage synopses)."""


def environment() -> dict[str, str]:
    bin_dir = os.path.dirname(sys.executable)
    return {
        **os.environ,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
        "PYTHONPATH": str(ROOT),
    }


def test_the_readme_has_snippets_to_run() -> None:
    assert len(PYTHON) >= 3
    assert any(c.startswith("nnvm-opt --plugin") for c in COMMANDS)


@pytest.mark.parametrize("code", PYTHON, ids=[f"python-{i}" for i in range(len(PYTHON))])
def test_python_snippet_runs(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"README snippet failed:\n{code}\n{result.stderr}"


@pytest.mark.parametrize("command", COMMANDS)
def test_shell_command_runs(command: str) -> None:
    result = subprocess.run(
        shlex.split(command),
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert result.stdout.strip(), f"{command} printed nothing"


def test_the_readme_points_only_inside_the_repository() -> None:
    assert "../shared" not in README and "NNVM-FACTS" not in README
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), f"README links to {target}, which is not in the repository"
