"""CPU lowerings of the neural-network ops: dense, conv2d, pooling, normalisation, softmax, pad.

The out-elementwise-fusable ops are `LoopNest`s whose inner loops run along the contiguous last
dim (i-k-j for dense, output rows for conv2d) so LLVM vectorises them; each finished element goes
through `em.result`, the epilogue hook of a fused group. Layouts other than NCHW/OIHW are handled
by indexing: a canonical (n, c, h, w) index is mapped into the buffer's layout (`LayoutMap`,
blocked layouts such as NCHW8c included).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import math as mathd
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Buffer, Index
from nnvm_dialect.lowering.narrow import FORMATS
from nnvm_dialect.lowering.nnvm_to_loops import (
    LoopNest,
    Lowering,
    PerElement,
    tensor_dtype,
    tensor_shape,
)
from nnvm_dialect.ops import nn
from nnvm_dialect.ops.nn import normalize_axis
from nnvm_dialect.ops.pool import lowest


def reshaped(buf: Buffer, shape: Sequence[int]) -> Buffer:
    """The same storage seen with another shape of the same size."""
    assert math.prod(shape) == buf.size
    return Buffer(buf.memref, tuple(shape), buf.dtype)


_AXIS = re.compile(r"(\d*)([A-Za-z])")


@dataclass(frozen=True)
class LayoutMap:
    """A TVM layout string (`NHWC`, `NCHW8c`) mapping canonical indices to buffer indices."""

    canonical: str
    axes: tuple[tuple[str, int], ...]  # (letter, block size of its lower-case inner axis)

    @classmethod
    def of(cls, name: str, canonical: str) -> LayoutMap:
        tokens = [(letter, int(digits or 0)) for digits, letter in _AXIS.findall(name)]
        blocks = {letter.upper(): size for letter, size in tokens if letter.islower()}
        return cls(
            canonical, tuple((letter, blocks.get(letter.upper(), 1)) for letter, _ in tokens)
        )

    def dims(self, shape: Sequence[int]) -> list[int]:
        """The canonical dims of a buffer of `shape`."""
        sizes = dict(zip((a for a, _ in self.axes), shape))
        return [sizes[c] * dict(self.axes)[c] for c in self.canonical]

    def canonical_index(
        self, em: Lowering, idx: Sequence[Index], shape: Sequence[int]
    ) -> list[Index]:
        """The canonical index of buffer index `idx` (a blocked axis is outer * block + inner)."""
        at = {letter: (v, n) for (letter, _), v, n in zip(self.axes, idx, shape)}
        out: list[Index] = []
        for c in self.canonical:
            outer, _ = at[c]
            inner = at.get(c.lower())
            if inner is None:
                out.append(outer)
            else:
                out.append(em.iadd(em.imul(outer, inner[1]), inner[0]))
        return out

    def index(self, em: Lowering, canonical: Sequence[Index | int]) -> list[Index | int]:
        at = dict(zip(self.canonical, canonical))
        out: list[Index | int] = []
        for letter, block in self.axes:
            value = at[letter.upper()]
            if block == 1:
                out.append(value)
            elif letter.isupper():
                out.append(em.idiv(em.index(value), block))
            else:
                out.append(em.irem(em.index(value), block))
        return out


def data_layout(op: Operation, name: str = "layout") -> LayoutMap:
    return LayoutMap.of(op.str_attr(name), "NCHW")  # type: ignore[attr-defined]


def out_layout(op: Operation) -> LayoutMap:
    name = op.str_attr("out_layout")  # type: ignore[attr-defined]
    return data_layout(op) if name == "__undef__" else LayoutMap.of(name, "NCHW")


# dense -------------------------------------------------------------------------------------------


IB, JB = 2, 4
"""Dot products computed together: IB rows x JB columns, so per k, IB loads of the left operand
and JB of the right feed IB * JB products (a register block that LLVM vectorises along k)."""

At = Callable[[Index, Index], SSAValue]


def dot_accumulator(dtype: np.dtype) -> np.dtype:
    """float32 for half and the narrow floats: their products are exact in it and a long sum
    rounded to half at every step drifts far from the reference's single rounding (which numpy's
    float16 matmul also does); other dtypes sum in their own precision."""
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype == np.float16 or dtype.name in FORMATS else dtype


def blocked_dot(
    em: Lowering,
    m: int,
    n: int,
    k: int,
    dtype: np.dtype,
    a_at: At,
    b_at: At,
    finish: Callable[[Index, Index, SSAValue], None],
) -> None:
    """finish(i, j, sum over kk of a_at(i, kk) * b_at(j, kk)) for every i < m, j < n, the sum
    in `dot_accumulator(dtype)` (finish casts it back).

    The sums carry `reassoc`, so LLVM vectorises them along kk: fast when kk is the contiguous
    dim of both operands (dense), correct for any layout (matmul with transposes)."""
    acc_t = dot_accumulator(dtype)

    def block(i0: Index, height: int, j0: Index, width: int) -> None:
        rows = [em.iadd(i0, t) for t in range(height)]
        cols = [em.iadd(j0, t) for t in range(width)]

        def step(kk: Index, acc: list[SSAValue]) -> list[SSAValue]:
            xs = [em.cast(a_at(i, kk), dtype, acc_t) for i in rows]
            ws = [em.cast(b_at(j, kk), dtype, acc_t) for j in cols]
            products = [em.mul(a, b) for a in xs for b in ws]
            return [em.add(c, p, True) for c, p in zip(acc, products)]

        zero = em.const(0, acc_t)
        sums = iter(em.loop_carried(0, k, [zero] * (height * width), step))
        for i in rows:
            for j in cols:
                finish(i, j, next(sums))

    def row_block(i0: Index, height: int) -> None:
        full = n - n % JB
        em.loop(0, full, lambda j0: block(i0, height, j0, JB), step=JB)
        if full < n:
            block(i0, height, em.index(full), n - full)

    full_rows = m - m % IB
    em.loop(0, full_rows, lambda i0: row_block(i0, IB), step=IB)
    if full_rows < m:
        row_block(em.index(full_rows), m - full_rows)


def lower_dense(em: Lowering, op: Operation) -> None:
    """y = x . w^T + b as blocked dot products along the contiguous K of x and w: no packing,
    no accumulator in memory, the epilogue applied before the one store."""
    x, w = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    bias = em.buffer(op.operands[2]) if len(op.operands) == 3 else None
    n_units, k_in = w.shape
    m = x.size // k_in if k_in else 0
    x2 = reshaped(x, (m, k_in))
    batch_shape = em.out(op, 0).shape[:-1]
    acc = dot_accumulator(x.dtype)

    def finish(i: Index, j: Index, total: SSAValue) -> None:
        if bias:
            total = em.add(total, em.cast(em.load(bias, [j]), x.dtype, acc))
        at = em.delinear(batch_shape, i) if batch_shape else []
        em.result(op, 0, [*at, j], em.cast(total, acc, x.dtype))

    blocked_dot(
        em,
        m,
        n_units,
        k_in,
        x.dtype,
        lambda i, kk: em.load(x2, [i, kk]),
        lambda j, kk: em.load(w, [j, kk]),
        finish,
    )


# conv2d ------------------------------------------------------------------------------------------


def valid_range(
    em: Lowering, shift: Index, stride: int, size: int, out: int, bound: int
) -> tuple[Index, Index]:
    """Output positions o in [lo, hi) whose input position o * stride + shift is in [0, size)."""
    lo = em.imax(0, em.ifloordiv(em.iadd(em.neg_index(shift), stride - 1), stride, bound))
    hi = em.imin(
        out, em.iadd(em.ifloordiv(em.iadd(em.neg_index(shift), size - 1), stride, bound), 1)
    )
    return lo, hi


def lower_conv2d(em: Lowering, op: Operation) -> None:
    """Direct convolution: per output channel and kernel tap, an axpy over output rows, summed
    in the output itself, or in a float32 scratch plane for half (see `dot_accumulator`)."""
    data, weight = em.buffer(op.operands[0]), em.buffer(op.operands[1])
    bias = em.buffer(op.operands[2]) if len(op.operands) == 3 else None
    out = em.out(op, 0)
    xl, yl = data_layout(op), out_layout(op)
    wl = LayoutMap.of(op.str_attr("kernel_layout"), "OIHW")  # type: ignore[attr-defined]
    n_, _, h_, w_ = xl.dims(data.shape)
    o_, cg, kh, kw = wl.dims(weight.shape)
    _, _, oh_, ow_ = yl.dims(out.shape)
    bias_block = 1 if bias is None or len(bias.shape) == 1 else bias.shape[1]
    groups = op.int_attr("groups")  # type: ignore[attr-defined]
    og = o_ // groups
    attrs = (op.ints_attr(a) for a in ("strides", "padding", "dilation"))  # type: ignore[attr-defined]
    (sh, sw), (ph, pw), (dh, dw) = attrs
    bound = h_ + w_ + (kh + kw) * (dh + dw) + ph + pw + 2
    dtype = data.dtype
    acc = dot_accumulator(dtype)
    plane = em.scratch((oh_, ow_), acc) if acc != dtype else None

    def sums_at(n: Index, o: Index, oh: Index, ow: Index) -> tuple[Buffer, list[Index | int]]:
        if plane is None:
            return out, yl.index(em, [n, o, oh, ow])
        return plane, [oh, ow]

    def image(n: Index) -> None:
        def channel(o: Index) -> None:
            def init(idx: list[Index]) -> None:
                if bias is None:
                    v = em.const(0, dtype)
                elif bias_block == 1:
                    v = em.load(bias, [o])
                else:
                    v = em.load(bias, [em.idiv(o, bias_block), em.irem(o, bias_block)])
                em.store(em.cast(v, dtype, acc), *sums_at(n, o, idx[0], idx[1]))

            em.nest((oh_, ow_), init)
            group_base = em.imul(em.idiv(o, og), cg) if groups > 1 else em.index(0)

            def in_channel(ic: Index) -> None:
                c = em.iadd(group_base, ic)

                def tap_row(ky: Index) -> None:
                    shift_h = em.iadd(em.imul(ky, dh), -ph)
                    oh_lo, oh_hi = valid_range(em, shift_h, sh, h_, oh_, bound)

                    def tap(kx: Index) -> None:
                        shift_w = em.iadd(em.imul(kx, dw), -pw)
                        ow_lo, ow_hi = valid_range(em, shift_w, sw, w_, ow_, bound)
                        wv = em.cast(em.load(weight, wl.index(em, [o, ic, ky, kx])), dtype, acc)

                        def row(oh: Index) -> None:
                            ih = em.iadd(em.imul(oh, sh), shift_h)

                            def col(ow: Index) -> None:
                                iw = em.iadd(em.imul(ow, sw), shift_w)
                                buf, at = sums_at(n, o, oh, ow)
                                v = em.cast(em.load(data, xl.index(em, [n, c, ih, iw])), dtype, acc)
                                em.store(em.add(em.load(buf, at), em.mul(wv, v)), buf, at)

                            em.loop(ow_lo, ow_hi, col)

                        em.loop(oh_lo, oh_hi, row)

                    em.loop(0, kw, tap)

                em.loop(0, kh, tap_row)

            em.loop(0, cg, in_channel)
            if em.has_epilogue(op, 0) or plane is not None:

                def finish(idx: list[Index]) -> None:
                    total = em.cast(em.load(*sums_at(n, o, idx[0], idx[1])), acc, dtype)
                    em.result(op, 0, yl.index(em, [n, o, idx[0], idx[1]]), total)  # type: ignore[arg-type]

                em.nest((oh_, ow_), finish)

        em.loop(0, o_, channel)

    em.loop(0, n_, image)


# max_pool2d --------------------------------------------------------------------------------------


def tap_positions(
    em: Lowering,
    out_pos: Sequence[Index],
    sizes: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilation: Sequence[int],
    begin: Sequence[int],
):  # type: ignore[no-untyped-def]
    """Each tap of the window of output position `out_pos` over spatial dims of `sizes`
    (padded by `begin` before), in row-major kernel order: (whether it lies inside the data,
    its position there, 0 along every dim where it does not)."""
    per_dim = []  # per spatial dim, per kernel offset: (position, inside along this dim)
    for o, size, k, s, d, b in zip(out_pos, sizes, kernel, strides, dilation, begin):
        start = em.imul(o, s)
        steps = []
        for kk in range(k):
            p = em.iadd(start, kk * d - b)
            steps.append((p, em.emit_and([em.icmp("sge", p, 0), em.icmp("slt", p, size)])))
        per_dim.append(steps)
    for tap in itertools.product(*per_dim):
        inside = em.emit_and([ok for _, ok in tap])
        yield inside, [em.select(inside, p, em.index(0)) for p, _ in tap]


def window_taps(em: Lowering, op: Operation, data: Buffer, layout: LayoutMap, idx: list[Index]):  # type: ignore[no-untyped-def]
    """Each tap of the pooling window of output `idx`: (whether it lies inside the data, the
    value there, read at row and column 0 when it does not)."""
    n, c, oh, ow = idx
    _, _, h_, w_ = layout.dims(data.shape)
    kernel, strides = op.ints_attr("pool_size"), op.ints_attr("strides")  # type: ignore[attr-defined]
    top, left, _, _ = op.pads()  # type: ignore[attr-defined]
    for inside, (ih, iw) in tap_positions(
        em, [oh, ow], (h_, w_), kernel, strides, (1, 1), (top, left)
    ):
        yield inside, em.load(data, layout.index(em, [n, c, ih, iw]))


def max_of(em: Lowering, taps, dtype: np.dtype) -> SSAValue:  # type: ignore[no-untyped-def]
    """The largest value of the taps inside the data (NaN wins), the dtype's lowest if none."""
    acc = em.const(lowest(dtype), dtype)
    for inside, v in taps:
        acc = em.select(inside, em.max(acc, v, dtype), acc)
    return acc


def lower_max_pool2d(em: Lowering, op: Operation) -> None:
    data, out = em.buffer(op.operands[0]), em.out(op, 0)
    layout = data_layout(op)
    n_, c_, _, _ = layout.dims(data.shape)
    _, _, oh_, ow_ = layout.dims(out.shape)
    dtype = data.dtype

    def body(idx: list[Index]) -> None:
        acc = max_of(em, window_taps(em, op, data, layout, idx), dtype)
        em.result(op, 0, layout.index(em, idx), acc)  # type: ignore[arg-type]

    em.nest((n_, c_, oh_, ow_), body)


# batch_norm, softmax, pad ------------------------------------------------------------------------


def batch_norm_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    axis = normalize_axis(op.int_attr("axis"), len(shape))  # type: ignore[attr-defined]
    dtype = tensor_dtype(op.operands[0])
    c = [idx[axis]]
    x = em.operand(op, 0, idx)
    mean, var = em.operand(op, 3, c), em.operand(op, 4, c)
    eps = em.const(op.float_attr("epsilon"), dtype)  # type: ignore[attr-defined]
    y = em.div(em.sub(x, mean), em.math(mathd.SqrtOp, em.add(var, eps)), dtype)
    if op.bool_attr("scale"):  # type: ignore[attr-defined]
        y = em.mul(y, em.operand(op, 1, c))
    if op.bool_attr("center"):  # type: ignore[attr-defined]
        y = em.add(y, em.operand(op, 2, c))
    return y


def lower_softmax(em: Lowering, op: Operation, log: bool) -> None:
    x = em.buffer(op.operands[0])
    shape = x.shape
    axis = normalize_axis(op.int_attr("axis"), len(shape))  # type: ignore[attr-defined]
    outer = [d if i != axis else 1 for i, d in enumerate(shape)]
    dtype, n = x.dtype, shape[axis]

    def at(idx: list[Index], k: Index) -> list[Index]:
        return [k if i == axis else v for i, v in enumerate(idx)]

    wide = dot_accumulator(dtype)  # half: computed in float32, rounded once

    def body(idx: list[Index]) -> None:
        def load(k: Index) -> SSAValue:
            return em.cast(em.load(x, at(idx, k)), dtype, wide)

        def store(k: Index, y: SSAValue) -> None:
            em.result(op, 0, at(idx, k), em.cast(y, wide, dtype))

        (top,) = em.loop_carried(
            0, n, [em.const(-np.inf, wide)], lambda k, acc: [em.max(acc[0], load(k), wide)]
        )
        (total,) = em.loop_carried(
            0,
            n,
            [em.const(0, wide)],
            lambda k, acc: [em.add(acc[0], em.exp(em.sub(load(k), top)), True)],
        )
        if log:
            shift = em.add(top, em.math(mathd.LogOp, total))
            em.loop(0, n, lambda k: store(k, em.sub(load(k), shift)))
        else:
            em.loop(0, n, lambda k: store(k, em.div(em.exp(em.sub(load(k), top)), total, wide)))

    em.nest(outer, body)


def pad_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    shape = tensor_shape(op.operands[0])
    dtype = tensor_dtype(op.operands[0])
    pairs = op.int_pairs_attr("pad_width")  # type: ignore[attr-defined]
    if not shape:
        return em.operand(op, 0, [])
    conds, src = [], []
    for i, (before, _), d in zip(idx, pairs, shape):
        j = em.iadd(i, -before)
        conds += [em.icmp("sge", j, 0), em.icmp("slt", j, d)]
        src.append(j)
    inside = em.emit_and(conds)
    safe = [em.select(inside, j, em.index(0)) for j in src]
    value = em.const(np.asarray(op.float_attr("pad_value")).astype(dtype).item(), dtype)  # type: ignore[attr-defined]
    return em.select(inside, em.operand(op, 0, safe), value)


lowering.register(nn.DenseOp)(LoopNest(lower_dense))
lowering.register(nn.Conv2dOp)(LoopNest(lower_conv2d))
lowering.register(nn.MaxPool2dOp)(LoopNest(lower_max_pool2d))
lowering.register(nn.BatchNormOp)(PerElement(batch_norm_value))
lowering.register(nn.SoftmaxOp)(LoopNest(lambda em, op: lower_softmax(em, op, False)))
lowering.register(nn.LogSoftmaxOp)(LoopNest(lambda em, op: lower_softmax(em, op, True)))
lowering.register(nn.PadOp)(PerElement(pad_value))
