"""The `nnvm` dialect: NNVM's operators as SSA ops on builtin tensor types."""

from xdsl.ir import Dialect

from nnvm_dialect.ops.backward import BACKWARD_OPS
from nnvm_dialect.ops.base import NnvmOp, UnknownType, build
from nnvm_dialect.ops.broadcast import BROADCAST_OPS
from nnvm_dialect.ops.device import DEVICE_OPS
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
        *BACKWARD_OPS,
        *DEVICE_OPS,
    ],
    [UnknownType],
)

import nnvm_dialect.ops.gradients  # noqa: E402, F401  (registers the gradient rules)

__all__ = ["NNVM", "NnvmOp", "UnknownType", "build"]
