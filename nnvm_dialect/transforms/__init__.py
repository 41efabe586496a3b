"""Graph passes, one file per pass, named after its flag."""

from xdsl.passes import ModulePass

from nnvm_dialect.transforms.alter_op_layout import AlterOpLayout
from nnvm_dialect.transforms.check_memory_plan import CheckMemoryPlan
from nnvm_dialect.transforms.check_placement import CheckPlacement
from nnvm_dialect.transforms.fold_constants import FoldConstants
from nnvm_dialect.transforms.fold_scale_axis import FoldScaleAxis
from nnvm_dialect.transforms.fuse_ops import FuseOps
from nnvm_dialect.transforms.gradient import Gradient
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.nnvm_optimize import NnvmOptimize
from nnvm_dialect.transforms.place_device import PlaceDevice
from nnvm_dialect.transforms.plan_memory import PlanMemory
from nnvm_dialect.transforms.simplify_inference import SimplifyInference

NNVM_PASSES: tuple[type[ModulePass], ...] = (
    InferShape,
    InferType,
    SimplifyInference,
    FoldConstants,
    FoldScaleAxis,
    AlterOpLayout,
    FuseOps,
    NnvmOptimize,
    PlanMemory,
    CheckMemoryPlan,
    Gradient,
    PlaceDevice,
    CheckPlacement,
)
