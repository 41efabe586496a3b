"""GridSample and AffineGrid decomposed into existing ops.

AffineGrid is one batch_matmul of theta with a constant grid of homogeneous coordinates.
GridSample computes, with elementwise ops on the grid, each interpolation tap's input index
and weight per spatial axis (the spec's denormalisation, nearest rounding, border and
reflection padding), then gathers every tap with `nnvm.take` from the input laid out as
(N * spatial, C) and sums the weighted taps. Taps outside the input get weight 0 under
padding_mode 'zeros'.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    converts,
    reshape,
    strided_slice,
    transpose,
    x,
)


@converts("AffineGrid")
def _affine_grid(im: Importer, node: Node) -> list[Value]:
    theta = x(im, node)
    size = [int(s) for s in im.need_const(node, 1, "size").reshape(-1)]
    k = len(size) - 2
    tshape = im.static_shape(theta, "theta")
    if k not in (2, 3) or tshape[1:] != (k, k + 1):
        raise BadModel(f"theta {list(tshape)} does not fit size {size}")
    dtype = im.dtype(theta)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"AffineGrid of {dtype} theta")
    spatial = size[2:]
    axes = []
    for length in spatial:
        if node.attr("align_corners", 0):
            axes.append(np.linspace(-1, 1, length) if length > 1 else np.full(1, -1.0))
        else:
            axes.append(-1 + (2 * np.arange(length) + 1) / length)
    mesh = np.meshgrid(*axes, indexing="ij")  # (D,) H, W
    coords = [*reversed(mesh), np.ones(spatial)]  # x, y, (z), 1
    base = np.stack(coords, axis=-1).reshape(1, -1, k + 1).astype(dtype)
    grid = im.emit1("nnvm.batch_matmul", [base, theta], {"transpose_b": True})
    return [reshape(im, grid, [tshape[0], *spatial, k])]


@dataclass
class Ew:
    """Elementwise arithmetic on same-shaped float tensors and scalars (scalars through the
    `__op_scalar__` ops, and one constant per compared value, to keep the graph small)."""

    im: Importer
    dtype: np.dtype
    consts: dict = field(default_factory=dict)

    def s(self, value: float) -> Value:
        if value not in self.consts:
            self.consts[value] = self.im.as_value(np.asarray(value, self.dtype))
        return self.consts[value]

    def op(self, name: str, a: Value, b: Value | float) -> Value:
        if isinstance(b, float | int):
            if name == "sub":
                name, b = "add", -b
            return self.im.emit1(f"nnvm.__{name}_scalar__", [a], {"scalar": float(b)})
        return self.im.emit1(f"nnvm.elemwise_{name}", [a, b])

    def add(self, a: Value, b: Value | float) -> Value:
        return self.op("add", a, b)

    def sub(self, a: Value, b: Value | float) -> Value:
        return self.op("sub", a, b)

    def mul(self, a: Value, b: Value | float) -> Value:
        return self.op("mul", a, b)

    def rsub(self, s: float, a: Value) -> Value:
        return self.im.emit1("nnvm.__rsub_scalar__", [a], {"scalar": float(s)})

    def unary(self, name: str, a: Value) -> Value:
        return self.im.emit1(f"nnvm.{name}", [a])

    def clip(self, a: Value, lo: float, hi: float) -> Value:
        return self.im.emit1("nnvm.clip", [a], {"a_min": lo, "a_max": hi})

    def mask(self, a: Value, cmp: str, s: float) -> Value:
        """1.0 where `a cmp s`, else 0.0."""
        b = self.im.emit1(f"nnvm.broadcast_{cmp}", [a, self.s(s)])
        return self.im.emit1("nnvm.cast", [b], {"dtype": self.dtype})

    def pick(self, m: Value, a: Value, b: Value) -> Value:
        """m ? a : b for a 0/1 mask m."""
        return self.add(b, self.mul(m, self.sub(a, b)))

    def reflect(self, v: Value, lo: float, hi: float) -> Value:
        """v folded back into [lo, hi] by reflections at its ends (the spec's reflect)."""
        span = hi - lo
        below = self.mask(v, "less", lo)
        dx = self.pick(below, self.rsub(lo, v), self.sub(v, hi))
        n = self.unary("floor", self.mul(dx, 1.0 / span))
        r = self.sub(dx, self.mul(n, span))
        half = self.unary("floor", self.mul(n, 0.5))
        even = self.mask(self.sub(n, self.mul(half, 2.0)), "less", 0.5)
        near = self.pick(below, self.add(r, lo), self.rsub(hi, r))
        far = self.pick(below, self.rsub(hi, r), self.add(r, lo))
        outside = self.add(below, self.mask(v, "greater", hi))
        return self.pick(outside, self.pick(even, near, far), v)


def _cubic(ew: Ew, t: Value) -> Value:
    """Keys' cubic kernel (a = -0.75) at |t| < 2."""
    a = -0.75
    t = ew.unary("abs", t)
    near = ew.add(ew.mul(ew.mul(ew.add(ew.mul(t, a + 2), -(a + 3)), t), t), 1.0)
    far = ew.add(ew.mul(ew.add(ew.mul(ew.add(ew.mul(t, a), -5 * a), t), 8 * a), t), -4 * a)
    return ew.pick(ew.mask(t, "less_equal", 1.0), near, far)


def _axis_taps(ew: Ew, g: Value, length: int, node: Node) -> list[tuple[Value, Value]]:
    """(index as float, weight) of each tap along one axis."""
    mode = node.attr("mode", "linear")
    padding = node.attr("padding_mode", "zeros")
    align = bool(node.attr("align_corners", 0))
    lo, hi = (0.0, length - 1.0) if align else (-0.5, length - 0.5)
    if align:
        v = ew.mul(ew.add(g, 1.0), (length - 1) / 2)
    else:
        v = ew.sub(ew.mul(ew.add(g, 1.0), length / 2), 0.5)
    if mode == "nearest":
        v = ew.unary("nearbyint", v)
    if padding != "zeros":
        outside = ew.add(ew.mask(v, "less", lo), ew.mask(v, "greater", hi))
        moved = ew.clip(v, 0, length - 1) if padding == "border" else ew.reflect(v, lo, hi)
        v = ew.pick(outside, moved, v)
    if mode == "nearest":
        taps = [(ew.unary("trunc", v), None)]
    else:
        base = ew.unary("floor", v)
        frac = ew.sub(v, base)
        if mode == "linear":
            taps = [(base, ew.rsub(1.0, frac)), (ew.add(base, 1.0), frac)]
        else:
            taps = [(ew.add(base, j), _cubic(ew, ew.sub(frac, j))) for j in (-1, 0, 1, 2)]
    out = []
    for index, weight in taps:
        if padding == "zeros":
            inside = ew.mul(ew.mask(index, "greater_equal", 0), ew.mask(index, "less", length))
            weight = inside if weight is None else ew.mul(weight, inside)
        elif padding == "reflection":
            index = ew.unary("trunc", ew.reflect(index, lo, hi))
        out.append((ew.clip(index, 0, length - 1), weight))
    return out


@converts("GridSample")
def _grid_sample(im: Importer, node: Node) -> list[Value]:
    data, grid = x(im, node), x(im, node, 1)
    shape = im.static_shape(data, "GridSample's input")
    gshape = im.static_shape(grid, "the grid")
    k = len(shape) - 2
    if k not in (1, 2, 3) or gshape[0] != shape[0] or gshape[-1] != k or len(gshape) != k + 2:
        raise BadModel(f"grid {list(gshape)} does not fit input {list(shape)}")
    mode = {"bilinear": "linear", "bicubic": "cubic"}.get(node.attr("mode"), node.attr("mode"))
    node.attrs["mode"] = mode or "linear"
    if node.attrs["mode"] not in ("nearest", "linear", "cubic"):
        raise Unsupported(f"mode = '{node.attr('mode')}'")
    if node.attr("padding_mode", "zeros") not in ("zeros", "border", "reflection"):
        raise Unsupported(f"padding_mode = '{node.attr('padding_mode')}'")
    dtype, gdtype = im.dtype(data), im.dtype(grid)
    if dtype is None or dtype.kind != "f" or gdtype != dtype:
        raise Unsupported(f"GridSample of {dtype} data with a {gdtype} grid")
    if node.attrs["mode"] == "cubic" and k != 2:
        raise Unsupported(f"mode 'cubic' on {k}-D data (the spec defines it for 2-D)")
    n, c, spatial = shape[0], shape[1], list(shape[2:])
    out = list(gshape[1:-1])
    ew = Ew(im, dtype)
    per_axis = []
    for i, length in enumerate(spatial):
        comp = k - 1 - i  # the grid lists x (the last axis) first
        begin = [0] * len(gshape)
        end = list(gshape)
        begin[-1], end[-1] = comp, comp + 1
        g = reshape(im, strided_slice(im, grid, begin, end, [1] * len(gshape)), [n, *out])
        per_axis.append(_axis_taps(ew, g, length, node))
    strides = [int(np.prod(spatial[i + 1 :], dtype=np.int64)) for i in range(k)]
    table = transpose(im, data, [0, *range(2, k + 2), 1])
    table = reshape(im, table, [n * int(np.prod(spatial)), c])
    batch = (np.arange(n) * int(np.prod(spatial))).reshape(n, *[1] * len(out)).astype(dtype)
    total: Value | None = None
    per_axis = [
        [(index if stride == 1 else ew.mul(index, float(stride)), w) for index, w in taps]
        for taps, stride in zip(per_axis, strides)
    ]
    for combo in itertools.product(*per_axis):
        flat: Value = batch
        weight: Value | None = None
        for index, w in combo:
            flat = im.emit1("nnvm.broadcast_add", [flat, index])
            if w is not None:
                weight = w if weight is None else ew.mul(weight, w)
        index = im.emit1("nnvm.cast", [flat], {"dtype": np.dtype(np.int64)})
        taken = im.emit1("nnvm.take", [table, index], {"axis": 0})
        if weight is not None:
            w = reshape(im, weight, [n, *out, 1])
            taken = im.emit1("nnvm.broadcast_mul", [taken, w])
        total = taken if total is None else ew.add(total, taken)
    assert total is not None
    return [transpose(im, total, [0, k + 1, *range(1, k + 1)])]


def _roi_axis(ew: Ew, start: Value, size: Value, pooled: int, grid: int, length: int):
    """Sample coordinates of one axis for every roi: (low index, high index, low weight,
    high weight, valid) as (R, pooled * grid) tensors, with the spec's clamping at the edges."""
    steps = (np.arange(pooled)[:, None] + (np.arange(grid)[None, :] + 0.5) / grid).reshape(1, -1)
    bin_size = ew.mul(size, 1.0 / pooled)
    v = ew.im.emit1("nnvm.broadcast_mul", [bin_size, steps.astype(ew.dtype)])
    v = ew.im.emit1("nnvm.broadcast_add", [v, start])
    valid = ew.mul(ew.mask(v, "greater_equal", -1.0), ew.mask(v, "less_equal", float(length)))
    v = ew.clip(v, 0.0, float(np.finfo(ew.dtype).max))
    low = ew.unary("floor", v)
    edge = ew.mask(low, "greater_equal", length - 1.0)
    frac = ew.mul(ew.sub(v, low), ew.rsub(1.0, edge))
    low = ew.clip(low, 0, length - 1)
    high = ew.clip(ew.add(low, 1.0), 0, length - 1)
    return low, high, ew.rsub(1.0, frac), frac, valid


@converts("RoiAlign")
def _roi_align(im: Importer, node: Node) -> list[Value]:
    data, rois, which = x(im, node), x(im, node, 1), x(im, node, 2)
    shape = im.static_shape(data, "RoiAlign's input")
    if len(shape) != 4:
        raise BadModel(f"RoiAlign needs a 4-D input, got {list(shape)}")
    n, c, height, width = shape
    nrois = im.static_shape(rois, "rois")[0]
    dtype = im.dtype(data)
    if dtype is None or dtype.kind != "f" or im.dtype(rois) != dtype:
        raise Unsupported(f"RoiAlign of {dtype} data with {im.dtype(rois)} rois")
    ratio = int(node.attr("sampling_ratio", 0))
    if ratio <= 0:
        raise Unsupported("sampling_ratio = 0 (the sample count would depend on the rois)")
    mode = node.attr("mode", "avg")
    if mode not in ("avg", "max"):
        raise Unsupported(f"mode = '{mode}'")
    transform = node.attr("coordinate_transformation_mode", "half_pixel")
    if transform not in ("half_pixel", "output_half_pixel"):
        raise Unsupported(f"coordinate_transformation_mode = '{transform}'")
    half = transform == "half_pixel"
    oh, ow = int(node.attr("output_height", 1)), int(node.attr("output_width", 1))
    scale = float(node.attr("spatial_scale", 1.0))
    ew = Ew(im, dtype)

    def column(i: int) -> Value:
        col = strided_slice(im, rois, [0, i], [nrois, i + 1], [1, 1])
        return ew.sub(ew.mul(col, scale), 0.5 if half else 0.0)

    x0, y0, x1, y1 = (column(i) for i in range(4))
    sizes = [ew.sub(y1, y0), ew.sub(x1, x0)]
    if not half:
        sizes = [ew.clip(s, 1.0, float(np.finfo(dtype).max)) for s in sizes]
    ys = _roi_axis(ew, y0, sizes[0], oh, ratio, height)
    xs = _roi_axis(ew, x0, sizes[1], ow, ratio, width)
    ph, pw = oh * ratio, ow * ratio

    def rows(v: Value) -> Value:
        return reshape(im, v, [nrois, ph, 1])

    def cols(v: Value) -> Value:
        return reshape(im, v, [nrois, 1, pw])

    base = ew.mul(im.emit1("nnvm.cast", [which], {"dtype": dtype}), float(height * width))
    base = reshape(im, base, [nrois, 1, 1])
    valid = im.emit1("nnvm.broadcast_mul", [rows(ys[4]), cols(xs[4])])
    table = reshape(im, transpose(im, data, [0, 2, 3, 1]), [n * height * width, c])
    taps = []
    for yi, yw in ((ys[0], ys[2]), (ys[1], ys[3])):
        for xi, xw in ((xs[0], xs[2]), (xs[1], xs[3])):
            flat = im.emit1("nnvm.broadcast_add", [rows(ew.mul(yi, float(width))), cols(xi)])
            flat = im.emit1("nnvm.broadcast_add", [flat, base])
            index = im.emit1("nnvm.cast", [flat], {"dtype": np.dtype(np.int64)})
            taken = im.emit1("nnvm.take", [table, index], {"axis": 0})
            w = ew.mul(im.emit1("nnvm.broadcast_mul", [rows(yw), cols(xw)]), valid)
            w = reshape(im, w, [nrois, ph, pw, 1])
            taps.append(im.emit1("nnvm.broadcast_mul", [taken, w]))
    total = taps[0]
    for t in taps[1:]:
        total = ew.add(total, t) if mode == "avg" else im.emit1("nnvm.broadcast_max", [total, t])
    total = reshape(im, total, [nrois, oh, ratio, ow, ratio, c])
    pooled = im.emit1(
        "nnvm.mean" if mode == "avg" else "nnvm.max", [total], {"axis": [2, 4], "keepdims": False}
    )
    return [transpose(im, pooled, [0, 3, 1, 2])]
