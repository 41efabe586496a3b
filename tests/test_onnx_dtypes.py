"""Narrow element types (bf16, float8, int4) and quantization ops, imported from ONNX models
built here and run on the reference target; compared with onnx's ReferenceEvaluator (the
source of the node tests' expected outputs) and with onnxruntime where it has the kernel."""

from __future__ import annotations

from pathlib import Path

import ml_dtypes
import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

from nnvm_dialect import compile
from nnvm_dialect.compiler import CompileError
from nnvm_dialect.frontend import FrontendError, load

F, U8, I8 = TensorProto.FLOAT, TensorProto.UINT8, TensorProto.INT8


def save(tmp_path: Path, nodes, inputs, outputs, opset: int = 21) -> Path:  # type: ignore[no-untyped-def]
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    return path


def same_values(got: np.ndarray, want: np.ndarray) -> None:
    """Exactly equal (nan where nan), dtypes and shapes too."""
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.astype(np.float64), want.astype(np.float64))


EDGES = np.array(
    [0.0, -0.0, 1.0, 0.3, -2.7, 448.0, 460.0, 470.0, -500.0, 1e6, np.inf, -np.inf, np.nan]
    + [2.0**-9, 2.0**-10, 57344.0, 61440.0, 1e-30],
    np.float32,
)


@pytest.mark.parametrize("saturate", [0, 1])
@pytest.mark.parametrize("to", ["FLOAT8E4M3FN", "FLOAT8E5M2", "FLOAT8E4M3FNUZ", "BFLOAT16"])
def test_cast_to_narrow_floats_matches_onnx_reference(
    tmp_path: Path, to: str, saturate: int
) -> None:
    attrs = {"saturate": saturate} if to != "BFLOAT16" else {}
    node = helper.make_node("Cast", ["x"], ["y"], to=getattr(TensorProto, to), **attrs)
    out = helper.make_tensor_value_info("y", getattr(TensorProto, to), [EDGES.size])
    path = save(tmp_path, [node], [helper.make_tensor_value_info("x", F, [EDGES.size])], [out])
    (want,) = ReferenceEvaluator(str(path)).run(None, {"x": EDGES})
    (got,) = compile(path).run(EDGES)
    same_values(got, want)


def test_narrow_graph_inputs_round_trip_through_float(tmp_path: Path) -> None:
    values = np.arange(-8, 8).astype(ml_dtypes.int4)
    nodes = [helper.make_node("Cast", ["x"], ["y"], to=F)]
    path = save(
        tmp_path,
        nodes,
        [helper.make_tensor_value_info("x", TensorProto.INT4, [16])],
        [helper.make_tensor_value_info("y", F, [16])],
    )
    (got,) = compile(path).run(values)
    same_values(got, np.arange(-8, 8).astype(np.float32))


@pytest.mark.parametrize(
    "source, to",
    [
        (TensorProto.FLOAT, "FLOAT8E4M3FN"),
        (TensorProto.FLOAT16, "FLOAT8E5M2FNUZ"),
        (TensorProto.FLOAT, "BFLOAT16"),
        (TensorProto.FLOAT, "FLOAT4E2M1"),
        (TensorProto.FLOAT, "INT4"),
    ],
)
def test_cpu_casts_to_narrow_types_and_back_match_onnx_reference(
    tmp_path: Path, source: int, to: str
) -> None:
    """The CPU target's bit-manipulating casts, saturating (a clip first) and not, both ways.
    (An exhaustive sweep of every float16 value and the 256 codes of each format agreed
    with ml_dtypes when these were written.)"""
    nodes = [
        helper.make_node("Cast", ["x"], ["n"], to=getattr(TensorProto, to), saturate=0),
        helper.make_node("Cast", ["x"], ["s"], to=getattr(TensorProto, to)),
        helper.make_node("Cast", ["n"], ["y"], to=TensorProto.FLOAT),
    ]
    narrow = getattr(TensorProto, to)
    size = EDGES.size
    outs = [helper.make_tensor_value_info(n, narrow, [size]) for n in ("n", "s")]
    outs.append(helper.make_tensor_value_info("y", F, [size]))
    path = save(tmp_path, nodes, [helper.make_tensor_value_info("x", source, [size])], outs)
    x = EDGES.astype(helper.tensor_dtype_to_np_dtype(source))
    want = ReferenceEvaluator(str(path)).run(None, {"x": x})
    got = compile(path, target="cpu").run(x)
    for g, w in zip(got, want):
        same_values(g, w)


def test_the_cpu_target_refuses_a_double_rounding_cast_by_name(tmp_path: Path) -> None:
    node = helper.make_node("Cast", ["x"], ["y"], to=TensorProto.BFLOAT16)
    path = save(
        tmp_path,
        [node],
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [4])],
        [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, [4])],
    )
    with pytest.raises(CompileError, match="from float64 to bfloat16 would round twice"):
        compile(path, target="cpu")


def test_an_input_of_a_type_the_dialect_lacks_is_named(tmp_path: Path) -> None:
    node = helper.make_node("Identity", ["s"], ["y"])
    path = save(
        tmp_path,
        [node],
        [helper.make_tensor_value_info("s", TensorProto.STRING, [2])],
        [helper.make_tensor_value_info("y", TensorProto.STRING, [2])],
    )
    with pytest.raises(FrontendError) as info:
        load(path)
    assert "graph input 's' has element type TensorProto.STRING" in str(info.value)
    assert "not produced" not in str(info.value)


def onnxruntime_outputs(path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def test_quantize_dequantize_per_axis_match_onnxruntime(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1),
        helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], axis=1),
    ]
    inputs = [
        helper.make_tensor_value_info("x", F, [2, 3, 4]),
        helper.make_tensor_value_info("s", F, [3]),
        helper.make_tensor_value_info("z", I8, [3]),
    ]
    outputs = [
        helper.make_tensor_value_info("q", I8, [2, 3, 4]),
        helper.make_tensor_value_info("y", F, [2, 3, 4]),
    ]
    path = save(tmp_path, nodes, inputs, outputs)
    feeds = {
        "x": (rng.standard_normal((2, 3, 4)) * 50).astype(np.float32),
        "s": np.array([0.5, 0.25, 1.5], np.float32),
        "z": np.array([-3, 0, 7], np.int8),
    }
    feeds["x"][0, 0, :2] = [0.25, 0.75]  # halves round to even
    got = compile(path).run(**feeds)
    want = onnxruntime_outputs(path, feeds)
    same_values(got[0], want[0])  # integers exactly
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6, atol=0)


def test_qlinear_matmul_and_dynamic_quantize_match_onnxruntime(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
        helper.make_node("QLinearMatMul", ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"]),
    ]
    inputs = [
        helper.make_tensor_value_info("x", F, [3, 5]),
        helper.make_tensor_value_info("w", U8, [5, 2]),
        helper.make_tensor_value_info("ws", F, []),
        helper.make_tensor_value_info("wz", U8, []),
        helper.make_tensor_value_info("ys", F, []),
        helper.make_tensor_value_info("yz", U8, []),
    ]
    path = save(tmp_path, nodes, inputs, [helper.make_tensor_value_info("y", U8, [3, 2])])
    feeds = {
        "x": rng.standard_normal((3, 5)).astype(np.float32),
        "w": rng.integers(0, 256, (5, 2)).astype(np.uint8),
        "ws": np.array(0.02, np.float32),
        "wz": np.array(128, np.uint8),
        "ys": np.array(0.05, np.float32),
        "yz": np.array(100, np.uint8),
    }
    (got,) = compile(path).run(**feeds)
    (want,) = onnxruntime_outputs(path, feeds)
    # onnxruntime requantizes in float32, the reference in float64: one step apart at most
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.max(np.abs(got.astype(int) - want.astype(int))) <= 1
    (exact,) = ReferenceEvaluator(str(path)).run(None, feeds)
    same_values(got, exact)


@pytest.mark.parametrize("target", ["reference", "cpu"])
def test_bitcast_reads_the_same_bits(tmp_path: Path, target: str) -> None:
    node = helper.make_node("BitCast", ["x"], ["y"], to=TensorProto.INT32)
    path = save(
        tmp_path,
        [node],
        [helper.make_tensor_value_info("x", F, [5])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [5])],
        opset=26,
    )
    x = np.array([1.0, -0.0, np.inf, np.nan, 1e-40], np.float32)
    (got,) = compile(path, target=target).run(x)
    (want,) = ReferenceEvaluator(str(path)).run(None, {"x": x})
    same_values(got, want)


def test_the_cpu_target_refuses_other_ops_on_narrow_types(tmp_path: Path) -> None:
    """Transpose checks no dtypes in its type rule; the CPU target must not move on with
    integer arithmetic on bf16 bits."""
    node = helper.make_node("MatMul", ["a", "b"], ["y"])
    bf16 = TensorProto.BFLOAT16
    inputs = [helper.make_tensor_value_info(n, bf16, [2, 2, 2]) for n in ("a", "b")]
    path = save(tmp_path, [node], inputs, [helper.make_tensor_value_info("y", bf16, [2, 2, 2])])
    with pytest.raises(CompileError, match="element type bf16, which the CPU target takes only"):
        compile(path, target="cpu")


@pytest.mark.parametrize("target", ["reference", "cpu"])
def test_qdq_with_constant_scales_matches_onnxruntime(tmp_path: Path, target: str) -> None:
    """The usual exported pattern: weights and scales are initializers, the conv quantized."""
    from onnx import numpy_helper

    rng = np.random.default_rng(2)
    inits = [
        numpy_helper.from_array(np.array(0.05, np.float32), "xs"),
        numpy_helper.from_array(np.array(3, np.uint8), "xz"),
        numpy_helper.from_array(rng.integers(0, 256, (4, 2, 3, 3)).astype(np.uint8), "w"),
        numpy_helper.from_array(np.array([0.01, 0.02, 0.03, 0.04], np.float32), "ws"),
        numpy_helper.from_array(np.array([120, 128, 130, 125], np.uint8), "wz"),
        numpy_helper.from_array(np.array(0.2, np.float32), "ys"),
        numpy_helper.from_array(np.array(10, np.uint8), "yz"),
        numpy_helper.from_array(rng.integers(-500, 500, 4).astype(np.int32), "b"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
        helper.make_node(
            "QLinearConv",
            ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
            ["yq"],
            pads=[1] * 4,
        ),
        helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", F, [1, 2, 5, 5])],
        [helper.make_tensor_value_info("y", F, [1, 4, 5, 5])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    x = rng.standard_normal((1, 2, 5, 5)).astype(np.float32)
    (got,) = compile(path, target=target).run(x)
    (exact,) = ReferenceEvaluator(str(path)).run(None, {"x": x})
    same_values(got, exact)
    (ort,) = onnxruntime_outputs(path, {"x": x})  # requantizes in float32: a step apart at most
    assert np.max(np.abs(got - ort)) <= 0.2 + 1e-6
