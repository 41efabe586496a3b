"""Each op's numpy semantics against an independent formula.

The formulas here are written differently from the implementations in nnvm_dialect/ops: explicit
Python loops on tiny inputs (indexing through layout letters instead of transposing), textbook
identities, exact rational arithmetic. Shapes and attributes are drawn with hypothesis; array
values come from a numpy generator seeded by hypothesis. The semantics are always called
through a real op object, built and verified by its rules.

Tolerances: float32 results rtol=1e-5, atol=1e-6; float64 results rtol=1e-10, atol=1e-12
(the semantics accumulate in float64 but in a different order than the loops do).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from op_support import run_op
from xdsl.dialects.builtin import ArrayAttr, BoolAttr, FloatAttr, IntegerAttr, StringAttr
from xdsl.ir import Attribute

import nnvm_dialect.compiler as compiler
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.ops import elemwise as ew
from nnvm_dialect.ops import nn, transform
from nnvm_dialect.ops.base import NnvmOp
from nnvm_dialect.ops.nn import ints

TOL = {
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-6},
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
}
SETTINGS = settings(max_examples=30, deadline=None)
FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])
SEEDS = st.integers(0, 2**32 - 1)


def run1(cls: type[NnvmOp], *arrays: np.ndarray, **props: Attribute) -> np.ndarray:
    return run_op(cls, list(arrays), props)[0]


def close(got: np.ndarray, want: np.ndarray) -> None:
    """`got` has `want`'s shape and, within the dtype's tolerance, its values."""
    assert got.shape == np.shape(want)
    np.testing.assert_allclose(got, want, **TOL[got.dtype])


def uniform(rng: np.random.Generator, shape, dtype=np.float64, low=-1.0, high=1.0):  # type: ignore[no-untyped-def]
    return rng.uniform(low, high, shape).astype(dtype)


def at(layout: str, **index: int) -> tuple[int, ...]:
    """The index tuple of an element given by layout letters (at("NHWC", N=0, C=1, H=2, W=3))."""
    return tuple(index[c] for c in layout)


def dims(layout: str, shape: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(layout, shape))


def shape_in(layout: str, **sizes: int) -> tuple[int, ...]:
    return tuple(sizes[c] for c in layout)


# --- conv2d ------------------------------------------------------------------------------------


def conv2d_loops(x, w, b, layout, kernel_layout, out_layout, strides, padding, dilation, groups):  # type: ignore[no-untyped-def]
    d, k = dims(layout, x.shape), dims(kernel_layout, w.shape)
    channels, cin_per_group = k["O"], k["I"]
    cout_per_group = channels // groups
    (sh, sw), (ph, pw), (dh, dw) = strides, padding, dilation
    oh = (d["H"] + 2 * ph - dh * (k["H"] - 1) - 1) // sh + 1
    ow = (d["W"] + 2 * pw - dw * (k["W"] - 1) - 1) // sw + 1
    y = np.zeros(shape_in(out_layout, N=d["N"], C=channels, H=oh, W=ow))
    for n, o, oy, ox in itertools.product(range(d["N"]), range(channels), range(oh), range(ow)):
        g = o // cout_per_group
        total = 0.0 if b is None else float(b[o])
        for ci, ky, kx in itertools.product(range(cin_per_group), range(k["H"]), range(k["W"])):
            iy, ix = oy * sh - ph + ky * dh, ox * sw - pw + kx * dw
            if 0 <= iy < d["H"] and 0 <= ix < d["W"]:
                c = g * cin_per_group + ci
                xv = float(x[at(layout, N=n, C=c, H=iy, W=ix)])
                total += xv * float(w[at(kernel_layout, O=o, I=ci, H=ky, W=kx)])
        y[at(out_layout, N=n, C=o, H=oy, W=ox)] = total
    return y


@st.composite
def conv2d_cases(draw):  # type: ignore[no-untyped-def]
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    spatial = [
        draw(st.integers(max(1, (k - 1) * dl + 1 - 2 * p), (k - 1) * dl + 4))
        for k, dl, p in zip(kernel, dilation, padding)
    ]
    return {
        "n": draw(st.integers(1, 2)),
        "cin": cin,
        "cout": cout,
        "groups": groups,
        "kernel": kernel,
        "strides": strides,
        "dilation": dilation,
        "padding": padding,
        "spatial": spatial,
        "layout": draw(st.sampled_from(["NCHW", "NHWC"])),
        "kernel_layout": draw(st.sampled_from(["OIHW", "HWIO", "OHWI"])),
        "out_layout": draw(st.sampled_from(["__undef__", "NCHW", "NHWC"])),
        "use_bias": draw(st.booleans()),
        "dtype": draw(FLOAT_DTYPES),
        "seed": draw(SEEDS),
    }


@SETTINGS
@given(conv2d_cases())
def test_conv2d_matches_loops(case) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(case["seed"])
    layout, kernel_layout = case["layout"], case["kernel_layout"]
    out_layout = layout if case["out_layout"] == "__undef__" else case["out_layout"]
    h, w_ = case["spatial"]
    kh, kw = case["kernel"]
    x = uniform(rng, shape_in(layout, N=case["n"], C=case["cin"], H=h, W=w_), case["dtype"])
    cin_g = case["cin"] // case["groups"]
    w = uniform(rng, shape_in(kernel_layout, O=case["cout"], I=cin_g, H=kh, W=kw), case["dtype"])
    b = uniform(rng, (case["cout"],), case["dtype"]) if case["use_bias"] else None
    props = {
        "channels": IntegerAttr(case["cout"], 64),
        "kernel_size": ints(*case["kernel"]),
        "strides": ints(*case["strides"]),
        "padding": ints(*case["padding"]),
        "dilation": ints(*case["dilation"]),
        "groups": IntegerAttr(case["groups"], 64),
        "layout": StringAttr(layout),
        "kernel_layout": StringAttr(kernel_layout),
        "out_layout": StringAttr(case["out_layout"]),
        "use_bias": BoolAttr.from_bool(case["use_bias"]),
    }
    operands = [x, w] if b is None else [x, w, b]
    got = run_op(nn.Conv2dOp, operands, props)[0]
    want = conv2d_loops(
        x,
        w,
        b,
        layout,
        kernel_layout,
        out_layout,
        case["strides"],
        case["padding"],
        case["dilation"],
        case["groups"],
    )
    assert got.dtype == case["dtype"]
    close(got, want)


def test_conv2d_identity_kernel_copies_the_input() -> None:
    """A 1x1 kernel that is the identity matrix, and no padding, gives back the data."""
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    w = np.eye(3).reshape(3, 3, 1, 1)
    props = {"channels": IntegerAttr(3, 64), "kernel_size": ints(1, 1)}
    props["use_bias"] = BoolAttr.from_bool(False)
    np.testing.assert_array_equal(run_op(nn.Conv2dOp, [x, w], props)[0], x)


# --- max_pool2d --------------------------------------------------------------------------------


def max_pool2d_loops(x, layout, pool, strides, pads, ceil_mode):  # type: ignore[no-untyped-def]
    d = dims(layout, x.shape)
    top, left, bottom, right = pads
    (kh, kw), (sh, sw) = pool, strides
    rounding = math.ceil if ceil_mode else math.floor
    oh = rounding(Fraction(d["H"] + top + bottom - kh, sh)) + 1
    ow = rounding(Fraction(d["W"] + left + right - kw, sw)) + 1
    y = np.zeros(shape_in(layout, N=d["N"], C=d["C"], H=oh, W=ow), x.dtype)
    for n, c, oy, ox in itertools.product(range(d["N"]), range(d["C"]), range(oh), range(ow)):
        rows = [r for r in range(oy * sh - top, oy * sh - top + kh) if 0 <= r < d["H"]]
        cols = [q for q in range(ox * sw - left, ox * sw - left + kw) if 0 <= q < d["W"]]
        # A window that ceil_mode places wholly past the data sees only padding, whose value
        # is the lowest of the dtype (TVM pads with its min_value): -inf for floats.
        y[at(layout, N=n, C=c, H=oy, W=ox)] = max(
            (x[at(layout, N=n, C=c, H=r, W=q)] for r in rows for q in cols),
            default=-np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min,
        )
    return y


@st.composite
def max_pool2d_cases(draw):  # type: ignore[no-untyped-def]
    pool = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    arity = draw(st.sampled_from([1, 2, 4]))
    # Padding below the pool size (only ceil_mode can add windows that see no data).
    if arity == 1:
        padding = (draw(st.integers(0, min(pool) - 1)),)
        pads = padding * 4
    else:
        padding = tuple(draw(st.integers(0, pool[i % 2] - 1)) for i in range(arity))
        pads = padding * 2 if arity == 2 else padding
    top, left, bottom, right = pads
    h = draw(st.integers(max(1, pool[0] - top - bottom), pool[0] + 4))
    w = draw(st.integers(max(1, pool[1] - left - right), pool[1] + 4))
    return {
        "pool": pool,
        "strides": strides,
        "padding": padding,
        "pads": pads,
        "hw": (h, w),
        "nc": (draw(st.integers(1, 2)), draw(st.integers(1, 3))),
        "layout": draw(st.sampled_from(["NCHW", "NHWC"])),
        "ceil_mode": draw(st.booleans()),
        "dtype": draw(st.sampled_from([np.float32, np.float64, np.int32])),
        "seed": draw(SEEDS),
    }


def max_pool2d_props(case) -> dict[str, Attribute]:  # type: ignore[no-untyped-def]
    return {
        "pool_size": ints(*case["pool"]),
        "strides": ints(*case["strides"]),
        "padding": ints(*case["padding"]),
        "layout": StringAttr(case["layout"]),
        "ceil_mode": BoolAttr.from_bool(case["ceil_mode"]),
    }


@SETTINGS
@given(max_pool2d_cases())
def test_max_pool2d_matches_loops(case) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(case["seed"])
    (n, c), (h, w) = case["nc"], case["hw"]
    shape = shape_in(case["layout"], N=n, C=c, H=h, W=w)
    x = rng.integers(-1000, 1000, shape).astype(case["dtype"])
    got = run_op(nn.MaxPool2dOp, [x], max_pool2d_props(case))[0]
    want = max_pool2d_loops(
        x, case["layout"], case["pool"], case["strides"], case["pads"], case["ceil_mode"]
    )
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, want)


# --- dense ---------------------------------------------------------------------------------


@SETTINGS
@given(
    lead=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    features=st.integers(1, 5),
    units=st.integers(1, 5),
    use_bias=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_dense_matches_loops(lead, features, units, use_bias, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = uniform(rng, (*lead, features), dtype)
    w = uniform(rng, (units, features), dtype)
    b = uniform(rng, (units,), dtype)
    operands = [x, w, b] if use_bias else [x, w]
    props = {"units": IntegerAttr(units, 64), "use_bias": BoolAttr.from_bool(use_bias)}
    got = run_op(nn.DenseOp, operands, props)[0]
    want = np.zeros((*lead, units))
    for idx in itertools.product(*(range(d) for d in lead)):
        for u in range(units):
            total = float(b[u]) if use_bias else 0.0
            for f in range(features):
                total += float(x[(*idx, f)]) * float(w[u, f])
            want[(*idx, u)] = total
    close(got, want)


# --- batch_norm -------------------------------------------------------------------------------


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    axis_pick=st.integers(0, 100),
    negative=st.booleans(),
    epsilon=st.floats(1e-6, 1e-1),
    center=st.booleans(),
    scale=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_batch_norm_per_channel_loop(
    shape, axis_pick, negative, epsilon, center, scale, dtype, seed
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    axis = axis_pick % len(shape)
    c = shape[axis]
    x = uniform(rng, tuple(shape), dtype, -3, 3)
    gamma, beta, mean = (uniform(rng, (c,), dtype, -2, 2) for _ in range(3))
    var = uniform(rng, (c,), dtype, 0.1, 3)
    props = {
        "axis": IntegerAttr(axis - len(shape) if negative else axis, 64),
        "epsilon": FloatAttr(epsilon, 64),
        "center": BoolAttr.from_bool(center),
        "scale": BoolAttr.from_bool(scale),
    }
    got = run_op(nn.BatchNormOp, [x, gamma, beta, mean, var], props)[0]
    want = np.zeros(x.shape)
    for idx in itertools.product(*(range(d) for d in shape)):
        ch = idx[axis]
        v = (float(x[idx]) - float(mean[ch])) / math.sqrt(float(var[ch]) + epsilon)
        if scale:
            v *= float(gamma[ch])
        if center:
            v += float(beta[ch])
        want[idx] = v
    close(got, want)


# --- softmax, log_softmax ---------------------------------------------------------------------


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    axis_pick=st.integers(0, 100),
    negative=st.booleans(),
    shift=st.floats(-50, 50),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_softmax_identities(shape, axis_pick, negative, shift, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    axis = axis_pick % len(shape)
    x = uniform(rng, tuple(shape), dtype, -10, 10)
    prop = IntegerAttr(axis - len(shape) if negative else axis, 64)
    s = run1(nn.SoftmaxOp, x, axis=prop)
    ls = run1(nn.LogSoftmaxOp, x, axis=prop)
    assert s.dtype == ls.dtype == x.dtype
    assert np.all(s > 0) and np.all(s <= 1)
    close(s.sum(axis=axis), np.ones(s.sum(axis=axis).shape))
    close(np.log(s.astype(np.float64)).astype(dtype), ls.astype(np.float64))
    # Invariant under adding a constant along the axis.
    shifted = run1(nn.SoftmaxOp, (x + dtype(shift)).astype(dtype), axis=prop)
    np.testing.assert_allclose(shifted, s, rtol=1e-4 if dtype == np.float32 else 1e-9, atol=1e-6)
    # Ratios of softmax entries are exponentials of differences (first entry as pivot).
    first = np.take(x.astype(np.float64), [0], axis=axis)
    close(s / np.take(s, [0], axis=axis), np.exp(x.astype(np.float64) - first))


def test_softmax_of_large_inputs_does_not_overflow() -> None:
    x = np.array([[1000.0, 1000.0], [-1000.0, 0.0]], np.float32)
    s = run1(nn.SoftmaxOp, x)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s[0], [0.5, 0.5], rtol=1e-6)
    assert s[1, 1] == pytest.approx(1.0)


# --- elementwise ------------------------------------------------------------------------------


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_unary_identities(shape, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = uniform(rng, tuple(shape), dtype, -4, 4)
    x64 = x.astype(np.float64)
    for cls in (ew.ReluOp, ew.TanhOp, ew.SigmoidOp, ew.ExpOp, ew.NegativeOp, ew.CopyOp):
        assert run1(cls, x).dtype == x.dtype, cls.name
    close(run1(ew.ReluOp, x), (x64 + np.abs(x64)) / 2)
    close(run1(ew.TanhOp, x), np.sinh(x64) / np.cosh(x64))
    close(run1(ew.SigmoidOp, x), (np.tanh(x64 / 2) + 1) / 2)
    close(run1(ew.SigmoidOp, x) + run1(ew.SigmoidOp, -x), np.ones(x.shape))
    close(run1(ew.ExpOp, x), np.array([math.exp(v) for v in x64.flat]).reshape(x.shape))
    positive = np.abs(x) + dtype(0.01)
    close(run1(ew.ExpOp, run1(ew.LogOp, positive)), positive)
    root = run1(ew.SqrtOp, positive)
    assert np.all(root >= 0)
    close(root * root, positive)
    np.testing.assert_array_equal(run1(ew.NegativeOp, x), 0 - x)
    np.testing.assert_array_equal(run1(ew.CopyOp, x), x)
    np.testing.assert_array_equal(run1(nn.DropoutOp, x, rate=FloatAttr(0.7, 64)), x)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    alpha=st.floats(0, 3),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_leaky_relu_elementwise(shape, alpha, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = uniform(rng, tuple(shape), dtype, -4, 4)
    got = run1(ew.LeakyReluOp, x, alpha=FloatAttr(alpha, 64))
    want = [v if v > 0 else alpha * v for v in x.astype(np.float64).flat]
    assert got.dtype == x.dtype
    close(got, np.array(want).reshape(x.shape))


def test_leaky_relu_default_alpha_is_a_quarter() -> None:
    x = np.array([-4.0, 2.0])
    np.testing.assert_array_equal(run1(ew.LeakyReluOp, x), [-1.0, 2.0])


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_float_binary_ops_elementwise(shape, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a = uniform(rng, tuple(shape), dtype, -5, 5)
    b = uniform(rng, tuple(shape), dtype, 0.5, 5) * rng.choice([-1, 1], tuple(shape))
    b = b.astype(dtype)
    pairs = list(zip(a.astype(np.float64).flat, b.astype(np.float64).flat))
    for cls, f in [
        (ew.ElemwiseAddOp, lambda p, q: p + q),
        (ew.ElemwiseSubOp, lambda p, q: p - q),
        (ew.ElemwiseMulOp, lambda p, q: p * q),
        (ew.ElemwiseDivOp, lambda p, q: p / q),
    ]:
        got = run1(cls, a, b)
        assert got.dtype == dtype, cls.name
        close(got, np.array([f(p, q) for p, q in pairs]).reshape(a.shape))


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    dtype=st.sampled_from([np.int8, np.int32, np.int64]),
    seed=SEEDS,
)
def test_integer_binary_ops_elementwise(shape, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    a = rng.integers(-11, 12, tuple(shape)).astype(dtype)
    b = (rng.integers(1, 12, tuple(shape)) * rng.choice([-1, 1], tuple(shape))).astype(dtype)
    pairs = [(int(p), int(q)) for p, q in zip(a.flat, b.flat)]
    for cls, f in [
        (ew.ElemwiseAddOp, lambda p, q: p + q),
        (ew.ElemwiseSubOp, lambda p, q: p - q),
        (ew.ElemwiseMulOp, lambda p, q: p * q),
        (ew.ReluOp, lambda p, q: max(p, 0)),
        (ew.NegativeOp, lambda p, q: -p),
    ]:
        args = (a,) if cls in (ew.ReluOp, ew.NegativeOp) else (a, b)
        got = run1(cls, *args)
        assert got.dtype == dtype, cls.name
        np.testing.assert_array_equal(got, np.array([f(p, q) for p, q in pairs]).reshape(a.shape))
    if dtype == np.int8:
        return  # elemwise_div is exercised on int32/int64
    quotient = run1(ew.ElemwiseDivOp, a, b)
    assert quotient.dtype == dtype
    for (p, q), got in zip(pairs, quotient.flat):
        # Truncation toward zero, like C: the remainder has the sign of the dividend.
        assert int(got) == math.trunc(Fraction(p, q)), (p, q)
        r = p - int(got) * q
        assert abs(r) < abs(q) and (r == 0 or (r > 0) == (p > 0))


def test_integer_division_truncates_toward_zero() -> None:
    a = np.array([7, -7, 7, -7, 0, 6], np.int32)
    b = np.array([2, 2, -2, -2, 3, -3], np.int32)
    # The floor-division answer numpy would give is -4 for -7 // 2; truncation gives -3.
    assert np.floor_divide(-7, 2) == -4
    got = run1(ew.ElemwiseDivOp, a, b)
    assert [int(v) for v in got] == [math.trunc(p / q) for p, q in zip(a.tolist(), b.tolist())]


# --- cast ----------------------------------------------------------------------------------


INT_TARGETS = [np.int8, np.int16, np.int32, np.int64]
UINT_TARGETS = [np.uint8, np.uint16, np.uint32, np.uint64]


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    source=st.sampled_from([np.float16, np.float32, np.float64]),
    target=st.sampled_from(INT_TARGETS + UINT_TARGETS),
    seed=SEEDS,
)
def test_cast_float_to_int_truncates_toward_zero(shape, source, target, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    low = 0.0 if np.dtype(target).kind == "u" else -120.0
    x = rng.uniform(low, 120.0, tuple(shape)).astype(source)
    got = run1(ew.CastOp, x, dtype=from_numpy(np.dtype(target)))
    assert got.dtype == target
    want = [math.trunc(float(v)) for v in x.flat]
    assert [int(v) for v in got.flat] == want


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    source=st.sampled_from(INT_TARGETS + [np.uint8, np.bool_]),
    target=st.sampled_from([np.float32, np.float64, np.int64, np.bool_]),
    seed=SEEDS,
)
def test_cast_exact_conversions(shape, source, target, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = rng.integers(0 if source in (np.uint8, np.bool_) else -100, 100, tuple(shape))
    x = x.astype(source)
    got = run1(ew.CastOp, x, dtype=from_numpy(np.dtype(target)))
    assert got.dtype == target and got.shape == x.shape
    if target == np.bool_:
        assert [bool(v) for v in got.flat] == [int(v) != 0 for v in x.flat]
    else:
        assert [float(v) for v in got.flat] == [float(int(v)) for v in x.flat]


@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), seed=SEEDS)
def test_cast_float64_to_float32_rounds(shape, seed) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).uniform(-1e3, 1e3, tuple(shape))
    got = run1(ew.CastOp, x, dtype=from_numpy(np.dtype(np.float32)))
    assert got.dtype == np.float32
    # Round to nearest: relative error at most half a float32 ulp (2**-24).
    assert np.all(np.abs(got.astype(np.float64) - x) <= np.abs(x) * 2.0**-24)


# --- pad, concatenate, split, flatten, expand_dims ------------------------------------------


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 3), min_size=0, max_size=3),
    data=st.data(),
    value=st.integers(-9, 9),
    dtype=st.sampled_from([np.float32, np.float64, np.int32]),
    seed=SEEDS,
)
def test_pad_matches_loops(shape, data, value, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    pairs = [(data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in shape]
    x = np.random.default_rng(seed).integers(-100, 100, tuple(shape)).astype(dtype)
    props = {
        "pad_width": ArrayAttr([ints(*p) for p in pairs]),
        "pad_value": FloatAttr(float(value), 64),
    }
    got = run1(nn.PadOp, x, **props)
    out_shape = tuple(d + a + b for d, (a, b) in zip(shape, pairs))
    assert got.shape == out_shape and got.dtype == dtype
    for idx in itertools.product(*(range(d) for d in out_shape)):
        src = tuple(i - a for i, (a, _) in zip(idx, pairs))
        inside = all(0 <= s < d for s, d in zip(src, shape))
        assert got[idx] == (x[src] if inside else value), idx


@SETTINGS
@given(
    rank=st.integers(1, 3),
    data=st.data(),
    dtype=st.sampled_from([np.float32, np.int32, np.int8]),
    seed=SEEDS,
)
def test_concatenate_matches_loops(rank, data, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(-rank, rank - 1))
    pos = axis % rank
    base = [data.draw(st.integers(1, 3)) for _ in range(rank)]
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    parts = []
    for s in sizes:
        shape = list(base)
        shape[pos] = s
        parts.append(rng.integers(-100, 100, shape).astype(dtype))
    got = run_op(transform.ConcatenateOp, parts, {"axis": IntegerAttr(axis, 64)})[0]
    out_shape = list(base)
    out_shape[pos] = sum(sizes)
    assert list(got.shape) == out_shape and got.dtype == dtype
    for idx in itertools.product(*(range(d) for d in out_shape)):
        k, offset = 0, idx[pos]
        while offset >= sizes[k]:
            offset -= sizes[k]
            k += 1
        assert got[idx] == parts[k][(*idx[:pos], offset, *idx[pos + 1 :])]


@SETTINGS
@given(rank=st.integers(1, 3), data=st.data(), by_sections=st.booleans(), seed=SEEDS)
def test_split_matches_loops(rank, data, by_sections, seed) -> None:  # type: ignore[no-untyped-def]
    axis = data.draw(st.integers(-rank, rank - 1))
    pos = axis % rank
    shape = [data.draw(st.integers(1, 3)) for _ in range(rank)]
    if by_sections:
        sections = data.draw(st.integers(1, 4))
        shape[pos] = sections * data.draw(st.integers(1, 3))
        spec: Attribute = IntegerAttr(sections, 64)
        step = shape[pos] // sections
        bounds = [step * k for k in range(sections + 1)]
    else:
        shape[pos] = data.draw(st.integers(1, 7))
        inner = data.draw(
            st.sets(st.integers(1, shape[pos] - 1)) if shape[pos] > 1 else st.just(set())
        )
        spec = ints(*sorted(inner))
        bounds = [0, *sorted(inner), shape[pos]]
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    props = {"indices_or_sections": spec, "axis": IntegerAttr(axis, 64)}
    parts = run_op(transform.SplitOp, [x], props, num_results=len(bounds) - 1)
    for k, part in enumerate(parts):
        lo, hi = bounds[k], bounds[k + 1]
        want_shape = list(shape)
        want_shape[pos] = hi - lo
        assert list(part.shape) == want_shape and part.dtype == x.dtype
        for idx in itertools.product(*(range(d) for d in want_shape)):
            assert part[idx] == x[(*idx[:pos], idx[pos] + lo, *idx[pos + 1 :])]


@SETTINGS
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=4), seed=SEEDS)
def test_flatten_matches_loops(shape, seed) -> None:  # type: ignore[no-untyped-def]
    x = np.random.default_rng(seed).integers(-100, 100, tuple(shape)).astype(np.int32)
    got = run1(transform.FlattenOp, x)
    rest = shape[1:]
    assert got.shape == (shape[0], math.prod(rest)) and got.dtype == x.dtype
    for idx in itertools.product(*(range(d) for d in shape)):
        # Row-major position of idx[1:] within the trailing dims.
        j = 0
        for i, d in zip(idx[1:], rest):
            j = j * d + i
        assert got[idx[0], j] == x[idx]


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 3), min_size=0, max_size=3),
    data=st.data(),
    num_newaxis=st.integers(1, 3),
    seed=SEEDS,
)
def test_expand_dims_matches_loops(shape, data, num_newaxis, seed) -> None:  # type: ignore[no-untyped-def]
    rank = len(shape)
    axis = data.draw(st.integers(-rank - 1, rank))
    pos = axis if axis >= 0 else axis + rank + 1
    x = np.random.default_rng(seed).standard_normal(tuple(shape))
    props = {"axis": IntegerAttr(axis, 64), "num_newaxis": IntegerAttr(num_newaxis, 64)}
    got = run1(transform.ExpandDimsOp, x, **props)
    want_shape = tuple(shape[:pos]) + (1,) * num_newaxis + tuple(shape[pos:])
    assert got.shape == want_shape
    for idx in itertools.product(*(range(d) for d in shape)):
        assert got[(*idx[:pos], *(0,) * num_newaxis, *idx[pos:])] == x[idx]


# --- compile, end to end -------------------------------------------------------------------


MODEL = """\
func.func @net(%x: tensor<2x3x6x6xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>,
               %fw: tensor<5x36xf32>) -> tensor<*xf32> {
  %c = nnvm.conv2d %x, %w, %b {channels = 4, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>} : (tensor<2x3x6x6xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  %r = nnvm.relu %c : (tensor<*xf32>) -> tensor<*xf32>
  %p = nnvm.max_pool2d %r {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<*xf32>) -> tensor<*xf32>
  %f = nnvm.flatten %p : (tensor<*xf32>) -> tensor<*xf32>
  %d = nnvm.dense %f, %fw {units = 5, use_bias = false} : (tensor<*xf32>, tensor<5x36xf32>) -> tensor<*xf32>
  %s = nnvm.softmax %d : (tensor<*xf32>) -> tensor<*xf32>
  func.return %s : tensor<*xf32>
}
"""


def test_compile_runs_a_small_network_like_numpy(tmp_path: Path) -> None:
    path = tmp_path / "net.mlir"
    path.write_text(MODEL)
    model = compiler.compile(path)
    assert model.input_names == ["x", "w", "b", "fw"]
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    fw = rng.standard_normal((5, 36)).astype(np.float32)
    (got,) = model.run(x, w, b, fw)
    (named,) = model.run(x=x, w=w, b=b, fw=fw)
    np.testing.assert_array_equal(got, named)

    # The same network in plain numpy (float64), written independently of the semantics.
    c = conv2d_loops(x, w, b, "NCHW", "OIHW", "NCHW", (1, 1), (1, 1), (1, 1), 1)
    r = np.maximum(c, 0)
    p = r.reshape(2, 4, 3, 2, 3, 2).max(axis=(3, 5))
    logits = p.reshape(2, -1) @ fw.astype(np.float64).T
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    want = e / e.sum(axis=1, keepdims=True)
    assert got.dtype == np.float32
    close(got, want)
    # infer-shape and infer-type filled in the result type.
    out = model.function.body.blocks[0].last_op
    assert out is not None and str(out.operands[0].type) == "tensor<2x5xf32>"
