"""Graph passes, one file per pass, named after its flag."""

from xdsl.passes import ModulePass

from nnvm_dialect.transforms.check_memory_plan import CheckMemoryPlan
from nnvm_dialect.transforms.check_placement import CheckPlacement
from nnvm_dialect.transforms.fuse_ops import FuseOps
from nnvm_dialect.transforms.gradient import Gradient
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.place_device import PlaceDevice
from nnvm_dialect.transforms.plan_memory import PlanMemory

NNVM_PASSES: tuple[type[ModulePass], ...] = (
    InferShape,
    InferType,
    FuseOps,
    PlanMemory,
    CheckMemoryPlan,
    Gradient,
    PlaceDevice,
    CheckPlacement,
)
