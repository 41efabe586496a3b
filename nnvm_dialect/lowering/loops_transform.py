"""CPU lowerings of the injective ops that move elements: reshapes, concatenate, split.

Reshapes (flatten, expand_dims) keep the row-major order of elements, so they are one flat loop
reading element k of the input for element k of the output.
"""

from __future__ import annotations

from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_shape
from nnvm_dialect.ops import transform as tr
from nnvm_dialect.ops.nn import normalize_axis


def same_order(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """A reshape: `idx` is flat (see PerElement.flat), the input read at the same offset."""
    return em.operand(op, 0, idx)


def concatenate_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    rank = len(tensor_shape(op.results[0]))
    axis = normalize_axis(op.int_attr("axis"), rank)  # type: ignore[attr-defined]
    sizes = [tensor_shape(v)[axis] for v in op.operands]

    def part(i: int, start: int) -> SSAValue:
        at = [em.iadd(v, -start) if k == axis else v for k, v in enumerate(idx)]
        if i == len(sizes) - 1:
            return em.operand(op, i, at)
        below = em.icmp("slt", idx[axis], start + sizes[i])
        (value,) = em.if_(
            below,
            lambda: [em.operand(op, i, at)],
            lambda: [part(i + 1, start + sizes[i])],
        )
        return value

    return part(0, 0)


def split_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    axis = normalize_axis(op.int_attr("axis"), len(shape))  # type: ignore[attr-defined]
    points = op.split_points(shape[axis])  # type: ignore[attr-defined]
    start = [0, *points][r]
    return em.operand(op, 0, [em.iadd(v, start) if k == axis else v for k, v in enumerate(idx)])


lowering.register(tr.FlattenOp, tr.ExpandDimsOp)(PerElement(same_order, flat="always"))
lowering.register(tr.ConcatenateOp)(PerElement(concatenate_value))
lowering.register(tr.SplitOp)(PerElement(split_value))
