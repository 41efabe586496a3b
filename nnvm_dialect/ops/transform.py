"""Ops that move elements without computing on them (NNVM level 1 injective ops)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import ml_dtypes
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
    dtypes,
    example,
    inplace_option,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import NUMBER_DTYPES, random_array, random_shape
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


def _prod(dims: Sequence[int | None]) -> int | None:
    return None if None in dims else math.prod(d for d in dims if d is not None)


def reshape_shape(data: Sequence[int | None], codes: Sequence[int]) -> tuple[int | None, ...]:
    """NNVM's reshape: the target walks the input with a cursor; 0 copies a dim, -1 is inferred,
    -2 copies the rest, -3 merges two dims, -4 splits one into the next two entries."""
    out: list[int | None] = []
    src, i, inferred = 0, 0, None

    def need(n: int, code: int) -> None:
        if src + n > len(data):
            raise ShapeError(
                f"attribute 'shape': code {code} needs input dim {src + n - 1}, but the input "
                f"has rank {len(data)}"
            )

    while i < len(codes):
        code = codes[i]
        if code > 0:
            out.append(code)
            src += 1
        elif code == 0:
            need(1, 0)
            out.append(data[src])
            src += 1
        elif code == -1:
            if inferred is not None:
                raise ShapeError("attribute 'shape' may hold at most one -1")
            inferred = len(out)
            out.append(1)
            src += 1
        elif code == -2:
            out.extend(data[src:])
            src = len(data)
        elif code == -3:
            need(2, -3)
            out.append(_prod(data[src : src + 2]))
            src += 2
        elif code == -4:
            if i + 2 >= len(codes):
                raise ShapeError("attribute 'shape': code -4 must be followed by two dims")
            need(1, -4)
            d1, d2, whole = codes[i + 1], codes[i + 2], data[src]
            if d1 < -1 or d2 < -1 or 0 in (d1, d2) or d1 == d2 == -1:
                raise ShapeError(
                    f"attribute 'shape': -4 splits into two dims, at most one of them -1, "
                    f"got {d1}, {d2}"
                )
            if whole is not None:
                if d1 == -1:
                    d1 = whole // d2
                elif d2 == -1:
                    d2 = whole // d1
                if d1 * d2 != whole:
                    raise ShapeError(
                        f"attribute 'shape': -4 cannot split dim {whole} into {codes[i + 1]} x "
                        f"{codes[i + 2]}"
                    )
            out.extend([None if d1 == -1 else d1, None if d2 == -1 else d2])
            src += 1
            i += 2
        else:
            raise ShapeError(f"attribute 'shape': {code} is not a dim or a code (0, -1 ... -4)")
        i += 1
    total, known = _prod(data), _prod([d for j, d in enumerate(out) if j != inferred])
    if inferred is not None:
        if total is not None and known is not None:
            if known == 0 or total % known:
                raise ShapeError(
                    f"attribute 'shape': cannot infer the -1 dim: {total} elements do not "
                    f"divide by {known}"
                )
            out[inferred] = total // known
        else:
            out[inferred] = None
    elif total is not None and known is not None and total != known:
        raise ShapeError(
            f"attribute 'shape' gives {known} elements, the input has {total} "
            f"(shape {format_shape(tuple(data))})"
        )
    return tuple(out)


@irdl_op_definition
class ReshapeOp(NnvmOp):
    """Reshapes to `shape`, read with NNVM's codes 0, -1, -2, -3, -4 (see reshape_shape)."""

    name = "nnvm.reshape"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    shape = prop_def(DenseArrayBase)

    def verify_attributes(self) -> None:
        codes = self.ints_attr("shape")
        bad = [c for c in codes if c < -4]
        if bad:
            raise ShapeError(f"attribute 'shape': {bad[0]} is not a dim or a code (0, -1 ... -4)")


@shape_rule.register(ReshapeOp)
def _reshape_shape(op: ReshapeOp, shapes: Sequence[Shape]) -> list[Shape]:
    codes = op.ints_attr("shape")
    if shapes[0] is None:
        return [tuple(codes) if all(c > 0 for c in codes) else None]
    return [reshape_shape(shapes[0], codes)]


@reference.register(ReshapeOp)
def _reshape(op: ReshapeOp, x: np.ndarray) -> np.ndarray:
    return x.reshape(reshape_shape(x.shape, op.ints_attr("shape")))  # type: ignore[arg-type]


@irdl_op_definition
class SqueezeOp(NnvmOp):
    """Removes the size-1 dims listed in `axis` (all of them if empty); (1,) if none is left."""

    name = "nnvm.squeeze"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(DenseArrayBase, default_value=ints())

    def verify_attributes(self) -> None:
        axes = self.ints_attr("axis")
        if len(set(axes)) != len(axes):
            raise ShapeError(f"attribute 'axis' repeats an axis: {list(axes)}")


def squeeze_shape(data: Sequence[int | None], axes: Sequence[int]) -> tuple[int | None, ...] | None:
    if axes:
        drop = {normalize_axis(a, len(data), "attribute 'axis':") for a in axes}
        if len(drop) != len(axes):
            raise ShapeError(f"attribute 'axis' names an axis twice: {list(axes)}")
        for a in sorted(drop):
            if data[a] not in (1, None):
                raise ShapeError(
                    f"attribute 'axis': dim {a} has size {data[a]}, only size-1 dims can be "
                    f"squeezed (shape {format_shape(tuple(data))})"
                )
    else:
        if None in data:
            return None
        drop = {i for i, d in enumerate(data) if d == 1}
    out = tuple(d for i, d in enumerate(data) if i not in drop)
    return out or (1,)


@shape_rule.register(SqueezeOp)
def _squeeze_shape(op: SqueezeOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [None if shapes[0] is None else squeeze_shape(shapes[0], op.ints_attr("axis"))]


@reference.register(SqueezeOp)
def _squeeze(op: SqueezeOp, x: np.ndarray) -> np.ndarray:
    return x.reshape(squeeze_shape(x.shape, op.ints_attr("axis")))  # type: ignore[arg-type]


@irdl_op_definition
class TransposeOp(NnvmOp):
    """out dim i = in dim axes[i]; empty `axes` reverses the dims."""

    name = "nnvm.transpose"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axes = prop_def(DenseArrayBase, default_value=ints())

    def permutation(self, rank: int) -> list[int]:
        axes = self.ints_attr("axes")
        if not axes:
            return list(range(rank))[::-1]
        if len(axes) != rank:
            raise ShapeError(f"attribute 'axes' has {len(axes)} entries for rank {rank}")
        perm = [normalize_axis(a, rank, "attribute 'axes':") for a in axes]
        if sorted(perm) != list(range(rank)):
            raise ShapeError(f"attribute 'axes' is not a permutation: {list(axes)}")
        return perm


@shape_rule.register(TransposeOp)
def _transpose_shape(op: TransposeOp, shapes: Sequence[Shape]) -> list[Shape]:
    data = shapes[0]
    if data is None:
        return [None]
    return [tuple(data[p] for p in op.permutation(len(data)))]


@reference.register(TransposeOp)
def _transpose(op: TransposeOp, x: np.ndarray) -> np.ndarray:
    return x.transpose(op.permutation(x.ndim))


MOVE_DTYPES = (*NUMBER_DTYPES, np.dtype(np.bool_))
BITS_DTYPES = (*MOVE_DTYPES, np.dtype(ml_dtypes.bfloat16))
"""Ops that only move elements also take bfloat16: they compute nothing that could round."""

TRANSFORM_OPS = [
    FlattenOp,
    ConcatenateOp,
    ExpandDimsOp,
    SplitOp,
    ReshapeOp,
    SqueezeOp,
    TransposeOp,
]
pattern_kind.register(
    FlattenOp,
    ConcatenateOp,
    SplitOp,
    ReshapeOp,
    SqueezeOp,
    TransposeOp,
)(OpPattern.INJECTIVE)
pattern_kind.register(ExpandDimsOp)(OpPattern.BROADCAST)
# Identity-like: the result is the operand's buffer under another shape.
inplace_option.register(FlattenOp, ReshapeOp, ExpandDimsOp, SqueezeOp)(((0, 0),))
dtypes.register(*TRANSFORM_OPS)(BITS_DTYPES)
for _op, _onnx in (
    (FlattenOp, "Flatten (axis=1)"),
    (ConcatenateOp, "Concat"),
    (ExpandDimsOp, "Unsqueeze"),
    (SplitOp, "Split"),
    (ReshapeOp, "Reshape (codes 0 and -1; -2, -3, -4 via Shape arithmetic)"),
    (SqueezeOp, "Squeeze"),
    (TransposeOp, "Transpose"),
):
    onnx_equivalent.register(_op)(_onnx)


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


def _move_dtype(rng: np.random.Generator) -> np.dtype:
    return _pick(rng, MOVE_DTYPES)


@example.register(ReshapeOp)
def _reshape_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    x = random_array(rng, shape, _move_dtype(rng))
    n, codes = len(shape), []
    src = 0
    while src < n:  # one code per step, each valid at the cursor
        left = n - src
        kind = _int(rng, 0, 5)
        if kind == 0:
            codes.append(0)
            src += 1
        elif kind == 1 and left >= 2:
            codes.append(-3)
            src += 2
        elif kind == 2:
            codes.append(-2)
            src = n
        elif kind == 3 and shape[src] % 2 == 0:
            codes += [-4, 2, -1] if rng.integers(0, 2) else [-4, -1, shape[src] // 2]
            src += 1
        else:
            codes.append(shape[src])
            src += 1
    if -1 not in codes and -4 not in codes and rng.integers(0, 2):
        positive = [i for i, c in enumerate(codes) if c > 0]
        if positive:
            codes[_pick(rng, positive)] = -1
    if rng.integers(0, 3) == 0:
        codes.append(1)  # a new unit dim
    return Example([x], {"shape": ints(*codes)})


@example.register(SqueezeOp)
def _squeeze_example(rng: np.random.Generator) -> Example:
    shape = [1 if rng.integers(0, 2) else d for d in random_shape(rng, 1, 4)]
    ones = [i for i, d in enumerate(shape) if d == 1]
    axes = [i - len(shape) if rng.integers(0, 2) else i for i in ones if rng.integers(0, 2)]
    return Example([random_array(rng, shape, _move_dtype(rng))], {"axis": ints(*axes)})


@example.register(TransposeOp)
def _transpose_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 0, 4)
    axes = [int(a) for a in rng.permutation(len(shape))] if rng.integers(0, 3) else []
    return Example([random_array(rng, shape, _move_dtype(rng))], {"axes": ints(*axes)})
