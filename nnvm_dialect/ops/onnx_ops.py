"""N-D convolution and pooling: what ONNX has and NNVM's 2-D ops cannot express.

NNVM's conv2d and pools are 2-D, without pooling dilation. ONNX models also hold 1-D and 3-D
convolutions and pools, and dilated max pools; these ops take any number of spatial dims (data
N, C, *spatial) with explicit begin and end padding, so the importer needs no semantics of its
own. 2-D cases still import as NNVM's own ops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects.builtin import (
    I64,
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    IntegerAttr,
    StringAttr,
    i64,
)
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def

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
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import FLOATS, random_array

TRUE = BoolAttr.from_bool(True)
FALSE = BoolAttr.from_bool(False)


def ints(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


class WindowOp(NnvmOp):
    """Shared by the N-D ops: a window of `kernel` elements every `strides`, `dilation` apart,
    over data padded by `padding` = (begin..., end...)."""

    strides = prop_def(DenseArrayBase)
    padding = prop_def(DenseArrayBase)
    dilation = prop_def(DenseArrayBase)

    KERNEL_NAME: ClassVar[str] = "kernel_size"

    def kernel(self) -> tuple[int, ...]:
        return self.ints_attr(self.KERNEL_NAME)

    def spatial(self) -> int:
        return len(self.kernel())

    def window(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """kernel, strides, dilation, (begin..., end...) padding."""
        return (
            self.kernel(),
            self.ints_attr("strides"),
            self.ints_attr("dilation"),
            self.ints_attr("padding"),
        )

    def verify_attributes(self) -> None:
        kernel, strides, dilation, padding = self.window()
        n = len(kernel)
        if not 1 <= n <= 3 or min(kernel) < 1:
            raise ShapeError(f"{self.KERNEL_NAME} must be 1 to 3 integers >= 1, got {list(kernel)}")
        for name, values, low in (("strides", strides, 1), ("dilation", dilation, 1)):
            if len(values) != n or min(values) < low:
                raise ShapeError(f"{name} must be {n} integers >= {low}, got {list(values)}")
        if len(padding) != 2 * n or min(padding) < 0:
            raise ShapeError(f"padding must be {2 * n} integers >= 0, got {list(padding)}")

    def out_dims(self, dims: Sequence[int | None]) -> list[int | None]:
        kernel, strides, dilation, padding = self.window()
        n = len(kernel)
        out: list[int | None] = []
        for i, size in enumerate(dims):
            if size is None:
                out.append(None)
                continue
            span = size + padding[i] + padding[n + i] - ((kernel[i] - 1) * dilation[i] + 1)
            if span < 0:
                raise ShapeError(
                    f"the window ({self.KERNEL_NAME}, dilation) of spatial dim {i} is larger "
                    f"than the input with its padding ({size + padding[i] + padding[n + i]})"
                )
            out.append(span // strides[i] + 1)
        return out

    def windows(self, x: np.ndarray, fill: float) -> np.ndarray:
        """(N, C, *out, *kernel) views of the padded data."""
        kernel, strides, dilation, padding = self.window()
        n = len(kernel)
        pads = [(0, 0), (0, 0)] + [(padding[i], padding[n + i]) for i in range(n)]
        xp = np.pad(x, pads, constant_values=fill)
        extent = [(kernel[i] - 1) * dilation[i] + 1 for i in range(n)]
        w = sliding_window_view(xp, extent, axis=tuple(range(2, 2 + n)))
        picks = (slice(None), slice(None))
        picks += tuple(slice(None, None, s) for s in strides)
        picks += tuple(slice(None, None, d) for d in dilation)
        return w[picks]


def _check_data(shape: Shape, n: int) -> None:
    if shape is not None and len(shape) != n + 2:
        raise ShapeError(
            f"data must have rank {n + 2} (N, C and {n} spatial dims), got {format_shape(shape)}"
        )


@irdl_op_definition
class ConvOp(WindowOp):
    """N-D convolution (ONNX Conv): data (N, C, *S), weight (channels, C / groups, *kernel_size),
    optional bias (channels,)."""

    name = "nnvm.conv"
    data = operand_def(AnyTensor)
    weight = operand_def(AnyTensor)
    bias = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    channels = prop_def(IntegerAttr[I64])
    kernel_size = prop_def(DenseArrayBase)
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    use_bias = prop_def(BoolAttr, default_value=TRUE)

    assembly_format = (
        "$data `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"
    )

    def verify_attributes(self) -> None:
        super().verify_attributes()
        if self.int_attr("channels") < 1 or self.int_attr("groups") < 1:
            raise ShapeError("channels and groups must be >= 1")
        if self.int_attr("channels") % self.int_attr("groups"):
            raise ShapeError("channels must be divisible by groups")


@shape_rule.register(ConvOp)
def _conv_shape(op: ConvOp, shapes: Sequence[Shape]) -> list[Shape]:
    n, channels, groups = op.spatial(), op.int_attr("channels"), op.int_attr("groups")
    data, weight = shapes[0], shapes[1]
    if op.bool_attr("use_bias") != (len(shapes) == 3):
        raise ShapeError("use_bias must match the presence of a bias operand")
    _check_data(data, n)
    if weight is not None:
        want = (channels, None, *op.kernel())
        if len(weight) != n + 2 or any(
            w is not None and v is not None and w != v for w, v in zip(weight, want)
        ):
            raise ShapeError(
                f"weight must be {channels}x(C/groups)x{format_shape(op.kernel())}, "
                f"got {format_shape(weight)}"
            )
        if data is not None and data[1] is not None and weight[1] is not None:
            if data[1] != weight[1] * groups:
                raise ShapeError(
                    f"data has {data[1]} channels, weight expects {weight[1]} x {groups} groups"
                )
    if len(shapes) == 3 and shapes[2] is not None and shapes[2] not in ((channels,), (None,)):
        raise ShapeError(f"bias must have shape {channels}, got {format_shape(shapes[2])}")
    if data is None:
        return [(None, channels, *([None] * n))]
    return [(data[0], channels, *op.out_dims(data[2:]))]


def accumulator(dtype: np.dtype) -> np.dtype:
    return np.dtype(np.float64 if dtype.kind == "f" else np.int64)


@reference.register(ConvOp)
def _conv(op: ConvOp, x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    n, groups = op.spatial(), op.int_attr("groups")
    acc = accumulator(x.dtype)
    win = op.windows(x.astype(acc), 0)  # N, C, *out, *kernel
    batch, channels = x.shape[0], x.shape[1]
    out_dims = win.shape[2 : 2 + n]
    win = win.reshape(batch, groups, channels // groups, *out_dims, *op.kernel())
    wg = w.astype(acc).reshape(groups, w.shape[0] // groups, w.shape[1], *op.kernel())
    o, k = "xyz"[:n], "uvw"[:n]
    y = np.einsum(f"ngc{o}{k},gmc{k}->ngm{o}", win, wg).reshape(batch, w.shape[0], *out_dims)
    if b is not None:
        y = y + b.astype(acc).reshape(1, -1, *([1] * n))
    return y.astype(x.dtype)


class PoolOp(WindowOp):
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    pool_size = prop_def(DenseArrayBase)
    KERNEL_NAME: ClassVar[str] = "pool_size"


@irdl_op_definition
class MaxPoolOp(PoolOp):
    """N-D max pool with dilation (ONNX MaxPool); padding never wins."""

    name = "nnvm.max_pool"


@irdl_op_definition
class AvgPoolOp(PoolOp):
    """N-D average pool (ONNX AveragePool): the divisor is the window size with
    count_include_pad, else the number of data elements in the window."""

    name = "nnvm.avg_pool"
    count_include_pad = prop_def(BoolAttr, default_value=FALSE)


@shape_rule.register(PoolOp)
def _pool_shape(op: PoolOp, shapes: Sequence[Shape]) -> list[Shape]:
    n, data = op.spatial(), shapes[0]
    _check_data(data, n)
    if data is None:
        return [None]
    return [(data[0], data[1], *op.out_dims(data[2:]))]


def _lowest(dtype: np.dtype) -> float:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


@reference.register(MaxPoolOp)
def _max_pool(op: MaxPoolOp, x: np.ndarray) -> np.ndarray:
    axes = tuple(range(-op.spatial(), 0))
    return op.windows(x, _lowest(x.dtype)).max(axis=axes).astype(x.dtype)


@reference.register(AvgPoolOp)
def _avg_pool(op: AvgPoolOp, x: np.ndarray) -> np.ndarray:
    axes = tuple(range(-op.spatial(), 0))
    acc = accumulator(x.dtype)
    total = op.windows(x.astype(acc), 0).sum(axis=axes)
    if op.bool_attr("count_include_pad"):
        return (total / int(np.prod(op.kernel()))).astype(x.dtype)
    ones = np.ones((1, 1, *x.shape[2:]), acc)
    count = op.windows(ones, 0).sum(axis=axes)
    return (total / np.maximum(count, 1)).astype(x.dtype)


# Facts ------------------------------------------------------------------------------------

pattern_kind.register(ConvOp, MaxPoolOp, AvgPoolOp)(OpPattern.OUT_ELEMWISE_FUSABLE)
dtypes.register(ConvOp, MaxPoolOp, AvgPoolOp)(tuple(np.dtype(t) for t in FLOATS))
onnx_equivalent.register(ConvOp)("Conv (1-D, 2-D, 3-D)")
onnx_equivalent.register(MaxPoolOp)("MaxPool (N-D, with dilations)")
onnx_equivalent.register(AvgPoolOp)("AveragePool (N-D)")


def _window_props(rng: np.random.Generator, n: int, spatial: Sequence[int], kernel: Sequence[int]):  # type: ignore[no-untyped-def]
    strides = [int(rng.integers(1, 3)) for _ in range(n)]
    dilation = [int(rng.integers(1, 3)) for _ in range(n)]
    padding = [int(rng.integers(0, 2)) for _ in range(2 * n)]
    for i in range(n):  # keep the window inside the padded input
        while (kernel[i] - 1) * dilation[i] + 1 > spatial[i] + padding[i] + padding[n + i]:
            dilation[i] = 1
            padding[i] += 1
    return {"strides": ints(*strides), "dilation": ints(*dilation), "padding": ints(*padding)}


@example.register(ConvOp)
def _conv_example(rng: np.random.Generator) -> Example:
    n = int(rng.integers(1, 4))
    groups = int(rng.integers(1, 3))
    cin, cout = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
    spatial = [int(rng.integers(3, 7 if n < 3 else 5)) for _ in range(n)]
    kernel = [int(rng.integers(1, 4)) for _ in range(n)]
    dtype = FLOATS[int(rng.integers(len(FLOATS)))]
    x = random_array(rng, (int(rng.integers(1, 3)), cin, *spatial), dtype)
    w = random_array(rng, (cout, cin // groups, *kernel), dtype)
    props = {
        "channels": IntegerAttr(cout, 64),
        "kernel_size": ints(*kernel),
        "groups": IntegerAttr(groups, 64),
        **_window_props(rng, n, spatial, kernel),
    }
    operands = [x, w]
    if rng.random() < 0.5:
        operands.append(random_array(rng, (cout,), dtype))
    else:
        props["use_bias"] = FALSE
    return Example(operands, props)


def _pool_example(rng: np.random.Generator, avg: bool) -> Example:
    n = int(rng.integers(1, 4))
    spatial = [int(rng.integers(2, 7 if n < 3 else 5)) for _ in range(n)]
    kernel = [int(rng.integers(1, 4)) for _ in range(n)]
    dtype = FLOATS[int(rng.integers(len(FLOATS)))]
    x = random_array(rng, (int(rng.integers(1, 3)), int(rng.integers(1, 4)), *spatial), dtype)
    props = {"pool_size": ints(*kernel), **_window_props(rng, n, spatial, kernel)}
    if avg:
        props["count_include_pad"] = TRUE if rng.random() < 0.5 else FALSE
    return Example([x], props)


example.register(MaxPoolOp)(lambda rng: _pool_example(rng, avg=False))
example.register(AvgPoolOp)(lambda rng: _pool_example(rng, avg=True))


@irdl_op_definition
class MirrorPadOp(NnvmOp):
    """Pads with the data's own values (ONNX Pad's "reflect" and "edge" modes): `reflect`
    mirrors without repeating the border element, `edge` repeats it. pad_width has one
    (before, after) pair per dim; reflect needs each pad smaller than its dim."""

    name = "nnvm.mirror_pad"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    pad_width = prop_def(ArrayAttr[DenseArrayBase])
    mode = prop_def(StringAttr, default_value=StringAttr("reflect"))

    def verify_attributes(self) -> None:
        if self.str_attr("mode") not in ("reflect", "edge"):
            raise ShapeError(f"mode must be 'reflect' or 'edge', got '{self.str_attr('mode')}'")
        pairs = self.int_pairs_attr("pad_width")
        if any(len(p) != 2 or min(p) < 0 for p in pairs):
            raise ShapeError("pad_width must be (before, after) pairs of integers >= 0")


@shape_rule.register(MirrorPadOp)
def _mirror_pad_shape(op: MirrorPadOp, shapes: Sequence[Shape]) -> list[Shape]:
    pairs, data = op.int_pairs_attr("pad_width"), shapes[0]
    if data is None:
        return [tuple([None] * len(pairs))]
    if len(pairs) != len(data):
        raise ShapeError(f"pad_width has {len(pairs)} pairs for data {format_shape(data)}")
    out: list[int | None] = []
    for (before, after), d in zip(pairs, data):
        if d is not None and op.str_attr("mode") == "reflect" and max(before, after) >= max(d, 1):
            raise ShapeError(f"reflect padding {max(before, after)} needs a dim larger than {d}")
        if d is not None and d == 0 and before + after:
            raise ShapeError("edge padding needs a non-empty dim")
        out.append(None if d is None else d + before + after)
    return [tuple(out)]


@reference.register(MirrorPadOp)
def _mirror_pad(op: MirrorPadOp, x: np.ndarray) -> np.ndarray:
    return np.pad(x, [tuple(p) for p in op.int_pairs_attr("pad_width")], mode=op.str_attr("mode"))


@example.register(MirrorPadOp)
def _mirror_pad_example(rng: np.random.Generator) -> Example:
    shape = [int(rng.integers(2, 6)) for _ in range(int(rng.integers(1, 4)))]
    mode = "reflect" if rng.random() < 0.5 else "edge"
    width = [[int(rng.integers(0, d)), int(rng.integers(0, d))] for d in shape]
    dtype = (*FLOATS, np.int32)[int(rng.integers(3))]
    return Example(
        [random_array(rng, shape, dtype)],
        {"pad_width": ArrayAttr([ints(*p) for p in width]), "mode": StringAttr(mode)},
    )


pattern_kind.register(MirrorPadOp)(OpPattern.INJECTIVE)
dtypes.register(MirrorPadOp)((*(np.dtype(t) for t in FLOATS), np.dtype(np.int32)))
onnx_equivalent.register(MirrorPadOp)("Pad (mode reflect or edge)")

ONNX_OPS = [ConvOp, MaxPoolOp, AvgPoolOp, MirrorPadOp]
