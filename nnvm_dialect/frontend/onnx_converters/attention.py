"""Attention (opset 23+) and RotaryEmbedding, decomposed into existing nnvm ops.

The masks that depend on shapes alone (causal, sliding window, the padding of an external KV
cache) are built at import as one additive bias of 0 and -inf; attn_mask, when given, is added
to it in the graph. Softmax is spelt out as ONNX's function body does it (max, exp, sum,
divide, with a fully masked row giving zeros instead of NaN), so each step rounds in the
input's element type as the reference does.
"""

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
    cast,
    converts,
    half_in_float,
    ints,
    reshape,
    softmax_steps,
    transpose,
    where,
    x,
)

SOFTMAX_PRECISIONS = {1: np.float32, 10: np.float16, 11: np.float64}
"""softmax_precision values (TensorProto element types) the dialect carries."""


def _last_axis(im: Importer, name: str, v: Value) -> SSAValue:
    rank = im.rank(v)
    return im.emit1(name, [v], {"axis": [rank - 1], "keepdims": True})


def _is_neg_inf(im: Importer, v: Value) -> SSAValue:
    dtype = im.dtype(v)
    return binary(im, "Equal", v, np.asarray(-np.inf, dtype))


def _heads(im: Importer, v: Value, heads: int, what: str) -> SSAValue:
    """(B, S, heads * D) -> (B, heads, S, D)."""
    b, s, hidden = im.static_shape(v, what)
    if heads <= 0 or hidden % heads:
        raise BadModel(f"{what}'s hidden size {hidden} does not split into {heads} heads")
    return transpose(im, reshape(im, v, [b, s, heads, hidden // heads]), [0, 2, 1, 3])


def _bmm(im: Importer, a: Value, b: Value, transpose_b: bool) -> SSAValue:
    """a @ b (or a @ b^T) over the last two axes of rank-4 operands of one batch shape."""
    sa, sb = im.static_shape(a), im.static_shape(b)
    n = sa[0] * sa[1]
    a3 = reshape(im, a, [n, sa[2], sa[3]])
    b3 = reshape(im, b, [n, sb[2], sb[3]])
    out = half_in_float(im, "nnvm.batch_matmul", [a3, b3], {"transpose_b": transpose_b})
    cols = sb[2] if transpose_b else sb[3]
    return reshape(im, out, [sa[0], sa[1], sa[2], cols])


def _offset_bias(offset: int | np.ndarray, q: int, kv: int, allowed, dtype: np.dtype) -> np.ndarray:
    """0 where `allowed(diff)` holds for diff = i + offset - j, else -inf; per batch
    (B, 1, q, kv) when the offset is one per batch."""
    i = np.arange(q).reshape(q, 1)
    j = np.arange(kv).reshape(1, kv)
    if np.ndim(offset):
        diff = i + np.reshape(offset, (-1, 1, 1)) - j
        diff = diff.reshape(diff.shape[0], 1, q, kv)
    else:
        diff = i + int(offset) - j
    return np.where(allowed(diff), dtype.type(0), dtype.type(-np.inf))


@converts("Attention")
def _attention(im: Importer, node: Node) -> list[Value]:
    q, k, v = x(im, node, 0), x(im, node, 1), x(im, node, 2)
    dtype = im.dtype(q)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"Q of element type {dtype}")
    dtype = np.dtype(dtype)
    rank = im.rank(q)
    if not rank == im.rank(k) == im.rank(v) or rank not in (3, 4):
        raise BadModel("Q, K and V must all be rank 3 or all rank 4")
    q_heads, kv_heads = node.attr("q_num_heads"), node.attr("kv_num_heads")
    if rank == 3:
        if q_heads is None or kv_heads is None:
            raise BadModel("3-D inputs need q_num_heads and kv_num_heads")
        q = _heads(im, q, int(q_heads), "Q")
        k = _heads(im, k, int(kv_heads), "K")
        v = _heads(im, v, int(kv_heads), "V")
    batch, hq, q_len, head = im.static_shape(q, "Q")

    past_key, past_value = node.input(4), node.input(5)
    if bool(past_key) != bool(past_value):
        raise BadModel("past_key and past_value must be given together")
    nonpad_name = node.input(6)
    if nonpad_name and past_key:
        raise BadModel("nonpad_kv_seqlen cannot be combined with past_key and past_value")
    if past_key:
        k = im.emit1("nnvm.concatenate", [x(im, node, 4), k], {"axis": 2})
        v = im.emit1("nnvm.concatenate", [x(im, node, 5), v], {"axis": 2})
    present_key, present_value = k, v
    kv_len = im.static_shape(k, "K")[2]
    hkv = im.static_shape(k, "K")[1]

    # The part of the bias that shapes decide: causal, sliding window, external cache padding.
    nonpad = ints(im.need_const(node, 6, "nonpad_kv_seqlen")) if nonpad_name else None
    if nonpad is not None and len(nonpad) != batch:
        raise BadModel(f"nonpad_kv_seqlen has {len(nonpad)} values for batch {batch}")
    if past_key:
        offset: int | np.ndarray = im.static_shape(x(im, node, 4))[2]
    elif nonpad is not None:
        offset = np.asarray(nonpad) - q_len
    else:
        offset = 0
    fixed = np.zeros((q_len, kv_len), dtype)
    if node.attr("is_causal", 0):
        fixed = fixed + _offset_bias(offset, q_len, kv_len, lambda d: d >= 0, dtype)
    left = int(node.attr("left_window_size", -1))
    right = int(node.attr("right_window_size", -1))
    if left < -1 or right < -1:
        raise BadModel(f"window sizes must be -1 or nonnegative, got {left} and {right}")
    if left >= 0 or right >= 0:

        def inside(d: np.ndarray) -> np.ndarray:
            ok = np.ones(d.shape, bool)
            if left >= 0:
                ok &= d <= left
            if right >= 0:
                ok &= -d <= right
            return ok

        fixed = fixed + _offset_bias(offset, q_len, kv_len, inside, dtype)
    if nonpad is not None:
        keep = np.arange(kv_len) < np.asarray(nonpad).reshape(-1, 1)
        pad_bias = np.where(keep, dtype.type(0), dtype.type(-np.inf))
        fixed = fixed + pad_bias.reshape(batch, 1, 1, kv_len)

    bias: Value = fixed
    if node.input(3):
        mask = x(im, node, 3)
        mask_shape = im.static_shape(mask, "attn_mask")
        mask_dtype = im.dtype(mask)
        if mask_dtype == np.bool_:
            mask = where(im, mask, np.asarray(0, dtype), np.asarray(-np.inf, dtype))
        elif mask_dtype != dtype:
            raise Unsupported(f"a float attn_mask of type {mask_dtype} with Q of type {dtype}")
        short = kv_len - mask_shape[-1]
        if short > 0:
            pads = [[0, 0]] * (len(mask_shape) - 1) + [[0, short]]
            mask = im.emit1("nnvm.pad", [mask], {"pad_width": pads, "pad_value": -np.inf})
        elif short < 0:
            raise BadModel(f"attn_mask covers {mask_shape[-1]} keys, more than {kv_len}")
        bias = binary(im, "Add", mask, fixed)

    # Grouped-query attention: each KV head serves hq // hkv query heads, in order.
    if hq != hkv:
        if hq % hkv:
            raise BadModel(f"{hq} query heads do not group over {hkv} key/value heads")
        reps = hq // hkv
        for name in ("k", "v"):
            t = k if name == "k" else v
            shape = im.static_shape(t)
            wide = broadcast_to(
                im,
                reshape(im, t, [shape[0], hkv, 1, *shape[2:]]),
                (shape[0], hkv, 1, *shape[2:]),
                (shape[0], hkv, reps, *shape[2:]),
            )
            t = reshape(im, wide, [shape[0], hq, *shape[2:]])
            k, v = (t, v) if name == "k" else (k, t)

    scale = node.attr("scale")
    scale = 1 / np.sqrt(head) if scale is None else float(scale)
    root = np.asarray(np.sqrt(scale), dtype)
    scores = _bmm(im, binary(im, "Mul", q, root), binary(im, "Mul", k, root), True)
    softcap = float(node.attr("softcap", 0.0))
    if softcap > 0:
        cap = np.asarray(softcap, dtype)
        scores = binary(im, "Mul", im.emit1("nnvm.tanh", [binary(im, "Div", scores, cap)]), cap)
    with_bias = binary(im, "Add", scores, bias)
    mode = int(node.attr("qk_matmul_output_mode", 0))
    if mode not in (0, 1, 2, 3):
        raise Unsupported(f"qk_matmul_output_mode = {mode}")
    qk_out = with_bias if mode == 2 else scores

    logits = with_bias
    precision = node.attr("softmax_precision")
    if precision is not None:
        if int(precision) not in SOFTMAX_PRECISIONS:
            raise Unsupported(f"softmax_precision = {precision}")
        logits = cast(im, logits, np.dtype(SOFTMAX_PRECISIONS[int(precision)]))
    probs = softmax_steps(im, logits, im.rank(logits) - 1, masked_rows_zero=True)
    # A query row whose bias masks every key attends to nothing: its weights are 0.
    if isinstance(bias, np.ndarray):
        masked_rows: Value | None = np.isneginf(bias.max(axis=-1, keepdims=True))
        if not masked_rows.any():
            masked_rows = None
    else:
        masked_rows = _is_neg_inf(im, _last_axis(im, "nnvm.max", bias))
    if masked_rows is not None:
        probs = where(im, masked_rows, np.asarray(0, im.dtype(probs)), probs)
    if mode == 3:
        qk_out = probs
    if im.dtype(probs) != dtype:
        probs = cast(im, probs, dtype)
    if im.dtype(qk_out) != dtype:
        qk_out = cast(im, qk_out, dtype)
    y = _bmm(im, probs, v, False)
    if rank == 3:
        dv = im.static_shape(v)[3]
        y = reshape(im, transpose(im, y, [0, 2, 1, 3]), [batch, q_len, hq * dv])
    return [y, present_key, present_value, qk_out]


@converts("RotaryEmbedding")
def _rotary_embedding(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data, "input")
    if len(shape) == 4:  # (B, H, S, D) -> (B, S, H, D)
        t = transpose(im, data, [0, 2, 1, 3])
    elif len(shape) == 3:
        heads = int(node.attr("num_heads", 0))
        if heads <= 0 or shape[2] % heads:
            raise BadModel(f"a 3-D input needs num_heads dividing {shape[2]}, got {heads}")
        t = reshape(im, data, [shape[0], shape[1], heads, shape[2] // heads])
    else:
        raise BadModel(f"input must be rank 3 or 4, got rank {len(shape)}")
    b, s, h, d = im.static_shape(t)
    rd = int(node.attr("rotary_embedding_dim", 0)) or d
    if rd > d or rd % 2:
        raise BadModel(f"rotary_embedding_dim {rd} must be even and at most the head size {d}")
    half = rd // 2
    caches = []
    for i, what in ((1, "cos_cache"), (2, "sin_cache")):
        cache = x(im, node, i)
        if node.input(3):
            cache = im.emit1("nnvm.take", [cache, x(im, node, 3)], {"axis": 0, "mode": "wrap"})
        cshape = im.static_shape(cache, what)
        if cshape != (b, s, half):
            raise BadModel(f"{what} gives shape {list(cshape)}, expected {[b, s, half]}")
        caches.append(reshape(im, cache, [b, s, 1, half]))
    cos, sin = caches

    def part(start: int, stop: int, step: int) -> SSAValue:
        return im.emit1(
            "nnvm.strided_slice",
            [t],
            {"begin": [0, 0, 0, start], "end": [b, s, h, stop], "stride": [1, 1, 1, step]},
        )

    interleaved = bool(node.attr("interleaved", 0))
    x1, x2 = (
        (part(0, rd, 2), part(1, rd, 2)) if interleaved else (part(0, half, 1), part(half, rd, 1))
    )
    real = binary(im, "Sub", binary(im, "Mul", cos, x1), binary(im, "Mul", sin, x2))
    imag = binary(im, "Add", binary(im, "Mul", sin, x1), binary(im, "Mul", cos, x2))
    if interleaved:
        pairs = [reshape(im, p, [b, s, h, half, 1]) for p in (real, imag)]
        rotated = reshape(im, im.emit1("nnvm.concatenate", pairs, {"axis": 4}), [b, s, h, rd])
    else:
        rotated = im.emit1("nnvm.concatenate", [real, imag], {"axis": 3})
    if rd < d:
        rotated = im.emit1("nnvm.concatenate", [rotated, part(rd, d, 1)], {"axis": 3})
    if len(shape) == 3:
        return [reshape(im, rotated, list(shape))]
    return [transpose(im, rotated, [0, 2, 1, 3])]
