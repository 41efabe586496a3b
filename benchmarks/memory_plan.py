"""Memory plans of every example model: bytes without sharing, the planned arena, the lower bound.

The lower bound is the largest total size of values live at one time in the op order (values
merged by in-place writes count once), so planned / lower bound says how much the placement
wastes. Goal: <= 1.05 on every model. Every plan is also certified by check-memory-plan.

    python benchmarks/memory_plan.py [MODEL ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from xdsl.dialects import func

from nnvm_dialect.compiler import load_module
from nnvm_dialect.frontend.mlir import make_context
from nnvm_dialect.transforms.check_memory_plan import CheckMemoryPlan
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.plan_memory import PlanMemory, plan_function

ROOT = Path(__file__).resolve().parent.parent


def models() -> list[Path]:
    """The examples, the training step of examples/train_mlp.py, and onnx's light models."""
    import onnx

    found = sorted((ROOT / "examples").glob("*.mlir"))
    found += sorted((ROOT / "examples").glob("**/*.onnx"))
    found.append(ROOT / "examples" / "train_mlp.py")
    light = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
    return found + sorted(light.glob("light_*.onnx"))


def load(path: Path):  # type: ignore[no-untyped-def]
    if path.suffix == ".mlir":
        return load_module(path)
    if path.suffix == ".py":
        return training_module()
    from nnvm_dialect.frontend import load as frontend_load

    return frontend_load(str(path))


def training_module():  # type: ignore[no-untyped-def]
    """The MLP of examples/train_mlp.py with its backward function (forward values live long)."""
    sys.path.insert(0, str(ROOT / "examples"))
    from train_mlp import MODEL, WEIGHTS  # type: ignore[import-not-found]

    from nnvm_dialect.frontend.mlir import parse_mlir
    from nnvm_dialect.transforms.gradient import Gradient

    module = parse_mlir(make_context(), MODEL, "train_mlp.py")
    Gradient(func="mlp", wrt=WEIGHTS, keep_outputs=True).apply(make_context(), module)
    return module


def main(paths: list[str]) -> None:
    rows = []
    for path in [Path(p) for p in paths] or models():
        try:
            module = load(path)
        except Exception as e:  # a model this checkout cannot read yet (no frontend)
            print(f"skipped {path.name}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        ctx = make_context()
        t0 = time.perf_counter()
        for p in (InferShape(), InferType(), PlanMemory(), CheckMemoryPlan()):
            p.apply(ctx, module)
        print(
            f"{path.name}: planned and checked in {time.perf_counter() - t0:.2f} s", file=sys.stderr
        )
        for fn in module.walk():
            if isinstance(fn, func.FuncOp) and fn.body.blocks:
                plan = plan_function(fn)
                rows.append((f"{path.name} @{fn.sym_name.data}", plan))
    print("| model | values | naive bytes | planned bytes | lower bound | planned / lower bound |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, plan in rows:
        ratio = plan.arena / plan.lower_bound if plan.lower_bound else 1.0
        print(
            f"| {name} | {len(plan.offsets)} | {plan.naive} | {plan.arena} | "
            f"{plan.lower_bound} | {ratio:.3f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
