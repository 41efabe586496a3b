"""Neural-network ops (NNVM levels 1 and 2): dense, conv2d, conv2d_transpose, softmax, dropout,
pad. Pooling lives in pool.py and normalisation in norm.py; their classes are re-exported here."""

from __future__ import annotations

import math
from collections.abc import Sequence

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
)
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def

from nnvm_dialect.facts import (
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    inplace_option,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import FLOATS, random_array, random_shape
from nnvm_dialect.ops.nn_common import (
    FALSE,
    FLOAT_DTYPES,
    KERNEL_LAYOUTS,
    TRUE,
    Layout,
    accumulator,
    check_dim,
    check_ints,
    check_rank,
    f64,
    in_layout,
    ints,
    known,
    layout_perm,
    normalize_axis,
    pick,
    rand_bool,
    rand_int,
    random_layout,
    window_out,
)
from nnvm_dialect.ops.norm import BatchNormOp
from nnvm_dialect.ops.pool import MaxPool2dOp

__all__ = [
    "FALSE",
    "TRUE",
    "BatchNormOp",
    "Conv2dOp",
    "Conv2dTransposeOp",
    "DenseOp",
    "MaxPool2dOp",
    "accumulator",
    "check_dim",
    "check_rank",
    "f64",
    "ints",
    "known",
    "layout_perm",
    "normalize_axis",
    "window_out",
]


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


def check_conv_bias(op: NnvmOp, shapes: Sequence[Shape], channels: int, out: Layout) -> None:
    """A bias is (channels,), or (channels / b, b) where the output layout has a C block b."""
    block = out.block("C")
    bias = shapes[2] if len(shapes) == 3 else None
    if block == 1 or bias is None or len(bias) != 2:
        check_bias(op, shapes, channels, "channels")
        return
    if not op.bool_attr("use_bias"):
        raise ShapeError("a bias operand is given but use_bias = false")
    check_dim(f"bias dim 1 (block c of {out.name})", bias[1], block, bias)
    if bias[0] is not None and bias[0] * block != channels:
        raise ShapeError(
            f"bias of shape {format_shape(bias)} holds {bias[0] * block} channels, "
            f"channels is {channels}"
        )


def bias_values(b: tuple[np.ndarray, ...], acc: np.dtype) -> np.ndarray | None:
    return b[0].astype(acc).reshape(-1)[None, :, None, None] if b else None


class ConvBase(NnvmOp):
    """Checks shared by conv2d and conv2d_transpose (each declares its attributes, in NNVM's
    order, which is the order the generic form prints them in)."""

    assembly_format = DenseOp.assembly_format

    def data_layout(self) -> Layout:
        return Layout.parse(self.str_attr("layout"), "NCHW", "layout")

    def weight_layout(self) -> Layout:
        return Layout.parse(self.str_attr("kernel_layout"), "OIHW", "kernel_layout")

    def output_layout(self) -> Layout:
        return self.data_layout()

    def verify_attributes(self) -> None:
        for name, low in [("kernel_size", 1), ("strides", 1), ("padding", 0), ("dilation", 1)]:
            check_ints(self, name, 2, low)
        channels, groups = self.int_attr("channels"), self.int_attr("groups")
        if channels < 1 or groups < 1 or channels % groups:
            raise ShapeError(
                f"channels ({channels}) must be a positive multiple of groups ({groups})"
            )
        self.data_layout()
        self.weight_layout()
        self.output_layout()

    def windows(self) -> tuple[tuple[int, int, int, int], ...]:
        """(kernel, stride, padding, dilation) pairs for H and W."""
        names = ("kernel_size", "strides", "padding", "dilation")
        return tuple(zip(*(self.ints_attr(a) for a in names)))  # pyright: ignore[reportReturnType]


@irdl_op_definition
class Conv2dOp(ConvBase):
    """2-D convolution; H_out = (H + 2*pad - (1 + (k-1)*dilation)) // stride + 1.

    Layouts are TVM's: any order of NCHW (data, out_layout) and OIHW (kernel_layout), and
    blocked forms such as layout = "NCHW8c", kernel_layout = "OIHW8i8o" (TVM's NCHWc conv,
    what -p alter-op-layout makes). The weight is (channels, C_in / groups, kh, kw) in OIHW
    order; depthwise is groups = C_in. A bias is (channels,), or (channels / b, b) when
    out_layout has a channel block b.
    """

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

    def output_layout(self) -> Layout:
        out = self.str_attr("out_layout")
        if out == "__undef__":
            return self.data_layout()
        return Layout.parse(out, "NCHW", "out_layout")


@shape_rule.register(Conv2dOp)
def _conv2d_shape(op: Conv2dOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, weight = shapes[0], shapes[1]
    channels, groups = op.int_attr("channels"), op.int_attr("groups")
    out_layout = op.output_layout()
    check_conv_bias(op, shapes, channels, out_layout)
    (kh, _, _, _), (kw, _, _, _) = op.windows()
    n, c, h, w = op.data_layout().canonical_shape(data, "data")
    o, i, wh, ww = op.weight_layout().canonical_shape(weight, "weight")
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
    oh, ow = (
        window_out(size, 1 + (k - 1) * d, p, p, s)
        for size, (k, s, p, d) in zip((h, w), op.windows())
    )
    return [out_layout.shape([n, channels, oh, ow], "result")]


@reference.register(Conv2dOp)
def _conv2d(op: Conv2dOp, x: np.ndarray, w: np.ndarray, *b: np.ndarray) -> np.ndarray:
    dtype, acc = x.dtype, accumulator(x.dtype)
    x = op.data_layout().to_canonical(x).astype(acc)
    w = op.weight_layout().to_canonical(w).astype(acc)
    groups = op.int_attr("groups")
    (kh, sh, ph, dh), (kw, sw, pw, dw) = op.windows()
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
    bias = bias_values(b, acc)
    if bias is not None:
        y = y + bias
    return op.output_layout().from_canonical(y).astype(dtype)


@irdl_op_definition
class Conv2dTransposeOp(ConvBase):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its data).

    The weight is (C_in, channels / groups, kh, kw) in kernel_layout's OIHW order (NNVM, like
    ONNX ConvTranspose, puts the input channels first). H_out = stride * (H - 1) +
    (1 + (k - 1) * dilation) - 2 * pad + output_padding; output_padding adds rows and columns at
    the high end and must be below max(stride, dilation). The result is in `layout`. ONNX's
    `pads` with begin = pad, end = pad is this op; ONNX's output_shape / auto_pad have to be
    turned into padding and output_padding by the importer.
    """

    name = "nnvm.conv2d_transpose"
    data = operand_def(AnyTensor)
    weight = operand_def(AnyTensor)
    bias = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    channels = prop_def(IntegerAttr[I64])
    kernel_size = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase, default_value=ints(1, 1))
    padding = prop_def(DenseArrayBase, default_value=ints(0, 0))
    output_padding = prop_def(DenseArrayBase, default_value=ints(0, 0))
    dilation = prop_def(DenseArrayBase, default_value=ints(1, 1))
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    kernel_layout = prop_def(StringAttr, default_value=StringAttr("OIHW"))
    use_bias = prop_def(BoolAttr, default_value=TRUE)

    def verify_attributes(self) -> None:
        super().verify_attributes()
        extra = check_ints(self, "output_padding", 2, 0)
        for e, s, d in zip(extra, self.ints_attr("strides"), self.ints_attr("dilation")):
            if e >= max(s, d):
                raise ShapeError(
                    f"output_padding {list(extra)} must be below max(strides, dilation) in each dim"
                )

    def out_size(self, size: int | None, axis: int) -> int | None:
        if size is None:
            return None
        k, s, p, d = self.windows()[axis]
        out = s * (size - 1) + 1 + (k - 1) * d - 2 * p + self.ints_attr("output_padding")[axis]
        if out < 1:
            raise ShapeError(f"padding {p} leaves no output of an input of size {size}")
        return out


@shape_rule.register(Conv2dTransposeOp)
def _conv2d_transpose_shape(op: Conv2dTransposeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, weight = shapes[0], shapes[1]
    channels, groups = op.int_attr("channels"), op.int_attr("groups")
    check_conv_bias(op, shapes, channels, op.output_layout())
    n, c, h, w = op.data_layout().canonical_shape(data, "data")
    i, o, wh, ww = op.weight_layout().canonical_shape(weight, "weight")
    (kh, *_), (kw, *_) = op.windows()
    check_dim("weight dim O (input channels)", i, c, weight)
    check_dim("weight dim I (channels / groups)", o, channels // groups, weight)
    check_dim("weight kernel height", wh, kh, weight)
    check_dim("weight kernel width", ww, kw, weight)
    if c is not None and c % groups:
        raise ShapeError(f"data has {c} channels, not a multiple of groups ({groups})")
    dims = [n, channels, op.out_size(h, 0), op.out_size(w, 1)]
    return [op.output_layout().shape(dims, "result")]


@reference.register(Conv2dTransposeOp)
def _conv2d_transpose(
    op: Conv2dTransposeOp, x: np.ndarray, w: np.ndarray, *b: np.ndarray
) -> np.ndarray:
    dtype, acc = x.dtype, accumulator(x.dtype)
    x = op.data_layout().to_canonical(x).astype(acc)
    w = op.weight_layout().to_canonical(w).astype(acc)
    groups, channels = op.int_attr("groups"), op.int_attr("channels")
    (kh, sh, ph, dh), (kw, sw, pw, dw) = op.windows()
    n, c, h, wd = x.shape
    oh, ow = op.out_size(h, 0), op.out_size(wd, 1)
    assert oh is not None and ow is not None
    # Scatter every input pixel into the full (unpadded) output, then crop `padding` from
    # both ends; output_padding may reach past the full output, where only the bias lands.
    full = np.zeros(
        (
            n,
            groups,
            channels // groups,
            max(sh * (h - 1) + (kh - 1) * dh + 1, ph + oh),
            max(sw * (wd - 1) + (kw - 1) * dw + 1, pw + ow),
        ),
        acc,
    )
    xg = x.reshape(n, groups, c // groups, h, wd)
    wg = w.reshape(groups, c // groups, channels // groups, kh, kw)
    for ky in range(kh):
        for kx in range(kw):
            full[
                :,
                :,
                :,
                ky * dh : ky * dh + sh * (h - 1) + 1 : sh,
                kx * dw : kx * dw + sw * (wd - 1) + 1 : sw,
            ] += np.einsum("ngcyx,gco->ngoyx", xg, wg[:, :, :, ky, kx])
    y = full.reshape(n, channels, *full.shape[3:])[:, :, ph : ph + oh, pw : pw + ow]
    bias = bias_values(b, acc)
    if bias is not None:
        y = y + bias
    return op.output_layout().from_canonical(y).astype(dtype)


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


pattern_kind.register(DenseOp, Conv2dOp, Conv2dTransposeOp)(OpPattern.OUT_ELEMWISE_FUSABLE)
pattern_kind.register(DropoutOp)(OpPattern.ELEMWISE)
pattern_kind.register(SoftmaxBase)(OpPattern.OPAQUE)
pattern_kind.register(PadOp)(OpPattern.INJECTIVE)
inplace_option.register(DropoutOp)(((0, 0),))
dtypes.register(DenseOp, Conv2dOp, Conv2dTransposeOp, DropoutOp, SoftmaxBase)(FLOAT_DTYPES)
dtypes.register(PadOp)((*FLOAT_DTYPES, np.dtype(np.int8), np.dtype(np.int32), np.dtype(np.int64)))
for _op, _onnx in [
    (DenseOp, "Gemm (transB = 1)"),
    (Conv2dOp, "Conv"),
    (Conv2dTransposeOp, "ConvTranspose"),
    (DropoutOp, "Dropout (inference: identity)"),
    (SoftmaxOp, "Softmax (opset >= 13)"),
    (LogSoftmaxOp, "LogSoftmax (opset >= 13)"),
    (PadOp, "Pad (mode = constant)"),
]:
    onnx_equivalent.register(_op)(_onnx)

NN_OPS = [
    DenseOp,
    Conv2dOp,
    Conv2dTransposeOp,
    DropoutOp,
    SoftmaxOp,
    LogSoftmaxOp,
    PadOp,
]


# Examples: random valid instances for the generic rules-against-semantics test.


def _blocks(n: int) -> list[int]:
    return [b for b in (2, 4) if n % b == 0]


def _kernel_layout(rng: np.random.Generator, o: int, i: int) -> str:
    """A permutation of OIHW, or OIHW with blocks of I and O such as OIHW2i4o."""
    bo, bi = _blocks(o), _blocks(i)
    if (bo or bi) and rand_bool(rng):
        inner = [f"{pick(rng, bi)}i"] if bi else []
        inner += [f"{pick(rng, bo)}o"] if bo else []
        if rand_bool(rng):
            inner.reverse()
        return "OIHW" + "".join(inner)
    return pick(rng, KERNEL_LAYOUTS)


@example.register(DenseOp)
def _dense_example(rng: np.random.Generator) -> Example:
    dtype = pick(rng, FLOATS)
    units, features = rand_int(rng, 1, 6), rand_int(rng, 1, 6)
    use_bias = rand_bool(rng)
    x = random_array(rng, (*random_shape(rng, 0, 2), features), dtype)
    operands = [x, random_array(rng, (units, features), dtype)]
    if use_bias:
        operands.append(random_array(rng, (units,), dtype))
    props = {"units": IntegerAttr(units, 64), "use_bias": BoolAttr.from_bool(use_bias)}
    return Example(operands, props)


def _conv_example(rng: np.random.Generator, transpose: bool) -> Example:
    dtype = pick(rng, FLOATS)
    groups = rand_int(rng, 1, 3)
    cin, channels = groups * rand_int(rng, 1, 2), groups * rand_int(rng, 1, 3)
    if not transpose and rand_int(rng, 0, 3) == 0:  # depthwise
        groups, cin = cin, cin
        channels = cin * rand_int(rng, 1, 2)
    kernel = (rand_int(rng, 1, 3), rand_int(rng, 1, 3))
    strides = (rand_int(rng, 1, 2), rand_int(rng, 1, 2))
    dilation = (rand_int(rng, 1, 2), rand_int(rng, 1, 2))
    padding = (rand_int(rng, 0, 2), rand_int(rng, 0, 2))
    if transpose:
        extra = tuple(rand_int(rng, 0, max(s, d) - 1) for s, d in zip(strides, dilation))
        # Large enough that padding leaves an output.
        spatial = [
            rand_int(rng, max(1, 1 - (-(2 * p - e - (k - 1) * d) // s)), 5)
            for k, d, p, s, e in zip(kernel, dilation, padding, strides, extra)
        ]
        w = random_array(rng, (cin, channels // groups, *kernel), dtype)
    else:
        # Each spatial size at least the dilated kernel minus the padding: a non-empty output.
        spatial = [
            rand_int(rng, max(1, 1 + (k - 1) * d - 2 * p), 1 + (k - 1) * d + 4)
            for k, d, p in zip(kernel, dilation, padding)
        ]
        w = random_array(rng, (channels, cin // groups, *kernel), dtype)
    layout = random_layout(rng, math.gcd(cin, channels) if transpose else cin)
    kernel_layout = _kernel_layout(rng, w.shape[0], w.shape[1])
    x = random_array(rng, (rand_int(rng, 1, 2), cin, *spatial), dtype)
    operands = [in_layout(x, "NCHW", layout), in_layout(w, "OIHW", kernel_layout)]
    props: dict[str, Attribute] = {
        "channels": IntegerAttr(channels, 64),
        "kernel_size": ints(*kernel),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "dilation": ints(*dilation),
        "groups": IntegerAttr(groups, 64),
        "layout": StringAttr(layout),
        "kernel_layout": StringAttr(kernel_layout),
    }
    out_layout = layout
    if transpose:
        props["output_padding"] = ints(*extra)  # pyright: ignore[reportPossiblyUnboundVariable]
    else:
        out_layout = random_layout(rng, channels)
        if channels % Layout.parse(layout, "NCHW", "layout").block("C") == 0 and rand_bool(rng):
            out_layout = "__undef__"
        props["out_layout"] = StringAttr(out_layout)
    use_bias = rand_bool(rng)
    props["use_bias"] = BoolAttr.from_bool(use_bias)
    if use_bias:
        bias = random_array(rng, (channels,), dtype)
        out = layout if out_layout == "__undef__" else out_layout
        block = Layout.parse(out, "NCHW", "out_layout").block("C")
        if block > 1 and rand_bool(rng):
            bias = bias.reshape(channels // block, block)
        operands.append(bias)
    return Example(operands, props)


example.register(Conv2dOp)(lambda rng: _conv_example(rng, transpose=False))
example.register(Conv2dTransposeOp)(lambda rng: _conv_example(rng, transpose=True))


@example.register(DropoutOp)
def _dropout_example(rng: np.random.Generator) -> Example:
    x = random_array(rng, random_shape(rng), pick(rng, FLOATS))
    return Example([x], {"rate": f64(float(rng.uniform(0.0, 1.0)))})


@example.register(SoftmaxBase)
def _softmax_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    x = random_array(rng, shape, pick(rng, FLOATS), -10.0, 10.0)
    return Example([x], {"axis": IntegerAttr(rand_int(rng, -len(shape), len(shape) - 1), 64)})


@example.register(PadOp)
def _pad_example(rng: np.random.Generator) -> Example:
    dtype = np.dtype(pick(rng, (*FLOATS, np.int32)))
    shape = random_shape(rng, 0, 3)
    pairs = [ints(rand_int(rng, 0, 2), rand_int(rng, 0, 2)) for _ in shape]
    value = float(rand_int(rng, -5, 5)) if dtype.kind == "i" else float(rng.uniform(-5.0, 5.0))
    x = random_array(rng, shape, dtype)
    return Example([x], {"pad_width": ArrayAttr(pairs), "pad_value": f64(value)})
