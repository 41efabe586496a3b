"""The op reference, generated from the registry: `docs/ops.md` and `nnvm-opt --list-ops`.

    python -m nnvm_dialect.tools.ops_doc docs/ops.md      # regenerate the reference
    nnvm-opt --list-ops [--format markdown] [--plugin P.py]

Every column comes from the op's definition and its facts, so a new op is documented the moment
it is declared; tests/test_registry_docs.py fails when docs/ops.md is out of date.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
)
from xdsl.ir import Attribute
from xdsl.irdl import OptOperandDef, OptPropertyDef, VarOperandDef

from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import dtypes, onnx_equivalent, pattern_kind
from nnvm_dialect.ops.base import NnvmOp

REGENERATE = "python -m nnvm_dialect.tools.ops_doc docs/ops.md"


def show_attr(attr: Attribute) -> str:
    if isinstance(attr, IntegerAttr):
        if attr.type == IntegerType(1):
            return "true" if attr.value.data else "false"
        return str(attr.value.data)
    if isinstance(attr, FloatAttr):
        return f"{attr.value.data:g}"
    if isinstance(attr, StringAttr):
        return f'"{attr.data}"'
    if isinstance(attr, DenseArrayBase):
        return "(" + ", ".join(str(int(x)) for x in attr.get_values()) + ")"
    if isinstance(attr, ArrayAttr):
        return "[" + ", ".join(show_attr(a) for a in attr.data) + "]"
    return str(attr)


def operands(cls: type[NnvmOp]) -> str:
    parts = []
    for name, definition in cls.get_irdl_definition().operands:
        if isinstance(definition, OptOperandDef):  # a kind of VarOperandDef
            parts.append(f"[{name}]")
        elif isinstance(definition, VarOperandDef):
            parts.append(f"{name}...")
        else:
            parts.append(name)
    return ", ".join(parts)


def attributes(cls: type[NnvmOp]) -> str:
    parts = []
    for name, prop in cls.get_irdl_definition().properties.items():
        if prop.default_value is not None:
            parts.append(f"{name} = {show_attr(prop.default_value)}")
        elif isinstance(prop, OptPropertyDef):
            parts.append(f"[{name}]")
        else:
            parts.append(name)
    return ", ".join(parts)


def dtype_names(cls: type[NnvmOp]) -> str:
    declared = dtypes.lookup(cls)
    if declared is None:
        return ""
    return ", ".join(str(from_numpy(np.dtype(d))) for d in declared)


def summary(cls: type[NnvmOp]) -> str:
    doc = " ".join((cls.__doc__ or "").split())
    return re.split(r"\.(?:\s+(?=[A-Z`])|$)", doc)[0] if doc else ""


def rows(ops: Sequence[type[NnvmOp]]) -> list[list[str]]:
    return [
        [
            cls.name,
            operands(cls),
            attributes(cls),
            dtype_names(cls),
            onnx_equivalent.lookup(cls) or "",
            pattern_kind.lookup(cls).name.lower(),  # pyright: ignore[reportOptionalMemberAccess]
            summary(cls),
        ]
        for cls in sorted(ops, key=lambda op: op.name)
    ]


HEADER = ["op", "operands", "attributes (default)", "dtypes", "ONNX", "pattern", "what it does"]


def markdown_table(ops: Sequence[type[NnvmOp]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    for row in rows(ops):
        first, *rest = row
        lines.append("| " + " | ".join([f"`{first}`", *map(cell, rest)]) + " |")
    return "\n".join(lines)


def text_listing(ops: Sequence[type[NnvmOp]]) -> str:
    lines = []
    for name, ins, attrs, types, *_ in rows(ops):
        line = f"{name}({ins})"
        if attrs:
            line += f" {{{attrs}}}"
        if types:
            line += f" [{types}]"
        lines.append(line)
    return "\n".join(lines)


def document(ops: Sequence[type[NnvmOp]]) -> str:
    return (
        "# Operators\n\n"
        f"<!-- Generated from the op registry by `{REGENERATE}`; do not edit. -->\n\n"
        f"{len(ops)} ops. Operands in brackets are optional and `x...` takes any number; "
        "attributes without a default are required. `dtypes` are the element types an op "
        "accepts (f16, f32, f64, i8, i32, i64, i1), `ONNX` the ONNX operator (or short "
        "decomposition) computing the same, `pattern` the fusion pattern kind (NNVM's "
        "TOpPattern). The numpy semantics of each op are its `reference` fact, next to its "
        "definition in `nnvm_dialect/ops/`.\n\n"
        f"{markdown_table(ops)}\n"
    )


def dialect_ops() -> list[type[NnvmOp]]:
    from nnvm_dialect.ops import NNVM

    return [op for op in NNVM.operations if issubclass(op, NnvmOp)]


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    text = document(dialect_ops())
    if args:
        with open(args[0], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
