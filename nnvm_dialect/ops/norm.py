"""Normalisation ops: batch_norm, lrn, l2_normalize (NNVM levels 1 and 2), and layer_norm and
instance_norm, which ONNX models need (TVM's definitions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, Float64Type, FloatAttr, IntegerAttr
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

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
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import FLOATS, random_array, random_shape
from nnvm_dialect.ops.nn_common import (
    FLOAT_DTYPES,
    TRUE,
    accumulator,
    check_dim,
    check_min_rank,
    check_rank,
    f64,
    ints,
    normalize_axis,
    pick,
    rand_bool,
    rand_int,
)


class ChannelNormBase(NnvmOp):
    """data normalised with per-channel gamma and beta of shape (data.shape[axis],)."""

    data = operand_def(AnyTensor)
    gamma = operand_def(AnyTensor)
    beta = operand_def(AnyTensor)
    out = result_def(AnyTensor)


def _check_params(op: NnvmOp, shapes: Sequence[Shape], names: Sequence[str]) -> None:
    data = shapes[0]
    channels = None
    if data is not None:
        channels = data[normalize_axis(op.int_attr("axis"), len(data))]
    for name, shape in zip(names, shapes[1:]):
        check_rank(name, shape, 1)
        if shape is not None:
            check_dim(f"{name} size (data channels)", shape[0], channels, shape)


def _per_channel(op: NnvmOp, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    shape = [1] * x.ndim
    shape[normalize_axis(op.int_attr("axis"), x.ndim)] = -1
    return v.astype(accumulator(x.dtype)).reshape(shape)


def _scale_shift(op: NnvmOp, y: np.ndarray, x: np.ndarray, gamma, beta) -> np.ndarray:  # type: ignore[no-untyped-def]
    if op.bool_attr("scale"):
        y = y * _per_channel(op, x, gamma)
    if op.bool_attr("center"):
        y = y + _per_channel(op, x, beta)
    return y.astype(x.dtype)


@irdl_op_definition
class BatchNormOp(ChannelNormBase):
    """Inference batch norm: (x - moving_mean) / sqrt(moving_var + epsilon) * gamma + beta.

    Only NNVM's visible output is modelled; the training outputs mean and var are not.
    """

    name = "nnvm.batch_norm"
    # All five listed here, in order: xDSL puts a subclass's own operands before inherited ones.
    data = operand_def(AnyTensor)
    gamma = operand_def(AnyTensor)
    beta = operand_def(AnyTensor)
    moving_mean = operand_def(AnyTensor)
    moving_var = operand_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))
    epsilon = prop_def(FloatAttr[Float64Type], default_value=f64(1e-5))
    center = prop_def(BoolAttr, default_value=TRUE)
    scale = prop_def(BoolAttr, default_value=TRUE)


@shape_rule.register(BatchNormOp)
def _batch_norm_shape(op: BatchNormOp, shapes: Sequence[Shape]) -> list[Shape]:
    _check_params(op, shapes, ("gamma", "beta", "moving_mean", "moving_var"))
    return [shapes[0]]


@reference.register(BatchNormOp)
def _batch_norm(
    op: BatchNormOp,
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    mean: np.ndarray,
    var: np.ndarray,
) -> np.ndarray:
    xa = x.astype(accumulator(x.dtype))
    std = np.sqrt(_per_channel(op, x, var) + op.float_attr("epsilon"))
    return _scale_shift(op, (xa - _per_channel(op, x, mean)) / std, x, gamma, beta)


class StatsNormBase(ChannelNormBase):
    """Normalised by the mean and (population) variance of the data over `reduced_axes`."""

    epsilon = prop_def(FloatAttr[Float64Type], default_value=f64(1e-5))
    center = prop_def(BoolAttr, default_value=TRUE)
    scale = prop_def(BoolAttr, default_value=TRUE)

    def reduced_axes(self, rank: int) -> tuple[int, ...]:
        raise NotImplementedError


@irdl_op_definition
class LayerNormOp(StatsNormBase):
    """(x - mean) / sqrt(var + epsilon) * gamma + beta, mean and var over `axis` alone,
    gamma and beta of shape (data.shape[axis],) (TVM's layer_norm). ONNX LayerNormalization
    normalises over every axis from `axis` to the last: for axis = -1 (the usual case) it is
    this op; otherwise reshape the trailing axes into one first.
    """

    name = "nnvm.layer_norm"
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-1, 64))

    def reduced_axes(self, rank: int) -> tuple[int, ...]:
        return (normalize_axis(self.int_attr("axis"), rank),)


@irdl_op_definition
class InstanceNormOp(StatsNormBase):
    """(x - mean) / sqrt(var + epsilon) * gamma + beta, mean and var per instance and channel,
    over every axis but 0 (batch) and `axis` (channels); gamma and beta of shape
    (data.shape[axis],). ONNX InstanceNormalization is axis = 1."""

    name = "nnvm.instance_norm"
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))

    def reduced_axes(self, rank: int) -> tuple[int, ...]:
        axis = normalize_axis(self.int_attr("axis"), rank)
        return tuple(i for i in range(1, rank) if i != axis)


@shape_rule.register(StatsNormBase)
def _stats_norm_shape(op: StatsNormBase, shapes: Sequence[Shape]) -> list[Shape]:
    check_min_rank("data", shapes[0], 2 if isinstance(op, InstanceNormOp) else 1)
    _check_params(op, shapes, ("gamma", "beta"))
    return [shapes[0]]


@reference.register(StatsNormBase)
def _stats_norm(op: StatsNormBase, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray):  # type: ignore[no-untyped-def]
    xa = x.astype(accumulator(x.dtype))
    axes = op.reduced_axes(x.ndim)
    centred = xa - xa.mean(axis=axes, keepdims=True)
    var = (centred * centred).mean(axis=axes, keepdims=True)
    return _scale_shift(op, centred / np.sqrt(var + op.float_attr("epsilon")), x, gamma, beta)


@irdl_op_definition
class LrnOp(NnvmOp):
    """Local response normalisation across `axis`: out = x / (bias + alpha / size * S)^beta,
    S the sum of x^2 over the `size` neighbours on `axis` from c - (size - 1) // 2 to
    c + size // 2 (ONNX LRN's window; NNVM's size is odd, where both are centred)."""

    name = "nnvm.lrn"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    size = prop_def(IntegerAttr[I64])
    axis = prop_def(IntegerAttr[I64])
    alpha = prop_def(FloatAttr[Float64Type])
    beta = prop_def(FloatAttr[Float64Type])
    bias = prop_def(FloatAttr[Float64Type])

    def verify_attributes(self) -> None:
        if self.int_attr("size") < 1:
            raise ShapeError(f"size must be >= 1, got {self.int_attr('size')}")


@shape_rule.register(LrnOp)
def _lrn_shape(op: LrnOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is not None:
        check_min_rank("data", shapes[0], 1)
        normalize_axis(op.int_attr("axis"), len(shapes[0]))
    return [shapes[0]]


@reference.register(LrnOp)
def _lrn(op: LrnOp, x: np.ndarray) -> np.ndarray:
    axis, size = normalize_axis(op.int_attr("axis"), x.ndim), op.int_attr("size")
    xa = np.moveaxis(x.astype(accumulator(x.dtype)), axis, 0)
    before, after = (size - 1) // 2, size // 2
    padded = np.pad(xa * xa, [(before, after)] + [(0, 0)] * (x.ndim - 1))
    total = sum(padded[i : i + xa.shape[0]] for i in range(size))
    alpha, beta, bias = (op.float_attr(a) for a in ("alpha", "beta", "bias"))
    y = xa / (bias + alpha / size * total) ** beta
    return np.moveaxis(y, 0, axis).astype(x.dtype)


@irdl_op_definition
class L2NormalizeOp(NnvmOp):
    """x / sqrt(max(sum of x^2 over `axis`, eps)); an empty `axis` is every axis (TOPI)."""

    name = "nnvm.l2_normalize"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    eps = prop_def(FloatAttr[Float64Type])
    axis = prop_def(DenseArrayBase)

    def verify_attributes(self) -> None:
        axes = self.ints_attr("axis")
        if len(set(axes)) != len(axes):
            raise ShapeError(f"axis must not repeat an axis, got {list(axes)}")

    def axes(self, rank: int) -> tuple[int, ...]:
        axes = tuple(normalize_axis(a, rank) for a in self.ints_attr("axis"))
        if len(set(axes)) != len(axes):
            raise ShapeError(f"axis {list(self.ints_attr('axis'))} names an axis twice")
        return axes or tuple(range(rank))


@shape_rule.register(L2NormalizeOp)
def _l2_normalize_shape(op: L2NormalizeOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is not None:
        op.axes(len(shapes[0]))
    return [shapes[0]]


@reference.register(L2NormalizeOp)
def _l2_normalize(op: L2NormalizeOp, x: np.ndarray) -> np.ndarray:
    xa = x.astype(accumulator(x.dtype))
    total = (xa * xa).sum(axis=op.axes(x.ndim), keepdims=True)
    return (xa / np.sqrt(np.maximum(total, op.float_attr("eps")))).astype(x.dtype)


pattern_kind.register(BatchNormOp)(OpPattern.BROADCAST)
pattern_kind.register(StatsNormBase, LrnOp)(OpPattern.OPAQUE)
pattern_kind.register(L2NormalizeOp)(OpPattern.OUT_ELEMWISE_FUSABLE)
inplace_option.register(BatchNormOp)(((0, 0),))
dtypes.register(BatchNormOp, StatsNormBase, LrnOp, L2NormalizeOp)(FLOAT_DTYPES)
for _op, _onnx in [
    (BatchNormOp, "BatchNormalization (inference)"),
    (LayerNormOp, "LayerNormalization (axis = -1; opset >= 17)"),
    (InstanceNormOp, "InstanceNormalization"),
    (LrnOp, "LRN (channel axis 1)"),
    (L2NormalizeOp, "LpNormalization (p = 2, one axis, no eps)"),
]:
    onnx_equivalent.register(_op)(_onnx)

NORM_OPS = [BatchNormOp, LayerNormOp, InstanceNormOp, LrnOp, L2NormalizeOp]


# Examples: random valid instances for the generic rules-against-semantics test.


@example.register(BatchNormOp)
def _batch_norm_example(rng: np.random.Generator) -> Example:
    dtype = pick(rng, FLOATS)
    shape = random_shape(rng, 1, 4)
    axis = rand_int(rng, -len(shape), len(shape) - 1)
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
        "center": BoolAttr.from_bool(rand_bool(rng)),
        "scale": BoolAttr.from_bool(rand_bool(rng)),
    }
    return Example(operands, props)


@example.register(StatsNormBase)
def _stats_norm_example(rng: np.random.Generator) -> Example:
    dtype = pick(rng, FLOATS)
    shape = random_shape(rng, 2, 4)
    axis = rand_int(rng, -len(shape), len(shape) - 1)
    c = shape[axis]
    operands = [random_array(rng, shape, dtype), *(random_array(rng, (c,), dtype) for _ in "gb")]
    props: dict[str, Attribute] = {
        "axis": IntegerAttr(axis, 64),
        "epsilon": f64(float(10 ** rng.uniform(-6, -1))),
        "center": BoolAttr.from_bool(rand_bool(rng)),
        "scale": BoolAttr.from_bool(rand_bool(rng)),
    }
    return Example(operands, props)


@example.register(LrnOp)
def _lrn_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    props: dict[str, Attribute] = {
        "size": IntegerAttr(rand_int(rng, 1, 5), 64),
        "axis": IntegerAttr(rand_int(rng, -len(shape), len(shape) - 1), 64),
        "alpha": f64(float(rng.uniform(1e-4, 1.0))),
        "beta": f64(float(rng.uniform(0.5, 1.0))),
        "bias": f64(float(rng.uniform(0.5, 2.0))),
    }
    return Example([random_array(rng, shape, pick(rng, FLOATS))], props)


@example.register(L2NormalizeOp)
def _l2_normalize_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    axes = [a for a in range(len(shape)) if rand_bool(rng)]
    axes = [a - len(shape) if rand_bool(rng) else a for a in axes]
    props: dict[str, Attribute] = {
        "eps": f64(float(10 ** rng.uniform(-12, -1))),
        "axis": ints(*axes),
    }
    return Example([random_array(rng, shape, pick(rng, FLOATS))], props)
