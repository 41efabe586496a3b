"""Shapes and data movement: Reshape, Transpose, Concat, Split, Gather, Slice, Tile, Pad."""

from collections.abc import Sequence

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    axes_input,
    converts,
    ints,
    pad,
    reshape,
    strided_slice,
    transpose,
    x,
)


def _onnx_reshape(in_shape: Sequence[int | None], target: list[int], allowzero: bool) -> list[int]:
    out: list[int] = []
    for i, t in enumerate(target):
        if t == 0 and not allowzero:
            if i >= len(in_shape) or in_shape[i] is None:
                raise Unsupported("a 0 in Reshape's shape needs a known input dim")
            out.append(in_shape[i])  # type: ignore[arg-type]
        else:
            out.append(t)
    if out.count(-1) > 1 or any(d < -1 for d in out):
        raise BadModel(f"invalid shape {target}")
    if -1 in out and None not in in_shape:
        known = int(np.prod([d for d in out if d != -1]))
        total = int(np.prod(in_shape))
        if known == 0 or total % known:
            raise BadModel(f"cannot reshape {list(in_shape)} to {target}")
        out[out.index(-1)] = total // known
    return out


@converts("Reshape")
def _reshape(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    target = ints(node.attr("shape")) if node.opset < 5 else ints(im.need_const(node, 1, "shape"))
    in_shape = im.shape(data)
    if in_shape is None:
        raise Unsupported("an input of unknown rank")
    out = _onnx_reshape(in_shape, target, bool(node.attr("allowzero", 0)))
    if -1 not in out and None not in in_shape and int(np.prod(out)) != int(np.prod(in_shape)):
        raise BadModel(f"cannot reshape {list(in_shape)} to {target}")
    dtype = im.dtype(data)
    if 0 in out and dtype is not None:  # nothing to move; NNVM's reshape reads 0 as "keep"
        return [np.zeros(out, dtype)]
    return [reshape(im, data, out)]


@converts("Flatten")
def _flatten(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.shape(data)
    rank = im.rank(data)
    axis = int(node.attr("axis", 1))
    if not -rank <= axis <= rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    if axis < 0:
        axis += rank
    if axis == 1 and rank >= 2:
        return [im.emit1("nnvm.flatten", [data])]
    static = im.static_shape(data) if shape else ()
    return [reshape(im, data, [int(np.prod(static[:axis])), int(np.prod(static[axis:]))])]


@converts("Transpose")
def _transpose(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    rank = im.rank(data)
    perm = node.attr("perm", list(reversed(range(rank))))
    return [transpose(im, data, [int(p) for p in perm])]


@converts("Squeeze")
def _squeeze(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = axes_input(im, node, 1, 13)
    shape = im.shape(data)
    if axes is None:
        if shape is None or None in shape:
            raise Unsupported("Squeeze without axes of a dynamic shape")
        axes = [i for i, d in enumerate(shape) if d == 1]
    if shape is not None:
        rank = len(shape)
        axes = [a % rank for a in axes]
        if not axes:
            return [im.emit1("nnvm.copy", [data])]
        if len(axes) == rank:  # NNVM's squeeze keeps (1,) where ONNX gives a scalar
            return [reshape(im, data, [])]
        if None not in shape:
            return [reshape(im, data, [d for i, d in enumerate(shape) if i not in axes])]
    return [im.emit1("nnvm.squeeze", [data], {"axis": axes})]


@converts("Unsqueeze")
def _unsqueeze(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axes = axes_input(im, node, 1, 13)
    if axes is None:
        raise BadModel("Unsqueeze needs axes")
    rank = im.rank(data) + len(axes)
    axes = sorted(a % rank for a in axes)
    shape = im.shape(data)
    if shape is not None and None not in shape:
        out = list(shape)
        for a in axes:
            out.insert(a, 1)
        return [reshape(im, data, out)]
    out_v = im.as_value(data)
    for a in axes:
        out_v = im.emit1("nnvm.expand_dims", [out_v], {"axis": a})
    return [out_v]


@converts("Concat")
def _concat(im: Importer, node: Node) -> list[Value]:
    names = [i for i in node.inputs if i]
    axis = int(node.attr("axis", 1))
    shapes = [im.shape(n) for n in names]
    if all(s is not None and 0 in s for s in shapes):  # all empty: so is the result
        rank = len(shapes[0])
        if not -rank <= axis < rank or any(len(s) != rank for s in shapes):
            raise BadModel(f"operands of ranks {[len(s) for s in shapes]} with axis {axis}")
        out = list(shapes[0])
        out[axis % rank] = sum(s[axis % rank] for s in shapes)
        return [np.zeros(out, im.dtype(names[0]))]
    # Empty operands add nothing.
    names = [n for n, s in zip(names, shapes) if s is None or 0 not in s]
    values = [im.value(n) for n in names]
    if len(values) == 1:
        return [im.emit1("nnvm.copy", values)]
    return [im.emit1("nnvm.concatenate", values, {"axis": axis})]


@converts("Split")
def _split(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = int(node.attr("axis", 0))
    n = len(node.outputs)
    shape = im.static_shape(data)
    axis %= len(shape)
    if node.opset >= 13 and node.input(1):
        sizes = ints(im.need_const(node, 1, "split"))
    elif node.attr("split") is not None:
        sizes = [int(s) for s in node.attr("split")]
    else:
        k = int(node.attr("num_outputs", n))
        each = -(-shape[axis] // k)
        sizes = [min(each, shape[axis] - i * each) for i in range(k)]
    if sum(sizes) != shape[axis] or len(sizes) != n:
        raise BadModel(f"split sizes {sizes} do not fit dim {shape[axis]} into {n} outputs")
    if n == 1:
        return [im.emit1("nnvm.copy", [data])]
    if 0 in sizes:  # empty parts are known at import; split the rest
        empty = np.zeros([*shape[:axis], 0, *shape[axis + 1 :]], im.dtype(data))
        kept = [s for s in sizes if s]
        if not kept:
            return [empty] * n
        if len(kept) == 1:
            parts = [im.emit1("nnvm.copy", [data])]
        else:
            points = list(np.cumsum(kept)[:-1])
            props = {"indices_or_sections": points, "axis": axis}
            parts = im.emit("nnvm.split", [data], props, len(kept))
        it = iter(parts)
        return [next(it) if s else empty for s in sizes]
    points = list(np.cumsum(sizes)[:-1])
    return im.emit("nnvm.split", [data], {"indices_or_sections": points, "axis": axis}, n)


@converts("Shape")
def _shape(im: Importer, node: Node) -> list[Value]:
    shape = im.static_shape(node.input(0), "Shape")
    start, end = node.attr("start", 0), node.attr("end")
    return [np.asarray(shape[slice(start, end)], np.int64)]


@converts("Size")
def _size(im: Importer, node: Node) -> list[Value]:
    return [np.asarray(int(np.prod(im.static_shape(node.input(0), "Size"))), np.int64)]


@converts("Gather")
def _gather(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = int(node.attr("axis", 0))
    shape = im.static_shape(data)
    axis %= len(shape)
    idx = im.const(node.input(1))
    if idx is not None:
        if np.any((idx < -shape[axis]) | (idx >= shape[axis])):
            raise BadModel(f"an index is out of range for dim {axis} of size {shape[axis]}")
        idx = np.where(idx < 0, idx + shape[axis], idx).astype(idx.dtype)
        return [im.emit1("nnvm.take", [data, idx], {"axis": axis})]
    # ONNX indices lie in [-dim, dim - 1]: "wrap" reads negative ones from the end.
    indices = x(im, node, 1)
    return [im.emit1("nnvm.take", [data, indices], {"axis": axis, "mode": "wrap"})]


@converts("Slice")
def _slice(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data)
    if node.opset < 10:
        starts, ends = node.attr("starts"), node.attr("ends")
        axes, steps = node.attr("axes"), None
    else:
        starts = ints(im.need_const(node, 1, "starts"))
        ends = ints(im.need_const(node, 2, "ends"))
        axes = ints(im.need_const(node, 3, "axes")) if node.input(3) else None
        steps = ints(im.need_const(node, 4, "steps")) if node.input(4) else None
    axes = list(range(len(starts))) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    begin = [0] * len(shape)
    end = list(shape)
    stride = [1] * len(shape)
    for s, e, a, st in zip(starts, ends, axes, steps):
        a %= len(shape)
        if st == 0:
            raise BadModel("a Slice step of 0")
        lo, hi, step = slice(int(s), int(e), int(st)).indices(shape[a])
        begin[a], end[a], stride[a] = lo, hi, step
    out_shape = [len(range(b, e, s)) for b, e, s in zip(begin, end, stride)]
    if 0 in out_shape:  # selects nothing: an empty tensor, known at import
        return [np.zeros(out_shape, im.dtype(data))]
    if any(s < 0 for s in stride):
        return [_reverse_slice(im, data, shape, begin, end, stride, out_shape)]
    return [strided_slice(im, data, begin, end, stride)]


def _reverse_slice(
    im: Importer,
    data: SSAValue,
    shape: Sequence[int],
    begin: list[int],
    end: list[int],
    stride: list[int],
    out_shape: list[int],
) -> SSAValue:
    """Negative steps: reverse those axes, then slice forwards."""
    out = data
    for a, s in enumerate(stride):
        if s < 0:
            out = im.emit1(["nnvm.reverse", "nnvm.flip"], [out], {"axis": a})
            # index i in the original is shape-1-i in the reversed tensor
            begin[a], stride[a] = shape[a] - 1 - begin[a], -s
            end[a] = begin[a] + stride[a] * out_shape[a]
    end = [min(e, d) if s > 0 else e for e, d, s in zip(end, shape, stride)]
    return strided_slice(im, out, begin, end, stride)


@converts("Tile")
def _tile(im: Importer, node: Node) -> list[Value]:
    reps = ints(im.need_const(node, 1, "repeats"))
    return [im.emit1("nnvm.tile", [x(im, node)], {"reps": reps})]


@converts("Pad")
def _pad(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    mode = node.attr("mode", "constant")
    if mode not in ("constant", "reflect", "edge"):
        raise Unsupported(f"mode = '{mode}'")
    rank = im.rank(data)
    if node.opset < 11:
        pads = [int(p) for p in node.attr("pads", node.attr("paddings", []))]
        value = float(node.attr("value", 0.0))
    else:
        pads = ints(im.need_const(node, 1, "pads"))
        value = (
            float(np.asarray(im.need_const(node, 2, "constant_value")).reshape(-1)[0])
            if node.input(2)
            else 0.0
        )
        if node.input(3):
            axes = [a % rank for a in ints(im.need_const(node, 3, "axes"))]
            full = [0] * (2 * rank)
            for k, a in enumerate(axes):
                full[a], full[rank + a] = pads[k], pads[len(axes) + k]
            pads = full
    if len(pads) != 2 * rank:
        raise BadModel(f"pads has {len(pads)} values for rank {rank}")
    if any(p < 0 for p in pads):
        raise Unsupported("negative pads")
    if mode != "constant":  # NNVM's pad is constant only; nnvm.mirror_pad (ops/onnx_ops.py)
        width = [[b, a] for b, a in zip(pads[:rank], pads[rank:])]
        return [im.emit1("nnvm.mirror_pad", [data], {"pad_width": width, "mode": mode})]
    return [pad(im, data, pads[:rank], pads[rank:], value)]
