"""Constants, and nodes folded at import when their inputs are known."""

import numpy as np

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
    """The node's outputs computed now when all its inputs are known and it is cheap."""
    if node.op_type == "Constant":
        return [_constant_attr(node)]
    if node.op_type not in FOLDABLE:
        return None
    if not all(im.const(i) is not None for i in node.inputs if i):
        return None
    if node.op_type == "ConstantOfShape":
        return [_constant_of_shape(im, node)]
    if _fold_size(im, node) > FOLD_LIMIT:
        return None
    from onnx import helper
    from onnx.reference import ReferenceEvaluator

    proto = helper.make_node(node.op_type, node.inputs, node.outputs, domain=node.domain)
    for k, v in node.attrs.items():
        if isinstance(v, np.ndarray):
            from onnx import numpy_helper

            proto.attribute.append(helper.make_attribute(k, numpy_helper.from_array(v)))
        else:
            proto.attribute.append(helper.make_attribute(k, v))
    feeds = {i: im.consts[i] for i in node.inputs if i}
    try:
        outs = ReferenceEvaluator(proto, opsets={"": node.opset}).run(None, feeds)
    except Exception as e:  # onnx's evaluator rejects what the node got wrong
        raise BadModel(f"cannot evaluate its constant inputs: {type(e).__name__}: {e}") from None
    return [np.asarray(o) for o in outs]


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
