"""Pooling and upsampling ops (NNVM level 2): max/avg pools, global pools, upsampling.

Data layouts are any order of NCHW, or NCHW with a channel block (NCHW8c) as -p alter-op-layout
leaves them; H and W cannot be split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, IntegerAttr, StringAttr
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.facts import (
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
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import FLOATS, random_array
from nnvm_dialect.ops.nn_common import (
    FALSE,
    FLOAT_DTYPES,
    INT_DTYPES,
    Layout,
    accumulator,
    check_choice,
    check_ints,
    in_layout,
    ints,
    pick,
    rand_bool,
    rand_int,
    random_layout,
    window_out,
)
from nnvm_dialect.ops.vision import interpolate


class LayoutOp(NnvmOp):
    """An op on 4-D data in a `layout` whose H and W stay whole."""

    def data_layout(self) -> Layout:
        return Layout.parse(self.str_attr("layout"), "NCHW", "layout", unsplit="HW")

    def verify_attributes(self) -> None:
        self.data_layout()


class Pool2dBase(LayoutOp):
    """Windows over H and W. padding: 1 int (all sides), 2 (top, left; bottom = top,
    right = left), 4 (top, left, bottom, right). ceil_mode rounds the output size up:
    H_out = ceil((H + top + bottom - pool_h) / stride_h) + 1, so the last window may run past
    the padding (ONNX and PyTorch drop a last window that starts past the data and the top
    padding; NNVM keeps it, see the ops' docs for what it sees there)."""

    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    pool_size = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase, default_value=ints(1, 1))
    padding = prop_def(DenseArrayBase, default_value=ints(0, 0))
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    ceil_mode = prop_def(BoolAttr, default_value=FALSE)

    def pads(self) -> tuple[int, int, int, int]:
        """(top, left, bottom, right)."""
        p = self.ints_attr("padding")
        if len(p) == 1:
            return (p[0],) * 4
        if len(p) == 2:
            return (p[0], p[1], p[0], p[1])
        return (p[0], p[1], p[2], p[3])

    def verify_attributes(self) -> None:
        check_ints(self, "pool_size", 2, 1)
        check_ints(self, "strides", 2, 1)
        padding = self.ints_attr("padding")
        if len(padding) not in (1, 2, 4) or min(padding) < 0:
            raise ShapeError(f"padding must be 1, 2 or 4 integers >= 0, got {list(padding)}")
        super().verify_attributes()

    def out_hw(self, h: int | None, w: int | None) -> tuple[int | None, int | None]:
        (kh, kw), (sh, sw) = self.ints_attr("pool_size"), self.ints_attr("strides")
        top, left, bottom, right = self.pads()
        ceil = self.bool_attr("ceil_mode")
        return window_out(h, kh, top, bottom, sh, ceil), window_out(w, kw, left, right, sw, ceil)

    def windows(self, x: np.ndarray, value: float | int) -> np.ndarray:
        """Every window of canonical `x` (N, C, H_out, W_out, pool_h, pool_w), padded with
        `value`, also where ceil_mode runs past the padding."""
        (kh, kw), (sh, sw) = self.ints_attr("pool_size"), self.ints_attr("strides")
        top, left, bottom, right = self.pads()
        h, w = x.shape[2:]
        oh, ow = self.out_hw(h, w)
        assert oh is not None and ow is not None
        extra_h = max(0, (oh - 1) * sh + kh - (h + top + bottom))
        extra_w = max(0, (ow - 1) * sw + kw - (w + left + right))
        xp = np.pad(
            x,
            [(0, 0), (0, 0), (top, bottom + extra_h), (left, right + extra_w)],
            constant_values=value,
        )
        windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
        return windows[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw]


@shape_rule.register(Pool2dBase)
def _pool2d_shape(op: Pool2dBase, shapes: Sequence[Shape]) -> list[Shape]:
    layout = op.data_layout()
    n, c, h, w = layout.canonical_shape(shapes[0], "data")
    return [layout.shape([n, c, *op.out_hw(h, w)], "result")]


@irdl_op_definition
class MaxPool2dOp(Pool2dBase):
    """Max over windows. A window that ceil_mode places wholly past the data sees only
    padding, and gives the lowest value of the dtype (-inf for floats)."""

    name = "nnvm.max_pool2d"


def lowest(dtype: np.dtype) -> float | int:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


@reference.register(MaxPool2dOp)
def _max_pool2d(op: MaxPool2dOp, x: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    y = op.windows(layout.to_canonical(x), lowest(x.dtype)).max(axis=(4, 5))
    return layout.from_canonical(y).astype(x.dtype)


@irdl_op_definition
class AvgPool2dOp(Pool2dBase):
    """Mean over windows (TOPI's pool): padding counts as zeros in the sum. The divisor is
    pool_h * pool_w with count_include_pad, else the number of data elements in the window
    (at least 1; a window wholly in padding gives 0).

    Differences with ONNX AveragePool / PyTorch: with ceil_mode and count_include_pad, a window
    running past the bottom/right padding still divides by pool_h * pool_w here, while ONNX
    divides by the part inside the padded input; and ONNX drops a last window that starts
    past the data and top padding. To import ONNX exactly: compute ONNX's output size; use
    ceil_mode only if it differs from the floor size; and for count_include_pad = 1 with
    ceil_mode, pad the data explicitly (nnvm.pad) and pool with count_include_pad = false.
    """

    name = "nnvm.avg_pool2d"
    count_include_pad = prop_def(BoolAttr, default_value=FALSE)


@reference.register(AvgPool2dOp)
def _avg_pool2d(op: AvgPool2dOp, x: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    xc = layout.to_canonical(x).astype(accumulator(x.dtype))
    total = op.windows(xc, 0).sum(axis=(4, 5))
    if op.bool_attr("count_include_pad"):
        kh, kw = op.ints_attr("pool_size")
        y = total / (kh * kw)
    else:
        count = op.windows(np.ones((1, 1, *xc.shape[2:])), 0).sum(axis=(4, 5))
        y = total / np.maximum(count, 1)
    return layout.from_canonical(y).astype(x.dtype)


class GlobalPool2dBase(LayoutOp):
    """Pools all of H and W: they become 1."""

    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))


@shape_rule.register(GlobalPool2dBase)
def _global_pool2d_shape(op: GlobalPool2dBase, shapes: Sequence[Shape]) -> list[Shape]:
    layout = op.data_layout()
    n, c, _, _ = layout.canonical_shape(shapes[0], "data")
    return [layout.shape([n, c, 1, 1], "result")]


@irdl_op_definition
class GlobalMaxPool2dOp(GlobalPool2dBase):
    name = "nnvm.global_max_pool2d"


@irdl_op_definition
class GlobalAvgPool2dOp(GlobalPool2dBase):
    name = "nnvm.global_avg_pool2d"


@reference.register(GlobalMaxPool2dOp)
def _global_max_pool2d(op: GlobalMaxPool2dOp, x: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    y = layout.to_canonical(x).max(axis=(2, 3), keepdims=True)
    return layout.from_canonical(y).astype(x.dtype)


@reference.register(GlobalAvgPool2dOp)
def _global_avg_pool2d(op: GlobalAvgPool2dOp, x: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    xc = layout.to_canonical(x).astype(accumulator(x.dtype))
    return layout.from_canonical(xc.mean(axis=(2, 3), keepdims=True)).astype(x.dtype)


@irdl_op_definition
class UpsamplingOp(LayoutOp):
    """Scales H and W by the integer `scale` (TOPI's upsampling: resize with
    align_corners = false). NEAREST_NEIGHBOR: out[y, x] = in[y // scale, x // scale];
    BILINEAR: linear in each axis at source coordinate y / scale (ONNX's "asymmetric"
    coordinate mode, the Upsample op of opsets 7-9), clamped to the edge."""

    name = "nnvm.upsampling"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    scale = prop_def(IntegerAttr[I64])
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    method = prop_def(StringAttr, default_value=StringAttr("NEAREST_NEIGHBOR"))

    def verify_attributes(self) -> None:
        if self.int_attr("scale") < 1:
            raise ShapeError(f"scale must be >= 1, got {self.int_attr('scale')}")
        check_choice(self, "method", ("NEAREST_NEIGHBOR", "BILINEAR"))
        super().verify_attributes()


@shape_rule.register(UpsamplingOp)
def _upsampling_shape(op: UpsamplingOp, shapes: Sequence[Shape]) -> list[Shape]:
    layout, scale = op.data_layout(), op.int_attr("scale")
    n, c, h, w = layout.canonical_shape(shapes[0], "data")
    hw = [None if d is None else d * scale for d in (h, w)]
    return [layout.shape([n, c, *hw], "result")]


@reference.register(UpsamplingOp)
def _upsampling(op: UpsamplingOp, x: np.ndarray) -> np.ndarray:
    layout, scale = op.data_layout(), op.int_attr("scale")
    xc = layout.to_canonical(x)
    size = (xc.shape[2] * scale, xc.shape[3] * scale)
    linear = op.str_attr("method") == "BILINEAR"
    y = interpolate(xc, size, (scale, scale), linear, "asymmetric", "floor")
    return layout.from_canonical(y).astype(x.dtype)


pattern_kind.register(Pool2dBase, GlobalPool2dBase)(OpPattern.OUT_ELEMWISE_FUSABLE)
pattern_kind.register(UpsamplingOp)(OpPattern.INJECTIVE)
dtypes.register(MaxPool2dOp, GlobalMaxPool2dOp)((*FLOAT_DTYPES, *INT_DTYPES))
dtypes.register(AvgPool2dOp, GlobalAvgPool2dOp, UpsamplingOp)(FLOAT_DTYPES)
for _op, _onnx in [
    (MaxPool2dOp, "MaxPool"),
    (AvgPool2dOp, "AveragePool"),
    (GlobalMaxPool2dOp, "GlobalMaxPool"),
    (GlobalAvgPool2dOp, "GlobalAveragePool"),
    (UpsamplingOp, 'Upsample (opset 7-9) / Resize (coordinate mode "asymmetric")'),
]:
    onnx_equivalent.register(_op)(_onnx)

POOL_OPS = [MaxPool2dOp, AvgPool2dOp, GlobalMaxPool2dOp, GlobalAvgPool2dOp, UpsamplingOp]


# Examples: random valid instances for the generic rules-against-semantics test.


def _data(rng: np.random.Generator, hw: Sequence[int], dtype: type) -> tuple[np.ndarray, str]:
    c = rand_int(rng, 1, 4)
    layout = random_layout(rng, c)
    x = random_array(rng, (rand_int(rng, 1, 2), c, *hw), dtype, -50, 50)
    return in_layout(x, "NCHW", layout), layout


def _pool2d_example(rng: np.random.Generator, avg: bool) -> Example:
    dtype = pick(rng, FLOATS if avg else (*FLOATS, np.int32))
    pool = (rand_int(rng, 1, 3), rand_int(rng, 1, 3))
    strides = (rand_int(rng, 1, 3), rand_int(rng, 1, 3))
    # Padding below the pool size, so that only ceil_mode can make windows that see no data.
    arity = pick(rng, (1, 2, 4))
    if arity == 1:
        padding: tuple[int, ...] = (rand_int(rng, 0, min(pool) - 1),)
    else:
        padding = tuple(rand_int(rng, 0, pool[i % 2] - 1) for i in range(arity))
    top, left, bottom, right = (padding * 4)[:4] if arity == 1 else (padding * 2)[:4]
    spatial = [
        rand_int(rng, max(1, pool[0] - top - bottom), pool[0] + 5),
        rand_int(rng, max(1, pool[1] - left - right), pool[1] + 5),
    ]
    x, layout = _data(rng, spatial, dtype)
    props: dict[str, Attribute] = {
        "pool_size": ints(*pool),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "layout": StringAttr(layout),
        "ceil_mode": BoolAttr.from_bool(rand_bool(rng)),
    }
    if avg:
        props["count_include_pad"] = BoolAttr.from_bool(rand_bool(rng))
    return Example([x], props)


example.register(MaxPool2dOp)(lambda rng: _pool2d_example(rng, avg=False))
example.register(AvgPool2dOp)(lambda rng: _pool2d_example(rng, avg=True))


@example.register(GlobalPool2dBase)
def _global_pool2d_example(rng: np.random.Generator) -> Example:
    x, layout = _data(rng, (rand_int(rng, 1, 6), rand_int(rng, 1, 6)), pick(rng, FLOATS))
    return Example([x], {"layout": StringAttr(layout)})


@example.register(UpsamplingOp)
def _upsampling_example(rng: np.random.Generator) -> Example:
    x, layout = _data(rng, (rand_int(rng, 1, 5), rand_int(rng, 1, 5)), pick(rng, FLOATS))
    props: dict[str, Attribute] = {
        "scale": IntegerAttr(rand_int(rng, 1, 3), 64),
        "layout": StringAttr(layout),
        "method": StringAttr(pick(rng, ("NEAREST_NEIGHBOR", "BILINEAR"))),
    }
    return Example([x], props)
