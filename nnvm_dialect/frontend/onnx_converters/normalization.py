"""Normalisations that decompose into reductions and element-wise maths: LayerNormalization
(with its Mean and InvStdDev outputs), RMSNormalization, GroupNormalization,
MeanVarianceNormalization, LpNormalization and BatchNormalization in training mode.

Statistics are computed in the node's stash_type (float32 by default) and the result is cast
back to the input's type, as the spec's function bodies do.
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
    cast,
    converts,
    reshape,
    scalar,
    x,
)
from nnvm_dialect.frontend.onnx_converters.losses import where


def _float_type(im: Importer, v: Value) -> np.dtype:
    dtype = im.dtype(v)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"an input of type {dtype}")
    return dtype


def _stash(im: Importer, node: Node, data: Value) -> tuple[SSAValue, np.dtype, np.dtype]:
    """data cast to the stash type; (value, stash dtype, original dtype)."""
    from onnx import helper

    dtype = _float_type(im, data)
    code = int(node.attr("stash_type", 1))
    try:
        stash = np.dtype(helper.tensor_dtype_to_np_dtype(code))
    except Exception:
        raise Unsupported(f"stash_type = {code}") from None
    if stash.kind != "f":
        raise Unsupported(f"stash_type = {code}")
    return (im.as_value(data) if stash == dtype else cast(im, data, stash)), stash, dtype


def _back(im: Importer, v: SSAValue, dtype: np.dtype) -> SSAValue:
    return v if im.dtype(v) == dtype else cast(im, v, dtype)


def mean(im: Importer, v: Value, axes: list[int]) -> SSAValue:
    return im.emit1("nnvm.mean", [v], {"axis": axes, "keepdims": True})


def inv_std(im: Importer, var: Value, eps: float) -> SSAValue:
    """1 / sqrt(var + eps)."""
    std = im.emit1("nnvm.sqrt", [binary(im, "Add", var, scalar(im, eps, var))])
    return binary(im, "Div", scalar(im, 1.0, std), std)


def _axis(im: Importer, node: Node, data: Value, default: int = -1) -> tuple[int, int]:
    rank = im.rank(data)
    axis = int(node.attr("axis", default))
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    return axis % rank, rank


@converts("LayerNormalization")
def _layer_norm(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis, rank = _axis(im, node, data)
    eps = float(node.attr("epsilon", 1e-5))
    xs, stash, dtype = _stash(im, node, data)
    axes = list(range(axis, rank))
    mu = mean(im, xs, axes)
    d = binary(im, "Sub", xs, mu)
    rstd = inv_std(im, mean(im, binary(im, "Mul", d, d), axes), eps)
    y = binary(im, "Mul", _back(im, binary(im, "Mul", d, rstd), dtype), x(im, node, 1))
    if node.input(2):
        y = binary(im, "Add", y, x(im, node, 2))
    return [y, mu, rstd][: max(1, len(node.outputs))]


@converts("RMSNormalization")
def _rms_norm(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis, rank = _axis(im, node, data)
    eps = float(node.attr("epsilon", 1e-5))
    xs, stash, dtype = _stash(im, node, data)
    ms = mean(im, binary(im, "Mul", xs, xs), list(range(axis, rank)))
    y = _back(im, binary(im, "Mul", xs, inv_std(im, ms, eps)), dtype)
    return [binary(im, "Mul", y, x(im, node, 1))]


def _per_channel(im: Importer, v: Value, rank: int) -> SSAValue:
    """A (C,) vector shaped to broadcast along axis 1 of a rank-`rank` tensor."""
    shape = im.static_shape(v, "a per-channel input")
    return reshape(im, v, [*shape, *([1] * (rank - 2))])


@converts("GroupNormalization")
def _group_norm(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data, "GroupNormalization's input")
    groups = int(node.attr("num_groups"))
    if len(shape) < 2 or groups < 1 or shape[1] % groups:
        raise BadModel(f"{shape[1] if len(shape) > 1 else '?'} channels in {groups} groups")
    channels = shape[1]
    if im.static_shape(node.input(1), "the scale") != (channels,):
        # Opset 18's per-group scale and bias (deprecated) differ from opset 21's.
        raise Unsupported("a scale of one value per group (opset 18)")
    eps = float(node.attr("epsilon", 1e-5))
    xs, stash, dtype = _stash(im, node, data)
    g = reshape(im, xs, [shape[0], groups, -1])
    mu = mean(im, g, [2])
    d = binary(im, "Sub", g, mu)
    y = binary(im, "Mul", d, inv_std(im, mean(im, binary(im, "Mul", d, d), [2]), eps))
    y = _back(im, reshape(im, y, list(shape)), dtype)
    y = binary(im, "Mul", y, _per_channel(im, x(im, node, 1), len(shape)))
    return [binary(im, "Add", y, _per_channel(im, x(im, node, 2), len(shape)))]


@converts("MeanVarianceNormalization")
def _mvn(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float_type(im, data)
    rank = im.rank(data)
    axes = sorted({int(a) % rank for a in node.attr("axes", [0, 2, 3])})
    mu = mean(im, data, axes)
    # The spec's body: sqrt(E[x^2] - E[x]^2) + 1e-9.
    var = binary(
        im, "Sub", mean(im, binary(im, "Mul", data, data), axes), binary(im, "Mul", mu, mu)
    )
    std = binary(im, "Add", im.emit1("nnvm.sqrt", [var]), scalar(im, 1e-9, data))
    return [binary(im, "Div", binary(im, "Sub", data, mu), std)]


@converts("LpNormalization")
def _lp_norm(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    _float_type(im, data)
    axis, _ = _axis(im, node, data)
    p = int(node.attr("p", 2))
    if p == 1:
        norm = im.emit1(
            "nnvm.sum", [im.emit1("nnvm.abs", [data])], {"axis": [axis], "keepdims": True}
        )
    elif p == 2:
        s = im.emit1(
            "nnvm.sum", [binary(im, "Mul", data, data)], {"axis": [axis], "keepdims": True}
        )
        norm = im.emit1("nnvm.sqrt", [s])
    else:
        raise Unsupported(f"p = {p}")
    zero = np.zeros((), im.dtype(data))
    # A zero norm gives 0, not 0 / 0.
    return [where(im, binary(im, "Equal", norm, zero), zero, binary(im, "Div", data, norm))]


@converts("BatchNormalization")
def _batch_norm(im: Importer, node: Node) -> list[Value]:
    operands = [x(im, node, i) for i in range(5)]
    eps = float(node.attr("epsilon", 1e-5))
    outputs = len([o for o in node.outputs if o])
    training = bool(node.attr("training_mode", 0))
    if not training:
        if outputs > 1:
            raise Unsupported("the running mean and variance outputs outside training mode")
        return [im.emit1("nnvm.batch_norm", operands, {"epsilon": eps, "axis": 1})]
    data, scale, bias, run_mean, run_var = operands
    _float_type(im, data)
    rank = im.rank(data)
    if rank < 2:
        raise BadModel("BatchNormalization needs rank 2 or more")
    axes = [0, *range(2, rank)]
    mu = mean(im, data, axes)
    d = binary(im, "Sub", data, mu)
    var = mean(im, binary(im, "Mul", d, d), axes)
    y = binary(
        im, "Mul", binary(im, "Mul", d, inv_std(im, var, eps)), _per_channel(im, scale, rank)
    )
    y = binary(im, "Add", y, _per_channel(im, bias, rank))
    momentum = float(node.attr("momentum", 0.9))
    outs: list[Value] = [y]
    for running, batch in ((run_mean, mu), (run_var, var)):
        flat = reshape(im, batch, [-1])
        keep = binary(im, "Mul", running, scalar(im, momentum, flat))
        outs.append(
            binary(im, "Add", keep, binary(im, "Mul", flat, scalar(im, 1 - momentum, flat)))
        )
    return outs[: max(1, len(node.outputs))]
