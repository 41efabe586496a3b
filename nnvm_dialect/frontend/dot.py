"""A function as a Graphviz graph: inputs as ellipses, ops as boxes, edges labelled by type."""

from __future__ import annotations

from typing import IO

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, NameLoc
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.nnvm_json import attr_to_string
from nnvm_dialect.ops.base import format_shape, shape_of


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _edge_label(v: SSAValue) -> str:
    t = v.type
    elt = getattr(t, "element_type", None)
    return f"{format_shape(shape_of(t))} {elt}" if elt is not None else str(t)


def write_dot(module: ModuleOp, stream: IO[str]) -> None:
    from nnvm_dialect.reference import input_names

    stream.write("digraph nnvm {\n  rankdir=TB;\n  node [fontname=Helvetica, fontsize=10];\n")
    for fn in (op for op in module.walk() if isinstance(op, func.FuncOp) and op.body.blocks):
        prefix = fn.sym_name.data
        ids: dict[SSAValue, str] = {}
        block = fn.body.blocks[0]
        for i, (arg, name) in enumerate(zip(block.args, input_names(fn))):
            ids[arg] = f"{prefix}_in{i}"
            stream.write(f"  {ids[arg]} [shape=ellipse, label={_quote(name)}];\n")
        for k, op in enumerate(block.ops):
            node = f"{prefix}_op{k}"
            if isinstance(op, func.ReturnOp):
                label = "return"
                stream.write(f"  {node} [shape=doublecircle, label={_quote(label)}];\n")
            else:
                lines = [op.name.removeprefix("nnvm.")]
                if isinstance(op.location, NameLoc):
                    lines[0] += f" ({op.location.desc.data})"
                for key, value in sorted(op.properties.items()):
                    text = attr_to_string(value)
                    if len(text) <= 40:
                        lines.append(f"{key}={text}")
                stream.write(f"  {node} [shape=box, label={_quote(chr(10).join(lines))}];\n")
            for v in op.operands:
                if v in ids:
                    stream.write(f"  {ids[v]} -> {node} [label={_quote(_edge_label(v))}];\n")
            for r in op.results:
                ids[r] = node
    stream.write("}\n")
