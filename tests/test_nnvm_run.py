"""nnvm-run and compile(): outputs against numpy, and bad input answered without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnvm_dialect

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.mlir"))

DENSE = """
func.func @mlp(%x: tensor<3x4xf32>, %w: tensor<5x4xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  %d = nnvm.dense %x, %w, %b {units = 5} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<*xf32>
  %r = nnvm.relu %d : (tensor<*xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}
"""


def nnvm_run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nnvm_dialect.tools.nnvm_run", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def mlp_inputs(rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {
        "x": rng.standard_normal((3, 4)).astype(np.float32),
        "w": rng.standard_normal((5, 4)).astype(np.float32),
        "b": rng.standard_normal(5).astype(np.float32),
    }


def mlp_numpy(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.maximum(np.einsum("ik,jk->ij", x, w) + b, 0)


@pytest.fixture
def mlp(tmp_path: Path) -> Path:
    path = tmp_path / "mlp.mlir"
    path.write_text(DENSE)
    return path


def test_compile_runs_positionally_and_by_name(mlp: Path) -> None:
    model = nnvm_dialect.compile(mlp)
    inputs = mlp_inputs(np.random.default_rng(1))
    assert model.input_names == ["x", "w", "b"]
    (by_name,) = model.run(**inputs)
    (in_order,) = model.run(*inputs.values())
    np.testing.assert_allclose(by_name, mlp_numpy(**inputs), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(by_name, in_order)
    assert model.output_types[0].get_shape() == (3, 5)


def test_nnvm_run_reads_npz_and_writes_outputs(mlp: Path, tmp_path: Path) -> None:
    inputs = mlp_inputs(np.random.default_rng(2))
    np.savez(tmp_path / "in.npz", **inputs)
    out = tmp_path / "out.npz"
    result = nnvm_run(mlp, "--inputs", tmp_path / "in.npz", "--output", out, "--repeat", "3")
    assert result.returncode == 0, result.stderr
    assert "output_0: shape 3x5 dtype float32" in result.stdout
    assert "median of 3 runs" in result.stdout
    with np.load(out) as saved:
        np.testing.assert_allclose(saved["output_0"], mlp_numpy(**inputs), rtol=1e-5, atol=1e-6)


def test_nnvm_run_single_npy_inputs(mlp: Path, tmp_path: Path) -> None:
    inputs = mlp_inputs(np.random.default_rng(3))
    args: list[str | Path] = [mlp, "--output", tmp_path / "o.npz"]
    for name, value in inputs.items():
        np.save(tmp_path / f"{name}.npy", value)
        args += ["--input", f"{name}={tmp_path / name}.npy"]
    result = nnvm_run(*args)
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "o.npz") as saved:
        np.testing.assert_allclose(saved["output_0"], mlp_numpy(**inputs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_runs_on_the_reference_target(example: Path, tmp_path: Path) -> None:
    result = nnvm_run(example, "--random-inputs", "0", "--output", tmp_path / "o.npz")
    assert result.returncode == 0, result.stderr
    model = nnvm_dialect.compile(example)
    with np.load(tmp_path / "o.npz") as saved:
        assert len(saved.files) == len(model.output_types)
        for i, t in enumerate(model.output_types):
            assert saved[f"output_{i}"].shape == tuple(t.get_shape())
            assert np.isfinite(saved[f"output_{i}"]).all()
    assert "output_0: shape" in result.stdout and "target reference" in result.stdout


def test_cnn_softmax_output_is_a_distribution(tmp_path: Path) -> None:
    result = nnvm_run(
        ROOT / "examples/cnn.mlir", "--random-inputs", "7", "--output", tmp_path / "o.npz"
    )
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "o.npz") as saved:
        probs = saved["output_0"]
    assert probs.shape == (1, 10)
    np.testing.assert_allclose(probs.sum(), 1.0, rtol=1e-5)


def test_plugin_op_runs(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 8)).astype(np.float32)
    w = rng.standard_normal((4, 8)).astype(np.float32)
    np.savez(tmp_path / "in.npz", x=x, w=w)
    plugin = ROOT / "examples/my_ops.py"
    result = nnvm_run(
        "--plugin",
        plugin,
        ROOT / "examples/swish.mlir",
        "--inputs",
        tmp_path / "in.npz",
        "--output",
        tmp_path / "o.npz",
    )
    assert result.returncode == 0, result.stderr
    expected = (x * (1 / (1 + np.exp(-x)))) @ w.T
    with np.load(tmp_path / "o.npz") as saved:
        np.testing.assert_allclose(saved["output_0"], expected, rtol=1e-5, atol=1e-5)


ARRAYS = {
    "x": np.zeros((3, 4), np.float32),
    "w": np.zeros((5, 4), np.float32),
    "b": np.zeros(5, np.float32),
    "x_transposed": np.zeros((4, 3), np.float32),
    "x_float64": np.zeros((3, 4), np.float64),
}

BAD_RUNS = {
    "missing input": (["--input", "x=x"], "missing input 'w'"),
    "unknown input": (["--random-inputs", "0", "--input", "zz=x"], "unknown input 'zz'"),
    "wrong shape": (
        ["--input", "x=x_transposed", "--input", "w=w", "--input", "b=b"],
        "input 'x' has shape 4x3, expected 3x4",
    ),
    "wrong dtype": (
        ["--input", "x=x_float64", "--input", "w=w", "--input", "b=b"],
        "input 'x' has dtype float64, expected float32",
    ),
    "unknown target": (
        ["--target", "tpu", "--random-inputs", "0"],
        "target 'tpu' is not available",
    ),
    "bad --input": (["--input", "x"], "--input takes NAME=FILE.npy"),
    "unreadable npz": (["--inputs", "missing.npz"], "cannot read inputs"),
}


@pytest.mark.parametrize("case", sorted(BAD_RUNS))
def test_bad_run_is_a_clear_error(case: str, mlp: Path, tmp_path: Path) -> None:
    args, message = BAD_RUNS[case]
    for key, value in ARRAYS.items():
        np.save(tmp_path / f"{key}.npy", value)

    def in_tmp(arg: str) -> str:
        """NAME=array becomes NAME=<tmp>/array.npy; a bare .npz name is put in tmp."""
        name, sep, array = arg.partition("=")
        if sep:
            return f"{name}={tmp_path / array}.npy"
        return str(tmp_path / arg) if arg.endswith(".npz") else arg

    result = nnvm_run(mlp, *map(in_tmp, args))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unparsable_file_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f(%x: tensor<2xf32>) {\n  %y = nnvm.relu %x : (tensor<2xf32>\n}\n")
    result = nnvm_run(bad, "--random-inputs", "0")
    assert result.returncode == 1
    assert f"{bad}:3:1: error: Expected ')'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = nnvm_run(tmp_path / "nope.mlir")
    assert result.returncode == 1
    assert "nope.mlir: error: cannot open input file" in result.stderr


def test_op_without_semantics_is_named(tmp_path: Path) -> None:
    model = tmp_path / "m.mlir"
    model.write_text(
        "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
        "  %y = opaque.identity %x : (tensor<2xf32>) -> tensor<2xf32>\n"
        "  func.return %y : tensor<2xf32>\n}\n"
    )
    result = nnvm_run(
        "--plugin", ROOT / "tests/plugins/no_semantics.py", model, "--random-inputs", "0"
    )
    assert result.returncode == 1
    assert f"{model}:2:3: error: 'opaque.identity' op has no reference semantics" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_plugin_is_located(tmp_path: Path) -> None:
    plugin = tmp_path / "broken.py"
    plugin.write_text("x = 1\nraise RuntimeError('boom')\n")
    result = nnvm_run("--plugin", plugin, ROOT / "examples/cnn.mlir")
    assert result.returncode == 1
    assert f"{plugin}:2:1: error: loading the plugin failed: RuntimeError: boom" in result.stderr


def test_compile_error_carries_located_diagnostics(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(DENSE.replace("tensor<5x4xf32>", "tensor<5x6xf32>"))
    with pytest.raises(nnvm_dialect.CompileError) as info:
        nnvm_dialect.compile(bad)
    (diag,) = info.value.diagnostics
    assert (diag.file, diag.line) == (str(bad), 3)
    assert "data has 4 input features" in diag.message


def test_compile_with_a_plugin_twice_in_one_process(tmp_path: Path) -> None:
    plugin = str(ROOT / "examples/my_ops.py")
    x = np.linspace(-2, 2, 16, dtype=np.float32).reshape(2, 8)
    w = np.eye(4, 8, dtype=np.float32)
    for _ in range(2):
        model = nnvm_dialect.compile(ROOT / "examples/swish.mlir", plugin_files=[plugin])
        (out,) = model.run(x=x, w=w)
        np.testing.assert_allclose(out, (x / (1 + np.exp(-x)))[:, :4], rtol=1e-5, atol=1e-6)
