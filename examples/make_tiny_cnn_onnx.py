"""Writes examples/tiny_cnn.onnx: conv -> relu -> max_pool -> flatten (a Shape sub-graph, as
exporters write it) -> gemm -> softmax, with seeded weights, and a dynamic batch dim."""

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)
weights = {
    "conv1.weight": rng.standard_normal((8, 3, 3, 3)) * 0.3,
    "conv1.bias": rng.standard_normal(8) * 0.1,
    "fc.weight": rng.standard_normal((10, 8 * 4 * 4)) * 0.1,
    "fc.bias": rng.standard_normal(10) * 0.1,
}
inits = [numpy_helper.from_array(v.astype(np.float32), k) for k, v in weights.items()]
inits += [
    numpy_helper.from_array(np.array([0], np.int64), "axes0"),
    numpy_helper.from_array(np.array(0, np.int64), "zero"),
    numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
]
nodes = [
    helper.make_node(
        "Conv", ["input", "conv1.weight", "conv1.bias"], ["c1"], name="conv1", pads=[1, 1, 1, 1]
    ),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Shape", ["p1"], ["s"], name="shape"),
    helper.make_node("Gather", ["s", "zero"], ["n"], name="batch", axis=0),
    helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="batch1"),
    helper.make_node("Concat", ["n1", "minus1"], ["target"], name="target", axis=0),
    helper.make_node("Reshape", ["p1", "target"], ["flat"], name="flatten"),
    helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
    helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=1),
]
graph = helper.make_graph(
    nodes,
    "tiny_cnn",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 8, 8])],
    [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 10])],
    inits,
)
model = helper.make_model(
    graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="nnvm-dialect"
)
onnx.checker.check_model(model)
onnx.save(model, str(Path(__file__).parent / "tiny_cnn.onnx"))
