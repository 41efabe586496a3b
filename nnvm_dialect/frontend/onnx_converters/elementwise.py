"""Element-wise ONNX ops: unary and binary maths, activations, casts, Where and Expand."""

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
    type_name,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    BINARY,
    binary,
    broadcast_to,
    cast,
    clip,
    clip_exact,
    converts,
    ints,
    reshape,
    scalar,
    x,
)

UNARY = {
    "Relu": "nnvm.relu", "Tanh": "nnvm.tanh", "Sigmoid": "nnvm.sigmoid", "Exp": "nnvm.exp",
    "Log": "nnvm.log", "Sqrt": "nnvm.sqrt", "Neg": "nnvm.negative", "Abs": "nnvm.abs",
    "Floor": "nnvm.floor", "Ceil": "nnvm.ceil", "Round": "nnvm.nearbyint", "Erf": "nnvm.erf",
    "Not": "nnvm.logical_not", "Sin": "nnvm.sin", "Cos": "nnvm.cos", "Tan": "nnvm.tan",
    "Asin": "nnvm.asin", "Acos": "nnvm.acos", "Atan": "nnvm.atan", "Sinh": "nnvm.sinh",
    "Cosh": "nnvm.cosh", "Asinh": "nnvm.asinh", "Acosh": "nnvm.acosh", "Atanh": "nnvm.atanh",
    "Sign": "nnvm.sign", "IsNaN": "nnvm.isnan",
    "Softsign": "nnvm.softsign", "BitwiseNot": "nnvm.bitwise_not",
}  # fmt: skip


@converts(*UNARY)
def _unary(im: Importer, node: Node) -> list[Value]:
    return [im.emit1(UNARY[node.op_type], [x(im, node)])]


@converts("Reciprocal")
def _reciprocal(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    return [binary(im, "Div", scalar(im, 1.0, data), data)]


@converts("Identity")
def _identity(im: Importer, node: Node) -> list[Value]:
    return [x(im, node)]


@converts(*BINARY)
def _binary(im: Importer, node: Node) -> list[Value]:
    values: list[Value] = [x(im, node, i) for i in range(len(node.inputs))]
    if node.op_type == "Pow" and im.dtype(values[1]) != im.dtype(values[0]):
        base = im.dtype(values[0])  # ONNX lets the exponent have its own type
        if base is None:
            raise Unsupported("a base of unknown element type")
        values[1] = cast(im, values[1], base)
    if len(values) == 1:
        return [values[0]]
    out = binary(im, node.op_type, values[0], values[1])
    for v in values[2:]:  # Max and Min take any number of inputs
        out = binary(im, node.op_type, out, v)
    return [out]


@converts("Sum", "Mean")
def _sum(im: Importer, node: Node) -> list[Value]:
    values = [x(im, node, i) for i in range(len(node.inputs))]
    out = values[0]
    for v in values[1:]:
        out = binary(im, "Add", out, v)
    if node.op_type == "Mean" and len(values) > 1:
        out = binary(im, "Div", out, scalar(im, len(values), out))
    return [out]


@converts("Mod")
def _mod(im: Importer, node: Node) -> list[Value]:
    a, b = x(im, node, 0), x(im, node, 1)
    if int(node.attr("fmod", 0)) == 1:
        return [im.emit1("nnvm.broadcast_mod", [a, b])]  # C's fmod: the sign of the dividend
    return [im.emit1("nnvm.broadcast_floor_mod", [a, b])]  # numpy's mod: the divisor's sign


@converts("LeakyRelu")
def _leaky_relu(im: Importer, node: Node) -> list[Value]:
    return [im.emit1("nnvm.leaky_relu", [x(im, node)], {"alpha": node.attr("alpha", 0.01)})]


def negative_part(im: Importer, v: Value) -> SSAValue:
    """min(v, 0), exactly: v - relu(v)."""
    return binary(im, "Sub", v, im.emit1("nnvm.relu", [v]))


@converts("PRelu")
def _prelu(im: Importer, node: Node) -> list[Value]:
    data, slope = x(im, node), x(im, node, 1)
    ds, ss = im.shape(data), im.shape(slope)
    if im.original_opset < 7 and ds and ss and len(ss) == 1 and len(ds) > 2 and ss[0] == ds[1]:
        # Before opset 7 a 1-D slope is per channel (axis 1); the converter keeps its shape.
        slope = reshape(im, slope, [ss[0]] + [1] * (len(ds) - 2))
    pos = im.emit1("nnvm.relu", [data])
    return [binary(im, "Add", pos, binary(im, "Mul", negative_part(im, data), slope))]


@converts("Elu", "Selu", "Celu")
def _elu(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    default = {"Elu": 1.0, "Selu": 1.67326319217681884765625, "Celu": 1.0}[node.op_type]
    alpha = float(node.attr("alpha", default))
    neg = negative_part(im, data)
    if node.op_type == "Celu":
        neg = binary(im, "Div", neg, scalar(im, alpha, data))
    em1 = binary(im, "Sub", im.emit1("nnvm.exp", [neg]), scalar(im, 1.0, data))
    out = binary(
        im, "Add", im.emit1("nnvm.relu", [data]), binary(im, "Mul", em1, scalar(im, alpha, data))
    )
    if node.op_type == "Selu":
        gamma = float(node.attr("gamma", 1.05070102214813232421875))
        out = binary(im, "Mul", out, scalar(im, gamma, data))
    return [out]


@converts("Softplus")
def _softplus(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    e = im.emit1("nnvm.exp", [data])
    return [im.emit1("nnvm.log", [binary(im, "Add", e, scalar(im, 1.0, data))])]


@converts("HardSigmoid")
def _hard_sigmoid(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    alpha, beta = float(node.attr("alpha", 0.2)), float(node.attr("beta", 0.5))
    y = binary(im, "Add", binary(im, "Mul", data, scalar(im, alpha, data)), scalar(im, beta, data))
    return [clip(im, y, 0.0, 1.0)]


@converts("HardSwish")
def _hard_swish(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    y = binary(im, "Add", binary(im, "Mul", data, scalar(im, 1 / 6, data)), scalar(im, 0.5, data))
    return [binary(im, "Mul", data, clip(im, y, 0.0, 1.0))]


@converts("Clip")
def _clip(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    if node.opset < 11:
        lo, hi = node.attr("min"), node.attr("max")
    else:
        lo = hi = None
        if node.input(1):
            lo = float(im.need_const(node, 1, "min"))
        if node.input(2):
            hi = float(im.need_const(node, 2, "max"))
    dtype = im.dtype(data)
    if dtype is not None and dtype.kind in "iu" or lo is not None and hi is not None and lo > hi:
        return [clip_exact(im, data, lo, hi)]  # min > max gives max everywhere, as ONNX says
    return [clip(im, data, lo, hi)]


FLOAT8 = ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz")


def onnx_cast(im: Importer, node: Node, v: Value, dtype: np.dtype) -> SSAValue:
    """ONNX's Cast to `dtype`: to a float8 format with `saturate` (default 1), out-of-range
    values and infinities become the largest finite value of the sign (a clip first)."""
    import ml_dtypes

    if dtype.name == "float8_e8m0fnu":  # its own rounding modes, not round-to-nearest
        mode = node.attr("round_mode", "up")
        raise Unsupported(f"cast to FLOAT8E8M0 (round_mode '{mode}')")
    if dtype.name in FLOAT8 and int(node.attr("saturate", 1)):
        top = float(ml_dtypes.finfo(dtype).max)
        source = im.dtype(v)
        if source is None:
            raise Unsupported("a saturating cast of an operand of unknown element type")
        small = source.kind == "b" or (
            source.kind in "iu" and max(-int(np.iinfo(source).min), np.iinfo(source).max) <= top
        )
        if not small:
            v = im.emit1("nnvm.clip", [v], {"a_min": -top, "a_max": top})
    return cast(im, v, dtype)


@converts("Cast")
def _cast(im: Importer, node: Node) -> list[Value]:
    from onnx import helper

    to = int(node.attr("to"))
    try:
        dtype = np.dtype(helper.tensor_dtype_to_np_dtype(to))
        from nnvm_dialect.dtypes import from_numpy

        from_numpy(dtype)
    except Exception:
        raise Unsupported(f"cast to {type_name(to)}") from None
    return [onnx_cast(im, node, x(im, node), dtype)]


@converts("CastLike")
def _cast_like(im: Importer, node: Node) -> list[Value]:
    dtype = im.dtype(node.input(1))
    if dtype is None:
        raise Unsupported("a target of unknown element type")
    return [onnx_cast(im, node, x(im, node), dtype)]


@converts("Where")
def _where(im: Importer, node: Node) -> list[Value]:
    cond, a, b = (x(im, node, i) for i in range(3))
    shapes = [im.static_shape(v, "Where's operands") for v in (cond, a, b)]
    out_shape = tuple(np.broadcast_shapes(*shapes))
    cond, a, b = (broadcast_to(im, v, s, out_shape) for v, s in zip((cond, a, b), shapes))
    return [im.emit1("nnvm.where", [cond, a, b])]


@converts("Expand")
def _expand(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    target = ints(im.need_const(node, 1, "shape"))
    shape = im.static_shape(data)
    try:
        out = tuple(np.broadcast_shapes(shape, tuple(target)))
    except ValueError:
        raise BadModel(f"cannot broadcast {list(shape)} to {target}") from None
    if out == tuple(shape):
        return [im.emit1("nnvm.copy", [data])]
    return [broadcast_to(im, data, shape, out)]
