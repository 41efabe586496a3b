"""`fuse-ops`: group ops into `nnvm.fused` kernels by pattern kind (NNVM's GraphFusePartition).

The pass asks each op only for its `pattern_kind` fact. Walking a function body forward, each op
decides, for every operand made by an op that is still undecided, whether that producer fuses
into it (NNVM's rules):

- an elementwise or broadcast op absorbs elementwise, broadcast and injective producers, and one
  out-elementwise-fusable producer (conv2d, dense) whose result has its own shape;
- an injective op or a reduction absorbs producers up to injective;
- out-elementwise-fusable and opaque ops absorb nothing.

An op whose results have more than one use is decided at once (never absorbed), so groups only
follow single-consumer edges and a value never leaves a group half-way. Groups of two or more
ops become one `nnvm.fused` op in place of the group's last op; single ops stay as they are.
With `explain=true` every decision is a remark at the op that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.traits import IsTerminator

from nnvm_dialect.diagnostics import emit_remark
from nnvm_dialect.facts import OpPattern, pattern_kind
from nnvm_dialect.ops.base import format_shape, shape_of
from nnvm_dialect.ops.fused import FusedOp, YieldOp


def kind_name(p: OpPattern) -> str:
    return p.name.lower()


@dataclass
class Node:
    """What the walk knows about one op: NNVM's rule, effective pattern and master."""

    op: Operation
    pattern: OpPattern
    effective: OpPattern
    decided: bool = False
    """Realized or fused into a consumer; NNVM's rule is no longer 'unknown'."""
    fused_into: Operation | None = None
    master: Operation | None = None
    group: list[Operation] = field(default_factory=list[Operation])


def uses(op: Operation) -> int:
    return sum(len(list(r.uses)) for r in op.results)


def same_shape(a: SSAValue, b: SSAValue) -> bool:
    sa, sb = shape_of(a.type), shape_of(b.type)
    return sa is not None and None not in sa and sa == sb


@dataclass
class Partition:
    """NNVM's forward walk over one block: decide every edge, then collect the groups."""

    explain: bool
    nodes: dict[Operation, Node] = field(default_factory=dict[Operation, Node])

    def producer(self, value: SSAValue) -> Node | None:
        owner = value.owner
        return self.nodes.get(owner) if isinstance(owner, Operation) else None

    def say(self, op: Operation, message: str) -> None:
        if self.explain:
            emit_remark(op, message)

    def visit(self, op: Operation) -> None:
        pattern = pattern_kind.lookup(op)
        assert pattern is not None  # the fact defaults to OPAQUE
        node = Node(op, pattern, pattern)
        self.nodes[op] = node
        if not op.operands:  # constants and other inputs are realized, as NNVM's variables
            node.decided = True
            return
        fused: list[Node] = []
        injective_input = False
        for index, value in enumerate(op.operands):
            src = self.producer(value)
            if src is None or src.decided:
                continue
            src.decided = True
            fuses, why = self.decide(node, src, value)
            where = f"operand #{index} from '{src.op.name}' ({self.describe(src)})"
            if fuses:
                src.fused_into = op
                fused.append(src)
                injective_input |= src.effective == OpPattern.INJECTIVE
                self.say(op, f"fuses {where}: {why}")
            else:
                self.say(op, f"does not fuse {where}: {why}")
        if node.master is not None and injective_input:
            # NNVM keeps an out-elementwise-fusable input out of a group that also takes
            # injective inputs: one schedule cannot serve both.
            master_src = next(s for s in fused if s.effective == OpPattern.OUT_ELEMWISE_FUSABLE)
            master_src.fused_into = None
            node.master = None
            self.say(
                op,
                f"leaves '{master_src.op.name}' (out_elemwise_fusable) out of its group: "
                "it also takes injective inputs",
            )
        node.effective = self.effective(node, fused, injective_input)
        if node.effective in (OpPattern.COMM_REDUCE, OpPattern.OUT_ELEMWISE_FUSABLE):
            node.master = node.master or op
        count = uses(op)
        if count > 1:
            node.decided = True
            self.say(op, f"is not fused into a consumer: its results have {count} uses")

    @staticmethod
    def describe(node: Node) -> str:
        if node.effective == node.pattern:
            return kind_name(node.pattern)
        return f"{kind_name(node.pattern)}, grouped as {kind_name(node.effective)}"

    def decide(self, node: Node, src: Node, value: SSAValue) -> tuple[bool, str]:
        """Whether `src` fuses into `node`, and why."""
        ip = src.effective
        mine = kind_name(node.pattern)
        if node.pattern <= OpPattern.BROADCAST:
            if ip <= OpPattern.INJECTIVE:
                return True, f"{mine} ops absorb elemwise, broadcast and injective producers"
            if ip == OpPattern.OUT_ELEMWISE_FUSABLE:
                if node.master is not None:
                    return False, f"the group already has master '{node.master.name}'"
                if not same_shape(value, node.op.results[0]):
                    here = format_shape(shape_of(node.op.results[0].type))
                    there = format_shape(shape_of(value.type))
                    return False, f"its shape {there} differs from this op's {here}"
                node.master = src.master or src.op
                return True, f"{mine} ops absorb an out_elemwise_fusable producer of their shape"
            return False, f"{mine} ops do not absorb {kind_name(ip)} producers"
        if node.pattern in (OpPattern.INJECTIVE, OpPattern.COMM_REDUCE):
            if ip <= OpPattern.INJECTIVE:
                return True, f"{mine} ops absorb elemwise, broadcast and injective producers"
            return False, f"{mine} ops absorb only elemwise, broadcast and injective producers"
        return False, f"{mine} ops absorb no producers"

    @staticmethod
    def effective(node: Node, fused: Sequence[Node], injective_input: bool) -> OpPattern:
        if node.pattern > OpPattern.BROADCAST:
            return node.pattern
        if node.master is not None:
            return OpPattern.OUT_ELEMWISE_FUSABLE
        if injective_input:
            return OpPattern.INJECTIVE
        op = node.op
        same = all(
            same_shape(v, op.results[0]) or v.type == op.results[0].type for v in op.operands
        )
        if len(op.results) == 1 and same and all(s.effective == OpPattern.ELEMWISE for s in fused):
            return OpPattern.ELEMWISE
        return OpPattern.BROADCAST

    def groups(self, block: Block) -> list[list[Operation]]:
        """Groups of two or more ops, in block order; the last op is the group's root."""
        group_of: dict[Operation, list[Operation]] = {}
        groups: list[list[Operation]] = []
        for op in reversed(list(block.ops)):
            node = self.nodes.get(op)
            if node is None:
                continue
            if node.fused_into in group_of:
                group = group_of[node.fused_into]  # pyright: ignore[reportArgumentType]
                group.append(op)
            else:
                group = [op]
                groups.append(group)
            group_of[op] = group
        return [group[::-1] for group in groups if len(group) > 1]


def outlined(group: list[Operation], root: Node) -> FusedOp:
    """The group as one `nnvm.fused` yielding its root's results, its ops cloned into the body.

    Only the root has uses outside the group: every other member has one use, its consumer.
    """
    inside = set(group)
    inputs: list[SSAValue] = []
    for op in group:
        for v in op.operands:
            if not (isinstance(v.owner, Operation) and v.owner in inside) and v not in inputs:
                inputs.append(v)
    block = Block(arg_types=[v.type for v in inputs])
    mapping: dict[SSAValue, SSAValue] = dict(zip(inputs, block.args))
    for arg, v in zip(block.args, inputs):
        arg.name_hint = v.name_hint
    for op in group:
        block.add_op(op.clone(value_mapper=mapping))
    block.add_op(YieldOp([mapping[r] for r in root.op.results]))
    master = group.index(root.master) if root.master in inside else len(group) - 1
    fused = FusedOp(inputs, Region(block), root.op.result_types, root.effective, master)
    fused.location = root.op.location
    for new, old in zip(fused.results, root.op.results):
        new.name_hint = old.name_hint
    return fused


def fuse_block(block: Block, explain: bool) -> None:
    partition = Partition(explain)
    for op in block.ops:
        if not op.has_trait(IsTerminator):
            partition.visit(op)
    for group in partition.groups(block):
        root = partition.nodes[group[-1]]
        if explain:
            names = ", ".join(f"'{op.name}'" for op in group)
            emit_remark(
                root.op,
                f"roots a fused group of {len(group)} ops ({names}), "
                f"pattern {kind_name(root.effective)}",
            )
        Rewriter.replace_op(root.op, outlined(group, root))
        for op in reversed(group[:-1]):
            Rewriter.erase_op(op)


@dataclass(frozen=True)
class FuseOps(ModulePass):
    """Group ops into nnvm.fused kernels by their pattern kind (GraphFusePartition); explain=true
    prints a remark for every decision."""

    name = "fuse-ops"

    explain: bool = False
    """Emit one remark per fusion decision, at the op that made it."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.walk():
            if isinstance(fn, func.FuncOp) and fn.body.blocks:
                for block in fn.body.blocks:
                    fuse_block(block, self.explain)
