"""`nnvm.device_copy`: a value copied from one device's memory to another's (PlaceDevice's copy
node, MXNet's _CrossDeviceCopy). `-p place-device` inserts it where a value crosses devices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.facts import (
    DevicePlacement,
    Example,
    OpPattern,
    Shape,
    ShapeError,
    device_rule,
    dtypes,
    example,
    gradient,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import random_array, random_shape


@irdl_op_definition
class DeviceCopyOp(NnvmOp):
    """`data` (in the memory of `src`) copied into the memory of `dst`."""

    name = "nnvm.device_copy"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    src = prop_def(StringAttr)
    dst = prop_def(StringAttr)

    def verify_attributes(self) -> None:
        for name in ("src", "dst"):
            if not self.str_attr(name):
                raise ShapeError(f'{name} must name a device, e.g. "cpu:1"')


@shape_rule.register(DeviceCopyOp)
def _same_shape(op: DeviceCopyOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


@reference.register(DeviceCopyOp)
def _copy(op: DeviceCopyOp, x: np.ndarray) -> np.ndarray:
    return np.array(x, copy=True)


@device_rule.register(DeviceCopyOp)
def _placement(op: DeviceCopyOp) -> DevicePlacement:
    return DevicePlacement(op.str_attr("dst"), (op.str_attr("src"),))


@gradient.register(DeviceCopyOp)
def _copy_back(b, op: DeviceCopyOp, grads):  # type: ignore[no-untyped-def]
    """The gradient travels back: from dst to src."""
    swapped = {"src": op.properties["dst"], "dst": op.properties["src"]}
    return [b.emit(DeviceCopyOp, [grads[0]], swapped).results[0]]


@example.register(DeviceCopyOp)
def _example(rng: np.random.Generator) -> Example:
    dtype = (np.float32, np.float64, np.int32, np.bool_)[int(rng.integers(4))]
    src, dst = (f"cpu:{int(d)}" for d in rng.choice(4, 2, replace=False))
    x = random_array(rng, random_shape(rng), dtype)
    return Example([x], {"src": StringAttr(src), "dst": StringAttr(dst)})


pattern_kind.register(DeviceCopyOp)(OpPattern.OPAQUE)
COPY_DTYPES = (np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.bool_)
dtypes.register(DeviceCopyOp)(tuple(np.dtype(d) for d in COPY_DTYPES))
onnx_equivalent.register(DeviceCopyOp)("Identity (ONNX has no devices; a runtime copies)")

DEVICE_OPS = [DeviceCopyOp]
