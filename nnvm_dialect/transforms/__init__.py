"""Graph passes, one file per pass, named after its flag."""

from xdsl.passes import ModulePass

from nnvm_dialect.transforms.fuse_ops import FuseOps
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType

NNVM_PASSES: tuple[type[ModulePass], ...] = (InferShape, InferType, FuseOps)
