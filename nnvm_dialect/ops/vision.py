"""Image and vision ops (NNVM levels 2 and 5, and what ONNX models need): resize, topk,
multibox_prior."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    DenseArrayBase,
    Float64Type,
    IntegerAttr,
    IntegerType,
    StringAttr,
    f64,
    i32,
    i64,
)
from xdsl.ir import Attribute, TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, var_result_def

from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
    type_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import FLOATS, INTEGERS, random_array, random_shape
from nnvm_dialect.ops.nn_common import (
    FALSE,
    FLOAT_DTYPES,
    INT_DTYPES,
    Layout,
    check_choice,
    check_rank,
    in_layout,
    normalize_axis,
    pick,
    rand_bool,
    rand_int,
    random_layout,
)

COORDINATE_MODES = ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
ROUNDING_METHODS = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


def source_coords(out: int, size: int, scale: float | None, mode: str) -> np.ndarray:
    """Where each output index of an axis lies on the input axis (ONNX Resize's formulas);
    `scale` None is out / size, divided exactly so that ties of the rounding stay ties."""
    o = np.arange(out, dtype=np.float64)
    if mode == "align_corners":
        return o * (size - 1) / (out - 1) if out > 1 else np.zeros(out)
    if mode == "pytorch_half_pixel" and out == 1:
        return np.zeros(1)
    x = o if mode == "asymmetric" else o + 0.5
    x = x / scale if scale is not None else x * size / out
    return x if mode == "asymmetric" else x - 0.5


def _round(c: np.ndarray, method: str) -> np.ndarray:
    if method == "round_prefer_floor":
        return np.ceil(c - 0.5)
    if method == "round_prefer_ceil":
        return np.floor(c + 0.5)
    return np.floor(c) if method == "floor" else np.ceil(c)


def interpolate(
    x: np.ndarray,
    size: Sequence[int],
    scales: Sequence[float | None],
    linear: bool,
    mode: str,
    rounding: str,
) -> np.ndarray:
    """`x` (N, C, H, W) resized to `size` over H and W, one axis after the other. Source
    coordinates are clamped to the input, so edges repeat (ONNX's behaviour outside
    tf_crop_and_resize). Linear interpolation is computed in float64."""
    y = x.astype(np.float64) if linear else x
    for axis, out, scale in zip((2, 3), size, scales):
        n = x.shape[axis]
        coords = source_coords(out, n, scale, mode)
        shape = [1, 1, 1, 1]
        shape[axis] = out
        if not linear:
            idx = np.clip(_round(coords, rounding), 0, n - 1).astype(np.int64)
            y = y.take(idx, axis=axis)
            continue
        c = np.clip(coords, 0, n - 1)
        i0 = np.floor(c).astype(np.int64)
        i1 = np.minimum(i0 + 1, n - 1)
        t = (c - i0).reshape(shape)
        y = y.take(i0, axis=axis) * (1 - t) + y.take(i1, axis=axis) * t
    return y


def floats_attr(op: NnvmOp, name: str) -> tuple[float, ...]:
    attr = op.properties[name]
    assert isinstance(attr, DenseArrayBase)
    return tuple(float(v) for v in attr.get_values())


@irdl_op_definition
class ResizeOp(NnvmOp):
    """Resizes H and W of 4-D data to `size`, or by `scale` (out = floor(in * scale)); give
    exactly one. NNVM's attributes, plus what ONNX Resize needs:

    - method: "NEAREST_NEIGHBOR" or "BILINEAR" (ONNX "nearest" / "linear"; no cubic);
    - coordinate_transformation_mode: "half_pixel", "pytorch_half_pixel", "align_corners" or
      "asymmetric" (ONNX's formulas, with the given `scale`, or out / in when `size` is given);
      "__undef__" is NNVM's: "align_corners" if align_corners else "asymmetric";
    - rounding_method (nearest only): ONNX's nearest_mode "round_prefer_floor",
      "round_prefer_ceil", "floor", "ceil"; "__undef__" is TVM's: "round_prefer_ceil" with
      align_corners, else "floor".

    Source coordinates are clamped to the input (edges repeat). ONNX's tf_crop_and_resize,
    cubic, antialias, exclude_outside and keep_aspect_ratio_policy are not modelled.
    """

    name = "nnvm.resize"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    size = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(i64, []))
    scale = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(f64, []))
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    method = prop_def(StringAttr, default_value=StringAttr("BILINEAR"))
    align_corners = prop_def(BoolAttr, default_value=FALSE)
    coordinate_transformation_mode = prop_def(StringAttr, default_value=StringAttr("__undef__"))
    rounding_method = prop_def(StringAttr, default_value=StringAttr("__undef__"))

    def data_layout(self) -> Layout:
        return Layout.parse(self.str_attr("layout"), "NCHW", "layout", unsplit="HW")

    def mode(self) -> str:
        mode = self.str_attr("coordinate_transformation_mode")
        if mode == "__undef__":
            return "align_corners" if self.bool_attr("align_corners") else "asymmetric"
        return mode

    def rounding(self) -> str:
        rounding = self.str_attr("rounding_method")
        if rounding == "__undef__":
            return "round_prefer_ceil" if self.mode() == "align_corners" else "floor"
        return rounding

    def verify_attributes(self) -> None:
        size, scale = self.properties["size"], self.properties["scale"]
        assert isinstance(size, DenseArrayBase) and isinstance(scale, DenseArrayBase)
        if not isinstance(size.elt_type, IntegerType):
            raise ShapeError(f"size must be an array<i64: h, w>, got {size}")
        if not isinstance(scale.elt_type, Float64Type):
            raise ShapeError(f"scale must be an array<f64: h, w>, got {scale}")
        sizes, scales = self.ints_attr("size"), floats_attr(self, "scale")
        if (len(sizes), len(scales)) not in ((2, 0), (0, 2)):
            raise ShapeError(
                f"give exactly one of size (2 integers) and scale (2 floats), got size = "
                f"{list(sizes)}, scale = {list(scales)}"
            )
        if sizes and min(sizes) < 1:
            raise ShapeError(f"size must be 2 integers >= 1, got {list(sizes)}")
        if scales and not min(scales) > 0:
            raise ShapeError(f"scale must be 2 floats > 0, got {list(scales)}")
        check_choice(self, "method", ("NEAREST_NEIGHBOR", "BILINEAR"))
        check_choice(self, "coordinate_transformation_mode", ("__undef__", *COORDINATE_MODES))
        check_choice(self, "rounding_method", ("__undef__", *ROUNDING_METHODS))
        if self.bool_attr("align_corners") and self.mode() != "align_corners":
            raise ShapeError(
                "align_corners = true conflicts with coordinate_transformation_mode = "
                f'"{self.mode()}"'
            )
        self.data_layout()

    def out_hw(self, h: int | None, w: int | None) -> list[int | None]:
        if self.ints_attr("size"):
            return list(self.ints_attr("size"))
        out: list[int | None] = []
        for d, s in zip((h, w), floats_attr(self, "scale")):
            if d is not None and int(np.floor(d * s)) < 1:
                raise ShapeError(f"scale {s} leaves no output of an input of size {d}")
            out.append(None if d is None else int(np.floor(d * s)))
        return out

    def scales(self) -> tuple[float | None, float | None]:
        """The scales of the coordinate transformation; None where out / in (size given)."""
        if floats_attr(self, "scale"):
            sh, sw = floats_attr(self, "scale")
            return sh, sw
        return None, None


@shape_rule.register(ResizeOp)
def _resize_shape(op: ResizeOp, shapes: Sequence[Shape]) -> list[Shape]:
    layout = op.data_layout()
    n, c, h, w = layout.canonical_shape(shapes[0], "data")
    return [layout.shape([n, c, *op.out_hw(h, w)], "result")]


@reference.register(ResizeOp)
def _resize(op: ResizeOp, x: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    xc = layout.to_canonical(x)
    h, w = xc.shape[2:]
    size = op.out_hw(h, w)
    assert None not in size
    linear = op.str_attr("method") == "BILINEAR"
    y = interpolate(xc, size, op.scales(), linear, op.mode(), op.rounding())  # pyright: ignore[reportArgumentType]
    return layout.from_canonical(y).astype(x.dtype)


@irdl_op_definition
class TopKOp(NnvmOp):
    """The k largest (is_ascend = false) or smallest elements along `axis`, sorted, and their
    indices (TVM's topk). k < 1 takes the whole axis. ret_type "both" gives (values, indices),
    "values" or "indices" one of them; indices have element type `dtype`. Equal values keep
    their order (the lower index first), as ONNX TopK requires; NaNs are not ordered.
    ONNX TopK takes k as an input and returns int64 indices: import with dtype = i64.
    """

    name = "nnvm.topk"
    data = operand_def(AnyTensor)
    outs = var_result_def(AnyTensor)
    k = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-1, 64))
    ret_type = prop_def(StringAttr, default_value=StringAttr("both"))
    is_ascend = prop_def(BoolAttr, default_value=FALSE)
    dtype = prop_def(TypeAttribute, default_value=i32)

    def verify_attributes(self) -> None:
        ret_type = check_choice(self, "ret_type", ("both", "values", "indices"))
        want = 2 if ret_type == "both" else 1
        if len(self.results) != want:
            raise ShapeError(
                f'ret_type "{ret_type}" gives {want} results, the op has {len(self.results)}'
            )
        try:
            index = to_numpy(self.dtype)
        except ValueError:
            index = None
        if index is None or index.kind not in "iuf":
            raise ShapeError(f"dtype must be an integer or float type, got {self.dtype}")


@shape_rule.register(TopKOp)
def _topk_shape(op: TopKOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    out: Shape = None
    if data is not None:
        if not data:
            raise ShapeError("data must have rank >= 1, got a scalar")
        axis = normalize_axis(op.int_attr("axis"), len(data))
        k, dim = op.int_attr("k"), data[axis]
        if k >= 1 and dim is not None and k > dim:
            raise ShapeError(f"k = {k} is larger than axis {axis} (shape {format_shape(data)})")
        dims = list(data)
        dims[axis] = k if k >= 1 else dim
        out = tuple(dims)
    return [out] * len(op.results)


@type_rule.register(TopKOp)
def _topk_type(op: TopKOp, types: Sequence[DType]) -> list[DType]:
    ret_type = op.str_attr("ret_type")
    if ret_type == "values":
        return [types[0]]
    return [op.dtype] if ret_type == "indices" else [types[0], op.dtype]


@reference.register(TopKOp)
def _topk(op: TopKOp, x: np.ndarray) -> list[np.ndarray]:
    axis = normalize_axis(op.int_attr("axis"), x.ndim)
    n = x.shape[axis]
    k = op.int_attr("k") if op.int_attr("k") >= 1 else n
    if op.bool_attr("is_ascend"):
        order = np.argsort(x, axis=axis, kind="stable")
    else:
        # Descending with ties in index order: a stable sort of the reversed axis, reversed.
        flipped = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
        order = n - 1 - np.flip(flipped, axis)
    indices = np.take(order, np.arange(k), axis=axis)
    values = np.take_along_axis(x, indices, axis=axis)
    indices = indices.astype(to_numpy(op.dtype))
    ret_type = op.str_attr("ret_type")
    return (
        [values]
        if ret_type == "values"
        else [indices]
        if ret_type == "indices"
        else [
            values,
            indices,
        ]
    )


@irdl_op_definition
class MultiboxPriorOp(NnvmOp):
    """SSD anchor boxes (TOPI's multibox_prior) for (N, C, H, W) data: at every pixel (i, j)
    with centre ((j + offsets[1]) * step_w, (i + offsets[0]) * step_h), one box per size
    (half-width size * H / W / 2, half-height size / 2), then one per ratio r after the first
    (half-width sizes[0] * H / W * sqrt(r) / 2, half-height sizes[0] / sqrt(r) / 2). A step
    of -1 is 1 / H (or 1 / W). Out: (1, H * W * (len(sizes) + len(ratios) - 1), 4) rows
    [xmin, ymin, xmax, ymax], clipped to [0, 1] with clip. No ONNX op is its equivalent.
    """

    name = "nnvm.multibox_prior"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    sizes = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(f64, [1.0]))
    ratios = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(f64, [1.0]))
    steps = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(f64, [-1.0, -1.0]))
    offsets = prop_def(DenseArrayBase, default_value=DenseArrayBase.from_list(f64, [0.5, 0.5]))
    clip = prop_def(BoolAttr, default_value=FALSE)

    def verify_attributes(self) -> None:
        for name, count in (("sizes", 0), ("ratios", 0), ("steps", 2), ("offsets", 2)):
            attr = self.properties[name]
            assert isinstance(attr, DenseArrayBase)
            values = floats_attr(self, name)
            if not isinstance(attr.elt_type, Float64Type) or (count and len(values) != count):
                want = f"{count} floats" if count else "floats"
                raise ShapeError(f"{name} must be an array<f64: ...> of {want}, got {attr}")
            if not count and (not values or min(values) <= 0):
                raise ShapeError(f"{name} must be one or more floats > 0, got {list(values)}")

    def boxes_per_pixel(self) -> int:
        return len(floats_attr(self, "sizes")) + len(floats_attr(self, "ratios")) - 1


@shape_rule.register(MultiboxPriorOp)
def _multibox_prior_shape(op: MultiboxPriorOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    check_rank("data", data, 4)
    if data is None or None in data[2:]:
        return [(1, None, 4)]
    return [(1, data[2] * data[3] * op.boxes_per_pixel(), 4)]  # pyright: ignore[reportOptionalOperand]


@reference.register(MultiboxPriorOp)
def _multibox_prior(op: MultiboxPriorOp, x: np.ndarray) -> np.ndarray:
    h, w = x.shape[2:]
    sizes, ratios = floats_attr(op, "sizes"), floats_attr(op, "ratios")
    (step_h, step_w), (off_h, off_w) = floats_attr(op, "steps"), floats_attr(op, "offsets")
    step_h = step_h if step_h > 0 else 1.0 / h
    step_w = step_w if step_w > 0 else 1.0 / w
    half = [(s * h / w / 2, s / 2) for s in sizes]
    half += [(sizes[0] * h / w * np.sqrt(r) / 2, sizes[0] / np.sqrt(r) / 2) for r in ratios[1:]]
    hw_, hh_ = np.array(half).T  # half-widths and half-heights, one per box of a pixel
    cy = (np.arange(h) + off_h) * step_h
    cx = (np.arange(w) + off_w) * step_w
    cy, cx = (a[:, :, None] for a in np.meshgrid(cy, cx, indexing="ij"))
    boxes = np.stack([cx - hw_, cy - hh_, cx + hw_, cy + hh_], axis=-1).reshape(1, -1, 4)
    if op.bool_attr("clip"):
        boxes = np.clip(boxes, 0.0, 1.0)
    return boxes.astype(x.dtype)


pattern_kind.register(ResizeOp)(OpPattern.INJECTIVE)
pattern_kind.register(TopKOp, MultiboxPriorOp)(OpPattern.OPAQUE)
dtypes.register(ResizeOp, MultiboxPriorOp)(FLOAT_DTYPES)
dtypes.register(TopKOp)((*FLOAT_DTYPES, *INT_DTYPES))
onnx_equivalent.register(ResizeOp)("Resize (modes nearest, linear)")
onnx_equivalent.register(MultiboxPriorOp)("none (SSD anchors; MXNet MultiBoxPrior)")
onnx_equivalent.register(TopKOp)("TopK (k as an attribute; dtype = i64 for ONNX's indices)")

VISION_OPS = [ResizeOp, TopKOp, MultiboxPriorOp]


# Examples: random valid instances for the generic rules-against-semantics test.


@example.register(ResizeOp)
def _resize_example(rng: np.random.Generator) -> Example:
    c = rand_int(rng, 1, 4)
    layout = random_layout(rng, c)
    hw = (rand_int(rng, 1, 5), rand_int(rng, 1, 5))
    x = random_array(rng, (rand_int(rng, 1, 2), c, *hw), pick(rng, FLOATS))
    props: dict[str, Attribute] = {"layout": StringAttr(layout)}
    if rand_bool(rng):
        props["size"] = DenseArrayBase.from_list(i64, [rand_int(rng, 1, 8) for _ in hw])
    else:
        scales = [float(pick(rng, (0.5, 0.75, 1.0, 1.5, 2.0, 3.0))) for _ in hw]
        scales = [max(s, 1.0 / d) for s, d in zip(scales, hw)]
        props["scale"] = DenseArrayBase.from_list(f64, scales)
    props["method"] = StringAttr(pick(rng, ("NEAREST_NEIGHBOR", "BILINEAR")))
    align_corners = rand_bool(rng)
    props["align_corners"] = BoolAttr.from_bool(align_corners)
    modes = ("__undef__", "align_corners") if align_corners else ("__undef__", *COORDINATE_MODES)
    props["coordinate_transformation_mode"] = StringAttr(pick(rng, modes))
    props["rounding_method"] = StringAttr(pick(rng, ("__undef__", *ROUNDING_METHODS)))
    return Example([in_layout(x, "NCHW", layout)], props)


@example.register(TopKOp)
def _topk_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3, 6)
    dtype = pick(rng, (*FLOATS, *INTEGERS))
    # Few distinct values, so that ties are common.
    x = random_array(rng, shape, dtype, -4, 4)
    axis = rand_int(rng, -len(shape), len(shape) - 1)
    ret_type = pick(rng, ("both", "values", "indices"))
    props: dict[str, Attribute] = {
        "k": IntegerAttr(rand_int(rng, 0, shape[axis]), 64),
        "axis": IntegerAttr(axis, 64),
        "ret_type": StringAttr(ret_type),
        "is_ascend": BoolAttr.from_bool(rand_bool(rng)),
        "dtype": from_numpy(np.dtype(pick(rng, (np.int32, np.int64, np.float32)))),
    }
    return Example([x], props, num_results=2 if ret_type == "both" else 1)


@example.register(MultiboxPriorOp)
def _multibox_prior_example(rng: np.random.Generator) -> Example:
    x = random_array(rng, (1, rand_int(rng, 1, 3), rand_int(rng, 1, 6), rand_int(rng, 1, 6)),
                     pick(rng, FLOATS))  # fmt: skip

    def floats(n: int, low: float, high: float) -> DenseArrayBase:
        return DenseArrayBase.from_list(f64, [float(rng.uniform(low, high)) for _ in range(n)])

    props: dict[str, Attribute] = {
        "sizes": floats(rand_int(rng, 1, 3), 0.1, 1.0),
        "ratios": floats(rand_int(rng, 1, 3), 0.5, 2.0),
        "offsets": floats(2, 0.0, 1.0),
        "clip": BoolAttr.from_bool(rand_bool(rng)),
    }
    if rand_bool(rng):
        props["steps"] = floats(2, 0.05, 0.5)
    return Example([x], props)
