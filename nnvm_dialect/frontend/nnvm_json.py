"""NNVM graph JSON (also MXNet symbol files) to the `nnvm` dialect and back.

The format (NNVM-FACTS.md section 4): `nodes` in topological order, variables have op "null";
`inputs` are `[node_id, output_index, version]` entries; `heads` are the outputs; `node_row_ptr`
numbers the entries; graph `attrs` such as `shape` (`list_shape`), `dtype` (`list_int` type
flags), `storage_id` are indexed by entry. Node attributes are strings parsed by the op's
property types. MXNet spellings (`FullyConnected`, `num_hidden`, ...) are renamed on import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FileLineColLoc,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    ModuleOp,
    NameLoc,
    StringAttr,
    i1,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.irdl import VerificationContext

from nnvm_dialect.diagnostics import Diagnostic
from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.frontend import FrontendError
from nnvm_dialect.frontend.onnx import (
    INPUT_NAME,
    coerce,
    op_class,
    parse_input_shapes,
    ssa_name,
)
from nnvm_dialect.ops.base import NnvmOp, build, dtype_of, shape_of, tensor_type

TYPE_FLAGS = {
    "float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4, "int8": 5, "int64": 6,
    "int16": 7, "uint16": 8, "uint32": 9, "uint64": 10, "bool": 11,
}  # fmt: skip
"""NNVM's dtype codes (the self-consistent [D] table, bool as in TVM's Python)."""
FLAG_TYPES = {v: k for k, v in TYPE_FLAGS.items()}

MXNET_OPS: dict[str, tuple[str, dict[str, str]]] = {
    "FullyConnected": ("dense", {"num_hidden": "units", "no_bias": "!use_bias"}),
    "Convolution": (
        "conv2d",
        {
            "num_filter": "channels", "kernel": "kernel_size", "stride": "strides",
            "pad": "padding", "dilate": "dilation", "num_group": "groups", "no_bias": "!use_bias",
        },
    ),
    "Deconvolution": (
        "conv2d_transpose",
        {
            "num_filter": "channels", "kernel": "kernel_size", "stride": "strides",
            "pad": "padding", "dilate": "dilation", "num_group": "groups", "adj": "output_padding",
            "no_bias": "!use_bias",
        },
    ),
    "BatchNorm": ("batch_norm", {"eps": "epsilon", "fix_gamma": "!scale"}),
    "Concat": ("concatenate", {"dim": "axis", "num_args": ""}),
    "concat": ("concatenate", {"dim": "axis", "num_args": ""}),
    "Dropout": ("dropout", {"p": "rate"}),
    "Flatten": ("flatten", {}),
    "Reshape": ("reshape", {}),
    "SliceChannel": ("split", {"num_outputs": "indices_or_sections"}),
    "Softmax": ("softmax", {}),
    "SoftmaxActivation": ("softmax", {}),
    "Cast": ("cast", {}),
    "_copy": ("copy", {}),
    "_plus_scalar": ("__add_scalar__", {}),
    "_minus_scalar": ("__sub_scalar__", {}),
    "_rminus_scalar": ("__rsub_scalar__", {}),
    "_mul_scalar": ("__mul_scalar__", {}),
    "_div_scalar": ("__div_scalar__", {}),
    "_rdiv_scalar": ("__rdiv_scalar__", {}),
    "add_n": ("elemwise_sum", {}),
    "sum_axis": ("sum", {}),
    "max_axis": ("max", {}),
    "min_axis": ("min", {}),
    "_maximum": ("broadcast_max", {}),
    "_minimum": ("broadcast_min", {}),
    "_ones": ("ones", {}),
    "_zeros": ("zeros", {}),
    "UpSampling": ("upsampling", {"sample_type": ""}),
    "LRN": ("lrn", {"nsize": "size", "knorm": "bias"}),
    "LeakyReLU": ("leaky_relu", {"slope": "alpha", "act_type": ""}),
}  # fmt: skip
"""MXNet op -> (NNVM op, attribute renames); `!name` negates a bool, '' drops the attribute."""

ACTIVATIONS = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh"}


def _error(
    file: str, message: str, line: int | None = None, col: int | None = None
) -> FrontendError:
    return FrontendError([Diagnostic(message, file, line, col)])


# Attribute strings ------------------------------------------------------------------------


def parse_tuple(text: str) -> Any:
    """`(1,2)`, `[1, 2]`, `3`, `((0,0),(1,1))`, `()` -> nested lists of numbers."""
    t = text.strip().replace("(", "[").replace(")", "]").replace("L", "")
    if not t.startswith("["):
        t = f"[{t}]"
    t = t.replace(",]", "]")
    value = json.loads(t.replace("None", "null"))
    if not isinstance(value, list):
        raise ValueError(text)
    return value


def parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise ValueError(text)


def attr_from_string(cls: type[NnvmOp], name: str, text: str) -> Attribute:
    """NNVM's attribute string as the property `name` of `cls` takes it."""
    defs = cls.get_irdl_definition().properties
    if name not in defs:
        known = ", ".join(sorted(defs)) or "none"
        raise ValueError(f"unknown attribute '{name}' (this op takes: {known})")
    constraint = defs[name].constr
    text = str(text).strip()
    spellings: list[Callable[[], Any]] = [
        lambda: int(text) if text.lstrip("-").isdigit() else None,
        lambda: parse_bool(text),
        lambda: float(text),
        lambda: parse_tuple(text),
        lambda: np.dtype(text) if text.isalnum() else None,
        lambda: text,
    ]
    for spell in spellings:
        try:
            value = spell()
            if value is None:
                continue
            attr = coerce(value, constraint)
            constraint.verify(attr, VerificationContext())
        except Exception:  # not this spelling
            continue
        return attr
    raise ValueError(f"attribute '{name}' = '{text}' has the wrong kind of value")


def attr_to_string(attr: Attribute) -> str:
    if isinstance(attr, IntegerAttr) and attr.type == i1:
        return "True" if attr.value.data else "False"
    if isinstance(attr, IntegerAttr):
        return str(attr.value.data)
    if isinstance(attr, FloatAttr):
        return repr(float(attr.value.data))
    if isinstance(attr, StringAttr):
        return attr.data
    if isinstance(attr, DenseArrayBase):
        return "[" + ",".join(str(int(v)) for v in attr.get_values()) + "]"
    if isinstance(attr, ArrayAttr):
        return "[" + ",".join(attr_to_string(a) for a in attr.data) + "]"
    try:
        return str(to_numpy(attr))
    except ValueError:
        return str(attr)


# Import -----------------------------------------------------------------------------------


def _entries(value: Any, what: str) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list of [node_id, index, version] entries")
    out = []
    for e in value:
        if (
            not isinstance(e, list)
            or not 1 <= len(e) <= 3
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in e)
        ):
            raise ValueError(
                f"{what}: {json.dumps(e)[:60]} is not a [node_id, index, version] entry"
            )
        out.append((e[0], e[1] if len(e) > 1 else 0))
    return out


def _graph_attr(graph: Mapping[str, Any], key: str) -> Any:
    attrs = graph.get("attrs", {})
    if not isinstance(attrs, dict) or key not in attrs:
        return None
    value = attrs[key]
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        return value[1]
    return None


def import_json(
    path: str | Path,
    input_shapes: Sequence[str] | Mapping[str, Sequence[int]] | None = None,
    text: str | None = None,
) -> ModuleOp:
    """An NNVM graph JSON file as a module with one function `@main`."""
    file = str(path)
    if text is None:
        try:
            data = Path(file).read_bytes()
        except OSError as e:
            raise _error(file, f"cannot open input file: {e.strerror}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _error(
                file, "input is not valid UTF-8", data[: e.start].count(b"\n") + 1, 1
            ) from None
    try:
        graph = json.loads(text)
    except json.JSONDecodeError as e:
        raise _error(file, f"invalid JSON: {e.msg}", e.lineno, e.colno) from None
    except RecursionError:
        raise _error(file, "invalid JSON: nested too deeply") from None
    try:
        return _import_graph(graph, file, parse_input_shapes(input_shapes))
    except ValueError as e:
        raise _error(file, str(e)) from None


def _import_graph(graph: Any, file: str, fixed: dict[str, tuple[int, ...]]) -> ModuleOp:
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        raise ValueError("not an NNVM graph: the top level needs a 'nodes' list")
    nodes = graph["nodes"]
    for key in ("arg_nodes", "heads"):
        if key not in graph:
            raise ValueError(f"not an NNVM graph: '{key}' is missing")
    heads = _entries(graph["heads"], "heads")
    row_ptr = graph.get("node_row_ptr")
    if row_ptr is not None and (
        not isinstance(row_ptr, list)
        or len(row_ptr) != len(nodes) + 1
        or not all(isinstance(v, int) for v in row_ptr)
    ):
        raise ValueError(f"node_row_ptr must be {len(nodes) + 1} integers")
    shapes = _graph_attr(graph, "shape")
    dtypes = _graph_attr(graph, "dtype")

    def entry_attr(table: Any, node_id: int) -> Any:
        if row_ptr is None or not isinstance(table, list):
            return None
        i = row_ptr[node_id]
        return table[i] if 0 <= i < len(table) else None

    # Outputs each node has: the most any consumer uses, or what node_row_ptr says.
    num_outputs = [1] * len(nodes)  # outputs used by consumers and heads
    listed = [1] * len(nodes)  # outputs node_row_ptr gives (NNVM's batch_norm lists 3)
    if row_ptr is not None:
        listed = [max(row_ptr[i + 1] - row_ptr[i], 1) for i in range(len(nodes))]
    arg_types: list[Attribute] = []
    arg_names: list[str] = []
    var_ids: list[int] = []
    parsed: list[tuple[str, str, dict[str, str], list[tuple[int, int]]]] = []
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("op"), str):
            raise ValueError(f"node {i} must be an object with an 'op' string")
        name = node.get("name", f"node{i}")
        if not isinstance(name, str):
            raise ValueError(f"node {i}: 'name' must be a string")
        attrs: dict[str, str] = {}
        for key in ("param", "attr", "attrs"):
            extra = node.get(key, {})
            if not isinstance(extra, dict):
                raise ValueError(f"node {i} ('{name}'): '{key}' must be an object of strings")
            attrs.update({str(k): str(v) for k, v in extra.items()})
        inputs = _entries(node.get("inputs", []), f"node {i} ('{name}') inputs")
        for src, index in inputs:
            if not 0 <= src < i:
                raise ValueError(
                    f"node {i} ('{name}') uses node {src}, which is not an earlier node"
                )
            num_outputs[src] = max(num_outputs[src], index + 1)
        parsed.append((node["op"], name, attrs, inputs))
        if node["op"] == "null":
            var_ids.append(i)
            shape = fixed.get(name)
            if shape is None:
                shape_text = attrs.get("__shape__")
                raw = entry_attr(shapes, i)
                if shape_text is not None:
                    raw = parse_tuple(shape_text)
                if isinstance(raw, list) and all(isinstance(d, int) for d in raw):
                    shape = tuple(raw)
            dims = None if shape is None else tuple(None if d <= 0 else d for d in shape)
            flag = entry_attr(dtypes, i)
            dtype_name = attrs.get("__dtype__") or FLAG_TYPES.get(flag, "float32")
            try:
                dtype = np.dtype(dtype_name)
            except TypeError:
                dtype = np.dtype(FLAG_TYPES.get(int(dtype_name), "float32"))
            arg_types.append(tensor_type(dims, from_numpy(dtype)))
            arg_names.append(name)
    for h, index in heads:
        if not 0 <= h < len(nodes):
            raise ValueError(f"head [{h}, {index}] names no node")
        num_outputs[h] = max(num_outputs[h], index + 1)
    known = set(fixed) - set(arg_names)
    if known:
        raise ValueError(f"--input-shape names '{sorted(known)[0]}', which is not a variable")

    block = Block(arg_types=arg_types)
    values: dict[int, list[SSAValue]] = {}
    for vid, arg, name in zip(var_ids, block.args, arg_names):
        arg.name_hint = ssa_name(name)
        values[vid] = [arg]
    problems: list[str] = []
    for i, (op_name, name, attrs, inputs) in enumerate(parsed):
        if op_name == "null":
            continue
        if any(src not in values for src, _ in inputs):
            continue  # an input failed; that node was reported
        try:
            values[i] = _build_node(
                block, file, op_name, name, attrs, inputs, values, num_outputs[i], listed[i]
            )
        except ValueError as e:
            problems.append(f"node '{name}' ({op_name}): {e}")
    if problems:
        raise ValueError("cannot import the graph:\n  " + "\n  ".join(problems))
    outputs = []
    for h, index in heads:
        if h not in values or index >= len(values[h]):
            raise ValueError(f"head [{h}, {index}] is not an output of node {h}")
        outputs.append(values[h][index])
    block.add_op(func.ReturnOp(*outputs))
    renamed = any(ssa_name(n) != n for n in arg_names)
    arg_attrs = (
        ArrayAttr(
            [
                DictionaryAttr({INPUT_NAME: StringAttr(n)} if ssa_name(n) != n else {})
                for n in arg_names
            ]
        )
        if renamed
        else None
    )
    fn = func.FuncOp(
        "main", (arg_types, [v.type for v in outputs]), Region(block), arg_attrs=arg_attrs
    )
    return ModuleOp([fn])


def _build_node(
    block: Block,
    file: str,
    op_name: str,
    name: str,
    attrs: dict[str, str],
    inputs: list[tuple[int, int]],
    values: dict[int, list[SSAValue]],
    num_outputs: int,
    listed: int,
) -> list[SSAValue]:
    attrs = {k: v for k, v in attrs.items() if not (k.startswith("__") and k.endswith("__"))}
    nnvm_name, renames = op_name, {}
    if op_name in ("Activation", "Pooling", "Pooling_v1"):
        nnvm_name, attrs = _mxnet_special(op_name, attrs)
    elif op_name in MXNET_OPS:
        nnvm_name, renames = MXNET_OPS[op_name]
    if op_name in ("FullyConnected",) and attrs.get("flatten", "True").lower() in ("true", "1"):
        attrs.pop("flatten", None)  # inputs of rank 2 only, as dense takes them
    renamed: dict[str, str] = {}
    for k, v in attrs.items():
        target = renames.get(k, k)
        if target == "":
            continue
        if target.startswith("!"):
            renamed[target[1:]] = "False" if parse_bool(v) else "True"
        else:
            renamed[target] = v
    cls = op_class(f"nnvm.{nnvm_name}")
    if cls is None and nnvm_name != op_name:
        raise ValueError(f"'{op_name}' maps to 'nnvm.{nnvm_name}', which this build lacks")
    if cls is None:
        raise ValueError(f"unknown op '{op_name}'")
    operands: list[SSAValue] = []
    for src, index in inputs:
        if index >= len(values[src]):
            raise ValueError(f"uses output {index} of node {src}, which has {len(values[src])}")
        operands.append(values[src][index])
    if "use_bias" in cls.get_irdl_definition().properties and "use_bias" not in renamed:
        renamed["use_bias"] = "True" if len(operands) == 3 else "False"
    order = list(cls.get_irdl_definition().properties)
    ranked = sorted(renamed.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else -1)
    props = {k: attr_from_string(cls, k, v) for k, v in ranked}
    if nnvm_name == "split" and "indices_or_sections" in props:
        spec = props["indices_or_sections"]
        if isinstance(spec, IntegerAttr):
            num_outputs = max(num_outputs, spec.value.data)
        elif isinstance(spec, DenseArrayBase):
            num_outputs = max(num_outputs, len(spec.get_values()) + 1)
    defined = len(cls.get_irdl_definition().results)
    from xdsl.irdl import VarResultDef

    variadic = any(isinstance(r, VarResultDef) for _, r in cls.get_irdl_definition().results)
    if not variadic and num_outputs > defined:
        raise ValueError(f"output {num_outputs - 1} is used, but '{cls.name}' has {defined} here")
    try:
        op = build(cls, operands, props, max(num_outputs, listed) if variadic else defined)
        op.verify()
    except Exception as e:  # the op's verifier names the attribute or the shapes
        message = " ".join(str(e).split()).removeprefix("Operation does not verify: ")
        raise ValueError(message) from None
    op.location = NameLoc(
        StringAttr(name),
        NameLoc(StringAttr(op_name), FileLineColLoc(StringAttr(file), IntAttr(0), IntAttr(0))),
    )
    block.add_op(op)
    return list(op.results)


def _mxnet_special(op_name: str, attrs: dict[str, str]) -> tuple[str, dict[str, str]]:
    attrs = dict(attrs)
    if op_name == "Activation":
        act = attrs.pop("act_type", "relu")
        if act not in ACTIVATIONS:
            raise ValueError(f"act_type = '{act}' is not supported")
        return ACTIVATIONS[act], attrs
    kind = attrs.pop("pool_type", "max")
    if kind not in ("max", "avg"):
        raise ValueError(f"pool_type = '{kind}' is not supported")
    out: dict[str, str] = {}
    if parse_bool(attrs.pop("global_pool", "False")):
        return f"global_{kind}_pool2d", {}
    for src, dst in (("kernel", "pool_size"), ("stride", "strides"), ("pad", "padding")):
        if src in attrs:
            out[dst] = attrs.pop(src)
    if attrs.pop("pooling_convention", "valid") == "full":
        out["ceil_mode"] = "True"
    if kind == "avg":
        out["count_include_pad"] = attrs.pop("count_include_pad", "True")
    attrs.pop("cudnn_off", None)
    out.update(attrs)
    return f"{kind}_pool2d", out


# Export -----------------------------------------------------------------------------------


def _entry_function(module: ModuleOp) -> func.FuncOp:
    for op in module.walk():
        if isinstance(op, func.FuncOp) and op.body.blocks:
            return op
    raise FrontendError([Diagnostic("the module has no function with a body to export")])


def _dims(t: Attribute) -> list[int]:
    shape = shape_of(t)
    return [] if shape is None else [0 if d is None else d for d in shape]


def _dtype_name(t: Attribute) -> str | None:
    elt = dtype_of(t)
    if elt is None:
        return None
    try:
        return str(to_numpy(elt))
    except ValueError:
        return None


def export_json(module: ModuleOp) -> dict[str, Any]:
    """The module's first function as an NNVM graph (nodes, arg_nodes, node_row_ptr, heads,
    and shape/dtype/dltype/storage_id entry attributes)."""
    from nnvm_dialect.reference import input_names

    fn = _entry_function(module)
    block = fn.body.blocks[0]
    if len(fn.body.blocks) != 1:
        raise FrontendError([Diagnostic("the function has several blocks; NNVM graphs have one")])
    nodes: list[dict[str, Any]] = []
    entry_of: dict[SSAValue, tuple[int, int]] = {}
    row_ptr = [0]
    types: list[Attribute] = []
    storage: list[int] = []
    arg_nodes: list[int] = []
    names = input_names(fn)
    used_names: set[str] = set()

    def unique(name: str) -> str:
        base, k = name, 1
        while name in used_names:
            name, k = f"{base}_{k}", k + 1
        used_names.add(name)
        return name

    def add_node(node: dict[str, Any], results: Sequence[SSAValue], ids: Sequence[int]) -> None:
        node_id = len(nodes)
        nodes.append(node)
        for k, r in enumerate(results):
            entry_of[r] = (node_id, k)
            types.append(r.type)
        storage.extend(ids)
        row_ptr.append(row_ptr[-1] + len(results))

    for arg, name in zip(block.args, names):
        arg_nodes.append(len(nodes))
        add_node({"op": "null", "name": unique(name), "inputs": []}, [arg], [-1])
    returned: list[SSAValue] = []
    for op in block.ops:
        if isinstance(op, func.ReturnOp):
            returned = list(op.arguments)
            continue
        node = _export_op(op, unique, entry_of)
        if node is None:  # a constant: a variable holding a parameter, as in NNVM
            arg_nodes.append(len(nodes))
            hint = op.results[0].name_hint or f"param{len(arg_nodes) - 1}"
            add_node({"op": "null", "name": unique(hint), "inputs": []}, op.results, [-1])
            continue
        ids = op.attributes.get("nnvm.storage_id")
        sid = [int(v) for v in ids.get_values()] if isinstance(ids, DenseArrayBase) else []
        add_node(node, op.results, sid + [-1] * (len(op.results) - len(sid)))
    heads = []
    for v in returned:
        if v not in entry_of:
            raise FrontendError([Diagnostic("a returned value is defined outside the function")])
        node_id, index = entry_of[v]
        heads.append([node_id, index, 0])
    attrs: dict[str, Any] = {
        "shape": ["list_shape", [_dims(t) for t in types]],
        "dtype": ["list_int", [TYPE_FLAGS.get(_dtype_name(t) or "", -1) for t in types]],
        "dltype": ["list_str", [_dtype_name(t) or "unknown" for t in types]],
    }
    planned = any(
        isinstance(op.attributes.get("nnvm.storage_id"), DenseArrayBase) for op in block.ops
    )
    if planned:  # inputs and unplanned results get fresh ids, as NNVM's DecorateMemoryPlan does
        fresh = max([s for s in storage if s >= 0], default=-1) + 1
        for i, s in enumerate(storage):
            if s < 0:
                storage[i], fresh = fresh, fresh + 1
        attrs["storage_id"] = ["list_int", storage]
    return {
        "nodes": nodes,
        "arg_nodes": arg_nodes,
        "node_row_ptr": row_ptr,
        "heads": heads,
        "attrs": attrs,
    }


def _export_op(
    op: Operation, unique: Any, entry_of: dict[SSAValue, tuple[int, int]]
) -> dict | None:
    if op.name == "nnvm.constant":
        return None
    if not op.name.startswith("nnvm."):
        raise FrontendError(
            [Diagnostic(f"'{op.name}' is not an nnvm op; NNVM graph JSON holds nnvm ops only")]
        )
    loc = op.location
    name = loc.desc.data if isinstance(loc, NameLoc) else op.name.removeprefix("nnvm.")
    node: dict[str, Any] = {"op": op.name.removeprefix("nnvm."), "name": unique(name)}
    attrs: dict[str, str] = {}
    if op.name == "nnvm.fused":
        body = [o.name.removeprefix("nnvm.") for o in op.regions[0].walk() if o is not op]
        body = [b for b in body if b != "yield"]
        node["op"] = "tvm_op"
        attrs = {
            "flatten_data": "0",
            "func_name": "fuse_" + "_".join(body),
            "num_inputs": str(len(op.operands)),
            "num_outputs": str(len(op.results)),
        }
    else:
        for key, value in sorted(op.properties.items()):  # defaults included, as FGetAttrDict
            if isinstance(value, DenseIntOrFPElementsAttr):
                continue
            attrs[key] = attr_to_string(value)
    if attrs:
        node["attrs"] = dict(sorted(attrs.items()))
    inputs = []
    for v in op.operands:
        if v not in entry_of:
            raise FrontendError([Diagnostic(f"'{op.name}' uses a value from outside the function")])
        node_id, index = entry_of[v]
        inputs.append([node_id, index, 0])
    node["inputs"] = inputs
    return node


def write_json(module: ModuleOp, stream: IO[str]) -> None:
    """One node or attribute per line, as NNVM's files read best."""
    graph = export_json(module)
    stream.write("{\n")
    keys = list(graph)
    for k, key in enumerate(keys):
        value = graph[key]
        stream.write(f"  {json.dumps(key)}: ")
        if key in ("nodes", "attrs") and value:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            opener, closer = ("{", "}") if isinstance(value, dict) else ("[", "]")
            lines = [
                (f"{json.dumps(i)}: " if isinstance(value, dict) else "") + json.dumps(v)
                for i, v in items
            ]
            stream.write(opener + "\n    " + ",\n    ".join(lines) + "\n  " + closer)
        else:
            stream.write(json.dumps(value))
        stream.write(",\n" if k + 1 < len(keys) else "\n")
    stream.write("}\n")
