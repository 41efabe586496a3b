"""The CPU target end to end: examples, fused groups, memory plans, the cache, the boundary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnvm_dialect import plugins
from nnvm_dialect.compiler import CompileError, compile, load_module
from nnvm_dialect.frontend.mlir import make_context
from nnvm_dialect.runtime import cpu, cpu_model
from nnvm_dialect.transforms.fuse_ops import FuseOps

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
RTOL, ATOL = 1e-4, 1e-5  # float32 models: a different summation order than numpy's


def random_inputs(model, seed: int = 0) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    from nnvm_dialect.dtypes import to_numpy
    from nnvm_dialect.ops.base import dtype_of, shape_of

    return [
        rng.uniform(-1, 1, shape_of(t)).astype(to_numpy(dtype_of(t)))  # type: ignore[arg-type]
        for t in model.input_types
    ]


def check_same(path: Path | str, text: str | None = None, fuse: bool = False) -> None:
    """The CPU target and the reference agree on `path` (fused first if asked)."""
    module = load_module(path)
    if fuse:
        from nnvm_dialect.transforms.infer_shape import InferShape
        from nnvm_dialect.transforms.infer_type import InferType

        ctx = make_context()
        for p in (InferShape(), InferType(), FuseOps()):
            p.apply(ctx, module)
    ref = compile(module.clone(), target="reference")
    fast = compile(module, target="cpu", cache=False)
    inputs = random_inputs(ref)
    for want, have in zip(ref.run(*inputs), fast.run(*inputs)):
        np.testing.assert_allclose(have, want, RTOL, ATOL)


@pytest.mark.parametrize("name", ["cnn.mlir", "swish.mlir"])
@pytest.mark.parametrize("fuse", [False, True])
def test_examples_match_the_reference(name: str, fuse: bool) -> None:
    check_same(EXAMPLES / name, fuse=fuse)


GROUPS = """
func.func @groups(%a: tensor<4x6xf32>, %b: tensor<6xf32>, %w: tensor<5x6xf32>, %x: tensor<1x3x8x8xf32>, %k: tensor<4x3x3x3xf32>, %s: tensor<4xf32>) -> (tensor<4x6xf32>, tensor<4x5xf32>, tensor<1x4x8x8xf32>, tensor<4xf32>) {
  %m = nnvm.broadcast_mul %a, %b : (tensor<4x6xf32>, tensor<6xf32>) -> tensor<4x6xf32>
  %e = nnvm.exp %m : (tensor<4x6xf32>) -> tensor<4x6xf32>
  %t = nnvm.tanh %e : (tensor<4x6xf32>) -> tensor<4x6xf32>
  %d = nnvm.dense %t, %w {units = 5, use_bias = false} : (tensor<4x6xf32>, tensor<5x6xf32>) -> tensor<4x5xf32>
  %n = nnvm.negative %d : (tensor<4x5xf32>) -> tensor<4x5xf32>
  %r = nnvm.sigmoid %n : (tensor<4x5xf32>) -> tensor<4x5xf32>
  %c = nnvm.conv2d %x, %k {channels = 4, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %cs = nnvm.expand_dims %s {axis = 1, num_newaxis = 2} : (tensor<4xf32>) -> tensor<4x1x1xf32>
  %cb = nnvm.broadcast_add %c, %cs : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %cr = nnvm.relu %cb : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %sum = nnvm.sum %t {axis = array<i64: 1>} : (tensor<4x6xf32>) -> tensor<4xf32>
  %sq = nnvm.sqrt %sum : (tensor<4xf32>) -> tensor<4xf32>
  func.return %t, %r, %cr, %sq : tensor<4x6xf32>, tensor<4x5xf32>, tensor<1x4x8x8xf32>, tensor<4xf32>
}
"""


def test_fused_groups_match_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "groups.mlir"
    path.write_text(GROUPS)
    check_same(path, fuse=True)
    check_same(path, fuse=False)


PLANNED = """
func.func @planned(%x: tensor<256xf32>) -> tensor<256xf32> {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>} : (tensor<256xf32>) -> tensor<256xf32>
  %b = nnvm.negative %a {nnvm.storage_offset = array<i64: 1024>} : (tensor<256xf32>) -> tensor<256xf32>
  %c = nnvm.tanh %b {nnvm.storage_offset = array<i64: 0>} : (tensor<256xf32>) -> tensor<256xf32>
  %d = nnvm.elemwise_add %c, %b {nnvm.storage_offset = array<i64: -1>} : (tensor<256xf32>, tensor<256xf32>) -> tensor<256xf32>
  func.return %d : tensor<256xf32>
}
"""


def test_memory_plan_offsets_are_used(tmp_path: Path) -> None:
    """plan-memory's offsets place intermediates in one arena; %a and %c share bytes 0-1023."""
    path = tmp_path / "planned.mlir"
    arena = ") -> tensor<256xf32> attributes {nnvm.arena_size = 2048 : i64} {\n"
    path.write_text(PLANNED.replace(") -> tensor<256xf32> {\n", arena, 1))
    module = load_module(path)
    lowered = cpu.lower(module)
    fn = next(iter(lowered.ops))
    assert fn.attributes["nnvm.arena_size"].value.data == 2048  # type: ignore[union-attr]
    check_same(path)


def test_second_compile_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = EXAMPLES / "cnn.mlir"
    first = compile(path, target="cpu")
    files = sorted(p.name for p in (tmp_path / "nnvm-dialect").iterdir())
    assert any(f.endswith(".o") for f in files)
    again = compile(path, target="cpu")
    # The very object compiled the first time: served from memory, not compiled again (how fast
    # that is belongs to benchmarks/cpu_vs_numpy.py, not a timed unit test).
    assert again.executable.compiled is first.executable.compiled  # type: ignore[union-attr]
    cpu.clear_memory_cache()  # a new process: from disk
    from_disk = compile(path, target="cpu")
    assert from_disk.executable.compiled is not first.executable.compiled  # type: ignore[union-attr]
    inputs = random_inputs(first)
    np.testing.assert_array_equal(first.run(*inputs)[0], from_disk.run(*inputs)[0])
    bypass = compile(path, target="cpu", cache=False)
    assert bypass.executable.compiled is not from_disk.executable.compiled  # type: ignore[union-attr]


def test_inputs_that_are_not_contiguous_are_copied() -> None:
    model = compile(EXAMPLES / "swish.mlir", target="cpu")
    x = np.random.default_rng(1).standard_normal((8, 2)).astype(np.float32).T
    w = np.random.default_rng(2).standard_normal((4, 8)).astype(np.float32)
    assert not x.flags.c_contiguous
    want = compile(EXAMPLES / "swish.mlir").run(np.ascontiguousarray(x), w)[0]
    np.testing.assert_allclose(model.run(x, w)[0], want, RTOL, ATOL)


def test_unknown_dims_name_the_argument_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "dyn.mlir"
    path.write_text(
        "func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {\n"
        "  %r = nnvm.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>\n"
        "  func.return %r : tensor<?x4xf32>\n}\n"
    )
    with pytest.raises(CompileError) as e:
        compile(path, target="cpu")
    message = str(e.value)
    assert f"{path}:1:1: error:" in message
    assert "argument 'x' has unknown dims (tensor<?x4xf32>)" in message
    assert "--input-shape x=" in message


def test_an_op_without_lowering_is_refused_where_it_is(tmp_path: Path) -> None:
    plugin = ROOT / "tests" / "plugins" / "no_semantics.py"
    plugins.load_plugin(str(plugin))
    path = tmp_path / "opaque.mlir"
    path.write_text(
        "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
        "  %r = opaque.identity %x : (tensor<4xf32>) -> tensor<4xf32>\n"
        "  func.return %r : tensor<4xf32>\n}\n"
    )
    with pytest.raises(CompileError) as e:
        compile(path, target="cpu", cache=False)
    assert (
        f"{path}:2:3: error: 'opaque.identity' op has no CPU lowering (stage convert-nnvm-to-loops)"
        in str(e.value)
    )


def test_nnvm_run_on_the_cpu_writes_outputs_and_times(tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    inputs = EXAMPLES / "cnn_inputs.npz"
    run = [sys.executable, "-m", "nnvm_dialect.tools.nnvm_run", str(EXAMPLES / "cnn.mlir")]
    args = ["--inputs", str(inputs), "--output", str(out), "--repeat", "3"]
    done = subprocess.run(
        [*run, "--target", "cpu", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "target cpu: compile" in done.stdout and "median of 3 runs" in done.stdout
    with np.load(inputs) as named:
        want = compile(EXAMPLES / "cnn.mlir").run(**{k: named[k] for k in named.files})
    with np.load(out) as got:
        np.testing.assert_allclose(got["output_0"], want[0], RTOL, ATOL)


EXP = """func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = nnvm.exp %x : (tensor<4x2xf32>) -> tensor<4x2xf32>
  func.return %r : tensor<4x2xf32>
}
"""


def test_a_call_the_jit_cannot_link_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exp is a call to libm's `expf`: found, it runs; missing, the model is refused by name
    instead of calling address 0."""
    path = tmp_path / "exp.mlir"
    path.write_text(EXP)
    x = np.linspace(-3, 3, 8, dtype=np.float32).reshape(4, 2)
    model = compile(path, target="cpu", cache=False)
    assert "expf" in cpu_model.undefined_symbols(model.executable.compiled.object)  # type: ignore[union-attr]
    np.testing.assert_allclose(model.run(x)[0], np.exp(x), RTOL, ATOL)
    found = cpu_model.resolvable
    monkeypatch.setattr(cpu_model, "resolvable", lambda name: name != "expf" and found(name))
    with pytest.raises(CompileError) as e:
        compile(path, target="cpu", cache=False)
    assert "calls 'expf', which no loaded library defines" in str(e.value)


def test_the_cpu_graph_is_fused_whatever_ran_before() -> None:
    """A fresh process compiling without the cache (nothing imported the lowering yet) still
    fuses: the graph must not depend on the order of imports."""
    script = (
        "from nnvm_dialect import compile\n"
        "from nnvm_dialect.ops.fused import FusedOp\n"
        "m = compile('examples/cnn.mlir', target='cpu', cache=False)\n"
        "print(sum(isinstance(o, FusedOp) for o in m.module.walk()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
