"""The ONNX importer: models built here, run on the reference target, compared with
onnxruntime; names, locations, folding, --input-shape and the single unsupported-ops error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

from nnvm_dialect import compile
from nnvm_dialect.frontend import FrontendError, load
from nnvm_dialect.frontend.onnx import op_class
from nnvm_dialect.tools import nnvm_opt, nnvm_run

F = TensorProto.FLOAT

needs_constants = pytest.mark.skipif(
    op_class("nnvm.constant") is None, reason="weights need nnvm.constant (ops-transform)"
)
needs_reshape = pytest.mark.skipif(
    op_class("nnvm.reshape") is None, reason="needs nnvm.reshape (ops-transform)"
)


def save(
    tmp_path: Path, nodes, inputs, outputs, inits=(), opset: int = 17, ir: int | None = None
) -> Path:  # type: ignore[no-untyped-def]
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    if ir is not None:
        model.ir_version = ir
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    return path


def onnxruntime_outputs(path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def check_against_onnxruntime(path: Path, feeds: dict[str, np.ndarray], **kw) -> None:  # type: ignore[no-untyped-def]
    got = compile(path, **kw).run(**feeds)
    want = onnxruntime_outputs(path, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def vi(name: str, shape, elem: int = F):  # type: ignore[no-untyped-def]
    if shape is None:  # unknown dims of a rank the checker does not look at
        shape = ["d0", "d1", "d2", "d3"]
    return helper.make_tensor_value_info(name, elem, shape)


def test_elementwise_graph_keeps_input_names_and_matches_onnxruntime(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Add", ["a", "b"], ["s"], name="add"),
        helper.make_node("Mul", ["s", "a"], ["m"], name="mul"),
        helper.make_node("Sigmoid", ["m"], ["y"], name="sig"),
        helper.make_node("Max", ["y", "b"], ["z"], name="max"),
    ]
    path = save(tmp_path, nodes, [vi("a", [2, 3]), vi("b", [3])], [vi("z", [2, 3])])
    model = compile(path)
    assert model.input_names == ["a", "b"]
    rng = np.random.default_rng(0)
    check_against_onnxruntime(
        path,
        {
            "a": rng.standard_normal((2, 3)).astype(np.float32),
            "b": rng.standard_normal(3).astype(np.float32),
        },
    )


def test_ceil_mode_pooling_uses_onnx_windows(tmp_path: Path) -> None:
    # 5 wide, kernel 2, stride 2, pad 1 at the end, ceil_mode: NNVM's formula gives 4 windows,
    # ONNX drops the one that would start in the padding and gives 3.
    nodes = [
        helper.make_node(
            "MaxPool",
            ["x"],
            ["y"],
            name="pool",
            kernel_shape=[2, 2],
            strides=[2, 2],
            pads=[0, 0, 1, 1],
            ceil_mode=1,
        )
    ]
    path = save(tmp_path, nodes, [vi("x", [1, 2, 5, 5])], [vi("y", None)])
    x = np.random.default_rng(1).standard_normal((1, 2, 5, 5)).astype(np.float32)
    check_against_onnxruntime(path, {"x": x})


def test_round_is_half_to_even_and_mod_follows_fmod(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Round", ["x"], ["r"], name="round"),
        helper.make_node("Mod", ["a", "b"], ["m0"], name="mod"),
        helper.make_node("Mod", ["a", "b"], ["m1"], name="fmod", fmod=1),
    ]
    path = save(
        tmp_path,
        nodes,
        [vi("x", [6]), vi("a", [6], TensorProto.INT32), vi("b", [6], TensorProto.INT32)],
        [vi("r", [6]), vi("m0", [6], TensorProto.INT32), vi("m1", [6], TensorProto.INT32)],
    )
    feeds = {
        "x": np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4], np.float32),
        "a": np.array([7, -7, 7, -7, 5, 0], np.int32),
        "b": np.array([3, 3, -3, -3, 5, 2], np.int32),
    }
    r, m0, m1 = compile(path).run(**feeds)
    np.testing.assert_array_equal(r, [0, 2, 2, -0, -2, 2])
    np.testing.assert_array_equal(m0, np.mod(feeds["a"], feeds["b"]))
    np.testing.assert_array_equal(m1, np.fmod(feeds["a"], feeds["b"]))
    check_against_onnxruntime(path, feeds)


@needs_reshape
def test_shape_subgraph_is_folded_to_a_static_reshape(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="batch", axis=0),
        helper.make_node("Unsqueeze", ["batch", "zero1"], ["batch1"], name="unsq"),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], name="cat", axis=0),
        helper.make_node("Reshape", ["x", "target"], ["y"], name="flatten"),
    ]
    inits = [
        numpy_helper.from_array(np.array(0, np.int64), "zero"),
        numpy_helper.from_array(np.array([0], np.int64), "zero1"),
        numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
    ]
    path = save(tmp_path, nodes, [vi("x", ["N", 3, 4])], [vi("y", ["N", 12])], inits)
    module = load(path, ["x=2x3x4"])
    ops = [op.name for op in module.walk() if op.name.startswith("nnvm.")]
    assert ops == ["nnvm.reshape"] or ops == ["nnvm.flatten"] or "nnvm.reshape" in ops
    assert "tensor<2x12xf32>" in str(module)
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    check_against_onnxruntime(path, {"x": x}, input_shapes={"x": (2, 3, 4)})


def test_input_shape_fixes_dynamic_dims_and_is_checked(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        [helper.make_node("Relu", ["x"], ["y"], name="r")],
        [vi("x", ["N", 3])],
        [vi("y", ["N", 3])],
    )
    assert "tensor<?x3xf32>" in str(load(path))
    assert "tensor<5x3xf32>" in str(load(path, ["x=5x3"]))
    with pytest.raises(FrontendError, match="names 'y', which is not an input"):
        load(path, ["y=1x3"])
    with pytest.raises(ValueError, match="NAME=D0xD1"):
        load(path, ["x=5xq"])


def test_all_unsupported_ops_are_listed_in_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="ok"),
        helper.make_node("Unique", ["a"], ["b"], name="det1"),
        helper.make_node("Relu", ["b"], ["c"], name="after_det"),
        helper.make_node("Multinomial", ["x"], ["d"], name="mn"),
        helper.make_node("Unique", ["x"], ["e"], name="det2"),
        helper.make_node("Pad", ["x", "pads"], ["f"], name="wrap", mode="wrap"),
    ]
    pads = numpy_helper.from_array(np.array([0, 1, 0, 1], np.int64), "pads")
    path = save(
        tmp_path,
        nodes,
        [vi("x", [4, 4])],  # Det of 4x4 matrices is unsupported
        [vi(n, ["a", "b"]) for n in "cdef"],
        [pads],
        opset=18,
    )
    with pytest.raises(FrontendError) as info:
        load(path)
    text = str(info.value)
    assert "opset 18" in text
    assert "Unique (nodes 'det1', 'det2')" in text and "Multinomial (nodes 'mn')" in text
    assert "'wrap'" in text and "mode = 'wrap'" in text
    assert "after_det" not in text  # follows from det1, not reported again
    with pytest.raises(SystemExit) as exit_info:
        nnvm_opt.main([str(path)])
    assert exit_info.value.code == 1
    assert "Unique (nodes 'det1', 'det2')" in capsys.readouterr().err


def test_unsupported_auto_pad_value_is_named(tmp_path: Path) -> None:
    w = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1", auto_pad="SAME_MIDDLE")]
    path = save(tmp_path, nodes, [vi("x", [1, 1, 5, 5])], [vi("y", None)], [w])
    with pytest.raises(FrontendError, match="auto_pad = 'SAME_MIDDLE'"):
        load(path)


@needs_constants
def test_errors_after_import_name_the_onnx_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The weight does not fit the input's channels: the error names the node, not a line.
    w = numpy_helper.from_array(np.ones((2, 4, 3, 3), np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1")]
    path = save(tmp_path, nodes, [vi("x", [1, 3, 5, 5])], [vi("y", None)], [w])
    with pytest.raises(FrontendError) as info:
        load(path)
    assert f"{path}: node 'conv1' (Conv): error: 'nnvm.conv2d' op" in str(info.value)
    with pytest.raises(SystemExit) as exit_info:
        nnvm_run.main([str(path), "--random-inputs", "0"])
    assert "node 'conv1' (Conv): error:" in str(exit_info.value.code) + capsys.readouterr().err


@needs_constants
def test_initializers_listed_as_inputs_are_weights(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    w = rng.standard_normal((4, 3)).astype(np.float32)
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc", transB=1, alpha=0.5, beta=2.0)
    ]
    inits = [
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "b"),
    ]
    path = save(
        tmp_path,
        nodes,
        [vi("x", [2, 3]), vi("w", [4, 3]), vi("b", [4])],
        [vi("y", [2, 4])],
        inits,
        opset=9,
        ir=3,
    )
    model = compile(path)
    assert model.input_names == ["x"]
    check_against_onnxruntime(path, {"x": rng.standard_normal((2, 3)).astype(np.float32)})


def test_invalid_files_are_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage\xff\xff")
    with pytest.raises(FrontendError, match="bad.onnx: error: "):
        load(bad)
    with pytest.raises(FrontendError, match="cannot open input file"):
        load(tmp_path / "missing.onnx")


def test_nnvm_opt_saves_the_import_with_its_weights(tmp_path: Path) -> None:
    model = Path(__file__).resolve().parent.parent / "examples" / "tiny_cnn.onnx"
    out = tmp_path / "tiny_cnn.mlir"
    with pytest.raises(SystemExit) as info:
        nnvm_opt.main([str(model), "--input-shape", "input=2x3x8x8", "-o", str(out)])
    assert info.value.code == 0
    assert "dense_resource<" in out.read_text()  # weights travel in the file
    x = np.random.default_rng(3).random((2, 3, 8, 8), dtype=np.float32)
    (y,) = compile(out).run(x)
    (want,) = onnxruntime_outputs(model, {"input": x})
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-6)
