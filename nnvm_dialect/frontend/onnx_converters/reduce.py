"""Reductions: ReduceSum and friends, ArgMax and ArgMin.

ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum and ReduceLogSumExp are element-wise maths
around nnvm.sum; a reduction over an empty set is folded to ONNX's identity value (0, -inf for
the logs, the lowest or highest value for ReduceMax and ReduceMin); booleans reduce as int8.
"""

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    axes_input,
    binary,
    cast,
    converts,
    reshape,
    scalar,
    x,
)

REDUCE = {
    "ReduceSum": "nnvm.sum", "ReduceMean": "nnvm.mean", "ReduceMax": "nnvm.max",
    "ReduceMin": "nnvm.min", "ReduceProd": "nnvm.prod", "ReduceL1": "nnvm.sum",
    "ReduceL2": "nnvm.sum", "ReduceSumSquare": "nnvm.sum", "ReduceLogSum": "nnvm.sum",
    "ReduceLogSumExp": "nnvm.sum",
}  # fmt: skip
FLOAT_ONLY = ("ReduceL2", "ReduceLogSum", "ReduceLogSumExp")


def _empty_value(op_type: str, dtype: np.dtype) -> float | int | bool:
    """What ONNX gives for a reduction over no elements."""
    if op_type in ("ReduceLogSum", "ReduceLogSumExp"):
        return -np.inf
    if op_type == "ReduceProd":
        return 1
    if op_type == "ReduceMean":
        if dtype.kind != "f":
            raise Unsupported("ReduceMean of an empty set of integers")
        return np.nan
    if op_type in ("ReduceMax", "ReduceMin"):
        high = op_type == "ReduceMin"
        if dtype == np.bool_:
            return high
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            return int(info.max if high else info.min)
        return np.inf if high else -np.inf
    return 0


def _elementwise(im: Importer, op_type: str, data: Value) -> SSAValue:
    """The maths around the sum, before it."""
    if op_type == "ReduceL1":
        return im.emit1("nnvm.abs", [data])
    if op_type in ("ReduceL2", "ReduceSumSquare"):
        return binary(im, "Mul", data, data)
    return im.as_value(data)


def _finish(im: Importer, op_type: str, v: Value) -> SSAValue:
    """The maths around the sum, after it."""
    if op_type == "ReduceL2":
        return im.emit1("nnvm.sqrt", [v])
    if op_type == "ReduceLogSum":
        return im.emit1("nnvm.log", [v])
    return im.as_value(v)


def _log_sum_exp(im: Importer, data: Value, axes: list[int]) -> SSAValue:
    """log(sum(exp(x - m))) + m, m the maximum clipped to finite values so that all -inf
    gives -inf and a +inf gives +inf, as log(sum(exp(x))) does."""
    dtype = im.dtype(data)
    assert dtype is not None
    big = float(np.finfo(dtype).max)
    m = im.emit1("nnvm.max", [data], {"axis": axes, "keepdims": True})
    m = binary(im, "Min", binary(im, "Max", m, scalar(im, -big, m)), scalar(im, big, m))
    e = im.emit1("nnvm.exp", [binary(im, "Sub", data, m)])
    s = im.emit1("nnvm.sum", [e], {"axis": axes, "keepdims": True})
    return binary(im, "Add", im.emit1("nnvm.log", [s]), m)


@converts(*REDUCE)
def _reduce(im: Importer, node: Node) -> list[Value]:
    op_type = node.op_type
    data = x(im, node)
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an operand of unknown element type")
    if op_type in FLOAT_ONLY and dtype.kind != "f":
        raise Unsupported(f"{op_type} of {dtype} (the spec's maths is on floats)")
    axes = axes_input(im, node, 1, 13 if op_type == "ReduceSum" else 18)
    rank = im.rank(data)
    keep = bool(node.attr("keepdims", 1))
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            # Nothing is reduced: the maths around the sum, element-wise.
            if op_type == "ReduceLogSumExp":
                return [im.emit1("nnvm.copy", [data])]
            out = _finish(im, op_type, _elementwise(im, op_type, data))
            return [im.emit1("nnvm.copy", [data]) if out is data else out]
        axes = list(range(rank))
    axes = sorted({a % rank for a in axes}) if rank else []
    shape = im.shape(data)
    want = None
    if shape is not None and None not in shape:
        want = [1 if i in axes else d for i, d in enumerate(shape) if keep or i not in axes]
        if any(shape[a] == 0 for a in axes):
            return [np.full(want, _empty_value(op_type, dtype), dtype)]
    props = {"axis": axes, "keepdims": keep}
    if dtype == np.bool_ and op_type in ("ReduceMax", "ReduceMin"):
        small = cast(im, data, np.dtype(np.int8))  # any / all
        out = cast(im, im.emit1(REDUCE[op_type], [small], props), dtype)
    elif op_type == "ReduceLogSumExp":
        out = _log_sum_exp(im, data, axes)
        if not keep and want is not None:
            out = reshape(im, out, want)
    else:
        out = im.emit1(REDUCE[op_type], [_elementwise(im, op_type, data)], props)
        out = _finish(im, op_type, out)
    if want is not None and im.shape(out) != tuple(want):
        out = reshape(im, out, want)  # NNVM reduces every axis to (1,), ONNX to a scalar
    return [out]


def _scalar_if_all(im: Importer, out: Value, rank: int, reduced: int, keep: bool) -> Value:
    """NNVM reduces every axis without keepdims to shape (1,); ONNX to a scalar."""
    if keep or not rank or reduced < rank:
        return out
    return reshape(im, out, [])


@converts("ArgMax", "ArgMin")
def _arg(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    rank = im.rank(data)
    axis = int(node.attr("axis", 0)) % max(rank, 1)
    keep = bool(node.attr("keepdims", 1))
    name = "nnvm.argmax" if node.op_type == "ArgMax" else "nnvm.argmin"
    props = {"axis": [axis], "keepdims": keep, "dtype": np.dtype(np.int64)}
    if not node.attr("select_last_index", 0):
        return [_scalar_if_all(im, im.emit1(name, [data], props), rank, 1, keep)]
    # The last extreme is the first one of the reversed axis: index n - 1 - i.
    n = im.static_shape(data, "select_last_index")[axis]
    i = im.emit1(name, [im.emit1("nnvm.flip", [data], {"axis": axis})], props)
    return [_scalar_if_all(im, binary(im, "Sub", np.asarray(n - 1, np.int64), i), rank, 1, keep)]
