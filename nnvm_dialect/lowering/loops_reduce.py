"""CPU lowerings of the reductions: sum, mean, prod, max, min, argmax, argmin (`PerElement`).

Each output element is a loop over the reduced axes (the last one innermost, so a reduction over
the contiguous dim vectorises: float sums carry the `reassoc` flag). Sums and products
accumulate in double precision (int64 for integers) and are cast back, as the reference does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.loops_elemwise import divide
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype, tensor_shape
from nnvm_dialect.ops import reduce as rd
from nnvm_dialect.ops.nn import accumulator
from nnvm_dialect.ops.pool import lowest


def highest(dtype: np.dtype) -> float | int:
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


Step = Callable[[Lowering, list[SSAValue], SSAValue, Index], list[SSAValue]]


def reduce_loops(
    em: Lowering, op: Operation, idx: list[Index], inits: list[SSAValue], step: Step
) -> list[SSAValue]:
    """Carry `inits` over every element of the reduced axes of operand 0 at output `idx`.

    step(em, carried, x, flat) gets the element and its row-major position among the reduced
    elements (for argmax/argmin)."""
    shape = tensor_shape(op.operands[0])
    axes = op.reduced_axes(len(shape))  # type: ignore[attr-defined]
    keep = op.bool_attr("keepdims")  # type: ignore[attr-defined]
    kept = [a for a in range(len(shape)) if a not in axes]
    full: list[Index | int] = [0] * len(shape)
    for pos, a in enumerate(kept):
        full[a] = idx[a] if keep else idx[pos]

    def level(k: int, carried: list[SSAValue], flat: Index | int) -> list[SSAValue]:
        if k == len(axes):
            x = em.value_at(op.operands[0], full)  # type: ignore[arg-type]  # may be inlined
            return step(em, carried, x, em.index(flat))
        axis = axes[k]

        def body(iv: Index, acc: list[SSAValue]) -> list[SSAValue]:
            full[axis] = iv
            return level(k + 1, acc, em.iadd(em.imul(flat, shape[axis]), iv))

        return em.loop_carried(0, shape[axis], carried, body)

    return level(0, inits, 0)


def accumulate(kind: str) -> PerElement:
    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        dtype = tensor_dtype(op.operands[0])
        acc = accumulator(dtype)
        init = em.const(1 if kind == "prod" else 0, acc)

        def step(em: Lowering, c: list[SSAValue], x: SSAValue, flat: Index) -> list[SSAValue]:
            x = em.cast(x, dtype, acc)
            return [em.mul(c[0], x, True) if kind == "prod" else em.add(c[0], x, True)]

        (total,) = reduce_loops(em, op, idx, [init], step)
        if kind == "mean":
            shape = tensor_shape(op.operands[0])
            axes = op.reduced_axes(len(shape))  # type: ignore[attr-defined]
            count = int(np.prod([shape[a] for a in axes]))
            total = divide(em, total, em.const(count, acc), acc)
        return em.cast(total, acc, dtype)

    return PerElement(value)


def extreme(kind: str) -> PerElement:
    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        dtype = tensor_dtype(op.operands[0])
        start = rd.extreme_identity(kind, dtype)

        def step(em: Lowering, c: list[SSAValue], x: SSAValue, flat: Index) -> list[SSAValue]:
            return [em.max(c[0], x, dtype) if kind == "max" else em.min(c[0], x, dtype)]

        (best,) = reduce_loops(em, op, idx, [em.const(start, dtype)], step)
        return best

    return PerElement(value)


def arg_extreme(kind: str) -> PerElement:
    """The first position of the extreme element (ties keep the earlier one)."""

    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        dtype = tensor_dtype(op.operands[0])
        start = em.const(lowest(dtype) if kind == "max" else highest(dtype), dtype)

        def step(em: Lowering, c: list[SSAValue], x: SSAValue, flat: Index) -> list[SSAValue]:
            better = em.cmp("gt" if kind == "max" else "lt", x, c[0], dtype)
            return [em.select(better, x, c[0]), em.select(better, flat, c[1])]

        _, pos = reduce_loops(em, op, idx, [start, em.index(0)], step)
        wide = np.dtype(np.int64)
        return em.cast(em.index_cast(pos, wide), wide, to_numpy(op.properties["dtype"]))

    return PerElement(value)


lowering.register(rd.SumOp)(accumulate("sum"))
lowering.register(rd.MeanOp)(accumulate("mean"))
lowering.register(rd.ProdOp)(accumulate("prod"))
lowering.register(rd.MaxOp)(extreme("max"))
lowering.register(rd.MinOp)(extreme("min"))
lowering.register(rd.ArgmaxOp)(arg_extreme("max"))
lowering.register(rd.ArgminOp)(arg_extreme("min"))
