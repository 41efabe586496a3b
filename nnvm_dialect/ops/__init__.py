"""The `nnvm` dialect: NNVM's operators as SSA ops on builtin tensor types."""

from xdsl.ir import Dialect

from nnvm_dialect.ops.backward import BACKWARD_OPS
from nnvm_dialect.ops.base import NnvmOp, UnknownType, build
from nnvm_dialect.ops.broadcast import BROADCAST_OPS
from nnvm_dialect.ops.constant import CONSTANT_ATTRS, CONSTANT_OPS
from nnvm_dialect.ops.device import DEVICE_OPS
from nnvm_dialect.ops.elemwise import ELEMWISE_OPS
from nnvm_dialect.ops.fused import FUSED_OPS
from nnvm_dialect.ops.index import INDEX_OPS
from nnvm_dialect.ops.init import INIT_OPS
from nnvm_dialect.ops.layout import LAYOUT_OPS
from nnvm_dialect.ops.matmul import MATMUL_OPS
from nnvm_dialect.ops.nn import NN_OPS
from nnvm_dialect.ops.norm import NORM_OPS
from nnvm_dialect.ops.onnx_elemwise import ONNX_ELEMWISE_OPS
from nnvm_dialect.ops.onnx_index import ONNX_INDEX_OPS
from nnvm_dialect.ops.onnx_ops import ONNX_OPS
from nnvm_dialect.ops.pool import POOL_OPS
from nnvm_dialect.ops.reduce import REDUCE_OPS
from nnvm_dialect.ops.reinterpret import REINTERPRET_OPS
from nnvm_dialect.ops.replicate import REPLICATE_OPS
from nnvm_dialect.ops.scalar import SCALAR_OPS
from nnvm_dialect.ops.transform import TRANSFORM_OPS
from nnvm_dialect.ops.vision import VISION_OPS

NNVM = Dialect(
    "nnvm",
    [
        *ELEMWISE_OPS,
        *SCALAR_OPS,
        *BROADCAST_OPS,
        *REDUCE_OPS,
        *NN_OPS,
        *POOL_OPS,
        *NORM_OPS,
        *VISION_OPS,
        *TRANSFORM_OPS,
        *REPLICATE_OPS,
        *INDEX_OPS,
        *INIT_OPS,
        *MATMUL_OPS,
        *LAYOUT_OPS,
        *FUSED_OPS,
        *CONSTANT_OPS,
        *BACKWARD_OPS,
        *ONNX_OPS,
        *ONNX_ELEMWISE_OPS,
        *ONNX_INDEX_OPS,
        *DEVICE_OPS,
        *REINTERPRET_OPS,
    ],
    [UnknownType, *CONSTANT_ATTRS],
)

import nnvm_dialect.ops.gradients  # noqa: E402, F401  (registers the gradient rules)

__all__ = ["NNVM", "NnvmOp", "UnknownType", "build"]

# The dialect's canonicalization patterns, registered under the `canonicalize` fact.
import nnvm_dialect.transforms.canonicalization_patterns  # noqa: E402, F401, I001
