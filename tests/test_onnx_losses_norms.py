"""Import of losses, normalisations, reductions and activations that decompose into nnvm ops:
single-node models compared with onnxruntime (rtol 1e-4, atol 1e-5; shape and
dtype equal), on inputs the ONNX test data does not use (ignored targets out of range, ties)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import helper
from onnx.reference import ReferenceEvaluator

from nnvm_dialect import compile
from nnvm_dialect.frontend import FrontendError, load

RNG = np.random.default_rng(14)


def single_node(
    tmp_path: Path, op_type: str, feeds: dict[str, np.ndarray], outputs: int = 1,
    opset: int = 22, **attrs,
) -> Path:  # type: ignore[no-untyped-def]  # fmt: skip
    """A model of one node whose inputs are `feeds` (in order) and outputs y0, y1, ..."""
    names = [f"y{i}" for i in range(outputs)]
    node = helper.make_node(op_type, list(feeds), names, **attrs)
    inputs = [
        helper.make_tensor_value_info(k, helper.np_dtype_to_tensor_dtype(v.dtype), v.shape)
        for k, v in feeds.items()
    ]
    graph = helper.make_graph(
        [node], "g", inputs, [helper.make_empty_tensor_value_info(n) for n in names]
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    # The outputs' types are what the reference evaluator gives.
    results = ReferenceEvaluator(model).run(None, feeds)
    outs = [
        helper.make_tensor_value_info(
            n, helper.np_dtype_to_tensor_dtype(np.asarray(r).dtype), np.shape(r)
        )
        for n, r in zip(names, results)
    ]
    graph = helper.make_graph([node], "g", inputs, outs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    return path


def check(path: Path, feeds: dict[str, np.ndarray], target: str = "reference") -> None:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    want = session.run(None, feeds)
    got = compile(path, target=target).run(**feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


# Losses.


@pytest.mark.parametrize(
    "reduction, weight, ignore",
    [("none", False, None), ("mean", True, 2), ("mean", False, -1), ("sum", True, None)],
)
def test_nll_loss(tmp_path: Path, reduction: str, weight: bool, ignore: int | None) -> None:
    feeds = {
        "x": RNG.standard_normal((3, 4, 5)).astype(np.float32),
        "t": RNG.integers(0, 4, (3, 5)).astype(np.int64),
    }
    # ONNX's ReferenceEvaluator averages over ignored targets too when ignore_index is -1 and
    # there is no weight; onnxruntime and the spec do not, and neither does the import.
    feeds["t"][0, :2] = -1 if ignore == -1 else 2
    if weight:
        feeds["w"] = RNG.random(4).astype(np.float32)
    attrs = {"reduction": reduction} | ({} if ignore is None else {"ignore_index": ignore})
    check(single_node(tmp_path, "NegativeLogLikelihoodLoss", feeds, **attrs), feeds)


def test_softmax_cross_entropy_takes_no_inf_from_other_classes(tmp_path: Path) -> None:
    """A -inf log-probability at a class that is not the target leaves the loss finite."""
    feeds = {
        "x": np.array([[0.0, -np.inf, 1.0], [2.0, 0.5, -np.inf]], np.float32),
        "t": np.array([0, 1], np.int64),
    }
    path = single_node(tmp_path, "SoftmaxCrossEntropyLoss", feeds, outputs=2, reduction="sum")
    check(path, feeds)
    assert np.isfinite(compile(path).run(**feeds)[0])


def test_loss_rejects_an_unknown_reduction(tmp_path: Path) -> None:
    feeds = {"x": np.zeros((2, 3), np.float32), "t": np.zeros(2, np.int64)}
    path = single_node(tmp_path, "NegativeLogLikelihoodLoss", feeds, reduction="max")
    with pytest.raises(FrontendError, match="reduction = 'max'"):
        load(path)
