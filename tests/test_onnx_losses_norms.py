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


# Reductions.


def test_reduce_log_sum_exp_is_stable(tmp_path: Path) -> None:
    """Large values do not overflow; a row of -inf gives -inf."""
    data = np.array([[100.0, 101.0, 99.0], [-np.inf, -np.inf, -np.inf]], np.float32)
    path = single_node(tmp_path, "ReduceLogSumExp", {"x": data}, opset=17, axes=[1], keepdims=0)
    got = compile(path).run(x=data)[0]
    want = np.array([np.log(np.exp(-1.0) + 1 + np.exp(-2.0)) + 101, -np.inf], np.float32)
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("op_type", ["ArgMax", "ArgMin"])
def test_arg_select_last_index_on_ties(tmp_path: Path, op_type: str) -> None:
    feeds = {"x": RNG.integers(0, 3, (4, 6)).astype(np.float32)}
    check(single_node(tmp_path, op_type, feeds, axis=1, select_last_index=1), feeds)


@pytest.mark.parametrize("op_type", ["ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum"])
def test_reductions_over_every_axis(tmp_path: Path, op_type: str) -> None:
    feeds = {"x": RNG.random((2, 3, 4)).astype(np.float32)}
    check(single_node(tmp_path, op_type, feeds, keepdims=0), feeds)


# Normalisations.


def test_layer_norm_outputs_mean_and_inv_std_dev(tmp_path: Path) -> None:
    feeds = {
        "x": RNG.standard_normal((2, 3, 4)).astype(np.float32),
        "w": RNG.standard_normal((3, 4)).astype(np.float32),
        "b": RNG.standard_normal((3, 4)).astype(np.float32),
    }
    check(single_node(tmp_path, "LayerNormalization", feeds, outputs=3, axis=1), feeds)


def test_batch_norm_training_mode(tmp_path: Path) -> None:
    feeds = {"x": RNG.standard_normal((2, 3, 4)).astype(np.float32)}
    for name in ("scale", "bias", "mean"):
        feeds[name] = RNG.standard_normal(3).astype(np.float32)
    feeds["var"] = RNG.random(3).astype(np.float32)
    path = single_node(
        tmp_path, "BatchNormalization", feeds, outputs=3, training_mode=1, momentum=0.8
    )
    check(path, feeds)


def test_lp_normalization_of_a_zero_row_is_zero(tmp_path: Path) -> None:
    data = RNG.standard_normal((3, 4)).astype(np.float32)
    data[1] = 0
    path = single_node(tmp_path, "LpNormalization", {"x": data}, axis=1, p=1)
    got = compile(path).run(x=data)[0]
    want = data / np.maximum(np.abs(data).sum(1, keepdims=True), 1e-30)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=0)


# Activations and others.


@pytest.mark.parametrize(
    "op_type, attrs",
    [
        ("Gelu", {"approximate": "tanh"}),
        ("Gelu", {}),
        ("Mish", {}),
        ("ThresholdedRelu", {"alpha": 0.5}),
        ("Shrink", {"lambd": 0.7, "bias": 0.2}),
        ("Swish", {"alpha": 0.5}),
        ("Hardmax", {"axis": 1}),
    ],
)
def test_unary_activations(tmp_path: Path, op_type: str, attrs: dict) -> None:  # type: ignore[type-arg]
    data = RNG.standard_normal((3, 4, 5)).astype(np.float32)
    data[0, 0, :2] = data[0, 0, 2]  # ties for Hardmax
    feeds = {"x": data}
    check(
        single_node(tmp_path, op_type, feeds, opset=24 if op_type == "Swish" else 22, **attrs),
        feeds,
    )


def test_float_mod_follows_numpy_on_edge_cases(tmp_path: Path) -> None:
    """fmod = 0 on floats is numpy's mod: the sign of the divisor, inf and nan included."""
    a = np.array([5.0, -5.0, 5.0, -5.0, np.inf, 3.0, 0.0, -6.0, np.nan], np.float32)
    b = np.array([3.0, 3.0, -3.0, np.inf, 2.0, 0.0, -2.0, 3.0, 1.0], np.float32)
    path = single_node(tmp_path, "Mod", {"a": a, "b": b}, opset=13)
    got = compile(path).run(a=a, b=b)[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_array_equal(got, np.mod(a, b))


def test_lp_pool_with_padding_sums_the_window(tmp_path: Path) -> None:
    feeds = {"x": RNG.standard_normal((1, 2, 5, 5)).astype(np.float32)}
    path = single_node(tmp_path, "LpPool", feeds, kernel_shape=[3, 3], pads=[1, 1, 1, 1], p=3)
    check(path, feeds)


def test_training_dropout_with_a_nonzero_ratio_is_refused(tmp_path: Path) -> None:
    from onnx import numpy_helper

    node = helper.make_node("Dropout", ["x", "r", "t"], ["y"])
    inits = [
        numpy_helper.from_array(np.array(0.5, np.float32), "r"),
        numpy_helper.from_array(np.array(True), "t"),
    ]
    x_info = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])
    graph = helper.make_graph([node], "g", [x_info], [x_info], inits)
    graph.output[0].name = "y"
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)]), str(path))
    with pytest.raises(FrontendError, match="ratio 0.5"):
        load(path)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint16])
def test_integer_mod_near_the_type_limits(tmp_path: Path, dtype: type) -> None:
    """The divisor's sign without overflow: -101 mod -102 is -101 in int8 too."""
    info = np.iinfo(dtype)
    a = np.array([info.min + 27, info.max, 7, info.min, 5], dtype)
    b = np.array([info.min + 26, 3, info.max, 7, info.max], dtype)
    if info.min < 0:
        b[1] = -3
    path = single_node(tmp_path, "Mod", {"a": a, "b": b}, opset=13)
    np.testing.assert_array_equal(compile(path).run(a=a, b=b)[0], np.mod(a, b))


def test_rms_norm_on_cpu(tmp_path: Path) -> None:
    """The mean of x * x becomes a fused reduce group whose input is computed inline: the CPU
    lowering of the reduction reads it through the inlined product, not a buffer."""
    feeds = {
        "x": RNG.standard_normal((2, 3, 4)).astype(np.float32),
        "w": RNG.standard_normal((3, 4)).astype(np.float32),
    }
    check(single_node(tmp_path, "RMSNormalization", feeds, opset=23, axis=1), feeds, "cpu")
