"""Constants, and nodes folded at import when their inputs are known."""

import numpy as np
from onnx import GraphProto

from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.frontend.onnx import (
    FOLD_LIMIT,
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    converts,
    ints,
)

FOLDABLE = {
    "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "ConstantOfShape",
    "Range", "Cast", "Slice", "Add", "Sub", "Mul", "Div", "Equal", "Where", "Expand", "Identity",
    "Floor", "Ceil", "Neg", "Abs", "Max", "Min", "ReduceProd", "Transpose", "Flatten", "Not",
    "Less", "Greater", "Mod", "Tile", "Sqrt", "Constant", "CastLike", "NonZero", "ReduceSum",
}  # fmt: skip
"""Ops whose bad constant inputs are the model's fault; other ops' evaluator failures fall
back to their converter."""

NOT_FOLDED = {
    "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial",
    "Bernoulli", "Dropout",
    "Pad", "Resize", "Upsample", "OneHot", "ConvTranspose", "MaxUnpool", "Col2Im",
    "CenterCropPad",
}  # fmt: skip
"""Ops whose result is not a function of their inputs alone, and ops whose result may be far
larger than their inputs (no cheap bound here): their converters take them."""


def _fold_size(im: Importer, node: Node) -> int:
    """An upper bound on a folded result's element count, before computing it."""
    consts = [im.const(i) for i in node.inputs if i]
    biggest = max((c.size for c in consts if c is not None), default=1)
    if node.op_type == "Range":
        start, limit, delta = (float(np.asarray(c).reshape(-1)[0]) for c in consts[:3])
        if delta == 0:
            raise BadModel("Range with delta 0")
        return max(int(np.ceil((limit - start) / delta)), 0)
    if node.op_type in ("Expand", "Tile"):
        try:
            return int(np.prod(np.abs(consts[1].astype(np.float64)))) * max(biggest, 1)
        except (OverflowError, ValueError):
            return FOLD_LIMIT + 1
    return biggest


def fold(im: Importer, node: Node) -> list[np.ndarray] | None:
    """The node's outputs computed now, by onnx's reference evaluator, when all its inputs are
    known and its results are small: shape sub-graphs of any op type become constants."""
    if node.op_type == "Constant":
        return [_constant_attr(node)]
    if node.op_type == "ConstantOfShape" and im.const(node.input(0)) is not None:
        return [_constant_of_shape(im, node)]
    inputs = [i for i in node.inputs if i]
    if not inputs or node.op_type in NOT_FOLDED or node.domain not in ("", "ai.onnx"):
        return None
    if any(isinstance(v, GraphProto) for v in node.attrs.values()):
        return None
    feeds = {i: im.consts[i] for i in inputs if i in im.consts}
    if node.op_type == "CastLike" and inputs[0] in feeds and len(inputs) == 2:
        like = im.dtype(inputs[1])  # only its element type matters
        if like is None:
            return None
        feeds[inputs[1]] = np.zeros(0, like)
    if len(feeds) != len(set(inputs)):
        return None
    if any(v.size > FOLD_LIMIT for v in feeds.values()) or _fold_size(im, node) > FOLD_LIMIT:
        return None
    from onnx import helper, numpy_helper
    from onnx.reference import ReferenceEvaluator

    proto = helper.make_node(node.op_type, node.inputs, node.outputs, domain=node.domain)
    for k, v in node.attrs.items():
        if isinstance(v, np.ndarray):
            proto.attribute.append(helper.make_attribute(k, numpy_helper.from_array(v)))
        else:
            proto.attribute.append(helper.make_attribute(k, v))
    try:
        outs = ReferenceEvaluator(proto, opsets={"": node.opset}).run(None, feeds)
    except Exception as e:  # onnx's evaluator rejects what the node got wrong
        if node.op_type in FOLDABLE:
            raise BadModel(
                f"cannot evaluate its constant inputs: {type(e).__name__}: {e}"
            ) from None
        return None  # the converter decides (the evaluator may lack the op)
    arrays = [o for o in outs if isinstance(o, np.ndarray | np.generic)]
    if len(arrays) != len(outs) or any(a.size > FOLD_LIMIT for a in arrays):
        return None
    for a in arrays:
        try:
            from_numpy(np.asarray(a).dtype)
        except ValueError:
            return None
    return [np.asarray(o) for o in arrays]


@converts("Constant")
def _constant(im: Importer, node: Node) -> list[Value]:
    return [_constant_attr(node)]


@converts("ConstantOfShape")
def _constant_of_shape_op(im: Importer, node: Node) -> list[Value]:
    im.need_const(node, 0, "the shape")
    return [_constant_of_shape(im, node)]


def _constant_attr(node: Node) -> np.ndarray:
    for key in ("value", "value_float", "value_floats", "value_int", "value_ints"):
        if key in node.attrs:
            v = node.attrs[key]
            if key.startswith("value_float"):
                return np.asarray(v, np.float32)
            if key.startswith("value_int"):
                return np.asarray(v, np.int64)
            return np.asarray(v)
    kinds = ", ".join(sorted(node.attrs)) or "none"
    raise Unsupported(f"Constant with attribute {kinds}")


def _constant_of_shape(im: Importer, node: Node) -> np.ndarray:
    shape = ints(im.consts[node.input(0)])
    if any(d < 0 for d in shape):
        raise BadModel(f"negative dimension in shape {shape}")
    value = node.attr("value")
    fill = np.zeros(1, np.float32) if value is None else np.asarray(value).reshape(-1)[:1]
    return np.broadcast_to(fill.reshape(()), shape)


@converts("Range")
def _range(im: Importer, node: Node) -> list[Value]:
    """Range's length is its inputs' values: known ones were folded, so here they are not."""
    for i, what in enumerate(("start", "limit", "delta")):
        im.need_const(node, i, what)
    raise BadModel("Range was not folded")  # unreachable: fold takes all-constant nodes


@converts("If")
def _if(im: Importer, node: Node) -> list[Value]:
    """A constant condition inlines its branch; a data-dependent one is not static."""
    cond = im.need_const(node, 0, "cond")
    if cond.size != 1:
        raise BadModel(f"cond has {cond.size} elements, not one")
    branch = node.attr("then_branch" if bool(cond.reshape(-1)[0]) else "else_branch")
    for t in branch.initializer:
        from onnx import numpy_helper

        im.consts[t.name] = numpy_helper.to_array(t)
    for vi in branch.output:
        if vi.type.WhichOneof("value") not in (None, "tensor_type"):
            raise Unsupported(f"a branch output of kind {vi.type.WhichOneof('value')}")
    im.import_nodes(branch.node)
    if any(o.name in im.report.poisoned for o in branch.output):
        raise Unsupported("its branch could not be imported")
    out: list[Value] = []
    for name, o in zip(node.outputs, branch.output):  # for Importer.integer_sources
        im.producers[name] = Node("Identity", node.name, [o.name], [name], {}, node.opset)
    for o in branch.output:
        if not im.has(o.name):
            raise BadModel(f"branch output '{o.name}' is not produced by any node")
        out.append(im.consts[o.name] if o.name in im.consts else im.values[o.name])
    return out
