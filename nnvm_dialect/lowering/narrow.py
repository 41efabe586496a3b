"""Casts to and from the narrow element types (bf16, float8, float4, int4/int2) on the CPU,
by integer bit manipulation: LLVM has no such types (or, for bfloat, needs runtime calls).

In memory and in registers a narrow value is its bits in an integer of its size (ml_dtypes'
layout: 4- and 2-bit integers take a byte each, their bits in the low end, zero above).
Decoding to float32 is exact. Encoding from float32 rounds to nearest even once, as ml_dtypes
does; overflow gives inf (bf16, e5m2), nan (the e4m3 and fnuz formats) or the largest value
(float4, which has neither). Wider sources would round twice, so they are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import Float32Type, IntegerType
from xdsl.ir import SSAValue

from nnvm_dialect.dtypes import NARROW_FLOATS, NARROW_INTS
from nnvm_dialect.lowering.emitter import Emitter

I32, F32 = np.dtype(np.int32), np.dtype(np.float32)


@dataclass(frozen=True)
class Format:
    """A small float: exponent and mantissa widths, bias, and what it does at the edges."""

    ebits: int
    mbits: int
    bias: int
    overflow: str  # "inf", "nan" (sign kept), "nanuz" (0x80), "max" (saturate)
    unsigned_zero: bool = False  # fnuz formats: 0x80 is nan, so -0 is 0


FORMATS = {
    "bfloat16": Format(8, 7, 127, "inf"),
    "float8_e4m3fn": Format(4, 3, 7, "nan"),
    "float8_e4m3fnuz": Format(4, 3, 8, "nanuz", True),
    "float8_e5m2": Format(5, 2, 15, "inf"),
    "float8_e5m2fnuz": Format(5, 2, 16, "nanuz", True),
    "float4_e2m1fn": Format(2, 1, 1, "max"),
}

E8M0 = "float8_e8m0fnu"  # decoded only: ONNX's casts to it have rounding modes of their own
_INT_BITS = {"int4": 4, "uint4": 4, "int2": 2, "uint2": 2}


def is_narrow(dtype: np.dtype) -> bool:
    return np.dtype(dtype) in (*NARROW_FLOATS, *NARROW_INTS)


def supported(src: np.dtype, dst: np.dtype) -> str | None:
    """Why this cast cannot be lowered exactly, or None."""
    for d in (src, dst):
        known = d.name in FORMATS or d.name in _INT_BITS or (d is src and d.name == E8M0)
        if is_narrow(d) and not known:
            return f"a cast to {d.name} is not supported by the CPU target"
    if dst.name in FORMATS and not is_narrow(src):
        exact = (np.float16, np.float32, np.int8, np.int16, np.uint8, np.uint16, np.bool_)
        if src not in [np.dtype(t) for t in exact]:
            return f"a cast from {src} to {dst.name} would round twice on the CPU target"
    return None


class Bits:
    """Integer helpers on one emitter (i32 unless said)."""

    def __init__(self, em: Emitter):
        self.em = em

    def c(self, v: int, dtype: np.dtype = I32) -> SSAValue:
        return self.em.const(v, dtype)

    def op(self, cls: type, a: SSAValue, b: SSAValue | int) -> SSAValue:
        if isinstance(b, int):
            b = self.c(b, _int_dtype(a))
        return self.em.emit(cls(a, b))

    def shr(self, a: SSAValue, n: int) -> SSAValue:
        return self.op(arith.ShRUIOp, a, n)

    def shl(self, a: SSAValue, n: int) -> SSAValue:
        return self.op(arith.ShLIOp, a, n)

    def and_(self, a: SSAValue, m: int) -> SSAValue:
        return self.op(arith.AndIOp, a, m)

    def or_(self, a: SSAValue, b: SSAValue | int) -> SSAValue:
        return self.op(arith.OrIOp, a, b)

    def add(self, a: SSAValue, b: SSAValue | int) -> SSAValue:
        return self.op(arith.AddiOp, a, b)

    def sub(self, a: SSAValue, b: SSAValue | int) -> SSAValue:
        return self.op(arith.SubiOp, a, b)

    def cmp(self, pred: str, a: SSAValue, b: SSAValue | int) -> SSAValue:
        if isinstance(b, int):
            b = self.c(b, _int_dtype(a))
        return self.em.emit(arith.CmpiOp(a, b, pred))

    def sel(self, cond: SSAValue, a: SSAValue | int, b: SSAValue | int) -> SSAValue:
        t = next(v for v in (a, b) if isinstance(v, SSAValue))
        a = a if isinstance(a, SSAValue) else self.c(a, _int_dtype(t))
        b = b if isinstance(b, SSAValue) else self.c(b, _int_dtype(t))
        return self.em.emit(arith.SelectOp(cond, a, b))

    def width(self, a: SSAValue, bits: int) -> SSAValue:
        """Zero-extend or truncate to an integer of `bits`."""
        have = a.type.width.data  # type: ignore[attr-defined]
        if have == bits:
            return a
        cls = arith.ExtUIOp if have < bits else arith.TruncIOp
        return self.em.emit(cls(a, IntegerType(bits)))


def _int_dtype(v: SSAValue) -> np.dtype:
    return np.dtype(f"i{v.type.width.data // 8}")  # type: ignore[attr-defined]


def decode_float(em: Emitter, x: SSAValue, fmt: Format) -> SSAValue:
    """The float32 of a narrow float's bits (exact)."""
    b = Bits(em)
    total = 1 + fmt.ebits + fmt.mbits
    v = b.width(x, 32)
    if fmt.ebits == 8:  # bf16: the top half of a float32
        return em.emit(arith.BitcastOp(b.shl(v, 16), Float32Type()))
    sign = b.shr(v, total - 1)
    e = b.and_(b.shr(v, fmt.mbits), (1 << fmt.ebits) - 1)
    m = b.and_(v, (1 << fmt.mbits) - 1)
    normal = b.or_(b.shl(b.add(e, 127 - fmt.bias), 23), b.shl(m, 23 - fmt.mbits))
    magnitude = em.emit(arith.BitcastOp(normal, Float32Type()))
    tiny = em.emit(arith.SIToFPOp(m, Float32Type()))  # subnormal: m * 2^(1 - bias - mbits)
    scale = em.const(2.0 ** (1 - fmt.bias - fmt.mbits), F32)
    tiny = em.emit(arith.MulfOp(tiny, scale))
    magnitude = em.emit(arith.SelectOp(b.cmp("eq", e, 0), tiny, magnitude))
    value = em.emit(
        arith.SelectOp(b.cmp("ne", sign, 0), em.emit(arith.NegfOp(magnitude)), magnitude)
    )
    nan, inf = em.const(float("nan"), F32), em.const(float("inf"), F32)
    top = (1 << fmt.ebits) - 1
    if fmt.overflow == "inf":  # e5m2: IEEE-like specials
        special = b.cmp("eq", e, top)
        inf_signed = em.emit(arith.SelectOp(b.cmp("ne", sign, 0), em.emit(arith.NegfOp(inf)), inf))
        value = em.emit(
            arith.SelectOp(
                special, em.emit(arith.SelectOp(b.cmp("eq", m, 0), inf_signed, nan)), value
            )
        )
    elif fmt.overflow == "nan":  # e4m3fn: all ones is nan
        value = em.emit(
            arith.SelectOp(
                b.cmp("eq", b.and_(v, (1 << (total - 1)) - 1), (1 << (total - 1)) - 1), nan, value
            )
        )
    elif fmt.overflow == "nanuz":  # fnuz: the negative zero is nan
        value = em.emit(arith.SelectOp(b.cmp("eq", v, 1 << (total - 1)), nan, value))
    return value


def encode_float(em: Emitter, x: SSAValue, fmt: Format) -> SSAValue:
    """A float32's bits in the narrow format, rounded to nearest even."""
    b = Bits(em)
    total = 1 + fmt.ebits + fmt.mbits
    u = em.emit(arith.BitcastOp(x, IntegerType(32)))
    sign = b.shl(b.shr(u, 31), total - 1)
    a = b.and_(u, 0x7FFFFFFF)
    is_nan = b.cmp("ugt", a, 0x7F800000)
    shift = 23 - fmt.mbits
    # Normal in the target: round the mantissa to nearest even (a carry bumps the exponent).
    lsb = b.and_(b.shr(a, shift), 1)
    rounded = b.shr(b.add(b.add(a, (1 << (shift - 1)) - 1), lsb), shift)
    code = b.sub(rounded, (127 - fmt.bias) << fmt.mbits)
    if fmt.ebits != 8:
        # Subnormal in the target: |x| * 2^(bias - 1 + mbits) rounded to an integer (exact
        # scaling), 2^mbits being the smallest normal's code.
        mag = em.emit(arith.BitcastOp(a, Float32Type()))
        scaled = em.emit(arith.MulfOp(mag, em.const(2.0 ** (fmt.bias - 1 + fmt.mbits), F32)))
        small = em.emit(arith.FPToSIOp(em.emit(mathd.RoundEvenOp(scaled)), IntegerType(32)))
        below = b.cmp("ult", a, (127 + 1 - fmt.bias) << 23)
        code = b.sel(below, small, code)
    biggest = {"inf": (((1 << fmt.ebits) - 1) << fmt.mbits) - 1, "nan": (1 << (total - 1)) - 2}
    top = biggest.get(fmt.overflow, (1 << (total - 1)) - 1)
    over = b.cmp("sgt", code, top)
    if fmt.overflow == "inf":
        code = b.sel(over, top + 1, code)
        nan_code = b.or_(sign, ((1 << fmt.ebits) - 1) << fmt.mbits | 1 << (fmt.mbits - 1))
    elif fmt.overflow == "nan":
        code = b.sel(over, top + 1, code)
        nan_code = b.or_(sign, top + 1)
    elif fmt.overflow == "nanuz":
        nan_code = b.c(1 << (total - 1))
    else:  # float4: no nan or inf; ml_dtypes makes nan a zero of the other sign
        code = b.sel(over, top, code)
        nan_code = b.op(arith.XOrIOp, sign, 1 << (total - 1))
    signed = b.or_(sign, code)
    if fmt.unsigned_zero:
        signed = b.sel(b.cmp("eq", code, 0), 0, signed)
        signed = b.sel(over, 1 << (total - 1), signed)
    out = b.sel(is_nan, nan_code, signed)
    return b.width(out, 16 if total > 8 else 8)


def decode_e8m0(em: Emitter, x: SSAValue) -> SSAValue:
    """2^(x - 127); 0xFF is nan."""
    b = Bits(em)
    v = b.width(x, 32)
    bits = b.sel(b.cmp("eq", v, 0), 0x00400000, b.shl(v, 23))  # 2^-127 is subnormal
    value = em.emit(arith.BitcastOp(bits, Float32Type()))
    nan = em.const(float("nan"), F32)
    return em.emit(arith.SelectOp(b.cmp("eq", v, 0xFF), nan, value))


def decode_int(em: Emitter, x: SSAValue, dtype: np.dtype) -> SSAValue:
    """The int8 (or uint8) of a 4- or 2-bit integer's byte."""
    bits = _INT_BITS[dtype.name]
    if dtype.name.startswith("u"):
        return x
    b = Bits(em)
    return b.op(arith.ShRSIOp, b.shl(x, 8 - bits), 8 - bits)


def cast(em: Emitter, x: SSAValue, src: np.dtype, dst: np.dtype) -> SSAValue:
    """numpy's (ml_dtypes') astype where src or dst is narrow; `supported` said yes."""
    src, dst = np.dtype(src), np.dtype(dst)
    if src == dst:
        return x
    if src.name in FORMATS:
        x, src = decode_float(em, x, FORMATS[src.name]), F32
    elif src.name == E8M0:
        x, src = decode_e8m0(em, x), F32
    elif src.name in _INT_BITS:
        x = decode_int(em, x, src)
        src = np.dtype(np.uint8 if src.name.startswith("u") else np.int8)
    if dst.name in FORMATS:
        return encode_float(em, em.cast(x, src, F32), FORMATS[dst.name])
    if dst.name in _INT_BITS:
        bits = _INT_BITS[dst.name]
        b = Bits(em)
        if src.kind == "f":  # truncated toward zero; out of range (or nan) is 0
            lo, hi = (0, (1 << bits) - 1) if dst.name.startswith("u") else (
                -(1 << (bits - 1)), (1 << (bits - 1)) - 1)  # fmt: skip
            inside = em.emit_and([
                em.cmp("gt", x, em.const(lo - 1, src), src),
                em.cmp("lt", x, em.const(hi + 1, src), src),
            ])  # fmt: skip
            safe = em.emit(arith.SelectOp(inside, x, em.const(0, src)))
            v = em.emit(arith.FPToSIOp(safe, IntegerType(8)))
        else:  # integers wrap
            v = em.cast(x, src, np.dtype(np.int64))
            v = b.width(v, 8) if v.type.width.data != 8 else v  # type: ignore[attr-defined]
        return b.and_(v, (1 << bits) - 1)
    return em.cast(x, src, dst)
