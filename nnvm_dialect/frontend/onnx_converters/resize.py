"""Resize (and Upsample, which the version converter turns into Resize).

ONNX's Resize is separable: every mode resizes one axis at a time with weights that depend only
on the axis's lengths, scale and attributes. So each resized axis is a constant (out, in) weight
matrix computed here from the spec's coordinate rules, applied with `nnvm.matmul` (or, where
every row picks one input, `nnvm.take` with constant indices, exact for any element type). No
new op is needed and every target runs it.
"""

import math

import numpy as np

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import converts, transpose, x

MODES = ("nearest", "linear", "cubic")
TRANSFORMS = (
    "half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric",
    "tf_crop_and_resize",
)  # fmt: skip
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")
POLICIES = ("stretch", "not_larger", "not_smaller")


def _source_coords(node: Node, out: int, length: int, scale: float, roi: tuple[float, float]):
    """Where each output index samples the input (ONNX's x_original), and which output
    positions tf_crop_and_resize puts outside the input."""
    mode = node.attr("coordinate_transformation_mode", "half_pixel")
    y = np.arange(out, dtype=np.float64)
    width = scale * length  # the spec's unrounded output length
    outside = np.zeros(out, dtype=bool)
    if mode == "align_corners":
        xo = np.zeros(out) if width == 1 else y * (length - 1) / (width - 1)
    elif mode == "asymmetric":
        xo = y / scale
    elif mode == "tf_crop_and_resize":
        start, end = roi
        if width == 1:
            xo = np.full(out, (end - start) * (length - 1) / 2)
        else:
            xo = y * (end - start) * (length - 1) / (width - 1)
        xo = xo + start * (length - 1)
        outside = (xo < 0) | (xo > length - 1)
    elif mode == "pytorch_half_pixel":
        xo = np.full(out, -0.5) if width == 1 else (y + 0.5) / scale - 0.5
    elif mode == "half_pixel":
        xo = (y + 0.5) / scale - 0.5
    elif mode == "half_pixel_symmetric":
        shift = length / 2 * (1 - out / width)
        xo = shift + (y + 0.5) / scale - 0.5
    else:
        raise Unsupported(f"coordinate_transformation_mode = '{mode}'")
    return xo, outside


def _kernel(node: Node, mode: str):
    """The interpolation kernel and its half-width, for linear and cubic."""
    if mode == "linear":
        return (lambda t: np.clip(1 - np.abs(t), 0, 1)), 1
    a = float(node.attr("cubic_coeff_a", -0.75))

    def cubic(t: np.ndarray) -> np.ndarray:
        t = np.abs(t)
        near = ((a + 2) * t - (a + 3)) * t * t + 1
        far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
        return np.where(t <= 1, near, np.where(t < 2, far, 0.0))

    return cubic, 2


def axis_weights(node: Node, length: int, out: int, scale: float, roi: tuple[float, float]):
    """The (out, length) matrix that resizes one axis, and the rows to fill with
    extrapolation_value."""
    mode = node.attr("mode", "nearest")
    xo, outside = _source_coords(node, out, length, scale, roi)
    # The left neighbour is floor(xo), except that an integral xo counts as ratio 1 from xo - 1.
    ratio = xo - np.floor(xo)
    ratio = np.where(ratio == 0, 1.0, ratio)
    left = np.rint(xo - ratio).astype(np.int64)
    if mode == "nearest":
        nearest = node.attr("nearest_mode", "round_prefer_floor")
        if nearest not in NEAREST_MODES:
            raise Unsupported(f"nearest_mode = '{nearest}'")
        up = {
            "round_prefer_floor": ratio > 0.5,
            "round_prefer_ceil": ratio >= 0.5,
            "floor": ratio == 1,
            "ceil": np.ones(out, dtype=bool),
        }[nearest]
        offsets = np.arange(2)
        coeffs = np.stack([~up, up], axis=1).astype(np.float64)
    else:
        kernel, support = _kernel(node, mode)
        shrink = min(scale, 1.0) if node.attr("antialias", 0) else 1.0
        first = math.floor(-support / shrink) + 1
        offsets = np.arange(first, 2 - first)
        coeffs = kernel(shrink * (offsets[None, :] - ratio[:, None]))
        if node.attr("antialias", 0):
            coeffs = coeffs / coeffs.sum(axis=1, keepdims=True)
    taps = left[:, None] + offsets[None, :]
    if node.attr("exclude_outside", 0):
        coeffs = np.where((taps < 0) | (taps >= length), 0.0, coeffs)
        total = coeffs.sum(axis=1, keepdims=True)
        coeffs = coeffs / np.where(total == 0, 1.0, total)
    weights = np.zeros((out, length))
    rows = np.repeat(np.arange(out), taps.shape[1])
    np.add.at(weights, (rows, np.clip(taps, 0, length - 1).reshape(-1)), coeffs.reshape(-1))
    weights[outside] = 0.0
    return weights, outside


def _check_attrs(node: Node) -> None:
    for name, allowed in (
        ("mode", MODES),
        ("coordinate_transformation_mode", TRANSFORMS),
        ("keep_aspect_ratio_policy", POLICIES),
    ):
        value = node.attr(name)
        if value is not None and value not in allowed:
            raise Unsupported(f"{name} = '{value}'")
    if node.attr("antialias", 0) and node.attr("mode", "nearest") == "nearest":
        raise BadModel("antialias = 1 needs mode 'linear' or 'cubic'")


def _present(im: Importer, node: Node, i: int, what: str) -> np.ndarray | None:
    """A constant optional input, None when absent or empty."""
    if not node.input(i):
        return None
    value = im.need_const(node, i, what)
    return None if value.size == 0 else value


def plan(im: Importer, node: Node, shape: tuple[int, ...]):
    """Per axis: output length, scale and roi, as the spec derives them."""
    rank = len(shape)
    axes = [int(a) % rank for a in node.attr("axes", range(rank))]
    if len(set(axes)) != len(axes):
        raise BadModel(f"axes {list(node.attr('axes'))} repeat an axis")
    scales = _present(im, node, 2, "scales")
    sizes = _present(im, node, 3, "sizes")
    if (scales is None) == (sizes is None):
        raise BadModel("exactly one of scales and sizes must be given")
    given = scales if scales is not None else sizes
    if given.size != len(axes):
        raise BadModel(f"{given.size} scales or sizes for {len(axes)} axes")
    roi = [(0.0, 1.0)] * rank
    if node.attr("coordinate_transformation_mode") == "tf_crop_and_resize":
        box = _present(im, node, 1, "roi")
        if box is None or box.size != 2 * len(axes):
            raise BadModel("tf_crop_and_resize needs an roi of 2 values per axis")
        box = [float(v) for v in box.reshape(-1)]
        for i, a in enumerate(axes):
            roi[a] = (box[i], box[len(axes) + i])
    scale = [1.0] * rank
    out = list(shape)
    if scales is not None:
        for i, a in enumerate(axes):
            scale[a] = float(scales.reshape(-1)[i])
            if scale[a] <= 0:
                raise BadModel(f"scale {scale[a]} is not positive")
            out[a] = int(scale[a] * shape[a])
    else:
        want = [int(s) for s in sizes.reshape(-1)]
        for i, a in enumerate(axes):
            out[a] = want[i]
            scale[a] = want[i] / shape[a] if shape[a] else 1.0
        policy = node.attr("keep_aspect_ratio_policy", "stretch")
        if policy != "stretch":
            common = (min if policy == "not_larger" else max)(scale[a] for a in axes)
            for a in axes:
                scale[a] = common
                out[a] = int(common * shape[a] + 0.5)
    if any(o <= 0 for o in out) or 0 in shape:
        raise Unsupported(f"an empty resize ({list(shape)} -> {out})")
    return axes, out, scale, roi


def apply_axis(im: Importer, v: Value, axis: int, rank: int, weights: np.ndarray,
               dtype: np.dtype) -> Value:  # fmt: skip
    """Contract `axis` of v with weights (out, in)."""
    ones = weights.max(axis=1)
    if np.all(ones == 1.0) and np.all(np.count_nonzero(weights, axis=1) == 1):
        index = np.argmax(weights, axis=1).astype(np.int64)
        return im.emit1("nnvm.take", [v, index], {"axis": axis})
    perm = [a for a in range(rank) if a != axis] + [axis]
    moved = v if axis == rank - 1 else transpose(im, v, perm)
    product = im.emit1("nnvm.matmul", [moved, np.ascontiguousarray(weights.T).astype(dtype)])
    if axis == rank - 1:
        return product
    return transpose(im, product, [int(i) for i in np.argsort(perm)])


@converts("Resize")
def _resize(im: Importer, node: Node) -> list[Value]:
    _check_attrs(node)
    data = x(im, node)
    shape = im.static_shape(data, "Resize's input")
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an input of unknown element type")
    rank = len(shape)
    axes, out, scale, roi = plan(im, node, shape)
    v: Value = data
    outside = np.zeros(out, dtype=bool)
    for a in axes:
        identity = (
            math.isclose(scale[a], 1.0)
            and out[a] == shape[a]
            and math.isclose(roi[a][0], 0.0)
            and math.isclose(roi[a][1], 1.0)
        )
        if identity:
            continue
        weights, gone = axis_weights(node, shape[a], out[a], scale[a], roi[a])
        if dtype.kind not in "f" and not np.all(np.count_nonzero(weights, axis=1) == 1):
            raise Unsupported(f"mode '{node.attr('mode', 'nearest')}' on {dtype} data")
        v = apply_axis(im, v, a, rank, weights, dtype)
        if gone.any():
            outside |= gone.reshape([-1 if i == a else 1 for i in range(rank)])
    if outside.any():
        if dtype.kind not in "f":
            raise Unsupported(f"extrapolation on {dtype} data")
        fill = float(node.attr("extrapolation_value", 0.0))
        keep = (~outside).astype(dtype)
        v = im.emit1("nnvm.broadcast_mul", [v, keep])
        v = im.emit1("nnvm.broadcast_add", [v, (outside * fill).astype(dtype)])
    if v is data:
        v = im.emit1("nnvm.copy", [data])
    return [v]
