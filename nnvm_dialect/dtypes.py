"""Element types between xDSL and numpy."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import (
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
}


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
    raise ValueError(f"element type {elt} has no numpy equivalent")


def from_numpy(dtype: np.dtype) -> Attribute:
    dtype = np.dtype(dtype)
    for cls, np_dtype in _FLOATS.items():
        if np_dtype == dtype:
            return cls()
    if dtype == np.bool_:
        return IntegerType(1)
    if dtype.kind in "iu":
        sign = Signedness.UNSIGNED if dtype.kind == "u" else Signedness.SIGNLESS
        return IntegerType(dtype.itemsize * 8, sign)
    raise ValueError(f"numpy dtype {dtype} has no element type here")
