"""Building scalar loop code on flat buffers: the vocabulary every op's CPU `lowering` speaks.

An `Emitter` appends scf/arith/math/memref ops to a current block. Buffers are flat, row-major
`memref<N x T>` values (the stage computes linear indices itself, so the memref -> llvm stage only
has to turn `load %buf[%i]` into a getelementptr). Scalars carry their numpy dtype alongside,
because arith is signless: division, comparison and conversion pick signed or unsigned forms from
it. Booleans are i8 in memory (as numpy stores them) and i1 in registers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import arith, memref, scf
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue

Index = SSAValue
"""An `index`-typed SSA value."""

_FLOAT_TYPES = {2: Float16Type, 4: Float32Type, 8: Float64Type}


def scalar_type(dtype: np.dtype) -> Attribute:
    """The register type of a dtype: floats as such, integers signless, bool as i1."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f" and dtype.itemsize in _FLOAT_TYPES:  # not float8_e5m2: see narrow.py
        return _FLOAT_TYPES[dtype.itemsize]()
    if dtype.kind == "b":
        return IntegerType(1)
    return IntegerType(dtype.itemsize * 8)


def storage_type(dtype: np.dtype) -> Attribute:
    """The in-memory type: as `scalar_type`, except bool is a byte."""
    dtype = np.dtype(dtype)
    return IntegerType(8) if dtype.kind == "b" else scalar_type(dtype)


def buffer_type(shape: Sequence[int], dtype: np.dtype) -> MemRefType:
    return MemRefType(storage_type(dtype), [max(1, math.prod(shape))])


def row_major(shape: Sequence[int]) -> tuple[int, ...]:
    strides, step = [], 1
    for d in reversed(shape):
        strides.append(step)
        step *= d
    return tuple(reversed(strides))


@dataclass(frozen=True)
class Buffer:
    """A tensor's storage: a flat memref with the tensor's logical shape and dtype."""

    memref: SSAValue
    shape: tuple[int, ...]
    dtype: np.dtype

    @property
    def size(self) -> int:
        return math.prod(self.shape)


FAST = arith.FastMathFlagsAttr(["contract"])
REASSOC = arith.FastMathFlagsAttr(["reassoc", "contract"])


class Emitter:
    """Appends ops at the end of `block`; `loop` and friends move it into nested bodies."""

    def __init__(self, block: Block):
        self.block = block
        self.entry = block
        self.constants: dict[tuple[object, Attribute], SSAValue] = {}

    def constant(self, value: IntegerAttr | FloatAttr) -> SSAValue:
        """One `arith.constant` per value, at the top of the function, dominating every use."""
        key = (value.value.data, value.type)
        if key not in self.constants:
            op = arith.ConstantOp(value)
            first = self.entry.first_op
            if first is None:
                self.entry.add_op(op)
            else:
                self.entry.insert_op_before(op, first)
            self.constants[key] = op.result
        return self.constants[key]

    def emit(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0] if op.results else None  # type: ignore[return-value]

    # Constants -----------------------------------------------------------------------------

    def index(self, value: int | Index) -> Index:
        if isinstance(value, SSAValue):
            return value
        return self.constant(IntegerAttr(int(value), IndexType()))

    def const(self, value: float | int | bool, dtype: np.dtype) -> SSAValue:
        dtype = np.dtype(dtype)
        t = scalar_type(dtype)
        if dtype.kind == "f":
            return self.constant(FloatAttr(float(value), t))  # type: ignore[arg-type]
        if dtype.kind == "b":
            return self.constant(IntegerAttr(int(bool(value)), t))
        bits = dtype.itemsize * 8
        v = int(value) & ((1 << bits) - 1)
        if v >= 1 << (bits - 1):
            v -= 1 << bits  # signless constants are written signed
        return self.constant(IntegerAttr(v, t))

    # Index arithmetic ----------------------------------------------------------------------

    def iadd(self, a: Index | int, b: Index | int) -> Index:
        if isinstance(a, int) and isinstance(b, int):
            return self.index(a + b)
        if isinstance(b, int) and b == 0:
            return self.index(a)
        if isinstance(a, int) and a == 0:
            return self.index(b)
        return self.emit(arith.AddiOp(self.index(a), self.index(b)))

    def imul(self, a: Index | int, b: Index | int) -> Index:
        if isinstance(a, int) and isinstance(b, int):
            return self.index(a * b)
        if isinstance(b, int) and b == 1:
            return self.index(a)
        if isinstance(a, int) and a == 1:
            return self.index(b)
        return self.emit(arith.MuliOp(self.index(a), self.index(b)))

    def idiv(self, a: Index, b: int) -> Index:
        return a if b == 1 else self.emit(arith.DivUIOp(a, self.index(b)))

    def irem(self, a: Index, b: int) -> Index:
        return self.emit(arith.RemUIOp(a, self.index(b)))

    def neg_index(self, a: Index) -> Index:
        return self.emit(arith.SubiOp(self.index(0), a))

    def index_cast(self, a: Index, dtype: np.dtype) -> SSAValue:
        """An index as an integer of `dtype`."""
        return self.emit(arith.IndexCastOp(a, scalar_type(dtype)))

    def ifloordiv(self, a: Index, b: int, bound: int) -> Index:
        """floor(a / b) for b > 0 and |a| <= bound (shifted to unsigned division)."""
        k = bound // b + 1
        return self.iadd(self.idiv(self.iadd(a, b * k), b), -k)

    def imax(self, a: Index | int, b: Index | int) -> Index:
        return self.select(self.icmp("sgt", a, b), self.index(a), self.index(b))

    def imin(self, a: Index | int, b: Index | int) -> Index:
        return self.select(self.icmp("slt", a, b), self.index(a), self.index(b))

    def icmp(self, pred: str, a: Index | int, b: Index | int) -> SSAValue:
        return self.emit(arith.CmpiOp(self.index(a), self.index(b), pred))

    def emit_and(self, conds: Sequence[SSAValue]) -> SSAValue:
        """The conjunction of i1 values."""
        result = conds[0]
        for c in conds[1:]:
            result = self.emit(arith.AndIOp(result, c))
        return result

    def linear(self, shape: Sequence[int], idx: Sequence[Index | int]) -> Index:
        """Row-major offset of `idx` in `shape`; one index into a larger shape is already flat."""
        if len(idx) == 1 and len(shape) != 1:
            return self.index(idx[0])
        offset: Index | int = 0
        for i, stride, dim in zip(idx, row_major(shape), shape):
            if dim != 1:
                offset = self.iadd(offset, self.imul(i, stride))
        return self.index(offset)

    def delinear(self, shape: Sequence[int], flat: Index) -> list[Index]:
        """The multi-index of row-major offset `flat` in `shape`."""
        idx: list[Index] = []
        for stride, dim in zip(row_major(shape), shape):
            if dim == 1:
                idx.append(self.index(0))
                continue
            q = self.idiv(flat, stride)
            idx.append(q if stride * dim >= math.prod(shape) else self.irem(q, dim))
        return idx

    # Memory --------------------------------------------------------------------------------

    def load(self, buf: Buffer, idx: Sequence[Index | int]) -> SSAValue:
        value = self.emit(memref.LoadOp.get(buf.memref, [self.linear(buf.shape, idx)]))
        if buf.dtype.kind == "b":
            value = self.emit(arith.TruncIOp(value, IntegerType(1)))
        return value

    def store(self, value: SSAValue, buf: Buffer, idx: Sequence[Index | int]) -> None:
        if buf.dtype.kind == "b":
            value = self.emit(arith.ExtUIOp(value, IntegerType(8)))
        self.emit(memref.StoreOp.get(value, buf.memref, [self.linear(buf.shape, idx)]))

    # Control flow --------------------------------------------------------------------------

    def loop(
        self,
        lo: Index | int,
        hi: Index | int,
        body: Callable[[Index], None],
        step: int = 1,
    ) -> None:
        """for iv in range(lo, hi, step): body(iv)"""
        if isinstance(lo, int) and isinstance(hi, int) and hi - lo <= 0:
            return
        self.loop_carried(lo, hi, [], lambda iv, _: (body(iv), [])[1], step)

    def loop_carried(
        self,
        lo: Index | int,
        hi: Index | int,
        inits: Sequence[SSAValue],
        body: Callable[[Index, list[SSAValue]], Sequence[SSAValue]],
        step: int = 1,
    ) -> list[SSAValue]:
        """Values carried through `for iv in range(lo, hi, step)`; body returns the next ones."""
        lo_v, hi_v, step_v = self.index(lo), self.index(hi), self.index(step)
        inner = Block(arg_types=[IndexType(), *(v.type for v in inits)])
        outer, self.block = self.block, inner
        nxt = body(inner.args[0], list(inner.args[1:]))
        self.emit(scf.YieldOp(*nxt))
        self.block = outer
        op = scf.ForOp(lo_v, hi_v, step_v, list(inits), inner)
        self.emit(op)
        return list(op.results)

    def nest(self, shape: Sequence[int], body: Callable[[list[Index]], None]) -> None:
        """Loops over every index of `shape`, the last dim innermost."""

        def level(k: int, idx: list[Index]) -> None:
            if k == len(shape):
                body(idx)
                return
            self.loop(0, shape[k], lambda iv: level(k + 1, [*idx, iv]))

        if all(d > 0 for d in shape):
            level(0, [])

    def if_(
        self,
        cond: SSAValue,
        then: Callable[[], Sequence[SSAValue]],
        otherwise: Callable[[], Sequence[SSAValue]],
    ) -> list[SSAValue]:
        blocks = []
        outer = self.block
        types: list[Attribute] = []
        for branch in (then, otherwise):
            self.block = Block()
            values = list(branch())
            types = [v.type for v in values]
            self.emit(scf.YieldOp(*values))
            blocks.append(self.block)
        self.block = outer
        op = scf.IfOp(cond, types, [blocks[0]], [blocks[1]])
        self.emit(op)
        return list(op.results)

    # Scalar arithmetic, dtype-aware ------------------------------------------------------------

    def add(self, a: SSAValue, b: SSAValue, reassoc: bool = False) -> SSAValue:
        if _is_float(a):
            return self.emit(arith.AddfOp(a, b, REASSOC if reassoc else FAST))
        return self.emit(arith.AddiOp(a, b))

    def sub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        if _is_float(a):
            return self.emit(arith.SubfOp(a, b, FAST))
        return self.emit(arith.SubiOp(a, b))

    def mul(self, a: SSAValue, b: SSAValue, reassoc: bool = False) -> SSAValue:
        if _is_float(a):
            return self.emit(arith.MulfOp(a, b, REASSOC if reassoc else FAST))
        return self.emit(arith.MuliOp(a, b))

    def div(self, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
        """Float division, or integer division truncating toward zero."""
        if _is_float(a):
            return self.emit(arith.DivfOp(a, b))
        if np.dtype(dtype).kind == "u":
            return self.emit(arith.DivUIOp(a, b))
        return self.emit(arith.DivSIOp(a, b))

    def rem(self, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
        """Integer remainder with the sign of the dividend (C's %)."""
        if np.dtype(dtype).kind == "u":
            return self.emit(arith.RemUIOp(a, b))
        return self.emit(arith.RemSIOp(a, b))

    def neg(self, a: SSAValue) -> SSAValue:
        if _is_float(a):
            return self.emit(arith.NegfOp(a))
        return self.emit(arith.SubiOp(self.constant(IntegerAttr(0, a.type)), a))  # type: ignore[arg-type]

    def cmp(self, pred: str, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
        """pred in eq, ne, lt, le, gt, ge; floats compare ordered (false on NaN) except ne."""
        if _is_float(a):
            fpred = "une" if pred == "ne" else "o" + pred
            return self.emit(arith.CmpfOp(a, b, fpred))
        if pred in ("eq", "ne"):
            return self.emit(arith.CmpiOp(a, b, pred))
        sign = "u" if np.dtype(dtype).kind in "ub" else "s"
        return self.emit(arith.CmpiOp(a, b, sign + pred))

    def select(self, cond: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.emit(arith.SelectOp(cond, a, b))

    def max(self, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
        """numpy's maximum: NaN wins for floats."""
        if _is_float(a):
            return self.emit(arith.MaximumfOp(a, b))
        return self.select(self.cmp("gt", a, b, dtype), a, b)

    def min(self, a: SSAValue, b: SSAValue, dtype: np.dtype) -> SSAValue:
        if _is_float(a):
            return self.emit(arith.MinimumfOp(a, b))
        return self.select(self.cmp("lt", a, b, dtype), a, b)

    def math(self, op: type[Operation], x: SSAValue) -> SSAValue:
        """A unary `math` dialect op, e.g. `e.math(math.ExpOp, x)`."""
        return self.emit(op(x))  # type: ignore[call-arg]

    def exp(self, x: SSAValue) -> SSAValue:
        return self.math(mathd.ExpOp, x)

    def cast(self, x: SSAValue, src: np.dtype, dst: np.dtype) -> SSAValue:
        """numpy's astype: float to int truncates toward zero, to bool is `!= 0`."""
        src, dst = np.dtype(src), np.dtype(dst)
        if src == dst:
            return x
        if src.kind == "V" or dst.kind == "V" or 1 in (src.itemsize, dst.itemsize):
            from nnvm_dialect.lowering import narrow  # bf16, float8, int4, ...: as bits

            if narrow.is_narrow(src) or narrow.is_narrow(dst):
                return narrow.cast(self, x, src, dst)
        t = scalar_type(dst)
        if dst.kind == "b":
            return self.cmp("ne", x, self.const(0, src), src)
        if src.kind == "f" and dst.kind == "f":
            if dst.itemsize > src.itemsize:
                return self.emit(arith.ExtFOp(x, t))
            if src.itemsize == 8 and dst.itemsize == 2:
                x = self.round_to_odd_f32(x)
            return self.emit(arith.TruncFOp(x, t))
        if src.kind == "f":
            if dst.kind == "u":
                return self.emit(arith.FPToUIOp(x, t))
            return self.emit(arith.FPToSIOp(x, t))
        if dst.kind == "f":
            if src.kind in "ub":
                return self.emit(arith.UIToFPOp(x, t))
            return self.emit(arith.SIToFPOp(x, t))
        sw, dw = (1 if src.kind == "b" else src.itemsize * 8), dst.itemsize * 8
        if dw < sw:
            return self.emit(arith.TruncIOp(x, t))
        if dw > sw:
            if src.kind in "ub":
                return self.emit(arith.ExtUIOp(x, t))
            return self.emit(arith.ExtSIOp(x, t))
        return x

    def round_to_odd_f32(self, x: SSAValue) -> SSAValue:
        """An f64 as f32, rounded to odd: an inexact result gets an odd last bit.

        double -> half would be a call to compiler-rt's __truncdfhf2, which a JIT process
        lacks; rounding to f32 by nearest first would round twice, wrong at some ties. With
        round-to-odd in between, the f32 -> half step rounds exactly as one step would.
        """
        f32, i32 = Float32Type(), IntegerType(32)
        near = self.emit(arith.TruncFOp(x, f32))
        back = self.emit(arith.ExtFOp(near, Float64Type()))
        bits = self.emit(arith.BitcastOp(near, i32))
        one = self.constant(IntegerAttr(1, i32))
        inexact = self.emit(arith.CmpfOp(back, x, "une"))  # NaN stays NaN either way
        even = self.emit(arith.CmpiOp(self.emit(arith.AndIOp(bits, one)), one, "ne"))
        # Step the magnitude one ulp toward x: down if rounding went away from zero.
        away = self.emit(
            arith.CmpfOp(self.math(mathd.AbsFOp, back), self.math(mathd.AbsFOp, x), "ogt")
        )
        stepped = self.select(
            away, self.emit(arith.SubiOp(bits, one)), self.emit(arith.AddiOp(bits, one))
        )
        fixed = self.select(self.emit(arith.AndIOp(inexact, even)), stepped, bits)
        return self.emit(arith.BitcastOp(fixed, f32))


def _is_float(v: SSAValue) -> bool:
    return isinstance(v.type, Float16Type | Float32Type | Float64Type)
