"""Compile time on large graphs: seconds per stage of `nnvm-opt -p infer-shape,infer-type`;
and the second compile of a model for the CPU, from memory and from disk.

Generates chains of 100, 1,000 and 10,000 elementwise ops whose result types are all unknown
(`tensor<*x!nnvm.unknown>`), and times each stage as nnvm-opt runs it, in-process: parsing,
verifying the input, each pass and the verifier after it, and printing. Prints the median of
`--repeat` runs per stage and the per-op cost, so growth that is not linear shows as a per-op
cost that rises with the size.

Then, for examples/cnn.mlir, examples/resnet_block.mlir (weights in a params file) and
examples/tiny_cnn.onnx, compiles each for the CPU once into a fresh cache folder, then in
`--repeat` new processes times (wall clock) the `compile(path, target="cpu")` call after the
imports: the first call is a disk hit, the second a memory hit.

    python benchmarks/compile_time.py [--sizes 100,1000,10000] [--repeat 3]
                                       [--no-cache-times | --cache-only]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from xdsl.printer import Printer

from nnvm_dialect.diagnostics import verify_module
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType

UNKNOWN = "tensor<*x!nnvm.unknown>"
UNARY = ("relu", "sigmoid", "tanh", "negative", "copy")


def chain(n: int) -> str:
    """`n` ops: unary ops, with every fourth an elemwise_add of the two previous values."""
    lines = ["func.func @chain(%x: tensor<16x64xf32>) -> tensor<*x!nnvm.unknown> {"]
    prev, prev_type, older = "%x", "tensor<16x64xf32>", "%x"
    older_type = prev_type
    for i in range(n):
        if i % 4 == 3:
            lines.append(
                f"  %v{i} = nnvm.elemwise_add {prev}, {older} : "
                f"({prev_type}, {older_type}) -> {UNKNOWN}"
            )
        else:
            op = UNARY[i % len(UNARY)]
            lines.append(f"  %v{i} = nnvm.{op} {prev} : ({prev_type}) -> {UNKNOWN}")
        older, older_type = prev, prev_type
        prev, prev_type = f"%v{i}", UNKNOWN
    lines.append(f"  func.return {prev} : {UNKNOWN}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def timed(stages: dict[str, list[float]], name: str, fn: Callable[[], object]) -> object:
    """CPU time of the process, not wall time: the numbers hold on a busy machine."""
    start = time.process_time()
    result = fn()
    stages.setdefault(name, []).append(time.process_time() - start)
    return result


def run_once(text: str, stages: dict[str, list[float]]) -> None:
    ctx = make_context()
    module = timed(stages, "parse", lambda: parse_mlir(ctx, text, "chain.mlir"))
    assert not timed(stages, "verify input", lambda: verify_module(module))  # type: ignore[arg-type]
    for p in (InferShape(), InferType()):
        timed(stages, p.name, lambda p=p: p.apply(ctx, module))  # type: ignore[arg-type]
        assert not timed(stages, f"verify after {p.name}", lambda: verify_module(module))  # type: ignore[arg-type]

    class Sink:
        def write(self, s: str) -> int:
            return len(s)

    timed(stages, "print", lambda: Printer(stream=Sink()).print_op(module))  # type: ignore[arg-type]


ROOT = Path(__file__).resolve().parent.parent
MODELS = [
    ("examples/cnn.mlir", None),
    ("examples/resnet_block.mlir", None),
    ("examples/tiny_cnn.onnx", {"input": (1, 3, 8, 8)}),
]

# Run in a new process: the compile() calls timed after every import they need.
HIT = """
import json, sys, time
t0 = time.perf_counter()
import nnvm_dialect
t1 = time.perf_counter()
import nnvm_dialect.runtime.cpu_model  # llvmlite's binding, which a disk hit needs
t2 = time.perf_counter()
path, shapes = sys.argv[1], json.loads(sys.argv[2])
model = nnvm_dialect.compile(path, target="cpu", input_shapes=shapes)
t3 = time.perf_counter()
again = nnvm_dialect.compile(path, target="cpu", input_shapes=shapes)
t4 = time.perf_counter()
times = {"import": t1 - t0, "llvmlite": t2 - t1, "disk": t3 - t2, "memory": t4 - t3}
print(json.dumps({**times, "served": model._module is None}))
"""


def cache_hits(repeat: int) -> None:
    """The second compile of each model, from disk (a new process) and from memory."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CACHE_HOME"] = home
        print(f"\nsecond compile for the CPU, median of {repeat} new processes, wall ms")
        print(
            f"{'model':<28}{'first':>10}{'disk':>10}{'memory':>10}{'imports':>10}{'llvmlite':>10}"
        )
        for name, shapes in MODELS:
            arg = json.dumps(shapes)
            runs = []
            for _ in range(repeat + 1):
                out = subprocess.run(
                    [sys.executable, "-c", HIT, name, arg],
                    env=env, cwd=ROOT, check=True, capture_output=True, text=True,
                )  # fmt: skip
                runs.append(json.loads(out.stdout))
            first = runs.pop(0)
            assert not first["served"] and all(r["served"] for r in runs), runs
            med = {k: statistics.median(r[k] for r in runs) * 1e3 for k in runs[0] if k != "served"}
            print(
                f"{Path(name).name:<28}{first['disk'] * 1e3:>10.0f}{med['disk']:>10.1f}"
                f"{med['memory']:>10.2f}{med['import']:>10.0f}{med['llvmlite']:>10.0f}"
            )
        print("first: compile() with an empty cache; disk: the first compile() of a new process;")
        print("memory: the second; imports: `import nnvm_dialect`; llvmlite: then importing")
        print("runtime.cpu_model and llvmlite's binding, which a disk hit needs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-cache-times", action="store_true", help="skip the CPU second-compile times"
    )
    parser.add_argument("--cache-only", action="store_true", help="only those")
    args = parser.parse_args()
    if args.cache_only:
        return cache_hits(max(args.repeat, 3))
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    for n in sizes:
        text = chain(n)
        stages: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            run_once(text, stages)
        results[n] = {k: statistics.median(v) for k, v in stages.items()}
    names = list(results[sizes[0]])
    print(f"median of {args.repeat} runs, CPU seconds (microseconds per op)")
    print(f"{'stage':<26}" + "".join(f"{n:>22,}" for n in sizes))
    for name in [*names, "total"]:
        row = f"{name:<26}"
        for n in sizes:
            t = sum(results[n].values()) if name == "total" else results[n][name]
            row += f"{t:>12.3f} ({t / n * 1e6:>6.1f})"
        print(row)
    passes = [results[n]["infer-shape"] + results[n]["infer-type"] for n in sizes]
    verify = [sum(t for k, t in results[n].items() if k.startswith("verify")) for n in sizes]
    for n, p, v in zip(sizes, passes, verify):
        print(f"{n:>6} ops: passes {p:.3f} s, verifier {v:.3f} s")
    if not args.no_cache_times:
        cache_hits(max(args.repeat, 3))


if __name__ == "__main__":
    main()
