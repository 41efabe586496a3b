"""`infer-type`: refine result element types (NNVM's InferType)."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass

from nnvm_dialect.facts import ShapeError
from nnvm_dialect.ops.base import dtype_of, infer_dtypes, refine_dtype, shape_of, tensor_type
from nnvm_dialect.transforms.refine import refine_module


def refined_dtypes(op: Operation) -> list[Attribute] | None:
    dtypes = infer_dtypes(op)
    if dtypes is None:
        return None
    types: list[Attribute] = []
    for i, (res, dtype) in enumerate(zip(op.results, dtypes)):
        try:
            new = refine_dtype(dtype_of(res.type), dtype)
        except ShapeError as e:
            raise ShapeError(f"result #{i} of type {res.type}: {e}") from None
        types.append(tensor_type(shape_of(res.type), new))
    return types


@dataclass(frozen=True)
class InferType(ModulePass):
    """Results whose element type is `!nnvm.unknown` get the one their type rule gives
    (by default the operands' common type); function result types follow."""

    name = "infer-type"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        refine_module(op, refined_dtypes)
