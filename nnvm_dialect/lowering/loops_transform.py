"""CPU lowerings of the ops that move, select or make elements (`PerElement`), and of
`nnvm.constant` (a `RuntimeBuffer`: its value is passed in at call time, never compiled in).

Reshapes (flatten, reshape, squeeze, expand_dims) keep the row-major order of elements, so they
are one flat loop reading element k of the input for element k of the output.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.loops_elemwise import broadcast_index
from nnvm_dialect.lowering.loops_fused import tree_flat
from nnvm_dialect.lowering.loops_nn import LayoutMap
from nnvm_dialect.lowering.nnvm_to_loops import (
    Lowering,
    PerElement,
    RuntimeBuffer,
    tensor_dtype,
    tensor_shape,
)
from nnvm_dialect.ops import index as ix
from nnvm_dialect.ops import transform as tr
from nnvm_dialect.ops.backward import ReshapeLikeOp, SumToLikeOp
from nnvm_dialect.ops.constant import ConstantOp, constant_value
from nnvm_dialect.ops.init import InitOp, LikeOp
from nnvm_dialect.ops.layout import LayoutTransformOp
from nnvm_dialect.ops.nn import normalize_axis
from nnvm_dialect.ops.nn_common import accumulator
from nnvm_dialect.ops.onnx_ops import MirrorPadOp
from nnvm_dialect.ops.replicate import BroadcastToOp, CollapseSumOp, RepeatOp, StackOp, TileOp


def same_order(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """A reshape: the input read at the output element's row-major offset.

    `idx` is flat when the stage could loop flat (see PerElement.flat); inside a fused group
    whose other ops need a multi-index it is one of the output's shape, and is made flat here.
    An input computed in place (inlined) gets the offset back as a multi-index of its own
    shape unless its ops can take a flat one.
    """

    out_shape, src = tensor_shape(op.results[0]), op.operands[0]
    in_shape = tensor_shape(src)
    if len(idx) == len(out_shape) != 1:
        offset = em.linear(out_shape, idx)
    else:
        offset = em.index(idx[0]) if idx else em.index(0)
    if src in em.inline and not tree_flat(src, in_shape, em.inline):
        return em.operand(op, 0, em.delinear(in_shape, offset))
    return em.operand(op, 0, [offset])


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


# Reshapes, permutations, slices, gathers, replication, constants ---------------------------------


def transpose_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    perm = op.permutation(len(idx))  # type: ignore[attr-defined]
    at: list[Index] = [em.index(0)] * len(idx)
    for k, p in enumerate(perm):
        at[p] = idx[k]
    return em.operand(op, 0, at)


def broadcast_to_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    in_shape, out_shape = tensor_shape(op.operands[0]), tensor_shape(op.results[0])
    return em.operand(op, 0, broadcast_index(idx, in_shape, out_shape))  # type: ignore[arg-type]


def flip_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    axis = normalize_axis(op.int_attr("axis"), len(shape))  # type: ignore[attr-defined]
    back = em.iadd(em.neg_index(idx[axis]), shape[axis] - 1)
    return em.operand(op, 0, [back if k == axis else v for k, v in enumerate(idx)])


def strided_slice_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    ranges = op.ranges(tensor_shape(op.operands[0]))  # type: ignore[attr-defined]
    at = [em.iadd(em.imul(v, step), begin) for v, (begin, _, step) in zip(idx, ranges)]
    return em.operand(op, 0, at)


def take_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape, ind_shape = tensor_shape(op.operands[0]), tensor_shape(op.operands[1])
    ind_dtype = tensor_dtype(op.operands[1])
    axis = normalize_axis(op.int_attr("axis"), len(shape)) if "axis" in op.properties else None  # type: ignore[attr-defined]
    lead = 0 if axis is None else axis
    i = em.operand(op, 1, idx[lead : lead + len(ind_shape)])
    size = int(np.prod(shape)) if axis is None else shape[axis]
    wide = np.dtype(np.int64)
    i = em.cast(i, ind_dtype, wide)
    zero, top = em.const(0, wide), em.const(size - 1, wide)
    if op.str_attr("mode") == "clip":  # type: ignore[attr-defined]
        i = em.min(em.max(i, zero, wide), top, wide)
    else:  # wrap: numpy's mod, non-negative
        n = em.const(size, wide)
        m = em.rem(i, n, wide)
        i = em.select(em.cmp("lt", m, zero, wide), em.add(m, n), m)
    pos = em.emit(arith.IndexCastOp(i, IndexType()))
    if axis is None:
        return em.load(em.buffer(op.operands[0]), em.delinear(shape, pos))
    at = [*idx[:axis], pos, *idx[axis + len(ind_shape) :]]
    return em.operand(op, 0, at)


def where_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    cond_shape, out_shape = tensor_shape(op.operands[0]), tensor_shape(op.results[0])
    if len(cond_shape) == 1 and len(out_shape) > 1:
        c = em.operand(op, 0, [idx[0]])  # NNVM's row select
    else:
        c = em.operand(op, 0, broadcast_index(idx, cond_shape, out_shape))  # type: ignore[arg-type]
    cdtype = tensor_dtype(op.operands[0])
    mask = c if cdtype.kind == "b" else em.cmp("ne", c, em.const(0, cdtype), cdtype)
    x = em.operand(op, 1, broadcast_index(idx, tensor_shape(op.operands[1]), out_shape))  # type: ignore[arg-type]
    y = em.operand(op, 2, broadcast_index(idx, tensor_shape(op.operands[2]), out_shape))  # type: ignore[arg-type]
    return em.select(mask, x, y)


def one_hot_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    rank = len(tensor_shape(op.results[0]))
    axis = normalize_axis(op.int_attr("axis"), rank)  # type: ignore[attr-defined]
    ind_dtype, dtype = tensor_dtype(op.operands[0]), tensor_dtype(op.results[0])
    i = em.operand(op, 0, [v for k, v in enumerate(idx) if k != axis])
    hot = em.cmp("eq", i, em.index_cast(idx[axis], ind_dtype), ind_dtype)
    on = np.asarray(op.float_attr("on_value")).astype(dtype).item()  # type: ignore[attr-defined]
    off = np.asarray(op.float_attr("off_value")).astype(dtype).item()  # type: ignore[attr-defined]
    return em.select(hot, em.const(on, dtype), em.const(off, dtype))


def fill_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    dtype = tensor_dtype(op.results[0])
    return em.const(np.asarray(op.fill_value()).astype(dtype).item(), dtype)  # type: ignore[attr-defined]


def repeat_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    axis = normalize_axis(op.int_attr("axis"), len(idx))  # type: ignore[attr-defined]
    times = op.int_attr("repeats")  # type: ignore[attr-defined]
    return em.operand(op, 0, [em.idiv(v, times) if k == axis else v for k, v in enumerate(idx)])


def tile_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    lead = len(idx) - len(shape)
    return em.operand(op, 0, [em.irem(idx[lead + k], d) for k, d in enumerate(shape)])


def stack_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    axis = normalize_axis(op.int_attr("axis"), len(idx))  # type: ignore[attr-defined]
    at = [v for k, v in enumerate(idx) if k != axis]

    def part(i: int) -> SSAValue:
        if i == len(op.operands) - 1:
            return em.operand(op, i, at)
        here = em.icmp("eq", idx[axis], i)
        (value,) = em.if_(here, lambda: [em.operand(op, i, at)], lambda: [part(i + 1)])
        return value

    return part(0)


def sum_to_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """collapse_sum / _sum_to_like: sum over the dims the result was broadcast along."""
    shape, target = tensor_shape(op.operands[0]), tensor_shape(op.results[0])
    dtype = tensor_dtype(op.operands[0])
    acc = accumulator(dtype)
    lead = len(shape) - len(target)
    axes = [a for a in range(len(shape)) if a < lead or (target[a - lead] == 1 and shape[a] != 1)]
    full: list[Index | int] = [0 if a < lead else idx[a - lead] for a in range(len(shape))]

    def level(k: int, carried: list[SSAValue]) -> list[SSAValue]:
        if k == len(axes):
            x = em.cast(em.load(em.buffer(op.operands[0]), full), dtype, acc)  # type: ignore[arg-type]
            return [em.add(carried[0], x, True)]

        def body(iv: Index, c: list[SSAValue]) -> list[SSAValue]:
            full[axes[k]] = iv
            return level(k + 1, c)

        return em.loop_carried(0, shape[axes[k]], carried, body)

    (total,) = level(0, [em.const(0, acc)])
    return em.cast(total, acc, dtype)


def layout_transform_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    src_name, dst_name = op.str_attr("src_layout"), op.str_attr("dst_layout")  # type: ignore[attr-defined]
    primal = "".join(c for c in src_name if c.isupper())
    src = LayoutMap.of(src_name, primal)
    dst = LayoutMap.of(dst_name, primal)
    canonical = dst.canonical_index(em, idx, tensor_shape(op.results[0]))
    return em.operand(op, 0, src.index(em, canonical))  # type: ignore[arg-type]


def constant_buffer(op: Operation) -> np.ndarray:
    return constant_value(op)  # type: ignore[arg-type]


lowering.register(tr.ReshapeOp, tr.SqueezeOp, ReshapeLikeOp)(PerElement(same_order, flat="always"))
lowering.register(tr.TransposeOp)(PerElement(transpose_value))
lowering.register(BroadcastToOp)(PerElement(broadcast_to_value, flat="same"))
lowering.register(ix.FlipOp)(PerElement(flip_value))
lowering.register(ix.StridedSliceOp)(PerElement(strided_slice_value))
lowering.register(ix.SliceLikeOp)(PerElement(lambda em, op, r, idx: em.operand(op, 0, idx)))
lowering.register(ix.TakeOp)(PerElement(take_value))
lowering.register(ix.WhereOp)(PerElement(where_value))
lowering.register(ix.OneHotOp)(PerElement(one_hot_value))
lowering.register(InitOp, LikeOp)(PerElement(fill_value, flat="always"))
lowering.register(RepeatOp)(PerElement(repeat_value))
lowering.register(TileOp)(PerElement(tile_value))
lowering.register(StackOp)(PerElement(stack_value))
lowering.register(CollapseSumOp, SumToLikeOp)(PerElement(sum_to_value))
lowering.register(LayoutTransformOp)(PerElement(layout_transform_value))
lowering.register(ConstantOp)(RuntimeBuffer(constant_buffer))


def mirror_pad_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """reflect: -1 reads 1 and D reads D - 2; edge: indices clamp into the dim."""
    shape = tensor_shape(op.operands[0])
    reflect = op.str_attr("mode") == "reflect"  # type: ignore[attr-defined]
    at = []
    for i, (before, _), d in zip(idx, op.int_pairs_attr("pad_width"), shape):  # type: ignore[attr-defined]
        j = em.iadd(i, -before)
        low, high = em.icmp("slt", j, 0), em.icmp("sge", j, d)
        if reflect:
            j = em.select(low, em.neg_index(j), j)
            j = em.select(high, em.iadd(em.neg_index(j), 2 * (d - 1)), j)
        else:
            j = em.select(low, em.index(0), em.select(high, em.index(d - 1), j))
        at.append(j)
    return em.operand(op, 0, at)


lowering.register(MirrorPadOp)(PerElement(mirror_pad_value))
