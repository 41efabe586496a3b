"""`check-placement`: no op reads a value placed on another device.

A placed function (one with `nnvm.arg_devices`, as `place-device` leaves it) must give every op an
`nnvm.device`; each operand must live where the op reads it: on the op's device, or where its
`device_rule` says (`nnvm.device_copy` reads on its `src`). Values live on the device of the op
that defines them, arguments where `nnvm.arg_devices` puts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.facts import device_rule


def op_device(op: Operation) -> str:
    attr = op.attributes.get("nnvm.device")
    if not isinstance(attr, StringAttr):
        raise OpError(op, "has no nnvm.device, but the function is placed (nnvm.arg_devices)")
    return attr.data


def operand_devices(op: Operation) -> list[str]:
    """Where `op` reads each operand."""
    own = op_device(op)
    rule = device_rule.lookup(op)
    listed = rule(op).operands if rule is not None else ()
    return [
        listed[i] if i < len(listed) and listed[i] is not None else own  # type: ignore[misc]
        for i in range(len(op.operands))
    ]


def value_name(v: SSAValue) -> str:
    if v.name_hint:
        return f"%{v.name_hint}"
    if isinstance(v.owner, Operation):
        return f"result #{v.index} of '{v.owner.name}'"  # type: ignore[attr-defined]
    return f"argument #{v.index}"  # type: ignore[attr-defined]


def check_function(fn: func.FuncOp) -> None:
    attr = fn.attributes.get("nnvm.arg_devices")
    if attr is None:
        return
    block = fn.body.blocks[0]
    if not isinstance(attr, ArrayAttr) or len(attr.data) != len(block.args):
        raise OpError(fn, f"nnvm.arg_devices must list one device per argument, got {attr}")
    where: dict[SSAValue, str] = {
        a: d.data for a, d in zip(block.args, attr.data) if isinstance(d, StringAttr)
    }
    for op in block.ops:
        if isinstance(op, func.ReturnOp):
            continue
        for i, (v, wanted) in enumerate(zip(op.operands, operand_devices(op))):
            if where.get(v, wanted) != wanted:
                raise OpError(
                    op,
                    f"reads operand #{i} ({value_name(v)}) on {wanted}, but it lives on "
                    f"{where[v]}: copy it with nnvm.device_copy (or run -p place-device)",
                )
        for r in op.results:
            where[r] = op_device(op)


@dataclass(frozen=True)
class CheckPlacement(ModulePass):
    """Reject any op that reads a value placed on another device (after place-device)."""

    name = "check-placement"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for fn in op.walk():
            if isinstance(fn, func.FuncOp) and fn.body.blocks:
                check_function(fn)
