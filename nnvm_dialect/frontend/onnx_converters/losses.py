"""Losses: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.

Both pick input[n, target[n, d...], d...] with a one-hot mask (the target compared with a
constant arange over the class axis) and `where`, not a multiply, so an inf or nan at a class
that is not the target cannot leak into the loss. Everything decomposes into existing ops.
"""

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
    broadcast_to,
    cast,
    converts,
    reshape,
    x,
)


def where(im: Importer, cond: Value, a: Value, b: Value) -> SSAValue:
    """where(cond, a, b) with numpy broadcasting."""
    shapes = [im.static_shape(v, "where's operands") for v in (cond, a, b)]
    out = tuple(np.broadcast_shapes(*shapes))
    cond, a, b = (broadcast_to(im, v, s, out) for v, s in zip((cond, a, b), shapes))
    return im.emit1("nnvm.where", [cond, a, b])


def reduce_all(im: Importer, name: str, v: Value) -> SSAValue:
    """A reduction over every axis to a scalar (NNVM's would be shape (1,))."""
    return reshape(im, im.emit1(name, [v], {"axis": [], "keepdims": False}), [])


def nll(im: Importer, node: Node, logp: Value, target: Value, weight: Value | None) -> SSAValue:
    """The loss of ONNX's NegativeLogLikelihoodLoss on log-probabilities `logp`."""
    shape = im.static_shape(logp, "the input")
    tshape = im.static_shape(target, "the target")
    if len(shape) < 2 or tshape != (shape[0], *shape[2:]):
        raise BadModel(f"target shape {list(tshape)} does not fit input shape {list(shape)}")
    dtype = im.dtype(logp)
    tdtype = im.dtype(target)
    if dtype is None or dtype.kind != "f" or tdtype is None or tdtype.kind not in "iu":
        raise Unsupported(f"input of type {dtype} with target of type {tdtype}")
    reduction = node.attr("reduction", "mean")
    if reduction not in ("none", "sum", "mean"):
        raise Unsupported(f"reduction = '{reduction}'")
    classes = shape[1]
    ignore = node.attr("ignore_index")
    if ignore is not None:
        # An ignored target becomes `classes`, which no class matches.
        hit = binary(im, "Equal", target, np.asarray(ignore, tdtype))
        target = where(im, hit, np.asarray(classes, tdtype), target)
    t = im.emit1("nnvm.expand_dims", [target], {"axis": 1})
    arange = np.arange(classes, dtype=tdtype).reshape(1, classes, *([1] * (len(shape) - 2)))
    mask = binary(im, "Equal", t, arange)  # (N, C, d...)
    zero = np.zeros((), dtype)
    picked = im.emit1("nnvm.sum", [where(im, mask, logp, zero)], {"axis": [1]})
    loss = im.emit1("nnvm.negative", [picked])  # (N, d...), 0 where ignored
    if weight is None and ignore is None:
        if reduction == "none":
            return loss
        return reduce_all(im, "nnvm.mean" if reduction == "mean" else "nnvm.sum", loss)
    if weight is None:
        w = im.emit1("nnvm.sum", [cast(im, mask, dtype)], {"axis": [1]})
    else:
        wshape = im.static_shape(weight, "the weight")
        if wshape != (classes,):
            raise BadModel(f"weight shape {list(wshape)} is not ({classes},)")
        wb = reshape(im, weight, [1, classes, *([1] * (len(shape) - 2))])
        w = im.emit1("nnvm.sum", [where(im, mask, wb, zero)], {"axis": [1]})
        loss = binary(im, "Mul", loss, w)
    if reduction == "none":
        return loss
    total = reduce_all(im, "nnvm.sum", loss)
    if reduction == "sum":
        return total
    return binary(im, "Div", total, reduce_all(im, "nnvm.sum", w))


def _weight(im: Importer, node: Node) -> Value | None:
    return x(im, node, 2) if node.input(2) else None


@converts("NegativeLogLikelihoodLoss")
def _nll_loss(im: Importer, node: Node) -> list[Value]:
    return [nll(im, node, x(im, node), x(im, node, 1), _weight(im, node))]


@converts("SoftmaxCrossEntropyLoss")
def _softmax_cross_entropy(im: Importer, node: Node) -> list[Value]:
    scores = x(im, node)
    if im.rank(scores) < 2:
        raise BadModel("scores need rank 2 or more")
    logp = im.emit1("nnvm.log_softmax", [scores], {"axis": 1})
    loss = nll(im, node, logp, x(im, node, 1), _weight(im, node))
    return [loss, logp][: max(1, len(node.outputs))]
