"""The reference target: a function run op by op on numpy arrays, each op by its `reference` fact.

This is the oracle every lowering is checked against. The numpy semantics themselves live next to
each op's definition (and a plugin's), registered under the `reference` fact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Attribute, Block, SSAValue
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
    names = input_names(fn)
    if isinstance(inputs, Mapping):
        unknown = sorted(set(inputs) - set(names))
        if unknown:
            raise InputError(f"unknown input '{unknown[0]}' (inputs are: {', '.join(names)})")
        missing = [n for n in names if n not in inputs]
        if missing:
            raise InputError(
                f"missing input '{missing[0]}' of type {fn.args[names.index(missing[0])].type}"
            )
        arrays = [np.asarray(inputs[n]) for n in names]
    else:
        if len(inputs) != len(names):
            raise InputError(
                f"expected {len(names)} inputs ({', '.join(names)}), got {len(inputs)}"
            )
        arrays = [np.asarray(x) for x in inputs]
    for name, arg, array in zip(names, fn.args, arrays):
        check_array(f"input '{name}'", array, arg.type)
    return arrays


def run_block(block: Block, env: dict[SSAValue, np.ndarray]) -> list[np.ndarray]:
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
            env[res] = value
    raise OpError(block.parent_op() or block.last_op, "block has no func.return")  # type: ignore[arg-type]


def run_function(
    fn: func.FuncOp, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray]
) -> list[np.ndarray]:
    """Outputs of `fn` on `inputs` (positional, or by input name)."""
    arrays = bind_inputs(fn, inputs)
    block = fn.body.blocks[0]
    with np.errstate(all="ignore"):  # log(-1) is nan here, as in numpy, without a warning
        return run_block(block, dict(zip(block.args, arrays)))
