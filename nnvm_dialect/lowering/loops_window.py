"""CPU lowerings of the N-D window ops (ops/onnx_ops.py: conv, max_pool, avg_pool) and of the
gradients of conv2d and the 2-D pools (ops/backward.py).

They walk their windows with the 2-D ops' helpers: `tap_positions` (any number of spatial
dims, with dilation and begin padding), `max_of` and `mean_of` for the pools, `valid_range`
for the weight gradient's output rows, `transposed_conv` for conv2d's data gradient. Each
output element is computed on its own, with sums in double precision as the reference takes
them. The pool gradients scatter each output gradient into a double-precision copy of the data
gradient in the arena, then write it out.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from xdsl.dialects import arith
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Buffer, Index
from nnvm_dialect.lowering.loops_nn import (
    LayoutMap,
    data_layout,
    max_of,
    tap_positions,
    valid_range,
)
from nnvm_dialect.lowering.loops_norm_pool import mean_of, transposed_conv
from nnvm_dialect.lowering.nnvm_to_loops import LoopNest, Lowering
from nnvm_dialect.ops import backward, onnx_ops
from nnvm_dialect.ops.nn_common import accumulator
from nnvm_dialect.ops.pool import lowest

# N-D conv and pools (data N, C, *spatial; no layouts) ----------------------------------------


def nd_taps(em: Lowering, op: Operation, data: Buffer, idx: list[Index]):  # type: ignore[no-untyped-def]
    """(inside, value) of each tap of the window of output `idx` = (n, c, *position)."""
    kernel, strides, dilation, padding = op.window()  # type: ignore[attr-defined]
    n, c, *pos = idx
    sizes = data.shape[2:]
    for inside, at in tap_positions(em, pos, sizes, kernel, strides, dilation, padding):
        yield inside, em.load(data, [n, c, *at])


def lower_max_pool(em: Lowering, op: Operation) -> None:
    data, out = em.buffer(op.operands[0]), em.out(op, 0)

    def body(idx: list[Index]) -> None:
        em.result(op, 0, idx, max_of(em, nd_taps(em, op, data, idx), data.dtype))

    em.nest(out.shape, body)


def lower_avg_pool(em: Lowering, op: Operation) -> None:
    data, out = em.buffer(op.operands[0]), em.out(op, 0)
    kernel = op.kernel()  # type: ignore[attr-defined]
    window = int(np.prod(kernel)) if op.bool_attr("count_include_pad") else None  # type: ignore[attr-defined]

    def body(idx: list[Index]) -> None:
        em.result(op, 0, idx, mean_of(em, nd_taps(em, op, data, idx), data.dtype, window))

    em.nest(out.shape, body)


def lower_conv(em: Lowering, op: Operation) -> None:
    """Per output element, over the input channels of its group, every kernel tap inside the
    data: a dot product in double precision, plus the bias."""
    data, weight = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    bias = em.buffer(op.operands[2]) if len(op.operands) == 3 else None
    out = em.out(op, 0)
    kernel, strides, dilation, padding = op.window()  # type: ignore[attr-defined]
    o_, cg = weight.shape[:2]
    og = o_ // op.int_attr("groups")  # type: ignore[attr-defined]
    dtype = data.dtype
    acc = accumulator(dtype)
    zero = em.const(0, acc)

    def body(idx: list[Index]) -> None:
        n, o, *pos = idx
        taps = list(tap_positions(em, pos, data.shape[2:], kernel, strides, dilation, padding))
        base = em.imul(em.idiv(o, og), cg)

        def channel(ci: Index, carried: list[SSAValue]) -> list[SSAValue]:
            c = em.iadd(base, ci)
            total = carried[0]
            for k, (inside, at) in zip(itertools.product(*map(range, kernel)), taps):
                v = em.cast(em.load(data, [n, c, *at]), dtype, acc)
                w = em.cast(em.load(weight, [o, ci, *k]), dtype, acc)
                total = em.add(total, em.select(inside, em.mul(v, w), zero), True)
            return [total]

        (total,) = em.loop_carried(0, cg, [zero], channel)
        if bias is not None:
            total = em.add(total, em.cast(em.load(bias, [o]), dtype, acc))
        em.result(op, 0, idx, em.cast(total, acc, dtype))

    em.nest(out.shape, body)


# Gradients of conv2d and the 2-D pools ---------------------------------------------------------


def lower_conv2d_grad(em: Lowering, op: Operation) -> None:
    """d data: the transposed convolution of the output gradient. d weight: per weight element,
    the sum over images and the output positions whose tap lies inside the data."""
    x, w, dy = (em.buffer(v) for v in op.operands)
    xl = LayoutMap.of(op.str_attr("layout"), "NCHW")  # type: ignore[attr-defined]
    wl = LayoutMap.of(op.str_attr("kernel_layout"), "OIHW")  # type: ignore[attr-defined]
    name = op.str_attr("out_layout")  # type: ignore[attr-defined]
    yl = xl if name == "__undef__" else LayoutMap.of(name, "NCHW")
    groups, windows = op.int_attr("groups"), op.windows()  # type: ignore[attr-defined]
    transposed_conv(em, op, 0, dy, w, None, (yl, wl, xl), groups, windows)

    n_, _, h_, w_ = xl.dims(x.shape)
    o_, cg, kh, kw = wl.dims(w.shape)
    _, _, oh_, ow_ = yl.dims(dy.shape)
    og = o_ // groups
    (_, sh, ph, dh), (_, sw, pw, dw) = windows
    bound = h_ + w_ + (kh + kw) * (dh + dw) + ph + pw + 2
    dtype = x.dtype
    acc = accumulator(dtype)

    def body(idx: list[Index]) -> None:
        o, ci, ky, kx = idx
        c = em.iadd(em.imul(em.idiv(o, og), cg), ci)
        shift_h = em.iadd(em.imul(ky, dh), -ph)
        shift_w = em.iadd(em.imul(kx, dw), -pw)
        oh_lo, oh_hi = valid_range(em, shift_h, sh, h_, oh_, bound)
        ow_lo, ow_hi = valid_range(em, shift_w, sw, w_, ow_, bound)

        def image(n: Index, carried: list[SSAValue]) -> list[SSAValue]:
            def row(oh: Index, carried: list[SSAValue]) -> list[SSAValue]:
                ih = em.iadd(em.imul(oh, sh), shift_h)

                def col(ow: Index, carried: list[SSAValue]) -> list[SSAValue]:
                    iw = em.iadd(em.imul(ow, sw), shift_w)
                    g = em.cast(em.load(dy, yl.index(em, [n, o, oh, ow])), dtype, acc)
                    v = em.cast(em.load(x, xl.index(em, [n, c, ih, iw])), dtype, acc)
                    return [em.add(carried[0], em.mul(g, v), True)]

                return em.loop_carried(ow_lo, ow_hi, carried, col)

            return em.loop_carried(oh_lo, oh_hi, carried, row)

        (total,) = em.loop_carried(0, n_, [em.const(0, acc)], image)
        em.result(op, 1, wl.index(em, idx), em.cast(total, acc, dtype))  # type: ignore[arg-type]

    em.nest((o_, cg, kh, kw), body)


def scatter_pool_grad(em: Lowering, op: Operation, spread) -> None:  # type: ignore[no-untyped-def]
    """d data of a 2-D pool: `spread(idx, taps, g, add)` hands the output gradient `g` (in
    double precision) of output `idx` to the data positions of its taps through `add(inside,
    position, value)`; the sums are written out at the end."""
    x, dy = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    layout = data_layout(op)
    n_, c_, h_, w_ = layout.dims(x.shape)
    _, _, oh_, ow_ = layout.dims(dy.shape)
    dtype = x.dtype
    acc = accumulator(dtype)
    grad = em.scratch((n_, c_, h_, w_), acc)
    zero = em.const(0, acc)
    em.nest(grad.shape, lambda idx: em.store(zero, grad, idx))
    kernel, strides = op.ints_attr("pool_size"), op.ints_attr("strides")  # type: ignore[attr-defined]
    top, left, _, _ = op.pads()  # type: ignore[attr-defined]

    def body(idx: list[Index]) -> None:
        n, c, oh, ow = idx
        taps = list(tap_positions(em, [oh, ow], (h_, w_), kernel, strides, (1, 1), (top, left)))
        g = em.cast(em.load(dy, layout.index(em, idx)), dtype, acc)

        def add(inside: SSAValue, at: Sequence[Index], value: SSAValue) -> None:
            where = [n, c, *at]
            total = em.add(em.load(grad, where), em.select(inside, value, zero))
            em.store(total, grad, where)

        spread(n, c, taps, g, add)

    em.nest((n_, c_, oh_, ow_), body)

    def write(idx: list[Index]) -> None:
        em.result(op, 0, layout.index(em, idx), em.cast(em.load(grad, idx), acc, dtype))  # type: ignore[arg-type]

    em.nest(grad.shape, write)


def lower_max_pool2d_grad(em: Lowering, op: Operation) -> None:
    """Each output gradient goes to the first maximum of its window, padding included (the
    dtype's lowest there), as numpy's argmax finds it: the first NaN if there is one."""
    x = em.buffer(op.operands[0])
    layout, dtype = data_layout(op), x.dtype
    low = em.const(lowest(dtype), dtype)

    def spread(n, c, taps, g, add) -> None:  # type: ignore[no-untyped-def]
        best = None
        for inside, at in taps:
            v = em.select(inside, em.load(x, layout.index(em, [n, c, *at])), low)
            if best is None:
                best = (v, inside, at)
                continue
            top, top_inside, top_at = best
            nan = em.emit_and([em.cmp("ne", v, v, dtype), em.cmp("eq", top, top, dtype)])
            better = em.emit(arith.OrIOp(em.cmp("gt", v, top, dtype), nan))
            best = (
                em.select(better, v, top),
                em.select(better, inside, top_inside),
                [em.select(better, a, b) for a, b in zip(at, top_at)],
            )
        assert best is not None
        add(best[1], best[2], g)

    scatter_pool_grad(em, op, spread)


def lower_avg_pool2d_grad(em: Lowering, op: Operation) -> None:
    """Each output gradient, divided as the forward divides, spread over its window."""
    kh, kw = op.ints_attr("pool_size")  # type: ignore[attr-defined]
    include_pad = op.bool_attr("count_include_pad")  # type: ignore[attr-defined]
    acc = accumulator(em.buffer(op.operands[0]).dtype)

    def spread(n, c, taps, g, add) -> None:  # type: ignore[no-untyped-def]
        one, zero = em.const(1, acc), em.const(0, acc)
        if include_pad:
            divisor = em.const(kh * kw, acc)
        else:
            count = zero
            for inside, _ in taps:
                count = em.add(count, em.select(inside, one, zero))
            divisor = em.max(count, one, acc)
        share = em.div(g, divisor, acc)
        for inside, at in taps:
            add(inside, at, share)

    scatter_pool_grad(em, op, spread)


lowering.register(onnx_ops.ConvOp)(LoopNest(lower_conv))
lowering.register(onnx_ops.MaxPoolOp)(LoopNest(lower_max_pool))
lowering.register(onnx_ops.AvgPoolOp)(LoopNest(lower_avg_pool))
lowering.register(backward.Conv2dGradOp)(LoopNest(lower_conv2d_grad))
lowering.register(backward.MaxPool2dGradOp)(LoopNest(lower_max_pool2d_grad))
lowering.register(backward.AvgPool2dGradOp)(LoopNest(lower_avg_pool2d_grad))
