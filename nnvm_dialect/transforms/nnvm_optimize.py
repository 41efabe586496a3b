"""`nnvm-optimize{opt-level=N}`: the standard graph pipeline of a level, as NNVM's
`build_config(opt_level=N)`.

| level | passes |
| --- | --- |
| 0 | nothing |
| 1 | infer-shape, infer-type, simplify-inference, fold-constants, fuse-ops |
| 2 | level 1 with canonicalize, cse, dce before fuse-ops (the default, as in NNVM) |
| 3 | level 2 with fold-scale-axis and alter-op-layout after simplify-inference |

`pipeline(level)` gives the passes one by one, so `nnvm-run --bisect` can check the numbers
after each.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass
from xdsl.transforms.common_subexpression_elimination import CommonSubexpressionElimination
from xdsl.transforms.dead_code_elimination import DeadCodeElimination

from nnvm_dialect.transforms.alter_op_layout import AlterOpLayout
from nnvm_dialect.transforms.fold_constants import FoldConstants
from nnvm_dialect.transforms.fold_scale_axis import FoldScaleAxis
from nnvm_dialect.transforms.fuse_ops import FuseOps
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.simplify_inference import SimplifyInference

DEFAULT_LEVEL = 2
"""NNVM's default `opt_level`; `nnvm-run` and `compile()` use it too."""

LEVELS = range(4)


def pipeline(level: int, fuse: bool = True) -> list[ModulePass]:
    """The passes of `level`, in the order they run; without fuse-ops for a target that cannot
    run `nnvm.fused` yet."""
    if level not in LEVELS:
        raise ValueError(f"opt-level must be 0, 1, 2 or 3, got {level}")
    if level == 0:
        return []
    passes: list[ModulePass] = [InferShape(), InferType(), SimplifyInference()]
    if level >= 3:
        passes += [FoldScaleAxis(), AlterOpLayout()]
    passes += [FoldConstants()]
    if level >= 2:
        passes += [CanonicalizePass(), CommonSubexpressionElimination(), DeadCodeElimination()]
    if fuse:
        passes += [FuseOps()]
    return passes


@dataclass(frozen=True)
class NnvmOptimize(ModulePass):
    """The standard pipeline of an optimisation level, like NNVM's build_config(opt_level):
    0 nothing; 1 simplify-inference, fold-constants, fuse-ops; 2 adds canonicalize, cse, dce;
    3 adds fold-scale-axis, alter-op-layout."""

    name = "nnvm-optimize"

    opt_level: int = DEFAULT_LEVEL
    """0 to 3, as NNVM's OPT_PASS_LEVEL."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for p in pipeline(self.opt_level):
            p.apply(ctx, op)
