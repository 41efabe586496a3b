"""Neural-network ONNX ops: convolution, pooling, normalisation, softmax, Gemm and MatMul."""

from collections.abc import Sequence
from typing import Any

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
    binary,
    broadcast_to,
    converts,
    half_in_float,
    pad,
    reshape,
    scalar,
    softmax_steps,
    strided_slice,
    transpose,
    x,
)


def _pads(node: Node, im: Importer, data: Value, kernel: Sequence[int], strides: Sequence[int],
          dilations: Sequence[int]) -> list[int]:  # fmt: skip
    """ONNX pads (begin..., end...) with auto_pad resolved."""
    n = len(kernel)
    auto = node.attr("auto_pad", "NOTSET")
    if auto in ("NOTSET", ""):
        pads = node.attr("pads", [0] * (2 * n))
        if len(pads) != 2 * n:
            raise BadModel(f"pads has {len(pads)} values, expected {2 * n}")
        return [int(p) for p in pads]
    if auto == "VALID":
        return [0] * (2 * n)
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        raise Unsupported(f"auto_pad = '{auto}'")
    shape = im.static_shape(data, f"auto_pad = '{auto}'")
    begin, end = [], []
    for i in range(n):
        size = shape[2 + i]
        out = -(-size // strides[i])
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size, 0)
        small, big = total // 2, total - total // 2
        begin.append(small if auto == "SAME_UPPER" else big)
        end.append(big if auto == "SAME_UPPER" else small)
    return begin + end


def spatial(im: Importer, node: Node, data: Value, what: str) -> int:
    rank = im.rank(data, what)
    if not 3 <= rank <= 5:
        raise Unsupported(f"{rank - 2}-D {what} (1-D to 3-D are supported)")
    return rank - 2


def to_2d(im: Importer, v: Value) -> SSAValue:
    """(N, C, W) -> (N, C, 1, W)."""
    return im.emit1("nnvm.expand_dims", [v], {"axis": 2})


def from_2d(im: Importer, v: Value) -> SSAValue:
    return im.emit1("nnvm.squeeze", [v], {"axis": [2]})


@converts("Conv")
def _conv(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    nd = spatial(im, node, data, "convolution")
    wshape = im.static_shape(node.input(1), "the weight")
    kernel = list(node.attr("kernel_shape", wshape[2:]))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    pads = _pads(node, im, data, kernel, strides, dilations)
    weight = x(im, node, 1)
    operands = [data, weight]
    if node.input(2):
        operands.append(x(im, node, 2))
    props = {
        "channels": wshape[0],
        "kernel_size": kernel,
        "strides": strides,
        "dilation": dilations,
        "groups": int(node.attr("group", 1)),
        "use_bias": len(operands) == 3,
    }
    if nd != 2:  # NNVM's conv2d is 2-D; nnvm.conv (ops/onnx_ops.py) takes any
        return [im.emit1("nnvm.conv", operands, {**props, "padding": pads})]
    begin, end = pads[:2], pads[2:]
    if begin != end:
        operands[0] = pad(im, data, [0, 0, *begin], [0, 0, *end], 0.0)
        begin = [0, 0]
    return [im.emit1("nnvm.conv2d", operands, {**props, "padding": begin})]


@converts("ConvTranspose")
def _conv_transpose(im: Importer, node: Node) -> list[Value]:
    data, weight = x(im, node), x(im, node, 1)
    nd = spatial(im, node, data, "transposed convolution")
    wshape = im.static_shape(weight, "the weight")
    kernel = list(node.attr("kernel_shape", wshape[2:]))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    group = int(node.attr("group", 1))
    out_pad = list(node.attr("output_padding", [0] * nd))
    if "output_shape" in node.attrs or node.attr("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
        shape = im.static_shape(data, "output_shape / auto_pad")
        want = list(node.attr("output_shape", [shape[2 + i] * strides[i] for i in range(nd)]))[-nd:]
        pads = []
        for i in range(nd):
            total = (
                strides[i] * (shape[2 + i] - 1) + out_pad[i] + (kernel[i] - 1) * dilations[i] + 1
                - want[i]
            )  # fmt: skip
            if node.attr("auto_pad", "NOTSET") == "SAME_UPPER":
                pads.append((total // 2, total - total // 2))
            else:
                pads.append((total - total // 2, total // 2))
        begin, end = [p[0] for p in pads], [p[1] for p in pads]
    else:
        pads = list(node.attr("pads", [0] * (2 * nd)))
        if node.attr("auto_pad", "NOTSET") == "VALID":
            pads = [0] * (2 * nd)
        begin, end = pads[:nd], pads[nd:]
    # An output_shape beyond the natural output: negative end padding is output_padding (rows
    # that only the bias reaches).
    begin, end = [int(b) for b in begin], [int(e) for e in end]
    if min(begin, default=0) < 0:
        raise Unsupported(
            f"output_shape {node.attr('output_shape')} that extends the output before it"
        )
    out_pad = [int(p) - min(e, 0) for p, e in zip(out_pad, end)]
    end = [max(e, 0) for e in end]
    if nd == 3:  # nnvm.conv2d_transpose is 2-D
        args = (kernel, strides, dilations, group, begin, end, out_pad)
        return [_conv_transpose_nd(im, node, data, weight, wshape, *args)]
    # Asymmetric padding: pad both sides with the smaller amount, add the rest as output_padding
    # or crop it afterwards.
    if nd == 1:
        data, weight = to_2d(im, data), to_2d(im, weight)
        kernel, strides, dilations = [1, *kernel], [1, *strides], [1, *dilations]
        begin, end, out_pad = [0, *begin], [0, *end], [0, *out_pad]
    sym = [min(b, e) for b, e in zip(begin, end)]
    extra_end = [e - s for e, s in zip(end, sym)]
    extra_begin = [b - s for b, s in zip(begin, sym)]
    operands = [data, weight]
    if node.input(2):
        operands.append(x(im, node, 2))
    out = im.emit1(
        "nnvm.conv2d_transpose",
        operands,
        {
            "channels": wshape[1] * group,
            "kernel_size": kernel,
            "strides": strides,
            "padding": sym,
            "output_padding": out_pad,
            "dilation": dilations,
            "groups": group,
            "use_bias": len(operands) == 3,
        },
    )
    if any(extra_begin) or any(extra_end):
        shape = im.static_shape(out)
        begins = [0, 0, *extra_begin]
        ends = [shape[0], shape[1], *(shape[2 + i] - extra_end[i] for i in range(2))]
        out = strided_slice(im, out, begins, ends, [1] * 4)
    return [from_2d(im, out) if nd == 1 else out]


def _conv_transpose_nd(
    im: Importer,
    node: Node,
    data: Value,
    weight: Value,
    wshape: Sequence[int],
    kernel: list[int],
    strides: list[int],
    dilations: list[int],
    group: int,
    begin: list[int],
    end: list[int],
    out_pad: list[int],
) -> SSAValue:
    """A transposed convolution as nnvm.conv: zeros between the input's elements (strides),
    padding by the dilated kernel's extent less `pads`, and the kernel flipped, its in and out
    channels swapped within each group."""
    shape = im.static_shape(data)
    n, (batch, cin), dims = len(kernel), shape[:2], list(shape[2:])
    if any(s > 1 for s in strides):
        parts = [batch, cin]
        for d in dims:
            parts += [d, 1]
        spread = pad(
            im,
            reshape(im, data, parts),
            [0] * len(parts),
            [0, 0, *(v for s in strides for v in (0, s - 1))],
            0.0,
        )
        spread = reshape(im, spread, [batch, cin, *(d * s for d, s in zip(dims, strides))])
        dims = [(d - 1) * s + 1 for d, s in zip(dims, strides)]
        data = strided_slice(im, spread, [0] * (n + 2), [batch, cin, *dims], [1] * (n + 2))
    before = [(k - 1) * dl - b for k, dl, b in zip(kernel, dilations, begin)]
    after = [(k - 1) * dl - e + p for k, dl, e, p in zip(kernel, dilations, end, out_pad)]
    if min(before + after) < 0:
        crop_begin = [max(-b, 0) for b in before]
        crop_end = [d - max(-a, 0) for d, a in zip(dims, after)]
        data = strided_slice(im, data, [0, 0, *crop_begin], [batch, cin, *crop_end], [1] * (n + 2))
    cout = wshape[1] * group
    w = reshape(im, weight, [group, cin // group, wshape[1], *kernel])
    w = transpose(im, w, [0, 2, 1, *range(3, n + 3)])
    w = reshape(im, w, [cout, cin // group, *kernel])
    for axis in range(2, n + 2):
        w = im.emit1("nnvm.flip", [w], {"axis": axis})
    operands = [data, w]
    if node.input(2):
        operands.append(x(im, node, 2))
    props = {
        "channels": cout,
        "kernel_size": kernel,
        "strides": [1] * n,
        "padding": [*(max(b, 0) for b in before), *(max(a, 0) for a in after)],
        "dilation": dilations,
        "groups": group,
        "use_bias": len(operands) == 3,
    }
    return im.emit1("nnvm.conv", operands, props)


@converts("MaxPool", "AveragePool")
def _pool(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    nd = spatial(im, node, data, "pooling")
    kernel = list(node.attr("kernel_shape"))
    strides = list(node.attr("strides", [1] * nd))
    dilations = list(node.attr("dilations", [1] * nd))
    pads = _pads(node, im, data, kernel, strides, dilations)
    begin, end = pads[:nd], list(pads[nd:])
    avg = node.op_type == "AveragePool"
    include = avg and bool(node.attr("count_include_pad", 0))
    extra = [0] * nd  # end padding beyond ONNX's, for ceil_mode's last windows
    if node.attr("ceil_mode", 0):
        # ONNX drops a last window that would start in the end padding; NNVM's ceil_mode keeps
        # it. Floor mode with just enough end padding gives ONNX's windows.
        shape = im.static_shape(data, "ceil_mode")
        for i in range(nd):
            size, s = shape[2 + i], strides[i]
            k = (kernel[i] - 1) * dilations[i] + 1
            out = -(-(size + begin[i] + end[i] - k) // s) + 1
            if (out - 1) * s >= size + begin[i]:
                out -= 1
            extra[i] = max(0, (out - 1) * s + k - size - begin[i] - end[i])
    if include and (any(pads) or any(extra)):
        # ONNX divides by the part of the window inside the padded input: pad explicitly and
        # count only what is inside it.
        data = pad(im, data, [0, 0, *begin], [0, 0, *end], 0.0)
        begin, end, include = [0] * nd, [0] * nd, False
    end = [e + x_ for e, x_ in zip(end, extra)]
    if not avg and len([o for o in node.outputs if o]) > 1:
        from nnvm_dialect.frontend.onnx_converters.indexing import max_pool_with_indices

        return max_pool_with_indices(im, node, data, kernel, strides, dilations, begin, end)
    if nd == 2 and dilations == [1, 1]:
        props: dict[str, Any] = {
            "pool_size": kernel,
            "strides": strides,
            "padding": [*begin, *end],
        }
        if avg:
            return [im.emit1("nnvm.avg_pool2d", [data], {**props, "count_include_pad": include})]
        return [im.emit1("nnvm.max_pool2d", [data], props)]
    props = {
        "pool_size": kernel,
        "strides": strides,
        "padding": [*begin, *end],
        "dilation": dilations,
    }
    if avg:
        return [im.emit1("nnvm.avg_pool", [data], {**props, "count_include_pad": include})]
    return [im.emit1("nnvm.max_pool", [data], props)]


@converts("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    nd = spatial(im, node, data, "global pooling")
    avg = node.op_type == "GlobalAveragePool"
    if nd != 2:
        reduce = "nnvm.mean" if avg else "nnvm.max"
        return [im.emit1(reduce, [data], {"axis": list(range(2, 2 + nd)), "keepdims": True})]
    return [im.emit1("nnvm.global_avg_pool2d" if avg else "nnvm.global_max_pool2d", [data])]


@converts("InstanceNormalization")
def _instance_norm(im: Importer, node: Node) -> list[Value]:
    operands = [x(im, node, i) for i in range(3)]
    eps = float(node.attr("epsilon", 1e-5))
    return [im.emit1("nnvm.instance_norm", operands, {"epsilon": eps})]


@converts("LRN")
def _lrn(im: Importer, node: Node) -> list[Value]:
    props = {
        "size": int(node.attr("size")),
        "axis": 1,
        "alpha": float(node.attr("alpha", 1e-4)),
        "beta": float(node.attr("beta", 0.75)),
        "bias": float(node.attr("bias", 1.0)),
    }
    return [im.emit1("nnvm.lrn", [x(im, node)], props)]


def _softmax(im: Importer, node: Node, name: str) -> list[Value]:
    data = x(im, node)
    rank = im.rank(data)
    axis = int(node.attr("axis", -1 if node.opset >= 13 else 1))
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    axis %= rank
    if node.opset >= 13 or axis == rank - 1:
        if name == "nnvm.softmax" and im.dtype(data) == np.float16:
            return [softmax_steps(im, data, axis)]
        return [im.emit1(name, [data], {"axis": axis})]
    # Before opset 13 the input is coerced to 2-D at `axis`.
    shape = im.static_shape(data, "Softmax before opset 13")
    flat = reshape(im, data, [int(np.prod(shape[:axis])), int(np.prod(shape[axis:]))])
    return [reshape(im, im.emit1(name, [flat], {"axis": 1}), list(shape))]


@converts("Softmax")
def _softmax_op(im: Importer, node: Node) -> list[Value]:
    return _softmax(im, node, "nnvm.softmax")


@converts("LogSoftmax")
def _log_softmax(im: Importer, node: Node) -> list[Value]:
    return _softmax(im, node, "nnvm.log_softmax")


@converts("Gemm")
def _gemm(im: Importer, node: Node) -> list[Value]:
    b = node.input(1)
    alpha, beta = float(node.attr("alpha", 1.0)), float(node.attr("beta", 1.0))
    ta, tb = int(node.attr("transA", 0)), int(node.attr("transB", 0))
    av = x(im, node)
    if ta:
        av = transpose(im, av, [1, 0])
    bc = im.const(b)
    if bc is not None:
        w = bc if tb else bc.T
        if alpha != 1.0:
            w = (w * np.asarray(alpha, w.dtype)).astype(w.dtype)
            alpha = 1.0
        weight: Value = np.ascontiguousarray(w)
    else:
        weight = x(im, node, 1) if tb else transpose(im, x(im, node, 1), [1, 0])
    units = im.static_shape(weight, "Gemm's B")[0]
    operands: list[Value] = [av, weight]
    c = node.input(2)
    cshape = im.shape(c) if c else None
    use_bias = bool(c) and beta == 1.0 and cshape is not None and tuple(cshape) in ((units,),)
    if use_bias:
        operands.append(x(im, node, 2))
    out = im.emit1("nnvm.dense", operands, {"units": units, "use_bias": use_bias})
    if alpha != 1.0:
        out = binary(im, "Mul", out, scalar(im, alpha, out))
    if c and not use_bias:
        cv: Value = x(im, node, 2)
        if beta != 1.0:
            cv = binary(im, "Mul", cv, scalar(im, beta, cv))
        out = binary(im, "Add", out, cv)
    return [out]


@converts("MatMul")
def _matmul(im: Importer, node: Node) -> list[Value]:
    a, b = x(im, node), x(im, node, 1)
    sa, sb = im.static_shape(a, "MatMul's A"), im.static_shape(b, "MatMul's B")
    if len(sb) == 2 and len(sa) >= 1:
        bc = im.const(node.input(1))
        weight: Value = np.ascontiguousarray(bc.T) if bc is not None else transpose(im, b, [1, 0])
        data: Value = a
        if len(sa) == 1:
            data = reshape(im, a, [1, sa[0]])
        out = half_in_float(im, "nnvm.dense", [data, weight], {"units": sb[1], "use_bias": False})
        if len(sa) == 1:
            out = reshape(im, out, [sb[1]])
        return [out]
    vector = len(sa) == 1 and len(sb) >= 3  # a row vector against a stack of matrices
    if vector:
        a, sa = reshape(im, a, [1, sa[0]]), (1, sa[0])
    if len(sa) >= 2 and len(sb) >= 2:
        batch = tuple(np.broadcast_shapes(sa[:-2], sb[:-2]))
        a2 = broadcast_to(im, a, sa, (*batch, *sa[-2:]))
        b2 = broadcast_to(im, b, sb, (*batch, *sb[-2:]))
        n = int(np.prod(batch)) if batch else 1
        a3 = reshape(im, a2, [n, sa[-2], sa[-1]])
        b3 = transpose(im, reshape(im, b2, [n, sb[-2], sb[-1]]), [0, 2, 1])
        out = half_in_float(im, "nnvm.batch_matmul", [a3, b3])
        rows = [] if vector else [sa[-2]]
        return [reshape(im, out, [*batch, *rows, sb[-1]])]
    if len(sb) == 1:
        w = reshape(im, b, [1, sb[0]])
        out = im.emit1("nnvm.dense", [a, w], {"units": 1, "use_bias": False})
        return [reshape(im, out, list(sa[:-1]))]
    raise Unsupported(f"MatMul of shapes {list(sa)} and {list(sb)}")
