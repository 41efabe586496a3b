"""The `nnvm` dialect: NNVM's operators as SSA ops on builtin tensor types."""

from xdsl.ir import Dialect

from nnvm_dialect.ops.base import NnvmOp, UnknownType, build
from nnvm_dialect.ops.broadcast import BROADCAST_OPS
from nnvm_dialect.ops.elemwise import ELEMWISE_OPS
from nnvm_dialect.ops.fused import FUSED_OPS
from nnvm_dialect.ops.nn import NN_OPS
from nnvm_dialect.ops.reduce import REDUCE_OPS
from nnvm_dialect.ops.scalar import SCALAR_OPS
from nnvm_dialect.ops.transform import TRANSFORM_OPS

NNVM = Dialect(
    "nnvm",
    [
        *ELEMWISE_OPS,
        *SCALAR_OPS,
        *BROADCAST_OPS,
        *REDUCE_OPS,
        *NN_OPS,
        *TRANSFORM_OPS,
        *FUSED_OPS,
    ],
    [UnknownType],
)

__all__ = ["NNVM", "NnvmOp", "UnknownType", "build"]

# The dialect's canonicalization patterns, registered under the `canonicalize` fact.
import nnvm_dialect.transforms.canonicalization_patterns  # noqa: E402, F401, I001
