"""Ops that make a tensor of one value: full, zeros, ones (no operands, the shape and dtype are
attributes) and full_like, zeros_like, ones_like (NNVM level 4 init ops)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, Float32Type, FloatAttr
from xdsl.ir import TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
    type_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.elemwise import random_array, random_shape
from nnvm_dialect.ops.nn import f64, ints
from nnvm_dialect.ops.transform import MOVE_DTYPES, _move_dtype, _pick


class InitOp(NnvmOp):
    """A tensor of `shape` (empty: a scalar) and element type `dtype`, every element one value."""

    out = result_def(AnyTensor)
    shape = prop_def(DenseArrayBase, default_value=ints())
    dtype = prop_def(TypeAttribute, default_value=Float32Type())

    assembly_format = "attr-dict `:` type($out)"
    FILL: ClassVar[float] = 0.0

    def verify_attributes(self) -> None:
        if any(d < 0 for d in self.ints_attr("shape")):
            raise ShapeError(
                f"attribute 'shape' has a negative dim: {list(self.ints_attr('shape'))}"
            )
        try:
            to_numpy(self.properties["dtype"])
        except ValueError:
            raise ShapeError(
                f"attribute 'dtype' must be a numeric element type, got {self.properties['dtype']}"
            ) from None

    def fill_value(self) -> float:
        return self.FILL


@irdl_op_definition
class FullOp(InitOp):
    name = "nnvm.full"
    fill_value_ = prop_def(FloatAttr, prop_name="fill_value")

    def fill_value(self) -> float:
        return self.float_attr("fill_value")


@irdl_op_definition
class ZerosOp(InitOp):
    name = "nnvm.zeros"


@irdl_op_definition
class OnesOp(InitOp):
    name = "nnvm.ones"
    FILL: ClassVar[float] = 1.0


@shape_rule.register(InitOp)
def _init_shape(op: InitOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [op.ints_attr("shape")]


@type_rule.register(InitOp)
def _init_type(op: InitOp, types: Sequence[DType]) -> list[DType]:
    return [op.properties["dtype"]]


@reference.register(InitOp)
def _init(op: InitOp) -> np.ndarray:
    return np.full(op.ints_attr("shape"), op.fill_value()).astype(to_numpy(op.properties["dtype"]))


class LikeOp(NnvmOp):
    """A tensor of the operand's shape and dtype, every element one value."""

    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)

    FILL: ClassVar[float] = 0.0

    def fill_value(self) -> float:
        return self.FILL


@irdl_op_definition
class FullLikeOp(LikeOp):
    name = "nnvm.full_like"
    fill_value_ = prop_def(FloatAttr, prop_name="fill_value")

    def fill_value(self) -> float:
        return self.float_attr("fill_value")


@irdl_op_definition
class ZerosLikeOp(LikeOp):
    name = "nnvm.zeros_like"


@irdl_op_definition
class OnesLikeOp(LikeOp):
    name = "nnvm.ones_like"
    FILL: ClassVar[float] = 1.0


@shape_rule.register(LikeOp)
def _like_shape(op: LikeOp, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]


@reference.register(LikeOp)
def _like(op: LikeOp, x: np.ndarray) -> np.ndarray:
    return np.full(x.shape, op.fill_value()).astype(x.dtype)


INIT_OPS = [FullOp, ZerosOp, OnesOp, FullLikeOp, ZerosLikeOp, OnesLikeOp]
pattern_kind.register(InitOp)(OpPattern.OUT_ELEMWISE_FUSABLE)
pattern_kind.register(LikeOp)(OpPattern.ELEMWISE)
dtypes.register(InitOp, LikeOp)(MOVE_DTYPES)
for _op, _onnx in (
    (FullOp, "ConstantOfShape (value = fill_value)"),
    (ZerosOp, "ConstantOfShape (value = 0)"),
    (OnesOp, "ConstantOfShape (value = 1)"),
    (FullLikeOp, "ConstantOfShape(Shape(data))"),
    (ZerosLikeOp, "ConstantOfShape(Shape(data)) with 0"),
    (OnesLikeOp, "ConstantOfShape(Shape(data)) with 1"),
):
    onnx_equivalent.register(_op)(_onnx)


def _fill(rng: np.random.Generator, dtype: np.dtype) -> float:
    if dtype == np.bool_:
        return float(rng.integers(0, 2))
    return float(rng.integers(-5, 6)) / (2.0 if dtype.kind == "f" else 1.0)


def _init_example(full: bool):  # type: ignore[no-untyped-def]
    def make(rng: np.random.Generator) -> Example:
        dtype = np.dtype(_move_dtype(rng))
        props = {"shape": ints(*random_shape(rng, 0, 3)), "dtype": from_numpy(dtype)}
        if full:
            props["fill_value"] = f64(_fill(rng, dtype))
        return Example([], props)

    return make


def _like_example(full: bool):  # type: ignore[no-untyped-def]
    def make(rng: np.random.Generator) -> Example:
        dtype = np.dtype(_pick(rng, MOVE_DTYPES))
        x = random_array(rng, random_shape(rng, 0, 3), dtype)
        return Example([x], {"fill_value": f64(_fill(rng, dtype))} if full else {})

    return make


example.register(FullOp)(_init_example(True))
example.register(ZerosOp, OnesOp)(_init_example(False))
example.register(FullLikeOp)(_like_example(True))
example.register(ZerosLikeOp, OnesLikeOp)(_like_example(False))
