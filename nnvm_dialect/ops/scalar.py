"""Elementwise ops driven by float attributes: NNVM's scalar ops (level 3: a tensor and its
`scalar` attribute, `x + s`, `s - x`, ...) and clip (level 4).

As in NNVM's compute, a float attribute is first converted to the tensor's dtype (integers
truncate toward zero, saturating at the dtype's range; NaN gives 0), then the op runs in that
dtype under the integer rule of `ops/elemwise.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import Float64Type, FloatAttr
from xdsl.irdl import irdl_op_definition, prop_def

from nnvm_dialect.facts import (
    Example,
    ShapeError,
    dtypes,
    example,
    inplace_option,
    onnx_equivalent,
    reference,
)
from nnvm_dialect.ops.elemwise import (
    INT_DTYPES,
    NUMBER_DTYPES,
    UnaryOp,
    divide,
    nonzero_array,
    power,
    random_array,
    random_shape,
)


def attr_as(value: float, dtype: np.dtype) -> np.ndarray:
    """A float attribute in a tensor's dtype: integers truncate toward zero (NNVM's const cast)."""
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        if math.isnan(value):
            return np.asarray(0, dtype)
        if math.isinf(value):
            return np.asarray(info.max if value > 0 else info.min, dtype)
        return np.asarray(min(max(math.trunc(value), info.min), info.max), dtype)
    return np.asarray(value, dtype)


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


@irdl_op_definition
class LshiftScalarOp(ScalarOp):
    """x << scalar, on integers (the scalar truncated to an integer count)."""

    name = "nnvm.__lshift_scalar__"


@irdl_op_definition
class RshiftScalarOp(ScalarOp):
    """x >> scalar (arithmetic), on integers (the scalar truncated to an integer count)."""

    name = "nnvm.__rshift_scalar__"


@irdl_op_definition
class ClipOp(UnaryOp):
    """max(min(x, a_max), a_min); on integers the bounds are truncated toward zero first."""

    name = "nnvm.clip"
    a_min = prop_def(FloatAttr[Float64Type])
    a_max = prop_def(FloatAttr[Float64Type])

    def verify_attributes(self) -> None:
        a_min, a_max = self.float_attr("a_min"), self.float_attr("a_max")
        if not a_min <= a_max:
            raise ShapeError(f"a_min ({a_min}) must be <= a_max ({a_max})")


Binary = Callable[[np.ndarray, np.ndarray], np.ndarray]


def shift_left(a: np.ndarray, count: np.ndarray) -> np.ndarray:
    """a << count, wrapping in a's dtype. C leaves counts outside [0, bits) undefined; here a
    negative count shifts by 0 and a count >= bits shifts every bit out (0)."""
    bits = a.dtype.itemsize * 8
    shifted = np.left_shift(a, np.clip(count, 0, bits - 1).astype(a.dtype))
    return np.where(count >= bits, 0, shifted).astype(a.dtype)


def shift_right(a: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Arithmetic a >> count (the sign fills in); counts clamp to [0, bits - 1] as for <<."""
    bits = a.dtype.itemsize * 8
    return np.right_shift(a, np.clip(count, 0, bits - 1).astype(a.dtype))


def _semantics(f: Binary, reverse: bool) -> Callable[..., np.ndarray]:
    def semantics(op: ScalarOp, x: np.ndarray) -> np.ndarray:
        s = attr_as(op.float_attr("scalar"), x.dtype)
        out = f(s, x) if reverse else f(x, s)
        return np.asarray(out).astype(x.dtype, copy=False)

    return semantics


def _example(
    data: tuple[float, float],
    scalar: tuple[float, float],
    nonzero: str = "",
    types: tuple[np.dtype, ...] = NUMBER_DTYPES,
) -> Callable[[np.random.Generator], Example]:
    """Data and scalar drawn from the given ranges; `nonzero` names the divisor kept away from
    0 ("data" or "scalar"). Integer tensors get an integral scalar."""

    def make(rng: np.random.Generator) -> Example:
        dtype = types[int(rng.integers(len(types)))]
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


INTS = INT_DTYPES
for _op, _f, _reverse, _onnx, _make in [
    (AddScalarOp, np.add, False, "Add(x, s)", _example((-10, 10), (-10, 10))),
    (SubScalarOp, np.subtract, False, "Sub(x, s)", _example((-10, 10), (-10, 10))),
    (RsubScalarOp, np.subtract, True, "Sub(s, x)", _example((-10, 10), (-10, 10))),
    (MulScalarOp, np.multiply, False, "Mul(x, s)", _example((-10, 10), (-10, 10))),
    (DivScalarOp, divide, False, "Div(x, s)", _example((-10, 10), (-10, 10), "scalar")),
    (RdivScalarOp, divide, True, "Div(s, x)", _example((-10, 10), (-10, 10), "data")),
    (PowScalarOp, power, False, "Pow(x, s)", _example((0.5, 3), (-2, 3))),
    (RpowScalarOp, power, True, "Pow(s, x)", _example((-2, 3), (0.5, 3))),
    (LshiftScalarOp, shift_left, False, "BitShift (LEFT)", _example((-3, 3), (0, 6), "", INTS)),
    (RshiftScalarOp, shift_right, False, "BitShift (RIGHT)", _example((-99, 99), (0, 6), "", INTS)),
]:
    reference.register(_op)(_semantics(_f, _reverse))
    example.register(_op)(_make)
    onnx_equivalent.register(_op)(_onnx)


@reference.register(ClipOp)
def _clip(op: ClipOp, x: np.ndarray) -> np.ndarray:
    a_min, a_max = (attr_as(op.float_attr(a), x.dtype) for a in ("a_min", "a_max"))
    return np.asarray(np.minimum(np.maximum(x, a_min), a_max)).astype(x.dtype, copy=False)


@example.register(ClipOp)
def _clip_example(rng: np.random.Generator) -> Example:
    dtype = NUMBER_DTYPES[int(rng.integers(len(NUMBER_DTYPES)))]
    x = random_array(rng, random_shape(rng), dtype, -5.0, 5.0)
    a_min, a_max = sorted(float(v) for v in rng.uniform(-4.0, 4.0, 2))
    return Example([x], {"a_min": FloatAttr(a_min, 64), "a_max": FloatAttr(a_max, 64)})


dtypes.register(ScalarOp, ClipOp)(NUMBER_DTYPES)
dtypes.register(LshiftScalarOp, RshiftScalarOp)(INT_DTYPES)
onnx_equivalent.register(ClipOp)("Clip")
inplace_option.register(ClipOp)(())  # NNVM registers clip directly, without in-place options

SCALAR_OPS = [
    AddScalarOp,
    SubScalarOp,
    RsubScalarOp,
    MulScalarOp,
    DivScalarOp,
    RdivScalarOp,
    PowScalarOp,
    RpowScalarOp,
    LshiftScalarOp,
    RshiftScalarOp,
    ClipOp,
]
