"""Numbers of the elementwise, scalar, broadcast and reduction ops, checked independently: against
onnxruntime running the equivalent ONNX node, explicit per-element formulas (Python's math on
each element), and textbook identities, on hypothesis-drawn shapes, dtypes and attributes.

Tolerances: float32 results against onnxruntime rtol=1e-5, atol=1e-6 for elementwise ops (both
round one correctly rounded or near-correctly rounded operation to float32) and rtol=1e-5,
atol=1e-5 for reductions (onnxruntime accumulates in float32 over at most 256 values in
[-1, 1]); float64 against Python floats rtol=1e-12. Integer and boolean results are exact.
"""

from __future__ import annotations

import math

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from op_support import run_op
from xdsl.dialects.builtin import BoolAttr, Float32Type, FloatAttr, IntegerAttr, IntegerType, i32

from nnvm_dialect.facts import ShapeError
from nnvm_dialect.ops import broadcast as bc
from nnvm_dialect.ops import elemwise as ew
from nnvm_dialect.ops import reduce as rd
from nnvm_dialect.ops import scalar as sc
from nnvm_dialect.ops.nn import ints

SETTINGS = settings(max_examples=15, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
SHAPES = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)
ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}
F32 = {"rtol": 1e-5, "atol": 1e-6}


def onnx_run(
    op_type: str, inputs: list[np.ndarray], opset: int = 18, **attrs: object
) -> np.ndarray:
    """The output of a one-node ONNX model `op_type(inputs)` run by onnxruntime."""
    names = [f"in{i}" for i in range(len(inputs))]
    inputs = [np.asarray(a) for a in inputs]
    graph = helper.make_graph(
        [helper.make_node(op_type, names, ["out"], **attrs)],
        "one_node",
        [
            helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], a.shape)
            for n, a in zip(names, inputs)
        ],
        [helper.make_empty_tensor_value_info("out")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 9
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return session.run(["out"], dict(zip(names, inputs)))[0]


def names(table: list) -> list[str]:  # type: ignore[type-arg]
    return [row[0].name for row in table]


def run1(cls, *arrays: np.ndarray, **props) -> np.ndarray:  # type: ignore[no-untyped-def]
    return run_op(cls, list(arrays), props or None)[0]


def f64(v: float) -> FloatAttr:
    return FloatAttr(v, 64)


def per_element(f, *arrays: np.ndarray, dtype: np.dtype) -> np.ndarray:  # type: ignore[no-untyped-def]
    """f applied to each element as a Python number, on the broadcast of `arrays`."""
    cast = float if np.dtype(dtype).kind == "f" else int
    bs = np.broadcast_arrays(*arrays)
    flat = [f(*(cast(a) for a in vals)) for vals in zip(*(b.flat for b in bs))]
    return np.array(flat, dtype=np.float64 if cast is float else object).reshape(bs[0].shape)


# Unary ops against onnxruntime and against math.

UNARY_VS_ONNX = [
    (ew.AbsOp, "Abs", -5, 5),
    (ew.FloorOp, "Floor", -5, 5),
    (ew.CeilOp, "Ceil", -5, 5),
    (ew.SignOp, "Sign", -5, 5),
    (ew.NearbyintOp, "Round", -5, 5),
    (ew.ErfOp, "Erf", -3, 3),
    (ew.GeluOp, "Gelu", -4, 4),
    (ew.ReluOp, "Relu", -5, 5),
    (ew.TanhOp, "Tanh", -3, 3),
    (ew.SigmoidOp, "Sigmoid", -6, 6),
    (ew.ExpOp, "Exp", -3, 3),
    (ew.LogOp, "Log", 0.01, 10),
    (ew.SqrtOp, "Sqrt", 0, 10),
    (ew.NegativeOp, "Neg", -5, 5),
    (ew.BlockGradOp, "Identity", -5, 5),
]


@pytest.mark.parametrize("cls,onnx_op,low,high", UNARY_VS_ONNX, ids=names(UNARY_VS_ONNX))
@SETTINGS
@given(shape=SHAPES, seed=SEEDS, halves=st.booleans())
def test_unary_float32_vs_onnx(cls, onnx_op, low, high, shape, seed, halves) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).uniform(low, high, shape).astype(np.float32)
    if halves and cls is not ew.LogOp:  # exact halves, where rounding modes differ
        x = (np.round(x * 2) / 2).astype(np.float32)
    got = run1(cls, x)
    want = onnx_run(onnx_op, [x], opset=20 if onnx_op == "Gelu" else 18)
    assert got.dtype == want.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_allclose(got, want, **F32)


UNARY_MATH = [
    (ew.RsqrtOp, lambda v: 1 / math.sqrt(v), 0.01, 10),
    (ew.ErfOp, math.erf, -4, 4),
    (ew.GeluOp, lambda v: v * (1 + math.erf(v / math.sqrt(2))) / 2, -5, 5),
    (ew.TruncOp, math.trunc, -5, 5),
    (ew.FloorOp, math.floor, -5, 5),
    (ew.CeilOp, math.ceil, -5, 5),
    (ew.RoundOp, lambda v: math.copysign(math.floor(abs(v) + 0.5), v), -5, 5),
    (ew.NearbyintOp, round, -5, 5),  # Python's round(): half to even
    (ew.SignOp, lambda v: (v > 0) - (v < 0), -5, 5),
]


@pytest.mark.parametrize("cls,f,low,high", UNARY_MATH, ids=names(UNARY_MATH))
@SETTINGS
@given(shape=SHAPES, seed=SEEDS, halves=st.booleans())
def test_unary_float64_vs_math(cls, f, low, high, shape, seed, halves) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).uniform(low, high, shape)
    if halves and cls is not ew.RsqrtOp:
        x = np.round(x * 2) / 2
    got = run1(cls, x)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, per_element(f, x, dtype=x.dtype), rtol=1e-12, atol=1e-15)


def test_round_and_nearbyint_differ_exactly_on_halves() -> None:
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999999999999994, -3.7], np.float64)
    assert run1(ew.RoundOp, x).tolist() == [-3, -2, -1, 1, 2, 3, 0, -4]
    assert run1(ew.NearbyintOp, x).tolist() == [-2, -2, -0, 0, 2, 2, 0, -4]


@SETTINGS
@given(shape=SHAPES, seed=SEEDS, dtype=st.sampled_from([np.int8, np.int32, np.int64]))
def test_rounding_is_the_identity_on_integers(shape, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).integers(-100, 100, shape).astype(dtype)
    for cls in (ew.FloorOp, ew.CeilOp, ew.TruncOp, ew.RoundOp, ew.NearbyintOp):
        got = run1(cls, x)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, x)
    np.testing.assert_array_equal(run1(ew.SignOp, x), np.sign(x))
    np.testing.assert_array_equal(run1(ew.AbsOp, x), np.abs(x))


@SETTINGS
@given(shape=SHAPES, seed=SEEDS, dtype=st.sampled_from([np.float32, np.float64]))
def test_unary_identities(shape, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).uniform(-5, 5, shape).astype(dtype)
    # floor(x) <= x < floor(x) + 1; ceil(x) == -floor(-x); trunc lies between 0 and x;
    # x == sign(x) * abs(x); erf is odd; gelu(x) - gelu(-x) == x.
    floor = run1(ew.FloorOp, x)
    assert np.all(floor <= x) and np.all(x < floor + 1)
    np.testing.assert_array_equal(run1(ew.CeilOp, x), -run1(ew.FloorOp, -x))
    trunc = run1(ew.TruncOp, x)
    assert np.all(np.abs(trunc) <= np.abs(x)) and np.all(np.abs(x - trunc) < 1)
    np.testing.assert_array_equal(run1(ew.SignOp, x) * run1(ew.AbsOp, x), x)
    np.testing.assert_array_equal(run1(ew.ErfOp, -x), -run1(ew.ErfOp, x))
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(run1(ew.GeluOp, x) - run1(ew.GeluOp, -x), x, **tol)


@SETTINGS
@given(shape=SHAPES, seed=SEEDS, bounds=st.tuples(st.floats(-5, 5), st.floats(-5, 5)))
def test_clip_vs_onnx(shape, seed, bounds) -> None:  # type: ignore[no-untyped-def]
    a_min, a_max = sorted(bounds)
    rng = np.random.default_rng(seed)
    for x in (rng.uniform(-6, 6, shape).astype(np.float32), rng.integers(-6, 7, shape)):
        got = run1(sc.ClipOp, x, a_min=f64(a_min), a_max=f64(a_max))
        # On integers the bounds are truncated toward zero first (NNVM's const cast).
        lo, hi = (
            np.asarray(b if x.dtype.kind == "f" else math.trunc(b), x.dtype) for b in (a_min, a_max)
        )
        np.testing.assert_array_equal(got, onnx_run("Clip", [x, lo, hi]))


# Binary ops: the integer rule, against math and onnxruntime.


def nonzero(rng: np.random.Generator, shape, dtype, high: int = 12) -> np.ndarray:  # type: ignore[no-untyped-def]
    return (rng.integers(1, high, shape) * rng.choice([-1, 1], shape)).astype(dtype)


def trunc_div(p: int, q: int) -> int:
    return abs(p) // abs(q) * (1 if (p >= 0) == (q >= 0) else -1)


@SETTINGS
@given(
    shape=SHAPES,
    seed=SEEDS,
    dtype=st.sampled_from([np.int8, np.int32, np.int64]),
    form=st.sampled_from(["elemwise", "broadcast"]),
)
def test_integer_division_and_modulo_follow_c(shape, seed, dtype, form) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a = rng.integers(-100, 101, shape).astype(dtype)
    b = nonzero(rng, shape, dtype)
    div, mod = (
        (ew.ElemwiseDivOp, ew.ElemwiseModOp)
        if form == "elemwise"
        else (bc.BroadcastDivOp, bc.BroadcastModOp)
    )
    q, r = run1(div, a, b), run1(mod, a, b)
    assert q.dtype == r.dtype == dtype
    np.testing.assert_array_equal(q, per_element(trunc_div, a, b, dtype=dtype).astype(dtype))
    np.testing.assert_array_equal(
        r, per_element(lambda p, d: int(math.fmod(p, d)), a, b, dtype=dtype).astype(dtype)
    )
    # a == q * b + r, |r| < |b|, and r has the sign of a (or is 0).
    np.testing.assert_array_equal(q.astype(np.int64) * b + r, a)
    assert np.all(np.abs(r) < np.abs(b)) and np.all((r == 0) | (np.sign(r) == np.sign(a)))
    if dtype != np.int8:
        np.testing.assert_array_equal(q, onnx_run("Div", [a, b]))
        np.testing.assert_array_equal(r, onnx_run("Mod", [a, b], fmod=1))


@SETTINGS
@given(shape=SHAPES, seed=SEEDS, dtype=st.sampled_from([np.float32, np.float64]))
def test_float_mod_and_pow_vs_onnx(shape, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a = rng.uniform(-10, 10, shape).astype(dtype)
    b = (rng.uniform(0.5, 4, shape) * rng.choice([-1, 1], shape)).astype(dtype)
    tol = F32 if dtype == np.float32 else {"rtol": 1e-12}
    np.testing.assert_allclose(run1(ew.ElemwiseModOp, a, b), onnx_run("Mod", [a, b], fmod=1), **tol)
    base, exponent = np.abs(a) + 0.1, rng.uniform(-2, 2, shape).astype(dtype)
    base = base.astype(dtype)
    np.testing.assert_allclose(
        run1(ew.ElemwisePowOp, base, exponent), onnx_run("Pow", [base, exponent]), **tol
    )


@SETTINGS
@given(shape=SHAPES, seed=SEEDS, dtype=st.sampled_from([np.int8, np.int32, np.int64]))
def test_integer_power_truncates_negative_exponents(shape, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-3, 4, shape).astype(dtype), rng.integers(-3, 4, shape).astype(dtype)

    def want(p: int, q: int) -> int:
        if q >= 0:
            return p**q
        return 0 if p == 0 else math.trunc(1 / p ** (-q))

    got = run1(ew.ElemwisePowOp, a, b)
    np.testing.assert_array_equal(got, per_element(want, a, b, dtype=dtype).astype(dtype))


@SETTINGS
@given(
    shape=SHAPES,
    seed=SEEDS,
    count=st.integers(1, 5),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_elemwise_sum_vs_onnx(shape, seed, count, dtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-10, 10, shape).astype(dtype) for _ in range(count)]
    props = {"num_args": IntegerAttr(count, 64)}
    got = run_op(ew.ElemwiseSumOp, xs, props)[0]
    np.testing.assert_allclose(got, onnx_run("Sum", xs), **F32)
    ints_ = [x.astype(np.int8) for x in xs]  # onnxruntime's Sum has no integer kernel
    want = per_element(lambda *vs: sum(vs), *ints_, dtype=np.int8).astype(np.int8)
    np.testing.assert_array_equal(run_op(ew.ElemwiseSumOp, ints_, props)[0], want)


@SETTINGS
@given(shape=SHAPES, seed=SEEDS)
def test_logical_ops_vs_onnx(shape, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a, b = (rng.integers(0, 2, shape).astype(bool) for _ in range(2))
    for cls, onnx_op, args in [
        (ew.LogicalAndOp, "And", [a, b]),
        (ew.LogicalOrOp, "Or", [a, b]),
        (ew.LogicalNotOp, "Not", [a]),
    ]:
        got = run1(cls, *args)
        assert got.dtype == np.bool_
        np.testing.assert_array_equal(got, onnx_run(onnx_op, args))


def test_logical_ops_refuse_non_bool_operands() -> None:
    x = np.zeros(3, np.float32)
    with pytest.raises(Exception, match=r"operand #0 must be i1 \(bool\), got f32"):
        run1(ew.LogicalNotOp, x)


@st.composite
def broadcastable(draw) -> tuple[tuple[int, ...], tuple[int, ...]]:  # type: ignore[no-untyped-def]
    out = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))
    shapes = []
    for _ in range(2):
        rank = draw(st.integers(0, len(out)))
        shapes.append(tuple(1 if draw(st.booleans()) else d for d in out[len(out) - rank :]))
    return shapes[0], shapes[1]


# Scalar ops.

SCALAR_FORMULAS = [
    (sc.AddScalarOp, lambda x, s: x + s, "Add", False),
    (sc.SubScalarOp, lambda x, s: x - s, "Sub", False),
    (sc.RsubScalarOp, lambda x, s: s - x, "Sub", True),
    (sc.MulScalarOp, lambda x, s: x * s, "Mul", False),
    (sc.DivScalarOp, lambda x, s: x / s, "Div", False),
    (sc.RdivScalarOp, lambda x, s: s / x, "Div", True),
    (sc.PowScalarOp, lambda x, s: x**s, "Pow", False),
    (sc.RpowScalarOp, lambda x, s: s**x, "Pow", True),
]


@pytest.mark.parametrize("cls,f,onnx_op,reverse", SCALAR_FORMULAS, ids=names(SCALAR_FORMULAS))
@SETTINGS
@given(shape=SHAPES, seed=SEEDS, scalar=st.floats(0.5, 3).map(lambda v: v * 1.0))
def test_scalar_ops_vs_math_and_onnx(cls, f, onnx_op, reverse, shape, seed, scalar) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).uniform(0.5, 3, shape)
    got = run1(cls, x, scalar=f64(scalar))
    np.testing.assert_allclose(
        got, per_element(lambda v: f(v, scalar), x, dtype=x.dtype), rtol=1e-12
    )
    x32, s32 = x.astype(np.float32), np.array(scalar, np.float32)
    want = onnx_run(onnx_op, [s32, x32] if reverse else [x32, s32])
    np.testing.assert_allclose(run1(cls, x32, scalar=f64(scalar)), want, **F32)


@SETTINGS
@given(
    shape=SHAPES,
    seed=SEEDS,
    scalar=st.floats(-9.9, 9.9),
    dtype=st.sampled_from([np.int32, np.int64]),
)
def test_scalar_ops_on_integers_truncate_the_scalar_first(shape, seed, scalar, dtype) -> None:  # type: ignore[no-untyped-def]
    x = nonzero(np.random.default_rng(seed), shape, dtype, 20)
    s = math.trunc(scalar)
    for cls, f in [
        (sc.AddScalarOp, lambda v: v + s),
        (sc.RsubScalarOp, lambda v: s - v),
        (sc.MulScalarOp, lambda v: v * s),
        (sc.RdivScalarOp, lambda v: trunc_div(s, v)),
    ]:
        got = run1(cls, x, scalar=f64(scalar))
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, per_element(f, x, dtype=dtype).astype(dtype))
    if s:
        got = run1(sc.DivScalarOp, x, scalar=f64(scalar))
        np.testing.assert_array_equal(
            got, per_element(lambda v: trunc_div(v, s), x, dtype=dtype).astype(dtype)
        )


@SETTINGS
@given(
    shapes=broadcastable(),
    seed=SEEDS,
    dtype=st.sampled_from([np.int8, np.int32, np.int64]),
    count=st.integers(-3, 70),
)
def test_shifts_vs_python_ints(shapes, seed, dtype, count) -> None:  # type: ignore[no-untyped-def]
    bits = np.dtype(dtype).itemsize * 8
    rng = np.random.default_rng(seed)
    x = rng.integers(-100, 101, shapes[0]).astype(dtype)

    def wrap(v: int) -> int:
        return (v + 2 ** (bits - 1)) % 2**bits - 2 ** (bits - 1)

    def left(v: int, c: int) -> int:  # negative counts shift by 0, counts >= bits give 0
        return 0 if c >= bits else wrap(v << max(c, 0))

    def right(v: int, c: int) -> int:  # Python's >> is arithmetic, like the op
        return v >> min(max(c, 0), bits - 1)

    c = math.trunc(count + 0.5)  # the scalar attribute truncates toward zero
    for cls, f in [(sc.LshiftScalarOp, left), (sc.RshiftScalarOp, right)]:
        got = run1(cls, x, scalar=f64(count + 0.5))
        want = per_element(lambda v, f=f: f(v, c), x, dtype=dtype)
        np.testing.assert_array_equal(got, want.astype(dtype))
    counts = rng.integers(0, bits, shapes[1]).astype(dtype)
    for cls, f in [(bc.BroadcastLeftShiftOp, left), (bc.BroadcastRightShiftOp, right)]:
        want = per_element(f, x, counts, dtype=dtype).astype(dtype)
        np.testing.assert_array_equal(run1(cls, x, counts), want)


# Broadcast ops.


BROADCAST_VS_ONNX = [
    (bc.BroadcastAddOp, "Add", {}),
    (bc.BroadcastSubOp, "Sub", {}),
    (bc.BroadcastMulOp, "Mul", {}),
    (bc.BroadcastDivOp, "Div", {}),
    (bc.BroadcastModOp, "Mod", {"fmod": 1}),
    (bc.BroadcastPowOp, "Pow", {}),
    (bc.BroadcastMaxOp, "Max", {}),
    (bc.BroadcastMinOp, "Min", {}),
    (bc.BroadcastGreaterOp, "Greater", {}),
    (bc.BroadcastLessOp, "Less", {}),
    (bc.BroadcastEqualOp, "Equal", {}),
    (bc.BroadcastGreaterEqualOp, "GreaterOrEqual", {}),
    (bc.BroadcastLessEqualOp, "LessOrEqual", {}),
    (ew.GreaterOp, "Greater", {}),
    (ew.LessOp, "Less", {}),
]


@pytest.mark.parametrize("cls,onnx_op,attrs", BROADCAST_VS_ONNX, ids=names(BROADCAST_VS_ONNX))
@SETTINGS
@given(shapes=broadcastable(), seed=SEEDS, dtype=st.sampled_from([np.float32, np.int32, np.int64]))
def test_broadcast_ops_vs_onnx(cls, onnx_op, attrs, shapes, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    if issubclass(cls, ew.BinaryOp):  # greater, less: identical shapes
        shapes = (shapes[0], shapes[0])
    a = rng.integers(-3, 4, shapes[0]).astype(dtype)  # small integers: ties are common
    if cls is bc.BroadcastPowOp:
        a = (np.abs(a) + 1).astype(dtype)
        b = rng.integers(0, 4, shapes[1]).astype(dtype)
    elif cls in (bc.BroadcastDivOp, bc.BroadcastModOp):
        b = nonzero(rng, shapes[1], dtype, 4)
    else:
        b = rng.integers(-3, 4, shapes[1]).astype(dtype)
    if dtype == np.float32 and cls is not bc.BroadcastPowOp:
        a = (a + rng.uniform(-0.5, 0.5, a.shape) * rng.integers(0, 2, a.shape)).astype(dtype)
    got = run1(cls, a, b)
    want = onnx_run(onnx_op, [a, b], **attrs)
    assert got.shape == want.shape == np.broadcast_shapes(a.shape, b.shape)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, **F32)


@SETTINGS
@given(shapes=broadcastable(), seed=SEEDS)
def test_not_equal_is_the_negation_of_equal(shapes, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a, b = (rng.integers(-1, 2, s).astype(np.int32) for s in shapes)
    got = run1(bc.BroadcastNotEqualOp, a, b)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, ~onnx_run("Equal", [a, b]))


@SETTINGS
@given(
    lhs=st.lists(st.integers(0, 4), max_size=4).map(tuple),
    rhs=st.lists(st.integers(0, 4), max_size=4).map(tuple),
    unknown=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_broadcast_shape_rule_is_numpys(lhs, rhs, unknown) -> None:  # type: ignore[no-untyped-def]
    try:
        want = np.broadcast_shapes(lhs, rhs)
    except ValueError:
        with pytest.raises(ShapeError, match="cannot be broadcast together"):
            bc.broadcast_shapes(lhs, rhs)
        return
    assert bc.broadcast_shapes(lhs, rhs) == want
    # With some dims unknown the rule knows less, but never contradicts numpy.
    vague_lhs = tuple(None if u else d for d, u in zip(lhs, unknown))
    vague = bc.broadcast_shapes(vague_lhs, rhs)
    assert vague is not None and len(vague) == len(want)
    assert all(v is None or v == w for v, w in zip(vague, want))


# Reductions.

REDUCE_VS_ONNX = [
    (rd.SumOp, "ReduceSum", -1, 1),
    (rd.MeanOp, "ReduceMean", -1, 1),
    (rd.MaxOp, "ReduceMax", -1, 1),
    (rd.MinOp, "ReduceMin", -1, 1),
    (rd.ProdOp, "ReduceProd", 0.5, 1.5),
]


@st.composite
def reduce_case(draw):  # type: ignore[no-untyped-def]
    """A shape, NNVM axis/keepdims/exclude, and the axes that must be reduced."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    rank = len(shape)
    axes = draw(st.lists(st.integers(0, rank - 1), unique=True, max_size=rank))
    listed = [a - rank if draw(st.booleans()) else a for a in axes]
    keepdims, exclude = draw(st.booleans()), draw(st.booleans())
    if not axes:
        reduced = list(range(rank))
    elif exclude:
        reduced = [a for a in range(rank) if a not in axes]
    else:
        reduced = sorted(axes)
    return shape, listed, keepdims, exclude, reduced


def reduce_props(listed, keepdims, exclude) -> dict:  # type: ignore[no-untyped-def]
    return {
        "axis": ints(*listed),
        "keepdims": BoolAttr.from_bool(keepdims),
        "exclude": BoolAttr.from_bool(exclude),
    }


def nnvm_reduced_shape(shape, reduced, keepdims) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    if len(reduced) == len(shape):
        return (1,) * len(shape) if keepdims else (1,)
    return tuple(
        1 if i in reduced else d for i, d in enumerate(shape) if keepdims or i not in reduced
    )


@pytest.mark.parametrize("cls,onnx_op,low,high", REDUCE_VS_ONNX, ids=names(REDUCE_VS_ONNX))
@SETTINGS
@given(case=reduce_case(), seed=SEEDS, dtype=st.sampled_from([np.float32, np.float64, np.int32]))
def test_reductions_vs_onnx(cls, onnx_op, low, high, case, seed, dtype) -> None:  # type: ignore[no-untyped-def]
    shape, listed, keepdims, exclude, reduced = case
    rng = np.random.default_rng(seed)
    if dtype == np.int32:
        x = rng.integers(-1 if low < 0 else 1, 3, shape).astype(dtype)
    else:
        x = rng.uniform(low, high, shape).astype(dtype)
    got = run_op(cls, [x], reduce_props(listed, keepdims, exclude))[0]
    assert got.shape == nnvm_reduced_shape(shape, reduced, keepdims) and got.dtype == dtype
    want = onnx_run(
        onnx_op, [x, np.array(reduced, np.int64)], keepdims=int(keepdims), noop_with_empty_axes=1
    )
    if cls is rd.MeanOp and dtype == np.int32:
        # The integer mean truncates toward zero (onnxruntime's integer mean is not specified).
        total = x.astype(np.int64).sum(axis=tuple(reduced))
        count = math.prod(shape[a] for a in reduced)
        want = per_element(lambda t: trunc_div(t, count), total, dtype=np.int64).astype(dtype)
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(got, np.asarray(want).reshape(got.shape), **tol)


@pytest.mark.parametrize("cls,onnx_op", [(rd.ArgmaxOp, "ArgMax"), (rd.ArgminOp, "ArgMin")])
@SETTINGS
@given(
    case=reduce_case(),
    seed=SEEDS,
    dtype=st.sampled_from([np.float32, np.int32]),
    out=st.sampled_from(["i32", "i64", "f32"]),
)
def test_arg_reductions(cls, onnx_op, case, seed, dtype, out) -> None:  # type: ignore[no-untyped-def]
    shape, listed, keepdims, exclude, reduced = case
    x = np.random.default_rng(seed).integers(-2, 3, shape).astype(dtype)  # many ties
    props = reduce_props(listed, keepdims, exclude)
    props["dtype"] = {"i32": i32, "i64": IntegerType(64), "f32": Float32Type()}[out]
    got = run_op(cls, [x], props)[0]
    assert got.dtype == {"i32": np.int32, "i64": np.int64, "f32": np.float32}[out]
    assert got.shape == nnvm_reduced_shape(shape, reduced, keepdims)
    # Explicit loops: the first extreme element, counting the reduced axes in row-major order.
    better = (lambda v, best: v > best) if cls is rd.ArgmaxOp else (lambda v, best: v < best)
    kept = [a for a in range(len(shape)) if a not in reduced]
    want = np.zeros([shape[a] for a in kept], np.int64)
    for outer in np.ndindex(*want.shape):
        best, where = None, 0
        for flat, inner in enumerate(np.ndindex(*[shape[a] for a in reduced])):
            index = [0] * len(shape)
            for a, i in zip(kept, outer):
                index[a] = i
            for a, i in zip(reduced, inner):
                index[a] = i
            if best is None or better(x[tuple(index)], best):
                best, where = x[tuple(index)], flat
        want[outer] = where
    np.testing.assert_array_equal(got.reshape(-1), want.reshape(-1))
    if len(reduced) == 1:
        onnx_want = onnx_run(onnx_op, [x], axis=reduced[0], keepdims=int(keepdims))
        np.testing.assert_array_equal(got.reshape(-1), onnx_want.reshape(-1))


def test_reduce_attribute_errors_name_the_attribute() -> None:
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(Exception, match="axis 2 is out of range for rank 2"):
        run_op(rd.SumOp, [x], {"axis": ints(2)})
    with pytest.raises(Exception, match=r"axis lists (a )?dim (1 )?twice"):
        run_op(rd.SumOp, [x], {"axis": ints(1, 1)})
    with pytest.raises(Exception, match="axis lists dim 1 twice"):
        run_op(rd.MaxOp, [x], {"axis": ints(1, -1)})
    with pytest.raises(Exception, match="dtype must be an integer or float type"):
        run_op(rd.ArgmaxOp, [x], {"dtype": IntegerType(1)})
