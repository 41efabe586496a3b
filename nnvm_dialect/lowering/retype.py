"""Changing a type everywhere in a module, fast.

xDSL's `TypeConversionPattern(recursive=True)` inspects every attribute of every op and costs a
second on a small model; the CPU stages only need SSA values and function signatures retyped.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.ir import Attribute
from xdsl.rewriter import Rewriter

Convert = Callable[[Attribute], Attribute | None]


def retype(module: ModuleOp, convert: Convert) -> None:
    """Give every value and function signature whose type `convert` maps the new type."""
    for op in list(module.walk()):
        for res in list(op.results):
            if (new := convert(res.type)) is not None:
                Rewriter.replace_value_with_new_type(res, new)
        for region in op.regions:
            for block in region.blocks:
                for arg in list(block.args):
                    if (new := convert(arg.type)) is not None:
                        Rewriter.replace_value_with_new_type(arg, new)
        if isinstance(op, func.FuncOp):
            ins = [convert(t) or t for t in op.function_type.inputs.data]
            outs = [convert(t) or t for t in op.function_type.outputs.data]
            op.function_type = FunctionType.from_lists(ins, outs)
