"""plan-memory, checked three ways: the independent checker certifies every plan, a planned
function run inside one arena (with poisoned dead values) gives the outputs of the unplanned one,
and a deliberately broken plan is caught by both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.ops.fused import FusedOp
from nnvm_dialect.reference import entry_function, run_function
from nnvm_dialect.transforms.check_memory_plan import CheckMemoryPlan
from nnvm_dialect.transforms.fuse_ops import FuseOps
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.plan_memory import PlanMemory, plan_function

UNARY = ("relu", "tanh", "sigmoid", "exp", "negative", "copy")
BINARY = ("elemwise_add", "elemwise_mul", "elemwise_sub")


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def random_graph(seed: int) -> str:
    """A random function of elementwise ops, dense and split with fan-out and several outputs."""
    rng = np.random.default_rng(seed)
    t = "tensor<4x8xf32>"
    lines = [f"func.func @g(%x: {t}, %y: {t}, %w: tensor<8x8xf32>) -> ({{RET_TYPES}}) {{"]
    values = ["%x", "%y"]
    for i in range(int(rng.integers(6, 16))):
        kind = rng.integers(0, 10)
        pick = lambda: values[int(rng.integers(max(0, len(values) - 5), len(values)))]  # noqa: E731
        if kind < 4:
            op = UNARY[int(rng.integers(len(UNARY)))]
            a = pick()
            lines.append(f"  %v{i} = nnvm.{op} {a} : ({t}) -> {t}")
        elif kind < 8:
            op = BINARY[int(rng.integers(len(BINARY)))]
            a, b = pick(), pick()
            lines.append(f"  %v{i} = nnvm.{op} {a}, {b} : ({t}, {t}) -> {t}")
        elif kind < 9:
            a = pick()
            lines.append(
                f"  %v{i} = nnvm.dense {a}, %w {{units = 8, use_bias = false}} : "
                f"({t}, tensor<8x8xf32>) -> {t}"
            )
        else:
            a = pick()
            h = "tensor<4x4xf32>"
            lines.append(
                f"  %s{i}:2 = nnvm.split {a} {{indices_or_sections = 2 : i64}} : ({t}) -> ({h}, {h})"
            )
            lines.append(f"  %v{i} = nnvm.concatenate %s{i}#1, %s{i}#0 : ({h}, {h}) -> {t}")
        values.append(f"%v{i}")
    outs = [values[-1]]
    if rng.integers(0, 2) and values[-3] not in ("%x", "%y"):
        outs.append(values[-3])
    lines.append(f"  func.return {', '.join(outs)} : {', '.join([t] * len(outs))}")
    lines.append("}")
    return "\n".join(lines).replace("{RET_TYPES}", ", ".join([t] * len(outs)))


def parse(text: str) -> ModuleOp:
    module = parse_mlir(make_context(), text, "test.mlir")
    ctx = make_context()
    InferShape().apply(ctx, module)
    InferType().apply(ctx, module)
    return module


def inputs_for(fn: func.FuncOp, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(a.type.get_shape()).astype(np.float32) for a in fn.args]  # type: ignore[attr-defined]


def plan(module: ModuleOp) -> None:
    PlanMemory().apply(make_context(), module)
    CheckMemoryPlan().apply(make_context(), module)


@pytest.mark.parametrize("seed", range(25))
def test_planned_random_graphs_are_certified_and_compute_the_same(seed: int) -> None:
    text = random_graph(seed)
    module = parse(text)
    fn = entry_function(module)
    inputs = inputs_for(fn, seed)
    expected = run_function(fn, inputs)
    plan(module)
    got = run_function(fn, inputs, poison=True)
    for e, g in zip(expected, got):
        np.testing.assert_array_equal(e, g, err_msg=text)
    p = plan_function(fn)
    assert p.lower_bound <= p.arena <= p.naive
    assert p.arena <= 1.05 * p.lower_bound + 64, text


def test_the_cnn_example_runs_in_its_arena() -> None:
    with open(EXAMPLES / "cnn.mlir") as f:
        module = parse(f.read())
    fn = entry_function(module)
    with np.load(EXAMPLES / "cnn_inputs.npz") as archive:
        inputs = {k: archive[k] for k in archive.files}
    expected = run_function(fn, inputs)
    plan(module)
    p = plan_function(fn)
    assert p.arena == p.lower_bound < p.naive
    np.testing.assert_array_equal(run_function(fn, inputs, poison=True)[0], expected[0])


def test_a_fused_cnn_runs_in_its_arena() -> None:
    with open(EXAMPLES / "cnn.mlir") as f:
        module = parse(f.read())
    fn = entry_function(module)
    with np.load(EXAMPLES / "cnn_inputs.npz") as archive:
        inputs = {k: archive[k] for k in archive.files}
    expected = run_function(fn, inputs)
    FuseOps().apply(make_context(), module)
    plan(module)
    assert any(isinstance(op, FusedOp) for op in fn.body.block.ops)
    np.testing.assert_allclose(run_function(fn, inputs, poison=True)[0], expected[0], rtol=1e-6)


def test_a_wrong_plan_is_rejected_and_computes_wrong_outputs() -> None:
    text = """
    func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
      %a = nnvm.exp %x : (tensor<16xf32>) -> tensor<16xf32>
      %b = nnvm.tanh %x : (tensor<16xf32>) -> tensor<16xf32>
      %c = nnvm.elemwise_add %a, %b : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
      func.return %c : tensor<16xf32>
    }
    """
    module = parse(text)
    fn = entry_function(module)
    x = np.linspace(-1, 1, 16, dtype=np.float32)
    expected = run_function(fn, [x])[0]
    plan(module)
    ops = list(fn.body.block.ops)
    assert ops[0].attributes["nnvm.storage_offset"] != ops[1].attributes["nnvm.storage_offset"]
    # The bug a planner could make: give %b the slot of %a, which is still live.
    ops[1].attributes["nnvm.storage_offset"] = ops[0].attributes["nnvm.storage_offset"]
    with pytest.raises(OpError, match="overlaps %a"):
        CheckMemoryPlan().apply(make_context(), module)
    assert not np.allclose(run_function(fn, [x])[0], expected)


def test_poison_turns_a_plausible_wrong_result_into_nan() -> None:
    # A bad plan: %y gets the slot of %x while %x is live. Without poison the add reads tanh
    # where it wants exp and the output is wrong but plausible; with poison, %x's death at the
    # add fills the shared slot with NaN patterns, and %y's reader sees them.
    text = """
    func.func @f(%in: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 128 : i64} {
      %x = nnvm.exp %in {nnvm.storage_offset = array<i64: 0>} : (tensor<16xf32>) -> tensor<16xf32>
      %y = nnvm.tanh %in {nnvm.storage_offset = array<i64: 0>} : (tensor<16xf32>) -> tensor<16xf32>
      %a = nnvm.elemwise_add %x, %in {nnvm.storage_offset = array<i64: 64>} : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
      %out = nnvm.elemwise_mul %a, %y {nnvm.storage_offset = array<i64: -1>} : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
      func.return %out : tensor<16xf32>
    }
    """
    module = parse(text)
    fn = entry_function(module)
    x = np.linspace(-1, 1, 16, dtype=np.float32)
    expected = (np.exp(x) + x) * np.tanh(x)
    quiet = run_function(fn, [x])[0]
    assert np.isfinite(quiet).all() and not np.allclose(quiet, expected)
    assert np.isnan(run_function(fn, [x], poison=True)[0]).all()
    with pytest.raises(OpError, match="overlaps %x"):
        CheckMemoryPlan().apply(make_context(), module)


def test_poison_fills_dead_values_and_leaves_live_ones() -> None:
    module = parse(random_graph(3))
    fn = entry_function(module)
    plan(module)
    inputs = inputs_for(fn, 0)
    assert (
        run_function(fn, inputs, poison=True)[0].tobytes() == run_function(fn, inputs)[0].tobytes()
    )
