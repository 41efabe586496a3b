"""`place-device`: give every op a device and copy values that cross devices (NNVM's PlaceDevice).

An op's device comes, in this order, from its `nnvm.device = "cpu:1"` attribute, from its
`device_rule` fact (`(op) -> DevicePlacement`, see facts.py), or from the pass option `rules`
(`rules="nnvm.dense=cpu:1,opaque=cpu:1"`: an op name or a pattern kind, then the device). The
others follow NNVM's propagation: forward, an op takes the device of its first operand that has
one; backward, an op still without one takes the device of its first reader; the rest get
`default`. Function arguments live where their first reader runs (`nnvm.arg_devices` on the
function). Where an op reads a value on another device, an `nnvm.device_copy` (shared by every
reader on that device) is inserted after the value's definition. The result is checked by
`check-placement`'s rule: every op reads only values on the device it expects them on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.facts import device_rule, pattern_kind
from nnvm_dialect.ops.base import build
from nnvm_dialect.ops.device import DeviceCopyOp
from nnvm_dialect.transforms.check_placement import check_function, operand_devices
from nnvm_dialect.transforms.plan_memory import drop_plan

DEVICE = re.compile(r"^[a-z][a-z0-9_]*:\d+$")


def check_device(where: Operation, device: str, what: str) -> str:
    if not DEVICE.match(device):
        raise OpError(where, f"{what} '{device}' is not a device: write KIND:INDEX, e.g. \"cpu:1\"")
    return device


def parse_rules(module: ModuleOp, rules: tuple[str, ...]) -> list[tuple[str, str]]:
    parsed = []
    for rule in rules:
        kind, sep, device = rule.partition("=")
        if not sep or not kind:
            raise OpError(module, f"place-device rule '{rule}' must be KIND=DEVICE")
        parsed.append((kind.strip(), check_device(module, device.strip(), "rule device")))
    return parsed


def fixed_device(op: Operation, rules: list[tuple[str, str]]) -> str | None:
    attr = op.attributes.get("nnvm.device")
    if attr is not None:
        if not isinstance(attr, StringAttr):
            raise OpError(op, f'nnvm.device must be a string like "cpu:1", got {attr}')
        return check_device(op, attr.data, "nnvm.device")
    rule = device_rule.lookup(op)
    if rule is not None and (placement := rule(op)).device is not None:
        return check_device(op, placement.device, "its device rule's device")
    kind = pattern_kind.lookup(op)
    for name, device in rules:
        if name == op.name or (kind is not None and name == kind.name.lower()):
            return device
    return None


def place_function(fn: func.FuncOp, default: str, rules: list[tuple[str, str]]) -> None:
    block = fn.body.blocks[0]
    ops = [op for op in block.ops if not isinstance(op, func.ReturnOp)]
    device: dict[Operation, str] = {}
    for op in ops:
        if (d := fixed_device(op, rules)) is not None:
            device[op] = d
    producer = {r: op for op in ops for r in op.results}
    for op in ops:  # forward: the first operand with a device
        if op not in device:
            for v in op.operands:
                if v in producer and producer[v] in device:
                    device[op] = device[producer[v]]
                    break
    for op in reversed(ops):  # backward: readers place the producers still unplaced
        if op in device:
            for v in op.operands:
                if v in producer and producer[v] not in device:
                    device[producer[v]] = device[op]
    for op in ops:
        device.setdefault(op, default)
        op.attributes["nnvm.device"] = StringAttr(device[op])

    arg_devices = []
    for arg in block.args:
        readers = [use.operation for use in arg.uses if use.operation in device]
        first = min(readers, key=ops.index) if readers else None
        arg_devices.append(device[first] if first is not None else default)
    fn.attributes["nnvm.arg_devices"] = ArrayAttr([StringAttr(d) for d in arg_devices])

    # Copies where a reader expects a value on another device, one per (value, device).
    where: dict[SSAValue, str] = dict(zip(block.args, arg_devices))
    where.update({r: device[op] for op in ops for r in op.results})
    copies: dict[tuple[SSAValue, str], SSAValue] = {}
    for op in ops:
        for i, (v, wanted) in enumerate(zip(op.operands, operand_devices(op))):
            if where.get(v, wanted) == wanted:
                continue
            key = (v, wanted)
            if key not in copies:
                props = {"src": StringAttr(where[v]), "dst": StringAttr(wanted)}
                copy = build(DeviceCopyOp, [v], props)
                copy.attributes["nnvm.device"] = StringAttr(wanted)
                copy.location = op.location
                point = (
                    InsertPoint.after(v.owner)
                    if isinstance(v.owner, Operation)
                    else InsertPoint.at_start(block)
                )
                Rewriter.insert_op(copy, point)
                copies[key] = copy.results[0]
                where[copy.results[0]] = wanted
            op.operands[i] = copies[key]
    if copies:
        drop_plan(fn)  # the copies need storage too: run plan-memory after place-device
    check_function(fn)


@dataclass(frozen=True)
class PlaceDevice(ModulePass):
    """Give every op a device (its nnvm.device attribute, a device_rule, the rules option, else
    NNVM's propagation, else default); insert nnvm.device_copy where values cross (PlaceDevice)."""

    name = "place-device"

    default: str = "cpu:0"
    """The device of ops nothing places."""
    rules: tuple[str, ...] = ()
    """KIND=DEVICE entries: KIND is an op name (nnvm.dense) or a pattern kind (opaque, elemwise,
    broadcast, injective, comm_reduce, out_elemwise_fusable)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        default = check_device(op, self.default, "default")
        rules = parse_rules(op, self.rules)
        for fn in list(op.walk()):
            if isinstance(fn, func.FuncOp) and fn.body.blocks:
                place_function(fn, default, rules)
