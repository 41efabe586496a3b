"""Bit-level and float-class ONNX ops: BitwiseAnd/Or/Xor, BitShift, IsInf."""

import numpy as np
from xdsl.ir import SSAValue

from nnvm_dialect.frontend.onnx import Importer, Node, Unsupported, Value
from nnvm_dialect.frontend.onnx_converters.common import cast, converts, scalar, x

BITWISE = {
    "BitwiseAnd": "nnvm.bitwise_and",
    "BitwiseOr": "nnvm.bitwise_or",
    "BitwiseXor": "nnvm.bitwise_xor",
}


@converts(*BITWISE)
def _bitwise(im: Importer, node: Node) -> list[Value]:
    return [im.emit1(BITWISE[node.op_type], [x(im, node), x(im, node, 1)])]


def _mask(im: Importer, v: SSAValue, cond: SSAValue, dtype: np.dtype) -> SSAValue:
    """v where cond holds, else 0 (cond is i1, broadcast against v)."""
    return im.emit1("nnvm.broadcast_mul", [v, cast(im, cond, dtype)])


@converts("BitShift")
def _bit_shift(im: Importer, node: Node) -> list[Value]:
    """ONNX shifts by a count outside [0, bits) give 0 (a left shift, a logical right shift) or
    the sign fill (an arithmetic right shift); nnvm's shifts clamp the count instead (a
    negative one to 0), so the converter steers those counts to the same answer."""
    a, n = x(im, node), x(im, node, 1)
    direction = node.attr("direction")
    dtype = im.dtype(a)
    if dtype is None or dtype.kind not in "iu":
        raise Unsupported(f"BitShift on element type {dtype}")
    bits = dtype.itemsize * 8
    signed = dtype.kind == "i"
    if direction == "LEFT":
        out = im.emit1("nnvm.broadcast_left_shift", [a, n])  # a count >= bits gives 0
        if signed:
            out = _mask(
                im, out, im.emit1("nnvm.broadcast_greater_equal", [n, scalar(im, 0, n)]), dtype
            )
        return [out]
    if direction != "RIGHT":
        raise Unsupported(f"direction = '{direction}'")
    if not signed:  # logical: a count >= bits shifts every bit out
        out = im.emit1("nnvm.broadcast_right_shift", [a, n])
        return [_mask(im, out, im.emit1("nnvm.broadcast_less", [n, scalar(im, bits, n)]), dtype)]
    # Arithmetic: a count >= bits clamps to bits - 1, the sign fill; a negative one becomes bits.
    negative = im.emit1("nnvm.broadcast_less", [n, scalar(im, 0, n)])
    n = im.emit1("nnvm.broadcast_max", [n, _mask(im, scalar(im, bits, n), negative, dtype)])
    return [im.emit1("nnvm.broadcast_right_shift", [a, n])]


@converts("IsInf")
def _isinf(im: Importer, node: Node) -> list[Value]:
    props = {
        "detect_positive": bool(node.attr("detect_positive", 1)),
        "detect_negative": bool(node.attr("detect_negative", 1)),
    }
    return [im.emit1("nnvm.isinf", [x(im, node)], props)]
