"""Index, scan and rearranging ONNX ops: GatherElements, GatherND, ScatterElements, ScatterND,
TensorScatter, CumSum, CumProd, TopK, Trilu, OneHot, EyeLike, Compress, DepthToSpace,
SpaceToDepth, ReverseSequence, CenterCropPad, MaxUnpool and Col2Im as scatters, MaxPool's
Indices output, and Det of small matrices.

Inputs that fix the result's shape or the op's attributes (k, axis, depth, sequence lengths,
conditions) must be constants; the harness specialises graph inputs used that way.
"""

import numpy as np

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import (
    binary,
    broadcast_to,
    cast,
    converts,
    ints,
    pad,
    reshape,
    strided_slice,
    transpose,
    x,
)

INDEX_DTYPES = (np.dtype(np.int32), np.dtype(np.int64))


def _axis(node: Node, rank: int, default: int = 0, value: int | None = None) -> int:
    axis = int(node.attr("axis", default)) if value is None else value
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def _scalar_input(im: Importer, node: Node, i: int, what: str) -> int:
    value = np.asarray(im.need_const(node, i, what)).reshape(-1)
    if value.size != 1:
        raise BadModel(f"{what} must hold one value, got {value.size}")
    return int(value[0])


def _reduction(node: Node) -> str:
    reduction = node.attr("reduction", "none")
    reduction = reduction.decode() if isinstance(reduction, bytes) else str(reduction)
    if reduction not in ("none", "add", "mul", "max", "min"):
        raise Unsupported(f"reduction '{reduction}'")
    return reduction


@converts("GatherElements")
def _gather_elements(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = _axis(node, im.rank(data))
    return [im.emit1("nnvm.gather_elements", [data, x(im, node, 1)], {"axis": axis})]


@converts("ScatterElements", "Scatter")
def _scatter_elements(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = _axis(node, im.rank(data))
    operands = [data, x(im, node, 1), x(im, node, 2)]
    props = {"axis": axis, "reduction": _reduction(node)}
    return [im.emit1("nnvm.scatter_elements", operands, props)]


@converts("GatherND")
def _gather_nd(im: Importer, node: Node) -> list[Value]:
    props = {"batch_dims": int(node.attr("batch_dims", 0))}
    return [im.emit1("nnvm.gather_nd", [x(im, node), x(im, node, 1)], props)]


@converts("ScatterND")
def _scatter_nd(im: Importer, node: Node) -> list[Value]:
    operands = [x(im, node), x(im, node, 1), x(im, node, 2)]
    return [im.emit1("nnvm.scatter_nd", operands, {"reduction": _reduction(node)})]


@converts("TensorScatter")
def _tensor_scatter(im: Importer, node: Node) -> list[Value]:
    past = x(im, node)
    mode = node.attr("mode", "linear")
    mode = mode.decode() if isinstance(mode, bytes) else str(mode)
    if mode not in ("linear", "circular"):
        raise Unsupported(f"mode '{mode}'")
    operands = [past, x(im, node, 1)]
    if node.input(2):
        operands.append(x(im, node, 2))
    props = {"axis": _axis(node, im.rank(past), -2), "mode": mode}
    return [im.emit1("nnvm.tensor_scatter", operands, props)]


@converts("CumSum", "CumProd")
def _scan(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    axis = _axis(node, im.rank(data), value=_scalar_input(im, node, 1, "axis"))
    props = {
        "axis": axis,
        "exclusive": bool(node.attr("exclusive", 0)),
        "reverse": bool(node.attr("reverse", 0)),
    }
    name = "nnvm.cumsum" if node.op_type == "CumSum" else "nnvm.cumprod"
    return [im.emit1(name, [data], props)]


@converts("TopK")
def _topk(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data)
    axis = _axis(node, len(shape), -1)
    k = int(node.attr("k")) if node.opset < 10 else _scalar_input(im, node, 1, "K")
    if not 0 <= k <= shape[axis]:
        raise BadModel(f"K = {k} is outside [0, {shape[axis]}] (axis {axis})")
    if k == 0:
        raise Unsupported("K = 0 (an empty result)")
    # sorted = 0 leaves the order to the implementation: sorted is one such order.
    props = {
        "k": k,
        "axis": axis,
        "is_ascend": not bool(node.attr("largest", 1)),
        "dtype": np.dtype(np.int64),
    }
    values, indices = im.emit("nnvm.topk", [data], props, num_results=2)
    return [values, indices]


@converts("Trilu")
def _trilu(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data)
    if len(shape) < 2:
        raise BadModel(f"Trilu needs rank >= 2, got {list(shape)}")
    k = _scalar_input(im, node, 1, "k") if node.input(1) else 0
    rows, cols = shape[-2:]
    upper = bool(node.attr("upper", 1))
    keep = (
        np.triu(np.ones((rows, cols), np.bool_), k)
        if upper
        else np.tril(np.ones((rows, cols), np.bool_), k)
    )
    if keep.all() or 0 in shape:
        return [data]
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an input of unknown element type")
    mask = broadcast_to(im, im.constant(keep), keep.shape, shape)
    zeros = im.constant(np.zeros(shape, dtype))
    return [im.emit1("nnvm.where", [mask, data, zeros])]


@converts("OneHot")
def _one_hot(im: Importer, node: Node) -> list[Value]:
    indices = x(im, node)
    depth = np.asarray(im.need_const(node, 1, "depth")).reshape(-1)
    values = np.asarray(im.need_const(node, 2, "values")).reshape(-1)
    if depth.size != 1 or values.size != 2:
        raise BadModel("depth must hold one value and values two (off, on)")
    n = int(depth[0])
    if n < 1:
        raise BadModel(f"depth must be >= 1, got {depth[0]}")
    off, on = (v.item() for v in values)
    if any(float(v) != v for v in (off, on)):
        raise Unsupported(f"values {values.tolist()} that a double cannot hold exactly")
    rank = im.rank(indices)
    axis = int(node.attr("axis", -1))
    if not -rank - 1 <= axis <= rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank} + 1")
    if im.dtype(indices) not in INDEX_DTYPES:  # float indices are truncated, as ONNX says
        indices = cast(im, indices, np.dtype(np.int64))
    # ONNX reads a negative index from the end; nnvm.one_hot leaves it a row of off_value.
    dtype = im.dtype(indices)
    assert dtype is not None
    negative = binary(im, "Less", indices, np.zeros((), dtype))
    wrapped = binary(im, "Add", indices, np.asarray(n, dtype))
    indices = im.emit1("nnvm.where", [negative, wrapped, indices])
    props = {"depth": n, "on_value": float(on), "off_value": float(off), "axis": axis}
    return [im.emit1("nnvm.one_hot", [indices], {**props, "dtype": values.dtype})]


@converts("EyeLike")
def _eye_like(im: Importer, node: Node) -> list[Value]:
    from onnx.helper import tensor_dtype_to_np_dtype

    shape = im.static_shape(x(im, node))
    if len(shape) != 2:
        raise BadModel(f"EyeLike needs a 2-D input, got {list(shape)}")
    dtype = node.attr("dtype")
    np_dtype = im.dtype(node.input(0)) if dtype is None else tensor_dtype_to_np_dtype(dtype)
    if np_dtype is None:
        raise Unsupported("an input of unknown element type")
    return [np.eye(shape[0], shape[1], k=int(node.attr("k", 0)), dtype=np_dtype)]


@converts("Compress")
def _compress(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    condition = np.asarray(im.need_const(node, 1, "condition")).reshape(-1).astype(np.bool_)
    shape = im.static_shape(data)
    if node.attr("axis") is None:
        data, size, axis = reshape(im, data, [int(np.prod(shape))]), int(np.prod(shape)), 0
    else:
        axis = _axis(node, len(shape))
        size = shape[axis]
    if condition.size > size:
        raise BadModel(f"condition has {condition.size} entries for a dim of {size}")
    picked = np.flatnonzero(condition).astype(np.int64)
    if picked.size == 0:
        raise Unsupported("a condition with no true entry (an empty result)")
    return [im.emit1("nnvm.take", [data, picked], {"axis": axis})]


def _blocks(im: Importer, node: Node) -> tuple[Value, tuple[int, ...], int, str]:
    data = x(im, node)
    shape = im.static_shape(data)
    if len(shape) != 4:
        raise BadModel(f"{node.op_type} needs a 4-D input, got {list(shape)}")
    mode = node.attr("mode", "DCR")
    mode = mode.decode() if isinstance(mode, bytes) else str(mode)
    if mode not in ("DCR", "CRD"):
        raise Unsupported(f"mode '{mode}'")
    return data, shape, int(node.attr("blocksize")), mode


@converts("DepthToSpace")
def _depth_to_space(im: Importer, node: Node) -> list[Value]:
    data, (n, c, h, w), b, mode = _blocks(im, node)
    if c % (b * b):
        raise BadModel(f"{c} channels do not split into blocks of {b}x{b}")
    if mode == "DCR":
        parts, perm = [n, b, b, c // (b * b), h, w], [0, 3, 4, 1, 5, 2]
    else:
        parts, perm = [n, c // (b * b), b, b, h, w], [0, 1, 4, 2, 5, 3]
    moved = transpose(im, reshape(im, data, parts), perm)
    return [reshape(im, moved, [n, c // (b * b), h * b, w * b])]


@converts("SpaceToDepth")
def _space_to_depth(im: Importer, node: Node) -> list[Value]:
    data, (n, c, h, w), b, mode = _blocks(im, node)
    if h % b or w % b:
        raise BadModel(f"spatial dims {h}x{w} do not split into blocks of {b}")
    perm = [0, 3, 5, 1, 2, 4] if mode == "DCR" else [0, 1, 3, 5, 2, 4]
    moved = transpose(im, reshape(im, data, [n, c, h // b, b, w // b, b]), perm)
    return [reshape(im, moved, [n, c * b * b, h // b, w // b])]


@converts("ReverseSequence")
def _reverse_sequence(im: Importer, node: Node) -> list[Value]:
    """A gather along the time axis with a constant index per (time, batch)."""
    data = x(im, node)
    shape = im.static_shape(data)
    lengths = np.asarray(im.need_const(node, 1, "sequence_lens")).reshape(-1).astype(np.int64)
    time = _axis(node, len(shape), value=int(node.attr("time_axis", 0)))
    batch = _axis(node, len(shape), value=int(node.attr("batch_axis", 1)))
    if time == batch or len(shape) < 2:
        raise BadModel("time_axis and batch_axis must be two different axes")
    if lengths.size != shape[batch] or np.any(lengths < 0) or np.any(lengths > shape[time]):
        raise BadModel(f"sequence_lens {lengths.tolist()} do not fit data {list(shape)}")
    t = np.arange(shape[time]).reshape(-1, 1)
    index = np.where(t < lengths.reshape(1, -1), lengths.reshape(1, -1) - 1 - t, t)
    if time > batch:
        index = index.T
    at = [1] * len(shape)
    at[time], at[batch] = shape[time], shape[batch]
    index = np.ascontiguousarray(np.broadcast_to(index.reshape(at), shape))
    return [im.emit1("nnvm.gather_elements", [data, index], {"axis": time})]


@converts("CenterCropPad")
def _center_crop_pad(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data)
    target = ints(im.need_const(node, 1, "shape"))
    axes = node.attr("axes")
    axes = (
        list(range(len(shape)))
        if axes is None
        else [_axis(node, len(shape), value=int(a)) for a in axes]
    )
    if len(axes) != len(target) or len(set(axes)) != len(axes):
        raise BadModel(f"shape {target} does not match axes {axes}")
    begin, end = [0] * len(shape), list(shape)
    before, after = [0] * len(shape), [0] * len(shape)
    for a, want in zip(axes, target):
        dim = shape[a]
        if want < 0:
            raise BadModel(f"shape {target} has a negative dim")
        if want < dim:
            begin[a] = (dim - want) // 2
            end[a] = begin[a] + want
        elif want > dim:
            before[a] = (want - dim) // 2
            after[a] = want - dim - before[a]
    out: Value = data
    if begin != [0] * len(shape) or end != list(shape):
        out = strided_slice(im, out, begin, end, [1] * len(shape))
    if any(before) or any(after):
        out = pad(im, out, before, after, 0.0)
    return [out]


def _window_attrs(node: Node, n: int) -> tuple[list[int], list[int], list[int]]:
    """strides, dilations and (begin..., end...) pads, ONNX's defaults filled in."""
    strides = ints(node.attr("strides", [1] * n))
    dilations = ints(node.attr("dilations", [1] * n))
    pads = ints(node.attr("pads", [0] * (2 * n)))
    if len(strides) != n or len(dilations) != n or len(pads) != 2 * n:
        raise BadModel(f"strides, dilations and pads must have {n}, {n} and {2 * n} entries")
    return strides, dilations, pads


@converts("MaxUnpool")
def _max_unpool(im: Importer, node: Node) -> list[Value]:
    """A scatter of X into zeros at the flat indices (over the whole tensor) MaxPool gave.

    A larger output_shape pads after the unpooled shape, whose flat positions the indices
    are, as ONNX's reference and test data do (onnxruntime reads them in output_shape)."""
    data, indices = x(im, node), x(im, node, 1)
    shape = im.static_shape(data)
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an input of unknown element type")
    kernel = ints(node.attr("kernel_shape"))
    n = len(kernel)
    if len(shape) != n + 2:
        raise BadModel(f"X {list(shape)} does not match kernel_shape {kernel}")
    strides, _, pads = _window_attrs(node, n)
    inferred = [*shape[:2]]
    for d in range(n):
        inferred.append((shape[d + 2] - 1) * strides[d] - pads[d] - pads[n + d] + kernel[d])
    total = int(np.prod(inferred))
    flat_indices = reshape(im, indices, [int(np.prod(shape))])
    if im.dtype(flat_indices) not in INDEX_DTYPES:
        raise BadModel("indices must be int64")
    updates = reshape(im, data, [int(np.prod(shape))])
    zeros = np.zeros(total, dtype)
    y = im.emit1("nnvm.scatter_elements", [zeros, flat_indices, updates], {"axis": 0})
    y = reshape(im, y, inferred)
    if not node.input(2):
        return [y]
    wanted = ints(im.need_const(node, 2, "output_shape"))
    if len(wanted) != len(inferred) or any(w < i for w, i in zip(wanted, inferred)):
        raise BadModel(f"output_shape {wanted} is smaller than the unpooled {inferred}")
    if wanted == inferred:
        return [y]
    return [pad(im, y, [0] * len(wanted), [w - i for w, i in zip(wanted, inferred)], 0.0)]


@converts("Col2Im")
def _col2im(im: Importer, node: Node) -> list[Value]:
    """Each column's block is added into the padded image (a scatter-add with constant
    positions, in ONNX's order), then the padding is cut off."""
    data = x(im, node)
    shape = im.static_shape(data)
    image = ints(im.need_const(node, 1, "image_shape"))
    block = ints(im.need_const(node, 2, "block_shape"))
    n = len(image)
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an input of unknown element type")
    if len(block) != n or len(shape) != 3 or min(block, default=0) < 1:
        raise BadModel(f"input {list(shape)}, image_shape {image}, block_shape {block} differ")
    strides, dilations, pads = _window_attrs(node, n)
    padded = [image[d] + pads[d] + pads[n + d] for d in range(n)]
    blocks = [(padded[d] - dilations[d] * (block[d] - 1) - 1) // strides[d] + 1 for d in range(n)]
    k, length = int(np.prod(block)), int(np.prod(blocks))
    batch, channels = shape[0], shape[1] // max(k, 1)
    if min(blocks) < 1 or shape[1] % k or shape[2] != length:
        raise BadModel(f"input {list(shape)} does not hold {blocks} blocks of {block}")
    kernel_at = np.stack(np.unravel_index(np.arange(k), block), -1)  # (K, n)
    block_at = np.stack(np.unravel_index(np.arange(length), blocks), -1)  # (L, n)
    at = block_at[None] * np.array(strides) + kernel_at[:, None] * np.array(dilations)
    flat = np.ravel_multi_index(tuple(np.moveaxis(at, -1, 0)), padded).reshape(-1)
    where = np.ascontiguousarray(np.broadcast_to(flat, (batch, channels, k * length)))
    updates = reshape(im, data, [batch, channels, k * length])
    zeros = np.zeros((batch, channels, int(np.prod(padded))), dtype)
    props = {"axis": 2, "reduction": "add"}
    y = im.emit1("nnvm.scatter_elements", [zeros, where.astype(np.int64), updates], props)
    y = reshape(im, y, [batch, channels, *padded])
    if not any(pads):
        return [y]
    begin = [0, 0, *pads[:n]]
    end = [batch, channels, *(pads[d] + image[d] for d in range(n))]
    return [strided_slice(im, y, begin, end, [1] * (n + 2))]


def max_pool_with_indices(
    im: Importer,
    node: Node,
    data: Value,
    kernel: list[int],
    strides: list[int],
    dilations: list[int],
    begin: list[int],
    end: list[int],
) -> list[Value]:
    """MaxPool's values and Indices (flat positions in the whole input; the spatial part
    column-major with storage_order = 1): each window is gathered with a constant table
    listing its elements inside the input in row-major order, then padding; the first
    maximum wins, so padding never does."""
    order = "F" if int(node.attr("storage_order", 0)) else "C"
    shape = im.static_shape(data)
    dtype = im.dtype(data)
    if dtype is None:
        raise Unsupported("an input of unknown element type")
    n, spatial = len(kernel), shape[2:]
    size, planes = int(np.prod(spatial)), shape[0] * shape[1]
    span = [(kernel[d] - 1) * dilations[d] + 1 for d in range(n)]
    out = [(spatial[d] + begin[d] + end[d] - span[d]) // strides[d] + 1 for d in range(n)]
    if min(out) < 1:
        raise BadModel(f"the window is larger than the padded input {list(shape)}")
    k = int(np.prod(kernel))
    table = np.full((int(np.prod(out)), k), size, np.int64)  # `size` is the padding element
    positions = table.copy()
    taps = np.stack(np.unravel_index(np.arange(k), kernel), -1) * np.array(dilations)
    for row, o in enumerate(np.ndindex(*out)):
        at = np.array(o) * np.array(strides) - np.array(begin) + taps
        inside = np.all((at >= 0) & (at < np.array(spatial)), axis=1)
        real = np.ravel_multi_index(tuple(at[inside].T), spatial)
        table[row, : real.size] = real
        positions[row, : real.size] = np.ravel_multi_index(
            tuple(at[inside].T), spatial, order=order
        )
    lowest = -np.inf if dtype.kind == "f" else np.iinfo(dtype).min
    flat = reshape(im, data, [planes, size])
    padding = np.full((planes, 1), lowest, dtype)
    flat = im.emit1("nnvm.concatenate", [flat, padding], {"axis": 1})
    windows = im.emit1("nnvm.take", [flat, table.reshape(-1)], {"axis": 1})
    windows = reshape(im, windows, [planes, table.shape[0], k])
    values = im.emit1("nnvm.max", [windows], {"axis": [2]})
    best = im.emit1(
        "nnvm.argmax", [windows], {"axis": [2], "keepdims": True, "dtype": np.dtype(np.int64)}
    )
    full = np.ascontiguousarray(np.broadcast_to(positions, (planes, *table.shape)))
    where = im.emit1("nnvm.gather_elements", [full, best], {"axis": 2})
    base = (np.arange(planes, dtype=np.int64) * size).reshape(planes, 1, 1)
    where = binary(im, "Add", where, base)
    out_shape = [shape[0], shape[1], *out]
    return [reshape(im, values, out_shape), reshape(im, where, out_shape)]


@converts("Det")
def _det(im: Importer, node: Node) -> list[Value]:
    """Determinants of 1x1 to 3x3 matrices by cofactor expansion over their elements."""
    data = x(im, node)
    shape = im.static_shape(data)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise BadModel(f"Det needs square matrices, got {list(shape)}")
    n, rank = shape[-1], len(shape)
    if not 1 <= n <= 3:
        raise Unsupported(f"Det of {n}x{n} matrices (1x1 to 3x3 are supported)")
    if im.dtype(data) is None or im.dtype(data).kind != "f":  # type: ignore[union-attr]
        raise Unsupported("Det of a non-float input")

    def a(i: int, j: int) -> Value:
        begin = [0] * (rank - 2) + [i, j]
        end = [*shape[:-2], i + 1, j + 1]
        return strided_slice(im, data, begin, end, [1] * rank)

    def mul(p: Value, q: Value) -> Value:
        return binary(im, "Mul", p, q)

    def minor(r0: int, r1: int, c0: int, c1: int) -> Value:
        return binary(im, "Sub", mul(a(r0, c0), a(r1, c1)), mul(a(r0, c1), a(r1, c0)))

    if n == 1:
        det = a(0, 0)
    elif n == 2:
        det = minor(0, 1, 0, 1)
    else:
        det = binary(im, "Sub", mul(a(0, 0), minor(1, 2, 1, 2)), mul(a(0, 1), minor(1, 2, 0, 2)))
        det = binary(im, "Add", det, mul(a(0, 2), minor(1, 2, 0, 1)))
    return [reshape(im, det, list(shape[:-2]))]
