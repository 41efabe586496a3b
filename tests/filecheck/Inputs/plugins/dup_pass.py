"""A plugin pass named like a built-in one: an error."""

from dataclasses import dataclass
from xdsl.passes import ModulePass
from nnvm_dialect.plugins import register_pass


@register_pass
@dataclass(frozen=True)
class MyInfer(ModulePass):
    name = "infer-shape"

    def apply(self, ctx, op):
        pass
