"""CPU lowerings of the elementwise ops (`PerElement`), registered under the `lowering` fact.

Helpers here (`unary`, `binary`) make the lowering of a new elementwise op one line, for the
dialect's ops and for plugins alike.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects import math
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Index
from nnvm_dialect.lowering.nnvm_to_loops import Lowering, PerElement, tensor_dtype
from nnvm_dialect.ops import elemwise as ew
from nnvm_dialect.ops import nn

Scalar = Callable[[Lowering, SSAValue, np.dtype], SSAValue]


def unary(f: Scalar) -> PerElement:
    """A PerElement from f(em, x, dtype) -> y, y in the dtype of x."""

    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        return f(em, em.operand(op, 0, idx), tensor_dtype(op.operands[0]))

    return PerElement(value)


def binary(f: Callable[[Lowering, SSAValue, SSAValue, np.dtype], SSAValue]) -> PerElement:
    def value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
        a, b = em.operand(op, 0, idx), em.operand(op, 1, idx)
        return f(em, a, b, tensor_dtype(op.operands[0]))

    return PerElement(value)


def float_only(mathop: type[Operation]) -> Scalar:
    """A `math` op on a float; integers go through float64 and back, as numpy's ufuncs would."""

    def f(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
        if dtype.kind == "f":
            return em.math(mathop, x)
        wide = np.dtype(np.float64)
        return em.cast(em.math(mathop, em.cast(x, dtype, wide)), wide, dtype)

    return f


def relu(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    return em.max(x, em.const(0, dtype), dtype)


def sigmoid(em: Lowering, x: SSAValue, dtype: np.dtype) -> SSAValue:
    one = em.const(1, dtype)
    return em.div(one, em.add(one, em.exp(em.neg(x))), dtype)


def leaky_relu_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    x, dtype = em.operand(op, 0, idx), tensor_dtype(op.operands[0])
    alpha = em.const(op.float_attr("alpha"), dtype)  # type: ignore[attr-defined]
    positive = em.cmp("gt", x, em.const(0, dtype), dtype)
    return em.select(positive, x, em.mul(x, alpha))


def cast_value(em: Lowering, op: Operation, r: int, idx: list[Index]) -> SSAValue:
    return em.cast(
        em.operand(op, 0, idx),
        tensor_dtype(op.operands[0]),
        to_numpy(op.dtype),  # type: ignore[attr-defined]
    )


for _op, _rule in [
    (ew.ReluOp, unary(relu)),
    (ew.TanhOp, unary(float_only(math.TanhOp))),
    (ew.SigmoidOp, unary(sigmoid)),
    (ew.ExpOp, unary(float_only(math.ExpOp))),
    (ew.LogOp, unary(float_only(math.LogOp))),
    (ew.SqrtOp, unary(float_only(math.SqrtOp))),
    (ew.NegativeOp, unary(lambda em, x, t: em.neg(x))),
    (ew.CopyOp, unary(lambda em, x, t: x)),
    (nn.DropoutOp, unary(lambda em, x, t: x)),
    (ew.LeakyReluOp, PerElement(leaky_relu_value)),
    (ew.CastOp, PerElement(cast_value)),
    (ew.ElemwiseAddOp, binary(lambda em, a, b, t: em.add(a, b))),
    (ew.ElemwiseSubOp, binary(lambda em, a, b, t: em.sub(a, b))),
    (ew.ElemwiseMulOp, binary(lambda em, a, b, t: em.mul(a, b))),
    (ew.ElemwiseDivOp, binary(lambda em, a, b, t: em.div(a, b, t))),
]:
    lowering.register(_op)(_rule)
