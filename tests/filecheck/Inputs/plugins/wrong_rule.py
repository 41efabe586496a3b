"""A plugin op whose shape rule disagrees with its semantics: --check-ops must say so."""

import numpy as np
from xdsl.irdl import irdl_op_definition, operand_def, result_def

from nnvm_dialect.facts import Example, example, reference, shape_rule
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.plugins import register_op


@register_op
@irdl_op_definition
class Flat(NnvmOp):
    name = "wrong.flat"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)


@shape_rule.register(Flat)
def _same(op, shapes):
    return [shapes[0]]


@reference.register(Flat)
def _flat(op, x):
    return x.reshape(-1)


@example.register(Flat)
def _example(rng):
    return Example([rng.random((2, int(rng.integers(2, 4))))])
