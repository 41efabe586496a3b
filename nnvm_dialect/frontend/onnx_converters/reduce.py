"""Reductions: ReduceSum and friends, ArgMax and ArgMin."""

import numpy as np

from nnvm_dialect.frontend.onnx import (
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    axes_input,
    converts,
    reshape,
    x,
)

REDUCE = {
    "ReduceSum": "nnvm.sum", "ReduceMean": "nnvm.mean", "ReduceMax": "nnvm.max",
    "ReduceMin": "nnvm.min", "ReduceProd": "nnvm.prod",
}  # fmt: skip


@converts(*REDUCE)
def _reduce(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = axes_input(im, node, 1, 13 if node.op_type == "ReduceSum" else 18)
    rank = im.rank(data)
    keep = bool(node.attr("keepdims", 1))
    if not axes:
        if node.attr("noop_with_empty_axes", 0):
            return [im.emit1("nnvm.copy", [data])]
        axes = list(range(rank))
    axes = sorted({a % rank for a in axes}) if rank else []
    out = im.emit1(REDUCE[node.op_type], [data], {"axis": axes, "keepdims": keep})
    if not keep and rank and len(axes) == rank:  # NNVM keeps one axis of a full reduction
        out = reshape(im, out, [])
    return [out]


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
