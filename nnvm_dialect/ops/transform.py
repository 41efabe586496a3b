"""Ops that move elements without computing on them (NNVM level 1 injective ops)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    var_operand_def,
    var_result_def,
)

from nnvm_dialect.facts import (
    Example,
    OpPattern,
    Shape,
    ShapeError,
    example,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import random_array, random_shape
from nnvm_dialect.ops.nn import ints, normalize_axis


@irdl_op_definition
class FlattenOp(NnvmOp):
    """(d0, d1, ..., dk) -> (d0, d1 * ... * dk)."""

    name = "nnvm.flatten"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(FlattenOp)
def _flatten_shape(op: FlattenOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [(None, None)]
    if not data:
        raise ShapeError("data must have rank >= 1, got a scalar")
    rest = data[1:]
    return [(data[0], None if None in rest else math.prod(d for d in rest if d is not None))]


@reference.register(FlattenOp)
def _flatten(op: FlattenOp, x: np.ndarray) -> np.ndarray:
    return x.reshape(x.shape[0], -1)


@irdl_op_definition
class ConcatenateOp(NnvmOp):
    """Joins its operands along `axis`; every other dim must agree."""

    name = "nnvm.concatenate"
    data = var_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))


@shape_rule.register(ConcatenateOp)
def _concatenate_shape(op: ConcatenateOp, shapes: Sequence[Shape]) -> list[Shape]:
    if not shapes:
        raise ShapeError("needs at least one operand")
    ranked = [s for s in shapes if s is not None]
    if not ranked:
        return [None]
    rank = len(ranked[0])
    for s in ranked:
        if len(s) != rank:
            listing = ", ".join(format_shape(s) for s in ranked)
            raise ShapeError(f"operands must have one rank, got {listing}")
    axis = normalize_axis(op.int_attr("axis"), rank)
    out: list[int | None] = []
    for i in range(rank):
        dims = [s[i] for s in ranked]
        if i == axis:
            total = None if None in dims or len(ranked) < len(shapes) else sum(dims)  # type: ignore[arg-type]
            out.append(total)
            continue
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            listing = ", ".join(format_shape(s) for s in ranked)
            raise ShapeError(f"operands differ in dim {i} (not the axis {axis}): {listing}")
        out.append(known.pop() if known else None)
    return [tuple(out)]


@reference.register(ConcatenateOp)
def _concatenate(op: ConcatenateOp, *xs: np.ndarray) -> np.ndarray:
    return np.concatenate(xs, axis=op.int_attr("axis"))


@irdl_op_definition
class ExpandDimsOp(NnvmOp):
    """Inserts num_newaxis dims of size 1 before position `axis` (negative counts from ndim+1)."""

    name = "nnvm.expand_dims"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64])
    num_newaxis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))

    def verify_attributes(self) -> None:
        if self.int_attr("num_newaxis") < 1:
            raise ShapeError(f"num_newaxis must be >= 1, got {self.int_attr('num_newaxis')}")

    def position(self, rank: int) -> int:
        return normalize_axis(self.int_attr("axis"), rank + 1)


@shape_rule.register(ExpandDimsOp)
def _expand_dims_shape(op: ExpandDimsOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [None]
    axis = op.position(len(data))
    return [(*data[:axis], *([1] * op.int_attr("num_newaxis")), *data[axis:])]


@reference.register(ExpandDimsOp)
def _expand_dims(op: ExpandDimsOp, x: np.ndarray) -> np.ndarray:
    axis = op.position(x.ndim)
    return x.reshape(*x.shape[:axis], *([1] * op.int_attr("num_newaxis")), *x.shape[axis:])


@irdl_op_definition
class SplitOp(NnvmOp):
    """Splits along `axis`: an integer `indices_or_sections` gives that many equal parts, an
    array gives the split points."""

    name = "nnvm.split"
    data = operand_def(AnyTensor)
    outs = var_result_def(AnyTensor)
    indices_or_sections = prop_def(IntegerAttr[I64] | DenseArrayBase)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, 64))

    def split_points(self, dim: int | None) -> list[int] | None:
        """Start offsets of the parts after the first; None when `dim` is needed but unknown."""
        spec = self.properties["indices_or_sections"]
        if isinstance(spec, DenseArrayBase):
            return self.ints_attr("indices_or_sections")  # type: ignore[return-value]
        sections = self.int_attr("indices_or_sections")
        if dim is None:
            return None
        if dim % sections:
            raise ShapeError(f"dim {dim} of the axis cannot be split into {sections} equal parts")
        return [dim // sections * k for k in range(1, sections)]

    def num_parts(self) -> int:
        spec = self.properties["indices_or_sections"]
        if isinstance(spec, DenseArrayBase):
            return len(spec) + 1
        return self.int_attr("indices_or_sections")

    def verify_attributes(self) -> None:
        spec = self.properties["indices_or_sections"]
        if isinstance(spec, DenseArrayBase):
            points = list(self.ints_attr("indices_or_sections"))
            if any(b <= a for a, b in zip(points, points[1:])) or (points and points[0] <= 0):
                raise ShapeError(f"split points must be positive and increasing, got {points}")
        elif self.int_attr("indices_or_sections") < 1:
            raise ShapeError("the number of sections must be >= 1")
        if self.num_parts() != len(self.results):
            raise ShapeError(
                f"indices_or_sections gives {self.num_parts()} parts but the op has "
                f"{len(self.results)} results"
            )


@shape_rule.register(SplitOp)
def _split_shape(op: SplitOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, parts = shapes[0], op.num_parts()
    if data is None:
        return [None] * parts
    axis = normalize_axis(op.int_attr("axis"), len(data), "axis")
    points = op.split_points(data[axis])
    if points is None:
        return [data] * parts if parts == 1 else [(*data[:axis], None, *data[axis + 1 :])] * parts
    if data[axis] is not None and points and points[-1] >= data[axis]:
        raise ShapeError(f"split point {points[-1]} is not inside dim {data[axis]} of the axis")
    bounds = [0, *points, data[axis]]
    return [
        (*data[:axis], None if hi is None else hi - lo, *data[axis + 1 :])
        for lo, hi in zip(bounds, bounds[1:])
    ]


@reference.register(SplitOp)
def _split(op: SplitOp, x: np.ndarray) -> tuple[np.ndarray, ...]:
    axis = normalize_axis(op.int_attr("axis"), x.ndim)
    points = op.split_points(x.shape[axis])
    assert points is not None
    return tuple(np.split(x, points, axis=axis))


TRANSFORM_OPS = [FlattenOp, ConcatenateOp, ExpandDimsOp, SplitOp]
pattern_kind.register(*TRANSFORM_OPS)(OpPattern.INJECTIVE)


# Examples: random valid instances for the generic rules-against-semantics test.

EXAMPLE_DTYPES = (np.float32, np.float64, np.int32, np.int8)


def _pick(rng: np.random.Generator, choices: Sequence[Any]) -> Any:
    return choices[int(rng.integers(len(choices)))]


def _int(rng: np.random.Generator, low: int, high: int) -> int:
    """A random integer in [low, high]."""
    return int(rng.integers(low, high + 1))


@example.register(FlattenOp)
def _flatten_example(rng: np.random.Generator) -> Example:
    return Example([random_array(rng, random_shape(rng, 1, 4), _pick(rng, EXAMPLE_DTYPES))])


@example.register(ConcatenateOp)
def _concatenate_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, EXAMPLE_DTYPES)
    shape = random_shape(rng, 1, 3)
    axis = _int(rng, -len(shape), len(shape) - 1)
    operands = []
    for _ in range(_int(rng, 1, 4)):
        part = list(shape)
        part[axis] = _int(rng, 1, 4)
        operands.append(random_array(rng, part, dtype))
    return Example(operands, {"axis": IntegerAttr(axis, 64)})


@example.register(ExpandDimsOp)
def _expand_dims_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 0, 3)
    x = random_array(rng, shape, _pick(rng, EXAMPLE_DTYPES))
    props = {
        "axis": IntegerAttr(_int(rng, -len(shape) - 1, len(shape)), 64),
        "num_newaxis": IntegerAttr(_int(rng, 1, 3), 64),
    }
    return Example([x], props)


@example.register(SplitOp)
def _split_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, EXAMPLE_DTYPES)
    shape = list(random_shape(rng, 1, 3, high=4))
    axis = _int(rng, -len(shape), len(shape) - 1)
    spec: IntegerAttr | DenseArrayBase
    if rng.integers(0, 2):
        sections = _int(rng, 1, 4)
        shape[axis] = sections * _int(rng, 1, 3)
        spec, parts = IntegerAttr(sections, 64), sections
    else:
        shape[axis] = _int(rng, 1, 8)
        count = _int(rng, 0, shape[axis] - 1)
        points = sorted(int(p) for p in rng.choice(np.arange(1, shape[axis]), count, False))
        spec, parts = ints(*points), count + 1
    props = {"indices_or_sections": spec, "axis": IntegerAttr(axis, 64)}
    return Example([random_array(rng, shape, dtype)], props, num_results=parts)
