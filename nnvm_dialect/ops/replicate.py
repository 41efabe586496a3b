"""Ops that copy along axes (broadcast_to, repeat, tile, stack) and collapse_sum, the sum that
undoes a broadcast (NNVM levels 3 and 4)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    var_operand_def,
)

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
from nnvm_dialect.ops.elemwise import NUMBER_DTYPES, random_array, random_shape
from nnvm_dialect.ops.nn import accumulator, ints, normalize_axis
from nnvm_dialect.ops.transform import MOVE_DTYPES, _int, _move_dtype, _pick


@irdl_op_definition
class BroadcastToOp(NnvmOp):
    """Broadcasts to `shape`, numpy's way; a 0 entry keeps the input dim."""

    name = "nnvm.broadcast_to"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    shape = prop_def(DenseArrayBase, default_value=ints())

    def verify_attributes(self) -> None:
        if any(d < 0 for d in self.ints_attr("shape")):
            raise ShapeError(
                f"attribute 'shape' has a negative dim: {list(self.ints_attr('shape'))}"
            )


def broadcast_to_shape(data: Sequence[int | None], target: Sequence[int]) -> tuple[int | None, ...]:
    if len(target) < len(data):
        raise ShapeError(
            f"attribute 'shape' has rank {len(target)}, less than the input's "
            f"{len(data)} (shape {format_shape(tuple(data))})"
        )
    lead = len(target) - len(data)
    out: list[int | None] = list(target[:lead])
    if 0 in out:
        raise ShapeError("attribute 'shape': a 0 (keep) entry must face an input dim")
    for d, t in zip(data, target[lead:]):
        if t == 0:
            out.append(d)
        elif d not in (None, 1, t):
            raise ShapeError(
                f"attribute 'shape' {list(target)} does not broadcast from "
                f"{format_shape(tuple(data))}: dim {d} is neither 1 nor {t}"
            )
        else:
            out.append(t)
    return tuple(out)


@shape_rule.register(BroadcastToOp)
def _broadcast_to_shape(op: BroadcastToOp, shapes: Sequence[Shape]) -> list[Shape]:
    target = op.ints_attr("shape")
    if shapes[0] is None:
        return [None if 0 in target else tuple(target)]
    return [broadcast_to_shape(shapes[0], target)]


@reference.register(BroadcastToOp)
def _broadcast_to(op: BroadcastToOp, x: np.ndarray) -> np.ndarray:
    shape = broadcast_to_shape(x.shape, op.ints_attr("shape"))
    return np.broadcast_to(x, shape).copy()  # type: ignore[arg-type]


@irdl_op_definition
class RepeatOp(NnvmOp):
    """Repeats each element `repeats` times along `axis` (numpy's repeat)."""

    name = "nnvm.repeat"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    repeats = prop_def(IntegerAttr[I64])
    axis = prop_def(IntegerAttr[I64])

    def verify_attributes(self) -> None:
        if self.int_attr("repeats") < 1:
            raise ShapeError(f"attribute 'repeats' must be >= 1, got {self.int_attr('repeats')}")


@shape_rule.register(RepeatOp)
def _repeat_shape(op: RepeatOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [None]
    axis = normalize_axis(op.int_attr("axis"), len(data), "attribute 'axis':")
    d = data[axis]
    return [(*data[:axis], None if d is None else d * op.int_attr("repeats"), *data[axis + 1 :])]


@reference.register(RepeatOp)
def _repeat(op: RepeatOp, x: np.ndarray) -> np.ndarray:
    return np.repeat(x, op.int_attr("repeats"), axis=normalize_axis(op.int_attr("axis"), x.ndim))


@irdl_op_definition
class TileOp(NnvmOp):
    """Tiles the input `reps` times per dim (numpy's tile: the shorter of reps and the shape
    is padded with leading 1s)."""

    name = "nnvm.tile"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    reps = prop_def(DenseArrayBase)

    def verify_attributes(self) -> None:
        reps = self.ints_attr("reps")
        if not reps or any(r < 1 for r in reps):
            raise ShapeError(f"attribute 'reps' must be one or more counts >= 1, got {list(reps)}")


@shape_rule.register(TileOp)
def _tile_shape(op: TileOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, reps = shapes[0], op.ints_attr("reps")
    if data is None:
        return [None]
    rank = max(len(data), len(reps))
    dims = (1,) * (rank - len(data)) + tuple(data)
    reps = (1,) * (rank - len(reps)) + tuple(reps)
    return [tuple(None if d is None else d * r for d, r in zip(dims, reps))]


@reference.register(TileOp)
def _tile(op: TileOp, x: np.ndarray) -> np.ndarray:
    return np.tile(x, op.ints_attr("reps"))


@irdl_op_definition
class StackOp(NnvmOp):
    """Joins same-shaped operands along a new dim at `axis`."""

    name = "nnvm.stack"
    data = var_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))


@shape_rule.register(StackOp)
def _stack_shape(op: StackOp, shapes: Sequence[Shape]) -> list[Shape]:
    if not shapes:
        raise ShapeError("needs at least one operand")
    ranked = [s for s in shapes if s is not None]
    if not ranked:
        return [None]
    if len({len(s) for s in ranked}) > 1:
        raise ShapeError(f"operands must have one rank, got {', '.join(map(format_shape, ranked))}")
    dims: list[int | None] = []
    for i in range(len(ranked[0])):
        known = {s[i] for s in ranked if s[i] is not None}
        if len(known) > 1:
            raise ShapeError(
                f"operands must have one shape, got {', '.join(map(format_shape, ranked))}"
            )
        dims.append(known.pop() if known else None)
    axis = normalize_axis(op.int_attr("axis"), len(dims) + 1, "attribute 'axis':")
    return [(*dims[:axis], len(shapes), *dims[axis:])]


@reference.register(StackOp)
def _stack(op: StackOp, *xs: np.ndarray) -> np.ndarray:
    return np.stack(xs, axis=normalize_axis(op.int_attr("axis"), xs[0].ndim + 1))


@irdl_op_definition
class CollapseSumOp(NnvmOp):
    """Sums `data` down to a shape it was broadcast from (for gradients of broadcasts): the
    shape of the second operand `like`, as NNVM has it, or the `shape` attribute."""

    name = "nnvm.collapse_sum"
    data = operand_def(AnyTensor)
    like = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    shape = opt_prop_def(DenseArrayBase)

    assembly_format = "$data (`,` $like^)? attr-dict `:` functional-type(operands, results)"

    def verify_attributes(self) -> None:
        has_shape = "shape" in self.properties
        if has_shape == (self.like is not None):
            raise ShapeError(
                "give the target shape either as a second operand or as attribute 'shape', "
                "not both or neither"
            )
        if has_shape and any(d < 1 for d in self.ints_attr("shape")):
            raise ShapeError(f"attribute 'shape' has a dim < 1: {list(self.ints_attr('shape'))}")


def collapse_axes(data: Sequence[int | None], target: Sequence[int | None]) -> tuple[int, ...]:
    """The axes of `data` summed to get `target`; a ShapeError if `target` does not broadcast
    to `data`."""
    if len(target) > len(data):
        raise ShapeError(
            f"target shape {format_shape(tuple(target))} has a higher rank than the data "
            f"{format_shape(tuple(data))}"
        )
    lead = len(data) - len(target)
    axes = list(range(lead))
    for i, (d, t) in enumerate(zip(data[lead:], target)):
        if t == 1 and d != 1:
            axes.append(lead + i)
        elif None not in (d, t) and d != t:
            raise ShapeError(
                f"target shape {format_shape(tuple(target))} does not broadcast to the data "
                f"shape {format_shape(tuple(data))}"
            )
    return tuple(axes)


def _collapse_target(op: CollapseSumOp, shapes: Sequence[Shape]) -> Shape:
    return op.ints_attr("shape") if "shape" in op.properties else shapes[1]


@shape_rule.register(CollapseSumOp)
def _collapse_sum_shape(op: CollapseSumOp, shapes: Sequence[Shape]) -> list[Shape]:
    target = _collapse_target(op, shapes)
    if target is not None and shapes[0] is not None:
        collapse_axes(shapes[0], target)
    return [target]


@type_rule.register(CollapseSumOp)
def _collapse_sum_type(op: CollapseSumOp, types: Sequence[DType]) -> list[DType]:
    return [types[0]]


@reference.register(CollapseSumOp)
def _collapse_sum(op: CollapseSumOp, x: np.ndarray, *like: np.ndarray) -> np.ndarray:
    target = tuple(_collapse_target(op, [x.shape, *(a.shape for a in like)]))  # type: ignore[arg-type]
    axes = collapse_axes(x.shape, target)
    summed = x.sum(axis=axes, dtype=accumulator(x.dtype), keepdims=True)
    return np.asarray(summed).reshape(target).astype(x.dtype)


REPLICATE_OPS = [BroadcastToOp, RepeatOp, TileOp, StackOp, CollapseSumOp]
pattern_kind.register(RepeatOp, TileOp, StackOp)(OpPattern.INJECTIVE)
pattern_kind.register(BroadcastToOp)(OpPattern.BROADCAST)
pattern_kind.register(CollapseSumOp)(OpPattern.COMM_REDUCE)
dtypes.register(BroadcastToOp, RepeatOp, TileOp, StackOp)(MOVE_DTYPES)
dtypes.register(CollapseSumOp)(NUMBER_DTYPES)
for _op, _onnx in (
    (BroadcastToOp, "Expand"),
    (RepeatOp, "Tile of an Unsqueezed axis, then Reshape"),
    (TileOp, "Tile"),
    (StackOp, "Unsqueeze each, then Concat"),
    (CollapseSumOp, "ReduceSum (keepdims=1) over the broadcast axes, then Reshape"),
):
    onnx_equivalent.register(_op)(_onnx)


# Examples: random valid instances for the generic rules-against-semantics test.


@example.register(BroadcastToOp)
def _broadcast_to_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 0, 3)
    target = [_int(rng, 1, 4) if d == 1 else _pick(rng, (d, 0)) for d in shape]
    target = [_int(rng, 1, 3) for _ in range(_int(rng, 0, 2))] + target
    return Example([random_array(rng, shape, _move_dtype(rng))], {"shape": ints(*target)})


@example.register(RepeatOp)
def _repeat_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    props = {
        "repeats": IntegerAttr(_int(rng, 1, 3), 64),
        "axis": IntegerAttr(_int(rng, -len(shape), len(shape) - 1), 64),
    }
    return Example([random_array(rng, shape, _move_dtype(rng))], props)


@example.register(TileOp)
def _tile_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 0, 3, high=4)
    reps = [_int(rng, 1, 3) for _ in range(_int(rng, 1, 4))]
    return Example([random_array(rng, shape, _move_dtype(rng))], {"reps": ints(*reps)})


@example.register(StackOp)
def _stack_example(rng: np.random.Generator) -> Example:
    shape, dtype = random_shape(rng, 0, 3), _move_dtype(rng)
    xs = [random_array(rng, shape, dtype) for _ in range(_int(rng, 1, 4))]
    return Example(xs, {"axis": IntegerAttr(_int(rng, -len(shape) - 1, len(shape)), 64)})


@example.register(CollapseSumOp)
def _collapse_sum_example(rng: np.random.Generator) -> Example:
    target = random_shape(rng, 0, 3)
    kept = [1 if rng.integers(0, 3) == 0 else d for d in target]
    data = random_shape(rng, 0, 2) + tuple(
        _int(rng, 2, 4) if k == 1 and rng.integers(0, 2) else d for k, d in zip(kept, target)
    )
    target = tuple(kept)
    dtype = _pick(rng, NUMBER_DTYPES)
    x = random_array(rng, data, dtype)
    if rng.integers(0, 2):
        return Example([x, random_array(rng, target, dtype)])
    return Example([x], {"shape": ints(*target)})
