"""Independent checks of the transform, index, init, matmul and layout ops' numbers.

Each op's semantics (run through a real op object, built and verified by its rules) is compared
with onnxruntime running the equivalent ONNX node (opset 17, CPU), or with explicit index loops
and NNVM's documented examples. Moving ops are exact (tolerance 0); float32 products are
compared with rtol=1e-5, atol=1e-5 (onnxruntime accumulates in float32), float64 with
rtol=1e-10.
"""

from __future__ import annotations

import itertools

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from op_support import run_op
from xdsl.dialects.builtin import IntegerAttr, StringAttr

from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.ops import index, init, layout, matmul, replicate, transform
from nnvm_dialect.ops.nn import FALSE, TRUE, f64, ints

SETTINGS = settings(max_examples=15, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)
TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def onnx_run(op_type: str, inputs: list[np.ndarray], out_dtype: np.dtype, **attrs: object):  # type: ignore[no-untyped-def]
    names = [f"in{i}" for i in range(len(inputs))]
    graph = helper.make_graph(
        [helper.make_node(op_type, names, ["out"], **attrs)],
        "one_node",
        [helper.make_tensor_value_info(n, TYPES[a.dtype], a.shape) for n, a in zip(names, inputs)],
        [helper.make_tensor_value_info("out", TYPES[np.dtype(out_dtype)], None)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, ["CPUExecutionProvider"])
    return session.run(["out"], dict(zip(names, inputs)))[0]


def rng_of(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def shape_of(rng: np.random.Generator, lo: int = 1, hi: int = 4) -> tuple[int, ...]:
    return tuple(int(d) for d in rng.integers(1, 5, int(rng.integers(lo, hi + 1))))


def exact(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    ("codes", "want"),
    [  # NNVM's documentation examples, on an input of shape (2, 3, 4)
        ((4, 0, 2), (4, 3, 2)),
        ((6, 1, -1), (6, 1, 4)),
        ((-2, 1, 1), (2, 3, 4, 1, 1)),
        ((-3, 4), (6, 4)),
        ((0, -3), (2, 12)),
        ((-4, 1, 2, -2), (1, 2, 3, 4)),
        ((2, -4, -1, 3, -2), (2, 1, 3, 4)),
    ],
)
def test_reshape_codes_give_nnvms_documented_shapes(codes: tuple, want: tuple) -> None:
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    (out,) = run_op(transform.ReshapeOp, [x], {"shape": ints(*codes)})
    exact(out, x.reshape(want))  # row-major order kept


@given(SEEDS)
@SETTINGS
def test_transpose_matches_onnxruntime(seed: int) -> None:
    rng = rng_of(seed)
    x = rng.standard_normal(shape_of(rng)).astype(np.float32)
    perm = [int(a) for a in rng.permutation(x.ndim)]
    (out,) = run_op(transform.TransposeOp, [x], {"axes": ints(*perm)})
    exact(out, onnx_run("Transpose", [x], x.dtype, perm=perm))


@given(SEEDS)
@SETTINGS
def test_squeeze_matches_onnxruntime(seed: int) -> None:
    rng = rng_of(seed)
    shape = [1 if rng.integers(0, 2) else d for d in shape_of(rng)] + [1]
    x = rng.standard_normal(shape).astype(np.float32)
    axes = [i for i, d in enumerate(shape) if d == 1 and rng.integers(0, 2)] or [len(shape) - 1]
    (out,) = run_op(transform.SqueezeOp, [x], {"axis": ints(*axes)})
    want = onnx_run("Squeeze", [x, np.array(axes, np.int64)], x.dtype)
    if want.ndim == 0:  # NNVM keeps (1,) where ONNX gives a scalar
        want = want.reshape(1)
    exact(out, want)


@given(SEEDS)
@SETTINGS
def test_broadcast_to_and_tile_match_onnxruntime(seed: int) -> None:
    rng = rng_of(seed)
    shape = shape_of(rng, 1, 3)
    x = rng.integers(-9, 9, shape).astype(np.int64)
    target = [int(rng.integers(1, 4)) if d == 1 else d for d in shape]
    (out,) = run_op(replicate.BroadcastToOp, [x], {"shape": ints(*target)})
    exact(out, onnx_run("Expand", [x, np.array(target, np.int64)], x.dtype))
    reps = [int(r) for r in rng.integers(1, 4, x.ndim)]
    (out,) = run_op(replicate.TileOp, [x], {"reps": ints(*reps)})
    exact(out, onnx_run("Tile", [x, np.array(reps, np.int64)], x.dtype))


@given(SEEDS)
@SETTINGS
def test_repeat_copies_each_element_in_place_by_loop(seed: int) -> None:
    rng = rng_of(seed)
    x = rng.integers(-9, 9, shape_of(rng, 1, 3)).astype(np.int32)
    axis, reps = int(rng.integers(0, x.ndim)), int(rng.integers(1, 4))
    (out,) = run_op(
        replicate.RepeatOp, [x], {"repeats": IntegerAttr(reps, 64), "axis": IntegerAttr(axis, 64)}
    )
    for idx in itertools.product(*(range(d) for d in out.shape)):
        src = list(idx)
        src[axis] //= reps
        assert out[idx] == x[tuple(src)]


@given(SEEDS)
@SETTINGS
def test_take_matches_onnxruntime_gather_on_clipped_indices(seed: int) -> None:
    rng = rng_of(seed)
    x = rng.standard_normal(shape_of(rng, 1, 3)).astype(np.float32)
    axis = int(rng.integers(0, x.ndim))
    indices = rng.integers(-3, x.shape[axis] + 3, shape_of(rng, 0, 2)).astype(np.int64)
    (out,) = run_op(index.TakeOp, [x, indices], {"axis": IntegerAttr(axis, 64)})
    clipped = np.asarray(np.clip(indices, 0, x.shape[axis] - 1))
    exact(out, onnx_run("Gather", [x, clipped], x.dtype, axis=axis))
    (wrapped,) = run_op(
        index.TakeOp, [x, indices], {"axis": IntegerAttr(axis, 64), "mode": StringAttr("wrap")}
    )
    exact(wrapped, onnx_run("Gather", [x, np.asarray(indices % x.shape[axis])], x.dtype, axis=axis))


@given(SEEDS)
@SETTINGS
def test_strided_slice_matches_an_index_loop(seed: int) -> None:
    rng = rng_of(seed)
    x = rng.standard_normal(shape_of(rng, 1, 3)).astype(np.float64)
    begin, end, stride = [], [], []
    for dim in x.shape:
        s = int(rng.choice([1, 2, -1, -3]))
        b = int(rng.integers(0, dim))
        e = int(rng.integers(b + 1, dim + 1)) if s > 0 else int(rng.integers(-1, b))
        begin.append(b)
        end.append(e if e >= 0 else -dim - 1)  # a negative end past the start clamps to -1
        stride.append(s)
    props = {"begin": ints(*begin), "end": ints(*end), "stride": ints(*stride)}
    (out,) = run_op(index.StridedSliceOp, [x], props)
    picks = []
    for b, e, s in zip(begin, end, stride):
        stop = -1 if e < 0 else e
        picks.append([i for i in range(b, stop, s)])
    want = np.empty([len(p) for p in picks], x.dtype)
    for idx in itertools.product(*(range(len(p)) for p in picks)):
        want[idx] = x[tuple(p[i] for p, i in zip(picks, idx))]
    exact(out, want)


@given(SEEDS)
@SETTINGS
def test_where_and_one_hot_match_onnxruntime(seed: int) -> None:
    rng = rng_of(seed)
    shape = shape_of(rng, 1, 3)
    cond = rng.integers(0, 2, shape).astype(np.bool_)
    x, y = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    (out,) = run_op(index.WhereOp, [cond, x, y])
    exact(out, onnx_run("Where", [cond, x, y], x.dtype))
    depth = int(rng.integers(1, 5))
    indices = rng.integers(0, depth, shape).astype(np.int64)
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    props = {
        "depth": IntegerAttr(depth, 64),
        "on_value": f64(3.0),
        "off_value": f64(-1.0),
        "axis": IntegerAttr(axis, 64),
    }
    (hot,) = run_op(index.OneHotOp, [indices], props)
    values = np.array([-1.0, 3.0], np.float32)
    want = onnx_run("OneHot", [indices, np.array(depth, np.int64), values], np.float32, axis=axis)
    exact(hot, want)


def test_full_and_like_ops_match_onnxruntime_constant_of_shape() -> None:
    for dtype in (np.float32, np.int64):
        want = onnx_run(
            "ConstantOfShape",
            [np.array([2, 3], np.int64)],
            np.dtype(dtype),
            value=helper.make_tensor("v", TYPES[np.dtype(dtype)], [1], [7]),
        )
        props = {"shape": ints(2, 3), "dtype": from_numpy(np.dtype(dtype)), "fill_value": f64(7.0)}
        (out,) = run_op(init.FullOp, [], props)
        exact(out, want)
        (like,) = run_op(init.FullLikeOp, [np.zeros((2, 3), dtype)], {"fill_value": f64(7.0)})
        exact(like, want)
    (ones,) = run_op(init.OnesOp, [], {"shape": ints(4)})
    exact(ones, np.ones(4, np.float32))


@given(SEEDS, st.sampled_from([np.float32, np.float64]))
@SETTINGS
def test_batch_matmul_matches_onnxruntime(seed: int, dtype: type) -> None:
    rng = rng_of(seed)
    b, m, n, k = (int(d) for d in rng.integers(1, 6, 4))
    x = rng.uniform(-1, 1, (b, m, k)).astype(dtype)
    y = rng.uniform(-1, 1, (b, n, k)).astype(dtype)  # transposed, TVM's default
    (out,) = run_op(matmul.BatchMatmulOp, [x, y])
    want = onnx_run("MatMul", [x, y.transpose(0, 2, 1).copy()], np.dtype(dtype))
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    np.testing.assert_allclose(out, want, **tol)
    (plain,) = run_op(
        matmul.BatchMatmulOp, [x, y.transpose(0, 2, 1).copy()], {"transpose_b": FALSE}
    )
    np.testing.assert_allclose(plain, want, **tol)


@given(SEEDS)
@SETTINGS
def test_matmul_contracts_lhs_last_with_rhs_first_by_loop(seed: int) -> None:
    rng = rng_of(seed)
    lhs = shape_of(rng, 2, 3)
    rhs = (lhs[-1], *shape_of(rng, 1, 2))
    a = rng.uniform(-1, 1, lhs)
    b = rng.uniform(-1, 1, rhs)
    (out,) = run_op(matmul.MatmulOp, [a.transpose().copy(), b], {"transpose_a": TRUE})
    want = np.zeros((*lhs[:-1], *rhs[1:]))
    for i in itertools.product(*(range(d) for d in lhs[:-1])):
        for j in itertools.product(*(range(d) for d in rhs[1:])):
            want[i + j] = sum(a[i + (t,)] * b[(t,) + j] for t in range(lhs[-1]))
    np.testing.assert_allclose(out, want, rtol=1e-10, atol=1e-12)


@given(SEEDS)
@SETTINGS
def test_collapse_sum_sums_the_broadcast_axes_by_loop(seed: int) -> None:
    rng = rng_of(seed)
    target = [1 if rng.integers(0, 2) else d for d in shape_of(rng, 1, 3)]
    data = [int(rng.integers(1, 3))] + [int(rng.integers(2, 4)) if t == 1 else t for t in target]
    x = rng.integers(-5, 5, data).astype(np.int64)
    (out,) = run_op(replicate.CollapseSumOp, [x], {"shape": ints(*target)})
    want = np.zeros(target, np.int64)
    for idx in itertools.product(*(range(d) for d in data)):
        want[tuple(0 if t == 1 else i for t, i in zip(target, idx[1:]))] += x[idx]
    exact(out, want)


def test_layout_transform_blocks_channels_as_nnvm_does() -> None:
    x = np.arange(1 * 32 * 2 * 3, dtype=np.float32).reshape(1, 32, 2, 3)
    props = {"src_layout": StringAttr("NCHW"), "dst_layout": StringAttr("NCHW16c")}
    (out,) = run_op(layout.LayoutTransformOp, [x], props)
    assert out.shape == (1, 2, 2, 3, 16)
    for n, co, h, w, ci in itertools.product(*(range(d) for d in out.shape)):
        assert out[n, co, h, w, ci] == x[n, co * 16 + ci, h, w]
    back = {"src_layout": StringAttr("NCHW16c"), "dst_layout": StringAttr("NHWC")}
    (nhwc,) = run_op(layout.LayoutTransformOp, [out], back)
    exact(nhwc, x.transpose(0, 2, 3, 1))


def test_layout_transform_blocks_both_weight_axes() -> None:
    w = np.arange(16 * 8 * 3 * 3, dtype=np.float32).reshape(16, 8, 3, 3)
    props = {"src_layout": StringAttr("OIHW"), "dst_layout": StringAttr("OIHW8i8o")}
    (out,) = run_op(layout.LayoutTransformOp, [w], props)
    assert out.shape == (2, 1, 3, 3, 8, 8)
    for oo, io, h, ww, ii, oi in itertools.product(*(range(d) for d in out.shape)):
        assert out[oo, io, h, ww, ii, oi] == w[oo * 8 + oi, io * 8 + ii, h, ww]


@given(SEEDS)
@SETTINGS
def test_stack_slice_like_and_flip_by_identity(seed: int) -> None:
    rng = rng_of(seed)
    shape = shape_of(rng, 1, 3)
    xs = [rng.integers(-9, 9, shape).astype(np.int32) for _ in range(3)]
    axis = int(rng.integers(0, len(shape) + 1))
    (stacked,) = run_op(replicate.StackOp, xs, {"axis": IntegerAttr(axis, 64)})
    for i, x in enumerate(xs):
        exact(np.take(stacked, i, axis=axis), x)
    like = np.zeros([int(rng.integers(1, d + 1)) for d in shape], np.float32)
    (cropped,) = run_op(index.SliceLikeOp, [xs[0], like])
    exact(cropped, xs[0][tuple(slice(0, d) for d in like.shape)])
    (flipped,) = run_op(index.FlipOp, [xs[0]], {"axis": IntegerAttr(axis % len(shape), 64)})
    a = axis % len(shape)
    for i in range(shape[a]):
        exact(np.take(flipped, i, axis=a), np.take(xs[0], shape[a] - 1 - i, axis=a))
