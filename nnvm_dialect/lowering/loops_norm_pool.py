"""CPU lowerings of pooling, normalisation, matrix products beyond dense, conv2d_transpose.

Statistics-based ops (layer_norm, instance_norm, l2_normalize, global pools) are `LoopNest`s:
per group of elements that share statistics, one pass computes them and a second writes the
results through `em.result`. matmul and batch_matmul reuse dense's register-blocked dot
products. Statistics and window sums accumulate in double precision, as the reference does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import IndexType
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Buffer, Index
from nnvm_dialect.lowering.loops_nn import (
    LayoutMap,
    blocked_dot,
    data_layout,
    dot_accumulator,
    out_layout,
    reshaped,
    window_taps,
)
from nnvm_dialect.lowering.nnvm_to_loops import (
    LoopNest,
    Lowering,
    PerElement,
    tensor_dtype,
    tensor_shape,
)
from nnvm_dialect.ops import matmul as mm
from nnvm_dialect.ops import nn, norm, pool, vision
from nnvm_dialect.ops.nn import normalize_axis
from nnvm_dialect.ops.nn_common import accumulator

Step = Callable[[list[Index | int], list[SSAValue]], list[SSAValue]]


def over(
    em: Lowering,
    shape: Sequence[int],
    axes: Sequence[int],
    at: list[Index | int],
    inits: list[SSAValue],
    step: Step,
) -> list[SSAValue]:
    """Carry `inits` over every index of `axes` (the others fixed by `at`)."""

    def level(k: int, carried: list[SSAValue]) -> list[SSAValue]:
        if k == len(axes):
            return step(list(at), carried)

        def body(iv: Index, c: list[SSAValue]) -> list[SSAValue]:
            at[axes[k]] = iv
            return level(k + 1, c)

        return em.loop_carried(0, shape[axes[k]], carried, body)

    return level(0, inits)


def grouped(em: Lowering, shape: Sequence[int], axes: Sequence[int], body: Callable) -> None:  # type: ignore[type-arg]
    """body(at) for each index of the dims not in `axes` (those set to 0 in `at`)."""
    outer = [1 if a in axes else d for a, d in enumerate(shape)]
    em.nest(outer, lambda idx: body([em.index(0) if a in axes else v for a, v in enumerate(idx)]))


# Pooling --------------------------------------------------------------------------------------


def mean_of(em: Lowering, taps, dtype: np.dtype, window: int | None) -> SSAValue:  # type: ignore[no-untyped-def]
    """The sum of the taps inside the data (in double precision) divided by `window`, or by
    their number when `window` is None (at least 1)."""
    acc = accumulator(dtype)
    total, count = em.const(0, acc), em.const(0, acc)
    one, zero = em.const(1, acc), em.const(0, acc)
    for inside, v in taps:
        total = em.add(total, em.select(inside, em.cast(v, dtype, acc), zero))
        count = em.add(count, em.select(inside, one, zero))
    divisor = em.const(window, acc) if window is not None else em.max(count, one, acc)
    return em.cast(em.div(total, divisor, acc), acc, dtype)


def lower_avg_pool2d(em: Lowering, op: Operation) -> None:
    data, out = em.buffer(op.operands[0]), em.out(op, 0)
    layout = data_layout(op)
    n_, c_, _, _ = layout.dims(data.shape)
    _, _, oh_, ow_ = layout.dims(out.shape)
    kh, kw = op.ints_attr("pool_size")  # type: ignore[attr-defined]
    window = kh * kw if op.bool_attr("count_include_pad") else None  # type: ignore[attr-defined]

    def body(idx: list[Index]) -> None:
        value = mean_of(em, window_taps(em, op, data, layout, idx), data.dtype, window)
        em.result(op, 0, layout.index(em, idx), value)  # type: ignore[arg-type]

    em.nest((n_, c_, oh_, ow_), body)


def lower_global_pool(kind: str) -> LoopNest:
    def emit(em: Lowering, op: Operation) -> None:
        data = em.buffer(op.operands[0])
        layout = data_layout(op)
        n_, c_, h_, w_ = layout.dims(data.shape)
        dtype = data.dtype
        acc = dtype if kind == "max" else accumulator(dtype)

        def body(idx: list[Index]) -> None:
            n, c = idx

            def step(k: Index, carried: list[SSAValue]) -> list[SSAValue]:
                hw = em.delinear((h_, w_), k)
                x = em.cast(em.load(data, layout.index(em, [n, c, *hw])), dtype, acc)
                if kind == "max":
                    return [em.max(carried[0], x, dtype)]
                return [em.add(carried[0], x, True)]

            start = em.const(pool.lowest(dtype) if kind == "max" else 0, acc)
            (total,) = em.loop_carried(0, h_ * w_, [start], step)
            if kind == "avg":
                total = em.cast(em.div(total, em.const(h_ * w_, acc), acc), acc, dtype)
            em.result(op, 0, layout.index(em, [n, c, 0, 0]), total)  # type: ignore[arg-type]

        em.nest((n_, c_), body)

    return LoopNest(emit)


def upsampling_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """Nearest: in[y // s, x // s]. Bilinear: at source (y / s, x / s), edges clamped, in f64."""
    layout = data_layout(op)
    scale = op.int_attr("scale")  # type: ignore[attr-defined]
    n, c, y, x = layout.canonical_index(em, idx, tensor_shape(op.results[0]))
    y0, x0 = em.idiv(y, scale), em.idiv(x, scale)
    if op.str_attr("method") == "NEAREST_NEIGHBOR":  # type: ignore[attr-defined]
        return em.operand(op, 0, layout.index(em, [n, c, y0, x0]))  # type: ignore[arg-type]
    _, _, h_, w_ = layout.dims(tensor_shape(op.operands[0]))
    dtype, wide = tensor_dtype(op.operands[0]), np.dtype(np.float64)
    y1, x1 = em.imin(em.iadd(y0, 1), h_ - 1), em.imin(em.iadd(x0, 1), w_ - 1)

    def frac(v: Index) -> SSAValue:
        part = em.index_cast(em.irem(v, scale), np.dtype(np.int64))
        return em.div(em.cast(part, np.dtype(np.int64), wide), em.const(scale, wide), wide)

    ty, tx = frac(y), frac(x)
    one = em.const(1, wide)

    def at(yy: Index, xx: Index) -> SSAValue:
        return em.cast(em.operand(op, 0, layout.index(em, [n, c, yy, xx])), dtype, wide)  # type: ignore[arg-type]

    top = em.add(em.mul(at(y0, x0), em.sub(one, tx)), em.mul(at(y0, x1), tx))
    bottom = em.add(em.mul(at(y1, x0), em.sub(one, tx)), em.mul(at(y1, x1), tx))
    return em.cast(em.add(em.mul(top, em.sub(one, ty)), em.mul(bottom, ty)), wide, dtype)


def resize_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """ONNX Resize: the source coordinate of each output row and column in double precision,
    by the reference's operations in its order (so that ties round alike), clamped to the input;
    the nearest element, or H then W linear interpolation."""
    layout = LayoutMap.of(op.str_attr("layout"), "NCHW")  # type: ignore[attr-defined]
    out_shape, in_shape = tensor_shape(op.results[0]), tensor_shape(op.operands[0])
    n, c, y, x = layout.canonical_index(em, idx, out_shape)
    sizes, outs = layout.dims(in_shape)[2:], layout.dims(out_shape)[2:]
    mode, rounding = op.mode(), op.rounding()  # type: ignore[attr-defined]
    wide, i64 = np.dtype(np.float64), np.dtype(np.int64)

    def f(value: float) -> SSAValue:
        return em.const(value, wide)

    def coordinate(o: Index, size: int, out: int, scale: float | None) -> SSAValue:
        at = em.cast(em.index_cast(o, i64), i64, wide)
        if mode == "align_corners" or (mode == "pytorch_half_pixel" and out == 1):
            if out <= 1 or mode != "align_corners":
                return f(0)
            return em.emit(arith.DivfOp(em.emit(arith.MulfOp(at, f(size - 1))), f(out - 1)))
        if mode != "asymmetric":
            at = em.emit(arith.AddfOp(at, f(0.5)))
        if scale is not None:
            at = em.emit(arith.DivfOp(at, f(scale)))
        else:
            at = em.emit(arith.DivfOp(em.emit(arith.MulfOp(at, f(size))), f(out)))
        return at if mode == "asymmetric" else em.emit(arith.SubfOp(at, f(0.5)))

    def clamp(v: SSAValue, size: int) -> SSAValue:
        return em.min(em.max(v, f(0), wide), f(size - 1), wide)

    def to_index(v: SSAValue) -> Index:
        return em.emit(arith.IndexCastOp(em.cast(v, wide, i64), IndexType()))

    coords = [coordinate(o, *dims) for o, dims in zip((y, x), zip(sizes, outs, op.scales()))]  # type: ignore[attr-defined]
    if op.str_attr("method") == "NEAREST_NEIGHBOR":  # type: ignore[attr-defined]
        picked = []
        for v, size in zip(coords, sizes):
            if rounding == "round_prefer_floor":
                v = em.math(mathd.CeilOp, em.emit(arith.SubfOp(v, f(0.5))))
            elif rounding == "round_prefer_ceil":
                v = em.math(mathd.FloorOp, em.emit(arith.AddfOp(v, f(0.5))))
            else:
                v = em.math(mathd.FloorOp if rounding == "floor" else mathd.CeilOp, v)
            picked.append(to_index(clamp(v, size)))
        return em.operand(op, 0, layout.index(em, [n, c, *picked]))  # type: ignore[arg-type]
    lows, highs, fracs = [], [], []
    for v, size in zip(coords, sizes):
        v = clamp(v, size)
        low = em.math(mathd.FloorOp, v)
        lows.append(to_index(low))
        highs.append(em.imin(em.iadd(lows[-1], 1), size - 1))
        fracs.append(em.emit(arith.SubfOp(v, low)))
    dtype = tensor_dtype(op.operands[0])

    def at(yy: Index, xx: Index) -> SSAValue:
        return em.cast(em.operand(op, 0, layout.index(em, [n, c, yy, xx])), dtype, wide)  # type: ignore[arg-type]

    (y0, x0), (y1, x1), (ty, tx) = lows, highs, fracs
    one = f(1)
    left = em.add(em.mul(at(y0, x0), em.sub(one, ty)), em.mul(at(y1, x0), ty))
    right = em.add(em.mul(at(y0, x1), em.sub(one, ty)), em.mul(at(y1, x1), ty))
    return em.cast(em.add(em.mul(left, em.sub(one, tx)), em.mul(right, tx)), wide, dtype)


def multibox_prior_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    """Row k of the anchors is box k % B of pixel k // B; its half sizes are constants, picked
    by the box number. In double precision, as the reference computes them."""
    h, w = tensor_shape(op.operands[0])[2:]
    sizes, ratios = vision.floats_attr(op, "sizes"), vision.floats_attr(op, "ratios")  # type: ignore[arg-type]
    (step_h, step_w), (off_h, off_w) = (vision.floats_attr(op, a) for a in ("steps", "offsets"))  # type: ignore[arg-type]
    step_h = step_h if step_h > 0 else 1.0 / h
    step_w = step_w if step_w > 0 else 1.0 / w
    half = [(s * h / w / 2, s / 2) for s in sizes]
    half += [(sizes[0] * h / w * np.sqrt(r) / 2, sizes[0] / np.sqrt(r) / 2) for r in ratios[1:]]
    wide, i64 = np.dtype(np.float64), np.dtype(np.int64)
    _, k, side = idx
    pixel, box = em.idiv(k, len(half)), em.irem(k, len(half))
    i, j = em.idiv(pixel, w), em.irem(pixel, w)

    def centre(at: Index, offset: float, step: float) -> SSAValue:
        at_f = em.cast(em.index_cast(at, i64), i64, wide)
        return em.emit(
            arith.MulfOp(em.emit(arith.AddfOp(at_f, em.const(offset, wide))), em.const(step, wide))
        )

    cy, cx = centre(i, off_h, step_h), centre(j, off_w, step_w)
    half_w, half_h = em.const(half[0][0], wide), em.const(half[0][1], wide)
    for b, (hw_, hh_) in enumerate(half[1:], 1):
        this = em.icmp("eq", box, b)
        half_w = em.select(this, em.const(float(hw_), wide), half_w)
        half_h = em.select(this, em.const(float(hh_), wide), half_h)
    values = [
        em.emit(arith.SubfOp(cx, half_w)),
        em.emit(arith.SubfOp(cy, half_h)),
        em.emit(arith.AddfOp(cx, half_w)),
        em.emit(arith.AddfOp(cy, half_h)),
    ]
    value = values[0]
    for s_, v in enumerate(values[1:], 1):
        value = em.select(em.icmp("eq", side, s_), v, value)
    if op.bool_attr("clip"):  # type: ignore[attr-defined]
        value = em.min(em.max(value, em.const(0, wide), wide), em.const(1, wide), wide)
    return em.cast(value, wide, tensor_dtype(op.results[0]))


# Normalisation -------------------------------------------------------------------------------


def lower_stats_norm(em: Lowering, op: Operation) -> None:
    """layer_norm, instance_norm: mean and variance over the reduced axes, then scale/shift."""
    x = em.buffer(op.operands[0])
    shape, dtype = x.shape, x.dtype
    acc = accumulator(dtype)
    axes = op.reduced_axes(len(shape))  # type: ignore[attr-defined]
    channel = normalize_axis(op.int_attr("axis"), len(shape))  # type: ignore[attr-defined]
    count = em.const(math.prod(shape[a] for a in axes), acc)
    eps = em.const(op.float_attr("epsilon"), acc)  # type: ignore[attr-defined]

    def load(at: list[Index | int]) -> SSAValue:
        return em.cast(em.load(x, at), dtype, acc)

    def body(base: list[Index | int]) -> None:
        (total,) = over(em, shape, axes, list(base), [em.const(0, acc)],
                        lambda at, c: [em.add(c[0], load(at), True)])  # fmt: skip
        mean = em.div(total, count, acc)

        def square(at: list[Index | int], c: list[SSAValue]) -> list[SSAValue]:
            d = em.sub(load(at), mean)
            return [em.add(c[0], em.mul(d, d), True)]

        (ss,) = over(em, shape, axes, list(base), [em.const(0, acc)], square)
        inv = em.div(
            em.const(1, acc), em.math(mathd.SqrtOp, em.add(em.div(ss, count, acc), eps)), acc
        )

        def write(at: list[Index | int], c: list[SSAValue]) -> list[SSAValue]:
            y = em.mul(em.sub(load(at), mean), inv)
            ch = [at[channel]]
            if op.bool_attr("scale"):  # type: ignore[attr-defined]
                y = em.mul(y, em.cast(em.load(em.buffer(op.operands[1]), ch), dtype, acc))  # type: ignore[arg-type]
            if op.bool_attr("center"):  # type: ignore[attr-defined]
                y = em.add(y, em.cast(em.load(em.buffer(op.operands[2]), ch), dtype, acc))  # type: ignore[arg-type]
            em.result(op, 0, at, em.cast(y, acc, dtype))  # type: ignore[arg-type]
            return c

        over(em, shape, axes, list(base), [], write)

    grouped(em, shape, axes, body)


def lower_l2_normalize(em: Lowering, op: Operation) -> None:
    x = em.buffer(op.operands[0])
    shape, dtype = x.shape, x.dtype
    acc = accumulator(dtype)
    axes = op.axes(len(shape))  # type: ignore[attr-defined]
    eps = em.const(op.float_attr("eps"), acc)  # type: ignore[attr-defined]

    def load(at: list[Index | int]) -> SSAValue:
        return em.cast(em.load(x, at), dtype, acc)

    def body(base: list[Index | int]) -> None:
        def square(at: list[Index | int], c: list[SSAValue]) -> list[SSAValue]:
            v = load(at)
            return [em.add(c[0], em.mul(v, v), True)]

        (ss,) = over(em, shape, axes, list(base), [em.const(0, acc)], square)
        norm_ = em.math(mathd.SqrtOp, em.max(ss, eps, acc))

        def write(at: list[Index | int], c: list[SSAValue]) -> list[SSAValue]:
            em.result(op, 0, at, em.cast(em.div(load(at), norm_, acc), acc, dtype))  # type: ignore[arg-type]
            return c

        over(em, shape, axes, list(base), [], write)

    grouped(em, shape, axes, body)


def lrn_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape, dtype = tensor_shape(op.operands[0]), tensor_dtype(op.operands[0])
    acc = accumulator(dtype)
    axis, size = normalize_axis(op.int_attr("axis"), len(shape)), op.int_attr("size")  # type: ignore[attr-defined]
    alpha, beta, bias = (op.float_attr(a) for a in ("alpha", "beta", "bias"))  # type: ignore[attr-defined]
    total = em.const(0, acc)
    zero = em.const(0, acc)
    for off in range(-((size - 1) // 2), size // 2 + 1):
        j = em.iadd(idx[axis], off)
        inside = em.emit_and([em.icmp("sge", j, 0), em.icmp("slt", j, shape[axis])])
        at = [em.select(inside, j, em.index(0)) if k == axis else v for k, v in enumerate(idx)]
        v = em.cast(em.operand(op, 0, at), dtype, acc)
        total = em.add(total, em.select(inside, em.mul(v, v), zero))
    x = em.cast(em.operand(op, 0, idx), dtype, acc)
    base = em.add(em.const(bias, acc), em.mul(em.const(alpha / size, acc), total))
    denom = em.emit(mathd.PowFOp(base, em.const(beta, acc)))
    return em.cast(em.div(x, denom, acc), acc, dtype)


# matmul, batch_matmul ------------------------------------------------------------------------


def lower_matmul(em: Lowering, op: Operation) -> None:
    a_buf, b_buf = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    a2 = a_buf if len(a_buf.shape) > 1 else reshaped(a_buf, (1, *a_buf.shape))
    b2 = b_buf if len(b_buf.shape) > 1 else reshaped(b_buf, (1, *b_buf.shape))
    ta, tb = op.bool_attr("transpose_a"), op.bool_attr("transpose_b")  # type: ignore[attr-defined]
    lhs = a2.shape[::-1] if ta else a2.shape
    rhs = b2.shape[::-1] if tb else b2.shape
    m, k, n = math.prod(lhs[:-1]), lhs[-1], math.prod(rhs[1:])
    out_shape = tensor_shape(op.results[0])

    def physical(buf: Buffer, logical: list[Index | int], transposed: bool) -> SSAValue:
        return em.load(buf, logical[::-1] if transposed else logical)

    def a_at(i: Index, kk: Index) -> SSAValue:
        return physical(a2, [*em.delinear(lhs[:-1], i), kk], ta)

    def b_at(j: Index, kk: Index) -> SSAValue:
        return physical(b2, [kk, *em.delinear(rhs[1:], j)], tb)

    def finish(i: Index, j: Index, total: SSAValue) -> None:
        idx = [*em.delinear(lhs[:-1], i), *em.delinear(rhs[1:], j)]
        at = idx if len(idx) == len(out_shape) else [em.iadd(em.imul(i, n), j)]
        em.result(op, 0, at, em.cast(total, dot_accumulator(a_buf.dtype), a_buf.dtype))

    blocked_dot(em, m, n, k, a_buf.dtype, a_at, b_at, finish)


def lower_batch_matmul(em: Lowering, op: Operation) -> None:
    x, y = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    ta, tb = op.bool_attr("transpose_a"), op.bool_attr("transpose_b")  # type: ignore[attr-defined]
    b_, m, n = tensor_shape(op.results[0])
    k = x.shape[1] if ta else x.shape[2]

    def batch(bi: Index) -> None:
        bx = em.index(0) if x.shape[0] == 1 else bi
        by = em.index(0) if y.shape[0] == 1 else bi

        def a_at(i: Index, kk: Index) -> SSAValue:
            return em.load(x, [bx, kk, i] if ta else [bx, i, kk])

        def b_at(j: Index, kk: Index) -> SSAValue:
            return em.load(y, [by, j, kk] if tb else [by, kk, j])

        def finish(i: Index, j: Index, total: SSAValue) -> None:
            em.result(op, 0, [bi, i, j], em.cast(total, dot_accumulator(x.dtype), x.dtype))

        blocked_dot(em, m, n, k, x.dtype, a_at, b_at, finish)

    em.loop(0, b_, batch)


lowering.register(pool.AvgPool2dOp)(LoopNest(lower_avg_pool2d))
lowering.register(pool.GlobalMaxPool2dOp)(lower_global_pool("max"))
lowering.register(pool.GlobalAvgPool2dOp)(lower_global_pool("avg"))
lowering.register(pool.UpsamplingOp)(PerElement(upsampling_value))
lowering.register(vision.ResizeOp)(PerElement(resize_value))
lowering.register(vision.MultiboxPriorOp)(PerElement(multibox_prior_value))
lowering.register(norm.LayerNormOp, norm.InstanceNormOp)(LoopNest(lower_stats_norm))
lowering.register(norm.L2NormalizeOp)(LoopNest(lower_l2_normalize))
lowering.register(norm.LrnOp)(PerElement(lrn_value))
lowering.register(mm.MatmulOp)(LoopNest(lower_matmul))
lowering.register(mm.BatchMatmulOp)(LoopNest(lower_batch_matmul))


def lower_conv2d_transpose(em: Lowering, op: Operation) -> None:
    data, weight = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    bias = em.buffer(op.operands[2]) if len(op.operands) == 3 else None
    xl = data_layout(op)
    yl = out_layout(op) if "out_layout" in op.properties else xl
    wl = LayoutMap.of(op.str_attr("kernel_layout"), "OIHW")  # type: ignore[attr-defined]
    groups, windows = op.int_attr("groups"), op.windows()  # type: ignore[attr-defined]
    transposed_conv(em, op, 0, data, weight, bias, (xl, wl, yl), groups, windows)


def transposed_conv(
    em: Lowering,
    op: Operation,
    r: int,
    data: Buffer,
    weight: Buffer,
    bias: Buffer | None,
    layouts: tuple[LayoutMap, LayoutMap, LayoutMap],
    groups: int,
    windows: Sequence[tuple[int, int, int, int]],
) -> None:
    """Result `r` of `op`, the transposed convolution of `data` (also conv2d's data gradient):
    each output element gathers the input pixels whose scatter reaches it. `windows` are the
    (kernel, stride, padding, dilation) of H and W; the layouts those of data, weight, result."""
    xl, wl, yl = layouts
    out = em.out(op, r)
    n_, c_, h_, w_ = xl.dims(data.shape)
    _, og, kh, kw = wl.dims(weight.shape)
    _, o_, oh_, ow_ = yl.dims(out.shape)
    cg = c_ // groups
    (_, sh, ph, dh), (_, sw, pw, dw) = windows
    dtype = data.dtype
    acc_t = dot_accumulator(dtype)
    bound = (oh_ + ow_ + (kh + kw) * (dh + dw) + ph + pw + 2) * max(sh, sw)
    bias_block = 1 if bias is None or len(bias.shape) == 1 else bias.shape[1]

    def body(idx: list[Index]) -> None:
        n, o, y, x = idx
        g = em.idiv(o, og)
        oi = em.irem(o, og) if groups > 1 else o
        taps = []
        for ky in range(kh):
            num_y = em.iadd(y, ph - ky * dh)
            iy = em.ifloordiv(num_y, sh, bound)
            ok_y = [em.icmp("eq", em.imul(iy, sh), num_y), em.icmp("sge", iy, 0),
                    em.icmp("slt", iy, h_)]  # fmt: skip
            for kx in range(kw):
                num_x = em.iadd(x, pw - kx * dw)
                ix = em.ifloordiv(num_x, sw, bound)
                ok = em.emit_and([*ok_y, em.icmp("eq", em.imul(ix, sw), num_x),
                                  em.icmp("sge", ix, 0), em.icmp("slt", ix, w_)])  # fmt: skip
                taps.append((ky, kx, ok, em.select(ok, iy, em.index(0)),
                             em.select(ok, ix, em.index(0))))  # fmt: skip

        def channel(ci: Index, acc: list[SSAValue]) -> list[SSAValue]:
            c = em.iadd(em.imul(g, cg), ci)
            total = acc[0]
            for ky, kx, ok, iy, ix in taps:
                v = em.cast(em.load(data, xl.index(em, [n, c, iy, ix])), dtype, acc_t)
                wv = em.cast(em.load(weight, wl.index(em, [c, oi, ky, kx])), dtype, acc_t)
                total = em.select(ok, em.add(total, em.mul(v, wv), True), total)
            return [total]

        (total,) = em.loop_carried(0, cg, [em.const(0, acc_t)], channel)
        if bias is not None:
            at = [o] if bias_block == 1 else [em.idiv(o, bias_block), em.irem(o, bias_block)]
            total = em.add(total, em.cast(em.load(bias, at), dtype, acc_t))
        em.result(op, r, yl.index(em, idx), em.cast(total, acc_t, dtype))  # type: ignore[arg-type]

    em.nest((n_, o_, oh_, ow_), body)


lowering.register(nn.Conv2dTransposeOp)(LoopNest(lower_conv2d_transpose))
