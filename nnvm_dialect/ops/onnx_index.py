"""Gathers, scatters and scans that ONNX models hold and NNVM's take cannot express:
gather_elements, gather_nd, scatter_elements, scatter_nd, tensor_scatter, cumsum, cumprod.

Indices follow ONNX: a negative index counts from the end of its axis. ONNX leaves an index
outside [-dim, dim) undefined (onnxruntime refuses it); here it is clamped into the axis, on
every target, so nothing reads or writes out of bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, IntegerAttr, StringAttr
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    prop_def,
    result_def,
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
from nnvm_dialect.ops.index import check_indices_type
from nnvm_dialect.ops.nn import normalize_axis
from nnvm_dialect.ops.nn_common import accumulator
from nnvm_dialect.ops.transform import BITS_DTYPES, MOVE_DTYPES, _int, _move_dtype, _pick

FALSE = BoolAttr.from_bool(False)
REDUCTIONS = ("none", "add", "mul", "max", "min")


def onnx_indices(indices: np.ndarray, size: int) -> np.ndarray:
    """ONNX's index rule (negatives from the end), then clamped into [0, size)."""
    i = np.asarray(indices).astype(np.int64)
    return np.clip(np.where(i < 0, i + size, i), 0, size - 1)


def _same_rank(what: str, a: Shape, b: Shape) -> None:
    if a is not None and b is not None and len(a) != len(b):
        raise ShapeError(
            f"{what} must have the rank of data, got {format_shape(b)} for data {format_shape(a)}"
        )


def _check_reduction(op: NnvmOp) -> None:
    if op.str_attr("reduction") not in REDUCTIONS:
        raise ShapeError(
            f"attribute 'reduction' must be one of {', '.join(REDUCTIONS)}, got "
            f"'{op.str_attr('reduction')}'"
        )


def _index_type(op: NnvmOp, types: Sequence[DType]) -> list[DType]:
    check_indices_type("indices", types[1])
    if len(types) > 2 and None not in (types[0], types[2]) and types[0] != types[2]:
        raise ShapeError(
            f"updates must have the element type of data, got {types[2]} and {types[0]}"
        )
    return [types[0]]


def combine(reduction: str, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    if reduction == "add":
        return old + new
    if reduction == "mul":
        return old * new
    if reduction == "max":
        return np.maximum(old, new)
    if reduction == "min":
        return np.minimum(old, new)
    return new


# gather_elements -------------------------------------------------------------------------------


@irdl_op_definition
class GatherElementsOp(NnvmOp):
    """out[i][j][k] = data[indices[i][j][k]][j][k] for axis 0 (ONNX GatherElements): indices
    has the rank of data, and no larger a dim than data's off the axis."""

    name = "nnvm.gather_elements"
    data = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))


def _check_elements(op: NnvmOp, data: Shape, indices: Shape, what: str = "indices") -> None:
    _same_rank(what, data, indices)
    if data is None or indices is None:
        return
    axis = normalize_axis(op.int_attr("axis"), len(data), "attribute 'axis':")
    for d, (a, b) in enumerate(zip(data, indices)):
        if d != axis and None not in (a, b) and b > a:  # type: ignore[operator]
            raise ShapeError(
                f"{what} dim {d} is {b}, larger than the data's {a} "
                f"(shapes {format_shape(indices)} and {format_shape(data)})"
            )


@shape_rule.register(GatherElementsOp)
def _gather_elements_shape(op: GatherElementsOp, shapes: Sequence[Shape]) -> list[Shape]:
    _check_elements(op, shapes[0], shapes[1])
    return [shapes[1]]


def _element_positions(op: NnvmOp, data: np.ndarray, indices: np.ndarray) -> tuple:
    axis = normalize_axis(op.int_attr("axis"), data.ndim)
    grid = list(np.indices(indices.shape, sparse=True))
    grid[axis] = onnx_indices(indices, data.shape[axis])
    return tuple(grid)


@reference.register(GatherElementsOp)
def _gather_elements(op: GatherElementsOp, data: np.ndarray, indices: np.ndarray) -> np.ndarray:
    return data[_element_positions(op, data, indices)].copy()


# scatter_elements ------------------------------------------------------------------------------


@irdl_op_definition
class ScatterElementsOp(NnvmOp):
    """data with updates[i][j][k] written at [indices[i][j][k]][j][k] for axis 0 (ONNX
    ScatterElements); `reduction` combines it with what is there (none: replace; the last
    write wins among duplicates)."""

    name = "nnvm.scatter_elements"
    data = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    updates = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))
    reduction = prop_def(StringAttr, default_value=StringAttr("none"))

    def verify_attributes(self) -> None:
        _check_reduction(self)


@shape_rule.register(ScatterElementsOp)
def _scatter_elements_shape(op: ScatterElementsOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, indices, updates = shapes
    _check_elements(op, data, indices)
    if indices is not None and updates is not None and len(indices) == len(updates):
        if any(None not in (a, b) and a != b for a, b in zip(indices, updates)):
            raise ShapeError(
                f"updates must have the shape of indices, got {format_shape(updates)} and "
                f"{format_shape(indices)}"
            )
    elif indices is not None and updates is not None:
        raise ShapeError(f"updates must have the rank of indices, got {format_shape(updates)}")
    return [data]


@reference.register(ScatterElementsOp)
def _scatter_elements(
    op: ScatterElementsOp, data: np.ndarray, indices: np.ndarray, updates: np.ndarray
) -> np.ndarray:
    out = data.copy()
    where = _element_positions(op, data, indices)
    full = tuple(np.broadcast_to(w, indices.shape) for w in where)
    reduction = op.str_attr("reduction")
    for k in np.ndindex(indices.shape):  # in order: duplicates reduce, or the last one wins
        at = tuple(int(w[k]) for w in full)
        out[at] = combine(reduction, out[at], updates[k])
    return out


# gather_nd / scatter_nd ------------------------------------------------------------------------


@irdl_op_definition
class GatherNDOp(NnvmOp):
    """ONNX GatherND: the last dim of indices (q) addresses data's dims batch_dims..
    batch_dims + q - 1; the first batch_dims dims of both are shared."""

    name = "nnvm.gather_nd"
    data = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    batch_dims = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))


@shape_rule.register(GatherNDOp)
def _gather_nd_shape(op: GatherNDOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, indices = shapes
    b = op.int_attr("batch_dims")
    if data is None or indices is None:
        return [None]
    if not indices:
        raise ShapeError("indices must have rank >= 1, got a scalar")
    q = indices[-1]
    if q is None:
        return [None]
    if b < 0 or b >= min(len(data), len(indices)) or b + q > len(data):
        raise ShapeError(
            f"batch_dims {b} and index depth {q} do not fit data {format_shape(data)} and "
            f"indices {format_shape(indices)}"
        )
    for d in range(b):
        if None not in (data[d], indices[d]) and data[d] != indices[d]:
            raise ShapeError(f"batch dim {d} differs: {data[d]} and {indices[d]}")
    return [(*indices[:-1], *data[b + q :])]


@type_rule.register(GatherNDOp)
def _gather_nd_type(op: GatherNDOp, types: Sequence[DType]) -> list[DType]:
    return _index_type(op, types)


@reference.register(GatherNDOp)
def _gather_nd(op: GatherNDOp, data: np.ndarray, indices: np.ndarray) -> np.ndarray:
    b, q = op.int_attr("batch_dims"), indices.shape[-1]
    out = np.empty((*indices.shape[:-1], *data.shape[b + q :]), data.dtype)
    for k in np.ndindex(indices.shape[:-1]):
        at = [onnx_indices(indices[k][j], data.shape[b + j]) for j in range(q)]
        out[k] = data[(*k[:b], *(int(a) for a in at))]
    return out


@irdl_op_definition
class ScatterNDOp(NnvmOp):
    """ONNX ScatterND: updates[k] (a slice of data's trailing dims) written at data[indices[k]],
    combined by `reduction` as in scatter_elements."""

    name = "nnvm.scatter_nd"
    data = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    updates = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    reduction = prop_def(StringAttr, default_value=StringAttr("none"))

    def verify_attributes(self) -> None:
        _check_reduction(self)


@shape_rule.register(ScatterNDOp)
def _scatter_nd_shape(op: ScatterNDOp, shapes: Sequence[Shape]) -> list[Shape]:
    data, indices, updates = shapes
    if data is None or indices is None or updates is None:
        return [data]
    if not indices:
        raise ShapeError("indices must have rank >= 1, got a scalar")
    if indices[-1] is None:
        return [data]
    if indices[-1] > len(data):
        raise ShapeError(
            f"indices' last dim must be at most data's rank, got {format_shape(indices)}"
        )
    want = (*indices[:-1], *data[indices[-1] :])
    if len(want) != len(updates) or any(
        None not in (a, b) and a != b for a, b in zip(want, updates)
    ):
        raise ShapeError(
            f"updates must have shape {format_shape(want)}, got {format_shape(updates)}"
        )
    return [data]


@reference.register(ScatterNDOp)
def _scatter_nd(
    op: ScatterNDOp, data: np.ndarray, indices: np.ndarray, updates: np.ndarray
) -> np.ndarray:
    out, q = data.copy(), indices.shape[-1]
    reduction = op.str_attr("reduction")
    for k in np.ndindex(indices.shape[:-1]):
        at = tuple(int(onnx_indices(indices[k][j], data.shape[j])) for j in range(q))
        out[at] = combine(reduction, out[at], updates[k])
    return out


for _op in (ScatterElementsOp, ScatterNDOp):
    type_rule.register(_op)(_index_type)
type_rule.register(GatherElementsOp)(_index_type)


# tensor_scatter --------------------------------------------------------------------------------


@irdl_op_definition
class TensorScatterOp(NnvmOp):
    """ONNX TensorScatter (a KV cache update): past with update written along `axis` from
    write_indices[b] (0 when absent) for each batch b (dim 0); `circular` wraps at the end."""

    name = "nnvm.tensor_scatter"
    past = operand_def(AnyTensor)
    update = operand_def(AnyTensor)
    write_indices = opt_operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-2, 64))
    mode = prop_def(StringAttr, default_value=StringAttr("linear"))

    assembly_format = (
        "$past `,` $update (`,` $write_indices^)? attr-dict `:` functional-type(operands, results)"
    )

    def verify_attributes(self) -> None:
        if self.str_attr("mode") not in ("linear", "circular"):
            raise ShapeError(
                f"attribute 'mode' must be linear or circular, got '{self.str_attr('mode')}'"
            )


@shape_rule.register(TensorScatterOp)
def _tensor_scatter_shape(op: TensorScatterOp, shapes: Sequence[Shape]) -> list[Shape]:
    past, update = shapes[0], shapes[1]
    _same_rank("update", past, update)
    if past is None or update is None:
        return [past]
    axis = normalize_axis(op.int_attr("axis"), len(past), "attribute 'axis':")
    if axis == 0:
        raise ShapeError("attribute 'axis' cannot be the batch axis 0")
    for d, (a, b) in enumerate(zip(past, update)):
        if None not in (a, b) and (b > a if d == axis else a != b):  # type: ignore[operator]
            raise ShapeError(
                f"update {format_shape(update)} does not fit past {format_shape(past)}"
            )
    if len(shapes) == 3 and shapes[2] is not None and shapes[2] not in ((past[0],), (None,)):
        raise ShapeError(
            f"write_indices must have shape ({past[0]}), got {format_shape(shapes[2])}"
        )
    return [past]


@type_rule.register(TensorScatterOp)
def _tensor_scatter_type(op: TensorScatterOp, types: Sequence[DType]) -> list[DType]:
    if len(types) == 3:
        check_indices_type("write_indices", types[2])
    if None not in types[:2] and types[0] != types[1]:
        raise ShapeError(
            f"update must have the element type of past, got {types[1]} and {types[0]}"
        )
    return [types[0]]


@reference.register(TensorScatterOp)
def _tensor_scatter(
    op: TensorScatterOp, past: np.ndarray, update: np.ndarray, write: np.ndarray | None = None
) -> np.ndarray:
    """Element s of the axis in batch b takes update[s - write[b]] (mod the axis when circular)
    where that is an element of update; a linear write past the end is cut off."""
    axis = normalize_axis(op.int_attr("axis"), past.ndim)
    size, length = past.shape[axis], update.shape[axis]
    starts = np.zeros(past.shape[0], np.int64) if write is None else write.astype(np.int64)
    rel = np.arange(size).reshape([size if d == axis else 1 for d in range(past.ndim)])
    rel = rel - starts.reshape([-1] + [1] * (past.ndim - 1))
    if op.str_attr("mode") == "circular":
        rel = rel % size
    inside = (rel >= 0) & (rel < length)
    at = list(np.indices(past.shape, sparse=True))
    at[axis] = np.clip(rel, 0, length - 1)
    return np.where(inside, update[tuple(at)], past)


# cumsum / cumprod ------------------------------------------------------------------------------


class ScanOp(NnvmOp):
    """Running sum or product along `axis`; `exclusive` leaves the element itself out,
    `reverse` runs from the end. Accumulates as the reductions do, cast back."""

    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, 64))
    exclusive = prop_def(BoolAttr, default_value=FALSE)
    reverse = prop_def(BoolAttr, default_value=FALSE)


@irdl_op_definition
class CumSumOp(ScanOp):
    """ONNX CumSum."""

    name = "nnvm.cumsum"


@irdl_op_definition
class CumProdOp(ScanOp):
    """ONNX CumProd."""

    name = "nnvm.cumprod"


@shape_rule.register(ScanOp)
def _scan_shape(op: ScanOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is not None:
        if not shapes[0]:
            raise ShapeError("data must have rank >= 1, got a scalar")
        normalize_axis(op.int_attr("axis"), len(shapes[0]), "attribute 'axis':")
    return [shapes[0]]


@reference.register(ScanOp)
def _scan(op: ScanOp, x: np.ndarray) -> np.ndarray:
    axis = normalize_axis(op.int_attr("axis"), x.ndim)
    acc = accumulator(x.dtype)
    y = x.astype(acc)
    if op.bool_attr("reverse"):
        y = np.flip(y, axis)
    prod = isinstance(op, CumProdOp)
    run = np.cumprod(y, axis) if prod else np.cumsum(y, axis)
    if op.bool_attr("exclusive"):
        first = np.take(np.ones_like(run) if prod else np.zeros_like(run), [0], axis)
        run = np.concatenate([first, np.take(run, np.arange(x.shape[axis] - 1), axis)], axis)
    if op.bool_attr("reverse"):
        run = np.flip(run, axis)
    return run.astype(x.dtype)


# Facts -----------------------------------------------------------------------------------------

pattern_kind.register(GatherElementsOp, GatherNDOp, TensorScatterOp)(OpPattern.INJECTIVE)
pattern_kind.register(ScatterElementsOp, ScatterNDOp, CumSumOp, CumProdOp)(OpPattern.OPAQUE)
dtypes.register(GatherNDOp, ScatterElementsOp, ScatterNDOp, TensorScatterOp)(MOVE_DTYPES)
dtypes.register(GatherElementsOp)(BITS_DTYPES)
dtypes.register(CumSumOp, CumProdOp)(NUMBER_DTYPES)
for _op, _onnx in (
    (GatherElementsOp, "GatherElements"),
    (GatherNDOp, "GatherND"),
    (ScatterElementsOp, "ScatterElements (and Scatter)"),
    (ScatterNDOp, "ScatterND"),
    (TensorScatterOp, "TensorScatter"),
    (CumSumOp, "CumSum (axis as an attribute)"),
    (CumProdOp, "CumProd (axis as an attribute)"),
):
    onnx_equivalent.register(_op)(_onnx)

ONNX_INDEX_OPS = [
    GatherElementsOp,
    GatherNDOp,
    ScatterElementsOp,
    ScatterNDOp,
    TensorScatterOp,
    CumSumOp,
    CumProdOp,
]


# Examples: random valid instances for the generic tests ---------------------------------------


def _index_dtype(rng: np.random.Generator, data: np.dtype) -> type:
    """i32 or i64, never the data's own (the dtype test casts operands of the data's dtype)."""
    return _pick(rng, [t for t in (np.int32, np.int64) if np.dtype(t) != data])


def _indices(
    rng: np.random.Generator, shape: Sequence[int], size: int, data: np.dtype
) -> np.ndarray:
    return rng.integers(-size, size, tuple(shape)).astype(_index_dtype(rng, data))


def _smaller(rng: np.random.Generator, shape: Sequence[int], axis: int) -> list[int]:
    return [_int(rng, 1, 4) if d == axis else _int(rng, 1, s) for d, s in enumerate(shape)]


@example.register(GatherElementsOp)
def _gather_elements_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    axis = _int(rng, -len(shape), len(shape) - 1)
    data = random_array(rng, shape, _move_dtype(rng))
    ind = _indices(rng, _smaller(rng, shape, axis % len(shape)), shape[axis], data.dtype)
    return Example([data, ind], {"axis": IntegerAttr(axis, 64)})


@example.register(ScatterElementsOp)
def _scatter_elements_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    axis = _int(rng, -len(shape), len(shape) - 1)
    ind_shape = _smaller(rng, shape, axis % len(shape))
    reduction = _pick(rng, REDUCTIONS)
    dtype = _move_dtype(rng) if reduction == "none" else _pick(rng, NUMBER_DTYPES)
    if reduction == "none":  # distinct targets along the axis, so no write order matters
        n = min(ind_shape[axis], shape[axis])
        ind_shape[axis] = n
        perm = rng.permutation(shape[axis])[:n] - shape[axis] * _int(rng, 0, 1)
        ind = np.broadcast_to(
            perm.reshape([-1 if d == axis % len(shape) else 1 for d in range(len(shape))]),
            ind_shape,
        ).astype(_index_dtype(rng, np.dtype(dtype)))
    else:
        ind = _indices(rng, ind_shape, shape[axis], np.dtype(dtype))
    return Example(
        [random_array(rng, shape, dtype), ind, random_array(rng, ind_shape, dtype)],
        {"axis": IntegerAttr(axis, 64), "reduction": StringAttr(reduction)},
    )


@example.register(GatherNDOp)
def _gather_nd_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 4)
    b = _int(rng, 0, len(shape) - 1)
    q = _int(rng, 1, len(shape) - b)
    lead = [*shape[:b], *random_shape(rng, 0, 2)]
    data = random_array(rng, shape, _move_dtype(rng))
    ind = np.stack([_indices(rng, lead, shape[b + j], data.dtype) for j in range(q)], -1)
    return Example([data, ind], {"batch_dims": IntegerAttr(b, 64)})


@example.register(ScatterNDOp)
def _scatter_nd_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    q = _int(rng, 1, len(shape))
    reduction = _pick(rng, REDUCTIONS)
    dtype = _move_dtype(rng) if reduction == "none" else _pick(rng, NUMBER_DTYPES)
    cells = np.array(list(np.ndindex(*shape[:q])))
    n = _int(rng, 1, len(cells))
    if reduction == "none":  # distinct cells, so no write order matters
        rows = cells[rng.permutation(len(cells))[:n]]
    else:
        rows = cells[rng.integers(0, len(cells), n)]
    rows = rows - np.array(shape[:q]) * rng.integers(0, 2, rows.shape)  # some negative
    ind = rows.astype(_index_dtype(rng, np.dtype(dtype)))
    updates = random_array(rng, (n, *shape[q:]), dtype)
    return Example(
        [random_array(rng, shape, dtype), ind, updates], {"reduction": StringAttr(reduction)}
    )


@example.register(TensorScatterOp)
def _tensor_scatter_example(rng: np.random.Generator) -> Example:
    shape = [_int(rng, 1, 3), *random_shape(rng, 1, 3)]
    axis = _int(rng, 1, len(shape) - 1)
    circular = bool(rng.integers(0, 2))
    length = _int(rng, 1, shape[axis])
    update_shape = [length if d == axis else s for d, s in enumerate(shape)]
    dtype = _move_dtype(rng)
    operands = [random_array(rng, shape, dtype), random_array(rng, update_shape, dtype)]
    if rng.integers(0, 3):
        high = shape[axis] - 1 if circular else shape[axis] - length
        write = rng.integers(0, high + 1, shape[0]).astype(_index_dtype(rng, np.dtype(dtype)))
        operands.append(write)
    props = {
        "axis": IntegerAttr(axis - len(shape) * _int(rng, 0, 1), 64),
        "mode": StringAttr("circular" if circular else "linear"),
    }
    return Example(operands, props)


def _scan_example(rng: np.random.Generator) -> Example:
    shape = random_shape(rng, 1, 3)
    props = {
        "axis": IntegerAttr(_int(rng, -len(shape), len(shape) - 1), 64),
        "exclusive": BoolAttr.from_bool(bool(rng.integers(0, 2))),
        "reverse": BoolAttr.from_bool(bool(rng.integers(0, 2))),
    }
    return Example([random_array(rng, shape, _pick(rng, NUMBER_DTYPES), -2, 2)], props)


example.register(CumSumOp, CumProdOp)(_scan_example)
