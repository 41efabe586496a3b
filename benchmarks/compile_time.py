"""Compile time on large graphs: seconds per stage of `nnvm-opt -p infer-shape,infer-type`.

Generates chains of 100, 1,000 and 10,000 elementwise ops whose result types are all unknown
(`tensor<*x!nnvm.unknown>`), and times each stage as nnvm-opt runs it, in-process: parsing,
verifying the input, each pass and the verifier after it, and printing. Prints the median of
`--repeat` runs per stage and the per-op cost, so growth that is not linear shows as a per-op
cost that rises with the size.

    python benchmarks/compile_time.py [--sizes 100,1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
