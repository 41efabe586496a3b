"""The reference target: a function run op by op on numpy arrays, each op by its `reference` fact.

This is the oracle every lowering is checked against. The numpy semantics themselves live next to
each op's definition (and a plugin's), registered under the `reference` fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, ModuleOp, StringAttr
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.traits import IsTerminator

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import ShapeError, reference
from nnvm_dialect.ops.base import dtype_of, format_shape, refine_shape, shape_of


class InputError(Exception):
    """The inputs given do not fit the function's arguments; the message names the input."""


def input_names(fn: func.FuncOp) -> list[str]:
    """Argument names as written (`%data` is `data`), `arg0`, `arg1`, ... for unnamed ones; an
    imported model's own input name where it is no valid SSA name (`{nnvm.input_name = ...}`)."""
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(fn.args)]
    for i, attrs in enumerate(fn.arg_attrs.data if fn.arg_attrs else ()):
        original = attrs.data.get("nnvm.input_name")
        if isinstance(original, StringAttr) and i < len(names):
            names[i] = original.data
    return names


def entry_function(module: ModuleOp, name: str | None = None) -> func.FuncOp:
    functions = [op for op in module.walk() if isinstance(op, func.FuncOp) and op.body.blocks]
    for fn in functions:
        if name is None or fn.sym_name.data == name:
            return fn
    wanted = f"function '@{name}'" if name else "function with a body"
    raise InputError(f"the module has no {wanted}")


def check_array(what: str, array: np.ndarray, type_: Attribute) -> None:
    """Raise InputError when `array` cannot be a value of `type_`."""
    try:
        refine_shape(shape_of(type_), array.shape)
    except ShapeError:
        got, want = format_shape(array.shape), format_shape(shape_of(type_))
        raise InputError(f"{what} has shape {got}, expected {want}") from None
    dtype = dtype_of(type_)
    if dtype is not None and array.dtype != to_numpy(dtype):
        raise InputError(f"{what} has dtype {array.dtype}, expected {to_numpy(dtype)} ({dtype})")


def bind_inputs(
    fn: func.FuncOp, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray]
) -> list[np.ndarray]:
    return bind_named(input_names(fn), [a.type for a in fn.args], inputs, check_array)


T = TypeVar("T")


def bind_named(
    names: Sequence[str],
    types: Sequence[T],
    inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
    check: Callable[[str, np.ndarray, T], None],
) -> list[np.ndarray]:
    """The inputs in argument order, each checked against its type; a compiled model without
    its function (from the CPU target's disk cache) binds by its names and types alone."""
    if isinstance(inputs, Mapping):
        unknown = sorted(set(inputs) - set(names))
        if unknown:
            raise InputError(f"unknown input '{unknown[0]}' (inputs are: {', '.join(names)})")
        missing = [n for n in names if n not in inputs]
        if missing:
            type_ = types[names.index(missing[0])]
            raise InputError(f"missing input '{missing[0]}' of type {type_}")
        arrays = [np.asarray(inputs[n]) for n in names]
    else:
        if len(inputs) != len(names):
            raise InputError(
                f"expected {len(names)} inputs ({', '.join(names)}), got {len(inputs)}"
            )
        arrays = [np.asarray(x) for x in inputs]
    for name, type_, array in zip(names, types, arrays):
        check(f"input '{name}'", array, type_)
    return arrays


class Arena:
    """One byte buffer holding every planned value of a function at its `nnvm.storage_offset`
    (a plan from `plan-memory`), so that a wrong plan gives wrong outputs. With `poison`, a value's
    bytes are filled with 0xFF (NaN for floats, -1 for integers) once its last reader has run."""

    def __init__(self, fn: func.FuncOp, poison: bool = False):
        size = fn.attributes["nnvm.arena_size"]
        assert isinstance(size, IntegerAttr)
        self.buffer = np.zeros(size.value.data, np.uint8)
        self.poison = poison
        self.dying: dict[Operation, list[SSAValue]] = {}
        last: dict[SSAValue, Operation] = {}
        for op in fn.body.blocks[0].ops:
            for inner in op.walk():
                for v in inner.operands:
                    last[v] = op
        for v, op in last.items():
            self.dying.setdefault(op, []).append(v)
        self.views: dict[SSAValue, np.ndarray] = {}

    def store(self, op: Operation, results: list[np.ndarray]) -> list[np.ndarray]:
        """Values as the op's next readers see them: planned ones are views into the arena."""
        # Results must not alias the arena (reshape returns views of its operand).
        results = [v.copy() if np.may_share_memory(v, self.buffer) else v for v in results]
        # The op has read its operands: those it was the last reader of die now (in-place
        # results are written after, into the same bytes).
        for v in self.dying.get(op, []):
            self.kill(v)
        offsets = op.attributes.get("nnvm.storage_offset")
        stored: list[np.ndarray] = []
        for i, (res, value) in enumerate(zip(op.results, results)):
            offset = offsets.get_values()[i] if isinstance(offsets, DenseArrayBase) else -1
            if offset < 0:
                stored.append(value)
                continue
            view = self.buffer[offset : offset + value.nbytes].view(value.dtype)
            view = view.reshape(value.shape)
            view[...] = value
            self.views[res] = view
            stored.append(view)
            if not res.uses:
                self.kill(res)
        return stored

    def kill(self, value: SSAValue) -> None:
        view = self.views.pop(value, None)
        if view is not None and self.poison:
            view.view(np.uint8)[...] = 0xFF


def run_block(
    block: Block, env: dict[SSAValue, np.ndarray], arena: Arena | None = None
) -> list[np.ndarray]:
    for op in block.ops:
        if isinstance(op, func.ReturnOp) or op.has_trait(IsTerminator):
            return [env[v] for v in op.operands]
        semantics = reference.lookup(op)
        if semantics is None:
            raise OpError(op, "has no reference semantics (register them with `reference`)")
        try:
            results = semantics(op, *(env[v] for v in op.operands))
        except Exception as e:  # a bug in the semantics, reported where it struck
            raise OpError(op, f"reference semantics failed: {type(e).__name__}: {e}") from e
        results = [results] if isinstance(results, np.ndarray) else list(results)
        if len(results) != len(op.results):
            raise OpError(
                op, f"reference semantics gave {len(results)} results for {len(op.results)}"
            )
        for i, (res, value) in enumerate(zip(op.results, results)):
            try:
                check_array(f"result #{i} of the reference semantics", value, res.type)
            except InputError as e:
                raise OpError(op, str(e)) from None
        if arena is not None:
            results = arena.store(op, results)
        for res, value in zip(op.results, results):
            env[res] = value
    raise OpError(block.parent_op() or block.last_op, "block has no func.return")  # type: ignore[arg-type]


def run_function(
    fn: func.FuncOp,
    inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
    poison: bool = False,
) -> list[np.ndarray]:
    """Outputs of `fn` on `inputs` (positional, or by input name). A function with a memory plan
    runs inside one arena; `poison` fills a value's storage with NaN patterns when it dies."""
    arrays = bind_inputs(fn, inputs)
    block = fn.body.blocks[0]
    arena = Arena(fn, poison) if "nnvm.arena_size" in fn.attributes else None
    with np.errstate(all="ignore"):  # log(-1) is nan here, as in numpy, without a warning
        if "nnvm.arg_devices" in fn.attributes:
            return run_placed(fn, arrays)
        return run_block(block, dict(zip(block.args, arrays)), arena)


def run_placed(fn: func.FuncOp, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """A function placed by `place-device`: each device is an executor with its own memory. An
    op reads its operands from the memory of the device it expects them on and writes its
    results to its own device's memory, so only an nnvm.device_copy moves a value across."""
    from nnvm_dialect.transforms.check_placement import op_device, operand_devices, value_name

    block = fn.body.blocks[0]
    memory: dict[str, dict[SSAValue, np.ndarray]] = {}
    devices = fn.attributes["nnvm.arg_devices"]
    for arg, array, device in zip(block.args, arrays, devices.data):  # type: ignore[attr-defined]
        memory.setdefault(device.data, {})[arg] = array.copy()
    for op in block.ops:
        if isinstance(op, func.ReturnOp):  # the host gathers the outputs from wherever they are
            held = {v: a for values in memory.values() for v, a in values.items()}
            return [held[v].copy() for v in op.operands]
        operands = []
        for v, device in zip(op.operands, operand_devices(op)):
            if v not in memory.get(device, {}):
                raise OpError(
                    op, f"reads {value_name(v)} on {device}, whose memory does not hold it"
                )
            operands.append(memory[device][v])
        semantics = reference.lookup(op)
        if semantics is None:
            raise OpError(op, "has no reference semantics (register them with `reference`)")
        results = semantics(op, *operands)
        results = [results] if isinstance(results, np.ndarray) else list(results)
        own = memory.setdefault(op_device(op), {})
        for res, value in zip(op.results, results):
            own[res] = np.array(value, copy=True)
    raise OpError(fn, "has no func.return")
