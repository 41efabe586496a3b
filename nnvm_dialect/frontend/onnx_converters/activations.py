"""Activations and other element-wise ops that decompose into nnvm ops: Gelu, Mish,
ThresholdedRelu, Shrink, Swish, SwiGLU, Hardmax, and LpPool (an average pool of |x|^p), and
Dropout, whose training mode is deterministic only with ratio 0."""

import dataclasses

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    binary,
    cast,
    converts,
    reshape,
    scalar,
    x,
)
from nnvm_dialect.frontend.onnx_converters.losses import where
from nnvm_dialect.frontend.onnx_converters.nn import _pool


def _float(im: Importer, v: Value) -> np.dtype:
    dtype = im.dtype(v)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"an input of type {dtype}")
    return dtype


@converts("Gelu")
def _gelu(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float(im, data)
    approximate = node.attr("approximate", "none")
    if approximate == "none":
        return [im.emit1("nnvm.gelu", [data])]
    if approximate != "tanh":
        raise Unsupported(f"approximate = '{approximate}'")
    # x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))
    cube = binary(im, "Mul", binary(im, "Mul", data, data), data)
    inner = binary(im, "Add", data, binary(im, "Mul", cube, scalar(im, 0.044715, data)))
    t = im.emit1("nnvm.tanh", [binary(im, "Mul", inner, scalar(im, np.sqrt(2 / np.pi), data))])
    half = binary(im, "Mul", data, scalar(im, 0.5, data))
    return [binary(im, "Mul", half, binary(im, "Add", t, scalar(im, 1.0, data)))]


@converts("Mish")
def _mish(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float(im, data)
    softplus = im.emit1(
        "nnvm.log", [binary(im, "Add", im.emit1("nnvm.exp", [data]), scalar(im, 1.0, data))]
    )
    return [binary(im, "Mul", data, im.emit1("nnvm.tanh", [softplus]))]


@converts("ThresholdedRelu")
def _thresholded_relu(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    alpha = scalar(im, float(node.attr("alpha", 1.0)), data)
    return [where(im, binary(im, "Less", alpha, data), data, scalar(im, 0, data))]


@converts("Shrink")
def _shrink(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    lambd, bias = float(node.attr("lambd", 0.5)), float(node.attr("bias", 0.0))
    dtype = im.dtype(data)
    if dtype is None or dtype.kind == "u" and bias:
        raise Unsupported(f"Shrink of {dtype} with bias {bias}")
    lam, b = scalar(im, lambd, data), scalar(im, bias, data)
    above = where(
        im, binary(im, "Less", lam, data), binary(im, "Sub", data, b), scalar(im, 0, data)
    )
    below = binary(im, "Less", data, scalar(im, -lambd, data))
    return [where(im, below, binary(im, "Add", data, b), above)]


def swish(im: Importer, v: Value, alpha: float) -> SSAValue:
    scaled = v if alpha == 1.0 else binary(im, "Mul", v, scalar(im, alpha, v))
    return binary(im, "Mul", v, im.emit1("nnvm.sigmoid", [scaled]))


@converts("Swish")
def _swish(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float(im, data)
    return [swish(im, data, float(node.attr("alpha", 1.0)))]


@converts("SwiGLU")
def _swiglu(im: Importer, node: Node) -> list[Value]:
    a, b = x(im, node), x(im, node, 1)
    _float(im, a)
    if im.shape(a) != im.shape(b):
        raise BadModel(f"A and B differ in shape: {im.shape(a)} and {im.shape(b)}")
    return [binary(im, "Mul", swish(im, a, float(node.attr("alpha", 1.0))), b)]


@converts("Hardmax")
def _hardmax(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    dtype = _float(im, data)
    shape = im.static_shape(data, "Hardmax's input")
    rank = len(shape)
    axis = int(node.attr("axis", -1 if node.opset >= 13 else 1))
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    axis %= rank
    work: Value = data
    if node.opset < 13:  # coerced to 2-D at axis
        work = reshape(im, data, [int(np.prod(shape[:axis])), int(np.prod(shape[axis:]))])
        axis = 1
    wshape = im.static_shape(work)
    props = {"axis": [axis], "keepdims": True, "dtype": np.dtype(np.int64)}
    first = im.emit1("nnvm.argmax", [work], props)  # the first maximum, as ONNX wants
    arange = np.arange(wshape[axis], dtype=np.int64).reshape(
        [-1 if i == axis else 1 for i in range(len(wshape))]
    )
    out = cast(im, binary(im, "Equal", first, arange), dtype)
    return [reshape(im, out, list(shape))]


@converts("LpPool")
def _lp_pool(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float(im, data)
    p = float(node.attr("p", 2))
    if node.attr("ceil_mode", 0):
        raise Unsupported("ceil_mode = 1")
    kernel = [int(k) for k in node.attr("kernel_shape")]
    powered = binary(im, "Pow", im.emit1("nnvm.abs", [data]), scalar(im, p, data))
    # Sum of |x|^p over each window: a zero-padded average pool that counts every tap, times
    # the window size.
    name = f"{node.name}:|x|^p"
    im.values[name] = powered
    attrs = {k: v for k, v in node.attrs.items() if k != "p"} | {"count_include_pad": 1}
    avg = dataclasses.replace(node, op_type="AveragePool", inputs=[name], attrs=attrs)
    total = binary(im, "Mul", _pool(im, avg)[0], scalar(im, float(np.prod(kernel)), data))
    return [binary(im, "Pow", total, scalar(im, 1.0 / p, data))]


@converts("Dropout")
def _dropout(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    training = node.input(2) and bool(np.any(im.need_const(node, 2, "training_mode")))
    if training:
        ratio = float(im.need_const(node, 1, "ratio")) if node.input(1) else 0.5
        if ratio != 0:
            raise Unsupported(f"training_mode = true with ratio {ratio} (random)")
    outs: list[Value] = [im.emit1("nnvm.copy", [data])]
    if len(node.outputs) > 1 and node.outputs[1]:
        outs.append(np.ones(im.static_shape(data, "the mask output"), np.bool_))
    return outs
