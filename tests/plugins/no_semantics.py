"""A plugin op with a shape rule but no reference semantics."""

from collections.abc import Sequence

from xdsl.irdl import irdl_op_definition, operand_def, result_def

from nnvm_dialect.facts import Shape, shape_rule
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.plugins import register_op


@register_op
@irdl_op_definition
class OpaqueIdentity(NnvmOp):
    name = "opaque.identity"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(OpaqueIdentity)
def _same(op: OpaqueIdentity, shapes: Sequence[Shape]) -> list[Shape]:
    return [shapes[0]]
