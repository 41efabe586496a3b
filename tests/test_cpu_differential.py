"""The CPU target against the reference semantics, for every op that has a lowering.

Self-enrolling like the registry's generic test: each op of the dialect and of the test plugin
with a `lowering` fact is built from random instances of its `example` fact (one per dtype it
declares and turns up, plus a few more), compiled for the CPU and compared with the `reference`
fact within the tolerance of its dtype. To keep compile time down, many instances of several
ops share one compiled function. Ops with reference semantics but no lowering must be refused
with an error naming the op and the stage. `benchmarks/cpu_sweep.py`-style full sweeps use
more seeds through CPU_DIFF_SEEDS.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region

import nnvm_dialect.lowering  # noqa: F401  (registers the lowerings)
from nnvm_dialect import plugins
from nnvm_dialect.compiler import CompileError, compile
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import Example, ShapeError, dtypes, example, lowering, reference
from nnvm_dialect.ops import NNVM
from nnvm_dialect.ops.base import build, tensor_type

PLUGIN = Path(__file__).parent / "plugins" / "scale_op.py"
PLUGIN_OP = "myplugin.scale"
SEEDS = int(os.environ.get("CPU_DIFF_SEEDS", "6"))
OPS_PER_MODULE = 8

TOLERANCE = {"f2": (2e-2, 2e-2), "f4": (2e-4, 2e-5), "f8": (1e-9, 1e-12)}
"""(rtol, atol) per float dtype; integers and bools must match exactly."""


if all(op.name != PLUGIN_OP for op in plugins.OPS):
    plugins.load_plugin(str(PLUGIN))

OPS = {op.name: op for op in [*NNVM.operations, *plugins.OPS]}
LOWERED = sorted(n for n, op in OPS.items() if lowering.lookup(op) and example.lookup(op))
REFUSED = sorted(n for n, op in OPS.items() if reference.lookup(op) and not lowering.lookup(op))


def instances(name: str) -> list[Example]:
    """One example per declared dtype, then the first seeds.

    Per dtype, the drawn example with the largest first operand: a reduction or product over a
    scalar or a single element takes no sum at all, so it hides how sums are taken (float16 sums
    once crashed the JIT process, unseen here). A declared float dtype that the example fact never
    draws (dense and conv2d draw no float16, no example draws bfloat16) is made by converting a
    float example's operands."""
    make = example.lookup(OPS[name])
    assert make is not None
    drawn = [make(np.random.default_rng(seed)) for seed in range(16 * SEEDS)]
    chosen: list[Example] = []
    for dtype in dtypes.lookup(OPS[name]) or ():
        match = [e for e in drawn if e.operands and e.operands[0].dtype == np.dtype(dtype)]
        if not match and (np.dtype(dtype).kind == "f" or np.dtype(dtype) == BF16):
            match = [c for e in drawn if (c := converted(name, e, np.dtype(dtype))) is not None]
        if match:
            chosen.append(max(match, key=lambda e: e.operands[0].size))
    chosen += [e for e in drawn[:SEEDS] if not any(e is c for c in chosen)]
    return chosen


BF16 = np.dtype(ml_dtypes.bfloat16)


def converted(name: str, ex: Example, dtype: np.dtype) -> Example | None:
    """`ex` with its operands of its first operand's float dtype in `dtype`, if the op's rules
    take that (properties are kept, so an op whose result dtype is a property is left alone)."""
    src = ex.operands[0].dtype if ex.operands else None
    if src is None or src.kind != "f" or any("dtype" in p for p in ex.properties):
        return None
    operands = [a.astype(dtype) if a.dtype == src else a for a in ex.operands]
    new = Example(operands, ex.properties, ex.num_results)
    block = Block(arg_types=[tensor_type(a.shape, from_numpy(a.dtype)) for a in operands])
    try:
        build_op(name, list(block.args), new).drop_all_references()
    except Exception:  # the rules refuse the dtype mix: draw nothing for it
        return None
    return new


def make_module(cases: list[tuple[str, Example]]) -> tuple[ModuleOp, list[np.ndarray], list]:
    """One function running every case; its inputs and the ops, in result order."""
    arrays = [a for _, ex in cases for a in ex.operands]
    block = Block(arg_types=[tensor_type(a.shape, from_numpy(a.dtype)) for a in arrays])
    args = iter(block.args)
    ops = []
    for name, ex in cases:
        operands = [next(args) for _ in ex.operands]
        op = build_op(name, operands, ex)
        block.add_op(op)
        ops.append(op)
    results = [r for op in ops for r in op.results]
    block.add_op(func.ReturnOp(*results))
    fn = func.FuncOp(
        "cases", ([a.type for a in block.args], [r.type for r in results]), Region(block)
    )
    return ModuleOp([fn]), arrays, ops


def build_op(name: str, operands: list, ex: Example):  # type: ignore[no-untyped-def]
    """The op by its rules; one whose rules need its result type (a constant) typed from what
    its semantics give."""
    try:
        return build(OPS[name], operands, ex.properties, ex.num_results)
    except ShapeError:
        unknown = [tensor_type(None, None)] * ex.num_results
        probe = OPS[name].create(
            operands=operands, result_types=unknown, properties=dict(ex.properties)
        )
        semantics = reference.lookup(probe)
        assert semantics is not None
        out = semantics(probe, *ex.operands)
        probe.drop_all_references()
        outs = [out] if isinstance(out, np.ndarray) else list(out)
        types = [tensor_type(o.shape, from_numpy(o.dtype)) for o in outs]
        return OPS[name].create(
            operands=operands, result_types=types, properties=dict(ex.properties)
        )


@cache
def cpu_outputs(chunk: tuple[str, ...]) -> dict[str, object]:
    """name -> (cases, outputs) or the CompileError message, for a chunk of ops."""
    cases = [(n, ex) for n in chunk for ex in instances(n)]
    module, arrays, _ = make_module(cases)
    try:
        model = compile(module, target="cpu", opt_level=1, cache=False)
    except CompileError as e:
        if len(chunk) == 1:
            return {chunk[0]: str(e)}
        found: dict[str, object] = {}
        for n in chunk:
            found.update(cpu_outputs((n,)))
        return found
    outputs = iter(model.run(*arrays))
    found = {}
    for n in chunk:
        mine = [(ex, [next(outputs) for _ in range(ex.num_results)]) for m, ex in cases if m == n]
        found[n] = mine
    return found


def chunk_of(name: str) -> tuple[str, ...]:
    i = LOWERED.index(name)
    start = i - i % OPS_PER_MODULE
    return tuple(LOWERED[start : start + OPS_PER_MODULE])


def expected(name: str, ex: Example) -> list[np.ndarray]:
    block = Block(arg_types=[tensor_type(a.shape, from_numpy(a.dtype)) for a in ex.operands])
    op = build_op(name, list(block.args), ex)
    block.add_op(op)
    semantics = reference.lookup(op)
    assert semantics is not None
    with np.errstate(all="ignore"):
        out = semantics(op, *ex.operands)
    return [out] if isinstance(out, np.ndarray) else list(out)


def test_the_plugin_op_is_enrolled() -> None:
    assert PLUGIN_OP in LOWERED


@pytest.mark.parametrize("name", LOWERED)
def test_cpu_matches_reference(name: str) -> None:
    got = cpu_outputs(chunk_of(name))[name]
    assert not isinstance(got, str), got
    assert got, f"{name}: no examples"
    for ex, outputs in got:  # type: ignore[union-attr]
        for want, have in zip(expected(name, ex), outputs):
            assert have.shape == want.shape and have.dtype == want.dtype
            shapes = [a.shape for a in ex.operands]
            where = f"{name} on {shapes} {want.dtype} {dict(ex.properties)}"
            if want.dtype.kind == "f":
                rtol, atol = TOLERANCE[want.dtype.str[1:]]
                np.testing.assert_allclose(have, want, rtol, atol, equal_nan=True, err_msg=where)
            else:
                np.testing.assert_array_equal(have, want, err_msg=where)


@pytest.mark.parametrize("name", REFUSED)
def test_op_without_lowering_is_refused_by_name(name: str) -> None:
    make = example.lookup(OPS[name])
    if make is None:
        pytest.skip(f"{name} has no example")
    module, _, _ = make_module([(name, make(np.random.default_rng(0)))])
    with pytest.raises(CompileError) as e:
        compile(module, target="cpu", cache=False)
    assert f"'{name}' op has no CPU lowering (stage convert-nnvm-to-loops)" in str(e.value)
