"""Numeric bisection of a pass pipeline: which pass, and which op in its output, first changes
the numbers (`nnvm-run FILE --bisect -O N`).

The function is run by the reference semantics before any pass and after each pass of the
level's pipeline, on the same inputs. The first pass after which an output leaves tolerance is
named. In that pass's output the op named is the first (in program order) whose results leave
tolerance: an op that kept its source location is compared with the op written there before
the pass; an op the pass created is suspect when its results match no value the graph computed
before the pass although its operands all do, and a wrong output depends on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FileLineColLoc, ModuleOp
from xdsl.ir import Operation, SSAValue

from nnvm_dialect.diagnostics import OpError, verify_module
from nnvm_dialect.reference import bind_inputs, entry_function, run_block
from nnvm_dialect.transforms.nnvm_optimize import pipeline

RTOL = 1e-4
ATOL = 1e-5
"""Results agree when |after - before| <= ATOL + RTOL * |before| elementwise (NaNs agree)."""


def close(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
    return bool(np.array_equal(a, b))


def run_all(fn: func.FuncOp, arrays: Sequence[np.ndarray]) -> tuple[list[np.ndarray], dict]:
    """The function's outputs and the value of every SSA value of its body."""
    block = fn.body.blocks[0]
    env: dict[SSAValue, np.ndarray] = dict(zip(block.args, arrays))
    with np.errstate(all="ignore"):
        outputs = run_block(block, env)
    return outputs, env


@dataclass
class Culprit:
    pass_name: str
    index: int
    """Position of the pass in the pipeline, from 1."""
    output: int
    """The first output that left tolerance."""
    max_error: float
    op: Operation | None
    module: ModuleOp
    """The pass's output, which `op` belongs to."""


def first_bad_op(
    before: func.FuncOp, before_env: dict, after: func.FuncOp, after_env: dict, bad: set[int]
) -> Operation | None:
    """The first op of `after` whose results leave tolerance (see the module docstring)."""
    by_loc: dict[tuple[str, int, int], list[np.ndarray]] = {}
    for op in before.body.blocks[0].ops:
        if isinstance(op.location, FileLineColLoc) and op.results:
            loc = op.location
            key = (loc.filename.data, loc.line.data, loc.column.data)
            by_loc[key] = [before_env[r] for r in op.results]
    known = list(before_env.values())
    block = after.body.blocks[0]
    ret = block.last_op
    assert ret is not None
    # Ops some wrong output depends on.
    feeds_bad: set[Operation] = set()
    work = [v for i, v in enumerate(ret.operands) if i in bad]
    while work:
        owner = work.pop().owner
        if isinstance(owner, Operation) and owner not in feeds_bad:
            feeds_bad.add(owner)
            work.extend(owner.operands)
    explained: set[SSAValue] = set(block.args)
    for op in block.ops:
        if op is ret:
            break
        values = [after_env[r] for r in op.results]
        loc = op.location
        key = (
            (loc.filename.data, loc.line.data, loc.column.data)
            if isinstance(loc, FileLineColLoc)
            else None
        )
        if key in by_loc and len(by_loc[key]) == len(values):
            if not all(close(a, b) for a, b in zip(values, by_loc[key])):
                return op
            explained.update(op.results)
            continue
        ok = [any(close(v, k) for k in known) for v in values]
        explained.update(r for r, good in zip(op.results, ok) if good)
        inputs_ok = all(v in explained for v in op.operands)
        if op in feeds_bad and inputs_ok and not all(ok):
            return op
    return None


def bisect(
    ctx: Context,
    module: ModuleOp,
    inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
    level: int,
    entry: str | None = None,
) -> tuple[list[str], Culprit | None]:
    """Run the pipeline of `level` pass by pass on a verified, type-inferred `module` (changed
    in place); the pass names, and the first pass that changes the outputs, if any."""
    fn = entry_function(module, entry)
    arrays = bind_inputs(fn, inputs)
    baseline, _ = run_all(fn, arrays)
    passes = pipeline(level)
    names = [p.name for p in passes]
    for index, p in enumerate(passes, 1):
        before = module.clone()
        p.apply(ctx, module)
        if diagnostics := verify_module(module):
            raise OpError(module, f"pass {p.name} left invalid IR: {diagnostics[0].render()}")
        fn = entry_function(module, entry)
        outputs, after_env = run_all(fn, arrays)
        bad = {i for i, (a, b) in enumerate(zip(outputs, baseline)) if not close(a, b)}
        if not bad:
            continue
        first = min(bad)
        a, b = outputs[first], baseline[first]
        error = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))
        before_fn = entry_function(before, entry)
        _, before_env = run_all(before_fn, arrays)
        op = first_bad_op(before_fn, before_env, fn, after_env, bad)
        return names, Culprit(p.name, index, first, error, op, module)
    return names, None
