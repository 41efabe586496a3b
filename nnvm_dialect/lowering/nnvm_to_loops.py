"""`convert-nnvm-to-loops`: the first CPU stage; tensors become buffers and ops become loops.

Every function with a body is rewritten in destination-passing style on flat, row-major buffers:

    func.func @f(inputs..., runtime buffers..., outputs..., %arena: memref<Nxi8>)
        attributes {nnvm.abi = array<i64: #inputs, #runtime buffers, #outputs>,
                    nnvm.arena_size = N : i64}

Inputs keep their order and names. Runtime buffers are the values of ops whose lowering is a
`RuntimeBuffer` (weights, `nnvm.constant`): the runtime passes them in at call time, so weights
never become IR or LLVM constants. Outputs are written in place; a result that is also returned is
computed straight into its output. Every other result lives in the arena, a 64-byte aligned byte
buffer: at `nnvm.storage_offset` when `plan-memory` has placed it, else in a slot of its own.

## The `lowering` fact

`lowering.lookup(op)` is one of the classes below. Lowering functions build IR through a
`Lowering` (an `Emitter` with access to the op's operands and results); they never see tensors.

- `PerElement(value)`: for elementwise, broadcast and injective ops. `value(em, op, r, idx)`
  returns the scalar of result `r` at multi-index `idx` (a list of `index` values), reading
  operands with `em.operand(op, i, idx)`. The stage loops over the result and stores each value;
  ops of pattern ELEMWISE get one flat loop (their `idx` is then a single linear index, which
  `em.operand` passes through). Inside a fused group `em.operand` computes a producer's value in
  place, so the group becomes one loop nest with no buffer between its ops.
- `LoopNest(emit)`: for reductions and out-elementwise-fusable ops (dense, conv2d, pools, ...).
  `emit(em, op)` emits its own loops; it may accumulate in `em.out(op, r)` (a `Buffer`), must
  hand each finished element to `em.result(op, r, idx, value)` (the epilogue hook, where fused
  elementwise ops are applied; it stores), and may ask `em.has_epilogue(op, r)` to skip a final
  sweep that would only store what is already there. `em.buffer(op.operands[i])` gives an
  operand's buffer and `em.scratch(shape, dtype)` a temporary in the arena.
- `RuntimeBuffer(value)`: the op's single result is an argument of the lowered function;
  `value(op)` gives the numpy array the runtime passes for it.

Register with `lowering.register(MyOp)(PerElement(f))`, next to this stage for the dialect's ops
(lowering/loops_*.py) or from a plugin for its own. An op with no lowering is refused with a
located error naming it and this stage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func, memref
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.dtypes import NARROW_FLOATS, NARROW_INTS, to_numpy
from nnvm_dialect.facts import dtypes, lowering
from nnvm_dialect.lowering.emitter import Buffer, Emitter, Index, buffer_type
from nnvm_dialect.ops.base import NnvmOp, dtype_of, shape_of

STAGE = "convert-nnvm-to-loops"
ALIGN = 64


@dataclass(frozen=True)
class PerElement:
    """value(em, op, r, idx) -> the scalar of result r at idx.

    `flat` says when the stage may pass a single linear index instead of a multi-index:
    "always" (the value at offset k reads each operand at offset k: reshapes), "same" (so when
    every operand has the result's shape: elementwise and broadcast ops) or "" (never).
    """

    value: Callable[[Lowering, Operation, int, list[Index]], SSAValue]
    flat: str = ""


@dataclass(frozen=True)
class LoopNest:
    """emit(em, op): loops of its own, finishing each element through em.result(...)."""

    emit: Callable[[Lowering, Operation], None]


@dataclass(frozen=True)
class RuntimeBuffer:
    """value(op) -> the array passed in at call time for the op's result."""

    value: Callable[[Operation], np.ndarray]


def tensor_shape(value: SSAValue) -> tuple[int, ...]:
    shape = shape_of(value.type)
    assert shape is not None and None not in shape
    return shape  # type: ignore[return-value]


def tensor_dtype(value: SSAValue) -> np.dtype:
    dtype = dtype_of(value.type)
    assert dtype is not None
    return to_numpy(dtype)


def static_type_problem(value: SSAValue) -> str | None:
    """Why `value` cannot have a buffer (unknown shape or element type), or None."""
    shape, dtype = shape_of(value.type), dtype_of(value.type)
    if not isinstance(value.type, TensorType) or shape is None or None in shape:
        return f"has unknown dims ({value.type})"
    if dtype is None:
        return f"has an unknown element type ({value.type})"
    try:
        to_numpy(dtype)
    except ValueError:
        return f"has element type {dtype}, which the CPU target does not support"
    return None


def narrow_type_problem(op: Operation) -> str | None:
    """Narrow types (bf16, float8, int4, ...) live as their bits in integers here, so only ops
    declaring them (in their `dtypes` fact; cast does) may meet them: other ops' integer
    arithmetic on those bits would compute nonsense. (The reference target has no such limit.)"""
    if op.regions or not isinstance(op, NnvmOp):
        return None
    declared = dtypes.lookup(op) or ()
    for v in (*op.operands, *op.results):
        dtype = dtype_of(v.type)
        if dtype is None:
            continue
        try:
            np_dtype = to_numpy(dtype)
        except ValueError:
            continue
        if np_dtype in (*NARROW_FLOATS, *NARROW_INTS) and np_dtype not in declared:
            return (
                f"meets element type {dtype}, which the CPU target takes only in ops that "
                "declare it (in their dtypes; cast does)"
            )
    return None


@dataclass
class Lowering(Emitter):
    """The state of one function's lowering, handed to every op's lowering."""

    block: Block
    buffers: dict[SSAValue, Buffer] = field(default_factory=dict[SSAValue, Buffer])
    arena: SSAValue | None = None
    arena_end: int = 0
    inline: set[SSAValue] = field(default_factory=set[SSAValue])
    """Values of a fused group computed where they are used, never stored."""
    epilogue: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])
    """A fused master's result -> the group output computed from it, element by element."""
    overrides: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])

    def __post_init__(self) -> None:
        Emitter.__init__(self, self.block)

    # Reading operands ------------------------------------------------------------------------

    def operand(self, op: Operation, i: int, idx: Sequence[Index]) -> SSAValue:
        """The scalar of operand `i` of `op` at `idx`."""
        return self.value_at(op.operands[i], idx)

    def value_at(self, value: SSAValue, idx: Sequence[Index]) -> SSAValue:
        """A tensor's element: loaded, or computed in place when its producer is inlined."""
        if value in self.overrides:
            return self.overrides[value]
        if value in self.inline:
            return self.compute(value, idx)
        return self.load(self.buffer(value), idx)

    def compute(self, value: SSAValue, idx: Sequence[Index]) -> SSAValue:
        """A tensor's element computed by its producer's PerElement lowering."""
        producer = value.owner
        rule = lowering.lookup(producer)  # type: ignore[arg-type]
        assert isinstance(rule, PerElement) and isinstance(producer, Operation)
        return rule.value(self, producer, value.index, list(idx))  # type: ignore[attr-defined]

    def buffer(self, value: SSAValue) -> Buffer:
        """The value's storage; for a value inlined in a fused group, which has none, a
        `Computed` stand-in whose loads compute the element in place."""
        if value not in self.buffers and value in self.inline:
            return Computed(None, tensor_shape(value), tensor_dtype(value), value)  # type: ignore[arg-type]
        return self.buffers[value]

    def load(self, buf: Buffer, idx: Sequence[Index | int]) -> SSAValue:
        if isinstance(buf, Computed):
            at = [self.index(i) for i in idx]
            if len(at) != len(buf.shape):  # a flat index
                at = self.delinear(buf.shape, at[0])
            return self.value_at(buf.value, at)
        return super().load(buf, idx)

    # Writing results -------------------------------------------------------------------------

    def out(self, op: Operation, r: int) -> Buffer:
        return self.buffers[op.results[r]]

    def has_epilogue(self, op: Operation, r: int) -> bool:
        return op.results[r] in self.epilogue

    def result(self, op: Operation, r: int, idx: Sequence[Index], value: SSAValue) -> None:
        res = op.results[r]
        final = self.epilogue.get(res)
        if final is None:
            self.store(value, self.out(op, r), idx)
            return
        self.overrides[res] = value
        self.store(self.compute(final, idx), self.buffers[final], idx)
        del self.overrides[res]

    # Memory ---------------------------------------------------------------------------------

    def place(self, offset: int, shape: Sequence[int], dtype: np.dtype) -> Buffer:
        """A buffer at byte `offset` of the arena."""
        assert self.arena is not None
        view = memref.ViewOp(self.arena, self.index(offset), [], buffer_type(shape, dtype))
        self.block.add_op(view)
        self.arena_end = max(self.arena_end, offset + _padded(shape, dtype))
        return Buffer(view.results[0], tuple(shape), np.dtype(dtype))

    def scratch(self, shape: Sequence[int], dtype: np.dtype) -> Buffer:
        """A temporary of its own in the arena."""
        return self.place(self.arena_end, shape, dtype)


@dataclass(frozen=True)
class Computed(Buffer):
    """A value of a fused group that is computed where it is read, seen as a buffer: ops whose
    lowering reads an operand with `em.load(em.buffer(v), idx)` work on it unchanged."""

    value: SSAValue | None = None


def _padded(shape: Sequence[int], dtype: np.dtype) -> int:
    size = max(1, math.prod(shape)) * np.dtype(dtype).itemsize
    return -(-size // ALIGN) * ALIGN


def lowering_of(op: Operation) -> PerElement | LoopNest | RuntimeBuffer:
    rule = lowering.lookup(op)
    if rule is None:
        raise OpError(
            op,
            f"has no CPU lowering (stage {STAGE}); register one with the `lowering` fact "
            "(see nnvm_dialect/lowering/nnvm_to_loops.py)",
        )
    return rule


def lower_op(em: Lowering, op: Operation) -> None:
    """Emit the loops of one op whose results already have buffers."""
    rule = lowering_of(op)
    if isinstance(rule, LoopNest):
        rule.emit(em, op)
        return
    assert isinstance(rule, PerElement)
    for r in range(len(op.results)):
        out = em.out(op, r)
        flat = flat_ok(op, out.shape)

        def body(idx: list[Index], r: int = r, out: Buffer = out) -> None:
            em.result(op, r, idx, rule.value(em, op, r, idx))

        em.nest((out.size,) if flat else out.shape, body)


def flat_ok(op: Operation, shape: tuple[int, ...]) -> bool:
    """Whether `op` can compute its elements from a linear index into `shape`."""
    rule = lowering.lookup(op)
    if not isinstance(rule, PerElement):
        return False
    if rule.flat == "always":
        return True
    return rule.flat == "same" and all(tensor_shape(v) == shape for v in op.operands)


def storage_offsets(op: Operation) -> list[int]:
    """plan-memory's byte offsets of the op's results, -1 where it placed none."""
    attr = op.attributes.get("nnvm.storage_offset")
    if isinstance(attr, DenseArrayBase):
        return [int(x) for x in attr.get_values()]
    return [-1] * len(op.results)


def copy(em: Lowering, src: Buffer, dst: Buffer) -> None:
    em.nest((src.size,), lambda idx: em.store(em.load(src, idx), dst, idx))


def lower_function(fn: func.FuncOp) -> func.FuncOp:
    old = fn.body.blocks[0]
    ret = old.last_op
    assert isinstance(ret, func.ReturnOp)
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(fn.args)]
    for name, arg in zip(names, fn.args):
        if problem := static_type_problem(arg):
            if "element type" in problem:
                raise OpError(fn, f"argument '{name}' {problem}")
            raise OpError(
                fn,
                f"argument '{name}' {problem}: the CPU target needs static shapes; write the "
                f"shape in the function type or give it with --input-shape {name}=D0xD1x...",
            )
    ops = [op for op in old.ops if op is not ret]
    for op in (inner for outer in ops for inner in outer.walk()):  # fused bodies too
        for res in op.results:
            if problem := static_type_problem(res):
                message = f"result {problem}: run infer-shape and infer-type first ({STAGE})"
                raise OpError(op, message)
        if problem := narrow_type_problem(op):
            raise OpError(op, problem)
    constants = [op for op in ops if isinstance(lowering.lookup(op), RuntimeBuffer)]

    def typed(v: SSAValue) -> MemRefType:
        return buffer_type(tensor_shape(v), tensor_dtype(v))

    arena_type = MemRefType(IntegerType(8), [1])  # resized below, once the size is known
    arg_types = [
        *(typed(a) for a in fn.args),
        *(typed(c.results[0]) for c in constants),
        *(typed(v) for v in ret.arguments),
        arena_type,
    ]
    block = Block(arg_types=arg_types)
    n_in, n_c, n_out = len(fn.args), len(constants), len(ret.arguments)
    for arg, name in zip(block.args, names):
        arg.name_hint = name
    em = Lowering(block)
    em.arena = block.args[-1]
    em.arena.name_hint = "arena"
    for arg, new in zip(fn.args, block.args):
        em.buffers[arg] = Buffer(new, tensor_shape(arg), tensor_dtype(arg))
    for c, new in zip(constants, block.args[n_in : n_in + n_c]):
        new.name_hint = "weight"
        value = c.results[0]
        em.buffers[value] = Buffer(new, tensor_shape(value), tensor_dtype(value))
    outputs = []
    for v, new in zip(ret.arguments, block.args[n_in + n_c : -1]):
        new.name_hint = "out"
        outputs.append(Buffer(new, tensor_shape(v), tensor_dtype(v)))

    # Results computed straight into an output: the first return of each op result.
    direct: dict[SSAValue, Buffer] = {}
    for v, out in zip(ret.arguments, outputs):
        if v not in em.buffers and v not in direct:
            direct[v] = out
    planned = fn.attributes.get("nnvm.arena_size")
    em.arena_end = planned.value.data if isinstance(planned, IntegerAttr) else 0
    for op in ops:
        if op in constants:
            continue
        for res, offset in zip(op.results, storage_offsets(op)):
            if res in direct:
                em.buffers[res] = direct[res]
            elif offset >= 0:
                em.buffers[res] = em.place(offset, tensor_shape(res), tensor_dtype(res))
            else:
                em.buffers[res] = em.scratch(tensor_shape(res), tensor_dtype(res))
        lower_op(em, op)
    for v, out in zip(ret.arguments, outputs):
        if direct.get(v) is not out:
            copy(em, em.buffers[v], out)
    em.emit(func.ReturnOp())

    arena_size = max(ALIGN, em.arena_end)
    old_arena = block.args[-1]
    new_arena = block.insert_arg(MemRefType(IntegerType(8), [arena_size]), len(block.args))
    new_arena.name_hint = "arena"
    old_arena.replace_all_uses_with(new_arena)
    block.erase_arg(old_arena)
    new_fn = func.FuncOp(
        fn.sym_name.data, ([a.type for a in block.args], []), Region(block), fn.sym_visibility
    )
    new_fn.attributes["nnvm.abi"] = DenseArrayBase.from_list(i64, [n_in, n_c, n_out])
    new_fn.attributes["nnvm.arena_size"] = IntegerAttr(arena_size, 64)
    new_fn.attributes["nnvm.input_names"] = StringAttr(",".join(names))
    return new_fn


def runtime_buffers(fn: func.FuncOp) -> list[np.ndarray]:
    """The arrays for the runtime-buffer arguments of `fn` once lowered, in argument order."""
    arrays = []
    for op in fn.body.blocks[0].ops:
        rule = lowering.lookup(op)
        if isinstance(rule, RuntimeBuffer):
            arrays.append(np.ascontiguousarray(rule.value(op)))
    return arrays


@dataclass(frozen=True)
class ConvertNnvmToLoops(ModulePass):
    """Lower nnvm ops on tensors to scf/arith/math/memref loops on buffers (CPU stage 1)."""

    name = "convert-nnvm-to-loops"

    def apply(self, ctx: Context, module: ModuleOp) -> None:
        for fn in list(module.walk()):
            if not isinstance(fn, func.FuncOp) or not fn.body.blocks:
                continue
            if "nnvm.abi" in fn.attributes:
                continue
            new_fn = lower_function(fn)
            fn.parent_block().insert_op_before(new_fn, fn)  # type: ignore[union-attr]
            fn.detach()
            fn.erase(safe_erase=False)
