"""Gradient rules (NNVM's FGradient) for the dialect's ops, attached from outside their files.

Each rule is `(b, op, output_grads) -> input_grads` as documented in `transforms/gradient.py`:
it emits nnvm ops through the builder `b` and returns one gradient per operand (None: zero or not
differentiable). Rules are checked against central finite differences by tests/test_gradients.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from xdsl.dialects.builtin import ArrayAttr, BoolAttr, DenseArrayBase, FloatAttr, IntegerAttr, i64
from xdsl.ir import SSAValue

from nnvm_dialect.facts import gradient
from nnvm_dialect.ops import backward as bw
from nnvm_dialect.ops import broadcast as bc
from nnvm_dialect.ops import elemwise as ew
from nnvm_dialect.ops import index, init, matmul, nn, pool, reduce, replicate, scalar, transform
from nnvm_dialect.ops.base import NnvmOp, shape_of

if TYPE_CHECKING:
    from nnvm_dialect.transforms.gradient import GradBuilder

Grads = list[SSAValue | None]
V = SSAValue

TRUE = BoolAttr.from_bool(True)


def f64(x: float) -> FloatAttr:
    return FloatAttr(float(x), 64)


def axes(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


def rank(v: SSAValue) -> int:
    shape = shape_of(v.type)
    if shape is None:
        raise ValueError(f"the gradient needs a ranked type, got {v.type}")
    return len(shape)


# Elementwise vocabulary on top of the builder.


def unary(b: GradBuilder, cls: type[NnvmOp], x: V, **props: float) -> V:
    return b.value(cls, x, **{k: f64(v) for k, v in props.items()})


def sub(b: GradBuilder, x: V, y: V) -> V:
    return b.value(ew.ElemwiseSubOp, x, y)


def div(b: GradBuilder, x: V, y: V) -> V:
    return b.value(ew.ElemwiseDivOp, x, y)


def positive(b: GradBuilder, x: V) -> V:
    """1 where x > 0, else 0."""
    return unary(b, ew.ReluOp, unary(b, ew.SignOp, x))


def register(*ops: type[NnvmOp]) -> Callable[[Callable[..., Grads]], Callable[..., Grads]]:
    return gradient.register(*ops)


def elementwise(
    *ops: type[NnvmOp],
) -> Callable[[Callable[[GradBuilder, NnvmOp, V], V | None]], None]:
    """Register a single-operand rule: the gradient of the operand from the one output
    gradient `dy`."""

    def attach(local: Callable[[GradBuilder, NnvmOp, V], V | None]) -> None:
        def rule(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
            assert grads[0] is not None
            return [local(b, op, grads[0])]

        gradient.register(*ops)(rule)

    return attach


@elementwise(ew.CopyOp, nn.DropoutOp)
def _identity(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return dy


@elementwise(ew.NegativeOp)
def _negative(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return unary(b, ew.NegativeOp, dy)


@elementwise(
    ew.BlockGradOp, ew.SignOp, ew.FloorOp, ew.CeilOp, ew.TruncOp, ew.RoundOp, ew.NearbyintOp
)
def _zero(b: GradBuilder, op: NnvmOp, dy: V) -> None:
    """Piecewise constant (or block_grad): no gradient flows."""
    return None


@elementwise(ew.ReluOp)
def _relu(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.mul(dy, positive(b, op.operands[0]))


@elementwise(ew.LeakyReluOp)
def _leaky_relu(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    alpha = op.float_attr("alpha")
    mask = unary(b, scalar.MulScalarOp, positive(b, op.operands[0]), scalar=1 - alpha)
    return b.mul(dy, unary(b, scalar.AddScalarOp, mask, scalar=alpha))


@elementwise(ew.AbsOp)
def _abs(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.mul(dy, unary(b, ew.SignOp, op.operands[0]))


@elementwise(scalar.ClipOp)
def _clip(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    x = op.operands[0]
    above = positive(b, unary(b, scalar.SubScalarOp, x, scalar=op.float_attr("a_min")))
    below = positive(b, unary(b, scalar.RsubScalarOp, x, scalar=op.float_attr("a_max")))
    return b.mul(dy, b.mul(above, below))


@elementwise(ew.TanhOp)
def _tanh(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    y = op.results[0]
    return sub(b, dy, b.mul(b.mul(dy, y), y))


@elementwise(ew.SigmoidOp)
def _sigmoid(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    y = op.results[0]
    dyy = b.mul(dy, y)
    return sub(b, dyy, b.mul(dyy, y))


@elementwise(ew.ExpOp)
def _exp(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.mul(dy, op.results[0])


@elementwise(ew.LogOp)
def _log(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return div(b, dy, op.operands[0])


@elementwise(ew.SqrtOp)
def _sqrt(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return div(b, dy, b.scale(op.results[0], 2.0))


@elementwise(ew.RsqrtOp)
def _rsqrt(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    # d/dx x^-1/2 = -1/2 * y / x
    return b.scale(b.mul(dy, div(b, op.results[0], op.operands[0])), -0.5)


@elementwise(ew.ErfOp)
def _erf(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    x = op.operands[0]
    bump = unary(b, ew.ExpOp, unary(b, ew.NegativeOp, b.mul(x, x)))
    return b.mul(dy, b.scale(bump, 2 / math.sqrt(math.pi)))


@elementwise(ew.GeluOp)
def _gelu(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    # gelu = x * Phi(x): d = Phi(x) + x * phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2
    x = op.operands[0]
    cdf = unary(b, ew.ErfOp, b.scale(x, 1 / math.sqrt(2)))
    cdf = b.scale(unary(b, scalar.AddScalarOp, cdf, scalar=1.0), 0.5)
    pdf = unary(b, ew.ExpOp, b.scale(b.mul(x, x), -0.5))
    pdf = b.scale(b.mul(x, pdf), 1 / math.sqrt(2 * math.pi))
    return b.mul(dy, b.add(cdf, pdf))


# Scalar ops: y = f(x, s).


@elementwise(scalar.AddScalarOp, scalar.SubScalarOp)
def _shift(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return dy


@elementwise(scalar.RsubScalarOp)
def _rsub_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return unary(b, ew.NegativeOp, dy)


@elementwise(scalar.MulScalarOp)
def _mul_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.scale(dy, op.float_attr("scalar"))


@elementwise(scalar.DivScalarOp)
def _div_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.scale(dy, 1 / op.float_attr("scalar"))


@elementwise(scalar.RdivScalarOp)
def _rdiv_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    # y = s / x: dy/dx = -y / x
    return unary(b, ew.NegativeOp, b.mul(dy, div(b, op.results[0], op.operands[0])))


@elementwise(scalar.PowScalarOp)
def _pow_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    s = op.float_attr("scalar")
    power = unary(b, scalar.PowScalarOp, op.operands[0], scalar=s - 1)
    return b.mul(dy, b.scale(power, s))


@elementwise(scalar.RpowScalarOp)
def _rpow_scalar(b: GradBuilder, op: NnvmOp, dy: V) -> V:
    return b.scale(b.mul(dy, op.results[0]), math.log(op.float_attr("scalar")))


# Binary ops of one shape, and their broadcasting versions (gradients summed back to each
# operand's shape).


def binary_rule(
    local: Callable[[GradBuilder, V, V, V, V], tuple[V | None, V | None]], broadcast: bool
) -> Callable[[GradBuilder, NnvmOp, Grads], Grads]:
    def rule(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
        x, y = op.operands
        dy = grads[0]
        assert dy is not None
        gx, gy = local(b, x, y, op.results[0], dy)
        if broadcast:
            gx = None if gx is None else b.value(bw.SumToLikeOp, gx, x)
            gy = None if gy is None else b.value(bw.SumToLikeOp, gy, y)
        return [gx, gy]

    return rule


def _add(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    return dy, dy


def _sub(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    return dy, unary(b, ew.NegativeOp, dy)


def _mul(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    return b.value(bc.BroadcastMulOp, dy, y), b.value(bc.BroadcastMulOp, dy, x)


def _div(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    gx = b.value(bc.BroadcastDivOp, dy, y)
    return gx, unary(b, ew.NegativeOp, b.value(bc.BroadcastMulOp, gx, x_over(b, x, y)))


def x_over(b: GradBuilder, x: V, y: V) -> V:
    """x / y, broadcasting."""
    return b.value(bc.BroadcastDivOp, x, y)


def _pow(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    # out = x^y: d/dx = y * out / x, d/dy = out * log(x)
    gx = b.value(bc.BroadcastMulOp, dy, b.value(bc.BroadcastMulOp, y, x_over(b, out, x)))
    gy = b.value(bc.BroadcastMulOp, dy, b.value(bc.BroadcastMulOp, out, unary(b, ew.LogOp, x)))
    return gx, gy


def _max(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    wins = positive(b, b.value(bc.BroadcastSubOp, x, y))
    loses = positive(b, b.value(bc.BroadcastSubOp, y, x))
    return b.value(bc.BroadcastMulOp, dy, wins), b.value(bc.BroadcastMulOp, dy, loses)


def _min(b: GradBuilder, x: V, y: V, out: V, dy: V) -> tuple[V | None, V | None]:
    # x wins a min where y would win a max.
    return _max(b, y, x, out, dy)


for _ops, _local in [
    ((ew.ElemwiseAddOp, bc.BroadcastAddOp), _add),
    ((ew.ElemwiseSubOp, bc.BroadcastSubOp), _sub),
    ((ew.ElemwiseMulOp, bc.BroadcastMulOp), _mul),
    ((ew.ElemwiseDivOp, bc.BroadcastDivOp), _div),
    ((ew.ElemwisePowOp, bc.BroadcastPowOp), _pow),
    ((None, bc.BroadcastMaxOp), _max),
    ((None, bc.BroadcastMinOp), _min),
]:
    if _ops[0] is not None:
        gradient.register(_ops[0])(binary_rule(_local, broadcast=False))
    gradient.register(_ops[1])(binary_rule(_local, broadcast=True))


@register(ew.ElemwiseSumOp)
def _elemwise_sum(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    return [grads[0]] * len(op.operands)


# Reductions: the output gradient is broadcast back over the reduced axes.


def spread(b: GradBuilder, op: reduce.ReduceOp, v: V) -> V:
    """A reduce op's result (or its gradient) with its reduced axes back as 1s, broadcast to
    the operand's shape."""
    x = op.operands[0]
    n = rank(x)
    reduced = op.reduced_axes(n)
    if not op.bool_attr("keepdims"):
        if len(reduced) == n:
            v = keep_all(b, v, x)
        else:
            for a in reduced:
                v = b.value(transform.ExpandDimsOp, v, axis=IntegerAttr(a, 64))
    return b.value(bc.BroadcastAddOp, b.zeros_like(x), v)


def keep_all(b: GradBuilder, v: V, x: V) -> V:
    """A one-element value reshaped to rank(x) ones."""
    n = rank(x)
    ones = b.value(reduce.SumOp, x, axis=axes(), keepdims=TRUE) if n else x
    return b.value(bw.ReshapeLikeOp, v, ones)


@register(reduce.SumOp)
def _sum(b: GradBuilder, op: reduce.ReduceOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [spread(b, op, grads[0])]


@register(reduce.MeanOp)
def _mean(b: GradBuilder, op: reduce.ReduceOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    shape = shape_of(x.type)
    assert shape is not None and None not in shape, "mean's gradient needs a static shape"
    count = math.prod(shape[a] for a in op.reduced_axes(len(shape)))  # type: ignore[misc]
    return [b.scale(spread(b, op, grads[0]), 1 / max(count, 1))]


@register(reduce.MaxOp, reduce.MinOp)
def _extreme(b: GradBuilder, op: reduce.ReduceOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    gap = unary(b, ew.AbsOp, unary(b, ew.SignOp, sub(b, x, spread(b, op, op.results[0]))))
    at_extreme = unary(b, scalar.RsubScalarOp, gap, scalar=1.0)
    return [b.mul(at_extreme, spread(b, op, grads[0]))]


@register(reduce.ProdOp)
def _prod(b: GradBuilder, op: reduce.ReduceOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    others = div(b, spread(b, op, op.results[0]), x)
    return [b.mul(others, spread(b, op, grads[0]))]


# Softmax.


def keep_sum(b: GradBuilder, v: V, axis: int) -> V:
    return b.value(reduce.SumOp, v, axis=axes(axis), keepdims=TRUE)


@register(nn.SoftmaxOp)
def _softmax(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy, y = grads[0], op.results[0]
    assert dy is not None
    total = keep_sum(b, b.mul(dy, y), op.int_attr("axis"))
    return [b.mul(y, b.value(bc.BroadcastSubOp, dy, total))]


@register(nn.LogSoftmaxOp)
def _log_softmax(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy, y = grads[0], op.results[0]
    assert dy is not None
    total = keep_sum(b, dy, op.int_attr("axis"))
    return [sub(b, dy, b.value(bc.BroadcastMulOp, unary(b, ew.ExpOp, y), total))]


# Dense, conv2d, pooling, batch_norm.


@register(nn.DenseOp)
def _dense(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    """y = x . W^T (+ b) as broadcasts and sums, ops every target lowers: with dy (..., U),
    d x = sum over U of dy[..., U, 1] * W[U, I], d W = sum over the leading dims of
    dy[..., U, 1] * x[..., 1, I], d b = sum of dy over the leading dims."""
    dy = grads[0]
    assert dy is not None
    x, w = op.operands[0], op.operands[1]
    n = rank(x)

    def expand(v: V, axis: int) -> V:
        return b.value(transform.ExpandDimsOp, v, axis=IntegerAttr(axis, 64))

    dy_col = expand(dy, n)  # (..., U, 1)
    dx = b.value(reduce.SumOp, b.value(bc.BroadcastMulOp, dy_col, w), axis=axes(n - 1))
    outer = b.value(bc.BroadcastMulOp, dy_col, expand(x, n - 1))  # (..., U, I)
    dw = b.value(reduce.SumOp, outer, axis=axes(*range(n - 1))) if n > 1 else outer
    result: Grads = [dx, dw]
    if len(op.operands) == 3:
        result.append(b.value(reduce.SumOp, dy, axis=axes(*range(n - 1))) if n > 1 else dy)
    return result


CONV_ATTRS = (
    "channels",
    "kernel_size",
    "strides",
    "padding",
    "dilation",
    "groups",
    "layout",
    "kernel_layout",
    "out_layout",
)


@register(nn.Conv2dOp)
def _conv2d(b: GradBuilder, op: nn.Conv2dOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    x, w = op.operands[0], op.operands[1]
    props = {k: op.properties[k] for k in CONV_ATTRS}
    grad = b.emit(bw.Conv2dGradOp, [x, w, dy], props, num_results=2)
    result: Grads = [grad.results[0], grad.results[1]]
    if len(op.operands) == 3:
        layout = op.output_layout().axes
        channels = [layout.index(c) for c in ("C", "c") if c in layout]
        per_channel = b.value(reduce.SumOp, dy, axis=axes(*channels), exclude=TRUE)
        result.append(b.value(bw.ReshapeLikeOp, per_channel, op.operands[2]))
    return result


@register(nn.Conv2dTransposeOp)
def _conv2d_transpose(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    """conv2d_transpose is the adjoint of the conv2d with its attributes from the result space
    to the data space (weight (C_in, channels / groups, kh, kw) is that conv2d's OIHW weight):
    d data = that conv2d of dy (cropped where output_padding made the result longer), d weight
    = that conv2d's weight gradient with dy as its data and x as its output gradient."""
    dy = grads[0]
    assert dy is not None
    x, w = op.operands[0], op.operands[1]
    names = ("kernel_size", "strides", "padding", "dilation", "groups", "layout", "kernel_layout")
    props = {k: op.properties[k] for k in names}
    x_shape = shape_of(x.type)
    assert x_shape is not None
    channels = op.data_layout().canonical_shape(x_shape, "data")[1]
    conv = {**props, "channels": IntegerAttr(channels, 64), "use_bias": BoolAttr.from_bool(False)}
    dx = b.value(nn.Conv2dOp, dy, w, **conv)
    natural = shape_of(dx.type)
    assert natural is not None
    x_out = x
    if natural != x_shape:
        # output_padding >= stride: the conv2d's result is longer; crop d data, and pad x (with
        # zeros, which add nothing) as the out_grad of the weight gradient.
        zeros = axes(*([0] * len(x_shape)))
        dx = b.value(index.StridedSliceOp, dx, begin=zeros, end=axes(*x_shape))  # type: ignore[arg-type]
        pairs = ArrayAttr([axes(0, int(a) - int(e)) for a, e in zip(natural, x_shape)])  # type: ignore[arg-type]
        x_out = b.value(nn.PadOp, x, pad_width=pairs)
    dw = b.emit(bw.Conv2dGradOp, [dy, w, x_out], {**props, "channels": conv["channels"]}, 2)
    result: Grads = [dx, dw.results[1]]
    if len(op.operands) == 3:
        layout = op.data_layout().axes
        kept = [layout.index(c) for c in ("C", "c") if c in layout]
        per_channel = b.value(reduce.SumOp, dy, axis=axes(*kept), exclude=TRUE)
        result.append(b.value(bw.ReshapeLikeOp, per_channel, op.operands[2]))
    return result


@register(nn.MaxPool2dOp)
def _max_pool2d(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    names = ("pool_size", "strides", "padding", "layout", "ceil_mode")
    props = {k: op.properties[k] for k in names}
    return [b.emit(bw.MaxPool2dGradOp, [op.operands[0], dy], props).results[0]]


@register(pool.AvgPool2dOp)
def _avg_pool2d(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    names = ("pool_size", "strides", "padding", "layout", "ceil_mode", "count_include_pad")
    props = {k: op.properties[k] for k in names}
    return [b.emit(bw.AvgPool2dGradOp, [op.operands[0], dy], props).results[0]]


@register(nn.BatchNormOp)
def _batch_norm(b: GradBuilder, op: nn.BatchNormOp, grads: Grads) -> Grads:
    """Inference form: y = (x - mean) * k + beta with k = gamma / sqrt(var + eps)."""
    dy = grads[0]
    assert dy is not None
    x, gamma, _, mean, var = op.operands
    n = rank(x)
    axis = op.int_attr("axis") % n

    def per_channel(v: V) -> V:
        trailing = n - 1 - axis
        if trailing == 0:
            return v
        newaxes = {"axis": IntegerAttr(1, 64), "num_newaxis": IntegerAttr(trailing, 64)}
        return b.value(transform.ExpandDimsOp, v, **newaxes)

    def channel_sum(v: V) -> V:
        return b.value(reduce.SumOp, v, axis=axes(axis), exclude=TRUE)

    inv = unary(b, ew.RsqrtOp, unary(b, scalar.AddScalarOp, var, scalar=op.float_attr("epsilon")))
    scale = op.bool_attr("scale")
    k = b.mul(inv, gamma) if scale else inv
    dx = b.value(bc.BroadcastMulOp, dy, per_channel(k))
    centered = b.value(bc.BroadcastSubOp, x, per_channel(mean))
    dy_centered = channel_sum(b.mul(dy, centered))
    dy_sum = channel_sum(dy)
    dgamma = b.mul(dy_centered, inv) if scale else None
    dbeta = dy_sum if op.bool_attr("center") else None
    dmean = unary(b, ew.NegativeOp, b.mul(dy_sum, k))
    dvar = b.scale(b.mul(b.mul(dy_centered, k), b.mul(inv, inv)), -0.5)
    return [dx, dgamma, dbeta, dmean, dvar]


# Moving elements: the gradient moves them back.


@register(transform.FlattenOp)
def _flatten(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [b.value(bw.ReshapeLikeOp, grads[0], op.operands[0])]


@register(transform.ExpandDimsOp)
def _expand_dims(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [b.value(bw.ReshapeLikeOp, grads[0], op.operands[0])]


def split_at(b: GradBuilder, v: V, points: Sequence[int], axis: int) -> list[V]:
    if not points:
        return [v]
    parts = b.emit(
        transform.SplitOp,
        [v],
        {"indices_or_sections": axes(*points), "axis": IntegerAttr(axis, 64)},
        num_results=len(points) + 1,
    )
    return list(parts.results)


@register(transform.ConcatenateOp)
def _concatenate(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    axis = op.int_attr("axis") % rank(dy)
    sizes = [shape_of(v.type)[axis] for v in op.operands]  # type: ignore[index]
    points = [sum(sizes[: i + 1]) for i in range(len(sizes) - 1)]  # type: ignore[arg-type]
    return list(split_at(b, dy, points, axis))


@register(transform.SplitOp)
def _split(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    parts = [g if g is not None else b.zeros_like(r) for g, r in zip(grads, op.results)]
    if len(parts) == 1:
        return [parts[0]]
    axis = IntegerAttr(op.int_attr("axis") % rank(op.operands[0]), 64)
    return [b.value(transform.ConcatenateOp, *parts, axis=axis)]


@register(nn.PadOp)
def _pad(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    g = grads[0]
    assert g is not None
    shape = shape_of(op.operands[0].type)
    assert shape is not None
    for axis, ((before, after), size) in enumerate(zip(op.int_pairs_attr("pad_width"), shape)):
        points = [p for p in (before, before + size) if 0 < p < before + size + after]
        g = split_at(b, g, points, axis)[1 if before else 0]
    return [g]


# Ops that landed with the transform, matmul, init, replicate, index and pool files.


@register(init.LikeOp)
def _like(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    """zeros_like, ones_like, full_like: the value does not depend on the operand's."""
    return [None]


@register(transform.ReshapeOp, transform.SqueezeOp)
def _reshape(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [b.value(bw.ReshapeLikeOp, grads[0], op.operands[0])]


@register(transform.TransposeOp)
def _transpose(b: GradBuilder, op: transform.TransposeOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    perm = op.permutation(rank(op.operands[0]))
    inverse = [perm.index(i) for i in range(len(perm))]
    return [b.value(transform.TransposeOp, grads[0], axes=axes(*inverse))]


@register(replicate.BroadcastToOp)
def _broadcast_to(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [b.value(bw.SumToLikeOp, grads[0], op.operands[0])]


@register(replicate.CollapseSumOp)
def _collapse_sum(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    spread_back = b.value(bc.BroadcastAddOp, b.zeros_like(x), grads[0])
    return [spread_back] + [None] * (len(op.operands) - 1)


@register(replicate.StackOp)
def _stack(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    n = len(op.operands)
    axis = op.int_attr("axis") % rank(dy)
    parts = split_at(b, dy, list(range(1, n)), axis)
    return [b.value(bw.ReshapeLikeOp, p, x) for p, x in zip(parts, op.operands)]


@register(index.FlipOp)
def _flip(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    return [b.value(index.FlipOp, grads[0], axis=op.properties["axis"])]


@register(index.WhereOp)
def _where(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    dy = grads[0]
    assert dy is not None
    cond = op.operands[0]
    zero = b.zeros_like(dy)
    return [None, b.value(index.WhereOp, cond, dy, zero), b.value(index.WhereOp, cond, zero, dy)]


@register(matmul.MatmulOp)
def _matmul(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    """As 2-D products: A (m, k) . B (k, n), where A and B are the operands after
    transpose_a / transpose_b, a 1-D operand counting as (1, n)."""
    dy = grads[0]
    assert dy is not None
    lhs, rhs = op.operands

    def effective(v: V, flag: str) -> V:
        return b.value(transform.TransposeOp, v) if op.bool_attr(flag) else v

    a, c = effective(lhs, "transpose_a"), effective(rhs, "transpose_b")
    sa, sc = shape_of(a.type), shape_of(c.type)
    assert sa is not None and sc is not None and None not in sa and None not in sc
    ea = [1, *sa] if len(sa) == 1 else list(sa)
    ec = [1, *sc] if len(sc) == 1 else list(sc)
    m, k, n = math.prod(ea[:-1]), ea[-1], math.prod(ec[1:])  # type: ignore[arg-type]
    a2 = b.value(transform.ReshapeOp, a, shape=axes(m, k))
    c2 = b.value(transform.ReshapeOp, c, shape=axes(k, n))
    dy2 = b.value(transform.ReshapeOp, dy, shape=axes(m, n))
    da = b.value(matmul.MatmulOp, dy2, c2, transpose_b=TRUE)
    dc = b.value(matmul.MatmulOp, a2, dy2, transpose_a=TRUE)
    da, dc = b.value(bw.ReshapeLikeOp, da, a), b.value(bw.ReshapeLikeOp, dc, c)
    if op.bool_attr("transpose_a"):
        da = b.value(transform.TransposeOp, da)
    if op.bool_attr("transpose_b"):
        dc = b.value(transform.TransposeOp, dc)
    return [da, dc]


@register(matmul.BatchMatmulOp)
def _batch_matmul(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    """out = X . Y per batch, X = x or x^T, Y = y or y^T: dX = dy . Y^T and dY = X^T . dy,
    each spelt as one batch_matmul on x, y and dy."""
    dy = grads[0]
    assert dy is not None
    x, y = op.operands
    ta, tb = op.bool_attr("transpose_a"), op.bool_attr("transpose_b")

    def bmm(p: V, q: V, t_p: bool, t_q: bool) -> V:
        flags = {"transpose_a": BoolAttr.from_bool(t_p), "transpose_b": BoolAttr.from_bool(t_q)}
        return b.value(matmul.BatchMatmulOp, p, q, **flags)

    dx = bmm(y, dy, tb, True) if ta else bmm(dy, y, False, not tb)
    dyy = bmm(dy, x, True, ta) if tb else bmm(x, dy, not ta, False)
    return [dx, dyy]


@register(pool.GlobalAvgPool2dOp)
def _global_avg_pool2d(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    shape = shape_of(x.type)
    out = shape_of(op.results[0].type)
    assert shape is not None and out is not None and None not in shape and None not in out
    window = math.prod(shape) // math.prod(out)  # type: ignore[arg-type]
    spread_back = b.value(bc.BroadcastAddOp, b.zeros_like(x), grads[0])
    return [b.scale(spread_back, 1 / window)]


@register(pool.GlobalMaxPool2dOp)
def _global_max_pool2d(b: GradBuilder, op: NnvmOp, grads: Grads) -> Grads:
    assert grads[0] is not None
    x = op.operands[0]
    gap = unary(b, ew.SignOp, b.value(bc.BroadcastSubOp, x, op.results[0]))
    at_max = unary(b, scalar.RsubScalarOp, unary(b, ew.AbsOp, gap), scalar=1.0)
    return [b.value(bc.BroadcastMulOp, at_max, grads[0])]
