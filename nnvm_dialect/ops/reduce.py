"""Reductions (NNVM level 4): sum, mean, max, min, prod, argmax, argmin.

NNVM's ReduceParam: `axis` (the axes to reduce; empty means all of them, negatives count from
the end), `keepdims` (reduced axes stay as size 1), `exclude` (reduce every axis *not* listed).
When every axis is reduced the result is (1,) without keepdims, as in NNVM (not a scalar); when
none is (exclude with every axis listed) the op is the identity.

Sums, means and products accumulate in float64 (int64 for integers) and round to the operand's
dtype; an integer mean truncates toward zero, by the rule of `ops/elemwise.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import BoolAttr, DenseArrayBase, Float32Type, IntegerType, i32
from xdsl.ir import Attribute, TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.dtypes import to_numpy
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
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import (
    B1,
    NUMBER_DTYPES,
    WIDE_DTYPES,
    check_dtypes,
    checked_same_type,
    divide,
    random_array,
)
from nnvm_dialect.ops.nn import FALSE, TRUE, accumulator, ints, normalize_axis


class ReduceOp(NnvmOp):
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(DenseArrayBase, default_value=ints())
    keepdims = prop_def(BoolAttr, default_value=FALSE)
    exclude = prop_def(BoolAttr, default_value=FALSE)

    def verify_attributes(self) -> None:
        listed = self.ints_attr("axis")
        if len(set(listed)) != len(listed):
            raise ShapeError(f"axis lists a dim twice: {list(listed)}")

    def reduced_axes(self, rank: int) -> tuple[int, ...]:
        """The axes reduced on an operand of this rank, sorted."""
        listed = self.ints_attr("axis")
        if not listed:
            return tuple(range(rank))
        axes = sorted(normalize_axis(a, rank) for a in listed)
        for a, b in zip(axes, axes[1:]):
            if a == b:
                raise ShapeError(f"axis lists dim {a} twice: {list(listed)} for rank {rank}")
        if self.bool_attr("exclude"):
            return tuple(a for a in range(rank) if a not in axes)
        return tuple(axes)

    def reduced_shape(self, shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        axes, keep = self.reduced_axes(len(shape)), self.bool_attr("keepdims")
        if len(axes) == len(shape):
            return (1,) * len(shape) if keep else (1,)
        if keep:
            return tuple(1 if i in axes else d for i, d in enumerate(shape))
        return tuple(d for i, d in enumerate(shape) if i not in axes)

    def reduce(self, f: Callable[..., np.ndarray], x: np.ndarray) -> np.ndarray:
        """f(x, axis=...) reshaped to NNVM's result shape."""
        axes = self.reduced_axes(x.ndim)
        return np.asarray(f(x, axis=axes)).reshape(self.reduced_shape(x.shape))


@irdl_op_definition
class SumOp(ReduceOp):
    name = "nnvm.sum"


@irdl_op_definition
class MeanOp(ReduceOp):
    """sum / number of reduced elements; integers truncate toward zero."""

    name = "nnvm.mean"


@irdl_op_definition
class MaxOp(ReduceOp):
    name = "nnvm.max"


@irdl_op_definition
class MinOp(ReduceOp):
    name = "nnvm.min"


@irdl_op_definition
class ProdOp(ReduceOp):
    name = "nnvm.prod"


class ArgReduceOp(ReduceOp):
    """The index of the extreme element, in the reduced axes taken together in row-major order
    (for one axis, the index along it); the first one on ties. The result has element type
    `dtype` (NNVM's default int32; a float type holds the index as a float)."""

    dtype = prop_def(TypeAttribute, default_value=i32)

    def verify_attributes(self) -> None:
        super().verify_attributes()
        dtype = self.properties["dtype"]
        try:
            kind = to_numpy(dtype).kind
        except ValueError:
            kind = ""
        if kind not in ("i", "u", "f"):
            raise ShapeError(f"dtype must be an integer or float type to hold indices, got {dtype}")


@irdl_op_definition
class ArgmaxOp(ArgReduceOp):
    name = "nnvm.argmax"


@irdl_op_definition
class ArgminOp(ArgReduceOp):
    name = "nnvm.argmin"


@shape_rule.register(ReduceOp)
def _reduce_shape(op: ReduceOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [None]
    return [op.reduced_shape(data)]


type_rule.register(ReduceOp)(checked_same_type)


@type_rule.register(ArgReduceOp)
def _arg_type(op: ArgReduceOp, types: Sequence[DType]) -> list[DType]:
    check_dtypes(op, types)
    return [op.properties["dtype"]]


def _accumulated(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def semantics(op: ReduceOp, x: np.ndarray) -> np.ndarray:
        return op.reduce(f, x.astype(accumulator(x.dtype))).astype(x.dtype)

    return semantics


@reference.register(MeanOp)
def _mean(op: MeanOp, x: np.ndarray) -> np.ndarray:
    acc = x.astype(accumulator(x.dtype))
    count = math.prod(x.shape[a] for a in op.reduced_axes(x.ndim))
    total = op.reduce(np.sum, acc)
    return np.asarray(divide(total, np.asarray(count, acc.dtype))).astype(x.dtype)


def _extreme(f: Callable[..., np.ndarray], kind: str) -> Callable[..., np.ndarray]:
    """max (min) of an empty set is the dtype's lowest (highest) value, as in ONNX's ReduceMax
    (ReduceMin): the identity of the reduction."""

    def semantics(op: ReduceOp, x: np.ndarray) -> np.ndarray:
        if x.size:
            return op.reduce(f, x)
        start = extreme_identity(kind, x.dtype)
        return op.reduce(lambda v, axis: f(v, axis=axis, initial=start), x)

    return semantics


def extreme_identity(kind: str, dtype: np.dtype) -> float | int | bool:
    """The identity of max (min): the dtype's lowest (highest) value; False (True) for bool."""
    if dtype.kind == "b":
        return kind == "min"
    if dtype.kind == "f":
        return -np.inf if kind == "max" else np.inf
    info = np.iinfo(dtype)
    return info.min if kind == "max" else info.max


def _arg(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def semantics(op: ArgReduceOp, x: np.ndarray) -> np.ndarray:
        axes = op.reduced_axes(x.ndim)
        kept = [a for a in range(x.ndim) if a not in axes]
        moved = x.transpose([*kept, *axes]).reshape(*(x.shape[a] for a in kept), -1)
        index = f(moved, axis=-1).reshape(op.reduced_shape(x.shape))
        return index.astype(to_numpy(op.properties["dtype"]))

    return semantics


reference.register(SumOp)(_accumulated(np.sum))
reference.register(ProdOp)(_accumulated(np.prod))
reference.register(MaxOp)(_extreme(np.max, "max"))
reference.register(MinOp)(_extreme(np.min, "min"))
reference.register(ArgmaxOp)(_arg(np.argmax))
reference.register(ArgminOp)(_arg(np.argmin))

pattern_kind.register(ReduceOp)(OpPattern.COMM_REDUCE)
dtypes.register(ReduceOp)(NUMBER_DTYPES)
# max and min compare without arithmetic: exact on every integer dtype, and on bool (any, all).
EXTREME_DTYPES = (*WIDE_DTYPES, B1)
dtypes.register(MaxOp, MinOp)(EXTREME_DTYPES)
for _op, _onnx in [
    (SumOp, "ReduceSum"),
    (MeanOp, "ReduceMean"),
    (MaxOp, "ReduceMax"),
    (MinOp, "ReduceMin"),
    (ProdOp, "ReduceProd"),
    (ArgmaxOp, "ArgMax (one axis; select_last_index=0)"),
    (ArgminOp, "ArgMin (one axis; select_last_index=0)"),
]:
    onnx_equivalent.register(_op)(_onnx)

REDUCE_OPS = [SumOp, MeanOp, MaxOp, MinOp, ProdOp, ArgmaxOp, ArgminOp]


# Examples: random valid instances for the generic rules-against-semantics test.


def random_reduce_attrs(
    rng: np.random.Generator, rank: int
) -> dict[str, DenseArrayBase | BoolAttr]:
    """axis (empty, or distinct axes, some negative), keepdims and exclude."""
    count = int(rng.integers(0, rank + 1))
    axes = [int(a) for a in rng.choice(rank, count, replace=False)] if count else []
    axes = [a - rank if rng.random() < 0.3 else a for a in axes]
    props: dict[str, Attribute] = {"axis": ints(*axes)}
    for name in ("keepdims", "exclude"):
        if rng.random() < 0.5:
            props[name] = TRUE if rng.random() < 0.5 else FALSE
    return props


def _example(
    low: float, high: float, types: Sequence[np.dtype] = NUMBER_DTYPES
) -> Callable[[np.random.Generator], Example]:
    def make(rng: np.random.Generator) -> Example:
        dtype = types[int(rng.integers(len(types)))]
        rank = int(rng.integers(0, 5))
        shape = tuple(int(d) for d in rng.integers(1, 5, rank))
        x = random_array(rng, shape, dtype, low, high)
        return Example([x], random_reduce_attrs(rng, rank))

    return make


INDEX_TYPES = (i32, IntegerType(64), Float32Type())


def _arg_example(rng: np.random.Generator) -> Example:
    ex = _example(-10, 10)(rng)
    ex.properties["dtype"] = INDEX_TYPES[int(rng.integers(len(INDEX_TYPES)))]
    return ex


for _op, _make in [
    (SumOp, _example(-10, 10)),
    (MeanOp, _example(-10, 10)),
    (MaxOp, _example(-10, 10, EXTREME_DTYPES)),
    (MinOp, _example(-10, 10, EXTREME_DTYPES)),
    (ProdOp, _example(-1.5, 1.5)),
    (ArgmaxOp, _arg_example),
    (ArgminOp, _arg_example),
]:
    example.register(_op)(_make)
