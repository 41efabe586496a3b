"""Quantization: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger,
ConvInteger, QLinearMatMul and QLinearConv, decomposed into casts, arithmetic, clips and the
float MatMul and Conv.

Integer products and sums run in float64, where they are exact (every value of an 8- or 16-bit
integer tensor, and the sums a matmul or convolution makes of them, fit in 53 bits); each
step otherwise follows the numpy promotions of ONNX's reference implementation, so results
round where it rounds."""

import itertools

import numpy as np

from nnvm_dialect.frontend.onnx import Importer, Node, Unsupported, Value
from nnvm_dialect.frontend.onnx_converters.common import (
    CONVERTERS,
    binary,
    cast,
    clip,
    converts,
    reshape,
)
from nnvm_dialect.frontend.onnx_converters.elementwise import FLOAT8, onnx_cast

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)
_names = itertools.count()


def inp(im: Importer, node: Node, i: int) -> Value | None:
    """Input i as a constant array where it is one, None where it is absent."""
    name = node.input(i)
    if not name:
        return None
    const = im.const(name)
    return const if const is not None else im.value(name)


def dtype_of(im: Importer, v: Value) -> np.dtype:
    dtype = im.dtype(v)
    if dtype is None:
        raise Unsupported("an operand of unknown element type")
    return np.dtype(dtype)


def to(im: Importer, v: Value, dtype: np.dtype) -> Value:
    if isinstance(v, np.ndarray):
        return v.astype(dtype)
    return v if dtype_of(im, v) == dtype else cast(im, v, dtype)


def along(im: Importer, v: Value, shape: tuple[int, ...], axis: int, block: int) -> Value:
    """A scale or zero point made broadcastable to `shape`: one value, one per index of
    `axis`, or (with `block`) one per block of `block` indices along it."""
    vshape = im.static_shape(v, "a scale or zero point")
    size = int(np.prod(vshape))
    if size == 1:
        return reshape(im, v, [1] * len(shape)) if vshape != () else v
    axis = axis % len(shape)
    if not block:
        if len(vshape) != 1 or vshape[0] != shape[axis]:
            raise Unsupported(f"a scale of shape {list(vshape)} for axis {axis} of {list(shape)}")
        return reshape(im, v, [shape[axis] if d == axis else 1 for d in range(len(shape))])
    if len(vshape) != len(shape) or -(-shape[axis] // block) != vshape[axis]:
        raise Unsupported(f"blocked scales of shape {list(vshape)} for {list(shape)}")
    out = im.emit1("nnvm.repeat", [v], {"repeats": block, "axis": axis})
    if vshape[axis] * block != shape[axis]:
        end = [shape[axis] if d == axis else vshape[d] for d in range(len(shape))]
        out = im.emit1(
            "nnvm.strided_slice",
            [out],
            {"begin": [0] * len(shape), "end": end, "stride": [1] * len(shape)},
        )
    return out


def sub_op(im: Importer, node: Node, op_type: str, inputs: list[Value | None], **attrs) -> Value:
    """The result of ONNX op `op_type` on these values, by its own converter."""
    names = []
    for v in inputs:
        if v is None:
            names.append("")
            continue
        name = f"{node.name}/{op_type}#{next(_names)}"
        if isinstance(v, np.ndarray):
            im.consts[name] = v
        else:
            im.values[name] = v
        names.append(name)
    sub = Node(op_type, node.name, names, [f"{node.name}/out"], attrs, node.opset, "")
    return CONVERTERS[op_type](im, sub)[0]


def integer_range(dtype: np.dtype) -> tuple[int, int]:
    import ml_dtypes

    info = ml_dtypes.iinfo(dtype)
    return int(info.min), int(info.max)


def is_integer(dtype: np.dtype) -> bool:
    from nnvm_dialect.dtypes import NARROW_INTS

    return dtype.kind in "iu" or dtype in NARROW_INTS


@converts("QuantizeLinear")
def _quantize(im: Importer, node: Node) -> list[Value]:
    from onnx import helper

    if node.attr("precision", 0):
        raise Unsupported(f"precision = {node.attr('precision')}")
    data, scale, zero = inp(im, node, 0), inp(im, node, 1), inp(im, node, 2)
    assert data is not None and scale is not None
    shape = im.static_shape(data)
    axis, block = int(node.attr("axis", 1)), int(node.attr("block_size", 0))
    if zero is not None:
        target = dtype_of(im, zero)
    elif node.attr("output_dtype", 0):
        target = np.dtype(helper.tensor_dtype_to_np_dtype(int(node.attr("output_dtype"))))
    else:
        target = np.dtype(np.uint8)
    wide = np.result_type(dtype_of(im, data), dtype_of(im, scale))
    q = binary(im, "Div", to(im, data, wide), along(im, to(im, scale, wide), shape, axis, block))
    if is_integer(target):
        r = im.emit1("nnvm.nearbyint", [to(im, q, F64)])
        if zero is not None:
            r = binary(im, "Add", r, along(im, to(im, zero, F64), shape, axis, block))
        return [cast(im, clip(im, r, *integer_range(target)), target)]
    if target.name in FLOAT8:  # the zero point of a float8 type is 0 and unused
        return [onnx_cast(im, node, q, target)]
    if target.name == "float4_e2m1fn":
        if zero is not None:
            zf = along(im, to(im, zero, dtype_of(im, q)), shape, axis, block)
            q = binary(im, "Add", q, zf)
        return [cast(im, q, target)]
    raise Unsupported(f"quantization to {target}")


@converts("DequantizeLinear")
def _dequantize(im: Importer, node: Node) -> list[Value]:
    from onnx import helper

    data, scale, zero = inp(im, node, 0), inp(im, node, 1), inp(im, node, 2)
    assert data is not None and scale is not None
    shape = im.static_shape(data)
    axis, block = int(node.attr("axis", 1)), int(node.attr("block_size", 0))
    source, scale_type = dtype_of(im, data), dtype_of(im, scale)
    dx = to(im, data, F32)
    if zero is not None and is_integer(source):
        # float32 minus an int32 or int64 is float64 in numpy
        wide = F64 if source.kind in "iu" and source.itemsize >= 4 else F32
        zf = along(im, to(im, zero, wide), shape, axis, block)
        dx = binary(im, "Sub", to(im, dx, wide), zf)
    wide = np.result_type(dtype_of(im, dx), scale_type)
    y = binary(im, "Mul", to(im, dx, wide), along(im, to(im, scale, wide), shape, axis, block))
    out = node.attr("output_dtype", 0)
    target = np.dtype(helper.tensor_dtype_to_np_dtype(int(out))) if out else scale_type
    return [to(im, y, target)]


@converts("DynamicQuantizeLinear")
def _dynamic_quantize(im: Importer, node: Node) -> list[Value]:
    data = inp(im, node, 0)
    assert data is not None
    if dtype_of(im, data) != F32:
        raise Unsupported(f"input of type {dtype_of(im, data)} (float32 only)")
    rank = len(im.static_shape(data))
    every = {"axis": list(range(rank)), "keepdims": False}
    zero = np.zeros((), np.float32)
    top = binary(im, "Max", im.emit1("nnvm.max", [data], every), zero)
    bottom = binary(im, "Min", im.emit1("nnvm.min", [data], every), zero)
    spread = binary(im, "Sub", top, bottom)  # 0 only when both are 0: then the scale is 1/255
    empty = cast(im, binary(im, "Equal", spread, zero), F32)
    scale = binary(im, "Div", binary(im, "Add", spread, empty), np.asarray(255, np.float32))
    zp = binary(im, "Sub", zero, binary(im, "Div", bottom, scale))
    zp = im.emit1("nnvm.nearbyint", [clip(im, zp, 0, 255)])
    y = im.emit1("nnvm.nearbyint", [binary(im, "Div", data, scale)])
    y = clip(im, binary(im, "Add", y, zp), 0, 255)
    u8 = np.dtype(np.uint8)
    # NNVM's reductions over every axis keep one: the scale and zero point are scalars
    return [cast(im, y, u8), reshape(im, scale, []), reshape(im, cast(im, zp, u8), [])]


def centred(im: Importer, v: Value, zero: Value | None) -> Value:
    """v - zero in float64 (exact for integer tensors), with numpy's broadcasting."""
    v = to(im, v, F64)
    return v if zero is None else binary(im, "Sub", v, to(im, zero, F64))


def requantize(im: Importer, acc: Value, multiplier: Value, zero: Value | None,
               target: np.dtype) -> Value:  # fmt: skip
    """round(acc * multiplier + zero) saturated to `target`, in float64 as numpy computes it
    (an int32 array times a float32 or float16 one is float64)."""
    y = binary(im, "Mul", acc, to(im, multiplier, F64))
    if zero is not None:
        y = binary(im, "Add", y, to(im, zero, F64))
    lo, hi = integer_range(target)
    return cast(im, clip(im, im.emit1("nnvm.nearbyint", [y]), lo, hi), target)


def int32_result(im: Importer, acc: Value) -> Value:
    return cast(im, acc, np.dtype(np.int32))


@converts("MatMulInteger")
def _matmul_integer(im: Importer, node: Node) -> list[Value]:
    a, b = inp(im, node, 0), inp(im, node, 1)
    a = centred(im, a, inp(im, node, 2))  # type: ignore[arg-type]
    b = centred(im, b, inp(im, node, 3))  # type: ignore[arg-type]
    return [int32_result(im, sub_op(im, node, "MatMul", [a, b]))]


@converts("QLinearMatMul")
def _qlinear_matmul(im: Importer, node: Node) -> list[Value]:
    a, a_scale, a_zero, b, b_scale, b_zero, y_scale, y_zero = (inp(im, node, i) for i in range(8))
    assert a is not None and b is not None and a_scale is not None
    assert b_scale is not None and y_scale is not None
    acc = sub_op(im, node, "MatMul", [centred(im, a, a_zero), centred(im, b, b_zero)])
    multiplier = binary(im, "Div", binary(im, "Mul", a_scale, b_scale), y_scale)
    target = dtype_of(im, y_zero if y_zero is not None else a)
    return [requantize(im, acc, multiplier, y_zero, target)]


def conv_attrs(node: Node) -> dict:
    names = ("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")
    return {k: node.attr(k) for k in names if node.attr(k) is not None}


def weight_zero(im: Importer, w: Value, zero: Value | None) -> Value | None:
    """A per-output-channel weight zero point shaped (C, 1, ...) to broadcast over w."""
    if zero is None:
        return None
    wshape, zshape = im.static_shape(w, "the weight"), im.static_shape(zero, "a zero point")
    if len(zshape) == 1 and zshape[0] == wshape[0]:
        return reshape(im, to(im, zero, F64), [wshape[0]] + [1] * (len(wshape) - 1))
    return zero


@converts("ConvInteger")
def _conv_integer(im: Importer, node: Node) -> list[Value]:
    data, w = inp(im, node, 0), inp(im, node, 1)
    assert data is not None and w is not None
    xc = centred(im, data, inp(im, node, 2))
    wc = centred(im, w, weight_zero(im, w, inp(im, node, 3)))
    return [int32_result(im, sub_op(im, node, "Conv", [xc, wc], **conv_attrs(node)))]


@converts("QLinearConv")
def _qlinear_conv(im: Importer, node: Node) -> list[Value]:
    data, x_scale, x_zero, w, w_scale, w_zero, y_scale, y_zero = (
        inp(im, node, i) for i in range(8)
    )
    bias = inp(im, node, 8)
    assert data is not None and w is not None and x_scale is not None
    assert w_scale is not None and y_scale is not None
    xc = centred(im, data, x_zero)
    wc = centred(im, w, weight_zero(im, w, w_zero))
    bias64 = None if bias is None else to(im, bias, F64)
    acc = sub_op(im, node, "Conv", [xc, wc, bias64], **conv_attrs(node))
    rank = len(im.static_shape(w, "the weight"))
    if int(np.prod(im.static_shape(w_scale, "w_scale"))) > 1:  # per output channel
        w_scale = reshape(im, w_scale, [1, -1] + [1] * (rank - 2))
    multiplier = binary(im, "Div", binary(im, "Mul", x_scale, w_scale), y_scale)
    target = dtype_of(im, y_zero if y_zero is not None else data)
    if target not in (np.dtype(np.int8), np.dtype(np.uint8)):
        raise Unsupported(f"QLinearConv to {target}")
    return [requantize(im, acc, multiplier, y_zero, target)]
