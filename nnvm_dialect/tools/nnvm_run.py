"""`nnvm-run`: compile a model, run it on given or random inputs, print outputs and timings."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import zipfile
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import FileLineColLoc
from xdsl.ir import Attribute
from xdsl.printer import Printer

from nnvm_dialect import plugins
from nnvm_dialect.bisect import ATOL, RTOL, bisect
from nnvm_dialect.compiler import CompiledModel, CompileError, compile
from nnvm_dialect.diagnostics import OpError, at_op
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.frontend.mlir import make_context, source_name
from nnvm_dialect.ops.base import dtype_of, format_shape, shape_of
from nnvm_dialect.reference import InputError


class UsageError(Exception):
    pass


def arguments() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnvm-run", description="Compile a model and run it on numpy inputs."
    )
    p.add_argument("input_file", help="model file (.mlir, .onnx, NNVM graph .json); - reads stdin")
    p.add_argument(
        "--input-shape",
        action="append",
        default=[],
        metavar="NAME=1x3x224x224",
        help="fix the dims of a model input of an .onnx or .json file (repeatable)",
    )
    p.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="FILE.py",
        help="load ops, facts and passes from a Python file (repeatable)",
    )
    p.add_argument(
        "--target",
        default="reference",
        help="where to run: reference (numpy semantics) or cpu (compiled through LLVM)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="compile again instead of using the compile cache (cpu target)",
    )
    p.add_argument(
        "-O",
        dest="opt_level",
        type=int,
        default=2,
        choices=range(4),
        help="optimisation level: the nnvm-optimize pipeline of that level (default 2, as NNVM)",
    )
    p.add_argument(
        "--bisect",
        action="store_true",
        help="run the reference semantics after every pass of the -O pipeline on the same "
        "inputs and name the first pass, and op, that changes the outputs beyond tolerance "
        f"(rtol {RTOL:g}, atol {ATOL:g}); exit status 1 if one does",
    )
    p.add_argument("--entry", help="function to run (default: the first one)")
    inputs = p.add_mutually_exclusive_group()
    inputs.add_argument("--inputs", metavar="IN.npz", help="inputs by name from an .npz file")
    inputs.add_argument(
        "--random-inputs",
        metavar="SEED",
        type=int,
        help="random inputs, drawn in argument order from numpy's default_rng(SEED): floats "
        "uniform in [0, 1), integers in [0, 10), booleans 0 or 1",
    )
    p.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=X.npy",
        help="one input from an .npy file (repeatable)",
    )
    p.add_argument(
        "--poison",
        action="store_true",
        help="with a memory plan (plan-memory), fill each value's storage with NaN patterns "
        "when it dies, so a wrong plan fails loudly",
    )
    p.add_argument("--output", metavar="OUT.npz", help="write output_0, output_1, ... here")
    p.add_argument(
        "--repeat",
        type=positive_int,
        default=1,
        metavar="N",
        help="run N times and print the median time",
    )
    return p


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def gib(size: int) -> str:
    return f"{size / 2**30:.3g} GiB"


def memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def random_input(name: str, type_: Attribute, rng: np.random.Generator) -> np.ndarray:
    """Values drawn directly in the argument's dtype (f16 through f32), so the memory needed is
    the tensor's own and `rng.random(shape, dtype=np.float32)` in Python gives the same values."""
    shape, dtype = shape_of(type_), dtype_of(type_)
    if shape is None or None in shape or dtype is None:
        raise InputError(f"input '{name}' has type {type_}, too unknown to make random values")
    np_dtype = to_numpy(dtype)
    size = int(np.prod(shape, dtype=object)) * np_dtype.itemsize
    memory = memory_bytes()
    if memory is not None and size > memory:
        raise InputError(
            f"input '{name}' of type {type_} needs {size} bytes ({gib(size)}), more than "
            f"this machine's memory ({gib(memory)})"
        )
    try:
        if np_dtype in (np.float32, np.float64):
            return rng.random(shape, dtype=np_dtype)  # type: ignore[arg-type]
        if np_dtype.kind == "f":
            return rng.random(shape, dtype=np.float32).astype(np_dtype)  # type: ignore[arg-type]
        if np_dtype.kind == "b":
            return rng.integers(0, 2, shape, dtype=np.bool_)  # type: ignore[arg-type]
        return rng.integers(0, 10, shape, dtype=np_dtype)  # type: ignore[arg-type]
    except (MemoryError, ValueError) as e:
        raise InputError(
            f"input '{name}' of type {type_} needs {size} bytes ({gib(size)}), which cannot "
            f"be allocated ({e})"
        ) from None


def load_array(path: str) -> np.ndarray:
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
        if magic != b"\x93NUMPY":
            raise UsageError(f"{path}: error: not an .npy file (numpy.save's format)")
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: error: cannot read array: {reason(e)}") from None


def reason(e: Exception) -> str:
    return e.strerror if isinstance(e, OSError) and e.strerror else str(e)


def check_writable(path: str) -> None:
    """Fail before compiling and running, not after, when the output cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{path}: error: cannot write output file: it is a directory")
    if not os.path.isdir(folder):
        raise UsageError(f"{path}: error: cannot write output file: no directory {folder}")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise UsageError(f"{path}: error: cannot write output file: permission denied")


def gather_inputs(args: argparse.Namespace, model: CompiledModel) -> dict[str, np.ndarray]:
    named: dict[str, np.ndarray] = {}
    if args.inputs:
        try:
            if not zipfile.is_zipfile(args.inputs):
                if not os.path.isfile(args.inputs):
                    raise FileNotFoundError(2, "No such file or directory")
                raise UsageError(
                    f"{args.inputs}: error: not an .npz archive (numpy.savez's format)"
                )
            with np.load(args.inputs, allow_pickle=False) as archive:
                named.update({k: archive[k] for k in archive.files})
        except (OSError, ValueError, zipfile.BadZipFile) as e:
            raise UsageError(f"{args.inputs}: error: cannot read inputs: {reason(e)}") from None
    if args.random_inputs is not None:
        rng = np.random.default_rng(args.random_inputs)
        for name, type_ in zip(model.input_names, model.input_types):
            named[name] = random_input(name, type_, rng)
    for item in args.input:
        name, sep, path = item.partition("=")
        if not sep:
            raise UsageError(f"error: --input takes NAME=FILE.npy, got '{item}'")
        named[name] = load_array(path)
    return named


def summary(name: str, value: np.ndarray) -> str:
    text = f"{name}: shape {format_shape(value.shape)} dtype {value.dtype}"
    if value.size and value.dtype.kind in "fiub":
        v = value.astype(np.float64)
        text += f" min {v.min():.6g} max {v.max():.6g} mean {v.mean():.6g}"
    flat = value.reshape(-1)
    shown = np.array2string(flat[:16], precision=5, separator=", ", max_line_width=10**6)
    label = "values" if flat.size <= 16 else f"first 16 of {flat.size} values"
    return f"{text}\n  {label}: {shown}"


def run_bisect(args: argparse.Namespace) -> int:
    model = compile(
        args.input_file,
        plugin_files=args.plugin,
        entry=args.entry,
        opt_level=0,
        input_shapes=args.input_shape,
    )
    inputs = gather_inputs(args, model)
    names, culprit = bisect(make_context(), model.module, inputs, args.opt_level, args.entry)
    print(f"bisect: -O {args.opt_level} runs {len(names)} passes: {', '.join(names) or 'none'}")
    if culprit is None:
        print(f"bisect: every pass keeps the outputs within rtol {RTOL:g}, atol {ATOL:g}")
        return 0
    print(
        f"bisect: pass '{culprit.pass_name}' ({culprit.index} of {len(names)}) changes "
        f"output_{culprit.output} beyond tolerance (max abs error {culprit.max_error:.6g})"
    )
    if culprit.op is None:
        print("bisect: no single op of its output could be blamed")
    else:
        stream = io.StringIO()
        Printer(stream=stream).print_op(culprit.op)
        text = stream.getvalue().splitlines()[0]
        print(f"bisect: first op whose results leave tolerance: {text}")
        if isinstance(culprit.op.location, FileLineColLoc):
            where = at_op(culprit.op, "is the first op whose results leave tolerance")
            print(where.render().splitlines()[0])
    return 1


def run(args: argparse.Namespace) -> None:
    if args.output:
        check_writable(args.output)
    if args.bisect:
        sys.exit(run_bisect(args))
    t0 = time.perf_counter()
    model = compile(
        args.input_file,
        args.target,
        plugin_files=args.plugin,
        entry=args.entry,
        opt_level=args.opt_level,
        cache=not args.no_cache,
        input_shapes=args.input_shape,
    )
    compile_ms = (time.perf_counter() - t0) * 1e3
    model.poison = args.poison
    inputs = gather_inputs(args, model)
    times: list[float] = []
    outputs: list[np.ndarray] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        outputs = model.run(**inputs)
        times.append((time.perf_counter() - t) * 1e3)
    for i, value in enumerate(outputs):
        print(summary(f"output_{i}", value))
    runs = f"median of {len(times)} runs" if len(times) > 1 else "1 run"
    run_ms = np.median(times)
    print(f"target {model.target}: compile {compile_ms:.2f} ms, run {run_ms:.3f} ms ({runs})")
    if args.output:
        try:
            np.savez(args.output, **{f"output_{i}": v for i, v in enumerate(outputs)})
        except OSError as e:
            message = f"{args.output}: error: cannot write output file: {reason(e)}"
            raise UsageError(message) from None
        print(f"wrote {len(outputs)} outputs to {args.output}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = arguments()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        sys.exit(0 if e.code in (0, None) else 1)
    try:
        run(args)
    except (CompileError, plugins.PluginError, UsageError) as e:
        sys.exit(str(e))
    except BrokenPipeError:  # `nnvm-run ... | head`
        sys.stderr.close()
    except InputError as e:
        sys.exit(f"{source_name(args.input_file)}: error: {e}")
    except MemoryError as e:  # absurd dims in a model or its inputs
        sys.exit(f"{source_name(args.input_file)}: error: not enough memory: {e}")
    except OpError as e:
        sys.exit(at_op(e.op, e.message, source_name(args.input_file)).render())


if __name__ == "__main__":
    main()
