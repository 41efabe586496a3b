"""float16 on the CPU target against the reference semantics, on shapes large enough to show
how sums are taken (the generic differential test draws small ones).

The reference sums in double and rounds to half once, as numpy's float16 matmul rounds once from
float32. Summing in half instead drifts by several half ulps over a few hundred terms, which the
products below (K = 4096 or 576, positive terms, so no cancellation) show. Reductions sum in double; their conversion back to half once crashed the JIT process.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnvm_dialect.compiler import compile

RTOL = 1e-3
"""For prod, whose double result is itself rounded: about one half ulp."""


def assert_within_one_ulp(got: np.ndarray, want: np.ndarray) -> None:
    """A single rounding of a float32 sum instead of a double one may land one ulp away; a sum
    rounded to half at every step lands several away (the vectorised partial sums of a dot
    product hide it at small K, hence K = 4096)."""
    ulp = np.spacing(np.abs(want)).astype(np.float64)
    error = np.abs(got.astype(np.float64) - want.astype(np.float64))
    assert (error <= ulp).all(), (error / ulp).max()


PRODUCTS = {
    "dense": (
        "nnvm.dense %a, %b {units = 8 : i64, use_bias = false}",
        [(4, 4096), (8, 4096)],
        (4, 8),
    ),
    "dense_bias": ("nnvm.dense %a, %b, %c {units = 8 : i64}", [(3, 4096), (8, 4096), (8,)], (3, 8)),
    "matmul": ("nnvm.matmul %a, %b", [(4, 4096), (4096, 8)], (4, 8)),
    "matmul_transposed": (
        "nnvm.matmul %a, %b {transpose_a = true}",
        [(4096, 3), (4096, 5)],
        (3, 5),
    ),
    "batch_matmul": ("nnvm.batch_matmul %a, %b", [(2, 4, 4096), (2, 8, 4096)], (2, 4, 8)),
    "softmax": ("nnvm.softmax %a", [(2, 4096)], (2, 4096)),
    "log_softmax": ("nnvm.log_softmax %a", [(2, 4096)], (2, 4096)),
    "conv2d": (
        "nnvm.conv2d %a, %b {channels = 4 : i64, kernel_size = array<i64: 3, 3>,"
        " padding = array<i64: 1, 1>, use_bias = false}",
        [(1, 64, 5, 5), (4, 64, 3, 3)],
        (1, 4, 5, 5),
    ),
    "conv2d_transpose": (
        "nnvm.conv2d_transpose %a, %b {channels = 4 : i64, kernel_size = array<i64: 3, 3>,"
        " use_bias = false}",
        [(1, 64, 3, 3), (64, 4, 3, 3)],
        (1, 4, 5, 5),
    ),
}


def tensor(shape: tuple[int, ...], t: str = "f16") -> str:
    return f"tensor<{'x'.join(map(str, shape))}{'x' if shape else ''}{t}>"


def run_both(tmp_path: Path, text: str, shapes, out, inputs) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """The op `text` (operands %a, %b, %c) on both targets."""
    names = "abc"[: len(shapes)]
    args = ", ".join(f"%{n}: {tensor(s)}" for n, s in zip(names, shapes))
    types = ", ".join(tensor(s) for s in shapes)
    path = tmp_path / "op.mlir"
    path.write_text(
        f"func.func @main({args}) -> {tensor(out)} {{\n"
        f"  %y = {text} : ({types}) -> {tensor(out)}\n"
        f"  func.return %y : {tensor(out)}\n}}\n"
    )
    want = compile(path, target="reference").run(*inputs)[0]
    got = compile(path, target="cpu", cache=False).run(*inputs)[0]
    assert got.dtype == want.dtype == np.float16 and got.shape == want.shape
    return got, want


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_float16_sums_in_float32(tmp_path: Path, name: str) -> None:
    text, shapes, out = PRODUCTS[name]
    rng = np.random.default_rng(0)
    inputs = [rng.random(s).astype(np.float16) for s in shapes]
    got, want = run_both(tmp_path, text, shapes, out, inputs)
    assert_within_one_ulp(got, want)


@pytest.mark.parametrize(
    ("kind", "attrs", "out"),
    [
        ("sum", "axis = array<i64: 1>, keepdims = true", (2, 1, 8)),
        ("sum", "axis = array<i64: 0, 2>", (4,)),
        ("sum", "axis = array<i64: 0, 1, 2>", (1,)),
        ("mean", "axis = array<i64: 2>", (2, 4)),
        ("prod", "axis = array<i64: 1>", (2, 8)),
    ],
)
def test_float16_reductions_round_once(tmp_path: Path, kind: str, attrs: str, out) -> None:  # type: ignore[no-untyped-def]
    """The ONNX ReduceSum over a 2x4x8 half tensor that crashed (signal 11). Sums of 64 halves
    are exact in double, so both targets round the same value once."""
    x = np.random.default_rng(1).standard_normal((2, 4, 8)).astype(np.float16)
    text = f"nnvm.{kind} %a {{{attrs}}}" if attrs else f"nnvm.{kind} %a"
    got, want = run_both(tmp_path, text, [x.shape], out, [x])
    if kind == "prod":
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=RTOL)
    else:
        np.testing.assert_array_equal(got, want)
