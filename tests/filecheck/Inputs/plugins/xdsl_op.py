"""A plugin op in an xDSL dialect: an error."""

from xdsl.irdl import irdl_op_definition, operand_def, result_def
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.plugins import register_op


@register_op
@irdl_op_definition
class MyRelu(NnvmOp):
    name = "arith.foo"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
