"""Neural-network ops (NNVM levels 1 and 2): dense, conv2d, pooling, normalisation, softmax, pad."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def

from nnvm_dialect.facts import (
    Example,
    OpPattern,
    Shape,
    ShapeError,
    example,
    inplace_option,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import FLOATS, random_array, random_shape

TRUE = BoolAttr.from_bool(True)
FALSE = BoolAttr.from_bool(False)


def ints(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


def f64(value: float) -> FloatAttr:
    return FloatAttr(value, 64)


def known(*dims: int | None) -> bool:
    return all(d is not None for d in dims)


def check_dim(what: str, got: int | None, want: int | None, shape: Shape) -> None:
    if known(got, want) and got != want:
        raise ShapeError(f"{what} must be {want}, got {got} (shape {format_shape(shape)})")


def check_rank(what: str, shape: Shape, rank: int) -> None:
    if shape is not None and len(shape) != rank:
        raise ShapeError(f"{what} must have rank {rank}, got {format_shape(shape)}")


def normalize_axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"{what} {axis} is out of range for rank {rank}")
    return axis % rank


def layout_perm(layout: str, canonical: str, what: str) -> list[int]:
    """Positions in `layout` of each letter of `canonical` (e.g. NHWC -> NCHW: 0, 3, 1, 2)."""
    if sorted(layout) != sorted(canonical):
        raise ShapeError(
            f"{what} '{layout}' is not supported: use an order of the letters {canonical}"
        )
    return [layout.index(c) for c in canonical]


def to_canonical(shape: Shape, perm: list[int]) -> list[int | None]:
    if shape is None:
        return [None] * len(perm)
    return [shape[p] for p in perm]


def from_canonical(dims: Sequence[int | None], perm: list[int]) -> tuple[int | None, ...]:
    out: list[int | None] = [None] * len(perm)
    for i, p in enumerate(perm):
        out[p] = dims[i]
    return tuple(out)


def window_out(
    size: int | None, window: int, before: int, after: int, stride: int, ceil: bool = False
) -> int | None:
    """Output length of a strided window over a padded axis."""
    if size is None:
        return None
    span = size + before + after - window
    if span < 0:
        raise ShapeError(f"window {window} is larger than the padded input {size + before + after}")
    return (span + (stride - 1 if ceil else 0)) // stride + 1


def check_bias(op: NnvmOp, shapes: Sequence[Shape], size: int, what: str) -> None:
    """use_bias must match the presence of a third operand, a bias of shape (size,)."""
    has_bias = len(shapes) == 3
    if op.bool_attr("use_bias") != has_bias:
        if has_bias:
            raise ShapeError("a bias operand is given but use_bias = false")
        raise ShapeError("use_bias = true needs a bias operand (or set use_bias = false)")
    if has_bias:
        check_rank("bias", shapes[2], 1)
        if shapes[2] is not None:
            check_dim(f"bias size ({what})", shapes[2][0], size, shapes[2])


def accumulator(dtype: np.dtype) -> np.dtype:
    """Sums in the semantics are taken in double (or int64) precision, then cast back."""
    return np.dtype(np.float64 if dtype.kind == "f" else np.int64)


@irdl_op_definition
class DenseOp(NnvmOp):
    """y = data . weight^T + bias."""

    name = "nnvm.dense"
    data = operand_def(AnyTensor)
    weight = operand_def(AnyTensor)
    bias = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    units = prop_def(IntegerAttr[I64])
    use_bias = prop_def(BoolAttr, default_value=TRUE)

    assembly_format = (
        "$data `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"
    )

    def verify_attributes(self) -> None:
        if self.int_attr("units") < 1:
            raise ShapeError(f"units must be >= 1, got {self.int_attr('units')}")


@shape_rule.register(DenseOp)
def _dense_shape(op: DenseOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, weight = shapes[0], shapes[1]
    units = op.int_attr("units")
    check_bias(op, shapes, units, "units")
    check_rank("weight", weight, 2)
    if weight is not None:
        check_dim("weight dim 0 (units)", weight[0], units, weight)
    if data is None:
        return [None]
    if not data:
        raise ShapeError("data must have rank >= 1, got a scalar")
    if weight is not None and known(data[-1], weight[1]) and data[-1] != weight[1]:
        raise ShapeError(
            f"data has {data[-1]} input features (shape {format_shape(data)}) but weight "
            f"expects {weight[1]} (shape {format_shape(weight)})"
        )
    return [(*data[:-1], units)]


@reference.register(DenseOp)
def _dense(op: DenseOp, x: np.ndarray, w: np.ndarray, *b: np.ndarray) -> np.ndarray:
    acc = accumulator(x.dtype)
    y = np.matmul(x.astype(acc), w.astype(acc).T)
    if b:
        y = y + b[0].astype(acc)
    return y.astype(x.dtype)


@irdl_op_definition
class Conv2dOp(NnvmOp):
    """2-D convolution; H_out = (H + 2*pad - (1 + (k-1)*dilation)) // stride + 1."""

    name = "nnvm.conv2d"
    data = operand_def(AnyTensor)
    weight = operand_def(AnyTensor)
    bias = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    channels = prop_def(IntegerAttr[I64])
    kernel_size = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase, default_value=ints(1, 1))
    padding = prop_def(DenseArrayBase, default_value=ints(0, 0))
    dilation = prop_def(DenseArrayBase, default_value=ints(1, 1))
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    kernel_layout = prop_def(StringAttr, default_value=StringAttr("OIHW"))
    out_layout = prop_def(StringAttr, default_value=StringAttr("__undef__"))
    use_bias = prop_def(BoolAttr, default_value=TRUE)

    assembly_format = DenseOp.assembly_format

    def output_layout(self) -> str:
        out = self.str_attr("out_layout")
        return self.str_attr("layout") if out == "__undef__" else out

    def verify_attributes(self) -> None:
        for name, low in [("kernel_size", 1), ("strides", 1), ("padding", 0), ("dilation", 1)]:
            values = self.ints_attr(name)
            if len(values) != 2 or min(values) < low:
                raise ShapeError(f"{name} must be 2 integers >= {low}, got {list(values)}")
        channels, groups = self.int_attr("channels"), self.int_attr("groups")
        if channels < 1 or groups < 1 or channels % groups:
            raise ShapeError(
                f"channels ({channels}) must be a positive multiple of groups ({groups})"
            )
        layout_perm(self.str_attr("layout"), "NCHW", "layout")
        layout_perm(self.str_attr("kernel_layout"), "OIHW", "kernel_layout")
        layout_perm(self.output_layout(), "NCHW", "out_layout")


@shape_rule.register(Conv2dOp)
def _conv2d_shape(op: Conv2dOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, weight = shapes[0], shapes[1]
    channels, groups = op.int_attr("channels"), op.int_attr("groups")
    check_bias(op, shapes, channels, "channels")
    kh, kw = op.ints_attr("kernel_size")
    check_rank("data", data, 4)
    check_rank("weight", weight, 4)
    n, c, h, w = to_canonical(data, layout_perm(op.str_attr("layout"), "NCHW", "layout"))
    o, i, wh, ww = to_canonical(
        weight, layout_perm(op.str_attr("kernel_layout"), "OIHW", "kernel_layout")
    )
    check_dim("weight output channels", o, channels, weight)
    check_dim("weight kernel height", wh, kh, weight)
    check_dim("weight kernel width", ww, kw, weight)
    if c is not None:
        if c % groups:
            raise ShapeError(f"data has {c} channels, not a multiple of groups ({groups})")
        if i is not None and i != c // groups:
            raise ShapeError(
                f"data has {c} channels (shape {format_shape(data)}) but weight expects "
                f"{i * groups} (shape {format_shape(weight)}, groups = {groups})"
            )
    (sh, sw), (ph, pw), (dh, dw) = (op.ints_attr(a) for a in ("strides", "padding", "dilation"))
    oh = window_out(h, 1 + (kh - 1) * dh, ph, ph, sh)
    ow = window_out(w, 1 + (kw - 1) * dw, pw, pw, sw)
    out_perm = layout_perm(op.output_layout(), "NCHW", "out_layout")
    return [from_canonical([n, channels, oh, ow], out_perm)]


@reference.register(Conv2dOp)
def _conv2d(op: Conv2dOp, x: np.ndarray, w: np.ndarray, *b: np.ndarray) -> np.ndarray:
    dtype, acc = x.dtype, accumulator(x.dtype)
    x = x.transpose(layout_perm(op.str_attr("layout"), "NCHW", "layout")).astype(acc)
    w = w.transpose(layout_perm(op.str_attr("kernel_layout"), "OIHW", "kernel_layout"))
    w = w.astype(acc)
    groups = op.int_attr("groups")
    (sh, sw), (ph, pw), (dh, dw) = (op.ints_attr(a) for a in ("strides", "padding", "dilation"))
    kh, kw = w.shape[2], w.shape[3]
    n, c, h, wd = x.shape
    oh = (h + 2 * ph - (1 + (kh - 1) * dh)) // sh + 1
    ow = (wd + 2 * pw - (1 + (kw - 1) * dw)) // sw + 1
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    xg = xp.reshape(n, groups, c // groups, *xp.shape[2:])
    wg = w.reshape(groups, w.shape[0] // groups, c // groups, kh, kw)
    y = np.zeros((n, groups, w.shape[0] // groups, oh, ow), acc)
    for ky in range(kh):
        for kx in range(kw):
            patch = xg[
                :,
                :,
                :,
                ky * dh : ky * dh + sh * (oh - 1) + 1 : sh,
                kx * dw : kx * dw + sw * (ow - 1) + 1 : sw,
            ]
            y += np.einsum("ngcyx,goc->ngoyx", patch, wg[:, :, :, ky, kx])
    y = y.reshape(n, w.shape[0], oh, ow)
    if b:
        y = y + b[0].astype(acc)[None, :, None, None]
    out_perm = layout_perm(op.output_layout(), "NCHW", "out_layout")
    return y.transpose(np.argsort(out_perm)).astype(dtype)


@irdl_op_definition
class MaxPool2dOp(NnvmOp):
    """Max over windows. padding: 1 int (all sides), 2 (top, left), 4 (top, left, bottom, right).

    ceil_mode rounds the output size up instead of down.
    """

    name = "nnvm.max_pool2d"
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
        for name in ("pool_size", "strides"):
            values = self.ints_attr(name)
            if len(values) != 2 or min(values) < 1:
                raise ShapeError(f"{name} must be 2 integers >= 1, got {list(values)}")
        padding = self.ints_attr("padding")
        if len(padding) not in (1, 2, 4) or min(padding) < 0:
            raise ShapeError(f"padding must be 1, 2 or 4 integers >= 0, got {list(padding)}")
        layout_perm(self.str_attr("layout"), "NCHW", "layout")


@shape_rule.register(MaxPool2dOp)
def _max_pool2d_shape(op: MaxPool2dOp, shapes: Sequence[Shape]) -> list[Shape]:
    check_rank("data", shapes[0], 4)
    perm = layout_perm(op.str_attr("layout"), "NCHW", "layout")
    n, c, h, w = to_canonical(shapes[0], perm)
    (kh, kw), (sh, sw) = op.ints_attr("pool_size"), op.ints_attr("strides")
    top, left, bottom, right = op.pads()
    ceil = op.bool_attr("ceil_mode")
    oh = window_out(h, kh, top, bottom, sh, ceil)
    ow = window_out(w, kw, left, right, sw, ceil)
    return [from_canonical([n, c, oh, ow], perm)]


def lowest(dtype: np.dtype) -> float | int:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


@reference.register(MaxPool2dOp)
def _max_pool2d(op: MaxPool2dOp, x: np.ndarray) -> np.ndarray:
    perm = layout_perm(op.str_attr("layout"), "NCHW", "layout")
    xc = x.transpose(perm)
    (kh, kw), (sh, sw) = op.ints_attr("pool_size"), op.ints_attr("strides")
    top, left, bottom, right = op.pads()
    ceil = op.bool_attr("ceil_mode")
    h, w = xc.shape[2:]
    oh = window_out(h, kh, top, bottom, sh, ceil)
    ow = window_out(w, kw, left, right, sw, ceil)
    assert oh is not None and ow is not None
    # Windows that ceil_mode lets run past the padding see only the lowest value there.
    extra_h = max(0, (oh - 1) * sh + kh - (h + top + bottom))
    extra_w = max(0, (ow - 1) * sw + kw - (w + left + right))
    xp = np.pad(
        xc,
        [(0, 0), (0, 0), (top, bottom + extra_h), (left, right + extra_w)],
        constant_values=lowest(x.dtype),
    )
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    y = windows[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw].max(axis=(4, 5))
    return y.transpose(np.argsort(perm)).astype(x.dtype)


@irdl_op_definition
class BatchNormOp(NnvmOp):
    """Inference batch norm: (x - moving_mean) / sqrt(moving_var + epsilon) * gamma + beta.

    Only NNVM's visible output is modelled; the training outputs mean and var are not.
    """

    name = "nnvm.batch_norm"
    data = operand_def(AnyTensor)
    gamma = operand_def(AnyTensor)
    beta = operand_def(AnyTensor)
    moving_mean = operand_def(AnyTensor)
    moving_var = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    epsilon = prop_def(FloatAttr[Float64Type], default_value=f64(1e-5))
    center = prop_def(BoolAttr, default_value=TRUE)
    scale = prop_def(BoolAttr, default_value=TRUE)


@shape_rule.register(BatchNormOp)
def _batch_norm_shape(op: BatchNormOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    channels = None
    if data is not None:
        channels = data[normalize_axis(op.int_attr("axis"), len(data))]
    names = ("gamma", "beta", "moving_mean", "moving_var")
    for name, shape in zip(names, shapes[1:]):
        check_rank(name, shape, 1)
        if shape is not None:
            check_dim(f"{name} size (data channels)", shape[0], channels, shape)
    return [data]


@reference.register(BatchNormOp)
def _batch_norm(
    op: BatchNormOp,
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    mean: np.ndarray,
    var: np.ndarray,
) -> np.ndarray:
    axis = normalize_axis(op.int_attr("axis"), x.ndim)
    shape = [1] * x.ndim
    shape[axis] = -1
    acc = accumulator(x.dtype)

    def per_channel(v: np.ndarray) -> np.ndarray:
        return v.astype(acc).reshape(shape)

    y = (x.astype(acc) - per_channel(mean)) / np.sqrt(per_channel(var) + op.float_attr("epsilon"))
    if op.bool_attr("scale"):
        y = y * per_channel(gamma)
    if op.bool_attr("center"):
        y = y + per_channel(beta)
    return y.astype(x.dtype)


@irdl_op_definition
class DropoutOp(NnvmOp):
    """Training-time dropout; at inference (the only mode here) it is the identity."""

    name = "nnvm.dropout"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    rate = prop_def(FloatAttr[Float64Type], default_value=f64(0.5))

    def verify_attributes(self) -> None:
        if not 0 <= self.float_attr("rate") <= 1:
            raise ShapeError(f"rate must be in [0, 1], got {self.float_attr('rate')}")


class SoftmaxBase(NnvmOp):
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-1, 64))


@irdl_op_definition
class SoftmaxOp(SoftmaxBase):
    name = "nnvm.softmax"


@irdl_op_definition
class LogSoftmaxOp(SoftmaxBase):
    name = "nnvm.log_softmax"


@shape_rule.register(DropoutOp, SoftmaxBase)
def _same_as_data(op: NnvmOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is not None and "axis" in op.properties:
        normalize_axis(op.int_attr("axis"), len(shapes[0]))
    return [shapes[0]]


@reference.register(DropoutOp)
def _dropout(op: DropoutOp, x: np.ndarray) -> np.ndarray:
    return x.copy()


def _log_softmax_of(op: NnvmOp, x: np.ndarray) -> np.ndarray:
    axis = normalize_axis(op.int_attr("axis"), x.ndim)
    xa = x.astype(accumulator(x.dtype))
    shifted = xa - xa.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@reference.register(SoftmaxOp)
def _softmax(op: SoftmaxOp, x: np.ndarray) -> np.ndarray:
    return np.exp(_log_softmax_of(op, x)).astype(x.dtype)


@reference.register(LogSoftmaxOp)
def _log_softmax(op: LogSoftmaxOp, x: np.ndarray) -> np.ndarray:
    return _log_softmax_of(op, x).astype(x.dtype)


@irdl_op_definition
class PadOp(NnvmOp):
    """Pads each dim by a (before, after) pair of pad_width with pad_value."""

    name = "nnvm.pad"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    pad_width = prop_def(ArrayAttr[DenseArrayBase])
    pad_value = prop_def(FloatAttr[Float64Type], default_value=f64(0.0))

    def verify_attributes(self) -> None:
        for pair in self.int_pairs_attr("pad_width"):
            if len(pair) != 2 or min(pair) < 0:
                raise ShapeError(
                    f"pad_width entries must be (before, after) pairs >= 0, got {list(pair)}"
                )


@shape_rule.register(PadOp)
def _pad_shape(op: PadOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, pairs = shapes[0], op.int_pairs_attr("pad_width")
    if data is None:
        return [None]
    if len(pairs) != len(data):
        raise ShapeError(
            f"pad_width has {len(pairs)} pairs but data has rank {len(data)} "
            f"(shape {format_shape(data)})"
        )
    return [tuple(None if d is None else d + a + b for d, (a, b) in zip(data, pairs))]


@reference.register(PadOp)
def _pad(op: PadOp, x: np.ndarray) -> np.ndarray:
    value = np.asarray(op.float_attr("pad_value")).astype(x.dtype)
    if x.ndim == 0:
        # No pairs for no dims: np.pad cannot take an empty pad_width.
        return x.copy()
    return np.pad(x, op.int_pairs_attr("pad_width"), constant_values=value)


pattern_kind.register(DenseOp, Conv2dOp, MaxPool2dOp)(OpPattern.OUT_ELEMWISE_FUSABLE)
pattern_kind.register(BatchNormOp)(OpPattern.BROADCAST)
pattern_kind.register(DropoutOp)(OpPattern.ELEMWISE)
pattern_kind.register(PadOp)(OpPattern.INJECTIVE)
inplace_option.register(DropoutOp, BatchNormOp)(((0, 0),))

NN_OPS = [
    DenseOp,
    Conv2dOp,
    MaxPool2dOp,
    BatchNormOp,
    DropoutOp,
    SoftmaxOp,
    LogSoftmaxOp,
    PadOp,
]


# Examples: random valid instances for the generic rules-against-semantics test.

DATA_LAYOUTS = ("NCHW", "NHWC", "CHWN", "HWCN")
KERNEL_LAYOUTS = ("OIHW", "HWIO", "OHWI", "IHWO")


def _pick(rng: np.random.Generator, choices: Sequence[Any]) -> Any:
    return choices[int(rng.integers(len(choices)))]


def _int(rng: np.random.Generator, low: int, high: int) -> int:
    """A random integer in [low, high]."""
    return int(rng.integers(low, high + 1))


def _bool(rng: np.random.Generator) -> bool:
    return bool(rng.integers(0, 2))


def _in_layout(x: np.ndarray, canonical: str, layout: str) -> np.ndarray:
    """`x`, laid out as `canonical`, transposed to `layout`."""
    return x.transpose([canonical.index(c) for c in layout])


@example.register(DenseOp)
def _dense_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, FLOATS)
    units, features = _int(rng, 1, 6), _int(rng, 1, 6)
    use_bias = _bool(rng)
    x = random_array(rng, (*random_shape(rng, 0, 2), features), dtype)
    operands = [x, random_array(rng, (units, features), dtype)]
    if use_bias:
        operands.append(random_array(rng, (units,), dtype))
    props = {"units": IntegerAttr(units, 64), "use_bias": BoolAttr.from_bool(use_bias)}
    return Example(operands, props)


@example.register(Conv2dOp)
def _conv2d_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, FLOATS)
    groups = _int(rng, 1, 3)
    cin, channels = groups * _int(rng, 1, 2), groups * _int(rng, 1, 3)
    kernel = (_int(rng, 1, 3), _int(rng, 1, 3))
    strides, dilation = (_int(rng, 1, 2), _int(rng, 1, 2)), (_int(rng, 1, 2), _int(rng, 1, 2))
    padding = (_int(rng, 0, 2), _int(rng, 0, 2))
    # Each spatial size at least the dilated kernel minus the padding, so the output is not empty.
    spatial = [
        _int(rng, max(1, 1 + (k - 1) * d - 2 * p), 1 + (k - 1) * d + 4)
        for k, d, p in zip(kernel, dilation, padding)
    ]
    layout, kernel_layout = _pick(rng, DATA_LAYOUTS), _pick(rng, KERNEL_LAYOUTS)
    out_layout = _pick(rng, ("__undef__", *DATA_LAYOUTS))
    use_bias = _bool(rng)
    x = random_array(rng, (_int(rng, 1, 2), cin, *spatial), dtype)
    w = random_array(rng, (channels, cin // groups, *kernel), dtype)
    operands = [_in_layout(x, "NCHW", layout), _in_layout(w, "OIHW", kernel_layout)]
    if use_bias:
        operands.append(random_array(rng, (channels,), dtype))
    props: dict[str, Attribute] = {
        "channels": IntegerAttr(channels, 64),
        "kernel_size": ints(*kernel),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "dilation": ints(*dilation),
        "groups": IntegerAttr(groups, 64),
        "layout": StringAttr(layout),
        "kernel_layout": StringAttr(kernel_layout),
        "out_layout": StringAttr(out_layout),
        "use_bias": BoolAttr.from_bool(use_bias),
    }
    return Example([np.ascontiguousarray(a) for a in operands], props)


@example.register(MaxPool2dOp)
def _max_pool2d_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, (*FLOATS, np.int32))
    pool = (_int(rng, 1, 3), _int(rng, 1, 3))
    strides = (_int(rng, 1, 3), _int(rng, 1, 3))
    # Padding below the pool size, so that only ceil_mode can make windows that see no data.
    arity = _pick(rng, (1, 2, 4))
    if arity == 1:
        padding: tuple[int, ...] = (_int(rng, 0, min(pool) - 1),)
    else:
        padding = tuple(_int(rng, 0, pool[i % 2] - 1) for i in range(arity))
    top, left, bottom, right = (padding * 4)[:4] if arity == 1 else (padding * 2)[:4]
    spatial = [
        _int(rng, max(1, pool[0] - top - bottom), pool[0] + 5),
        _int(rng, max(1, pool[1] - left - right), pool[1] + 5),
    ]
    layout = _pick(rng, DATA_LAYOUTS)
    x = random_array(rng, (_int(rng, 1, 2), _int(rng, 1, 3), *spatial), dtype, -50, 50)
    props: dict[str, Attribute] = {
        "pool_size": ints(*pool),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "layout": StringAttr(layout),
        "ceil_mode": BoolAttr.from_bool(_bool(rng)),
    }
    return Example([np.ascontiguousarray(_in_layout(x, "NCHW", layout))], props)


@example.register(BatchNormOp)
def _batch_norm_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, FLOATS)
    shape = random_shape(rng, 1, 4)
    axis = _int(rng, -len(shape), len(shape) - 1)
    c = shape[axis]
    operands = [
        random_array(rng, shape, dtype),
        random_array(rng, (c,), dtype),
        random_array(rng, (c,), dtype),
        random_array(rng, (c,), dtype),
        random_array(rng, (c,), dtype, 0.1, 4.0),
    ]
    props: dict[str, Attribute] = {
        "axis": IntegerAttr(axis, 64),
        "epsilon": f64(float(10 ** rng.uniform(-6, -1))),
        "center": BoolAttr.from_bool(_bool(rng)),
        "scale": BoolAttr.from_bool(_bool(rng)),
    }
    return Example(operands, props)


@example.register(DropoutOp)
def _dropout_example(rng: np.random.Generator) -> Example:
    x = random_array(rng, random_shape(rng), _pick(rng, FLOATS))
    return Example([x], {"rate": f64(float(rng.uniform(0.0, 1.0)))})


@example.register(SoftmaxBase)
def _softmax_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    x = random_array(rng, shape, _pick(rng, FLOATS), -10.0, 10.0)
    return Example([x], {"axis": IntegerAttr(_int(rng, -len(shape), len(shape) - 1), 64)})


@example.register(PadOp)
def _pad_example(rng: np.random.Generator) -> Example:
    dtype = np.dtype(_pick(rng, (*FLOATS, np.int32)))
    shape = random_shape(rng, 0, 3)
    pairs = [ints(_int(rng, 0, 2), _int(rng, 0, 2)) for _ in shape]
    value = float(_int(rng, -5, 5)) if dtype.kind == "i" else float(rng.uniform(-5.0, 5.0))
    x = random_array(rng, shape, dtype)
    return Example([x], {"pad_width": ArrayAttr(pairs), "pad_value": f64(value)})
