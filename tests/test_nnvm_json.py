"""NNVM graph JSON: import (NNVM's and MXNet's spellings), export, round trips, bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from nnvm_dialect import compile
from nnvm_dialect.frontend import FrontendError, load
from nnvm_dialect.frontend.dot import write_dot
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.frontend.nnvm_json import export_json, import_json
from nnvm_dialect.tools import nnvm_opt

DENSE_RELU = {
    "nodes": [
        {"op": "null", "name": "x", "inputs": []},
        {"op": "null", "name": "w", "inputs": []},
        {"op": "null", "name": "b", "inputs": []},
        {
            "op": "dense",
            "name": "fc",
            "attrs": {"units": "4"},
            "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]],
        },
        {"op": "relu", "name": "act", "inputs": [[3, 0, 0]]},
    ],
    "arg_nodes": [0, 1, 2],
    "node_row_ptr": [0, 1, 2, 3, 4, 5],
    "heads": [[4, 0, 0]],
    "attrs": {
        "shape": ["list_shape", [[2, 8], [4, 8], [4], [2, 4], [2, 4]]],
        "dtype": ["list_int", [0, 0, 0, 0, 0]],
    },
}

CNN = {
    "nodes": [
        {"op": "null", "name": "data", "inputs": [], "attrs": {"__shape__": "(1,3,8,8)"}},
        {"op": "null", "name": "conv_w", "inputs": [], "attrs": {"__shape__": "(4,3,3,3)"}},
        {
            "op": "conv2d",
            "name": "conv",
            "attrs": {
                "channels": "4",
                "kernel_size": "(3,3)",
                "padding": "(1,1)",
                "use_bias": "False",
            },
            "inputs": [[0, 0, 0], [1, 0, 0]],
        },
        {
            "op": "split",
            "name": "halves",
            "attrs": {"indices_or_sections": "2", "axis": "1"},
            "inputs": [[2, 0, 0]],
        },
        {
            "op": "max_pool2d",
            "name": "pool",
            "attrs": {"pool_size": "[2,2]", "strides": "[2,2]", "ceil_mode": "True"},
            "inputs": [[3, 1, 0]],
        },
        {"op": "elemwise_add", "name": "add", "inputs": [[3, 0, 0], [3, 1, 0]]},
    ],
    "arg_nodes": [0, 1],
    "heads": [[4, 0, 0], [5, 0, 0]],
}


def write(tmp_path: Path, graph: object, name: str = "graph.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(graph) if not isinstance(graph, str) else graph)
    return path


def test_import_runs_the_documented_example(tmp_path: Path) -> None:
    model = compile(write(tmp_path, DENSE_RELU))
    assert model.input_names == ["x", "w", "b"]
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in [(2, 8), (4, 8), (4,)])
    (y,) = model.run(x, w, b)
    np.testing.assert_allclose(y, np.maximum(x @ w.T + b, 0), rtol=1e-5, atol=1e-6)


def _graph_essentials(graph: dict) -> tuple:
    nodes = [
        (n["op"], n["name"], n.get("attrs", {}), [e[:2] for e in n["inputs"]])
        for n in graph["nodes"]
    ]
    return nodes, [h[:2] for h in graph["heads"]], graph["arg_nodes"]


@pytest.mark.parametrize("graph", [DENSE_RELU, CNN], ids=["dense_relu", "cnn"])
def test_round_trip_keeps_ops_attributes_edges_and_heads(tmp_path: Path, graph: dict) -> None:
    exported = export_json(import_json(write(tmp_path, graph)))
    original = json.loads(json.dumps(graph))
    for node in original["nodes"]:  # hidden keys are read (as types), not kept
        attrs = {k: v for k, v in node.get("attrs", {}).items() if not k.startswith("__")}
        node.pop("attrs", None)
        if attrs:
            node["attrs"] = attrs
    got, want = _graph_essentials(exported), _graph_essentials(original)
    assert got[1:] == want[1:]
    for (op, name, attrs, inputs), (op2, name2, attrs2, inputs2) in zip(got[0], want[0]):
        assert (op, name, inputs) == (op2, name2, inputs2)
        # Attribute strings are normalised ((3,3) -> [3,3]) and defaults are written out.
        norm = {k: v.replace("(", "[").replace(")", "]").lower() for k, v in attrs2.items()}
        assert {k: v.lower() for k, v in attrs.items() if k in norm} == norm
    # And the exported file imports to the same IR.
    again = import_json(write(tmp_path, exported, "again.json"))
    assert str(again) == str(import_json(write(tmp_path, graph)))


def test_export_has_inferred_shapes_dtypes_and_row_pointers(tmp_path: Path) -> None:
    graph = export_json(import_json(write(tmp_path, CNN)))
    shapes = graph["attrs"]["shape"][1]
    assert graph["node_row_ptr"] == [0, 1, 2, 3, 5, 6, 7]
    assert shapes == [
        [1, 3, 8, 8],
        [4, 3, 3, 3],
        [1, 4, 8, 8],
        [1, 2, 8, 8],
        [1, 2, 8, 8],
        [1, 2, 4, 4],
        [1, 2, 8, 8],
    ]
    assert graph["attrs"]["dtype"][1] == [0] * 7
    assert graph["attrs"]["dltype"][1] == ["float32"] * 7
    assert "storage_id" not in graph["attrs"]


def test_export_writes_the_memory_plan() -> None:
    text = """
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = nnvm.relu %x {nnvm.storage_id = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xf32>
      %1 = nnvm.exp %0 {nnvm.storage_id = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
      %2 = nnvm.tanh %1 {nnvm.storage_id = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xf32>
      %3 = nnvm.sigmoid %2 {nnvm.storage_id = array<i64: -1>} : (tensor<4xf32>) -> tensor<4xf32>
      func.return %3 : tensor<4xf32>
    }
    """
    graph = export_json(parse_mlir(make_context(), text, "plan.mlir"))
    # The input and the unplanned output get fresh ids, as NNVM's DecorateMemoryPlan does.
    assert graph["attrs"]["storage_id"] == ["list_int", [2, 0, 1, 0, 3]]


def test_mxnet_names_are_imported(tmp_path: Path) -> None:
    graph = {
        "nodes": [
            {"op": "null", "name": "data", "inputs": [], "attrs": {"__shape__": "(2,3,6,6)"}},
            {
                "op": "null",
                "name": "conv_weight",
                "inputs": [],
                "attrs": {"__shape__": "(5,3,3,3)"},
            },
            {"op": "null", "name": "conv_bias", "inputs": [], "attrs": {"__shape__": "(5,)"}},
            {
                "op": "Convolution",
                "name": "conv",
                "param": {"num_filter": "5", "kernel": "(3,3)", "pad": "(1,1)", "no_bias": "False"},
                "inputs": [[0, 0], [1, 0], [2, 0]],
            },
            {"op": "Activation", "name": "relu", "attr": {"act_type": "relu"}, "inputs": [[3, 0]]},
            {
                "op": "Pooling",
                "name": "gap",
                "attrs": {"pool_type": "max", "kernel": "(6,6)"},
                "inputs": [[4, 0]],
            },
            {"op": "Flatten", "name": "flat", "inputs": [[5, 0]]},
            {"op": "null", "name": "fc_weight", "inputs": [], "attrs": {"__shape__": "(7,5)"}},
            {
                "op": "FullyConnected",
                "name": "fc",
                "attrs": {"num_hidden": "7", "no_bias": "True"},
                "inputs": [[6, 0], [7, 0]],
            },
        ],
        "arg_nodes": [0, 1, 2, 7],
        "heads": [[8, 0]],
    }
    module = load(write(tmp_path, graph))
    names = [op.name for op in module.walk() if op.name.startswith("nnvm.")]
    assert names == ["nnvm.conv2d", "nnvm.relu", "nnvm.max_pool2d", "nnvm.flatten", "nnvm.dense"]
    model = compile(module)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    w = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    fw = rng.standard_normal((7, 5)).astype(np.float32)
    (y,) = model.run(x, w, b, fw)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros((2, 5, 6, 6), np.float64)
    for i in range(6):
        for j in range(6):
            conv[:, :, i, j] = np.einsum("nchw,ochw->no", padded[:, :, i : i + 3, j : j + 3], w)
    conv = np.maximum(conv + b[None, :, None, None], 0)
    np.testing.assert_allclose(y, conv.max(axis=(2, 3)) @ fw.T, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"nodes": [', "graph.json:1:12: error: invalid JSON"),
        ('{"nodes": []}', "'arg_nodes' is missing"),
        ("[1, 2]", "needs a 'nodes' list"),
        (json.dumps({**DENSE_RELU, "heads": [[9, 0, 0]]}), "head [9, 0] names no node"),
        (
            json.dumps(
                {
                    **DENSE_RELU,
                    "nodes": [
                        *DENSE_RELU["nodes"][:3],
                        {**DENSE_RELU["nodes"][3], "inputs": [[4, 0, 0]]},
                        DENSE_RELU["nodes"][4],
                    ],
                }
            ),
            "uses node 4, which is not an earlier node",
        ),
        (
            json.dumps(
                {
                    **DENSE_RELU,
                    "nodes": [
                        *DENSE_RELU["nodes"][:4],
                        {"op": "frobnicate", "name": "act", "inputs": [[3, 0, 0]]},
                    ],
                }
            ),
            "node 'act' (frobnicate): unknown op 'frobnicate'",
        ),
        (
            json.dumps(
                {
                    **DENSE_RELU,
                    "nodes": [
                        *DENSE_RELU["nodes"][:3],
                        {**DENSE_RELU["nodes"][3], "attrs": {"units": "four"}},
                        DENSE_RELU["nodes"][4],
                    ],
                }
            ),
            "attribute 'units' = 'four'",
        ),
        (
            json.dumps(
                {
                    **DENSE_RELU,
                    "nodes": [
                        *DENSE_RELU["nodes"][:3],
                        {**DENSE_RELU["nodes"][3], "attrs": {"units": "4", "bogus": "1"}},
                        DENSE_RELU["nodes"][4],
                    ],
                }
            ),
            "unknown attribute 'bogus'",
        ),
        (
            json.dumps(
                {
                    **DENSE_RELU,
                    "nodes": [
                        *DENSE_RELU["nodes"][:3],
                        {**DENSE_RELU["nodes"][3], "attrs": {"units": "5"}},
                        DENSE_RELU["nodes"][4],
                    ],
                }
            ),
            "node 'fc' (dense):",
        ),
    ],
)
def test_malformed_json_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FrontendError) as info:
        load(path)
    assert message in str(info.value)
    with pytest.raises(SystemExit) as exit_info:
        nnvm_opt.main([str(path)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_nnvm_opt_writes_json_and_dot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, DENSE_RELU)
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as info:
        nnvm_opt.main([str(path), "-t", "json", "-o", str(out)])
    assert info.value.code == 0
    written = json.loads(out.read_text())
    assert written["nodes"][3]["attrs"] == {"units": "4", "use_bias": "True"}
    assert written["heads"] == DENSE_RELU["heads"]
    assert [n["inputs"] for n in written["nodes"]] == [n["inputs"] for n in DENSE_RELU["nodes"]]
    stream = io.StringIO()
    write_dot(import_json(path), stream)
    dot = stream.getvalue()
    assert dot.startswith("digraph") and 'label="dense (fc)\\nunits=4' in dot
    assert "main_in0 -> main_op0" in dot and "main_op0 -> main_op1" in dot
