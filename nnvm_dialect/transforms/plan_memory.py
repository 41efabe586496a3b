"""`plan-memory`: one arena for a function's intermediate tensors (NNVM's PlanMemory).

Values whose lifetimes (in op order) do not overlap share bytes, and an op writes a result over
an operand that dies at that op where its `inplace_option` fact allows (FInplaceOption). Unlike
NNVM's block allocator, slots are byte offsets: in-place partners are merged first, then the
merged values are placed largest first at the lowest-waste gap left free by the values already
placed that are live at the same time ("greedy by size"), which stays close to the lower bound.

The plan is written on the ops as discardable attributes (the cross-team contract):
`nnvm.storage_offset` (byte offset of each result, -1 when not planned), `nnvm.storage_id` (values
with one id never live at once, for `-t json`), `nnvm.inplace` (operand index each result
overwrites, -1 if none), and `nnvm.arena_size` on the function. Function inputs, constants,
function outputs and values of unknown size are not planned, so they are never overwritten.
Inside an `nnvm.fused` region only the fused op's own results are planned.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, ModuleOp, i64
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.traits import ConstantLike

from nnvm_dialect.diagnostics import emit_remark, op_location
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import inplace_option
from nnvm_dialect.ops.base import dtype_of, shape_of

ALIGN = 64
"""Every slot starts at a multiple of this many bytes (a cache line; enough for AVX-512)."""

OFFSET, STORAGE_ID, INPLACE, ARENA_SIZE = (
    "nnvm.storage_offset",
    "nnvm.storage_id",
    "nnvm.inplace",
    "nnvm.arena_size",
)


def value_bytes(type_: Attribute) -> int | None:
    """Bytes of a tensor of static shape and known element type; None otherwise."""
    shape, dtype = shape_of(type_), dtype_of(type_)
    if shape is None or None in shape or dtype is None:
        return None
    try:
        itemsize = to_numpy(dtype).itemsize
    except ValueError:
        return None
    return math.prod(shape) * itemsize  # type: ignore[arg-type]


def aligned(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def describe(value: SSAValue) -> str:
    """`%name` (or `result #i of 'op'`) and where it was defined, for remarks."""
    name = f"%{value.name_hint}" if value.name_hint else None
    owner = value.owner
    if isinstance(owner, Operation):
        loc = op_location(owner)
        where = f" at {loc.line.data}:{loc.column.data}" if loc else ""
        return name or f"result #{value.index} of '{owner.name}'{where}"  # type: ignore[attr-defined]
    return name or f"argument #{value.index}"  # type: ignore[attr-defined]


@dataclass
class Group:
    """Values sharing one slot through in-place writes; live from `start` to `end` (op indices)."""

    values: list[SSAValue]
    size: int
    start: int
    end: int
    offset: int = -1


@dataclass
class Plan:
    offsets: dict[SSAValue, int] = field(default_factory=dict[SSAValue, int])
    inplace: dict[SSAValue, int] = field(default_factory=dict[SSAValue, int])
    arena: int = 0
    naive: int = 0
    lower_bound: int = 0


def body_ops(block: Block) -> list[Operation]:
    return [op for op in block.ops if not isinstance(op, func.ReturnOp)]


def last_uses(block: Block, ops: Sequence[Operation]) -> dict[SSAValue, int]:
    """Index of the last top-level op reading each value (uses in nested regions count for the op
    around them); the function return counts as index len(ops)."""
    last: dict[SSAValue, int] = {}
    for index, op in enumerate(ops):
        for inner in op.walk():
            for v in inner.operands:
                last[v] = index
    ret = block.last_op
    if isinstance(ret, func.ReturnOp):
        for v in ret.operands:
            last[v] = len(ops)
    return last


def plan_function(fn: func.FuncOp, explain: bool = False) -> Plan:
    block = fn.body.blocks[0]
    ops = body_ops(block)
    last = last_uses(block, ops)
    returned = set(block.last_op.operands) if isinstance(block.last_op, func.ReturnOp) else set()
    defined = {r: i for i, op in enumerate(ops) for r in op.results}

    def plannable(v: SSAValue) -> str | None:
        """Why `v` gets no slot, or None when it does."""
        if v not in defined:
            return "is a function input"
        if v.owner.has_trait(ConstantLike):  # type: ignore[union-attr]
            return "is a constant"
        if v in returned:
            return "is a function output"
        if value_bytes(v.type) is None:
            return f"has a type of unknown size ({v.type})"
        return None

    # In place, in op order: the result joins the group of the operand it overwrites.
    group_of: dict[SSAValue, int] = {}
    groups: list[list[SSAValue]] = []
    plan = Plan()
    for index, op in enumerate(ops):
        for r in op.results:
            if plannable(r) is None:
                group_of[r] = len(groups)
                groups.append([r])
        options = inplace_option.lookup(op) or ()
        used: set[int] = set()
        reasons: list[str] = []
        for i, o in options:
            if i >= len(op.operands) or o >= len(op.results) or i in used:
                continue
            x, r = op.operands[i], op.results[o]
            why = None
            if r in plan.inplace:
                continue
            if (why_r := plannable(r)) is not None:
                why = f"result #{o} {why_r}"
            elif (why_x := plannable(x)) is not None:
                why = f"operand #{i} ({describe(x)}) {why_x}"
            elif last[x] > index:
                reader = ops[last[x]] if last[x] < len(ops) else None
                by = f" by '{reader.name}'" if reader else ""
                loc = op_location(reader) if reader else None
                at = f" at {loc.line.data}:{loc.column.data}" if loc else ""
                why = f"operand #{i} ({describe(x)}) is used later{by}{at}"
            elif value_bytes(x.type) != value_bytes(r.type):
                why = f"operand #{i} has {value_bytes(x.type)} bytes, result #{o} has " + str(
                    value_bytes(r.type)
                )
            if why is not None:
                reasons.append(why)
                continue
            used.add(i)
            plan.inplace[r] = i
            gx = group_of[x]
            groups[gx].append(r)
            groups[group_of[r]].remove(r)
            group_of[r] = gx
        if explain and options and not used and reasons:
            emit_remark(op, "not computed in place: " + "; ".join(reasons))

    merged: list[Group] = []
    for values in groups:
        if not values:
            continue
        size = max(aligned(value_bytes(v.type) or 0) for v in values)
        start = min(defined[v] for v in values)
        end = max(last.get(v, defined[v]) for v in values)
        merged.append(Group(values, max(size, ALIGN), start, end))

    # Place with a few orders (largest first, earliest first, longest-lived first), each time
    # into the tightest gap left by placed groups live meanwhile; keep the smallest arena, as
    # NNVM kept the best of several match ranges.
    orders = [
        lambda g: (-g.size, g.start),
        lambda g: (g.start, -g.size),
        lambda g: (-(g.end - g.start), -g.size, g.start),
        lambda g: (-g.size * (g.end - g.start + 1), g.start),
    ]
    best_offsets: list[int] = []
    best_arena = None
    for key in orders:
        offsets = place(merged, key)
        arena = max((o + g.size for o, g in zip(offsets, merged)), default=0)
        if best_arena is None or arena < best_arena:
            best_offsets, best_arena = offsets, arena
    for g, offset in zip(merged, best_offsets):
        g.offset = offset
    if explain:
        explain_new_memory(merged)

    for g in merged:
        for v in g.values:
            plan.offsets[v] = g.offset
    plan.arena = max((g.offset + g.size for g in merged), default=0)
    plan.naive = sum(aligned(value_bytes(v.type) or 0) for g in merged for v in g.values)
    live_at = [0] * (len(ops) + 1)
    for g in merged:
        for t in range(g.start, g.end + 1):
            live_at[t] += g.size
    plan.lower_bound = max(live_at, default=0)
    return plan


def place(groups: list[Group], key: Callable[[Group], tuple[int, ...]]) -> list[int]:
    """Offsets of `groups` placed in the order `key` gives, each at the lowest-waste gap."""
    offsets = [-1] * len(groups)
    placed: list[tuple[int, Group]] = []
    for index in sorted(range(len(groups)), key=lambda i: key(groups[i])):
        g = groups[index]
        live = sorted(
            ((o, p) for o, p in placed if p.start <= g.end and g.start <= p.end),
            key=lambda item: item[0],
        )
        best, best_waste, top = None, None, 0
        for o, p in live:
            gap = o - top
            if gap >= g.size and (best_waste is None or gap - g.size < best_waste):
                best, best_waste = top, gap - g.size
            top = max(top, o + p.size)
        offsets[index] = top if best is None else best
        placed.append((offsets[index], g))
    return offsets


def explain_new_memory(groups: list[Group]) -> None:
    """A remark at each value placed above all the values live at the same time."""
    for g in groups:
        live = [p for p in groups if p is not g and p.start <= g.end and g.start <= p.end]
        below = [p for p in live if p.offset < g.offset]
        if not below or any(p.offset + p.size > g.offset + g.size for p in live):
            continue
        first = g.values[0]
        total = sum(p.size for p in live)
        emit_remark(
            first.owner,  # type: ignore[arg-type]
            f"result #{first.index} ({g.size} bytes) gets new memory at offset {g.offset}: "  # type: ignore[attr-defined]
            f"no free gap that large among the {len(live)} value"
            f"{'s' if len(live) > 1 else ''} live at the same time ({total} bytes)",
        )


def drop_plan(fn: func.FuncOp) -> None:
    """Remove a memory plan a transformation has made stale (new ops, a cloned function)."""
    fn.attributes.pop(ARENA_SIZE, None)
    for op in fn.walk():
        for key in (OFFSET, STORAGE_ID, INPLACE):
            op.attributes.pop(key, None)


def ints(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


def annotate(fn: func.FuncOp, plan: Plan) -> None:
    offsets = sorted(set(plan.offsets.values()))
    ids = {off: i for i, off in enumerate(offsets)}
    for op in body_ops(fn.body.blocks[0]):
        if not op.results:
            continue
        offs = [plan.offsets.get(r, -1) for r in op.results]
        op.attributes[OFFSET] = ints(offs)
        op.attributes[STORAGE_ID] = ints([ids[o] if o >= 0 else -1 for o in offs])
        op.attributes[INPLACE] = ints([plan.inplace.get(r, -1) for r in op.results])
    fn.attributes[ARENA_SIZE] = IntegerAttr(plan.arena, 64)


@dataclass(frozen=True)
class PlanMemory(ModulePass):
    """Share one arena among intermediate tensors whose lifetimes do not overlap, writing in place
    where an op allows (PlanMemory). report=true prints naive bytes, arena and lower bound;
    explain=true emits remarks on values that could not reuse memory or be computed in place."""

    name = "plan-memory"

    report: bool = False
    explain: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.walk():
            if not isinstance(fn, func.FuncOp) or not fn.body.blocks:
                continue
            plan = plan_function(fn, self.explain)
            annotate(fn, plan)
            if self.report:
                ratio = plan.arena / plan.lower_bound if plan.lower_bound else 1.0
                print(
                    f"plan-memory @{fn.sym_name.data}: naive {plan.naive} bytes, arena "
                    f"{plan.arena} bytes, lower bound {plan.lower_bound} bytes "
                    f"(arena / lower bound {ratio:.3f})",
                    file=sys.stderr,
                )
