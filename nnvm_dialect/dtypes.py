"""Element types between xDSL and numpy.

The narrow types of ONNX (bf16, the float8 and float4 formats, 4- and 2-bit integers) have
numpy dtypes in ml_dtypes and builtin types in xDSL, so tensors carry them; ops that do not
declare them in their `dtypes` fact refuse them by name."""

from __future__ import annotations

import ml_dtypes
import numpy as np
from xdsl.dialects.builtin import (
    BFloat16Type,
    Float4E2M1FNType,
    Float8E4M3FNType,
    Float8E4M3FNUZType,
    Float8E5M2FNUZType,
    Float8E5M2Type,
    Float8E8M0FNUType,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    Signedness,
)
from xdsl.ir import Attribute

_FLOATS: dict[type[Attribute], np.dtype] = {
    Float16Type: np.dtype(np.float16),
    Float32Type: np.dtype(np.float32),
    Float64Type: np.dtype(np.float64),
    BFloat16Type: np.dtype(ml_dtypes.bfloat16),
    Float8E4M3FNType: np.dtype(ml_dtypes.float8_e4m3fn),
    Float8E4M3FNUZType: np.dtype(ml_dtypes.float8_e4m3fnuz),
    Float8E5M2Type: np.dtype(ml_dtypes.float8_e5m2),
    Float8E5M2FNUZType: np.dtype(ml_dtypes.float8_e5m2fnuz),
    Float8E8M0FNUType: np.dtype(ml_dtypes.float8_e8m0fnu),
    Float4E2M1FNType: np.dtype(ml_dtypes.float4_e2m1fn),
}

# Integers narrower than a byte: one per byte in memory, as ml_dtypes stores them.
_NARROW_INTS = {
    (4, False): np.dtype(ml_dtypes.int4),
    (4, True): np.dtype(ml_dtypes.uint4),
    (2, False): np.dtype(ml_dtypes.int2),
    (2, True): np.dtype(ml_dtypes.uint2),
}

NARROW_FLOATS = tuple(d for d in _FLOATS.values() if d.kind != "f" or d.itemsize < 2)
"""The ml_dtypes floats: bf16, float8 and float4 (numpy's own float16 is not one)."""
NARROW_INTS = tuple(_NARROW_INTS.values())


def is_float(dtype: np.dtype) -> bool:
    """True for numpy's floats and the ml_dtypes ones (whose kind is 'V', save float8_e5m2)."""
    dtype = np.dtype(dtype)
    return dtype.kind == "f" or dtype in NARROW_FLOATS


def to_numpy(elt: Attribute) -> np.dtype:
    """The numpy dtype of an element type; signless integers are signed, i1 is bool."""
    if type(elt) in _FLOATS:
        return _FLOATS[type(elt)]
    if isinstance(elt, IntegerType):
        width = elt.width.data
        if width == 1:
            return np.dtype(np.bool_)
        unsigned = elt.signedness.data == Signedness.UNSIGNED
        if width in (8, 16, 32, 64):
            return np.dtype(f"{'u' if unsigned else 'i'}{width // 8}")
        if (width, unsigned) in _NARROW_INTS:
            return _NARROW_INTS[(width, unsigned)]
    raise ValueError(f"element type {elt} has no numpy equivalent")


def from_numpy(dtype: np.dtype) -> Attribute:
    dtype = np.dtype(dtype)
    for cls, np_dtype in _FLOATS.items():
        if np_dtype == dtype:
            return cls()
    for (width, unsigned), np_dtype in _NARROW_INTS.items():
        if np_dtype == dtype:
            return IntegerType(width, Signedness.UNSIGNED if unsigned else Signedness.SIGNLESS)
    if dtype == np.bool_:
        return IntegerType(1)
    if dtype.kind in "iu":
        sign = Signedness.UNSIGNED if dtype.kind == "u" else Signedness.SIGNLESS
        return IntegerType(dtype.itemsize * 8, sign)
    raise ValueError(f"numpy dtype {dtype} has no element type here")
