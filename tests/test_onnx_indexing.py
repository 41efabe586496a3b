"""ONNX index, scan and rearranging ops (and Det) (onnx_converters/indexing.py) against onnxruntime, on
the reference and the CPU target: negative and duplicate indices, reductions, exclusive and
reverse scans, ties in TopK. Floats within rtol 1e-5 / atol 1e-6, integers exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

from nnvm_dialect import compile
from nnvm_dialect.frontend import FrontendError, load

F, I64 = TensorProto.FLOAT, TensorProto.INT64
RNG = np.random.default_rng(7)


def model(tmp_path: Path, node, inputs, outputs, inits=(), opset: int = 18) -> Path:  # type: ignore[no-untyped-def]
    graph = helper.make_graph([node], "g", inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / "model.onnx"
    onnx.save(m, str(path))
    return path


def vi(name: str, shape, elem: int = F):  # type: ignore[no-untyped-def]
    return helper.make_tensor_value_info(name, elem, shape)


def const(name: str, value) -> onnx.TensorProto:  # type: ignore[no-untyped-def]
    return numpy_helper.from_array(np.asarray(value), name)


def floats(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def check(path: Path, feeds: dict[str, np.ndarray], target: str) -> None:
    got = compile(path, target=target).run(**feeds)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    want = session.run(None, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        if w.dtype.kind == "f":
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
        else:
            np.testing.assert_array_equal(g, w)


CASES = {
    "gather_elements_negative": (
        helper.make_node("GatherElements", ["x", "i"], ["y"], axis=1),
        [vi("x", [3, 4]), vi("i", [3, 2], I64)],
        [vi("y", [3, 2])],
        [],
        {"x": floats(3, 4), "i": np.array([[-1, 0], [3, -4], [2, 2]], np.int64)},
    ),
    "scatter_elements_add_duplicates": (
        helper.make_node("ScatterElements", ["x", "i", "u"], ["y"], axis=0, reduction="add"),
        [vi("x", [3, 2]), vi("i", [4, 2], I64), vi("u", [4, 2])],
        [vi("y", [3, 2])],
        [],
        {
            "x": floats(3, 2),
            "i": np.array([[0, -1], [0, 2], [-3, 1], [2, 2]], np.int64),
            "u": floats(4, 2),
        },
    ),
    "scatter_nd_max": (
        helper.make_node("ScatterND", ["x", "i", "u"], ["y"], reduction="max"),
        [vi("x", [2, 3, 2]), vi("i", [3, 2], I64), vi("u", [3, 2])],
        [vi("y", [2, 3, 2])],
        [],
        {
            "x": floats(2, 3, 2),
            "i": np.array([[1, 2], [0, 0], [1, 2]], np.int64),
            "u": floats(3, 2) + 1,
        },
    ),
    "gather_nd_batch": (
        helper.make_node("GatherND", ["x", "i"], ["y"], batch_dims=1),
        [vi("x", [2, 3, 4]), vi("i", [2, 2, 1], I64)],
        [vi("y", [2, 2, 4])],
        [],
        {"x": floats(2, 3, 4), "i": np.array([[[2], [0]], [[1], [1]]], np.int64)},
    ),
    "cumsum_exclusive_reverse": (
        helper.make_node("CumSum", ["x", "axis"], ["y"], exclusive=1, reverse=1),
        [vi("x", [2, 5])],
        [vi("y", [2, 5])],
        [const("axis", np.array(-1, np.int64))],
        {"x": floats(2, 5)},
    ),
    "topk_smallest_ties": (
        helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=1, largest=0),
        [vi("x", [2, 6])],
        [vi("v", [2, 3]), vi("i", [2, 3], I64)],
        [const("k", np.array([3], np.int64))],
        {"x": np.array([[3, 1, 2, 1, 5, 1], [0, 0, 4, -1, 7, 0]], np.float32)},
    ),
    "trilu_lower_k": (
        helper.make_node("Trilu", ["x", "k"], ["y"], upper=0),
        [vi("x", [2, 3, 4])],
        [vi("y", [2, 3, 4])],
        [const("k", np.array(-1, np.int64))],
        {"x": floats(2, 3, 4)},
    ),
    "one_hot_negative_axis0": (
        helper.make_node("OneHot", ["i", "depth", "values"], ["y"], axis=0),
        [vi("i", [2, 3], I64)],
        [vi("y", [4, 2, 3])],
        [const("depth", np.array(4, np.int64)), const("values", np.array([-1.0, 2.5], np.float32))],
        {"i": np.array([[0, -1, 3], [5, -4, -5]], np.int64)},
    ),
    "reverse_sequence_batch_first": (
        helper.make_node("ReverseSequence", ["x", "lens"], ["y"], batch_axis=0, time_axis=1),
        [vi("x", [3, 4, 2])],
        [vi("y", [3, 4, 2])],
        [const("lens", np.array([4, 1, 3], np.int64))],
        {"x": floats(3, 4, 2)},
    ),
    "depth_to_space_crd": (
        helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=2, mode="CRD"),
        [vi("x", [1, 8, 2, 3])],
        [vi("y", [1, 2, 4, 6])],
        [],
        {"x": floats(1, 8, 2, 3)},
    ),
    "col2im_pads_strides": (
        helper.make_node(
            "Col2Im", ["x", "image", "block"], ["y"], strides=[2, 1], pads=[1, 0, 0, 1]
        ),
        [vi("x", [2, 6, 4])],
        [vi("y", [2, 1, 4, 3])],
        [const("image", np.array([4, 3], np.int64)), const("block", np.array([2, 3], np.int64))],
        {"x": floats(2, 6, 4)},
    ),
    "max_pool_indices_ties_column_major": (
        helper.make_node(
            "MaxPool",
            ["x"],
            ["y", "i"],
            kernel_shape=[3, 2],
            pads=[1, 0, 1, 1],
            strides=[2, 1],
            storage_order=1,
        ),
        [vi("x", [2, 2, 5, 4])],
        [vi("y", [2, 2, 3, 4]), vi("i", [2, 2, 3, 4], I64)],
        [],
        {"x": RNG.integers(-2, 3, (2, 2, 5, 4)).astype(np.float32)},
    ),
    "det_3x3_batch": (
        helper.make_node("Det", ["x"], ["y"]),
        [vi("x", [2, 3, 3])],
        [vi("y", [2])],
        [],
        {"x": floats(2, 3, 3)},
    ),
    "reduce_sum_to_scalar": (
        helper.make_node("ReduceSum", ["x"], ["y"], keepdims=0),
        [vi("x", [2, 3])],
        [vi("y", [])],
        [],
        {"x": floats(2, 3)},
    ),
}


@pytest.mark.parametrize("target", ["reference", "cpu"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_onnxruntime(tmp_path: Path, case: str, target: str) -> None:
    node, inputs, outputs, inits, feeds = CASES[case]
    check(model(tmp_path, node, inputs, outputs, inits), feeds, target)


@pytest.mark.parametrize("target", ["reference", "cpu"])
def test_max_unpool_indexes_the_unpooled_shape_then_pads(tmp_path: Path, target: str) -> None:
    """With an output_shape larger than the unpooled shape, ONNX's reference and its test data
    read the indices in the unpooled shape and pad after it (onnxruntime reads them in
    output_shape): compared with onnx's ReferenceEvaluator."""
    from onnx.reference import ReferenceEvaluator

    node = helper.make_node(
        "MaxUnpool", ["x", "i", "shape"], ["y"], kernel_shape=[2, 2], strides=[2, 2]
    )
    path = model(
        tmp_path,
        node,
        [vi("x", [1, 2, 2, 2]), vi("i", [1, 2, 2, 2], I64)],
        [vi("y", [1, 2, 5, 5])],
        [const("shape", np.array([1, 2, 5, 5], np.int64))],
    )
    feeds = {
        "x": floats(1, 2, 2, 2),
        "i": np.array([0, 3, 9, 15, 16, 22, 25, 31]).reshape(1, 2, 2, 2),
    }
    (want,) = ReferenceEvaluator(str(path)).run(None, feeds)
    (got,) = compile(path, target=target).run(**feeds)
    assert got.shape == want.shape == (1, 2, 5, 5)
    np.testing.assert_array_equal(got, want)


def test_conv_transpose_3d_with_strides_pads_groups(tmp_path: Path) -> None:
    """N-D ConvTranspose is imported as nnvm.conv (which the CPU target does not lower yet)."""
    node = helper.make_node(
        "ConvTranspose",
        ["x", "w", "b"],
        ["y"],
        strides=[2, 1, 3],
        pads=[1, 0, 0, 0, 1, 1],
        dilations=[1, 2, 1],
        output_padding=[1, 0, 2],
        group=2,
    )
    path = model(
        tmp_path,
        node,
        [vi("x", [1, 4, 3, 2, 3]), vi("w", [4, 3, 2, 2, 3]), vi("b", [6])],
        [vi("y", [1, 6, 6, 3, 10])],
    )
    check(
        path, {"x": floats(1, 4, 3, 2, 3), "w": floats(4, 3, 2, 2, 3), "b": floats(6)}, "reference"
    )


@pytest.mark.parametrize("target", ["reference", "cpu"])
def test_conv_transpose_output_shape_beyond_the_natural_output(tmp_path: Path, target: str) -> None:
    node = helper.make_node(
        "ConvTranspose", ["x", "w"], ["y"], strides=[3, 2], output_shape=[10, 8]
    )
    path = model(
        tmp_path, node, [vi("x", [1, 1, 3, 3]), vi("w", [1, 2, 3, 3])], [vi("y", [1, 2, 10, 8])]
    )
    check(path, {"x": floats(1, 1, 3, 3), "w": floats(1, 2, 3, 3)}, target)


def test_an_input_that_must_be_constant_is_named(tmp_path: Path) -> None:
    node = helper.make_node("OneHot", ["i", "depth", "values"], ["y"])
    path = model(
        tmp_path,
        node,
        [vi("i", [3], I64), vi("depth", [], I64)],
        [vi("y", [3, 4])],
        [const("values", np.array([0.0, 1.0], np.float32))],
    )
    with pytest.raises(FrontendError) as e:
        load(path)
    assert "depth (input 1, 'depth') must be a constant" in str(e.value)
    assert e.value.wanted_inputs == ["depth"]
