"""`infer-shape`: refine result shapes from operands and attributes (NNVM's InferShape)."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass

from nnvm_dialect.facts import ShapeError
from nnvm_dialect.ops.base import dtype_of, infer_shapes, refine_shape, shape_of, tensor_type
from nnvm_dialect.transforms.refine import refine_module


def refined_shapes(op: Operation) -> list[Attribute] | None:
    shapes = infer_shapes(op)
    if shapes is None:
        return None
    types: list[Attribute] = []
    for i, (res, shape) in enumerate(zip(op.results, shapes)):
        try:
            new = refine_shape(shape_of(res.type), shape)
        except ShapeError as e:
            raise ShapeError(f"result #{i} of type {res.type}: {e}") from None
        types.append(tensor_type(new, dtype_of(res.type)))
    return types


@dataclass(frozen=True)
class InferShape(ModulePass):
    """Ops with a shape rule get the most precise result shapes it and their types allow;
    function result types follow. Forward only: results never refine operands."""

    name = "infer-shape"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        refine_module(op, refined_shapes)
