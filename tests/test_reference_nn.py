"""The numbers of the level-2 and level-5 nn ops against independent computations.

Two kinds of oracle: onnxruntime (CPU, one-node models) running the ONNX op that the op's
docstring names as its equivalent, and explicit Python loops (indexing through layout letters,
windows enumerated one by one) where NNVM's semantics differ from ONNX's (TOPI's avg_pool2d
divisor with ceil_mode) or ONNX has no operator (blocked layouts). Shapes and attributes are
drawn with hypothesis; values come from a numpy generator seeded by hypothesis. Every op is
built and verified by its rules before its semantics run.

Tolerances: onnxruntime computes float32 in float32, the semantics accumulate in float64:
float32 rtol=1e-5, atol=1e-5 (sums of a few dozen products of values in [-1, 1]); float64
against loops rtol=1e-10, atol=1e-12; LayerNormalization 1e-4 (onnxruntime's float32 variance
cancels). Nearest-neighbour resizes, topk and max pools are exact.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from op_support import run_op
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    f64,
    i64,
)
from xdsl.ir import Attribute

from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.ops import nn, norm, pool, vision
from nnvm_dialect.ops.nn import ints

SETTINGS = settings(max_examples=20, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])
TOL = {
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-5},
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
}
ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int64): TensorProto.INT64,
}


def onnx_run(
    op_type: str,
    inputs: list[np.ndarray | None],
    out_types: tuple[np.dtype | type, ...] = (np.float32,),
    opset: int = 17,
    **attrs: object,
) -> list[np.ndarray]:
    """Outputs of a one-node ONNX model run by onnxruntime; None inputs are left out."""
    names = ["" if a is None else f"in{i}" for i, a in enumerate(inputs)]
    outs = [f"out{i}" for i in range(len(out_types))]
    graph = helper.make_graph(
        [helper.make_node(op_type, names, outs, **attrs)],
        "one_node",
        [
            helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], a.shape)
            for n, a in zip(names, inputs)
            if a is not None
        ],
        [
            helper.make_tensor_value_info(o, ONNX_TYPES[np.dtype(t)], None)
            for o, t in zip(outs, out_types)
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feeds = {n: a for n, a in zip(names, inputs) if a is not None}
    return list(session.run(outs, feeds))


def close(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, **TOL[got.dtype])


def run1(cls, arrays: list[np.ndarray], **props: Attribute) -> np.ndarray:  # type: ignore[no-untyped-def]
    return run_op(cls, arrays, props)[0]


def uniform(rng: np.random.Generator, shape, dtype=np.float32, low=-1.0, high=1.0):  # type: ignore[no-untyped-def]
    return rng.uniform(low, high, shape).astype(dtype)


def nhwc(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1))


def blocked(x: np.ndarray, block: int) -> np.ndarray:
    """NCHW (or OIHW) data in NCHW{block}c: element (n, c, h, w) at [n, c // b, h, w, c % b]."""
    n, c, h, w = x.shape
    out = np.zeros((n, c // block, h, w, block), x.dtype)
    for ci in range(c):
        out[:, ci // block, :, :, ci % block] = x[:, ci]
    return out


def blocked_kernel(w: np.ndarray, bi: int, bo: int) -> np.ndarray:
    """OIHW weights in OIHW{bi}i{bo}o: (o, i, y, x) at [o // bo, i // bi, y, x, i % bi, o % bo]."""
    o, i, kh, kw = w.shape
    out = np.zeros((o // bo, i // bi, kh, kw, bi, bo), w.dtype)
    for oi, ii in itertools.product(range(o), range(i)):
        out[oi // bo, ii // bi, :, :, ii % bi, oi % bo] = w[oi, ii]
    return out


# --- conv2d with blocked layouts -----------------------------------------------------------------


@SETTINGS
@given(
    n=st.integers(1, 2),
    cin_blocks=st.integers(1, 2),
    cout_blocks=st.integers(1, 2),
    block=st.sampled_from([2, 4]),
    out_block=st.sampled_from([1, 2, 4]),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    strides=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(st.integers(0, 1), st.integers(0, 1)),
    extra=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    blocked_bias=st.booleans(),
    seed=SEEDS,
)
def test_conv2d_nchwc_is_conv_on_the_blocked_arrays(
    n,
    cin_blocks,
    cout_blocks,
    block,
    out_block,
    kernel,
    strides,
    padding,
    extra,
    blocked_bias,
    seed,
) -> None:  # type: ignore[no-untyped-def]
    """conv2d with layout NCHW{b}c / kernel_layout OIHW{b}i{b}o / out_layout NCHW{b'}c gives
    onnxruntime's Conv of the NCHW arrays, laid out by explicit index arithmetic."""
    rng = np.random.default_rng(seed)
    cin, cout = cin_blocks * block, cout_blocks * block
    out_block = math.gcd(out_block, cout)
    spatial = [max(1, k - 2 * p) + e for k, p, e in zip(kernel, padding, extra)]
    x = uniform(rng, (n, cin, *spatial))
    w = uniform(rng, (cout, cin, *kernel))
    b = uniform(rng, (cout,))
    (want,) = onnx_run(
        "Conv",
        [x, w, b],
        kernel_shape=list(kernel),
        strides=list(strides),
        pads=[*padding, *padding],
    )
    bias = b.reshape(cout // out_block, out_block) if blocked_bias and out_block > 1 else b
    got = run1(
        nn.Conv2dOp,
        [blocked(x, block), blocked_kernel(w, block, block), bias],
        channels=IntegerAttr(cout, 64),
        kernel_size=ints(*kernel),
        strides=ints(*strides),
        padding=ints(*padding),
        layout=StringAttr(f"NCHW{block}c"),
        kernel_layout=StringAttr(f"OIHW{block}i{block}o"),
        out_layout=StringAttr(f"NCHW{out_block}c"),
    )
    close(got, blocked(want, out_block))


def test_conv2d_rejects_a_channel_count_its_block_does_not_divide() -> None:
    x = np.zeros((1, 1, 4, 4, 4), np.float32)
    w = np.zeros((6, 4, 1, 1), np.float32)
    props = {
        "channels": IntegerAttr(6, 64),
        "kernel_size": ints(1, 1),
        "layout": StringAttr("NCHW4c"),
        "use_bias": BoolAttr.from_bool(False),
    }
    with pytest.raises(Exception, match="C = 6 is not a multiple of the block size 4"):
        run_op(nn.Conv2dOp, [x, w], props)


# --- conv2d_transpose --------------------------------------------------------------------------


@SETTINGS
@given(
    groups=st.integers(1, 2),
    cin_g=st.integers(1, 2),
    cout_g=st.integers(1, 3),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    data=st.data(),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    use_bias=st.booleans(),
    seed=SEEDS,
)
def test_conv2d_transpose_vs_onnx_conv_transpose(
    groups, cin_g, cout_g, kernel, strides, dilation, padding, data, layout, use_bias, seed
) -> None:  # type: ignore[no-untyped-def]
    extra = tuple(data.draw(st.integers(0, s - 1)) for s in strides)
    hw = [data.draw(st.integers(1, 4)) for _ in range(2)]
    for size, k, s, d, p, e in zip(hw, kernel, strides, dilation, padding, extra):
        assume(s * (size - 1) + (k - 1) * d + 1 - 2 * p + e >= 1)
    rng = np.random.default_rng(seed)
    cin, cout = groups * cin_g, groups * cout_g
    x = uniform(rng, (1, cin, *hw))
    w = uniform(rng, (cin, cout_g, *kernel))
    b = uniform(rng, (cout,))
    (want,) = onnx_run(
        "ConvTranspose",
        [x, w, b] if use_bias else [x, w],
        kernel_shape=list(kernel),
        strides=list(strides),
        dilations=list(dilation),
        pads=[*padding, *padding],
        output_padding=list(extra),
        group=groups,
    )
    data_in = nhwc(x) if layout == "NHWC" else x
    got = run1(
        nn.Conv2dTransposeOp,
        [data_in, w, b] if use_bias else [data_in, w],
        channels=IntegerAttr(cout, 64),
        kernel_size=ints(*kernel),
        strides=ints(*strides),
        dilation=ints(*dilation),
        padding=ints(*padding),
        output_padding=ints(*extra),
        groups=IntegerAttr(groups, 64),
        layout=StringAttr(layout),
        use_bias=BoolAttr.from_bool(use_bias),
    )
    close(got, nhwc(want) if layout == "NHWC" else want)


# --- avg_pool2d ------------------------------------------------------------------------------


def avg_pool2d_loops(x, pool_size, strides, pads, ceil_mode, count_include_pad):  # type: ignore[no-untyped-def]
    """TOPI's pool: windows start at o * stride - pad; the divisor is pool_h * pool_w with
    count_include_pad, else the data elements in the window (at least 1)."""
    n, c, h, w = x.shape
    top, left, bottom, right = pads
    (kh, kw), (sh, sw) = pool_size, strides
    rnd = math.ceil if ceil_mode else math.floor
    oh = rnd((h + top + bottom - kh) / sh) + 1
    ow = rnd((w + left + right - kw) / sw) + 1
    y = np.zeros((n, c, oh, ow))
    for ni, ci, oy, ox in itertools.product(range(n), range(c), range(oh), range(ow)):
        cells = [
            (r, q)
            for r in range(oy * sh - top, oy * sh - top + kh)
            for q in range(ox * sw - left, ox * sw - left + kw)
            if 0 <= r < h and 0 <= q < w
        ]
        total = sum(float(x[ni, ci, r, q]) for r, q in cells)
        y[ni, ci, oy, ox] = total / (kh * kw if count_include_pad else max(len(cells), 1))
    return y


@st.composite
def pool_cases(draw):  # type: ignore[no-untyped-def]
    pool_size = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    arity = draw(st.sampled_from([1, 2, 4]))
    if arity == 1:
        padding = (draw(st.integers(0, min(pool_size) - 1)),)
        pads = padding * 4
    else:
        padding = tuple(draw(st.integers(0, pool_size[i % 2] - 1)) for i in range(arity))
        pads = padding * 2 if arity == 2 else padding
    top, left, bottom, right = pads
    hw = (
        draw(st.integers(max(1, pool_size[0] - top - bottom), pool_size[0] + 4)),
        draw(st.integers(max(1, pool_size[1] - left - right), pool_size[1] + 4)),
    )
    return pool_size, strides, padding, pads, hw


@SETTINGS
@given(
    case=pool_cases(),
    ceil_mode=st.booleans(),
    count_include_pad=st.booleans(),
    layout=st.sampled_from(["NCHW", "NHWC", "NCHW2c"]),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_avg_pool2d_matches_loops(case, ceil_mode, count_include_pad, layout, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    pool_size, strides, padding, pads, hw = case
    x = uniform(np.random.default_rng(seed), (2, 4, *hw), dtype)
    data = {"NCHW": x, "NHWC": nhwc(x), "NCHW2c": blocked(x, 2)}[layout]
    got = run1(
        pool.AvgPool2dOp,
        [data],
        pool_size=ints(*pool_size),
        strides=ints(*strides),
        padding=ints(*padding),
        layout=StringAttr(layout),
        ceil_mode=BoolAttr.from_bool(ceil_mode),
        count_include_pad=BoolAttr.from_bool(count_include_pad),
    )
    want = avg_pool2d_loops(x, pool_size, strides, pads, ceil_mode, count_include_pad)
    want = want.astype(dtype)
    close(got, {"NCHW": want, "NHWC": nhwc(want), "NCHW2c": blocked(want, 2)}[layout])


@SETTINGS
@given(case=pool_cases(), ceil_mode=st.booleans(), count_include_pad=st.booleans(), seed=SEEDS)
def test_avg_pool2d_vs_onnx_average_pool(case, ceil_mode, count_include_pad, seed) -> None:  # type: ignore[no-untyped-def]
    """Where NNVM and ONNX agree: with ceil_mode, no window may run past the padded input
    (ONNX drops or shrinks those, see AvgPool2dOp's docstring)."""
    pool_size, strides, padding, pads, (h, w) = case
    if ceil_mode:
        top, left, bottom, right = pads
        for size, k, s, lo, hi in ((h, *pool_size[:1], strides[0], top, bottom),
                                   (w, pool_size[1], strides[1], left, right)):  # fmt: skip
            out = -(-(size + lo + hi - k) // s) + 1
            assume((out - 1) * s + k <= size + lo + hi)
    x = uniform(np.random.default_rng(seed), (1, 3, h, w))
    got = run1(
        pool.AvgPool2dOp,
        [x],
        pool_size=ints(*pool_size),
        strides=ints(*strides),
        padding=ints(*padding),
        ceil_mode=BoolAttr.from_bool(ceil_mode),
        count_include_pad=BoolAttr.from_bool(count_include_pad),
    )
    (want,) = onnx_run(
        "AveragePool",
        [x],
        kernel_shape=list(pool_size),
        strides=list(strides),
        pads=[pads[0], pads[1], pads[2], pads[3]],
        ceil_mode=int(ceil_mode),
        count_include_pad=int(count_include_pad),
    )
    close(got, want)


# --- global pools and upsampling -----------------------------------------------------------------


@SETTINGS
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 4), st.integers(1, 5), st.integers(1, 5)),
    average=st.booleans(),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    seed=SEEDS,
)
def test_global_pools_vs_onnx(shape, average, layout, seed) -> None:  # type: ignore[no-untyped-def]
    x = uniform(np.random.default_rng(seed), shape)
    cls = pool.GlobalAvgPool2dOp if average else pool.GlobalMaxPool2dOp
    got = run1(cls, [nhwc(x) if layout == "NHWC" else x], layout=StringAttr(layout))
    (want,) = onnx_run("GlobalAveragePool" if average else "GlobalMaxPool", [x])
    close(got, nhwc(want) if layout == "NHWC" else want)


@SETTINGS
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)),
    scale=st.integers(1, 3),
    bilinear=st.booleans(),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    seed=SEEDS,
)
def test_upsampling_vs_onnx_resize_asymmetric(shape, scale, bilinear, layout, seed) -> None:  # type: ignore[no-untyped-def]
    x = uniform(np.random.default_rng(seed), shape)
    got = run1(
        pool.UpsamplingOp,
        [nhwc(x) if layout == "NHWC" else x],
        scale=IntegerAttr(scale, 64),
        layout=StringAttr(layout),
        method=StringAttr("BILINEAR" if bilinear else "NEAREST_NEIGHBOR"),
    )
    scales = np.array([1, 1, scale, scale], np.float32)
    (want,) = onnx_run(
        "Resize",
        [x, None, scales],
        mode="linear" if bilinear else "nearest",
        coordinate_transformation_mode="asymmetric",
        nearest_mode="floor",
    )
    close(got, nhwc(want) if layout == "NHWC" else want)
    if not bilinear:
        # Nearest is plain repetition: in[y // scale, x // scale].
        np.testing.assert_array_equal(got if layout == "NCHW" else got.transpose(0, 3, 1, 2),
                                      x.repeat(scale, axis=2).repeat(scale, axis=3))  # fmt: skip


# --- normalisation -----------------------------------------------------------------------------


@SETTINGS
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 7), st.integers(1, 3), st.integers(1, 3)),
    size=st.integers(1, 5),
    alpha=st.floats(1e-4, 1.0),
    beta=st.floats(0.5, 1.0),
    bias=st.floats(0.5, 2.0),
    last_axis=st.booleans(),
    seed=SEEDS,
)
def test_lrn_vs_onnx_lrn(shape, size, alpha, beta, bias, last_axis, seed) -> None:  # type: ignore[no-untyped-def]
    # ONNX attributes are float32: give both sides the same values.
    alpha, beta, bias = (float(np.float32(v)) for v in (alpha, beta, bias))
    x = uniform(np.random.default_rng(seed), shape, low=-2, high=2)
    # ONNX's window: (size - 1) // 2 channels before, size // 2 after (onnxruntime: odd only).
    want = np.zeros(shape, np.float64)
    for n, c, h, w in itertools.product(*(range(d) for d in shape)):
        window = range(max(0, c - (size - 1) // 2), min(shape[1], c + size // 2 + 1))
        total = sum(float(x[n, j, h, w]) ** 2 for j in window)
        want[n, c, h, w] = x[n, c, h, w] / (bias + alpha / size * total) ** beta
    want = want.astype(np.float32)
    if size % 2:
        (onnx,) = onnx_run("LRN", [x], size=size, alpha=alpha, beta=beta, bias=bias)
        close(onnx, want)
    got = run1(
        norm.LrnOp,
        [nhwc(x) if last_axis else x],
        size=IntegerAttr(size, 64),
        axis=IntegerAttr(3 if last_axis else 1, 64),
        alpha=FloatAttr(alpha, 64),
        beta=FloatAttr(beta, 64),
        bias=FloatAttr(bias, 64),
    )
    close(got, nhwc(want) if last_axis else want)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    data=st.data(),
    eps=st.sampled_from([1e-12, 1e-3, 10.0]),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_l2_normalize_matches_loops(shape, data, eps, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    axes = data.draw(st.lists(st.integers(0, len(shape) - 1), unique=True))
    x = uniform(np.random.default_rng(seed), tuple(shape), dtype)
    got = run1(norm.L2NormalizeOp, [x], eps=FloatAttr(eps, 64), axis=ints(*axes))
    reduced = axes or list(range(len(shape)))
    want = np.zeros(x.shape)
    for index in itertools.product(*(range(d) for d in shape)):
        # The sum of squares over the slice through `index` along the reduced axes.
        ranges = [range(d) if i in reduced else [index[i]] for i, d in enumerate(shape)]
        total = sum(float(x[j]) ** 2 for j in itertools.product(*ranges))
        want[index] = float(x[index]) / math.sqrt(max(total, eps))
    close(got, want.astype(dtype))


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    axis_pick=st.integers(0, 100),
    epsilon=st.sampled_from([1e-5, 1e-3, 0.1]),
    center=st.booleans(),
    scale=st.booleans(),
    seed=SEEDS,
)
def test_layer_norm_vs_onnx_layer_normalization(
    shape, axis_pick, epsilon, center, scale, seed
) -> None:  # type: ignore[no-untyped-def]
    """layer_norm on `axis` is ONNX's LayerNormalization (axis = -1) of the data with that
    axis moved last."""
    rng = np.random.default_rng(seed)
    axis = axis_pick % len(shape)
    x = uniform(rng, tuple(shape), low=-3, high=3)
    gamma, beta = uniform(rng, (shape[axis],)), uniform(rng, (shape[axis],))
    got = run1(
        norm.LayerNormOp,
        [x, gamma, beta],
        axis=IntegerAttr(axis, 64),
        epsilon=FloatAttr(float(np.float32(epsilon)), 64),
        center=BoolAttr.from_bool(center),
        scale=BoolAttr.from_bool(scale),
    )
    onnx_gamma = gamma if scale else np.ones_like(gamma)
    onnx_beta = beta if center else np.zeros_like(beta)
    (want,) = onnx_run(
        "LayerNormalization",
        [np.ascontiguousarray(np.moveaxis(x, axis, -1)), onnx_gamma, onnx_beta],
        axis=-1,
        epsilon=epsilon,
    )
    # onnxruntime takes the variance as E[x^2] - E[x]^2 in float32, which cancels: 1e-4.
    want = np.moveaxis(want, -1, axis)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=3, max_size=4),
    epsilon=st.sampled_from([1e-5, 1e-2]),
    channels_last=st.booleans(),
    seed=SEEDS,
)
def test_instance_norm_vs_onnx_instance_normalization(shape, epsilon, channels_last, seed) -> None:  # type: ignore[no-untyped-def]
    # One element per instance and channel has variance 0, where float32 rounding noise is
    # all that is left to normalise.
    assume(math.prod(shape[2:]) >= 2)
    rng = np.random.default_rng(seed)
    x = uniform(rng, tuple(shape), low=-3, high=3)
    gamma, beta = uniform(rng, (shape[1],)), uniform(rng, (shape[1],))
    (want,) = onnx_run("InstanceNormalization", [x, gamma, beta], epsilon=epsilon)
    data = np.ascontiguousarray(np.moveaxis(x, 1, -1)) if channels_last else x
    got = run1(
        norm.InstanceNormOp,
        [data, gamma, beta],
        axis=IntegerAttr(-1 if channels_last else 1, 64),
        epsilon=FloatAttr(float(np.float32(epsilon)), 64),
    )
    close(got, np.moveaxis(want, 1, -1) if channels_last else want)


# --- resize ------------------------------------------------------------------------------------

MODES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]
# Scales exact in float32, so that onnxruntime's float32 coordinates hit rounding ties exactly
# where the float64 ones do.
EXACT_SCALES = [0.5, 1.0, 1.5, 2.0, 3.0]


@SETTINGS
@given(
    nc=st.tuples(st.integers(1, 2), st.integers(1, 3)),
    hw=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    data=st.data(),
    by_size=st.booleans(),
    mode=st.sampled_from(MODES),
    linear=st.booleans(),
    nearest_mode=st.sampled_from(["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    seed=SEEDS,
)
def test_resize_vs_onnx_resize(
    nc, hw, data, by_size, mode, linear, nearest_mode, layout, seed
) -> None:  # type: ignore[no-untyped-def]
    x = uniform(np.random.default_rng(seed), (*nc, *hw))
    props: dict[str, Attribute] = {
        "layout": StringAttr(layout),
        "method": StringAttr("BILINEAR" if linear else "NEAREST_NEIGHBOR"),
        "coordinate_transformation_mode": StringAttr(mode),
        "rounding_method": StringAttr(nearest_mode),
    }
    if by_size:
        # Sizes that are whole multiples or divisors: out / in is exact in float32 too.
        size = [d * data.draw(st.integers(1, 3)) if data.draw(st.booleans()) else
                data.draw(st.sampled_from([q for q in range(1, d + 1) if d % q == 0]))
                for d in hw]  # fmt: skip
        props["size"] = DenseArrayBase.from_list(i64, size)
        inputs = [x, None, None, np.array([*nc, *size], np.int64)]
    else:
        scales = [data.draw(st.sampled_from([s for s in EXACT_SCALES if d * s >= 1])) for d in hw]
        props["scale"] = DenseArrayBase.from_list(f64, scales)
        inputs = [x, None, np.array([1, 1, *scales], np.float32)]
    got = run1(vision.ResizeOp, [nhwc(x) if layout == "NHWC" else x], **props)
    (want,) = onnx_run(
        "Resize",
        inputs,
        mode="linear" if linear else "nearest",
        coordinate_transformation_mode=mode,
        nearest_mode=nearest_mode,
    )
    close(got, nhwc(want) if layout == "NHWC" else want)


def test_resize_nnvm_defaults_are_asymmetric_and_align_corners() -> None:
    """NNVM's align_corners picks the coordinate mode when none is given (TOPI's resize)."""
    x = np.arange(12, dtype=np.float64).reshape(1, 1, 3, 4)
    size = DenseArrayBase.from_list(i64, [5, 7])
    aligned = run1(vision.ResizeOp, [x], size=size, align_corners=BoolAttr.from_bool(True))
    # align_corners keeps the corners and spaces the rest evenly: a linear ramp stays linear.
    np.testing.assert_allclose(aligned[0, 0, :, 0], np.linspace(0, 8, 5))
    np.testing.assert_allclose(aligned[0, 0, 0, :], np.linspace(0, 3, 7))
    plain = run1(vision.ResizeOp, [x], size=DenseArrayBase.from_list(i64, [6, 8]))
    # asymmetric with scale 2: out[2i] = in[i], out[2i + 1] between in[i] and in[i + 1].
    np.testing.assert_allclose(plain[0, 0, ::2, ::2], x[0, 0])


# --- topk --------------------------------------------------------------------------------------


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    data=st.data(),
    largest=st.booleans(),
    ties=st.booleans(),
    seed=SEEDS,
)
def test_topk_vs_onnx_topk(shape, data, largest, ties, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    k = data.draw(st.integers(1, shape[axis]))
    x = (rng.integers(-2, 3, shape) if ties else rng.uniform(-1, 1, shape)).astype(np.float32)
    values, indices = run_op(
        vision.TopKOp,
        [x],
        {
            "k": IntegerAttr(k, 64),
            "axis": IntegerAttr(axis, 64),
            "is_ascend": BoolAttr.from_bool(not largest),
            "dtype": from_numpy(np.dtype(np.int64)),
        },
        num_results=2,
    )
    want_values, want_indices = onnx_run(
        "TopK",
        [x, np.array([k], np.int64)],
        out_types=(np.float32, np.int64),
        axis=axis,
        largest=int(largest),
        sorted=1,
    )
    np.testing.assert_array_equal(values, want_values)
    np.testing.assert_array_equal(indices, want_indices)


@pytest.mark.parametrize("ret_type", ["values", "indices"])
def test_topk_single_results_are_parts_of_both(ret_type: str) -> None:
    x = np.random.default_rng(1).standard_normal((3, 6))
    props = {"k": IntegerAttr(0, 64), "ret_type": StringAttr(ret_type)}
    (one,) = run_op(vision.TopKOp, [x], props)
    both = run_op(vision.TopKOp, [x], {"k": IntegerAttr(0, 64)}, num_results=2)
    # k = 0 sorts the whole axis, descending.
    np.testing.assert_array_equal(both[0], -np.sort(-x, axis=-1))
    np.testing.assert_array_equal(one, both[0 if ret_type == "values" else 1])
    assert both[1].dtype == np.int32


# --- multibox_prior ------------------------------------------------------------------------


@SETTINGS
@given(
    hw=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    sizes=st.lists(st.floats(0.1, 1.0), min_size=1, max_size=3),
    ratios=st.lists(st.floats(0.5, 2.0), min_size=1, max_size=3),
    steps=st.sampled_from([(-1.0, -1.0), (0.1, 0.2)]),
    offsets=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
    clip=st.booleans(),
)
def test_multibox_prior_matches_loops(hw, sizes, ratios, steps, offsets, clip) -> None:  # type: ignore[no-untyped-def]
    """Anchors pixel by pixel, box by box, in TOPI's order (sizes, then ratios after the
    first), as MXNet's MultiBoxPrior defines them."""
    h, w = hw
    x = np.zeros((1, 2, h, w), np.float64)
    got = run1(
        vision.MultiboxPriorOp,
        [x],
        sizes=DenseArrayBase.from_list(f64, sizes),
        ratios=DenseArrayBase.from_list(f64, ratios),
        steps=DenseArrayBase.from_list(f64, list(steps)),
        offsets=DenseArrayBase.from_list(f64, list(offsets)),
        clip=BoolAttr.from_bool(clip),
    )
    step_h = steps[0] if steps[0] > 0 else 1 / h
    step_w = steps[1] if steps[1] > 0 else 1 / w
    want = []
    for i, j in itertools.product(range(h), range(w)):
        cy, cx = (i + offsets[0]) * step_h, (j + offsets[1]) * step_w
        for k in range(len(sizes) + len(ratios) - 1):
            if k < len(sizes):
                bw, bh = sizes[k] * h / w / 2, sizes[k] / 2
            else:
                r = math.sqrt(ratios[k - len(sizes) + 1])
                bw, bh = sizes[0] * h / w * r / 2, sizes[0] / r / 2
            box = [cx - bw, cy - bh, cx + bw, cy + bh]
            want.append([min(max(v, 0.0), 1.0) for v in box] if clip else box)
    close(got, np.array([want]))
