"""Print and parse time of a model with 25M f32 weights, in each constant form.

    python benchmarks/constants.py [--weights 25000000] [--repeat 3]

External params (`#nnvm.param`, arrays in a `.npz` beside the model) keep the text small, so
the model prints and parses in milliseconds; the arrays load when the model runs. Resource blobs
put the weights in the text as hex (two characters a byte), which costs seconds at this size.
Prints the median of `--repeat` runs and the ratio to numpy's own save/load of the same arrays.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.printer import Printer

from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.ops.constant import ConstantOp, constant_value, make_constant, save_params

LAYER = 1_000_000


def model(total: int, rng: np.random.Generator) -> ModuleOp:
    consts = [
        make_constant(rng.standard_normal(LAYER, dtype=np.float32), f"w{i}")
        for i in range(total // LAYER)
    ]
    fn = func.FuncOp("main", ((), [c.results[0].type for c in consts]))
    fn.body.block.add_ops([*consts, func.ReturnOp(*(c.results[0] for c in consts))])
    return ModuleOp([fn])


def print_text(module: ModuleOp) -> str:
    out = io.StringIO()
    printer = Printer(stream=out)
    printer.print_op(module)
    printer.print_metadata([Builtin])
    return out.getvalue()


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weights", type=int, default=25_000_000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    ctx = make_context()
    with tempfile.TemporaryDirectory() as tmp:
        module = model(args.weights, rng)
        arrays = {
            f"w{i}": constant_value(c)
            for i, c in enumerate(module.walk())
            if isinstance(c, ConstantOp)
        }
        npz = Path(tmp) / "ref.npz"
        save_ms = median_ms(lambda: np.savez(npz, **arrays), args.repeat)
        load_ms = median_ms(lambda: dict(np.load(npz)), args.repeat)
        print(f"{args.weights} f32 weights; numpy savez {save_ms:.1f} ms, load {load_ms:.1f} ms")

        text = print_text(module)
        res_print = median_ms(lambda: print_text(module), args.repeat)
        res_parse = median_ms(lambda: parse_mlir(ctx, text, "<memory>"), args.repeat)
        print(
            f"resource blobs: {len(text) / 1e6:.0f} MB of text, print {res_print:.0f} ms "
            f"({res_print / save_ms:.1f}x savez), parse {res_parse:.0f} ms "
            f"({res_parse / load_ms:.1f}x load)"
        )

        save_params(module, Path(tmp) / "model.params.npz", larger_than=0)
        text = print_text(module)
        ext_print = median_ms(lambda: print_text(module), args.repeat)
        ext_parse = median_ms(lambda: parse_mlir(ctx, text, "<memory>"), args.repeat)
        print(
            f"external params: {len(text) / 1e3:.1f} kB of text, print {ext_print:.2f} ms, "
            f"parse {ext_parse:.2f} ms ({(ext_print + ext_parse) / 1e3:.4f} s together)"
        )


if __name__ == "__main__":
    main()
