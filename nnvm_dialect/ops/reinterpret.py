"""bitcast: the same bits read as another element type of the same width (ONNX's BitCast).

No composition of value-preserving ops (cast, arithmetic) can reinterpret a float's bits,
so this is an op of its own."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, prop_def

from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
    Example,
    ShapeError,
    dtypes,
    example,
    onnx_equivalent,
    reference,
    type_rule,
)
from nnvm_dialect.ops.elemwise import UnaryOp, random_array, random_shape

BITCAST_DTYPES = tuple(
    np.dtype(d)
    for d in (
        np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
        np.uint8, np.uint16, np.uint32, np.uint64, np.bool_,
    )
)  # fmt: skip


def width(dtype: np.dtype) -> int:
    return np.dtype(dtype).itemsize


@irdl_op_definition
class BitcastOp(UnaryOp):
    """Reads each element's bits as `dtype`, of the same width; bool (a byte of 0 or 1) may
    become i8 or ui8, never the other way (most bytes are no bool)."""

    name = "nnvm.bitcast"
    dtype = prop_def(TypeAttribute)

    def verify_attributes(self) -> None:
        try:
            target = to_numpy(self.dtype)
        except ValueError:
            raise ShapeError(f"dtype must be a float or integer type, got {self.dtype}") from None
        if target not in BITCAST_DTYPES or target == np.bool_:
            raise ShapeError(f"cannot bitcast to {self.dtype}")


@type_rule.register(BitcastOp)
def _bitcast_type(op: BitcastOp, types: Sequence[DType]) -> list[DType]:
    source = types[0]
    if source is not None and width(to_numpy(source)) != width(to_numpy(op.dtype)):
        raise ShapeError(f"bitcast from {source} to {op.dtype} changes the width")
    return [op.dtype]


@reference.register(BitcastOp)
def _bitcast(op: BitcastOp, x: np.ndarray) -> np.ndarray:
    return (x if x.flags.c_contiguous else x.copy()).view(to_numpy(op.dtype))


@example.register(BitcastOp)
def _bitcast_example(rng: np.random.Generator) -> Example:
    source = BITCAST_DTYPES[int(rng.integers(len(BITCAST_DTYPES)))]
    targets = [d for d in BITCAST_DTYPES if width(d) == width(source) and d != np.bool_]
    target = targets[int(rng.integers(len(targets)))]
    # Small non-negative integers: read as floats they are subnormals, never nan
    x = random_array(rng, random_shape(rng), source, 0.0 if source.kind in "iu" else -3.0, 50)
    return Example([x], {"dtype": from_numpy(target)})


dtypes.register(BitcastOp)(BITCAST_DTYPES)
onnx_equivalent.register(BitcastOp)("BitCast")

REINTERPRET_OPS = [BitcastOp]
