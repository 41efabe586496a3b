"""The converter table and the helpers that converters of every kind share."""

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Converter,
    Importer,
    Node,
    Unsupported,
    Value,
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


def scalar(im: Importer, value: float, like: Value) -> np.ndarray:
    dtype = im.dtype(like)
    if dtype is None:
        raise Unsupported("an operand of unknown element type")
    return np.asarray(value, dtype)


def cast(im: Importer, v: Value, dtype: np.dtype) -> SSAValue:
    return im.emit1("nnvm.cast", [v], {"dtype": dtype})


def op_exists(name: str) -> bool:
    from nnvm_dialect.frontend.onnx import op_class

    return op_class(name) is not None


def broadcast_to(im: Importer, v: Value, shape: tuple[int, ...], to: tuple[int, ...]) -> SSAValue:
    if tuple(shape) == tuple(to):
        return im.as_value(v)
    return im.emit1("nnvm.broadcast_to", [v], {"shape": list(to)})


def strided_slice(
    im: Importer, v: Value, begin: list[int], end: list[int], stride: list[int]
) -> SSAValue:
    return im.emit1("nnvm.strided_slice", [v], {"begin": begin, "end": end, "stride": stride})


def pad(im: Importer, v: Value, before: list[int], after: list[int], value: float) -> SSAValue:
    return im.emit1(
        "nnvm.pad", [v], {"pad_width": [[b, a] for b, a in zip(before, after)], "pad_value": value}
    )


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


def axes_input(im: Importer, node: Node, input_index: int, since: int) -> list[int] | None:
    if node.opset >= since:
        if not node.input(input_index):
            return None
        return ints(im.need_const(node, input_index, "axes"))
    axes = node.attr("axes")
    return None if axes is None else [int(a) for a in axes]


def softmax_steps(im: Importer, v: Value, axis: int, masked_rows_zero: bool = False) -> SSAValue:
    """Softmax as ONNX's function body spells it (ReduceMax, Sub, Exp, ReduceSum, Div), each
    step rounding in v's element type: the reference's float16 results, which one rounding
    of a wider softmax misses by an ulp or two. With `masked_rows_zero` a row whose maximum is
    -inf gives zeros instead of NaN (Attention's fully masked rows)."""
    dtype = im.dtype(v)
    top = im.emit1("nnvm.max", [v], {"axis": [axis], "keepdims": True})
    if masked_rows_zero:
        zero, one = np.asarray(0, dtype), np.asarray(1, dtype)
        top = where(im, binary(im, "Equal", top, np.asarray(-np.inf, dtype)), zero, top)
    e = im.emit1("nnvm.exp", [binary(im, "Sub", v, top)])
    if dtype == np.float16:  # numpy sums float16 in float32, rounding once at the end
        wide = im.emit1(
            "nnvm.sum", [cast(im, e, np.dtype(np.float32))], {"axis": [axis], "keepdims": True}
        )
        total = cast(im, wide, dtype)
    else:
        total = im.emit1("nnvm.sum", [e], {"axis": [axis], "keepdims": True})
    if masked_rows_zero:
        total = where(im, binary(im, "Equal", total, zero), one, total)
    return binary(im, "Div", e, total)


def where(im: Importer, cond: Value, a: Value, b: Value) -> SSAValue:
    """cond ? a : b with ONNX's broadcasting (static shapes)."""
    shapes = [im.static_shape(v) for v in (cond, a, b)]
    out = tuple(np.broadcast_shapes(*shapes))
    cond, a, b = (broadcast_to(im, v, s, out) for v, s in zip((cond, a, b), shapes))
    return im.emit1("nnvm.where", [cond, a, b])


def half_in_float(
    im: Importer, name: str, operands: list[Value], props: dict[str, Any] | None = None
) -> SSAValue:
    """A product over float16 operands taken in float32 and rounded once, as numpy (ONNX's
    reference) takes it; other types as they are."""
    if im.dtype(operands[0]) != np.float16:
        return im.emit1(name, operands, props)
    wide = [cast(im, v, np.dtype(np.float32)) for v in operands]
    return cast(im, im.emit1(name, wide, props), np.dtype(np.float16))


def clip(im: Importer, v: Value, lo: float | None, hi: float | None) -> SSAValue:
    if op_exists("nnvm.clip") and lo is not None and hi is not None:
        return im.emit1("nnvm.clip", [v], {"a_min": float(lo), "a_max": float(hi)})
    return clip_exact(im, v, lo, hi)


def clip_exact(im: Importer, v: Value, lo: float | None, hi: float | None) -> SSAValue:
    """max then min in the data's own type: exact for integers, and max everywhere when
    lo > hi (nnvm.clip takes float bounds and requires lo <= hi)."""
    out = im.as_value(v)
    if lo is not None:
        out = binary(im, "Max", out, scalar(im, lo, v))
    if hi is not None:
        out = binary(im, "Min", out, scalar(im, hi, v))
    return out
