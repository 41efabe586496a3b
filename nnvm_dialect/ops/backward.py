"""Backward-only ops the gradient rules emit (NNVM's `_conv2d_grad`, `_max_pool2d_grad`, ...).

They are ordinary ops with every fact, so a backward function parses, prints, runs on the
reference target and is covered by the generic registry tests. Names start with `_` as in NNVM:
they are not meant to be written by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, IntegerAttr, StringAttr
from xdsl.ir import Block
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.dtypes import from_numpy
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
from nnvm_dialect.ops.base import (
    AnyTensor,
    NnvmOp,
    build,
    format_shape,
    refine_shape,
    tensor_type,
)
from nnvm_dialect.ops.elemwise import random_array, random_shape
from nnvm_dialect.ops.nn import FALSE, Conv2dOp, ConvBase, accumulator, ints
from nnvm_dialect.ops.nn_common import window_out
from nnvm_dialect.ops.pool import AvgPool2dOp, MaxPool2dOp, Pool2dBase, lowest

FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


@irdl_op_definition
class SumToLikeOp(NnvmOp):
    """Sums `data` down to the shape of `like` (over leading axes and axes where `like` has 1):
    the gradient of a broadcast (NNVM's collapse_sum)."""

    name = "nnvm._sum_to_like"
    data = operand_def(AnyTensor)
    like = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(SumToLikeOp)
def _sum_to_like_shape(op: SumToLikeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, like = shapes
    if data is not None and like is not None:
        if len(like) > len(data):
            raise ShapeError(
                f"cannot sum {format_shape(data)} to the larger rank of {format_shape(like)}"
            )
        for d, t in zip(data[len(data) - len(like) :], like):
            if d is not None and t is not None and t != 1 and d != t:
                raise ShapeError(f"cannot sum {format_shape(data)} to {format_shape(like)}")
    return [like]


@reference.register(SumToLikeOp)
def _sum_to_like(op: SumToLikeOp, g: np.ndarray, like: np.ndarray) -> np.ndarray:
    lead = g.ndim - like.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(like.shape) if d == 1 and g.shape[lead + i] != 1
    )
    total = g.astype(accumulator(g.dtype)).sum(axis=axes, keepdims=True)
    return np.asarray(total).reshape(like.shape).astype(g.dtype)


@irdl_op_definition
class ReshapeLikeOp(NnvmOp):
    """`data` with the shape of `like` (same element count): the gradient of flatten and
    reshape (NNVM's reshape_like)."""

    name = "nnvm._reshape_like"
    data = operand_def(AnyTensor)
    like = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(ReshapeLikeOp)
def _reshape_like_shape(op: ReshapeLikeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, like = shapes
    if data is not None and like is not None and None not in data and None not in like:
        if math.prod(data) != math.prod(like):  # type: ignore[arg-type]
            raise ShapeError(
                f"cannot reshape {format_shape(data)} to {format_shape(like)}: element counts "
                "differ"
            )
    return [like]


@reference.register(ReshapeLikeOp)
def _reshape_like(op: ReshapeLikeOp, g: np.ndarray, like: np.ndarray) -> np.ndarray:
    return g.reshape(like.shape).copy()


@irdl_op_definition
class Conv2dGradOp(NnvmOp):
    """(d data, d weight) of `conv2d` (same attributes, no bias) from its data, weight and the
    output gradient (NNVM's _conv2d_grad; the bias gradient is a sum)."""

    name = "nnvm._conv2d_grad"
    data = operand_def(AnyTensor)
    weight = operand_def(AnyTensor)
    out_grad = operand_def(AnyTensor)
    data_grad = result_def(AnyTensor)
    weight_grad = result_def(AnyTensor)
    channels = prop_def(IntegerAttr[I64])
    kernel_size = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase, default_value=ints(1, 1))
    padding = prop_def(DenseArrayBase, default_value=ints(0, 0))
    dilation = prop_def(DenseArrayBase, default_value=ints(1, 1))
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    kernel_layout = prop_def(StringAttr, default_value=StringAttr("OIHW"))
    out_layout = prop_def(StringAttr, default_value=StringAttr("__undef__"))

    data_layout = Conv2dOp.data_layout
    weight_layout = Conv2dOp.weight_layout
    output_layout = Conv2dOp.output_layout
    windows = Conv2dOp.windows
    verify_attributes = ConvBase.verify_attributes


@reference.register(Conv2dGradOp)
def _conv2d_grad(
    op: Conv2dGradOp, x: np.ndarray, w: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    acc = accumulator(x.dtype)
    xc = op.data_layout().to_canonical(x).astype(acc)
    wc = op.weight_layout().to_canonical(w).astype(acc)
    dyc = op.output_layout().to_canonical(dy).astype(acc)
    groups = op.int_attr("groups")
    (_, sh, ph, dh), (_, sw, pw, dw) = op.windows()
    n, c, h, wd = xc.shape
    o, _, kh, kw = wc.shape
    oh, ow = dyc.shape[2:]
    xp = np.pad(xc, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    xg = xp.reshape(n, groups, c // groups, *xp.shape[2:])
    wg = wc.reshape(groups, o // groups, c // groups, kh, kw)
    dyg = dyc.reshape(n, groups, o // groups, oh, ow)
    dxg = np.zeros_like(xg)
    dwg = np.zeros_like(wg)
    for ky in range(kh):
        for kx in range(kw):
            rows = slice(ky * dh, ky * dh + sh * (oh - 1) + 1, sh)
            cols = slice(kx * dw, kx * dw + sw * (ow - 1) + 1, sw)
            dxg[:, :, :, rows, cols] += np.einsum("ngoyx,goc->ngcyx", dyg, wg[:, :, :, ky, kx])
            dwg[:, :, :, ky, kx] = np.einsum("ngoyx,ngcyx->goc", dyg, xg[:, :, :, rows, cols])
    dx = dxg.reshape(xp.shape)[:, :, ph : ph + h, pw : pw + wd]
    return (
        op.data_layout().from_canonical(dx).astype(x.dtype),
        op.weight_layout().from_canonical(dwg.reshape(wc.shape)).astype(w.dtype),
    )


@irdl_op_definition
class MaxPool2dGradOp(Pool2dBase):
    """d data of `max_pool2d` (same attributes): each output gradient goes to the first maximum
    of its window (NNVM's _max_pool2d_grad)."""

    name = "nnvm._max_pool2d_grad"
    data = operand_def(AnyTensor)
    out_grad = operand_def(AnyTensor)


@reference.register(MaxPool2dGradOp)
def _max_pool2d_grad(op: MaxPool2dGradOp, x: np.ndarray, dy: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    xc, dyc = layout.to_canonical(x), layout.to_canonical(dy).astype(accumulator(x.dtype))
    (kh, kw), (sh, sw) = op.ints_attr("pool_size"), op.ints_attr("strides")
    top, left, bottom, right = op.pads()
    n, c, h, w = xc.shape
    oh, ow = dyc.shape[2:]
    windows = op.windows(xc, lowest(x.dtype))  # type: ignore[arg-type]
    padded = (windows.shape[2] - 1) * sh + kh, (windows.shape[3] - 1) * sw + kw
    xp_shape = (n, c, max(h + top + bottom, padded[0]), max(w + left + right, padded[1]))
    best = np.ascontiguousarray(windows).reshape(n, c, oh, ow, kh * kw).argmax(axis=-1)
    rows = np.arange(oh)[:, None] * sh + best // kw
    cols = np.arange(ow)[None, :] * sw + best % kw
    dxp = np.zeros(xp_shape, dyc.dtype)
    ni, ci = np.indices((n, c))
    np.add.at(dxp, (ni[:, :, None, None], ci[:, :, None, None], rows, cols), dyc)
    dx = dxp[:, :, top : top + h, left : left + w]
    return layout.from_canonical(dx).astype(x.dtype)


@irdl_op_definition
class AvgPool2dGradOp(Pool2dBase):
    """d data of `avg_pool2d` (same attributes): each output gradient, divided as the forward
    divided, spread over its window."""

    name = "nnvm._avg_pool2d_grad"
    data = operand_def(AnyTensor)
    out_grad = operand_def(AnyTensor)
    count_include_pad = prop_def(BoolAttr, default_value=FALSE)


@reference.register(AvgPool2dGradOp)
def _avg_pool2d_grad(op: AvgPool2dGradOp, x: np.ndarray, dy: np.ndarray) -> np.ndarray:
    layout = op.data_layout()
    dyc = layout.to_canonical(dy).astype(accumulator(x.dtype))
    (kh, kw), (sh, sw) = op.ints_attr("pool_size"), op.ints_attr("strides")
    top, left, bottom, right = op.pads()
    n, c, h, w = layout.to_canonical(x).shape
    oh, ow = dyc.shape[2:]
    if op.bool_attr("count_include_pad"):
        share = dyc / (kh * kw)
    else:
        count = op.windows(np.ones((1, 1, h, w)), 0).sum(axis=(4, 5))  # type: ignore[arg-type]
        share = dyc / np.maximum(count, 1)
    rows = max(h + top + bottom, (oh - 1) * sh + kh)
    cols = max(w + left + right, (ow - 1) * sw + kw)
    dxp = np.zeros((n, c, rows, cols), share.dtype)
    for ky in range(kh):
        for kx in range(kw):
            dxp[:, :, ky : ky + sh * (oh - 1) + 1 : sh, kx : kx + sw * (ow - 1) + 1 : sw] += share
    dx = dxp[:, :, top : top + h, left : left + w]
    return layout.from_canonical(dx).astype(x.dtype)


def check_out_grad(expected: Shape, out_grad: Shape) -> None:
    try:
        refine_shape(expected, out_grad)
    except ShapeError:
        raise ShapeError(
            f"out_grad has shape {format_shape(out_grad)}, but the forward op's result has "
            f"{format_shape(expected)}"
        ) from None


@shape_rule.register(Conv2dGradOp)
def _conv2d_grad_shape(op: Conv2dGradOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, weight, out_grad = shapes
    channels, groups = op.int_attr("channels"), op.int_attr("groups")
    (kh, _, _, _), (kw, _, _, _) = op.windows()
    n, c, h, w = op.data_layout().canonical_shape(data, "data")
    o, i, wh, ww = op.weight_layout().canonical_shape(weight, "weight")
    for what, got, want in [
        ("output channels", o, channels),
        ("height", wh, kh),
        ("width", ww, kw),
    ]:
        if got is not None and got != want:
            raise ShapeError(f"weight {what} must be {want}, got {got}")
    if c is not None and i is not None and i * groups != c:
        raise ShapeError(f"data has {c} channels but weight expects {i * groups}")
    oh, ow = (
        window_out(size, 1 + (k - 1) * d, p, p, s)
        for size, (k, s, p, d) in zip((h, w), op.windows())
    )
    check_out_grad(op.output_layout().shape([n, channels, oh, ow], "result"), out_grad)
    return [data, weight]


@shape_rule.register(MaxPool2dGradOp, AvgPool2dGradOp)
def _pool_grad_shape(op: Pool2dBase, shapes: Sequence[Shape]) -> list[Shape]:
    data, out_grad = shapes
    layout = op.data_layout()
    n, c, h, w = layout.canonical_shape(data, "data")
    check_out_grad(layout.shape([n, c, *op.out_hw(h, w)], "result"), out_grad)
    return [data]


BACKWARD_OPS = [
    SumToLikeOp,
    ReshapeLikeOp,
    Conv2dGradOp,
    MaxPool2dGradOp,
    AvgPool2dGradOp,
]
pattern_kind.register(SumToLikeOp)(OpPattern.COMM_REDUCE)
pattern_kind.register(ReshapeLikeOp)(OpPattern.INJECTIVE)
pattern_kind.register(Conv2dGradOp, MaxPool2dGradOp, AvgPool2dGradOp)(OpPattern.OPAQUE)
dtypes.register(*BACKWARD_OPS)(FLOATS)
onnx_equivalent.register(SumToLikeOp)("ReduceSum over the broadcast axes, then Reshape")
onnx_equivalent.register(ReshapeLikeOp)("Reshape to Shape(like)")
onnx_equivalent.register(Conv2dGradOp)("ConvTranspose for d data; Conv of x with dy for d weight")
onnx_equivalent.register(MaxPool2dGradOp)("MaxPool with indices, then ScatterElements")
onnx_equivalent.register(AvgPool2dGradOp)("ConvTranspose of dy / divisor with a ones kernel")


# Examples: a random forward instance and a random output gradient of its shape.


def _forward(
    cls: type[NnvmOp], rng: np.random.Generator, floats_only: bool = True
) -> tuple[Example, list[np.ndarray]]:
    make = example.lookup(cls)
    assert make is not None
    while True:
        ex = make(rng)
        if not floats_only or ex.operands[0].dtype.kind == "f":
            break
    block = Block(arg_types=[tensor_type(a.shape, from_numpy(a.dtype)) for a in ex.operands])
    fwd = build(cls, block.args, ex.properties, ex.num_results)
    semantics = reference.lookup(fwd)
    assert semantics is not None
    out = semantics(fwd, *ex.operands)
    outs = [out] if isinstance(out, np.ndarray) else list(out)
    return ex, [random_array(rng, y.shape, y.dtype) for y in outs]


def _without(props: dict, *names: str) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in props.items() if k not in names}


@example.register(Conv2dGradOp)
def _conv2d_grad_example(rng: np.random.Generator) -> Example:
    ex, (dy,) = _forward(Conv2dOp, rng)
    return Example([ex.operands[0], ex.operands[1], dy], _without(ex.properties, "use_bias"), 2)


@example.register(MaxPool2dGradOp)
def _max_pool2d_grad_example(rng: np.random.Generator) -> Example:
    ex, (dy,) = _forward(MaxPool2dOp, rng)
    return Example([ex.operands[0], dy], ex.properties)


@example.register(AvgPool2dGradOp)
def _avg_pool2d_grad_example(rng: np.random.Generator) -> Example:
    ex, (dy,) = _forward(AvgPool2dOp, rng)
    return Example([ex.operands[0], dy], ex.properties)


def _like_example(
    make_data: Callable[[np.random.Generator, tuple[int, ...]], tuple[int, ...]],
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = FLOATS[int(rng.integers(2))]
        like = random_shape(rng, 0, 3)
        data = make_data(rng, like)
        return Example([random_array(rng, data, dtype), random_array(rng, like, dtype)])

    return make


def _broadcast_of(rng: np.random.Generator, like: tuple[int, ...]) -> tuple[int, ...]:
    lead = tuple(int(d) for d in rng.integers(1, 4, int(rng.integers(0, 3))))
    return lead + tuple(int(rng.integers(1, 4)) if d == 1 else d for d in like)


def _reshaped(rng: np.random.Generator, like: tuple[int, ...]) -> tuple[int, ...]:
    size = math.prod(like)
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    d = divisors[int(rng.integers(len(divisors)))]
    return (d, size // d) if rng.integers(2) else (size,)


example.register(SumToLikeOp)(_like_example(_broadcast_of))
example.register(ReshapeLikeOp)(_like_example(_reshaped))
