"""CPU lowering bugs that the ONNX conformance run on `--targets cpu` found, each checked
against numpy (the reference semantics) on the inputs that exposed it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnvm_dialect.compiler import compile
from nnvm_dialect.dtypes import from_numpy


def cast_on_cpu(tmp_path: Path, x: np.ndarray, dst: type) -> np.ndarray:
    src_t, dst_t = from_numpy(x.dtype), from_numpy(np.dtype(dst))
    n = x.size
    path = tmp_path / "cast.mlir"
    path.write_text(
        f"func.func @main(%x: tensor<{n}x{src_t}>) -> tensor<{n}x{dst_t}> {{\n"
        f"  %y = nnvm.cast %x {{dtype = {dst_t}}} : (tensor<{n}x{src_t}>) -> tensor<{n}x{dst_t}>\n"
        f"  func.return %y : tensor<{n}x{dst_t}>\n}}\n"
    )
    return compile(path, target="cpu", cache=False).run(x)[0]


def assert_same_bits(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == want.dtype
    nan = np.isnan(got) & np.isnan(want)
    differ = (got != want) & ~nan
    assert not differ.any(), (np.flatnonzero(differ)[:5], got[differ][:5], want[differ][:5])


def test_float64_to_float16_rounds_once(tmp_path: Path) -> None:
    """f64 -> f16 was a call to compiler-rt's __truncdfhf2, absent from the process: a crash.
    Through f32 by nearest it would round twice; the halfway points between float16 values,
    nudged by one f64 ulp either way, are where that goes wrong."""
    rng = np.random.default_rng(0)
    halves = rng.integers(0, 0x7BFF, 4000, dtype=np.uint16).view(np.float16).astype(np.float64)
    mid = (
        halves + np.nextafter(halves.astype(np.float16), np.float16(np.inf)).astype(np.float64)
    ) / 2
    edges = [np.nan, np.inf, -np.inf, 0.0, -0.0, 65504.0, 65519.99, 65520.0, 1e300, 1e-300, 2**-25]
    x = np.concatenate([mid, np.nextafter(mid, 0), np.nextafter(mid, np.inf), -mid, edges])
    with np.errstate(over="ignore"):
        want = x.astype(np.float16)
    assert_same_bits(cast_on_cpu(tmp_path, x, np.float16), want)


@pytest.mark.parametrize("dst", [np.float64, np.float32, np.float16])
def test_uint64_to_float_rounds_once(tmp_path: Path, dst: type) -> None:
    """u64 with the top bit set went through i64 and an added 2^64: two roundings, one ulp off
    for some values (and for float16 an overflowing constant: a compile error)."""
    rng = np.random.default_rng(1)
    top = 2**63
    special = [top, top + 1, top + 2**40, top + 2**40 + 1, top + 3 * 2**39, 2**64 - 1, 0, 1]
    randoms = rng.integers(0, 2**64 - 1, 4000, np.uint64, endpoint=True)
    x = np.concatenate([randoms, np.array(special, np.uint64)])
    with np.errstate(over="ignore"):
        want = x.astype(dst)
    assert_same_bits(cast_on_cpu(tmp_path, x, dst), want)


RESHAPE_IN_GROUP = """
func.func @main(%a: tensor<1x2x4x3xf32>, %b: tensor<2x12xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %r = nnvm.reshape %a {shape = array<i64: 2, 4, 3>} : (tensor<1x2x4x3xf32>) -> tensor<2x4x3xf32>
  %t = nnvm.transpose %r {axes = array<i64: 0, 2, 1>} : (tensor<2x4x3xf32>) -> tensor<2x3x4xf32>
  %u = nnvm.transpose %b {axes = array<i64: 1, 0>} : (tensor<2x12xf32>) -> tensor<12x2xf32>
  %v = nnvm.reshape %u {shape = array<i64: 2, 3, 4>} : (tensor<12x2xf32>) -> tensor<2x3x4xf32>
  %w = nnvm.elemwise_add %v, %t : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  func.return %t, %w : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}
"""


@pytest.mark.parametrize("opt_level", [0, 2])
def test_reshape_inside_a_fused_group_reads_by_offset(tmp_path: Path, opt_level: int) -> None:
    """ONNX's MatMul on 4-d operands imports as reshape -> transpose -> batch_matmul; fused,
    the reshape was handed the transpose's multi-index and read its input with it as if the
    ranks agreed (test_matmul_4d: wrong by 1e23). Also a reshape of a transpose, then fused
    with an elementwise op."""
    path = tmp_path / "group.mlir"
    path.write_text(RESHAPE_IN_GROUP)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((1, 2, 4, 3)).astype(np.float32)
    b = rng.standard_normal((2, 12)).astype(np.float32)
    t = a.reshape(2, 4, 3).transpose(0, 2, 1)
    w = b.T.reshape(2, 3, 4) + t
    got = compile(path, target="cpu", opt_level=opt_level, cache=False).run(a, b)
    np.testing.assert_array_equal(got[0], t)
    np.testing.assert_allclose(got[1], w, rtol=1e-6)


REDUCE_OF_ELEMWISE = """
func.func @main(%x: tensor<3x4x5xf32>) -> (tensor<1x1x1xf32>, tensor<3x1x5xf32>, tensor<3x4xf32>) {
  %sq = nnvm.elemwise_mul %x, %x : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %s = nnvm.sum %sq {axis = array<i64: 0, 1, 2>, keepdims = true} : (tensor<3x4x5xf32>) -> tensor<1x1x1xf32>
  %e = nnvm.exp %x : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %m = nnvm.max %e {axis = array<i64: 1>, keepdims = true} : (tensor<3x4x5xf32>) -> tensor<3x1x5xf32>
  %a = nnvm.abs %x : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %t = nnvm.transpose %a {axes = array<i64: 2, 0, 1>} : (tensor<3x4x5xf32>) -> tensor<5x3x4xf32>
  %n = nnvm.mean %t {axis = array<i64: 0>} : (tensor<5x3x4xf32>) -> tensor<3x4xf32>
  func.return %s, %m, %n : tensor<1x1x1xf32>, tensor<3x1x5xf32>, tensor<3x4xf32>
}
"""


@pytest.mark.parametrize("opt_level", [0, 2])
def test_reduction_of_a_fused_elementwise_op(tmp_path: Path, opt_level: int) -> None:
    """fuse-ops puts an elementwise producer in the group of the reduction that reads it (the
    expanded forms of ReduceSumSquare, ReduceL1, LogSoftmax, LayerNormalization); the producer
    is then computed in place and has no buffer, which the reduction asked for (a KeyError in
    the lowering stage)."""
    path = tmp_path / "reduce.mlir"
    path.write_text(REDUCE_OF_ELEMWISE)
    x = np.random.default_rng(0).standard_normal((3, 4, 5)).astype(np.float32)
    got = compile(path, target="cpu", opt_level=opt_level, cache=False).run(x)
    np.testing.assert_allclose(got[0], (x * x).sum(keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(got[1], np.exp(x).max(axis=1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(got[2], np.abs(x).transpose(2, 0, 1).mean(axis=0), rtol=1e-5)
