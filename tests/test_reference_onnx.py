"""Each op's numpy semantics against onnxruntime running the equivalent one-node ONNX model.

onnxruntime (CPU, opset 17) is an implementation independent of this project. Its float32
kernels accumulate in float32, so float32 results are compared with rtol=1e-5, atol=1e-5
(sums of at most a few dozen products of values in [-1, 1]); float64 with rtol=1e-10,
atol=1e-12. The semantics are called through real op objects built and verified by their rules.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from op_support import run_op
from xdsl.dialects.builtin import ArrayAttr, BoolAttr, FloatAttr, IntegerAttr, StringAttr
from xdsl.ir import Attribute

from nnvm_dialect.ops import nn, transform
from nnvm_dialect.ops.nn import ints

OPSET = 17
TOL = {
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-5},
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
}
SETTINGS = settings(max_examples=25, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int64): TensorProto.INT64,
}


def onnx_run(
    op_type: str, inputs: list[np.ndarray], num_outputs: int = 1, **attrs: object
) -> list[np.ndarray]:
    """Outputs of a one-node ONNX model `op_type(inputs)` run by onnxruntime."""
    names = [f"in{i}" for i in range(len(inputs))]
    outs = [f"out{i}" for i in range(num_outputs)]
    elem = ONNX_TYPES[inputs[0].dtype]
    graph = helper.make_graph(
        [helper.make_node(op_type, names, outs, **attrs)],
        "one_node",
        [
            helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], a.shape)
            for n, a in zip(names, inputs)
        ],
        [helper.make_tensor_value_info(o, elem, None) for o in outs],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return list(session.run(outs, dict(zip(names, inputs))))


def close(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, **TOL.get(got.dtype, {"rtol": 0, "atol": 0}))


FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])


def to_nchw(x: np.ndarray, layout: str) -> np.ndarray:
    return x.transpose([layout.index(c) for c in "NCHW"])


def from_nchw(x: np.ndarray, layout: str) -> np.ndarray:
    return x.transpose(["NCHW".index(c) for c in layout])


@SETTINGS
@given(
    groups=st.integers(1, 3),
    cin_g=st.integers(1, 3),
    cout_g=st.integers(1, 3),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    extra=st.tuples(st.integers(0, 5), st.integers(0, 5)),
    n=st.integers(1, 2),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    use_bias=st.booleans(),
    dtype=st.just(np.float32),  # onnxruntime's CPU Conv has no float64 kernel
    seed=SEEDS,
)
def test_conv2d_vs_onnx_conv(
    groups,
    cin_g,
    cout_g,
    kernel,
    strides,
    dilation,
    padding,
    extra,
    n,
    layout,
    use_bias,
    dtype,
    seed,
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    spatial = [
        max(1, (k - 1) * d + 1 - 2 * p) + e for k, d, p, e in zip(kernel, dilation, padding, extra)
    ]
    cin, cout = groups * cin_g, groups * cout_g
    x = rng.uniform(-1, 1, (n, cin, *spatial)).astype(dtype)
    w = rng.uniform(-1, 1, (cout, cin_g, *kernel)).astype(dtype)
    b = rng.uniform(-1, 1, (cout,)).astype(dtype)
    props = {
        "channels": IntegerAttr(cout, 64),
        "kernel_size": ints(*kernel),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "dilation": ints(*dilation),
        "groups": IntegerAttr(groups, 64),
        "layout": StringAttr(layout),
        "use_bias": BoolAttr.from_bool(use_bias),
    }
    data = np.ascontiguousarray(from_nchw(x, layout))
    got = run_op(nn.Conv2dOp, [data, w, b] if use_bias else [data, w], props)[0]
    (want,) = onnx_run(
        "Conv",
        [x, w, b] if use_bias else [x, w],
        kernel_shape=list(kernel),
        strides=list(strides),
        dilations=list(dilation),
        pads=[padding[0], padding[1], padding[0], padding[1]],
        group=groups,
    )
    close(got, from_nchw(want, layout))


@SETTINGS
@given(
    pool=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    arity=st.sampled_from([1, 2, 4]),
    data=st.data(),
    nc=st.tuples(st.integers(1, 2), st.integers(1, 3)),
    layout=st.sampled_from(["NCHW", "NHWC"]),
    ceil_mode=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_max_pool2d_vs_onnx_max_pool(
    pool, strides, arity, data, nc, layout, ceil_mode, dtype, seed
) -> None:  # type: ignore[no-untyped-def]
    if arity == 1:
        padding = (data.draw(st.integers(0, min(pool) - 1)),)
        pads = padding * 4
    else:
        padding = tuple(data.draw(st.integers(0, pool[i % 2] - 1)) for i in range(arity))
        pads = padding * 2 if arity == 2 else padding
    top, left, bottom, right = pads
    h = data.draw(st.integers(max(1, pool[0] - top - bottom), pool[0] + 5))
    w = data.draw(st.integers(max(1, pool[1] - left - right), pool[1] + 5))
    if ceil_mode:
        # ONNX (like PyTorch) drops a last window that starts past the data and the leading
        # padding; NNVM keeps it (its value is -inf). Compare only where the two agree.
        axes = ((h, pool[0], strides[0], top, bottom), (w, pool[1], strides[1], left, right))
        for size, k, s, lo, hi in axes:
            out = -(-(size + lo + hi - k) // s) + 1
            assume((out - 1) * s < size + lo)
    x = np.random.default_rng(seed).uniform(-1, 1, (*nc, h, w)).astype(dtype)
    props = {
        "pool_size": ints(*pool),
        "strides": ints(*strides),
        "padding": ints(*padding),
        "layout": StringAttr(layout),
        "ceil_mode": BoolAttr.from_bool(ceil_mode),
    }
    got = run_op(nn.MaxPool2dOp, [np.ascontiguousarray(from_nchw(x, layout))], props)[0]
    (want,) = onnx_run(
        "MaxPool",
        [x],
        kernel_shape=list(pool),
        strides=list(strides),
        pads=[top, left, bottom, right],
        ceil_mode=int(ceil_mode),
    )
    close(got, from_nchw(want, layout))


@SETTINGS
@given(
    batch=st.integers(1, 4),
    features=st.integers(1, 6),
    units=st.integers(1, 6),
    use_bias=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_dense_vs_onnx_gemm(batch, features, units, use_bias, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, features)).astype(dtype)
    w = rng.uniform(-1, 1, (units, features)).astype(dtype)
    b = rng.uniform(-1, 1, (units,)).astype(dtype)
    props = {"units": IntegerAttr(units, 64), "use_bias": BoolAttr.from_bool(use_bias)}
    got = run_op(nn.DenseOp, [x, w, b] if use_bias else [x, w], props)[0]
    (want,) = onnx_run("Gemm", [x, w, b] if use_bias else [x, w], transB=1)
    close(got, want)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    axis_pick=st.integers(0, 100),
    negative=st.booleans(),
    log=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_softmax_vs_onnx(shape, axis_pick, negative, log, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    axis = axis_pick % len(shape)
    if negative:
        axis -= len(shape)
    x = np.random.default_rng(seed).uniform(-10, 10, tuple(shape)).astype(dtype)
    cls = nn.LogSoftmaxOp if log else nn.SoftmaxOp
    got = run_op(cls, [x], {"axis": IntegerAttr(axis, 64)})[0]
    (want,) = onnx_run("LogSoftmax" if log else "Softmax", [x], axis=axis)
    close(got, want)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    data=st.data(),
    value=st.floats(-5, 5),
    dtype=st.sampled_from([np.float32, np.float64, np.int32]),
    seed=SEEDS,
)
def test_pad_vs_onnx_pad(shape, data, value, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    pairs = [(data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in shape]
    if np.dtype(dtype).kind == "i":
        value = float(round(value))
    x = np.random.default_rng(seed).uniform(-9, 9, tuple(shape)).astype(dtype)
    props = {"pad_width": ArrayAttr([ints(*p) for p in pairs]), "pad_value": FloatAttr(value, 64)}
    got = run_op(nn.PadOp, [x], props)[0]
    pads = np.array([p[0] for p in pairs] + [p[1] for p in pairs], np.int64)
    (want,) = onnx_run("Pad", [x, pads, np.array(value, dtype)], mode="constant")
    close(got, want)


@SETTINGS
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    axis_pick=st.integers(0, 100),
    epsilon=st.floats(1e-6, 1e-1),
    center=st.booleans(),
    scale=st.booleans(),
    dtype=FLOAT_DTYPES,
    seed=SEEDS,
)
def test_batch_norm_vs_onnx_batch_normalization(
    shape, axis_pick, epsilon, center, scale, dtype, seed
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    # ONNX attributes are float32: give both sides the same epsilon.
    epsilon = float(np.float32(epsilon))
    axis = axis_pick % len(shape)
    c = shape[axis]
    x = rng.uniform(-3, 3, tuple(shape)).astype(dtype)
    gamma, beta, mean = (rng.uniform(-2, 2, (c,)).astype(dtype) for _ in range(3))
    var = rng.uniform(0.1, 3, (c,)).astype(dtype)
    props = {
        "axis": IntegerAttr(axis, 64),
        "epsilon": FloatAttr(epsilon, 64),
        "center": BoolAttr.from_bool(center),
        "scale": BoolAttr.from_bool(scale),
    }
    got = run_op(nn.BatchNormOp, [x, gamma, beta, mean, var], props)[0]
    # ONNX normalises axis 1 and always scales and centres: move the channel axis there, and
    # use gamma = 1 / beta = 0 where NNVM leaves them out.
    onnx_gamma = gamma if scale else np.ones_like(gamma)
    onnx_beta = beta if center else np.zeros_like(beta)
    (want,) = onnx_run(
        "BatchNormalization",
        [np.ascontiguousarray(np.moveaxis(x, axis, 1)), onnx_gamma, onnx_beta, mean, var],
        epsilon=epsilon,
    )
    close(got, np.moveaxis(want, 1, axis))


@SETTINGS
@given(
    rank=st.integers(1, 3),
    data=st.data(),
    dtype=st.sampled_from([np.float32, np.int64]),
    seed=SEEDS,
)
def test_concatenate_vs_onnx_concat(rank, data, dtype, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(-rank, rank - 1))
    base = [data.draw(st.integers(1, 4)) for _ in range(rank)]
    parts = []
    for _ in range(data.draw(st.integers(1, 4))):
        shape = list(base)
        shape[axis] = data.draw(st.integers(1, 4))
        parts.append(rng.integers(-50, 50, shape).astype(dtype))
    got = run_op(transform.ConcatenateOp, parts, {"axis": IntegerAttr(axis, 64)})[0]
    (want,) = onnx_run("Concat", parts, axis=axis)
    close(got, want)


@SETTINGS
@given(rank=st.integers(1, 3), data=st.data(), by_sections=st.booleans(), seed=SEEDS)
def test_split_vs_onnx_split(rank, data, by_sections, seed) -> None:  # type: ignore[no-untyped-def]
    axis = data.draw(st.integers(-rank, rank - 1))
    shape = [data.draw(st.integers(1, 3)) for _ in range(rank)]
    if by_sections:
        sections = data.draw(st.integers(1, 4))
        shape[axis] = sections * data.draw(st.integers(1, 3))
        spec: Attribute = IntegerAttr(sections, 64)
        sizes = [shape[axis] // sections] * sections
    else:
        shape[axis] = data.draw(st.integers(1, 7))
        points = sorted(
            data.draw(st.sets(st.integers(1, shape[axis] - 1))) if shape[axis] > 1 else set()
        )
        spec = ints(*points)
        bounds = [0, *points, shape[axis]]
        sizes = [hi - lo for lo, hi in zip(bounds, bounds[1:])]
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    props = {"indices_or_sections": spec, "axis": IntegerAttr(axis, 64)}
    got = run_op(transform.SplitOp, [x], props, num_results=len(sizes))
    want = onnx_run("Split", [x, np.array(sizes, np.int64)], num_outputs=len(sizes), axis=axis)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        close(g, w)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.25, 1.5])
def test_leaky_relu_vs_onnx(alpha: float) -> None:
    from nnvm_dialect.ops.elemwise import LeakyReluOp

    x = np.random.default_rng(3).uniform(-4, 4, (3, 5)).astype(np.float32)
    got = run_op(LeakyReluOp, [x], {"alpha": FloatAttr(alpha, 64)})[0]
    (want,) = onnx_run("LeakyRelu", [x], alpha=alpha)
    close(got, want)
