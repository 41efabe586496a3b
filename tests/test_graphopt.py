"""Graph optimisations keep the numbers: every example at every -O level, every op inside a
fused group, and the fused example graphs, all against the unoptimised reference run.

Tolerance: float results agree within rtol 1e-4, atol 1e-5 (bisect's RTOL/ATOL); folding a
batch_norm into conv weights reorders float32 arithmetic, exactness is not expected.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.ir import Block, Region
from xdsl.traits import ConstantLike

import nnvm_dialect
from nnvm_dialect import plugins
from nnvm_dialect.bisect import ATOL, RTOL, bisect, close
from nnvm_dialect.compiler import CompiledModel, CompileError
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import OpPattern, example, reference
from nnvm_dialect.frontend.mlir import make_context
from nnvm_dialect.ops import NNVM, NnvmOp
from nnvm_dialect.ops.base import build, tensor_type
from nnvm_dialect.ops.fused import FusedOp, YieldOp
from nnvm_dialect.reference import run_function
from nnvm_dialect.tools.nnvm_run import random_input
from nnvm_dialect.transforms.fuse_ops import FuseOps

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.mlir"))
PLUGINS = {"swish.mlir": [str(ROOT / "examples" / "my_ops.py")]}


def example_inputs(model: CompiledModel, path: Path) -> dict[str, np.ndarray]:
    stored = path.with_name(path.stem + "_inputs.npz")
    if stored.exists():
        with np.load(stored) as archive:
            return {k: archive[k] for k in archive.files}
    rng = np.random.default_rng(0)
    return {n: random_input(n, t, rng) for n, t in zip(model.input_names, model.input_types)}


def assert_close(got: list[np.ndarray], want: list[np.ndarray], what: str) -> None:
    assert len(got) == len(want), what
    for i, (a, b) in enumerate(zip(got, want)):
        assert a.shape == b.shape and a.dtype == b.dtype, f"{what}: output {i}"
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"{what}: output {i}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_compute_the_same_at_every_level(path: Path) -> None:
    plugin_files = PLUGINS.get(path.name, [])
    base = nnvm_dialect.compile(path, plugin_files=plugin_files, opt_level=0)
    inputs = example_inputs(base, path)
    want = base.run(**inputs)
    for level in (1, 2, 3):
        model = nnvm_dialect.compile(path, plugin_files=plugin_files, opt_level=level)
        assert_close(model.run(**inputs), want, f"{path.name} at -O{level}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_fused_examples_run_like_unfused_ones(path: Path) -> None:
    for p in PLUGINS.get(path.name, []):
        plugins.load_plugin(p)
    model = nnvm_dialect.compile(path, opt_level=0)
    inputs = example_inputs(model, path)
    want = model.run(**inputs)
    FuseOps().apply(make_context(), model.module)
    fused = [op for op in model.module.walk() if isinstance(op, FusedOp)]
    assert fused, f"{path.name}: fuse-ops made no group"
    model.module.verify()
    assert_close(model.run(**inputs), want, f"{path.name} fused")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bisect_finds_no_culprit_in_the_real_pipeline(path: Path) -> None:
    for p in PLUGINS.get(path.name, []):
        plugins.load_plugin(p)
    model = nnvm_dialect.compile(path, opt_level=0)
    names, culprit = bisect(make_context(), model.module, example_inputs(model, path), 3)
    assert "fuse-ops" in names
    assert culprit is None, f"{culprit.pass_name} changed output {culprit.output}"


GRAPH_OPS = sorted(
    (op for op in [*NNVM.operations, *plugins.OPS] if issubclass(op, NnvmOp)),
    key=lambda op: op.name,
)


@pytest.mark.parametrize("cls", GRAPH_OPS, ids=lambda op: op.name)
def test_every_op_runs_the_same_inside_a_fused_group(cls: type[NnvmOp]) -> None:
    """Each op alone in a fused body, fed by function arguments, gives what it gives alone."""
    make = example.lookup(cls)
    if make is None:
        pytest.skip(f"{cls.name} has no example")
    if cls.has_trait(ConstantLike):
        pytest.skip("fuse-ops never puts a constant in a group: it is an input")
    for seed in range(3):
        ex = make(np.random.default_rng(seed))
        types = [tensor_type(a.shape, from_numpy(a.dtype)) for a in ex.operands]
        body = Block(arg_types=types)
        inner = build(cls, body.args, ex.properties, ex.num_results)
        body.add_ops([inner, YieldOp(inner.results)])
        outer = Block(arg_types=types)
        fused = FusedOp(outer.args, Region(body), inner.result_types, OpPattern.OPAQUE, 0)
        outer.add_ops([fused, func.ReturnOp(*fused.results)])
        fn = func.FuncOp("f", FunctionType.from_lists(types, inner.result_types), Region(outer))
        module = ModuleOp([fn])
        module.verify()
        got = run_function(fn, ex.operands)
        alone = build(cls, Block(arg_types=types).args, ex.properties, ex.num_results)
        semantics = reference.lookup(alone)
        assert semantics is not None
        out = semantics(alone, *ex.operands)
        want = [out] if isinstance(out, np.ndarray) else list(out)
        for a, b in zip(got, want):
            assert close(a, b), f"{cls.name} seed {seed}"


def test_the_cnn_fuses_each_conv_with_what_follows() -> None:
    model = nnvm_dialect.compile(ROOT / "examples" / "cnn.mlir", opt_level=1)
    groups = [op for op in model.module.walk() if isinstance(op, FusedOp)]
    masters = []
    for g in groups:
        body = list(g.block.ops)
        if g.pattern.data == "out_elemwise_fusable":
            masters.append(body[g.master.value.data].name)
            assert body[-2].name == "nnvm.relu", [o.name for o in body]
    assert masters == ["nnvm.conv2d", "nnvm.conv2d"]


def test_compile_rejects_an_unknown_level() -> None:
    with pytest.raises(CompileError, match="opt_level must be 0, 1, 2 or 3"):
        nnvm_dialect.compile(ROOT / "examples" / "cnn.mlir", opt_level=7)
