"""NNVM's scalar ops (level 3): a tensor and its `scalar` attribute, `x + s`, `s - x`, ...

As in NNVM's compute, the scalar is first converted to the tensor's dtype (integers truncate
toward zero), then the op runs in that dtype under the integer rule of `ops/elemwise.py`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import Float64Type, FloatAttr
from xdsl.irdl import irdl_op_definition, prop_def

from nnvm_dialect.facts import Example, dtypes, example, onnx_equivalent, reference
from nnvm_dialect.ops.elemwise import (
    NUMBER_DTYPES,
    UnaryOp,
    attr_as,
    divide,
    nonzero_array,
    power,
    random_array,
    random_shape,
)


class ScalarOp(UnaryOp):
    """`data` combined with the float attribute `scalar` (required)."""

    scalar = prop_def(FloatAttr[Float64Type])


@irdl_op_definition
class AddScalarOp(ScalarOp):
    """x + scalar."""

    name = "nnvm.__add_scalar__"


@irdl_op_definition
class SubScalarOp(ScalarOp):
    """x - scalar."""

    name = "nnvm.__sub_scalar__"


@irdl_op_definition
class RsubScalarOp(ScalarOp):
    """scalar - x."""

    name = "nnvm.__rsub_scalar__"


@irdl_op_definition
class MulScalarOp(ScalarOp):
    """x * scalar."""

    name = "nnvm.__mul_scalar__"


@irdl_op_definition
class DivScalarOp(ScalarOp):
    """x / scalar; integers truncate toward zero."""

    name = "nnvm.__div_scalar__"


@irdl_op_definition
class RdivScalarOp(ScalarOp):
    """scalar / x; integers truncate toward zero."""

    name = "nnvm.__rdiv_scalar__"


@irdl_op_definition
class PowScalarOp(ScalarOp):
    """x ** scalar."""

    name = "nnvm.__pow_scalar__"


@irdl_op_definition
class RpowScalarOp(ScalarOp):
    """scalar ** x."""

    name = "nnvm.__rpow_scalar__"


Binary = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _semantics(f: Binary, reverse: bool) -> Callable[..., np.ndarray]:
    def semantics(op: ScalarOp, x: np.ndarray) -> np.ndarray:
        s = attr_as(op.float_attr("scalar"), x.dtype)
        out = f(s, x) if reverse else f(x, s)
        return np.asarray(out).astype(x.dtype, copy=False)

    return semantics


def _example(
    data: tuple[float, float], scalar: tuple[float, float], nonzero: str = ""
) -> Callable[[np.random.Generator], Example]:
    """Data and scalar drawn from the given ranges; `nonzero` names the divisor kept away from
    0 ("data" or "scalar"). Integer tensors get an integral scalar."""

    def make(rng: np.random.Generator) -> Example:
        dtype = NUMBER_DTYPES[int(rng.integers(len(NUMBER_DTYPES)))]
        shape = random_shape(rng)
        if nonzero == "data":
            x = nonzero_array(rng, shape, dtype, 1.0, data[1])
        else:
            x = random_array(rng, shape, dtype, *data)
        s = float(rng.uniform(*scalar))
        if dtype.kind == "i":
            s = float(round(s))
        if nonzero == "scalar" and abs(s) < 1:
            s = 1.0 if s >= 0 else -1.0
        return Example([x], {"scalar": FloatAttr(s, 64)})

    return make


for _op, _f, _reverse, _onnx, _make in [
    (AddScalarOp, np.add, False, "Add(x, s)", _example((-10, 10), (-10, 10))),
    (SubScalarOp, np.subtract, False, "Sub(x, s)", _example((-10, 10), (-10, 10))),
    (RsubScalarOp, np.subtract, True, "Sub(s, x)", _example((-10, 10), (-10, 10))),
    (MulScalarOp, np.multiply, False, "Mul(x, s)", _example((-10, 10), (-10, 10))),
    (DivScalarOp, divide, False, "Div(x, s)", _example((-10, 10), (-10, 10), "scalar")),
    (RdivScalarOp, divide, True, "Div(s, x)", _example((-10, 10), (-10, 10), "data")),
    (PowScalarOp, power, False, "Pow(x, s)", _example((0.5, 3), (-2, 3))),
    (RpowScalarOp, power, True, "Pow(s, x)", _example((-2, 3), (0.5, 3))),
]:
    reference.register(_op)(_semantics(_f, _reverse))
    example.register(_op)(_make)
    onnx_equivalent.register(_op)(_onnx)

dtypes.register(ScalarOp)(NUMBER_DTYPES)

SCALAR_OPS = [
    AddScalarOp,
    SubScalarOp,
    RsubScalarOp,
    MulScalarOp,
    DivScalarOp,
    RdivScalarOp,
    PowScalarOp,
    RpowScalarOp,
]
