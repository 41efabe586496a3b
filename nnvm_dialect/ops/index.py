"""Ops that select elements by index or condition: take, strided_slice, slice_like, where,
one_hot, flip (NNVM levels 1, 3 and 4)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    i32,
    i64,
)
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def

from nnvm_dialect.dtypes import from_numpy, to_numpy
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
from nnvm_dialect.ops.nn import f64, ints, normalize_axis
from nnvm_dialect.ops.transform import BITS_DTYPES, MOVE_DTYPES, _int, _move_dtype, _pick

INDEX_TYPES = (i32, i64)
TAKE_MODES = ("clip", "wrap")


def check_indices_type(what: str, t: DType) -> None:
    if t is not None and t not in INDEX_TYPES:
        raise ShapeError(f"{what} must be i32 or i64, got {t}")


@irdl_op_definition
class TakeOp(NnvmOp):
    """Gathers `data` at `indices` along `axis` (of the flattened data if `axis` is absent).

    Out-of-range indices follow `mode`: "clip" (the default, TVM's) clamps them into
    [0, dim - 1], so -1 reads element 0; "wrap" takes them modulo dim, so -1 is the last.
    """

    name = "nnvm.take"
    data = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = opt_prop_def(IntegerAttr[I64])
    mode = prop_def(StringAttr, default_value=StringAttr("clip"))

    def verify_attributes(self) -> None:
        if self.str_attr("mode") not in TAKE_MODES:
            raise ShapeError(
                f"attribute 'mode' must be one of {', '.join(TAKE_MODES)}, got "
                f"'{self.str_attr('mode')}'"
            )


@shape_rule.register(TakeOp)
def _take_shape(op: TakeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, indices = shapes
    if "axis" not in op.properties:
        return [indices]
    if data is None or indices is None:
        return [None]
    axis = normalize_axis(op.int_attr("axis"), len(data), "attribute 'axis':")
    return [(*data[:axis], *indices, *data[axis + 1 :])]


@type_rule.register(TakeOp)
def _take_type(op: TakeOp, types: Sequence[DType]) -> list[DType]:
    check_indices_type("indices", types[1])
    return [types[0]]


@reference.register(TakeOp)
def _take(op: TakeOp, x: np.ndarray, indices: np.ndarray) -> np.ndarray:
    axis = None
    if "axis" in op.properties:
        axis = normalize_axis(op.int_attr("axis"), x.ndim)
    size = x.size if axis is None else x.shape[axis]
    if size == 0:
        raise ShapeError("cannot take from an empty axis")
    mode = op.str_attr("mode")
    idx = np.clip(indices, 0, size - 1) if mode == "clip" else np.mod(indices, size)
    return np.asarray(np.take(x, idx, axis=axis))


@irdl_op_definition
class StridedSliceOp(NnvmOp):
    """x[begin:end:stride] per axis, NNVM's way: missing trailing entries mean the whole axis,
    negative begin/end count from the end, both are clamped into the axis, and the slice must
    not be empty."""

    name = "nnvm.strided_slice"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    begin = prop_def(DenseArrayBase)
    end = prop_def(DenseArrayBase)
    stride = prop_def(DenseArrayBase, default_value=ints())

    def verify_attributes(self) -> None:
        if 0 in self.ints_attr("stride"):
            raise ShapeError(f"attribute 'stride' has a 0: {list(self.ints_attr('stride'))}")

    def ranges(self, shape: Sequence[int | None]) -> list[tuple[int, int, int] | None]:
        """(begin, end, stride) per axis, clamped; None where the dim is unknown."""
        begin, end, stride = (self.ints_attr(n) for n in ("begin", "end", "stride"))
        for what, values in (("begin", begin), ("end", end), ("stride", stride)):
            if len(values) > len(shape):
                raise ShapeError(
                    f"attribute '{what}' has {len(values)} entries for rank {len(shape)}"
                )
        out: list[tuple[int, int, int] | None] = []
        for i, dim in enumerate(shape):
            s = stride[i] if i < len(stride) else 1
            if dim is None:
                out.append(None)
                continue
            b = begin[i] if i < len(begin) else (0 if s > 0 else dim - 1)
            e = end[i] if i < len(end) else (dim if s > 0 else -1 - dim)
            b, e = (b + dim if b < 0 else b), (e + dim if e < 0 else e)
            lo, hi = (0, dim) if s > 0 else (-1, dim - 1)
            b, e = min(max(b, lo), hi), min(max(e, lo), hi)
            if (e - b) * s <= 0:
                raise ShapeError(
                    f"attributes 'begin', 'end', 'stride' select nothing on axis {i} "
                    f"(dim {dim}: {b} to {e} by {s})"
                )
            out.append((b, e, s))
        return out


@shape_rule.register(StridedSliceOp)
def _strided_slice_shape(op: StridedSliceOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [None]
    ranges = op.ranges(data)
    return [tuple(None if r is None else math.ceil(abs(r[1] - r[0]) / abs(r[2])) for r in ranges)]


@reference.register(StridedSliceOp)
def _strided_slice(op: StridedSliceOp, x: np.ndarray) -> np.ndarray:
    ranges = op.ranges(x.shape)
    index = tuple(np.arange(*r) for r in ranges if r is not None)
    return x[np.ix_(*index)] if index else x.copy()


@irdl_op_definition
class SliceLikeOp(NnvmOp):
    """Crops `data` (from 0) to the dims of `shape_like` on `axis` (every shared axis if empty)."""

    name = "nnvm.slice_like"
    data = operand_def(AnyTensor)
    shape_like = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(DenseArrayBase, default_value=ints())

    def axes(self, rank: int, like_rank: int) -> list[int]:
        axes = self.ints_attr("axis")
        if not axes:
            return list(range(min(rank, like_rank)))
        out = []
        for a in axes:
            a = normalize_axis(a, rank, "attribute 'axis':")
            if a >= like_rank:
                raise ShapeError(f"attribute 'axis': {a} is not an axis of shape_like")
            out.append(a)
        return out


@shape_rule.register(SliceLikeOp)
def _slice_like_shape(op: SliceLikeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, like = shapes
    if data is None or like is None:
        return [None]
    out = list(data)
    for a in op.axes(len(data), len(like)):
        if None not in (data[a], like[a]) and like[a] > data[a]:  # type: ignore[operator]
            raise ShapeError(
                f"shape_like dim {a} is {like[a]}, larger than the data's {data[a]} "
                f"(shapes {format_shape(data)} and {format_shape(like)})"
            )
        out[a] = like[a]
    return [tuple(out)]


@type_rule.register(SliceLikeOp)
def _slice_like_type(op: SliceLikeOp, types: Sequence[DType]) -> list[DType]:
    return [types[0]]


@reference.register(SliceLikeOp)
def _slice_like(op: SliceLikeOp, x: np.ndarray, like: np.ndarray) -> np.ndarray:
    index = [slice(None)] * x.ndim
    for a in op.axes(x.ndim, like.ndim):
        index[a] = slice(0, like.shape[a])
    return x[tuple(index)].copy()


@irdl_op_definition
class WhereOp(NnvmOp):
    """condition ? x : y, elementwise; a 1-D condition of length x.shape[0] picks whole rows.
    Any nonzero condition is true."""

    name = "nnvm.where"
    condition = operand_def(AnyTensor)
    x = operand_def(AnyTensor)
    y = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(WhereOp)
def _where_shape(op: WhereOp, shapes: Sequence[Shape]) -> list[Shape]:
    cond, x, y = shapes
    out = x if x is not None else y
    if x is not None and y is not None:
        if len(x) != len(y) or any(None not in (a, b) and a != b for a, b in zip(x, y)):
            raise ShapeError(
                f"x and y must have one shape, got {format_shape(x)} and {format_shape(y)}"
            )
        out = tuple(a if a is not None else b for a, b in zip(x, y))
    if cond is not None and out is not None:
        rows = len(cond) == 1 and len(out) > 1
        if not rows and (
            len(cond) != len(out) or any(None not in (a, b) and a != b for a, b in zip(cond, out))
        ):
            raise ShapeError(
                f"condition must have the shape of x ({format_shape(out)}) or be 1-D of length "
                f"x.shape[0], got {format_shape(cond)}"
            )
        if rows and None not in (cond[0], out[0]) and cond[0] != out[0]:
            raise ShapeError(
                f"a 1-D condition must have length x.shape[0] = {out[0]}, got {cond[0]}"
            )
    return [out]


@type_rule.register(WhereOp)
def _where_type(op: WhereOp, types: Sequence[DType]) -> list[DType]:
    _, x, y = types
    if None not in (x, y) and x != y:
        raise ShapeError(f"x and y must have one element type, got {x} and {y}")
    return [x if x is not None else y]


@reference.register(WhereOp)
def _where(op: WhereOp, cond: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    mask = cond != 0
    if mask.ndim == 1 and x.ndim > 1:
        mask = mask.reshape(-1, *([1] * (x.ndim - 1)))
    return np.where(mask, x, y)


@irdl_op_definition
class OneHotOp(NnvmOp):
    """A new axis of length `depth` at `axis`: on_value where it equals the index, off_value
    elsewhere; an index outside [0, depth) gives a row of off_value (TVM's rule)."""

    name = "nnvm.one_hot"
    indices = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    depth = prop_def(IntegerAttr[I64])
    on_value = prop_def(FloatAttr, default_value=f64(1.0))
    off_value = prop_def(FloatAttr, default_value=f64(0.0))
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-1, 64))
    dtype = prop_def(TypeAttribute, default_value=Float32Type())

    def verify_attributes(self) -> None:
        if self.int_attr("depth") < 1:
            raise ShapeError(f"attribute 'depth' must be >= 1, got {self.int_attr('depth')}")
        try:
            to_numpy(self.properties["dtype"])
        except ValueError:
            raise ShapeError(
                f"attribute 'dtype' must be a numeric element type, got {self.properties['dtype']}"
            ) from None


@shape_rule.register(OneHotOp)
def _one_hot_shape(op: OneHotOp, shapes: Sequence[Shape]) -> list[Shape]:
    indices = shapes[0]
    if indices is None:
        return [None]
    axis = normalize_axis(op.int_attr("axis"), len(indices) + 1, "attribute 'axis':")
    return [(*indices[:axis], op.int_attr("depth"), *indices[axis:])]


@type_rule.register(OneHotOp)
def _one_hot_type(op: OneHotOp, types: Sequence[DType]) -> list[DType]:
    check_indices_type("indices", types[0])
    return [op.properties["dtype"]]


@reference.register(OneHotOp)
def _one_hot(op: OneHotOp, indices: np.ndarray) -> np.ndarray:
    axis = normalize_axis(op.int_attr("axis"), indices.ndim + 1)
    depth = np.arange(op.int_attr("depth")).reshape(-1, *([1] * (indices.ndim - axis)))
    hot = np.expand_dims(indices, axis) == depth
    dtype = to_numpy(op.properties["dtype"])
    on = np.asarray(op.float_attr("on_value")).astype(dtype)
    off = np.asarray(op.float_attr("off_value")).astype(dtype)
    return np.where(hot, on, off).astype(dtype)


@irdl_op_definition
class FlipOp(NnvmOp):
    """Reverses the order of elements along `axis` (NNVM's flip, TVM's reverse)."""

    name = "nnvm.flip"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))


@shape_rule.register(FlipOp)
def _flip_shape(op: FlipOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is not None:
        normalize_axis(op.int_attr("axis"), len(shapes[0]), "attribute 'axis':")
    return [shapes[0]]


@reference.register(FlipOp)
def _flip(op: FlipOp, x: np.ndarray) -> np.ndarray:
    return np.flip(x, normalize_axis(op.int_attr("axis"), x.ndim)).copy()


INDEX_OPS = [TakeOp, StridedSliceOp, SliceLikeOp, WhereOp, OneHotOp, FlipOp]
pattern_kind.register(*INDEX_OPS)(OpPattern.INJECTIVE)
dtypes.register(StridedSliceOp, SliceLikeOp, WhereOp, FlipOp)(MOVE_DTYPES)
dtypes.register(TakeOp)(BITS_DTYPES)
dtypes.register(OneHotOp)(tuple(np.dtype(t) for t in (np.int32, np.int64)))
for _op, _onnx in (
    (TakeOp, "Gather (after Clip of the indices)"),
    (StridedSliceOp, "Slice"),
    (SliceLikeOp, "Slice with ends from Shape(shape_like)"),
    (WhereOp, "Where (with condition Cast to bool)"),
    (OneHotOp, "OneHot"),
    (FlipOp, "Slice with steps -1"),
):
    onnx_equivalent.register(_op)(_onnx)


# Examples: random valid instances for the generic rules-against-semantics test.


def _indices(rng: np.random.Generator, shape: Sequence[int], low: int, high: int) -> np.ndarray:
    dtype = _pick(rng, (np.int32, np.int64))
    return rng.integers(low, high + 1, tuple(shape)).astype(dtype)


@example.register(TakeOp)
def _take_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    x = random_array(rng, shape, _move_dtype(rng))
    props: dict = {"mode": StringAttr(_pick(rng, TAKE_MODES))}
    size = x.size
    if rng.integers(0, 3):
        axis = _int(rng, -len(shape), len(shape) - 1)
        props["axis"] = IntegerAttr(axis, 64)
        size = shape[axis]
    return Example([x, _indices(rng, random_shape(rng, 0, 2), -2, size + 1)], props)


@example.register(StridedSliceOp)
def _strided_slice_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3, high=6)
    with_stride = bool(rng.integers(0, 4))
    begin, end, stride = [], [], []
    for dim in shape[: _int(rng, 0, len(shape))]:
        s = _pick(rng, (1, 1, 2, -1, -2)) if with_stride else 1
        b, e = 0, dim
        for _ in range(20):  # draw until the slice is not empty; past-the-end values clamp
            b, e = _int(rng, -dim - 2, dim + 2), _int(rng, -dim - 2, dim + 2)
            if _fits(dim, b, e, s):
                break
        else:
            s, b, e = 1, 0, dim
        begin.append(b)
        end.append(e)
        stride.append(s)
    props = {"begin": ints(*begin), "end": ints(*end)}
    if with_stride:
        props["stride"] = ints(*stride)
    return Example([random_array(rng, shape, _move_dtype(rng))], props)


def _fits(dim: int, b: int, e: int, s: int) -> bool:
    b, e = (b + dim if b < 0 else b), (e + dim if e < 0 else e)
    lo, hi = (0, dim) if s > 0 else (-1, dim - 1)
    return (min(max(e, lo), hi) - min(max(b, lo), hi)) * s > 0


@example.register(SliceLikeOp)
def _slice_like_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    like = [_int(rng, 1, d) for d in shape[: _int(rng, 1, len(shape))]]
    dtype = _move_dtype(rng)
    axes = sorted({int(a) for a in rng.integers(0, len(like), _int(rng, 0, len(like)))})
    return Example(
        [random_array(rng, shape, dtype), random_array(rng, like, _move_dtype(rng))],
        {"axis": ints(*axes)},
    )


@example.register(WhereOp)
def _where_example(rng: np.random.Generator) -> Example:
    shape, dtype = random_shape(rng, 1, 3), _move_dtype(rng)
    cond_shape = shape[:1] if rng.integers(0, 3) == 0 else shape
    cond = random_array(rng, cond_shape, _pick(rng, (np.bool_, np.int32, np.float32)), -1, 1)
    return Example([cond, random_array(rng, shape, dtype), random_array(rng, shape, dtype)])


@example.register(OneHotOp)
def _one_hot_example(rng: np.random.Generator) -> Example:
    shape, depth = random_shape(rng, 0, 3), _int(rng, 1, 5)
    props = {
        "depth": IntegerAttr(depth, 64),
        "on_value": f64(float(rng.integers(1, 5))),
        "off_value": f64(float(rng.integers(-2, 1))),
        "axis": IntegerAttr(_int(rng, -len(shape) - 1, len(shape)), 64),
        "dtype": from_numpy(_pick(rng, NUMBER_DTYPES)),
    }
    return Example([_indices(rng, shape, -1, depth)], props)


@example.register(FlipOp)
def _flip_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    axis = IntegerAttr(_int(rng, -len(shape), len(shape) - 1), 64)
    return Example([random_array(rng, shape, _move_dtype(rng))], {"axis": axis})
