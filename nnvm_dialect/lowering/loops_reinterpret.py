"""CPU lowering of bitcast: one llvm bitcast per element (a zero extension from bool, whose
register type i1 is narrower than its byte)."""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index, scalar_type
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype
from nnvm_dialect.ops.reinterpret import BitcastOp


def bitcast(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x = em.operand(op, 0, idx)
    t = scalar_type(to_numpy(op.dtype))  # type: ignore[attr-defined]
    if tensor_dtype(op.operands[0]).kind == "b":
        return em.emit(arith.ExtUIOp(x, t))
    return em.emit(arith.BitcastOp(x, t))


lowering.register(BitcastOp)(PerElement(bitcast, flat="same"))
