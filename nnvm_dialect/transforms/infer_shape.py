"""`infer-shape`: refine result shapes from operands and attributes (NNVM's InferShape)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nnvm_dialect.ops.base import refined_types
from nnvm_dialect.transforms.refine import refine_module


@dataclass(frozen=True)
class InferShape(ModulePass):
    """Ops with a shape rule get the most precise result shapes it and their types allow;
    function result types follow. Forward only: results never refine operands."""

    name = "infer-shape"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        refine_module(op, partial(refined_types, shapes=True, dtypes=False))
