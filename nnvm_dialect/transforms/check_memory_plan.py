"""`check-memory-plan`: certify a memory plan written in the IR, whoever wrote it.

Independent of the planner (it shares no code with `plan_memory.py`): it recomputes sizes and
lifetimes from the IR and checks the contract attributes. No two values live at the same time
overlap in the arena, except a result written in place over an operand that dies at that op;
every in-place write is allowed by the op's `inplace_option` and overwrites a planned value that is
dead after the op; function inputs and outputs are never in the arena; slots are aligned and
inside `nnvm.arena_size`. The first violation is an error at the op.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from nnvm_dialect.diagnostics import OpError, op_location
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import inplace_option

ALIGNMENT = 64


def nbytes(value: SSAValue) -> int | None:
    t = value.type
    if not isinstance(t, TensorType) or any(d < 0 for d in t.get_shape()):
        return None
    try:
        return int(np.prod(t.get_shape(), dtype=np.int64)) * to_numpy(t.element_type).itemsize
    except ValueError:
        return None


def where(op: Operation) -> str:
    loc = op_location(op)
    return f"'{op.name}' at {loc.line.data}:{loc.column.data}" if loc else f"'{op.name}'"


def name(v: SSAValue) -> str:
    if v.name_hint:
        return f"%{v.name_hint}"
    if isinstance(v.owner, Operation):
        return f"result #{v.index} of {where(v.owner)}"  # type: ignore[attr-defined]
    return f"argument #{v.index}"  # type: ignore[attr-defined]


def int_list(op: Operation, key: str) -> list[int] | None:
    attr = op.attributes.get(key)
    if attr is None:
        return None
    if not isinstance(attr, DenseArrayBase):
        raise OpError(op, f"{key} must be an array<i64: ...>, got {attr}")
    values = [int(x) for x in attr.get_values()]
    if len(values) != len(op.results):
        raise OpError(op, f"{key} has {len(values)} entries for {len(op.results)} results")
    return values


@dataclass
class Slot:
    value: SSAValue
    op: Operation
    born: int
    dies: int
    lo: int
    hi: int


def check_function(fn: func.FuncOp) -> None:
    arena_attr = fn.attributes.get("nnvm.arena_size")
    if arena_attr is None:
        return
    if not isinstance(arena_attr, IntegerAttr) or arena_attr.value.data < 0:
        raise OpError(fn, f"nnvm.arena_size must be a non-negative integer, got {arena_attr}")
    arena = arena_attr.value.data
    block = fn.body.blocks[0]
    ops = list(block.ops)
    ret = ops[-1] if isinstance(ops[-1], func.ReturnOp) else None
    outputs = set(ret.operands) if ret else set()

    # The last top-level op reading each value; uses inside regions count for their op.
    dies: dict[SSAValue, int] = {}
    for t, op in enumerate(ops):
        for nested in op.walk():
            for v in nested.operands:
                dies[v] = t

    slots: dict[SSAValue, Slot] = {}
    for t, op in enumerate(ops):
        if op is ret or not op.results:
            continue
        offsets = int_list(op, "nnvm.storage_offset")
        if offsets is None:
            raise OpError(op, "has no nnvm.storage_offset, but the function has a memory plan")
        inplace = int_list(op, "nnvm.inplace") or [-1] * len(op.results)
        for k, (res, off) in enumerate(zip(op.results, offsets)):
            if off < 0:
                if inplace[k] >= 0:
                    raise OpError(op, f"result #{k} is written in place but has no storage")
                continue
            if res in outputs:
                raise OpError(
                    op,
                    f"result #{k} is a function output but has storage offset {off}: "
                    "outputs live outside the arena, so nothing may overwrite them",
                )
            size = nbytes(res)
            if size is None:
                raise OpError(op, f"result #{k} has storage but its size is unknown ({res.type})")
            if off % ALIGNMENT:
                raise OpError(op, f"result #{k} offset {off} is not {ALIGNMENT}-byte aligned")
            if off + size > arena:
                raise OpError(
                    op,
                    f"result #{k} occupies bytes [{off}, {off + size}), past the arena "
                    f"size {arena}",
                )
            slots[res] = Slot(res, op, t, dies.get(res, t), off, off + size)
        for k, i in enumerate(inplace):
            if i < 0:
                continue
            check_inplace(op, t, k, i, slots, dies)

    # No two values live at once share a byte, except an in-place handover.
    ordered = sorted(slots.values(), key=lambda s: s.born)
    for a_index, a in enumerate(ordered):
        for b in ordered[a_index + 1 :]:
            if b.born > a.dies:
                continue
            if a.hi <= b.lo or b.hi <= a.lo:
                continue
            handover = (
                b.born == a.dies
                and b.op.attributes.get("nnvm.inplace") is not None
                and a.value in handover_sources(b)
            )
            if handover:
                continue
            raise OpError(
                b.op,
                f"result #{b.value.index} (bytes [{b.lo}, {b.hi})) overlaps {name(a.value)} "  # type: ignore[attr-defined]
                f"(bytes [{a.lo}, {a.hi})), which is still live here"
                + (f" (last read by {where(ops[a.dies])})" if a.dies < len(ops) else ""),
            )


def handover_sources(slot: Slot) -> list[SSAValue]:
    """The operand `slot`'s value overwrites in place (and, through chains at the same op,
    nothing else)."""
    inplace = int_list(slot.op, "nnvm.inplace") or []
    i = inplace[slot.value.index]  # type: ignore[attr-defined]
    return [slot.op.operands[i]] if i >= 0 else []


def check_inplace(
    op: Operation, t: int, k: int, i: int, slots: dict[SSAValue, Slot], dies: dict[SSAValue, int]
) -> None:
    if i >= len(op.operands):
        raise OpError(op, f"result #{k} overwrites operand #{i}, but the op has no such operand")
    allowed = inplace_option.lookup(op) or ()
    if (i, k) not in allowed:
        raise OpError(
            op,
            f"result #{k} overwrites operand #{i}, which the op does not allow "
            f"(its in-place options are {list(allowed) or 'none'})",
        )
    x = op.operands[i]
    if x not in slots:
        what = "a function input" if not isinstance(x.owner, Operation) else "not in the arena"
        raise OpError(op, f"result #{k} overwrites operand #{i} ({name(x)}), which is {what}")
    if dies[x] > t:
        raise OpError(
            op,
            f"result #{k} overwrites operand #{i} ({name(x)}), which is still read later "
            f"by {where(_op_at(op, dies[x]))}",
        )
    if slots[x].lo != slots[op.results[k]].lo:
        raise OpError(
            op,
            f"result #{k} is marked in place over operand #{i} but is at offset "
            f"{slots[op.results[k]].lo}, not {slots[x].lo}",
        )


def _op_at(op: Operation, index: int) -> Operation:
    block = op.parent_block()
    assert block is not None
    return list(block.ops)[index]


@dataclass(frozen=True)
class CheckMemoryPlan(ModulePass):
    """Certify the memory plan in the IR (from plan-memory or written by hand): no two live values
    overlap, in-place writes overwrite dead values, inputs and outputs are never in the arena."""

    name = "check-memory-plan"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.walk():
            if isinstance(fn, func.FuncOp) and fn.body.blocks:
                check_function(fn)
