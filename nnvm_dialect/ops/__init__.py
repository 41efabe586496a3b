"""The `nnvm` dialect: NNVM's operators as SSA ops on builtin tensor types."""

from xdsl.ir import Dialect

from nnvm_dialect.ops.base import NnvmOp, UnknownType, build
from nnvm_dialect.ops.elemwise import ELEMWISE_OPS
from nnvm_dialect.ops.nn import NN_OPS
from nnvm_dialect.ops.norm import NORM_OPS
from nnvm_dialect.ops.pool import POOL_OPS
from nnvm_dialect.ops.transform import TRANSFORM_OPS
from nnvm_dialect.ops.vision import VISION_OPS

NNVM = Dialect(
    "nnvm",
    [*ELEMWISE_OPS, *NN_OPS, *POOL_OPS, *NORM_OPS, *VISION_OPS, *TRANSFORM_OPS],
    [UnknownType],
)

__all__ = ["NNVM", "NnvmOp", "UnknownType", "build"]
