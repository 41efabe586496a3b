"""Integer and bit-level ONNX ops on the reference and CPU targets: the edge values the node
tests do not reach (MIN / -1, division by zero, unsigned wrap-around, shift counts out of range,
modulo near the dtype's limits, float modulo's signed zeros and infinities), compared exactly
with onnx's reference evaluator, onnxruntime or numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import helper
from onnx.reference import ReferenceEvaluator

from nnvm_dialect import compile

TARGETS = ["reference", "cpu"]
SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]
BOOL = onnx.TensorProto.BOOL
ARITHMETIC = [
    ("Add", {}),
    ("Sub", {}),
    ("Mul", {}),
    ("Div", {}),
    ("Mod", {"fmod": 1}),
    ("Mod", {"fmod": 0}),
    ("Max", {}),
    ("Min", {}),
]
COMPARISONS = ["Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Equal"]


def save(
    tmp_path: Path,
    nodes: list[tuple[str, dict]],
    dtype: type,
    size: int,
    n_in: int = 2,
    name: str = "model",
) -> Path:
    """One graph applying each (op, attributes) to the inputs a (and b), output k by node k."""
    elem = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    names = ["a", "b"][:n_in]
    made, outputs = [], []
    for k, (op, attrs) in enumerate(nodes):
        made.append(helper.make_node(op, names, [f"y{k}"], name=f"n{k}", **attrs))
        boolean = op in COMPARISONS or op == "IsInf"
        outputs.append(helper.make_tensor_value_info(f"y{k}", BOOL if boolean else elem, [size]))
    graph = helper.make_graph(
        made, "g", [helper.make_tensor_value_info(n, elem, [size]) for n in names], outputs
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    path = tmp_path / f"{name}.onnx"
    onnx.save(m, str(path))
    return path


def onnxruntime_outputs(path: Path, *arrays: np.ndarray) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, dict(zip("ab", arrays)))


def wrapped(values: list[int], dtype: type) -> np.ndarray:
    """Python ints in `dtype`, wrapping as C's conversions do (-1 is the largest unsigned)."""
    bits = np.iinfo(dtype).bits
    unsigned = np.array([v % (1 << bits) for v in values], f"u{bits // 8}")
    return unsigned.view(dtype)


def pairs(dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of the dtype's limit values and small ones."""
    info = np.iinfo(dtype)
    raw = [int(info.min), int(info.min) + 1, -7, -1, 0, 1, 7, int(info.max) - 1, int(info.max)]
    v = np.unique(wrapped(raw, dtype))
    a, b = np.meshgrid(v, v)
    return a.reshape(-1), b.reshape(-1)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("dtype", SIGNED + UNSIGNED)
def test_integer_arithmetic_and_comparisons_at_the_limits(
    tmp_path: Path, target: str, dtype: type
) -> None:
    """+ - * wrap, / truncates, fmod and numpy's mod, max, min and unsigned comparisons match
    onnx's reference evaluator (onnxruntime lacks most of these kernels for i16 and unsigned
    types); a zero divisor gives 0 (ONNX leaves it undefined) and MIN / -1 wraps to MIN (a trap
    in C), checked here."""
    a, b = pairs(dtype)
    nodes = ARITHMETIC + [(op, {}) for op in COMPARISONS]
    path = save(tmp_path, nodes, dtype, a.size)
    got = compile(path, target=target).run(a, b)
    is_min = a == np.iinfo(dtype).min
    trap = (b == 0) | (is_min & (b == wrapped([-1], dtype)) & (np.iinfo(dtype).min < 0))
    safe = ~trap
    safe_path = save(tmp_path, nodes, dtype, int(safe.sum()), name="safe")
    want = ReferenceEvaluator(str(safe_path)).run(None, {"a": a[safe], "b": b[safe]})
    for (op, attrs), g, w in zip(nodes, got, want):
        assert g.dtype == w.dtype, op
        np.testing.assert_array_equal(g[safe], w, err_msg=f"{op} {attrs}")
        if op in ("Div", "Mod"):
            expected = np.where(b == 0, 0, a if op == "Div" else 0)  # MIN / -1 == MIN
            np.testing.assert_array_equal(g[trap], expected[trap].astype(dtype), err_msg=op)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("dtype", SIGNED + UNSIGNED)
def test_bit_shift_counts_in_and_out_of_range(tmp_path: Path, target: str, dtype: type) -> None:
    """Counts below 0 and at or above the width give 0 or the sign fill, as onnx's reference
    evaluator does (onnxruntime takes unsigned types only)."""
    info = np.iinfo(dtype)
    counts = np.arange(-3 if info.min < 0 else 0, info.bits + 3)
    a = np.resize(wrapped([int(info.min), -5, 1, 7, int(info.max)], dtype), counts.size)
    n = wrapped([int(c) for c in counts], dtype)
    nodes = [("BitShift", {"direction": "LEFT"}), ("BitShift", {"direction": "RIGHT"})]
    path = save(tmp_path, nodes, dtype, a.size)
    got = compile(path, target=target).run(a, n)
    want = ReferenceEvaluator(str(path)).run(None, {"a": a, "b": n})
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("target", TARGETS)
def test_float_mod_fmod_0_keeps_numpys_signs_and_special_values(
    tmp_path: Path, target: str
) -> None:
    inf, nan = np.inf, np.nan
    a = np.array([-3, 3, -3, 3, -0.0, 0.0, -1, 1, inf, 5, 5, nan, 6, -6, -1e-30], np.float32)
    b = np.array([2, -2, -inf, inf, 2, -2, inf, -inf, 2, 0, nan, 1, 3, 3, 3], np.float32)
    path = save(tmp_path, [("Mod", {"fmod": 0})], np.float32, a.size)
    with np.errstate(all="ignore"):
        want = np.mod(a, b)
    (got,) = compile(path, target=target).run(a, b)
    np.testing.assert_array_equal(got, want)
    assert (np.signbit(got) == np.signbit(want)).all()


@pytest.mark.parametrize("target", TARGETS)
def test_isinf_detects_the_signs_asked_for(tmp_path: Path, target: str) -> None:
    x = np.array([np.inf, -np.inf, np.nan, 0, 1e30, -1e30], np.float32)
    nodes = [
        ("IsInf", {"detect_positive": pos, "detect_negative": neg})
        for pos in (0, 1)
        for neg in (0, 1)
    ]
    path = save(tmp_path, nodes, np.float32, x.size, n_in=1)
    got = compile(path, target=target).run(x)
    for g, w in zip(got, onnxruntime_outputs(path, x)):
        np.testing.assert_array_equal(g, w)
