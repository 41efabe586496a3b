"""Resize, recurrent layers, signal ops and Einsum imported by decomposition into nnvm ops:
models built here, run on the reference target, compared with onnxruntime (or onnx's
ReferenceEvaluator where onnxruntime departs from the spec) at rtol 1e-4, atol 1e-5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from nnvm_dialect import compile
from nnvm_dialect.compiler import CompileError

F = TensorProto.FLOAT
RTOL, ATOL = 1e-4, 1e-5


def model(tmp_path: Path, node, inputs, outputs, inits=(), opset: int = 19) -> Path:  # type: ignore[no-untyped-def]
    graph = helper.make_graph([node], "g", inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / "model.onnx"
    onnx.save(m, str(path))
    return path


def expected(path: Path, feeds: dict[str, np.ndarray], runtime: str) -> list[np.ndarray]:
    if runtime == "onnxruntime":
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return session.run(None, feeds)
    return ReferenceEvaluator(str(path)).run(None, feeds)


def check(path: Path, feeds: dict[str, np.ndarray], runtime: str = "onnxruntime", **kw) -> None:  # type: ignore[no-untyped-def]
    got = compile(path, **kw).run(**feeds)
    want = expected(path, feeds, runtime)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)


def vi(name: str, shape, elem: int = F):  # type: ignore[no-untyped-def]
    return helper.make_tensor_value_info(name, elem, shape)


def const(name: str, value) -> onnx.TensorProto:  # type: ignore[no-untyped-def]
    return numpy_helper.from_array(np.asarray(value), name)


# Resize ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "scales", "out_shape"),
    [
        ({"mode": "linear"}, [1, 1, 1.7, 0.6], [1, 2, 8, 3]),
        ({"mode": "cubic", "coordinate_transformation_mode": "align_corners"},
         [1, 1, 0.8, 2.0], [1, 2, 4, 12]),
        ({"mode": "nearest", "nearest_mode": "ceil",
          "coordinate_transformation_mode": "asymmetric"}, [1, 1, 2.5, 1.5], [1, 2, 12, 9]),
    ],
)  # fmt: skip
def test_resize_with_scales_matches_onnxruntime(tmp_path: Path, attrs, scales, out_shape) -> None:  # type: ignore[no-untyped-def]
    node = helper.make_node("Resize", ["X", "", "scales"], ["Y"], **attrs)
    path = model(
        tmp_path, node, [vi("X", [1, 2, 5, 6])], [vi("Y", out_shape)],
        [const("scales", np.array(scales, np.float32))],
    )  # fmt: skip
    x = np.random.default_rng(0).standard_normal((1, 2, 5, 6)).astype(np.float32)
    check(path, {"X": x})


def test_resize_antialias_and_crop_follow_the_spec(tmp_path: Path) -> None:
    """onnxruntime's antialias differs from the spec's reference; compare with onnx's."""
    node = helper.make_node(
        "Resize", ["X", "", "", "sizes"], ["Y"], mode="cubic", antialias=1, axes=[3, 2]
    )
    path = model(
        tmp_path, node, [vi("X", [2, 1, 9, 7])], [vi("Y", [2, 1, 4, 3])],
        [const("sizes", np.array([3, 4], np.int64))],
    )  # fmt: skip
    x = np.random.default_rng(1).standard_normal((2, 1, 9, 7)).astype(np.float32)
    check(path, {"X": x}, runtime="reference")
    crop = helper.make_node(
        "Resize", ["X", "roi", "", "sizes"], ["Y"], mode="linear", extrapolation_value=5.0,
        coordinate_transformation_mode="tf_crop_and_resize",
    )  # fmt: skip
    roi = np.array([0, 0, -0.2, 0.3, 1, 1, 0.9, 1.4], np.float32)
    path = model(
        tmp_path, crop, [vi("X", [2, 1, 9, 7])], [vi("Y", [2, 1, 5, 6])],
        [const("roi", roi), const("sizes", np.array([2, 1, 5, 6], np.int64))],
    )  # fmt: skip
    check(path, {"X": x})


def test_resize_nearest_on_integers_is_exact_on_cpu(tmp_path: Path) -> None:
    node = helper.make_node("Resize", ["X", "", "scales"], ["Y"], mode="nearest")
    path = model(
        tmp_path, node, [vi("X", [1, 1, 3, 4], TensorProto.UINT8)],
        [vi("Y", [1, 1, 7, 2], TensorProto.UINT8)],
        [const("scales", np.array([1, 1, 2.4, 0.5], np.float32))],
    )  # fmt: skip
    x = np.arange(12, dtype=np.uint8).reshape(1, 1, 3, 4) * 7
    check(path, {"X": x}, target="cpu")


def test_resize_interpolating_integers_is_refused_by_name(tmp_path: Path) -> None:
    node = helper.make_node("Resize", ["X", "", "scales"], ["Y"], mode="linear", name="up")
    path = model(
        tmp_path, node, [vi("X", [1, 1, 3, 4], TensorProto.INT32)],
        [vi("Y", [1, 1, 6, 8], TensorProto.INT32)],
        [const("scales", np.array([1, 1, 2, 2], np.float32))],
    )  # fmt: skip
    with pytest.raises(CompileError, match=r"(?s)'up'.*mode 'linear' on int32"):
        compile(path)


# Recurrent layers --------------------------------------------------------------------------


def _recurrent_model(tmp_path: Path, kind: str, attrs: dict, seq: int = 3, batch: int = 2):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(2)
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[kind]
    hid, inp = 4, 3
    dirs = 2 if attrs.get("direction") == "bidirectional" else 1
    inits = [
        const("W", rng.standard_normal((dirs, gates * hid, inp)).astype(np.float32)),
        const("R", rng.standard_normal((dirs, gates * hid, hid)).astype(np.float32)),
        const("B", rng.standard_normal((dirs, 2 * gates * hid)).astype(np.float32)),
        const("lens", np.full(batch, seq, np.int32)),
        const("h0", rng.standard_normal((dirs, batch, hid)).astype(np.float32)),
    ]
    inputs = ["X", "W", "R", "B", "lens", "h0"]
    outputs = [vi("Y", [seq, dirs, batch, hid]), vi("Y_h", [dirs, batch, hid])]
    if kind == "LSTM":
        inits += [
            const("c0", rng.standard_normal((dirs, batch, hid)).astype(np.float32)),
            const("P", rng.standard_normal((dirs, 3 * hid)).astype(np.float32)),
        ]
        inputs += ["c0", "P"]
        outputs.append(vi("Y_c", [dirs, batch, hid]))
    node = helper.make_node(kind, inputs, [o.name for o in outputs], hidden_size=hid, **attrs)
    path = model(tmp_path, node, [vi("X", [seq, batch, inp])], outputs, inits, opset=14)
    return path, {"X": rng.standard_normal((seq, batch, inp)).astype(np.float32)}


@pytest.mark.parametrize(
    ("kind", "attrs"),
    [
        ("RNN", {"direction": "reverse", "activations": ["Relu"]}),
        ("GRU", {"direction": "bidirectional", "linear_before_reset": 1, "clip": 2.0}),
        ("GRU", {"activations": ["Sigmoid", "Relu"]}),
        ("LSTM", {"direction": "bidirectional"}),
    ],
)
def test_recurrent_layers_match_onnxruntime(tmp_path: Path, kind: str, attrs: dict) -> None:
    path, feeds = _recurrent_model(tmp_path, kind, attrs)
    check(path, feeds)


def test_recurrent_refuses_what_it_cannot_unroll(tmp_path: Path) -> None:
    path, _ = _recurrent_model(tmp_path, "LSTM", {"input_forget": 1})
    with pytest.raises(CompileError, match="input_forget = 1"):
        compile(path)
    path, _ = _recurrent_model(tmp_path, "RNN", {"activations": ["Softsign"]})
    with pytest.raises(CompileError, match="activation 'Softsign'"):
        compile(path)


# Signal ops --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "length", "parts"),
    [({"onesided": 1}, 12, 1), ({"inverse": 1}, 5, 2), ({}, 8, 2)],
)
def test_dft_with_length_and_axis_matches_onnxruntime(tmp_path: Path, attrs, length, parts) -> None:  # type: ignore[no-untyped-def]
    """dft_length pads (12 > 7) or truncates (5 < 7) the transformed axis 1 of 3."""
    rng = np.random.default_rng(3)
    bins = length // 2 + 1 if attrs.get("onesided") else length
    node = helper.make_node("DFT", ["X", "n", "axis"], ["Y"], **attrs)
    path = model(
        tmp_path, node, [vi("X", [2, 7, 3, parts])], [vi("Y", [2, bins, 3, 2])],
        [const("n", np.array(length, np.int64)), const("axis", np.array(1, np.int64))],
        opset=20,
    )  # fmt: skip
    check(path, {"X": rng.standard_normal((2, 7, 3, parts)).astype(np.float32)})


def test_stft_and_windows_match_the_reference(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    node = helper.make_node("STFT", ["X", "step", "w"], ["Y"], onesided=0)
    path = model(
        tmp_path, node, [vi("X", [2, 40, 2]), vi("w", [8])], [vi("Y", [2, 7, 8, 2])],
        [const("step", np.array(5, np.int64))], opset=17,
    )  # fmt: skip
    feeds = {
        "X": rng.standard_normal((2, 40, 2)).astype(np.float32),
        "w": rng.random(8).astype(np.float32),
    }
    check(path, feeds, runtime="reference")
    for op, periodic in (("HannWindow", 1), ("HammingWindow", 0), ("BlackmanWindow", 1)):
        node = helper.make_node(op, ["size"], ["Y"], periodic=periodic, output_datatype=11)
        path = model(
            tmp_path, node, [], [vi("Y", [9], TensorProto.DOUBLE)],
            [const("size", np.array(9, np.int32))], opset=17,
        )  # fmt: skip
        check(path, {}, runtime="reference")


# Einsum ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("equation", "shapes"),
    [
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
        ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
        ("...ii,i->...", [(2, 3, 4, 4), (4,)]),
        ("i,j", [(3,), (4,)]),
        ("iij->j", [(3, 3, 2)]),
    ],
)
def test_einsum_matches_onnxruntime(tmp_path: Path, equation: str, shapes) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    names = [f"x{i}" for i in range(len(shapes))]
    feeds = {n: rng.standard_normal(s).astype(np.float32) for n, s in zip(names, shapes)}
    want = np.einsum(equation, *feeds.values())
    node = helper.make_node("Einsum", names, ["Y"], equation=equation)
    path = model(
        tmp_path, node, [vi(n, list(s)) for n, s in zip(names, shapes)],
        [vi("Y", list(want.shape))], opset=12,
    )  # fmt: skip
    check(path, feeds)


# GridSample and AffineGrid -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "padding", "align"),
    [("cubic", "border", 0), ("linear", "reflection", 1), ("nearest", "zeros", 0)],
)
def test_grid_sample_beyond_the_borders_follows_the_spec(
    tmp_path: Path, mode, padding, align
) -> None:  # type: ignore[no-untyped-def]
    """Grid values up to 3.3 reflect several times; compared with onnx's reference."""
    rng = np.random.default_rng(6)
    node = helper.make_node(
        "GridSample", ["X", "G"], ["Y"], mode=mode, padding_mode=padding, align_corners=align
    )
    path = model(
        tmp_path, node, [vi("X", [2, 3, 4, 5]), vi("G", [2, 6, 7, 2])], [vi("Y", [2, 3, 6, 7])],
        opset=20,
    )  # fmt: skip
    feeds = {
        "X": rng.standard_normal((2, 3, 4, 5)).astype(np.float32),
        "G": rng.uniform(-3.3, 3.3, (2, 6, 7, 2)).astype(np.float32),
    }
    check(path, feeds, runtime="reference")


def test_affine_grid_matches_onnxruntime(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    node = helper.make_node("AffineGrid", ["theta", "size"], ["Y"], align_corners=1)
    path = model(
        tmp_path, node, [vi("theta", [2, 3, 4])], [vi("Y", [2, 3, 4, 5, 3])],
        [const("size", np.array([2, 1, 3, 4, 5], np.int64))], opset=20,
    )  # fmt: skip
    check(path, {"theta": rng.standard_normal((2, 3, 4)).astype(np.float32)})


@pytest.mark.parametrize("mode", ["avg", "max"])
def test_roi_align_with_rois_past_the_edges_follows_the_spec(tmp_path: Path, mode: str) -> None:
    rng = np.random.default_rng(8)
    node = helper.make_node(
        "RoiAlign", ["X", "rois", "bi"], ["Y"], mode=mode, spatial_scale=0.5, sampling_ratio=2,
        output_height=3, output_width=4, coordinate_transformation_mode="output_half_pixel",
    )  # fmt: skip
    path = model(
        tmp_path, node,
        [vi("X", [2, 3, 7, 9]), vi("rois", [5, 4]), vi("bi", [5], TensorProto.INT64)],
        [vi("Y", [5, 3, 3, 4])], opset=16,
    )  # fmt: skip
    corner = rng.uniform(-4, 14, (5, 2))
    feeds = {
        "X": rng.standard_normal((2, 3, 7, 9)).astype(np.float32),
        "rois": np.concatenate([corner, corner + rng.uniform(0.2, 8, (5, 2))], 1).astype(
            np.float32
        ),
        "bi": rng.integers(0, 2, 5).astype(np.int64),
    }
    check(path, feeds, runtime="reference")
