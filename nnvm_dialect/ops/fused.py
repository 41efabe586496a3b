"""`nnvm.fused`: a group of ops that a target runs as one kernel, made by `-p fuse-ops`.

The region is isolated from above: its block arguments stand for the operands (the group's
inputs), the ops inside are ordinary nnvm ops, and `nnvm.yield` returns the group's outputs.
`pattern` is the group's pattern kind (NNVM's TOpPattern, lower case) and `master` the index in
the body of the op whose schedule drives the group (NNVM's master node). The reference target
runs a fused op by running its body, so a fused graph computes what the unfused one did.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, IntegerAttr, StringAttr
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    lazy_traits_def,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator, Pure
from xdsl.utils.exceptions import VerifyException

from nnvm_dialect.facts import DType, OpPattern, Shape, reference, shape_rule, type_rule
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, dtype_of, shape_of

PATTERN_NAMES = {p.name.lower(): p for p in OpPattern}


@irdl_op_definition
class FusedOp(IRDLOperation):
    """A fused group: operands are its inputs, results its outputs, the body its ops."""

    name = "nnvm.fused"
    inputs = var_operand_def(AnyTensor)
    outs = var_result_def(AnyTensor)
    pattern = prop_def(StringAttr)
    master = prop_def(IntegerAttr[I64])
    body = region_def("single_block")

    traits = traits_def(Pure(), IsolatedFromAbove())
    assembly_format = (
        "$pattern `master` $master ` ` `(` $inputs `)` attr-dict-with-keyword "
        "`:` functional-type($inputs, $outs) $body"
    )

    def __init__(
        self,
        inputs: Sequence[SSAValue],
        body: Region,
        result_types: Sequence[Attribute],
        pattern: OpPattern,
        master: int,
    ):
        super().__init__(
            operands=[inputs],
            result_types=[result_types],
            properties={
                "pattern": StringAttr(pattern.name.lower()),
                "master": IntegerAttr(master, 64),
            },
            regions=[body],
        )

    @property
    def block(self) -> Block:
        return self.body.block

    def group_pattern(self) -> OpPattern:
        return PATTERN_NAMES[self.pattern.data]

    def verify_(self) -> None:
        if self.pattern.data not in PATTERN_NAMES:
            kinds = ", ".join(PATTERN_NAMES)
            raise VerifyException(f"pattern '{self.pattern.data}' is not one of: {kinds}")
        block = self.block
        if len(block.args) != len(self.inputs):
            raise VerifyException(
                f"the body has {len(block.args)} arguments for {len(self.inputs)} operands"
            )
        for i, (arg, value) in enumerate(zip(block.args, self.inputs)):
            if arg.type != value.type:
                raise VerifyException(
                    f"body argument #{i} has type {arg.type} but operand #{i} is {value.type}"
                )
        ops = list(block.ops)
        if not ops or not isinstance(ops[-1], YieldOp):
            raise VerifyException("the body must end with nnvm.yield")
        for op in ops[:-1]:
            if not isinstance(op, NnvmOp):
                raise VerifyException(f"the body may hold only nnvm ops, got '{op.name}'")
        master = self.master.value.data
        if not 0 <= master < len(ops) - 1:
            raise VerifyException(f"master {master} is not the index of an op of the body")
        yielded = ops[-1].operands
        if len(yielded) != len(self.outs):
            raise VerifyException(
                f"the body yields {len(yielded)} values for {len(self.outs)} results"
            )
        for i, (value, res) in enumerate(zip(yielded, self.outs)):
            if value.type != res.type:
                raise VerifyException(
                    f"result #{i} has type {res.type} but the body yields {value.type}"
                )


@irdl_op_definition
class YieldOp(IRDLOperation):
    """Ends the body of `nnvm.fused`; its operands are the group's outputs."""

    name = "nnvm.yield"
    values = var_operand_def(AnyTensor)

    traits = lazy_traits_def(lambda: (IsTerminator(), HasParent(FusedOp), Pure()))
    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def __init__(self, values: Sequence[SSAValue]):
        super().__init__(operands=[values])


def _yielded(op: FusedOp) -> Sequence[SSAValue]:
    last = op.block.last_op
    return last.operands if isinstance(last, YieldOp) else ()


@shape_rule.register(FusedOp)
def _fused_shapes(op: FusedOp, shapes: Sequence[Shape]) -> list[Shape]:
    """The body's ops carry their own rules; the group's outputs are what it yields."""
    return [shape_of(v.type) for v in _yielded(op)]


@type_rule.register(FusedOp)
def _fused_types(op: FusedOp, dtypes: Sequence[DType]) -> list[DType]:
    return [dtype_of(v.type) for v in _yielded(op)]


@reference.register(FusedOp)
def _run_body(op: FusedOp, *inputs: np.ndarray) -> list[np.ndarray]:
    from nnvm_dialect.reference import run_block

    return run_block(op.block, dict(zip(op.block.args, inputs)))


FUSED_OPS = [FusedOp, YieldOp]
