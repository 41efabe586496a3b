"""CPU lowerings of ops/onnx_index.py (gathers, scatters, scans) and of nnvm.topk.

Gathers and scans compute each output element (`PerElement`). Scatters (`LoopNest`) copy the
data into the result and then walk the updates in order, so duplicate indices reduce, or the
last write wins, as ONNX says. Indices out of range are clamped into their axis: the CPU never
reads or writes outside a buffer (the reference reports them).
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.nnvm_to_loops import (
    LoopNest,
    Lowering,
    PerElement,
    copy,
    tensor_dtype,
    tensor_shape,
)
from nnvm_dialect.ops import onnx_index as oi
from nnvm_dialect.ops.nn import normalize_axis
from nnvm_dialect.ops.nn_common import accumulator
from nnvm_dialect.ops.vision import TopKOp

WIDE = np.dtype(np.int64)


def position(em: Lowering, i: SSAValue, dtype: np.dtype, size: int) -> Index:
    """An ONNX index (negative from the end) as a position in [0, size)."""
    i = em.cast(i, dtype, WIDE)
    zero, n = em.const(0, WIDE), em.const(size, WIDE)
    i = em.select(em.cmp("lt", i, zero, WIDE), em.add(i, n), i)
    i = em.min(em.max(i, zero, WIDE), em.const(size - 1, WIDE), WIDE)
    return em.emit(arith.IndexCastOp(i, IndexType()))


def _axis(op: Operation, rank: int) -> int:
    return normalize_axis(op.int_attr("axis"), rank)  # type: ignore[attr-defined]


def gather_elements_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    axis = _axis(op, len(shape))
    pos = position(em, em.operand(op, 1, idx), tensor_dtype(op.operands[1]), shape[axis])
    return em.operand(op, 0, [pos if k == axis else v for k, v in enumerate(idx)])


def gather_nd_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape, ind_shape = tensor_shape(op.operands[0]), tensor_shape(op.operands[1])
    b, q, m = op.int_attr("batch_dims"), ind_shape[-1], len(ind_shape) - 1  # type: ignore[attr-defined]
    dtype = tensor_dtype(op.operands[1])
    lead = idx[:m]
    picked = [
        position(em, em.operand(op, 1, [*lead, em.index(j)]), dtype, shape[b + j]) for j in range(q)
    ]
    return em.operand(op, 0, [*lead[:b], *picked, *idx[m:]])


def tensor_scatter_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """Gather form: element s of the axis takes update[s - write[b]] where that is in range."""
    shape, length = tensor_shape(op.operands[0]), tensor_shape(op.operands[1])
    axis = _axis(op, len(shape))
    size, length = shape[axis], length[axis]
    s = em.cast(em.index_cast(idx[axis], WIDE), WIDE, WIDE)
    if len(op.operands) == 3:
        w = em.cast(em.operand(op, 2, [idx[0]]), tensor_dtype(op.operands[2]), WIDE)
        s = em.sub(s, w)
    zero = em.const(0, WIDE)
    if op.str_attr("mode") == "circular":  # type: ignore[attr-defined]
        n = em.const(size, WIDE)
        m = em.rem(s, n, WIDE)
        s = em.select(em.cmp("lt", m, zero, WIDE), em.add(m, n), m)
    inside = em.emit_and(
        [em.cmp("ge", s, zero, WIDE), em.cmp("lt", s, em.const(length, WIDE), WIDE)]
    )
    safe = em.min(em.max(s, zero, WIDE), em.const(length - 1, WIDE), WIDE)
    at = em.emit(arith.IndexCastOp(safe, IndexType()))
    new = em.operand(op, 1, [at if k == axis else v for k, v in enumerate(idx)])
    return em.select(inside, new, em.operand(op, 0, idx))


def scan_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    axis = _axis(op, len(shape))
    dtype = tensor_dtype(op.operands[0])
    # f16 runs in f32: a cast from f64 down to f16 crashes the JIT-compiled code.
    acc = np.dtype(np.float32) if dtype == np.float16 else accumulator(dtype)
    prod = isinstance(op, oi.CumProdOp)
    skip = 1 if op.bool_attr("exclusive") else 0  # type: ignore[attr-defined]
    if op.bool_attr("reverse"):  # type: ignore[attr-defined]
        lo, hi = em.iadd(idx[axis], skip), shape[axis]
    else:
        lo, hi = 0, em.iadd(idx[axis], 1 - skip)
    src = em.buffer(op.operands[0])

    def body(k: Index, carried: list[SSAValue]) -> list[SSAValue]:
        x = em.cast(em.load(src, [k if d == axis else v for d, v in enumerate(idx)]), dtype, acc)
        return [em.mul(carried[0], x) if prod else em.add(carried[0], x)]

    (total,) = em.loop_carried(lo, hi, [em.const(1 if prod else 0, acc)], body)
    return em.cast(total, acc, dtype)


def _reduce(em: Lowering, reduction: str, old: SSAValue, new: SSAValue, dtype: np.dtype):  # type: ignore[no-untyped-def]
    if reduction == "add":
        return em.add(old, new)
    if reduction == "mul":
        return em.mul(old, new)
    if reduction == "max":
        return em.max(old, new, dtype)
    if reduction == "min":
        return em.min(old, new, dtype)
    return new


def _write(em: Lowering, op: Operation, at: list[Index], value: SSAValue) -> None:
    out, dtype = em.out(op, 0), tensor_dtype(op.results[0])
    reduction = op.str_attr("reduction")  # type: ignore[attr-defined]
    if reduction != "none":
        value = _reduce(em, reduction, em.load(out, at), value, dtype)
    em.store(value, out, at)


def scatter_elements_emit(em: Lowering, op: Operation) -> None:
    shape = tensor_shape(op.operands[0])
    axis = _axis(op, len(shape))
    ind, upd = em.buffer(op.operands[1]), em.buffer(op.operands[2])
    copy(em, em.buffer(op.operands[0]), em.out(op, 0))

    def body(idx: list[Index]) -> None:
        pos = position(em, em.load(ind, idx), ind.dtype, shape[axis])
        at = [pos if k == axis else v for k, v in enumerate(idx)]
        _write(em, op, at, em.load(upd, idx))

    em.nest(ind.shape, body)


def scatter_nd_emit(em: Lowering, op: Operation) -> None:
    shape = tensor_shape(op.operands[0])
    ind, upd = em.buffer(op.operands[1]), em.buffer(op.operands[2])
    m, q = len(ind.shape) - 1, ind.shape[-1]
    copy(em, em.buffer(op.operands[0]), em.out(op, 0))

    def body(idx: list[Index]) -> None:
        lead, tail = idx[:m], idx[m:]
        at = [position(em, em.load(ind, [*lead, j]), ind.dtype, shape[j]) for j in range(q)]
        _write(em, op, [*at, *tail], em.load(upd, idx))

    em.nest(upd.shape, body)


lowering.register(oi.GatherElementsOp)(PerElement(gather_elements_value))
lowering.register(oi.GatherNDOp)(PerElement(gather_nd_value))
lowering.register(oi.TensorScatterOp)(PerElement(tensor_scatter_value))
lowering.register(oi.CumSumOp, oi.CumProdOp)(PerElement(scan_value))
lowering.register(oi.ScatterElementsOp)(LoopNest(scatter_elements_emit))
lowering.register(oi.ScatterNDOp)(LoopNest(scatter_nd_emit))


def topk_emit(em: Lowering, op: Operation) -> None:
    """Each element's rank in its row is the number of elements that sort before it (larger,
    or equal at a lower index, for descending); an element of rank < k lands at its rank."""
    shape = tensor_shape(op.operands[0])
    axis = _axis(op, len(shape))
    n, dtype = shape[axis], tensor_dtype(op.operands[0])
    k = op.int_attr("k")  # type: ignore[attr-defined]
    k = k if k >= 1 else n
    before = "lt" if op.bool_attr("is_ascend") else "gt"  # type: ignore[attr-defined]
    ret_type = op.str_attr("ret_type")  # type: ignore[attr-defined]
    src = em.buffer(op.operands[0])
    index_dtype = to_numpy(op.properties["dtype"])  # type: ignore[arg-type]
    rows = [d for a, d in enumerate(shape) if a != axis]

    def row(outer: list[Index]) -> None:
        def at(i: Index | int) -> list[Index]:
            full = list(outer)
            full.insert(axis, em.index(i))
            return full

        def element(i: Index) -> None:
            x = em.load(src, at(i))

            def count(j: Index, c: list[SSAValue]) -> list[SSAValue]:
                y = em.load(src, at(j))
                ahead = em.cmp(before, y, x, dtype)
                tie = em.emit_and([em.cmp("eq", y, x, dtype), em.icmp("slt", j, i)])
                first = em.emit(arith.OrIOp(ahead, tie))
                return [em.select(first, em.iadd(c[0], 1), c[0])]

            (rank,) = em.loop_carried(0, n, [em.index(0)], count)

            def store() -> list[SSAValue]:
                values = {"values": [x], "indices": [], "both": [x]}[ret_type]
                r = 0
                for v in values:
                    em.store(v, em.out(op, r), at(rank))
                    r += 1
                if ret_type != "values":
                    pos = em.cast(em.index_cast(i, WIDE), WIDE, index_dtype)
                    em.store(pos, em.out(op, r), at(rank))
                return []

            em.if_(em.icmp("slt", rank, k), store, lambda: [])

        em.loop(0, n, element)

    em.nest(rows, lambda outer: row(list(outer)))


lowering.register(TopKOp)(LoopNest(topk_emit))
