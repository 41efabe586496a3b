"""The table from ONNX op type to converter: each emits nnvm ops for one node.

A converter returns one value per node output: an SSA value, or a numpy array when the result is
known at import (shapes, folded constants). Where ONNX and NNVM differ (pooling's ceil_mode
windows, Softmax before opset 13, Round's half-to-even, Mod's fmod) the converter imports the
ONNX meaning; where it cannot, it raises Unsupported naming the attribute value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    FOLD_LIMIT,
    BadModel,
    Converter,
    Importer,
    Node,
    Unsupported,
    Value,
    type_name,
)

CONVERTERS: dict[str, Converter] = {}


def converts(*op_types: str) -> Callable[[Converter], Converter]:
    def register(f: Converter) -> Converter:
        for t in op_types:
            CONVERTERS[t] = f
        return f

    return register


def x(im: Importer, node: Node, i: int = 0) -> SSAValue:
    name = node.input(i)
    if not name:
        raise BadModel(f"input {i} is required")
    return im.value(name)


def ints(values: Any) -> list[int]:
    return [int(v) for v in np.asarray(values).reshape(-1)]


# Folding at import --------------------------------------------------------------------------

FOLDABLE = {
    "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "ConstantOfShape",
    "Range", "Cast", "Slice", "Add", "Sub", "Mul", "Div", "Equal", "Where", "Expand", "Identity",
    "Floor", "Ceil", "Neg", "Abs", "Max", "Min", "ReduceProd", "Transpose", "Flatten", "Not",
    "Less", "Greater", "Mod", "Tile", "Sqrt", "Constant", "CastLike", "NonZero", "ReduceSum",
}  # fmt: skip


def _fold_size(im: Importer, node: Node) -> int:
    """An upper bound on a folded result's element count, before computing it."""
    consts = [im.const(i) for i in node.inputs if i]
    biggest = max((c.size for c in consts if c is not None), default=1)
    if node.op_type == "Range":
        start, limit, delta = (float(np.asarray(c).reshape(-1)[0]) for c in consts[:3])
        if delta == 0:
            raise BadModel("Range with delta 0")
        return max(int(np.ceil((limit - start) / delta)), 0)
    if node.op_type in ("Expand", "Tile"):
        try:
            return int(np.prod(np.abs(consts[1].astype(np.float64)))) * max(biggest, 1)
        except (OverflowError, ValueError):
            return FOLD_LIMIT + 1
    return biggest


def fold(im: Importer, node: Node) -> list[np.ndarray] | None:
    """The node's outputs computed now when all its inputs are known and it is cheap."""
    if node.op_type == "Constant":
        return [_constant_attr(node)]
    if node.op_type not in FOLDABLE:
        return None
    if not all(im.const(i) is not None for i in node.inputs if i):
        return None
    if node.op_type == "ConstantOfShape":
        return [_constant_of_shape(im, node)]
    if _fold_size(im, node) > FOLD_LIMIT:
        return None
    from onnx import helper
    from onnx.reference import ReferenceEvaluator

    proto = helper.make_node(node.op_type, node.inputs, node.outputs, domain=node.domain)
    for k, v in node.attrs.items():
        if isinstance(v, np.ndarray):
            from onnx import numpy_helper

            proto.attribute.append(helper.make_attribute(k, numpy_helper.from_array(v)))
        else:
            proto.attribute.append(helper.make_attribute(k, v))
    feeds = {i: im.consts[i] for i in node.inputs if i}
    try:
        outs = ReferenceEvaluator(proto, opsets={"": node.opset}).run(None, feeds)
    except Exception as e:  # onnx's evaluator rejects what the node got wrong
        raise BadModel(f"cannot evaluate its constant inputs: {type(e).__name__}: {e}") from None
    return [np.asarray(o) for o in outs]


@converts("Constant")
def _constant(im: Importer, node: Node) -> list[Value]:
    return [_constant_attr(node)]


@converts("ConstantOfShape")
def _constant_of_shape_op(im: Importer, node: Node) -> list[Value]:
    im.need_const(node, 0, "the shape")
    return [_constant_of_shape(im, node)]


def _constant_attr(node: Node) -> np.ndarray:
    for key in ("value", "value_float", "value_floats", "value_int", "value_ints"):
        if key in node.attrs:
            v = node.attrs[key]
            if key.startswith("value_float"):
                return np.asarray(v, np.float32)
            if key.startswith("value_int"):
                return np.asarray(v, np.int64)
            return np.asarray(v)
    kinds = ", ".join(sorted(node.attrs)) or "none"
    raise Unsupported(f"Constant with attribute {kinds}")


def _constant_of_shape(im: Importer, node: Node) -> np.ndarray:
    shape = ints(im.consts[node.input(0)])
    if any(d < 0 for d in shape):
        raise BadModel(f"negative dimension in shape {shape}")
    value = node.attr("value")
    fill = np.zeros(1, np.float32) if value is None else np.asarray(value).reshape(-1)[:1]
    return np.broadcast_to(fill.reshape(()), shape)


# Element-wise -----------------------------------------------------------------------------

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


BINARY = {
    "Add": ("nnvm.elemwise_add", "nnvm.broadcast_add"),
    "Sub": ("nnvm.elemwise_sub", "nnvm.broadcast_sub"),
    "Mul": ("nnvm.elemwise_mul", "nnvm.broadcast_mul"),
    "Div": ("nnvm.elemwise_div", "nnvm.broadcast_div"),
    "Pow": ("nnvm.elemwise_pow", "nnvm.broadcast_pow"),
    "Max": ("nnvm.broadcast_max", "nnvm.broadcast_maximum"),
    "Min": ("nnvm.broadcast_min", "nnvm.broadcast_minimum"),
    "And": ("nnvm.logical_and", "nnvm.broadcast_logical_and"),
    "Or": ("nnvm.logical_or", "nnvm.broadcast_logical_or"),
    "Xor": ("nnvm.logical_xor", "nnvm.broadcast_logical_xor"),
    "Equal": ("nnvm.broadcast_equal",),
    "Greater": ("nnvm.broadcast_greater",),
    "Less": ("nnvm.broadcast_less",),
    "GreaterOrEqual": ("nnvm.broadcast_greater_equal",),
    "LessOrEqual": ("nnvm.broadcast_less_equal",),
}


def binary(im: Importer, op_type: str, a: Value, b: Value) -> SSAValue:
    """lhs op rhs with ONNX's numpy broadcasting."""
    elem, *bcast = BINARY[op_type]
    sa, sb = im.shape(a), im.shape(b)
    same = sa is not None and sa == sb and None not in sa
    names = [elem, *bcast] if same else bcast
    if op_type in ("Max", "Min", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"):
        names = [elem, *bcast]
    if not names:
        raise Unsupported("operands of different shapes")
    out = im.emit1(names, [a, b])
    if op_type in ("Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"):
        if im.dtype(out) != np.bool_:
            out = cast(im, out, np.dtype(np.bool_))
    return out


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


def scalar(im: Importer, value: float, like: Value) -> np.ndarray:
    dtype = im.dtype(like)
    if dtype is None:
        raise Unsupported("an operand of unknown element type")
    return np.asarray(value, dtype)


def cast(im: Importer, v: Value, dtype: np.dtype) -> SSAValue:
    return im.emit1("nnvm.cast", [v], {"dtype": dtype})


@converts("Mod")
def _mod(im: Importer, node: Node) -> list[Value]:
    a, b = x(im, node, 0), x(im, node, 1)
    dtype = im.dtype(a)
    fmod = int(node.attr("fmod", 0))
    if dtype is None:
        raise Unsupported("an operand of unknown element type")
    if fmod == 0 and dtype.kind == "f":  # the spec requires fmod = 1 for floats
        raise Unsupported("fmod = 0 on floats (numpy's mod with its inf and nan cases)")
    r = im.emit1("nnvm.broadcast_mod", [a, b])  # C's fmod: the sign of the dividend
    if fmod == 1:
        return [r]
    # Python's modulo (the sign of the divisor), exactly: fmod(fmod(a, b) + b, b).
    return [im.emit1("nnvm.broadcast_mod", [binary(im, "Add", r, b), b])]


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


def clip(im: Importer, v: Value, lo: float | None, hi: float | None) -> SSAValue:
    if op_exists("nnvm.clip") and lo is not None and hi is not None:
        return im.emit1("nnvm.clip", [v], {"a_min": float(lo), "a_max": float(hi)})
    out = im.as_value(v)
    if lo is not None:
        out = binary(im, "Max", out, scalar(im, lo, v))
    if hi is not None:
        out = binary(im, "Min", out, scalar(im, hi, v))
    return out


def op_exists(name: str) -> bool:
    from nnvm_dialect.frontend.onnx import op_class

    return op_class(name) is not None


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
    if dtype is not None and dtype.kind in "iu":
        return [clip_exact(im, data, lo, hi)]
    return [clip(im, data, lo, hi)]


def clip_exact(im: Importer, v: Value, lo: float | None, hi: float | None) -> SSAValue:
    out = im.as_value(v)
    if lo is not None:
        out = binary(im, "Max", out, scalar(im, lo, v))
    if hi is not None:
        out = binary(im, "Min", out, scalar(im, hi, v))
    return out


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
    return [cast(im, x(im, node), dtype)]


@converts("CastLike")
def _cast_like(im: Importer, node: Node) -> list[Value]:
    dtype = im.dtype(node.input(1))
    if dtype is None:
        raise Unsupported("a target of unknown element type")
    return [cast(im, x(im, node), dtype)]


@converts("Where")
def _where(im: Importer, node: Node) -> list[Value]:
    cond, a, b = (x(im, node, i) for i in range(3))
    shapes = [im.static_shape(v, "Where's operands") for v in (cond, a, b)]
    out_shape = tuple(np.broadcast_shapes(*shapes))
    cond, a, b = (broadcast_to(im, v, s, out_shape) for v, s in zip((cond, a, b), shapes))
    return [im.emit1("nnvm.where", [cond, a, b])]


def broadcast_to(im: Importer, v: Value, shape: tuple[int, ...], to: tuple[int, ...]) -> SSAValue:
    if tuple(shape) == tuple(to):
        return im.as_value(v)
    return im.emit1("nnvm.broadcast_to", [v], {"shape": list(to)})


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


# Neural-network ops -----------------------------------------------------------------------


def _pads(node: Node, im: Importer, data: Value, kernel: Sequence[int], strides: Sequence[int],
          dilations: Sequence[int]) -> list[int]:  # fmt: skip
    """ONNX pads (begin..., end...) with auto_pad resolved."""
    n = len(kernel)
    auto = node.attr("auto_pad", "NOTSET")
    if auto in ("NOTSET", ""):
        pads = node.attr("pads", [0] * (2 * n))
        if len(pads) != 2 * n:
            raise BadModel(f"pads has {len(pads)} values, expected {2 * n}")
        return [int(p) for p in pads]
    if auto == "VALID":
        return [0] * (2 * n)
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        raise Unsupported(f"auto_pad = '{auto}'")
    shape = im.static_shape(data, f"auto_pad = '{auto}'")
    begin, end = [], []
    for i in range(n):
        size = shape[2 + i]
        out = -(-size // strides[i])
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size, 0)
        small, big = total // 2, total - total // 2
        begin.append(small if auto == "SAME_UPPER" else big)
        end.append(big if auto == "SAME_UPPER" else small)
    return begin + end


def spatial(im: Importer, node: Node, data: Value, what: str) -> int:
    rank = im.rank(data, what)
    if not 3 <= rank <= 5:
        raise Unsupported(f"{rank - 2}-D {what} (1-D to 3-D are supported)")
    return rank - 2


def to_2d(im: Importer, v: Value) -> SSAValue:
    """(N, C, W) -> (N, C, 1, W)."""
    return im.emit1("nnvm.expand_dims", [v], {"axis": 2})


def from_2d(im: Importer, v: Value) -> SSAValue:
    return im.emit1("nnvm.squeeze", [v], {"axis": [2]})


@converts("Conv")
def _conv(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    nd = spatial(im, node, data, "convolution")
    wshape = im.static_shape(node.input(1), "the weight")
    kernel = list(node.attr("kernel_shape", wshape[2:]))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    pads = _pads(node, im, data, kernel, strides, dilations)
    weight = x(im, node, 1)
    operands = [data, weight]
    if node.input(2):
        operands.append(x(im, node, 2))
    props = {
        "channels": wshape[0],
        "kernel_size": kernel,
        "strides": strides,
        "dilation": dilations,
        "groups": int(node.attr("group", 1)),
        "use_bias": len(operands) == 3,
    }
    if nd != 2:  # NNVM's conv2d is 2-D; nnvm.conv (ops/onnx_ops.py) takes any
        return [im.emit1("nnvm.conv", operands, {**props, "padding": pads})]
    begin, end = pads[:2], pads[2:]
    if begin != end:
        operands[0] = pad(im, data, [0, 0, *begin], [0, 0, *end], 0.0)
        begin = [0, 0]
    return [im.emit1("nnvm.conv2d", operands, {**props, "padding": begin})]


@converts("ConvTranspose")
def _conv_transpose(im: Importer, node: Node) -> list[Value]:
    data, weight = x(im, node), x(im, node, 1)
    nd = spatial(im, node, data, "transposed convolution")
    wshape = im.static_shape(weight, "the weight")
    kernel = list(node.attr("kernel_shape", wshape[2:]))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    group = int(node.attr("group", 1))
    out_pad = list(node.attr("output_padding", [0] * nd))
    if "output_shape" in node.attrs or node.attr("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
        shape = im.static_shape(data, "output_shape / auto_pad")
        want = list(node.attr("output_shape", [shape[2 + i] * strides[i] for i in range(nd)]))[-nd:]
        pads = []
        for i in range(nd):
            total = (
                strides[i] * (shape[2 + i] - 1) + out_pad[i] + (kernel[i] - 1) * dilations[i] + 1
                - want[i]
            )  # fmt: skip
            if node.attr("auto_pad", "NOTSET") == "SAME_UPPER":
                pads.append((total // 2, total - total // 2))
            else:
                pads.append((total - total // 2, total // 2))
        begin, end = [p[0] for p in pads], [p[1] for p in pads]
    else:
        pads = list(node.attr("pads", [0] * (2 * nd)))
        if node.attr("auto_pad", "NOTSET") == "VALID":
            pads = [0] * (2 * nd)
        begin, end = pads[:nd], pads[nd:]
    # Asymmetric padding: pad both sides with the smaller amount, add the rest as output_padding
    # or crop it afterwards.
    if nd == 1:
        data, weight = to_2d(im, data), to_2d(im, weight)
        kernel, strides, dilations = [1, *kernel], [1, *strides], [1, *dilations]
        begin, end, out_pad = [0, *begin], [0, *end], [0, *out_pad]
    sym = [min(b, e) for b, e in zip(begin, end)]
    extra_end = [e - s for e, s in zip(end, sym)]
    extra_begin = [b - s for b, s in zip(begin, sym)]
    operands = [data, weight]
    if node.input(2):
        operands.append(x(im, node, 2))
    out = im.emit1(
        "nnvm.conv2d_transpose",
        operands,
        {
            "channels": wshape[1] * group,
            "kernel_size": kernel,
            "strides": strides,
            "padding": sym,
            "output_padding": out_pad,
            "dilation": dilations,
            "groups": group,
            "use_bias": len(operands) == 3,
        },
    )
    if any(extra_begin) or any(extra_end):
        shape = im.static_shape(out)
        begins = [0, 0, *extra_begin]
        ends = [shape[0], shape[1], *(shape[2 + i] - extra_end[i] for i in range(2))]
        out = strided_slice(im, out, begins, ends, [1] * 4)
    return [from_2d(im, out) if nd == 1 else out]


def strided_slice(
    im: Importer, v: Value, begin: list[int], end: list[int], stride: list[int]
) -> SSAValue:
    return im.emit1("nnvm.strided_slice", [v], {"begin": begin, "end": end, "stride": stride})


def pad(im: Importer, v: Value, before: list[int], after: list[int], value: float) -> SSAValue:
    return im.emit1(
        "nnvm.pad", [v], {"pad_width": [[b, a] for b, a in zip(before, after)], "pad_value": value}
    )


@converts("MaxPool", "AveragePool", "LpPool")
def _pool(im: Importer, node: Node) -> list[Value]:
    if node.op_type == "LpPool":
        raise Unsupported("LpPool")
    data = x(im, node)
    nd = spatial(im, node, data, "pooling")
    if len([o for o in node.outputs if o]) > 1:
        raise Unsupported("the Indices output of MaxPool")
    kernel = list(node.attr("kernel_shape"))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    pads = _pads(node, im, data, kernel, strides, dilations)
    begin, end = pads[:nd], list(pads[nd:])
    avg = node.op_type == "AveragePool"
    include = avg and bool(node.attr("count_include_pad", 0))
    extra = [0] * nd  # end padding beyond ONNX's, for ceil_mode's last windows
    if node.attr("ceil_mode", 0):
        # ONNX drops a last window that would start in the end padding; NNVM's ceil_mode keeps
        # it. Floor mode with just enough end padding gives ONNX's windows.
        shape = im.static_shape(data, "ceil_mode")
        for i in range(nd):
            size, s = shape[2 + i], strides[i]
            k = (kernel[i] - 1) * dilations[i] + 1
            out = -(-(size + begin[i] + end[i] - k) // s) + 1
            if (out - 1) * s >= size + begin[i]:
                out -= 1
            extra[i] = max(0, (out - 1) * s + k - size - begin[i] - end[i])
    if include and (any(pads) or any(extra)):
        # ONNX divides by the part of the window inside the padded input: pad explicitly and
        # count only what is inside it.
        data = pad(im, data, [0, 0, *begin], [0, 0, *end], 0.0)
        begin, end, include = [0] * nd, [0] * nd, False
    end = [e + x_ for e, x_ in zip(end, extra)]
    if nd == 2 and dilations == [1, 1]:
        props: dict[str, Any] = {
            "pool_size": kernel,
            "strides": strides,
            "padding": [*begin, *end],
        }
        if avg:
            return [im.emit1("nnvm.avg_pool2d", [data], {**props, "count_include_pad": include})]
        return [im.emit1("nnvm.max_pool2d", [data], props)]
    props = {
        "pool_size": kernel,
        "strides": strides,
        "padding": [*begin, *end],
        "dilation": dilations,
    }
    if avg:
        return [im.emit1("nnvm.avg_pool", [data], {**props, "count_include_pad": include})]
    return [im.emit1("nnvm.max_pool", [data], props)]


@converts("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    nd = spatial(im, node, data, "global pooling")
    avg = node.op_type == "GlobalAveragePool"
    if nd != 2:
        reduce = "nnvm.mean" if avg else "nnvm.max"
        return [im.emit1(reduce, [data], {"axis": list(range(2, 2 + nd)), "keepdims": True})]
    return [im.emit1("nnvm.global_avg_pool2d" if avg else "nnvm.global_max_pool2d", [data])]


@converts("BatchNormalization")
def _batch_norm(im: Importer, node: Node) -> list[Value]:
    if len([o for o in node.outputs if o]) > 1 or node.attr("training_mode", 0):
        raise Unsupported("training mode (running mean and variance outputs)")
    operands = [x(im, node, i) for i in range(5)]
    eps = float(node.attr("epsilon", 1e-5))
    return [im.emit1("nnvm.batch_norm", operands, {"epsilon": eps, "axis": 1})]


@converts("InstanceNormalization")
def _instance_norm(im: Importer, node: Node) -> list[Value]:
    operands = [x(im, node, i) for i in range(3)]
    eps = float(node.attr("epsilon", 1e-5))
    return [im.emit1("nnvm.instance_norm", operands, {"epsilon": eps})]


@converts("LayerNormalization")
def _layer_norm(im: Importer, node: Node) -> list[Value]:
    if len([o for o in node.outputs if o]) > 1:
        raise Unsupported("the Mean and InvStdDev outputs")
    if node.attr("stash_type", 1) != 1:
        raise Unsupported(f"stash_type = {node.attr('stash_type')}")
    operands = [x(im, node, i) for i in range(len(node.inputs)) if node.input(i)]
    props = {"epsilon": float(node.attr("epsilon", 1e-5)), "axis": int(node.attr("axis", -1))}
    return [im.emit1("nnvm.layer_norm", operands, props)]


@converts("LRN")
def _lrn(im: Importer, node: Node) -> list[Value]:
    props = {
        "size": int(node.attr("size")),
        "axis": 1,
        "alpha": float(node.attr("alpha", 1e-4)),
        "beta": float(node.attr("beta", 0.75)),
        "bias": float(node.attr("bias", 1.0)),
    }
    return [im.emit1("nnvm.lrn", [x(im, node)], props)]


@converts("Dropout")
def _dropout(im: Importer, node: Node) -> list[Value]:
    if node.input(2) and bool(np.any(im.need_const(node, 2, "training_mode"))):
        raise Unsupported("training_mode = true")
    data = x(im, node)
    outs: list[Value] = [im.emit1("nnvm.copy", [data])]
    if len(node.outputs) > 1 and node.outputs[1]:
        outs.append(np.ones(im.static_shape(data, "the mask output"), np.bool_))
    return outs


def _softmax(im: Importer, node: Node, name: str) -> list[Value]:
    data = x(im, node)
    rank = im.rank(data)
    axis = int(node.attr("axis", -1 if node.opset >= 13 else 1))
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    axis %= rank
    if node.opset >= 13 or axis == rank - 1:
        return [im.emit1(name, [data], {"axis": axis})]
    # Before opset 13 the input is coerced to 2-D at `axis`.
    shape = im.static_shape(data, "Softmax before opset 13")
    flat = reshape(im, data, [int(np.prod(shape[:axis])), int(np.prod(shape[axis:]))])
    return [reshape(im, im.emit1(name, [flat], {"axis": 1}), list(shape))]


@converts("Softmax")
def _softmax_op(im: Importer, node: Node) -> list[Value]:
    return _softmax(im, node, "nnvm.softmax")


@converts("LogSoftmax")
def _log_softmax(im: Importer, node: Node) -> list[Value]:
    return _softmax(im, node, "nnvm.log_softmax")


@converts("Gemm")
def _gemm(im: Importer, node: Node) -> list[Value]:
    b = node.input(1)
    alpha, beta = float(node.attr("alpha", 1.0)), float(node.attr("beta", 1.0))
    ta, tb = int(node.attr("transA", 0)), int(node.attr("transB", 0))
    av = x(im, node)
    if ta:
        av = transpose(im, av, [1, 0])
    bc = im.const(b)
    if bc is not None:
        w = bc if tb else bc.T
        if alpha != 1.0:
            w = (w * np.asarray(alpha, w.dtype)).astype(w.dtype)
            alpha = 1.0
        weight: Value = np.ascontiguousarray(w)
    else:
        weight = x(im, node, 1) if tb else transpose(im, x(im, node, 1), [1, 0])
    units = im.static_shape(weight, "Gemm's B")[0]
    operands: list[Value] = [av, weight]
    c = node.input(2)
    cshape = im.shape(c) if c else None
    use_bias = bool(c) and beta == 1.0 and cshape is not None and tuple(cshape) in ((units,),)
    if use_bias:
        operands.append(x(im, node, 2))
    out = im.emit1("nnvm.dense", operands, {"units": units, "use_bias": use_bias})
    if alpha != 1.0:
        out = binary(im, "Mul", out, scalar(im, alpha, out))
    if c and not use_bias:
        cv: Value = x(im, node, 2)
        if beta != 1.0:
            cv = binary(im, "Mul", cv, scalar(im, beta, cv))
        out = binary(im, "Add", out, cv)
    return [out]


@converts("MatMul")
def _matmul(im: Importer, node: Node) -> list[Value]:
    a, b = x(im, node), x(im, node, 1)
    sa, sb = im.static_shape(a, "MatMul's A"), im.static_shape(b, "MatMul's B")
    if len(sb) == 2 and len(sa) >= 1:
        bc = im.const(node.input(1))
        weight: Value = np.ascontiguousarray(bc.T) if bc is not None else transpose(im, b, [1, 0])
        data: Value = a
        if len(sa) == 1:
            data = reshape(im, a, [1, sa[0]])
        out = im.emit1("nnvm.dense", [data, weight], {"units": sb[1], "use_bias": False})
        if len(sa) == 1:
            out = reshape(im, out, [sb[1]])
        return [out]
    if len(sa) >= 2 and len(sb) >= 2:
        batch = tuple(np.broadcast_shapes(sa[:-2], sb[:-2]))
        a2 = broadcast_to(im, a, sa, (*batch, *sa[-2:]))
        b2 = broadcast_to(im, b, sb, (*batch, *sb[-2:]))
        n = int(np.prod(batch)) if batch else 1
        a3 = reshape(im, a2, [n, sa[-2], sa[-1]])
        b3 = transpose(im, reshape(im, b2, [n, sb[-2], sb[-1]]), [0, 2, 1])
        out = im.emit1("nnvm.batch_matmul", [a3, b3])
        return [reshape(im, out, [*batch, sa[-2], sb[-1]])]
    if len(sb) == 1:
        w = reshape(im, b, [1, sb[0]])
        out = im.emit1("nnvm.dense", [a, w], {"units": 1, "use_bias": False})
        return [reshape(im, out, list(sa[:-1]))]
    raise Unsupported(f"MatMul of shapes {list(sa)} and {list(sb)}")


# Shapes and data movement -----------------------------------------------------------------


def reshape(im: Importer, v: Value, shape: list[int]) -> SSAValue:
    current = im.shape(v)
    if current == tuple(shape):
        return im.as_value(v)
    if (
        not op_exists("nnvm.reshape")
        and current is not None
        and len(current) >= 2
        and None not in current
        and list(shape) in ([current[0], int(np.prod(current[1:]))], [current[0], -1])
    ):
        return im.emit1("nnvm.flatten", [v])
    return im.emit1("nnvm.reshape", [v], {"shape": shape})


def transpose(im: Importer, v: Value, axes: list[int]) -> SSAValue:
    return im.emit1("nnvm.transpose", [v], {"axes": axes})


def _onnx_reshape(in_shape: Sequence[int | None], target: list[int], allowzero: bool) -> list[int]:
    out: list[int] = []
    for i, t in enumerate(target):
        if t == 0 and not allowzero:
            if i >= len(in_shape) or in_shape[i] is None:
                raise Unsupported("a 0 in Reshape's shape needs a known input dim")
            out.append(in_shape[i])  # type: ignore[arg-type]
        else:
            out.append(t)
    if out.count(-1) > 1 or any(d < -1 for d in out):
        raise BadModel(f"invalid shape {target}")
    if -1 in out and None not in in_shape:
        known = int(np.prod([d for d in out if d != -1]))
        total = int(np.prod(in_shape))
        if known == 0 or total % known:
            raise BadModel(f"cannot reshape {list(in_shape)} to {target}")
        out[out.index(-1)] = total // known
    return out


@converts("Reshape")
def _reshape(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    target = ints(node.attr("shape")) if node.opset < 5 else ints(im.need_const(node, 1, "shape"))
    in_shape = im.shape(data)
    if in_shape is None:
        raise Unsupported("an input of unknown rank")
    out = _onnx_reshape(in_shape, target, bool(node.attr("allowzero", 0)))
    if -1 not in out and None not in in_shape and int(np.prod(out)) != int(np.prod(in_shape)):
        raise BadModel(f"cannot reshape {list(in_shape)} to {target}")
    return [reshape(im, data, out)]


@converts("Flatten")
def _flatten(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.shape(data)
    rank = im.rank(data)
    axis = int(node.attr("axis", 1))
    if not -rank <= axis <= rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    if axis < 0:
        axis += rank
    if axis == 1 and rank >= 2:
        return [im.emit1("nnvm.flatten", [data])]
    static = im.static_shape(data) if shape else ()
    return [reshape(im, data, [int(np.prod(static[:axis])), int(np.prod(static[axis:]))])]


@converts("Transpose")
def _transpose(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    rank = im.rank(data)
    perm = node.attr("perm", list(reversed(range(rank))))
    return [transpose(im, data, [int(p) for p in perm])]


def _axes(im: Importer, node: Node, input_index: int, since: int) -> list[int] | None:
    if node.opset >= since:
        if not node.input(input_index):
            return None
        return ints(im.need_const(node, input_index, "axes"))
    axes = node.attr("axes")
    return None if axes is None else [int(a) for a in axes]


@converts("Squeeze")
def _squeeze(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = _axes(im, node, 1, 13)
    shape = im.shape(data)
    if axes is None:
        if shape is None or None in shape:
            raise Unsupported("Squeeze without axes of a dynamic shape")
        axes = [i for i, d in enumerate(shape) if d == 1]
    if shape is not None:
        rank = len(shape)
        axes = [a % rank for a in axes]
        if not axes:
            return [im.emit1("nnvm.copy", [data])]
        if len(axes) == rank:  # NNVM's squeeze keeps (1,) where ONNX gives a scalar
            return [reshape(im, data, [])]
        if None not in shape:
            return [reshape(im, data, [d for i, d in enumerate(shape) if i not in axes])]
    return [im.emit1("nnvm.squeeze", [data], {"axis": axes})]


@converts("Unsqueeze")
def _unsqueeze(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = _axes(im, node, 1, 13)
    if axes is None:
        raise BadModel("Unsqueeze needs axes")
    rank = im.rank(data) + len(axes)
    axes = sorted(a % rank for a in axes)
    shape = im.shape(data)
    if shape is not None and None not in shape:
        out = list(shape)
        for a in axes:
            out.insert(a, 1)
        return [reshape(im, data, out)]
    out_v = im.as_value(data)
    for a in axes:
        out_v = im.emit1("nnvm.expand_dims", [out_v], {"axis": a})
    return [out_v]


@converts("Concat")
def _concat(im: Importer, node: Node) -> list[Value]:
    values = [x(im, node, i) for i in range(len(node.inputs)) if node.input(i)]
    axis = int(node.attr("axis", 1))
    if len(values) == 1:
        return [im.emit1("nnvm.copy", values)]
    return [im.emit1("nnvm.concatenate", values, {"axis": axis})]


@converts("Split")
def _split(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = int(node.attr("axis", 0))
    n = len(node.outputs)
    shape = im.static_shape(data)
    axis %= len(shape)
    if node.opset >= 13 and node.input(1):
        sizes = ints(im.need_const(node, 1, "split"))
    elif node.attr("split") is not None:
        sizes = [int(s) for s in node.attr("split")]
    else:
        k = int(node.attr("num_outputs", n))
        each = -(-shape[axis] // k)
        sizes = [min(each, shape[axis] - i * each) for i in range(k)]
    if sum(sizes) != shape[axis] or len(sizes) != n:
        raise BadModel(f"split sizes {sizes} do not fit dim {shape[axis]} into {n} outputs")
    if n == 1:
        return [im.emit1("nnvm.copy", [data])]
    points = list(np.cumsum(sizes)[:-1])
    return im.emit("nnvm.split", [data], {"indices_or_sections": points, "axis": axis}, n)


@converts("Shape")
def _shape(im: Importer, node: Node) -> list[Value]:
    shape = im.static_shape(node.input(0), "Shape")
    start, end = node.attr("start", 0), node.attr("end")
    return [np.asarray(shape[slice(start, end)], np.int64)]


@converts("Size")
def _size(im: Importer, node: Node) -> list[Value]:
    return [np.asarray(int(np.prod(im.static_shape(node.input(0), "Size"))), np.int64)]


@converts("Gather")
def _gather(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = int(node.attr("axis", 0))
    shape = im.static_shape(data)
    axis %= len(shape)
    idx = im.const(node.input(1))
    if idx is not None:
        if np.any((idx < -shape[axis]) | (idx >= shape[axis])):
            raise BadModel(f"an index is out of range for dim {axis} of size {shape[axis]}")
        idx = np.where(idx < 0, idx + shape[axis], idx).astype(idx.dtype)
        return [im.emit1("nnvm.take", [data, idx], {"axis": axis})]
    # ONNX indices lie in [-dim, dim - 1]: "wrap" reads negative ones from the end.
    indices = x(im, node, 1)
    return [im.emit1("nnvm.take", [data, indices], {"axis": axis, "mode": "wrap"})]


@converts("Slice")
def _slice(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data)
    if node.opset < 10:
        starts, ends = node.attr("starts"), node.attr("ends")
        axes, steps = node.attr("axes"), None
    else:
        starts = ints(im.need_const(node, 1, "starts"))
        ends = ints(im.need_const(node, 2, "ends"))
        axes = ints(im.need_const(node, 3, "axes")) if node.input(3) else None
        steps = ints(im.need_const(node, 4, "steps")) if node.input(4) else None
    axes = list(range(len(starts))) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    begin = [0] * len(shape)
    end = list(shape)
    stride = [1] * len(shape)
    for s, e, a, st in zip(starts, ends, axes, steps):
        a %= len(shape)
        if st == 0:
            raise BadModel("a Slice step of 0")
        lo, hi, step = slice(int(s), int(e), int(st)).indices(shape[a])
        begin[a], end[a], stride[a] = lo, hi, step
    out_shape = [len(range(b, e, s)) for b, e, s in zip(begin, end, stride)]
    if any(s < 0 for s in stride):
        return [_reverse_slice(im, data, shape, begin, end, stride, out_shape)]
    return [strided_slice(im, data, begin, end, stride)]


def _reverse_slice(
    im: Importer,
    data: SSAValue,
    shape: Sequence[int],
    begin: list[int],
    end: list[int],
    stride: list[int],
    out_shape: list[int],
) -> SSAValue:
    """Negative steps: reverse those axes, then slice forwards."""
    out = data
    for a, s in enumerate(stride):
        if s < 0:
            out = im.emit1(["nnvm.reverse", "nnvm.flip"], [out], {"axis": a})
            # index i in the original is shape-1-i in the reversed tensor
            begin[a], stride[a] = shape[a] - 1 - begin[a], -s
            end[a] = begin[a] + stride[a] * out_shape[a]
    end = [min(e, d) if s > 0 else e for e, d, s in zip(end, shape, stride)]
    return strided_slice(im, out, begin, end, stride)


@converts("Tile")
def _tile(im: Importer, node: Node) -> list[Value]:
    reps = ints(im.need_const(node, 1, "repeats"))
    return [im.emit1("nnvm.tile", [x(im, node)], {"reps": reps})]


@converts("Pad")
def _pad(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    mode = node.attr("mode", "constant")
    if mode not in ("constant", "reflect", "edge"):
        raise Unsupported(f"mode = '{mode}'")
    rank = im.rank(data)
    if node.opset < 11:
        pads = [int(p) for p in node.attr("pads", node.attr("paddings", []))]
        value = float(node.attr("value", 0.0))
    else:
        pads = ints(im.need_const(node, 1, "pads"))
        value = (
            float(np.asarray(im.need_const(node, 2, "constant_value")).reshape(-1)[0])
            if node.input(2)
            else 0.0
        )
        if node.input(3):
            axes = [a % rank for a in ints(im.need_const(node, 3, "axes"))]
            full = [0] * (2 * rank)
            for k, a in enumerate(axes):
                full[a], full[rank + a] = pads[k], pads[len(axes) + k]
            pads = full
    if len(pads) != 2 * rank:
        raise BadModel(f"pads has {len(pads)} values for rank {rank}")
    if any(p < 0 for p in pads):
        raise Unsupported("negative pads")
    if mode != "constant":  # NNVM's pad is constant only; nnvm.mirror_pad (ops/onnx_ops.py)
        width = [[b, a] for b, a in zip(pads[:rank], pads[rank:])]
        return [im.emit1("nnvm.mirror_pad", [data], {"pad_width": width, "mode": mode})]
    return [pad(im, data, pads[:rank], pads[rank:], value)]


# Reductions -------------------------------------------------------------------------------

REDUCE = {
    "ReduceSum": "nnvm.sum", "ReduceMean": "nnvm.mean", "ReduceMax": "nnvm.max",
    "ReduceMin": "nnvm.min", "ReduceProd": "nnvm.prod",
}  # fmt: skip


@converts(*REDUCE)
def _reduce(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = _axes(im, node, 1, 13 if node.op_type == "ReduceSum" else 18)
    rank = im.rank(data)
    keep = bool(node.attr("keepdims", 1))
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            return [im.emit1("nnvm.copy", [data])]
        axes = list(range(rank))
    axes = sorted({a % rank for a in axes}) if rank else []
    return [im.emit1(REDUCE[node.op_type], [data], {"axis": axes, "keepdims": keep})]


@converts("ArgMax", "ArgMin")
def _arg(im: Importer, node: Node) -> list[Value]:
    if node.attr("select_last_index", 0):
        raise Unsupported("select_last_index = 1")
    data = x(im, node)
    rank = im.rank(data)
    axis = int(node.attr("axis", 0)) % max(rank, 1)
    keep = bool(node.attr("keepdims", 1))
    name = "nnvm.argmax" if node.op_type == "ArgMax" else "nnvm.argmin"
    return [im.emit1(name, [data], {"axis": [axis], "keepdims": keep, "dtype": np.dtype(np.int64)})]
