"""`infer-type`: refine result element types (NNVM's InferType)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from nnvm_dialect.ops.base import refined_types
from nnvm_dialect.transforms.refine import refine_module


@dataclass(frozen=True)
class InferType(ModulePass):
    """Results whose element type is `!nnvm.unknown` get the one their type rule gives
    (by default the operands' common type); function result types follow."""

    name = "infer-type"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        refine_module(op, partial(refined_types, shapes=False, dtypes=True))
