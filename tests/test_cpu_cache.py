"""The CPU target's cache of whole compiles: a second compile of the same file comes from memory
or, in a new process, from disk without parsing, and behaves like the first; damaged or stale
entries and `cache=False` compile afresh. (How fast a hit is belongs to
benchmarks/compile_time.py, not to a timed test.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from nnvm_dialect import compiler
from nnvm_dialect.compiler import compile
from nnvm_dialect.reference import InputError
from nnvm_dialect.runtime import cpu, cpu_model

ROOT = Path(__file__).parent.parent

PARAMS = """builtin.module attributes {nnvm.params = "w.npz"} {
  func.func @main(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
    %w = nnvm.constant #nnvm.param<"w"> : tensor<3x4xf32>
    %y = nnvm.dense %x, %w {units = 3, use_bias = false} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
    %r = nnvm.relu %y : (tensor<2x3xf32>) -> tensor<2x3xf32>
    func.return %r : tensor<2x3xf32>
  }
}
"""
X = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)


def want(w: np.ndarray) -> np.ndarray:
    return np.maximum(X @ w.T, 0)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "nnvm-dialect"


@pytest.fixture
def with_params(tmp_path: Path) -> Path:
    path = tmp_path / "model.mlir"
    path.write_text(PARAMS)
    np.savez(tmp_path / "w.npz", w=np.arange(12, dtype=np.float32).reshape(3, 4) - 5)
    return path


def new_process() -> None:
    """What a new process knows: nothing compiled in memory."""
    cpu.clear_memory_cache()


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kw: object) -> None:
        raise AssertionError("parsed the model: the cache did not serve it")

    monkeypatch.setattr(compiler, "load_module", fail)


def test_a_disk_hit_parses_nothing_and_behaves_the_same(
    cache_home: Path, with_params: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = compile(with_params, target="cpu")
    new_process()
    with monkeypatch.context() as m:
        no_parsing(m)
        hit = compile(with_params, target="cpu")
        np.testing.assert_array_equal(hit.run(X)[0], first.run(X)[0])
        np.testing.assert_array_equal(
            hit.run(x=X)[0], want(np.load(with_params.parent / "w.npz")["w"])
        )
        assert hit.input_names == first.input_names == ["x"]
        assert hit.input_types == first.input_types
        assert hit.output_types == first.output_types
        for bad in ((X.T,), (X.astype(np.float64),)):
            with pytest.raises(InputError) as got:
                hit.run(*bad)
            with pytest.raises(InputError) as expected:
                first.run(*bad)
            assert str(got.value) == str(expected.value)
    # The IR, when asked for, is parsed and optimised then: the same function as the first's.
    assert str(hit.function) == str(first.function)
    assert hit.module.ops.first is not None


def test_a_memory_hit_shares_the_code_but_not_the_arena(
    cache_home: Path, with_params: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = compile(with_params, target="cpu")
    no_parsing(monkeypatch)
    again = compile(with_params, target="cpu")
    assert again.executable.compiled is first.executable.compiled
    assert again.executable.arena is not first.executable.arena
    np.testing.assert_array_equal(again.run(X)[0], first.run(X)[0])


def test_edited_weights_are_never_served_stale(
    cache_home: Path, with_params: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = with_params.parent / "w.npz"
    compile(with_params, target="cpu")
    w = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    np.savez(params, w=w)  # same size: the modification time tells
    stat = params.stat()
    import os

    os.utime(params, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    # From memory (this process compiled it) and from disk (a new process): both recompile.
    np.testing.assert_allclose(compile(with_params, target="cpu").run(X)[0], want(w), 1e-5, 1e-6)
    np.savez(params, w=2 * w)
    os.utime(params, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    new_process()
    np.testing.assert_allclose(
        compile(with_params, target="cpu").run(X)[0], want(2 * w), 1e-5, 1e-6
    )


@pytest.mark.parametrize(
    "damage", ["garbage description", "flipped object byte", "flipped weight byte", "no object"]
)
def test_a_damaged_entry_compiles_afresh(cache_home: Path, with_params: Path, damage: str) -> None:
    first = compile(with_params, target="cpu")
    (description,) = cache_home.glob("*.model.json")
    files = {ext: description.with_suffix(ext) for ext in (".json", ".o", ".weights")}
    if damage == "garbage description":
        files[".json"].write_text("{not json")
    elif damage == "no object":
        files[".o"].unlink()
    else:
        path = files[".o" if "object" in damage else ".weights"]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    # The function-level objects too, so that LLVM would run on anything damaged.
    for obj in cache_home.glob("*.o"):
        if not obj.name.endswith(".model.o"):
            data = bytearray(obj.read_bytes())
            data[len(data) // 2] ^= 0xFF
            obj.write_bytes(bytes(data))
    new_process()
    again = compile(with_params, target="cpu")
    assert again._module is not None  # parsed: compiled afresh, not served
    np.testing.assert_array_equal(again.run(X)[0], first.run(X)[0])
    new_process()  # the entry was written again: served from disk now
    hit = cpu_model.recall(
        cpu_model.compiled_model_key(with_params, (), None, compiler.DEFAULT_LEVEL, None)  # type: ignore[arg-type]
    )
    assert hit is not None
    np.testing.assert_array_equal(hit.run([X])[0], first.run(X)[0])


def test_no_cache_neither_reads_nor_writes(
    cache_home: Path, with_params: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile(with_params, target="cpu")
    written = sorted(cache_home.iterdir())

    def fail(key: str) -> None:
        raise AssertionError("cache=False asked the cache")

    monkeypatch.setattr(cpu_model, "recall", fail)
    model = compile(with_params, target="cpu", cache=False)
    assert sorted(cache_home.iterdir()) == written
    np.testing.assert_array_equal(model.run(X)[0], want(np.load(with_params.parent / "w.npz")["w"]))


def test_the_key_covers_options_plugins_and_bytes(tmp_path: Path, with_params: Path) -> None:
    plugin = tmp_path / "plugin.py"
    plugin.write_text("# a plugin\n")
    key = cpu_model.compiled_model_key
    base = key(with_params, [str(plugin)], None, 2, None)
    assert base == key(with_params, [str(plugin)], None, 2, None)
    others = {
        key(with_params, [str(plugin)], None, 3, None),
        key(with_params, [str(plugin)], "main", 2, None),
        key(with_params, [str(plugin)], None, 2, {"x": (2, 4)}),
        key(with_params, [], None, 2, None),
    }
    plugin.write_text("# a plugin, edited\n")
    others.add(key(with_params, [str(plugin)], None, 2, None))
    with_params.write_text(PARAMS.replace("relu", "sigmoid"))
    others.add(key(with_params, [], None, 2, None))
    assert base not in others and len(others) == 6
    assert key(tmp_path / "missing.mlir", [], None, 2, None) is None


def test_an_onnx_model_from_disk(cache_home: Path, tmp_path: Path) -> None:
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3) / 10, "w")
    nodes = [
        helper.make_node("MatMul", ["in:0", "w"], ["mm"]),
        helper.make_node("Tanh", ["mm"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("in:0", TensorProto.FLOAT, [2, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
        [w],
    )
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    first = compile(path, target="cpu")
    new_process()
    hit = compile(path, target="cpu")
    assert hit.input_names == ["in:0"] == first.input_names
    assert hit.executable.weights and isinstance(hit.executable.weights[0], np.memmap)
    np.testing.assert_allclose(
        hit.run(**{"in:0": X})[0], np.tanh(X @ numpy_helper.to_array(w)), 1e-5, 1e-6
    )


def test_a_new_process_runs_from_disk_without_the_lowering(cache_home: Path) -> None:
    """In a new process a hit imports none of the lowering stages and parses nothing.

    Both compiles run in fresh processes: plugins loaded here by other test modules are part of
    the key, as they should be."""
    path = ROOT / "examples" / "cnn.mlir"
    inputs = ROOT / "examples" / "cnn_inputs.npz"
    script = (
        "import sys, numpy as np\n"
        "from nnvm_dialect import compile\n"
        f"m = compile({str(path)!r}, target='cpu')\n"
        "if sys.argv[2] == 'hit':\n"
        "    assert m._module is None, 'parsed'\n"
        "    assert not any(k.startswith('nnvm_dialect.lowering') for k in sys.modules), 'lowered'\n"
        f"i = np.load({str(inputs)!r})\n"
        "np.save(sys.argv[1], m.run(**{k: i[k] for k in i.files})[0])\n"
    )
    outs = []
    for run in ("miss", "hit"):
        out = cache_home.parent / f"{run}.npy"
        done = subprocess.run(
            [sys.executable, "-c", script, str(out), run], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        outs.append(np.load(out))
    np.testing.assert_array_equal(outs[1], outs[0])
