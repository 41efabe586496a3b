"""ONNX -> `nnvm` dialect: one `func.func` whose arguments are the graph's inputs.

Each ONNX op type maps through `CONVERTERS` (frontend/onnx_converters/, a module per kind of op)
to a small function that emits nnvm ops. Initializers become `nnvm.constant` weights. Shape
sub-graphs (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, Range, ...) whose inputs are known
at import are evaluated here, so graphs are static where their inputs are. Every op carries the
node's name and op type as its location, so later errors name the node. Unsupported parts are
collected and reported in one error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    DictionaryAttr,
    FileLineColLoc,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    ModuleOp,
    NameLoc,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.irdl import AttrConstraint, VerificationContext

from nnvm_dialect import plugins
from nnvm_dialect.diagnostics import Diagnostic
from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import Shape, ShapeError
from nnvm_dialect.frontend import FrontendError
from nnvm_dialect.ops import NNVM
from nnvm_dialect.ops.base import NnvmOp, build, dtype_of, format_shape, shape_of, tensor_type

MIN_OPSET = 7
UPGRADE_TO = 13
"""Models below this opset are upgraded by onnx's version converter where it works, so most
converters see one form of each op (axes as inputs, Split's sizes as an input, ...)."""

INPUT_NAME = "nnvm.input_name"
"""Argument attribute keeping an ONNX input name that is not a valid SSA name."""

FOLD_LIMIT = 1 << 20
"""Constant sub-graphs are evaluated at import up to this many elements per result."""


class Unsupported(Exception):
    """This node uses an op, attribute value or input form the importer cannot express."""


class BadModel(Exception):
    """The node contradicts the ONNX spec or the rest of the graph."""


def parse_input_shapes(specs: Sequence[str] | Mapping[str, Sequence[int]] | None) -> dict:
    """`NAME=1x3x224x224` (or a mapping) -> {name: (1, 3, 224, 224)}."""
    if specs is None:
        return {}
    if isinstance(specs, Mapping):
        return {k: tuple(int(d) for d in v) for k, v in specs.items()}
    shapes: dict[str, tuple[int, ...]] = {}
    for spec in specs:
        name, sep, dims = spec.rpartition("=")
        try:
            shape = tuple(int(d) for d in dims.split("x")) if dims else ()
        except ValueError:
            shape = (-1,)
        if not sep or not name or any(d < 0 for d in shape):
            raise ValueError(f"--input-shape takes NAME=D0xD1x..., got '{spec}'")
        shapes[name] = shape
    return shapes


@dataclass
class Node:
    """An ONNX node as converters see it: attribute values decoded, the model's opset."""

    op_type: str
    name: str
    inputs: list[str]
    outputs: list[str]
    attrs: dict[str, Any]
    opset: int
    domain: str = ""

    def attr(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)

    def input(self, i: int) -> str:
        """Name of input i, '' when it is absent (optional inputs may be left empty)."""
        return self.inputs[i] if i < len(self.inputs) else ""

    @property
    def label(self) -> str:
        return f"node '{self.name}' ({self.op_type})"


Value = SSAValue | np.ndarray
Converter = Callable[["Importer", Node], Sequence[Value]]

_NAME = re.compile(r"[^A-Za-z0-9_$.]")


def ssa_name(name: str) -> str:
    """A valid SSA name hint for an ONNX value name (`gpu_0/data_0` -> `gpu_0_data_0`)."""
    hint = _NAME.sub("_", name)
    if not hint or not (hint[0].isalpha() or hint[0] in "_$."):
        hint = "v" + hint
    return hint


def op_class(name: str) -> type[NnvmOp] | None:
    for op in (*NNVM.operations, *plugins.OPS):
        if op.name == name:
            return op  # type: ignore[return-value]
    return None


def _candidates(value: Any) -> list[Callable[[], Attribute]]:
    """Ways to spell a Python value as an attribute, most likely first."""
    if isinstance(value, np.dtype):
        return [lambda: from_numpy(value)]
    if isinstance(value, bool | np.bool_):
        return [lambda: BoolAttr.from_bool(bool(value)), lambda: IntegerAttr(int(value), 64)]
    if isinstance(value, str):
        return [lambda: StringAttr(value)]
    if isinstance(value, int | np.integer):
        v = int(value)
        return [
            lambda: IntegerAttr(v, 64),
            lambda: FloatAttr(float(v), 64),
            lambda: DenseArrayBase.from_list(i64, [v]),
            lambda: BoolAttr.from_bool(bool(v)),
        ]
    if isinstance(value, float | np.floating):
        return [lambda: FloatAttr(float(value), 64), lambda: IntegerAttr(int(value), 64)]
    values = list(value)
    if values and isinstance(values[0], list | tuple):
        return [
            lambda: ArrayAttr([DenseArrayBase.from_list(i64, [int(x) for x in v]) for v in values])
        ]
    return [
        lambda: DenseArrayBase.from_list(i64, [int(v) for v in values]),
        lambda: IntegerAttr(int(values[0]), 64) if len(values) == 1 else None,  # type: ignore[return-value]
        lambda: ArrayAttr([FloatAttr(float(v), 64) for v in values]),
    ]


def coerce(value: Any, constraint: AttrConstraint) -> Attribute:
    """A Python value as the attribute a property's constraint accepts (ints may become
    arrays, bools i1 integers, ...)."""
    if isinstance(value, Attribute):
        return value
    first: Attribute | None = None
    for make in _candidates(value):
        try:
            attr = make()
        except (ValueError, TypeError, OverflowError):
            continue
        if attr is None:
            continue
        first = first or attr
        try:
            constraint.verify(attr, VerificationContext())
        except Exception:  # the constraint says no; try the next spelling
            continue
        return attr
    if first is None:
        raise Unsupported(f"value {value!r} cannot be an attribute")
    return first


def make_props(cls: type[NnvmOp], props: Mapping[str, Any]) -> dict[str, Attribute]:
    defs = cls.get_irdl_definition().properties
    out: dict[str, Attribute] = {}
    for name, value in props.items():
        if value is None:
            continue
        if name not in defs:
            raise Unsupported(f"'{cls.name}' in this build has no attribute '{name}'")
        out[name] = coerce(value, defs[name].constr)
    return {k: out[k] for k in defs if k in out}  # printed in definition order


@dataclass
class Report:
    """What went wrong so far: unsupported (op type, why) -> node names, located failures,
    and the values that failed nodes left undefined."""

    unsupported: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    poisoned: set[str] = field(default_factory=set[str])
    failures: list[Diagnostic] = field(default_factory=list[Diagnostic])
    index: int = 0


@dataclass
class Importer:
    """State of one import: values by ONNX name, known constants, the block being filled."""

    filename: str
    opset: int
    original_opset: int = 0
    graph_inputs: set[str] = field(default_factory=set[str])
    wanted: list[str] = field(default_factory=list[str])
    block: Block = field(default_factory=Block)
    values: dict[str, SSAValue] = field(default_factory=dict[str, SSAValue])
    consts: dict[str, np.ndarray] = field(default_factory=dict[str, np.ndarray])
    node: Node | None = None
    report: Report = field(default_factory=lambda: Report())
    producers: dict[str, Node] = field(default_factory=dict[str, Node])

    # Building ops.
    def location(self) -> Attribute:
        node = self.node
        file = FileLineColLoc(StringAttr(self.filename), IntAttr(0), IntAttr(0))
        if node is None:
            return file
        return NameLoc(StringAttr(node.name), NameLoc(StringAttr(node.op_type), file))

    def emit(
        self,
        name: str | Sequence[str],
        operands: Sequence[Value],
        props: Mapping[str, Any] | None = None,
        num_results: int = 1,
    ) -> list[SSAValue]:
        """Append nnvm op `name` (the first of several spellings this build has)."""
        names = [name] if isinstance(name, str) else list(name)
        cls = next((c for n in names if (c := op_class(n)) is not None), None)
        if cls is None:
            raise Unsupported(f"needs op '{names[0]}', which this build of the dialect lacks")
        values = [self.as_value(v) for v in operands]
        try:
            op = build(cls, values, make_props(cls, props or {}), num_results)
        except ShapeError as e:
            raise BadModel(f"'{cls.name}' op {e}") from None
        op.location = self.location()
        self.block.add_op(op)
        return list(op.results)

    def emit1(
        self,
        name: str | Sequence[str],
        operands: Sequence[Value],
        props: Mapping[str, Any] | None = None,
    ) -> SSAValue:
        return self.emit(name, operands, props)[0]

    def constant(self, array: np.ndarray, name: str | None = None) -> SSAValue:
        """A weight; a large array of one repeated value is a scalar broadcast to its shape."""
        try:
            from nnvm_dialect.ops.constant import make_constant
        except ImportError:
            raise Unsupported("needs op 'nnvm.constant', which this build lacks") from None

        array = np.asarray(array)
        splat = array.size > 64 and (
            all(s == 0 for s in array.strides) or bool(np.all(array == array.reshape(-1)[0]))
        )
        if splat and op_class("nnvm.broadcast_to") is not None:
            value = self.constant(np.array(array.reshape(-1)[0]))
            return self.emit1("nnvm.broadcast_to", [value], {"shape": list(array.shape)})
        if array.ndim == 0 and op_class("nnvm.reshape") is not None:
            one = self.constant(array.reshape(1))
            return self.emit1("nnvm.reshape", [one], {"shape": []})
        hint = re.sub(r"\W", "_", ssa_name(name)) if name else None
        op = make_constant(np.ascontiguousarray(array), hint)
        op.location = self.location()
        self.block.add_op(op)
        return op.results[0]

    def as_value(self, v: Value) -> SSAValue:
        return self.constant(v) if isinstance(v, np.ndarray) else v

    # Reading inputs.
    def has(self, name: str) -> bool:
        return bool(name) and (name in self.values or name in self.consts)

    def value(self, name: str) -> SSAValue:
        if name in self.values:
            return self.values[name]
        if name in self.consts:
            saved, self.node = self.node, None
            try:
                v = self.values[name] = self.constant(self.consts[name], name)
            finally:
                self.node = saved
            return v
        raise BadModel(f"input '{name}' is not produced by any node, initializer or graph input")

    def const(self, name: str) -> np.ndarray | None:
        return self.consts.get(name) if name else None

    def need_const(self, node: Node, i: int, what: str) -> np.ndarray:
        value = self.const(node.input(i))
        if value is None:
            if node.input(i) in self.graph_inputs:
                self.wanted.append(node.input(i))
            else:
                self.wanted += self.integer_sources(node.input(i))
            raise Unsupported(f"{what} (input {i}, '{node.input(i)}') must be a constant")
        return value

    def integer_sources(self, name: str) -> list[str]:
        """The integer graph inputs whose values `name` depends on (not through a Shape or
        Size): binding them to constants (input_values) makes `name` known at import."""
        found: list[str] = []
        todo, seen = [name], set()
        while todo:
            n = todo.pop()
            if n in seen or not n or n in self.consts:
                continue
            seen.add(n)
            dtype = self.dtype(n) if n in self.values else None
            if n in self.graph_inputs:
                if dtype is not None and dtype.kind in "iub":
                    found.append(n)
                continue
            producer = self.producers.get(n)
            if producer is not None and producer.op_type not in ("Shape", "Size"):
                todo += producer.inputs
        return found

    def shape(self, name_or_value: str | Value) -> Shape:
        if isinstance(name_or_value, np.ndarray):
            return tuple(name_or_value.shape)
        if isinstance(name_or_value, str):
            if name_or_value in self.consts:
                return tuple(self.consts[name_or_value].shape)
            name_or_value = self.value(name_or_value)
        return shape_of(name_or_value.type)

    def static_shape(self, v: str | Value, what: str = "input") -> tuple[int, ...]:
        shape = self.shape(v)
        if shape is None or None in shape:
            raise Unsupported(f"{what} needs a static shape, got {format_shape(shape)}")
        return shape  # type: ignore[return-value]

    def rank(self, v: str | Value, what: str = "input") -> int:
        shape = self.shape(v)
        if shape is None:
            raise Unsupported(f"{what} needs a known rank")
        return len(shape)

    def dtype(self, v: str | Value) -> np.dtype | None:
        if isinstance(v, np.ndarray):
            return v.dtype
        if isinstance(v, str):
            if v in self.consts:
                return self.consts[v].dtype
            v = self.value(v)
        elt = dtype_of(v.type)
        return None if elt is None else to_numpy(elt)

    # Importing nodes.
    def import_nodes(self, protos: Sequence[Any]) -> None:
        """Convert `protos` in order (the graph, or an inlined If branch); what fails is
        recorded in `self.report` and poisons the node's outputs."""
        from nnvm_dialect.frontend.onnx_converters import CONVERTERS, fold

        report = self.report
        unsupported, poisoned, failures = report.unsupported, report.poisoned, report.failures
        for proto in protos:
            report.index += 1
            node = Node(
                proto.op_type,
                proto.name or f"{proto.op_type}_{report.index - 1}",
                list(proto.input),
                list(proto.output),
                {},
                self.opset,
                proto.domain,
            )
            self.node = node
            self.producers.update((o, node) for o in node.outputs if o)
            if any(i in poisoned for i in node.inputs if i):
                poisoned.update(o for o in node.outputs if o)
                continue
            converter = CONVERTERS.get(node.op_type) if node.domain in ("", "ai.onnx") else None
            if converter is None:
                key = (node.op_type if not node.domain else f"{node.domain}.{node.op_type}", "")
                unsupported.setdefault(key, []).append(node.name)
                poisoned.update(o for o in node.outputs if o)
                continue
            try:
                node.attrs = _attributes(proto)
                for i in node.inputs:
                    if i and not self.has(i):
                        raise BadModel(f"input '{i}' is not produced by any earlier node")
                results = fold(self, node)
                if results is None:
                    results = list(converter(self, node))
                self.node = node
                if len(results) < len([o for o in node.outputs if o]):
                    raise Unsupported(f"only {len(results)} of its {len(node.outputs)} outputs")
                for out, value in zip(node.outputs, results):
                    if not out:
                        continue
                    if isinstance(value, np.ndarray):
                        self.consts[out] = value
                    else:
                        self.values[out] = value
            except Unsupported as e:
                key = (node.op_type, str(e))
                unsupported.setdefault(key, []).append(node.name)
                poisoned.update(o for o in node.outputs if o)
            except BadModel as e:
                failures.append(Diagnostic(str(e), self.filename, node=node.label))
                poisoned.update(o for o in node.outputs if o)
        self.node = None


def _load(path: str | Path | Any) -> tuple[Any, str]:
    import onnx
    from google.protobuf.message import DecodeError

    if isinstance(path, onnx.ModelProto):
        return path, path.graph.name or "<model>"
    name = str(path)
    try:
        data = Path(name).read_bytes()
    except OSError as e:
        raise FrontendError([Diagnostic(f"cannot open input file: {e.strerror}", name)]) from None
    try:
        model = onnx.ModelProto()
        model.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError) as e:
        raise FrontendError([Diagnostic(f"not a valid ONNX model: {e}", name)]) from None
    if not model.HasField("graph"):
        raise FrontendError([Diagnostic("not a valid ONNX model: it has no graph", name)])
    return model, name


def _default_opset(model: Any) -> int | None:
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return int(o.version)
    return None


def _upgrade(model: Any, opset: int) -> tuple[Any, int]:
    """onnx's version converter where it works (to UPGRADE_TO, else as far as it gets); the
    original model where it does not."""
    if opset >= UPGRADE_TO:
        return model, opset
    import onnx
    from onnx import version_converter

    for target in (UPGRADE_TO, 11, MIN_OPSET):
        if target <= opset:
            break
        try:
            upgraded = version_converter.convert_version(model, target)
            onnx.checker.check_model(upgraded)
        except Exception:  # the converter lacks an adapter for some node: try a smaller step
            continue
        return upgraded, target
    return model, opset


def _check(model: Any, file: str) -> None:
    import onnx

    try:
        onnx.checker.check_model(model)
    except Exception as e:  # onnx raises several exception types for invalid models
        message = " ".join(str(e).split())
        if len(message) > 400:
            message = message[:400] + " ..."
        raise FrontendError([Diagnostic(f"invalid ONNX model: {message}", file)]) from None


def _tensor_type(value_info: Any, fixed: tuple[int, ...] | None) -> tuple[Shape, np.dtype]:
    from onnx import helper

    t = value_info.type
    if t.WhichOneof("value") != "tensor_type":
        kind = t.WhichOneof("value") or "no type"
        raise Unsupported(f"graph input '{value_info.name}' is of kind {kind}, not a tensor")
    elem = t.tensor_type.elem_type
    try:
        dtype = np.dtype(helper.tensor_dtype_to_np_dtype(elem))
        from_numpy(dtype)
    except Exception:
        raise Unsupported(
            f"graph input '{value_info.name}' has element type {type_name(elem)}, "
            "which the dialect lacks"
        ) from None
    if fixed is not None:
        return fixed, dtype
    if not t.tensor_type.HasField("shape"):
        return None, dtype
    dims: list[int | None] = []
    for d in t.tensor_type.shape.dim:
        if d.HasField("dim_value") and d.dim_value >= 0:
            dims.append(int(d.dim_value))
        else:
            dims.append(None)
    return tuple(dims), dtype


def type_name(elem: int) -> str:
    from onnx import helper

    try:
        return helper.tensor_dtype_to_string(elem)
    except (KeyError, ValueError):
        return f"#{elem} (not an ONNX type)"


def _attributes(node_proto: Any) -> dict[str, Any]:
    from onnx import helper, numpy_helper

    attrs: dict[str, Any] = {}
    for a in node_proto.attribute:
        value = helper.get_attribute_value(a)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, list) and value and isinstance(value[0], bytes):
            value = [v.decode("utf-8", "replace") for v in value]
        elif hasattr(value, "data_type") and hasattr(value, "dims"):
            value = numpy_helper.to_array(value)
        attrs[a.name] = value
    return attrs


def _initializer(t: Any, file: str) -> np.ndarray:
    from onnx import numpy_helper

    if t.data_location == 1:  # external data the model did not bring along
        raise Unsupported(f"initializer '{t.name}' keeps its data in an external file")
    try:
        array = numpy_helper.to_array(t)
        from_numpy(array.dtype)
    except Exception as e:
        raise Unsupported(f"initializer '{t.name}' cannot be read: {e}") from None
    return array


def import_onnx(
    path: str | Path | Any,
    input_shapes: Sequence[str] | Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, np.ndarray] | None = None,
) -> ModuleOp:
    """The ONNX model at `path` (or a ModelProto) as a module with one function `@main`.

    `input_values` binds graph inputs to constants: the model specialised to those values (for
    inputs it uses as shapes, axes or pads; FrontendError.wanted_inputs names them)."""
    model, file = _load(path)
    fixed = parse_input_shapes(input_shapes)
    opset = _default_opset(model)
    if opset is None:
        raise FrontendError(
            [Diagnostic("the model imports no default-domain (ai.onnx) opset", file)]
        )
    _check(model, file)
    original = opset
    if opset < MIN_OPSET:
        model, opset = _upgrade(model, opset)
        if opset < MIN_OPSET:
            raise FrontendError(
                [Diagnostic(f"opset {opset} is not supported (7 or newer, or upgradable)", file)]
            )
    elif opset < UPGRADE_TO:
        model, opset = _upgrade(model, opset)
    graph = model.graph
    im = Importer(file, opset, original_opset=original)
    problems: list[str] = []

    for t in graph.initializer:
        try:
            im.consts[t.name] = _initializer(t, file)
        except Unsupported as e:
            problems.append(str(e))
    for t in graph.sparse_initializer:
        problems.append(f"sparse initializer '{t.values.name}' is not supported")

    for name, value in (input_values or {}).items():
        im.consts[name] = np.asarray(value)
    arg_names: list[str] = []
    arg_types: list[Attribute] = []
    graph_inputs = [i for i in graph.input if i.name not in im.consts]
    im.graph_inputs = {i.name for i in graph_inputs}
    known_inputs = {i.name for i in graph_inputs}
    for name in fixed:
        if name not in known_inputs:
            inputs = ", ".join(sorted(known_inputs)) or "none"
            raise FrontendError(
                [
                    Diagnostic(
                        f"--input-shape names '{name}', which is not an input ({inputs})", file
                    )
                ]
            )
    dropped: set[str] = set()  # inputs of types the dialect lacks: their nodes are skipped
    for vi in graph_inputs:
        try:
            shape, dtype = _tensor_type(vi, fixed.get(vi.name))
        except Unsupported as e:
            problems.append(str(e))
            dropped.add(vi.name)
            continue
        arg_names.append(vi.name)
        arg_types.append(tensor_type(shape, from_numpy(dtype)))
    im.block = Block(arg_types=arg_types)
    for name, arg in zip(arg_names, im.block.args):
        arg.name_hint = ssa_name(name)
        im.values[name] = arg

    im.report = Report()
    im.report.poisoned.update(dropped)
    im.import_nodes(graph.node)
    unsupported, failures = im.report.unsupported, im.report.failures
    im.node = None
    if unsupported or problems:
        lines = [f"the model (opset {opset}) uses what the importer does not support:"]
        lines += [f"  {p}" for p in problems]
        for (op_type, why), names in unsupported.items():
            shown = ", ".join(f"'{n}'" for n in names[:5])
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            reason = f": {why}" if why else ""
            lines.append(f"  {op_type} (nodes {shown}{more}){reason}")
        failures.insert(0, Diagnostic("\n".join(lines), file))
    if failures:
        raise FrontendError(failures, list(dict.fromkeys(im.wanted)))

    outputs: list[SSAValue] = []
    for vi in graph.output:
        if not im.has(vi.name):
            raise FrontendError(
                [Diagnostic(f"graph output '{vi.name}' is not produced by any node", file)]
            )
        try:
            outputs.append(im.value(vi.name))
        except (Unsupported, BadModel) as e:
            raise FrontendError([Diagnostic(f"graph output '{vi.name}': {e}", file)]) from None
    im.block.add_op(func.ReturnOp(*outputs))
    renamed = any(ssa_name(n) != n for n in arg_names)
    fn = func.FuncOp(
        "main",
        (arg_types, [v.type for v in outputs]),
        Region(im.block),
        arg_attrs=ArrayAttr(
            [
                DictionaryAttr({INPUT_NAME: StringAttr(n)} if ssa_name(n) != n else {})
                for n in arg_names
            ]
        )
        if renamed
        else None,
    )
    return ModuleOp([fn])
