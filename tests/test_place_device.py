"""place-device, run: a placed function runs with each device an executor with its own memory
(two CPU devices here), computes what the unplaced one does, and fails where a copy is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_plan_memory import inputs_for, parse, random_graph
from xdsl.dialects.builtin import StringAttr

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.frontend.mlir import make_context
from nnvm_dialect.ops.device import DeviceCopyOp
from nnvm_dialect.reference import entry_function, run_function
from nnvm_dialect.transforms.check_placement import CheckPlacement
from nnvm_dialect.transforms.place_device import PlaceDevice

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def copies(fn) -> list[DeviceCopyOp]:  # type: ignore[no-untyped-def]
    return [op for op in fn.body.block.ops if isinstance(op, DeviceCopyOp)]


def test_the_cnn_with_softmax_on_a_second_device() -> None:
    with open(EXAMPLES / "cnn.mlir") as f:
        module = parse(f.read())
    fn = entry_function(module)
    with np.load(EXAMPLES / "cnn_inputs.npz") as archive:
        inputs = {k: archive[k] for k in archive.files}
    expected = run_function(fn, inputs)
    PlaceDevice(rules=("nnvm.conv2d=cpu:0", "opaque=cpu:1")).apply(make_context(), module)
    CheckPlacement().apply(make_context(), module)
    devices = {op.attributes["nnvm.device"] for op in fn.body.block.ops if op.attributes}
    assert devices == {StringAttr("cpu:0"), StringAttr("cpu:1")}
    assert copies(fn)
    np.testing.assert_array_equal(run_function(fn, inputs)[0], expected[0])


@pytest.mark.parametrize("seed", range(12))
def test_randomly_placed_graphs_compute_the_same(seed: int) -> None:
    module = parse(random_graph(seed))
    fn = entry_function(module)
    inputs = inputs_for(fn, seed)
    expected = run_function(fn, inputs)
    rng = np.random.default_rng(seed)
    for op in list(fn.body.block.ops)[:-1]:
        if rng.random() < 0.4:
            op.attributes["nnvm.device"] = StringAttr(f"cpu:{int(rng.integers(2))}")
    PlaceDevice().apply(make_context(), module)
    CheckPlacement().apply(make_context(), module)
    for copy in copies(fn):
        assert copy.str_attr("src") != copy.str_attr("dst")
    for e, g in zip(expected, run_function(fn, inputs)):
        np.testing.assert_array_equal(e, g)


def test_without_its_copy_a_device_cannot_read_the_value() -> None:
    text = """
    func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
      %a = nnvm.exp %x : (tensor<8xf32>) -> tensor<8xf32>
      %b = nnvm.tanh %a {nnvm.device = "cpu:1"} : (tensor<8xf32>) -> tensor<8xf32>
      %c = nnvm.elemwise_add %a, %b {nnvm.device = "cpu:0"} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
      func.return %c : tensor<8xf32>
    }
    """
    module = parse(text)
    fn = entry_function(module)
    x = np.linspace(-1, 1, 8, dtype=np.float32)
    PlaceDevice().apply(make_context(), module)
    assert [(c.str_attr("src"), c.str_attr("dst")) for c in copies(fn)] == [
        ("cpu:0", "cpu:1"),
        ("cpu:1", "cpu:0"),
    ]
    np.testing.assert_allclose(run_function(fn, [x])[0], np.exp(x) + np.tanh(np.exp(x)), rtol=1e-6)
    # Bypass the first copy: cpu:1's memory does not hold %a, so the executor refuses.
    first = copies(fn)[0]
    first.results[0].replace_all_uses_with(first.operands[0])
    with pytest.raises(OpError, match="reads %a on cpu:1, whose memory does not hold it"):
        run_function(fn, [x])
    with pytest.raises(OpError, match="but it lives on cpu:0"):
        CheckPlacement().apply(make_context(), module)
