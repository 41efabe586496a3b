"""ONNX conformance: the onnx package's backend test data through import and every target.

    python benchmarks/onnx_conformance.py [--folders light,node,...] [--targets reference]
        [--sample N] [--timeout S] [--jobs N] [--write docs/conformance.md] [--details FILE]

Folders: `light` (the light models: ConstantOfShape-filled weights, inputs made the way onnx's
runner makes them, expected outputs shipped beside them), `simple`, `pytorch-converted`,
`pytorch-operator` (shipped in the wheel) and `node` (generated with onnx's own generator into a
cache directory; deterministic). Each case runs in a forked child with a timeout (`--jobs N`
children at a time; the output is in the same order whatever N) and ends as:

    pass         every output matches (rtol 1e-3, atol 1e-5; dtype and shape equal; integers exact)
    wrong        an output differs
    unsupported  a clean error (a diagnostic naming the node or the op)
    crash        anything else: a Python exception, a timeout, a dead child, a compile error
                 that reports a compiler bug (a CPU lowering stage that raised, LLVM's refusal)

Graph inputs that a model uses as shapes, axes or pads (node tests feed Reshape's shape as an
input) are bound to the test's values when the importer asks for them: the model is specialised
to those values, as a static compiler must (FrontendError.wanted_inputs, load(input_values=)).

`--details FILE` writes every case's status and reason as JSON, so two runs (two targets, or
before and after a change) can be compared case by case.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDERS = ("light", "simple", "pytorch-converted", "pytorch-operator", "node")
RTOL, ATOL = 1e-3, 1e-5


def onnx_data_dir() -> Path:
    import onnx

    return Path(onnx.__file__).parent / "backend" / "test" / "data"


def node_cache_dir() -> Path:
    import onnx

    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "nnvm-dialect" / f"onnx-{onnx.__version__}-node"


def generate_node_data(out: Path) -> Path:
    """onnx's node test cases written by onnx's own generator (once per onnx version)."""
    done = out / ".complete"
    if done.exists():
        return out / "node"
    import types

    import onnx.backend.test.cmd_tools as cmd_tools
    from onnx.backend.test.case import node

    np.random.seed(0)
    cmd_tools.model_test = types.SimpleNamespace(  # type: ignore[assignment]
        collect_testcases=lambda: node.collect_testcases()
    )
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cmd_tools.generate_data(argparse.Namespace(output=str(out)))
    done.write_text("")
    return out / "node"


@dataclass
class Case:
    folder: str
    name: str
    model: Path
    data_sets: list[tuple[list[Path], list[Path]]] = field(default_factory=list)


def collect(folder: str) -> list[Case]:
    if folder == "light":
        base = onnx_data_dir() / "light"
        return [
            Case(
                "light",
                p.stem.removeprefix("light_"),
                p,
                [([], sorted(base.glob(p.stem + "_output_*.pb")))],
            )
            for p in sorted(base.glob("light_*.onnx"))
        ]
    base = generate_node_data(node_cache_dir()) if folder == "node" else onnx_data_dir() / folder
    cases = []
    for d in sorted(p for p in base.iterdir() if (p / "model.onnx").exists()):
        sets = [
            (sorted(s.glob("input_*.pb"), key=_index), sorted(s.glob("output_*.pb"), key=_index))
            for s in sorted(d.glob("test_data_set_*"))
        ]
        cases.append(Case(folder, d.name, d / "model.onnx", sets))
    return cases


def _index(p: Path) -> int:
    return int(p.stem.rsplit("_", 1)[1])


def read_tensor(path: Path) -> np.ndarray:
    from onnx import TensorProto, numpy_helper

    t = TensorProto()
    t.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(t)


def light_inputs(model_path: Path) -> list[np.ndarray]:
    """The inputs onnx's runner feeds the light models: arange(n) / n, non-weight inputs only."""
    import onnx

    model = onnx.load(str(model_path))
    inits = {i.name for i in model.graph.initializer}
    arrays = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = tuple(
            d.dim_value if d.HasField("dim_value") else 1 for d in vi.type.tensor_type.shape.dim
        )
        n = int(np.prod(shape))
        arrays.append((np.arange(n).reshape(shape) / n).astype(np.float32))
    return arrays


def compare(got: list[np.ndarray], want: list[np.ndarray]) -> str | None:
    """None if the outputs match, else what differs."""
    from nnvm_dialect.dtypes import is_float

    if len(got) != len(want):
        return f"{len(got)} outputs, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        g, w = np.asarray(g), np.asarray(w)
        if g.dtype != w.dtype:
            return f"output {i}: dtype {g.dtype}, expected {w.dtype}"
        if g.shape != w.shape:
            return f"output {i}: shape {g.shape}, expected {w.shape}"
        if is_float(w.dtype) and w.dtype.kind != "f":  # bf16, float8, float4 (ml_dtypes)
            g, w = g.astype(np.float32), w.astype(np.float32)
        if w.dtype.kind in "fc":
            if not np.allclose(g, w, rtol=RTOL, atol=ATOL, equal_nan=True):
                err = np.max(np.abs(g.astype(np.float64) - w.astype(np.float64)))
                return f"output {i}: max abs difference {err:.3g}"
        elif not np.array_equal(g, w):
            return f"output {i}: values differ ({int(np.sum(g != w))} of {w.size})"
    return None


INTERNAL_ERRORS = (
    "cpu target: stage ",
    "translation to LLVM IR failed",
    "LLVM failed",
    "LLVM rejected the module",
)
"""Compile errors that report a bug in the compiler (a lowering stage that raised, LLVM refusing
what the stages made): clean for a user, but crashes here, not refusals."""


def run_case(case: Case, target: str) -> tuple[str, str]:
    """(status, detail), in the child."""
    import onnx

    from nnvm_dialect.compiler import CompileError, compile
    from nnvm_dialect.diagnostics import OpError, at_op
    from nnvm_dialect.frontend import FrontendError, load
    from nnvm_dialect.reference import InputError

    names = [i.name for i in onnx.load(str(case.model), load_external_data=False).graph.input]
    values: dict[str, np.ndarray] = {}
    for _ in range(len(names) + 1):
        try:
            module = load(case.model, input_values=values)
            model = compile(module, target)
            break
        except FrontendError as e:
            # Inputs used as shapes or axes: specialise the model to the test's values.
            wanted = [n for n in e.wanted_inputs if n in names and n not in values]
            if not wanted or not case.data_sets or len(case.data_sets) > 1:
                return "unsupported", str(e)
            for n in wanted:
                values[n] = read_tensor(case.data_sets[0][0][names.index(n)])
        except CompileError as e:
            if any(words in str(e) for words in INTERNAL_ERRORS):
                return "crash", str(e)
            return "unsupported", str(e)
    else:
        return "unsupported", "specialising on input values did not converge"
    for inputs, outputs in case.data_sets:
        if case.folder == "light":
            arrays = light_inputs(case.model)
        else:
            arrays = [read_tensor(p) for i, p in enumerate(inputs) if names[i] not in values]
        try:
            got = model.run(*arrays)
        except OpError as e:
            return "unsupported", at_op(e.op, e.message, str(case.model)).render()
        except InputError as e:
            return "unsupported", f"{case.model}: error: {e}"
        want = [read_tensor(p) for p in outputs]
        if (why := compare(got, want)) is not None:
            return "wrong", why
    return "pass", ""


def _child(case: Case, target: str, conn) -> None:  # type: ignore[no-untyped-def]
    try:
        import warnings

        warnings.simplefilter("ignore")
        result = run_case(case, target)
    except BaseException:
        result = ("crash", traceback.format_exc(limit=8))
    conn.send(result)
    conn.close()


def run_isolated(case: Case, target: str, timeout: float) -> tuple[str, str]:
    return run_many([(case, target, timeout)], jobs=1)[0]


@dataclass
class _Running:
    index: int
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float
    timeout: float
    result: tuple[str, str] | None = None

    @property
    def deadline(self) -> float:
        return self.started + self.timeout


def _start(index: int, case: Case, target: str, timeout: float) -> _Running:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(case, target, child))
    p.start()
    child.close()
    return _Running(index, p, parent, time.monotonic(), timeout)


def _finish(r: _Running) -> tuple[str, str]:
    """The child's result once it sent one, died or ran out of time; the child is reaped."""
    p = r.process
    p.join(1 if r.result is not None else 0)
    if p.is_alive():
        p.kill()
        p.join()
        if r.result is None:
            r.conn.close()
            return "crash", f"timeout after {r.timeout:.0f} s"
    r.conn.close()
    if r.result is None:
        return "crash", f"child died with exit code {p.exitcode}"
    return r.result


def run_many(
    tasks: Sequence[tuple[Case, str, float]],
    jobs: int = 1,
    done: Callable[[int, tuple[str, str], float], None] | None = None,
) -> list[tuple[str, str]]:
    """(status, detail) of each (case, target, timeout), each in its own forked child, `jobs`
    children at a time. `done(i, result, seconds)` is called in task order as results come in."""
    results: list[tuple[str, str] | None] = [None] * len(tasks)
    seconds = [0.0] * len(tasks)
    running: list[_Running] = []
    following = 0  # the next task whose result `done` has not seen
    queued = iter(enumerate(tasks))
    exhausted = False
    while True:
        while not exhausted and len(running) < max(1, jobs):
            item = next(queued, None)
            if item is None:
                exhausted = True
                break
            i, (case, target, timeout) = item
            running.append(_start(i, case, target, timeout))
        if not running:
            break
        now = time.monotonic()
        wait_for = max(0.0, min(r.deadline for r in running) - now)
        ready = mp_wait([r.conn for r in running] + [r.process.sentinel for r in running], wait_for)
        now = time.monotonic()
        still = []
        for r in running:
            seconds[r.index] = now - r.started
            if r.conn in ready:
                try:
                    r.result = r.conn.recv()
                except (EOFError, OSError):
                    r.result = None
                results[r.index] = _finish(r)
            elif r.process.sentinel in ready and not r.conn.poll():
                results[r.index] = _finish(r)
            elif now >= r.deadline:
                results[r.index] = _finish(r)
            else:
                still.append(r)
        running = still
        while following < len(tasks) and results[following] is not None:
            if done is not None:
                done(following, results[following], seconds[following])  # type: ignore[arg-type]
            following += 1
    return results  # type: ignore[return-value]


def warm_up(targets: Sequence[str]) -> None:
    """Import, load and compile a two-op model on each target in the parent, so every forked
    child starts with the lazy imports (the CPU target's take seconds) and LLVM initialised."""
    import tempfile

    import onnx
    from onnx import TensorProto, helper

    from nnvm_dialect.compiler import compile
    from nnvm_dialect.frontend import load

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "x"], ["s"]), helper.make_node("Relu", ["s"], ["y"])],
        "warm_up",
        [x],
        [y],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm_up.onnx"
        onnx.save(model, str(path))
        for target in targets:
            try:
                compile(load(path), target, cache=False).run(np.ones((2, 3), np.float32))
            except Exception:  # a broken target shows in the cases themselves
                pass


def sample(cases: list[Case], n: int | None) -> list[Case]:
    """Every k-th case, so the sample is deterministic and spread over the folder."""
    if n is None or n >= len(cases):
        return cases
    step = len(cases) / n
    return [cases[int(i * step)] for i in range(n)]


def targets_available() -> list[str]:
    from nnvm_dialect.compiler import TARGETS

    return [t for t in ("reference", "cpu") if t in TARGETS]


STATUSES = ("pass", "wrong", "unsupported", "crash")


def table(results: dict[tuple[str, str], Counter]) -> str:
    lines = [
        "| folder | target | cases | pass | wrong | unsupported | crash | pass rate |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (folder, target), c in results.items():
        total = sum(c.values())
        rate = 100.0 * c["pass"] / total if total else 0.0
        counts = " | ".join(str(c[s]) for s in STATUSES)
        lines.append(f"| {folder} | {target} | {total} | {counts} | {rate:.1f}% |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--folders", default=",".join(FOLDERS))
    p.add_argument("--targets", default=None, help="default: every target that exists")
    p.add_argument("--sample", type=int, default=None, help="at most N cases per folder")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    p.add_argument(
        "--match", default=None, help="only cases whose name contains this (or one of a,b,...)"
    )
    p.add_argument("--jobs", "-j", type=int, default=1, help="cases run in parallel")
    p.add_argument("--write", metavar="MD", help="write the table and failures here")
    p.add_argument("--details", metavar="JSON", help="write every case's status and reason here")
    p.add_argument("--verbose", "-v", action="store_true", help="print every case")
    args = p.parse_args(argv)
    targets = args.targets.split(",") if args.targets else targets_available()
    warm_up(targets)
    results: dict[tuple[str, str], Counter] = {}
    details: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    tasks: list[tuple[Case, str, float]] = []
    t0 = time.perf_counter()
    for folder in args.folders.split(","):
        cases = sample(collect(folder), args.sample)
        if args.match:
            cases = [c for c in cases if any(m in c.name for m in args.match.split(","))]
        for target in targets:
            results[(folder, target)] = Counter({s: 0 for s in STATUSES})
            details[(folder, target)] = []
            # The light models are ImageNet-size CNNs: on the numpy reference each takes minutes.
            timeout = args.timeout * (10 if folder == "light" else 1)
            tasks += [(case, target, timeout) for case in cases]
    remaining = Counter((c.folder, t) for c, t, _ in tasks)

    def done(i: int, result: tuple[str, str], seconds: float) -> None:
        case, target, _ = tasks[i]
        status, detail = result
        key = (case.folder, target)
        results[key][status] += 1
        details[key].append((case.name, status, detail, seconds))
        if args.verbose or status in ("wrong", "crash"):
            first = detail.strip().splitlines()[-1] if detail.strip() else ""
            line = f"{case.folder}/{case.name} [{target}]: {status} {first[:300]}"
            print(f"{line} ({seconds:.1f} s)" if args.verbose else line, flush=True)
        remaining[key] -= 1
        if remaining[key] == 0:
            print(table({key: results[key]}).splitlines()[-1], flush=True)

    run_many(tasks, args.jobs, done)
    for key in results:
        if not details[key]:  # no case matched: still a row
            print(table({key: results[key]}).splitlines()[-1], flush=True)
    elapsed = time.perf_counter() - t0
    print()
    print(table(results))
    print(f"\n{elapsed:.0f} s")
    if args.write:
        write_report(Path(args.write), results, details, args, elapsed)
    if args.details:
        write_details(Path(args.details), details)
    return 0


def write_details(path: Path, details) -> None:  # type: ignore[no-untyped-def]
    """{"folder/target": {"case": {"status", "reason", "detail", "seconds"}}}; `reason` is the
    detail's last line, `detail` all of it, `seconds` the child's wall time."""
    out = {
        f"{folder}/{target}": {
            name: {
                "status": status,
                "reason": _last_line(detail),
                "detail": detail,
                "seconds": round(seconds, 2),
            }
            for name, status, detail, seconds in rows
        }
        for (folder, target), rows in details.items()
    }
    path.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")


def _last_line(detail: str) -> str:
    lines = [line.strip() for line in detail.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _reason(detail: str) -> str:
    lines = [line.strip() for line in detail.strip().splitlines() if line.strip()]
    for line in lines[1:]:
        return line[:160]
    return lines[0][:160] if lines else ""


def write_report(path: Path, results, details, args, elapsed: float) -> None:  # type: ignore[no-untyped-def]
    import onnx

    today = datetime.date.today().isoformat()
    out = [
        "# ONNX conformance",
        "",
        f"Measured {today} with onnx {onnx.__version__} test data, by "
        f"`python benchmarks/onnx_conformance.py --write docs/conformance.md` "
        f"({elapsed:.0f} s on this machine; timeout {args.timeout:.0f} s per case, ten times that "
        "for the light models). "
        f"Outputs are compared with rtol {RTOL}, atol {ATOL}; dtype and shape must match, "
        "integers exactly.",
        "",
        table(results),
        "",
    ]
    for (folder, target), rows in details.items():
        bad = [r for r in rows if r[1] != "pass"]
        if not bad:
            continue
        out += [f"## {folder} on {target}: cases that do not pass", ""]
        for name, status, detail, _ in bad:
            out.append(f"- `{name}`: {status}: {_reason(detail)}")
        out.append("")
    path.write_text("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
