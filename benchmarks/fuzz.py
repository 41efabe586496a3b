"""Fuzz every reader: mutated .mlir, .onnx and .json files through nnvm-opt and nnvm-run.

    python benchmarks/fuzz.py [--count N] [--seed S] [--timeout SECONDS] [--keep DIR]

Each input runs in a forked child (warm imports, so hundreds of inputs take seconds) under a
timeout and a memory limit. It must end in success (status 0) or a located error (status 1 with
`error:` on stderr) and never print a Python traceback, hang or die. The mutations are
byte-level (flips, inserts of quotes and brackets, truncation) and structural: for .mlir,
tokens dropped, doubled, swapped or replaced by extreme numbers; for .onnx, wrong shapes,
missing initializers, dangling inputs, cycles, unknown domains and op types, absurd dims; for
.json, missing keys, bad node ids, absurd shapes, wrong value kinds.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import multiprocessing
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMORY_LIMIT = 3 << 30
"""Bytes a child may map: an absurd dim becomes a MemoryError, not a machine out of memory."""


@dataclass
class Outcome:
    tool: str
    kind: str
    mutation: str
    status: str  # "ok", "error", or what went wrong: "traceback", "hang", "died", "exit N"
    stderr: str

    @property
    def bad(self) -> bool:
        return self.status not in ("ok", "error")


# Seeds ------------------------------------------------------------------------------------

MLIR_SEED = (ROOT / "examples" / "cnn.mlir").read_text()

JSON_SEED = {
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
        {"op": "softmax", "name": "prob", "attrs": {"axis": "1"}, "inputs": [[4, 0, 0]]},
    ],
    "arg_nodes": [0, 1, 2],
    "node_row_ptr": [0, 1, 2, 3, 4, 5, 6],
    "heads": [[5, 0, 0]],
    "attrs": {
        "shape": ["list_shape", [[2, 8], [4, 8], [4], [2, 4], [2, 4], [2, 4]]],
        "dtype": ["list_int", [0, 0, 0, 0, 0, 0]],
    },
}


def onnx_seeds() -> list[bytes]:
    """Small models that import: a CNN with weights, and an element-wise graph."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "b")
    shape = numpy_helper.from_array(np.array([1, -1], np.int64), "shape")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu1"),
        helper.make_node(
            "MaxPool", ["r"], ["p"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]
        ),
        helper.make_node("Reshape", ["p", "shape"], ["f"], name="flat"),
        helper.make_node("Softmax", ["f"], ["y"], name="prob", axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])],
        [w, b, shape],
    )
    cnn = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    nodes2 = [
        helper.make_node("Add", ["a", "b"], ["s"], name="add"),
        helper.make_node("Mul", ["s", "a"], ["m"], name="mul"),
        helper.make_node("Tanh", ["m"], ["y"], name="tanh"),
    ]
    graph2 = helper.make_graph(
        nodes2,
        "elem",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
    )
    elem = helper.make_model(graph2, opset_imports=[helper.make_opsetid("", 14)])
    return [cnn.SerializeToString(), elem.SerializeToString()]


# Mutations --------------------------------------------------------------------------------

SPECIAL = [
    b'"',
    b"{",
    b"}",
    b"<",
    b">",
    b"(",
    b")",
    b"%",
    b"\\",
    b"\x00",
    b"\xff",
    b"^",
    b"#",
    b"@",
    b"//",
    b"\n",
    b"-",
    b"x",
    b"?",
    b"*",
]


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    kind = rng.choice(["flip", "insert", "delete", "truncate", "duplicate"])
    if not b:
        return bytes(rng.choice(SPECIAL)), "insert"
    pos = rng.randrange(len(b))
    if kind == "flip":
        b[pos] ^= 1 << rng.randrange(8)
    elif kind == "insert":
        b[pos:pos] = rng.choice(SPECIAL)
    elif kind == "delete":
        del b[pos : pos + rng.randint(1, 8)]
    elif kind == "truncate":
        del b[pos:]
    else:
        end = min(len(b), pos + rng.randint(1, 32))
        b[pos:pos] = b[pos:end]
    return bytes(b), f"bytes:{kind}@{pos}"


TOKEN = re.compile(r"%[\w.]+|@[\w.]+|\"[^\"\n]*\"|-?\d+(?:\.\d+)?(?:e-?\d+)?|[\w.]+|\S")
EXTREMES = [
    "0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1e309",
    "nan",
    "0x",
    "?",
    '""',
]


def mutate_mlir_tokens(text: str, rng: random.Random) -> tuple[str, str]:
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    if not tokens:
        return text, "tokens:none"
    start, end = rng.choice(tokens)
    kind = rng.choice(["drop", "double", "swap", "extreme", "quote"])
    if kind == "drop":
        return text[:start] + text[end:], f"tokens:drop {text[start:end]!r}"
    if kind == "double":
        return text[:end] + " " + text[start:end] + text[end:], f"tokens:double {text[start:end]!r}"
    if kind == "swap":
        s2, e2 = rng.choice(tokens)
        if s2 < start:
            start, end, s2, e2 = s2, e2, start, end
        if s2 < end:
            return text, "tokens:swap-overlap"
        return (
            text[:start] + text[s2:e2] + text[end:s2] + text[start:end] + text[e2:],
            "tokens:swap",
        )
    if kind == "quote":
        return text[:start] + '"' + text[start:], "tokens:stray-quote"
    value = rng.choice(EXTREMES)
    return text[:start] + value + text[end:], f"tokens:extreme {text[start:end]!r}->{value}"


def mutate_onnx_structure(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    import onnx

    model = onnx.ModelProto()
    model.ParseFromString(data)
    g = model.graph
    kind = rng.choice(
        [
            "shape",
            "absurd",
            "drop-init",
            "dangling",
            "cycle",
            "domain",
            "optype",
            "attr",
            "opset",
            "output",
            "dtype",
        ]
    )
    node = rng.choice(g.node) if len(g.node) else None
    if kind in ("shape", "absurd") and g.input:
        dims = g.input[0].type.tensor_type.shape.dim
        if dims:
            d = rng.choice(dims)
            d.dim_value = (
                rng.choice([0, 1, 7, 2**40, 2**62]) if kind == "absurd" else rng.randint(1, 9)
            )
    elif kind == "drop-init" and g.initializer:
        del g.initializer[rng.randrange(len(g.initializer))]
    elif kind == "dangling" and node is not None and node.input:
        node.input[rng.randrange(len(node.input))] = "nowhere"
    elif kind == "cycle" and node is not None and node.input and node.output:
        last = g.node[len(g.node) - 1]
        node.input[0] = last.output[0] if last.output else node.output[0]
    elif kind == "domain" and node is not None:
        node.domain = rng.choice(["com.example", "ai.onnx.ml", "x"])
    elif kind == "optype" and node is not None:
        node.op_type = rng.choice(["Frobnicate", "LSTM", "Loop", "If", "Relu", "Conv", "Gemm"])
    elif kind == "attr" and node is not None:
        node.attribute.append(
            onnx.helper.make_attribute(
                rng.choice(["auto_pad", "axis", "pads", "kernel_shape", "mode"]),
                rng.choice(["SAME_UPPER", 99, [1, 2, 3], "reflect", -5]),
            )  # fmt: skip
        )
    elif kind == "opset":
        model.opset_import[0].version = rng.choice([1, 5, 6, 7, 99])
    elif kind == "output" and g.output:
        g.output[0].name = rng.choice(["nothing", g.input[0].name if g.input else "x"])
    elif kind == "dtype" and g.input:
        g.input[0].type.tensor_type.elem_type = rng.choice([0, 8, 16, 17, 99])
    return model.SerializeToString(), f"onnx:{kind}"


def mutate_json_structure(graph: dict, rng: random.Random) -> tuple[str, str]:
    g = copy.deepcopy(graph)
    kind = rng.choice(
        ["drop-key", "bad-id", "absurd-shape", "kind", "op", "attr", "heads", "nodes-type"]
    )
    node = rng.choice(g["nodes"])
    if kind == "drop-key":
        key = rng.choice(["nodes", "arg_nodes", "heads", "node_row_ptr", "attrs"])
        g.pop(key, None)
    elif kind == "bad-id":
        target = rng.choice([n for n in g["nodes"] if n["inputs"]] or g["nodes"])
        if target["inputs"]:
            target["inputs"][0][0] = rng.choice([-1, 99, 5, 2**70])
    elif kind == "absurd-shape":
        g["attrs"]["shape"][1][0] = rng.choice([[2**40, 8], [-3, 8], [], [2, 8, 1], "x"])
    elif kind == "kind":
        node["inputs"] = rng.choice(["x", [["a"]], [[0]], {"a": 1}, None])
    elif kind == "op":
        node["op"] = rng.choice(["Frobnicate", "FullyConnected", "null", "conv2d", 7])
    elif kind == "attr":
        node["attrs"] = {
            rng.choice(["units", "axis", "bogus"]): rng.choice(["-1", "x", "(1,2)", "1e9", ""])
        }
    elif kind == "heads":
        g["heads"] = rng.choice([[[9, 0, 0]], [[4, 3, 0]], [], "x"])
    else:
        g["nodes"] = rng.choice([{}, [1, 2], "nodes"])
    return json.dumps(g), f"json:{kind}"


# Running ----------------------------------------------------------------------------------


def _child(argv: list[str], tool: str, out_path: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), write_through=True)
    code = 0
    try:
        if tool == "nnvm-opt":
            from nnvm_dialect.tools.nnvm_opt import main
        else:
            from nnvm_dialect.tools.nnvm_run import main
        main(argv)
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            code = 1
        else:
            code = int(e.code or 0)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 3
    sys.stderr.flush()
    os._exit(code)


def run_tool(tool: str, argv: list[str], timeout: float, workdir: str) -> tuple[str, str]:
    ctx = multiprocessing.get_context("fork")
    out_path = os.path.join(workdir, "stderr.txt")
    p = ctx.Process(target=_child, args=(argv, tool, out_path))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.kill()
        p.join()
        return "hang", ""
    stderr = Path(out_path).read_text(errors="replace") if os.path.exists(out_path) else ""
    if "Traceback" in stderr:
        return "traceback", stderr
    if p.exitcode == 0:
        return "ok", stderr
    if p.exitcode == 1:
        return ("error" if "error" in stderr else "exit 1 without an error message"), stderr
    return f"died (exit {p.exitcode})", stderr


def inputs(count: int, seed: int) -> list[tuple[str, bytes, str]]:
    """(kind, data, mutation) triples, deterministic for a seed."""
    rng = random.Random(seed)
    seeds_onnx = onnx_seeds()
    json_text = json.dumps(JSON_SEED)
    out: list[tuple[str, bytes, str]] = []
    makers: list[Callable[[], tuple[str, bytes, str]]] = [
        lambda: ("mlir", *mutate_bytes(MLIR_SEED.encode(), rng)),
        lambda: ("mlir", *_text(mutate_mlir_tokens(MLIR_SEED, rng))),
        lambda: ("onnx", *mutate_bytes(rng.choice(seeds_onnx), rng)),
        lambda: ("onnx", *mutate_onnx_structure(rng.choice(seeds_onnx), rng)),
        lambda: ("json", *mutate_bytes(json_text.encode(), rng)),
        lambda: ("json", *_text(mutate_json_structure(JSON_SEED, rng))),
    ]
    for i in range(count):
        kind, data, mutation = makers[i % len(makers)]()
        if rng.random() < 0.3:  # a second mutation on top, of the same family
            if kind == "mlir":
                data, more = mutate_bytes(data, rng)
            elif kind == "onnx":
                data, more = mutate_bytes(data, rng)
            else:
                data, more = mutate_bytes(data, rng)
            mutation += "+" + more
        out.append((kind, data, mutation))
    return out


def _text(pair: tuple[str, str]) -> tuple[bytes, str]:
    return pair[0].encode("utf-8", "surrogateescape"), pair[1]


def fuzz(count: int, seed: int, timeout: float, keep: Path | None = None) -> list[Outcome]:
    # Import once in the parent, so every forked child starts warm.
    import nnvm_dialect.frontend.nnvm_json  # noqa: F401
    import nnvm_dialect.frontend.onnx_converters  # noqa: F401
    import nnvm_dialect.tools.nnvm_opt  # noqa: F401
    import nnvm_dialect.tools.nnvm_run  # noqa: F401

    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (kind, data, mutation) in enumerate(inputs(count, seed)):
            path = os.path.join(tmp, f"case{i}.{kind}")
            Path(path).write_bytes(data)
            if i % 2 == 0:
                tool, argv = "nnvm-opt", [path] + (["-t", "json"] if i % 4 == 0 else [])
            else:
                tool, argv = "nnvm-run", [path, "--random-inputs", "0"]
            status, stderr = run_tool(tool, argv, timeout, tmp)
            outcome = Outcome(tool, kind, mutation, status, stderr)
            outcomes.append(outcome)
            if outcome.bad and keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"case{i}.{kind}").write_bytes(data)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--keep", type=Path, help="save inputs that fail here")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    outcomes = fuzz(args.count, args.seed, args.timeout, args.keep)
    bad = [o for o in outcomes if o.bad]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    for o in bad:
        last = o.stderr.strip().splitlines()[-1] if o.stderr.strip() else ""
        print(f"{o.tool} {o.kind} {o.mutation}: {o.status}: {last[:200]}")
    print(f"{len(outcomes)} inputs in {time.perf_counter() - t0:.0f} s: {counts}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
