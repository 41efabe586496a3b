"""RNN, GRU and LSTM, unrolled over their static sequence length into dense, sigmoid, tanh,
slice and stack ops, so every target runs them with no recurrent op in the dialect.

The input projection X . W^T + Wb is one dense over the whole sequence; each step adds
H . R^T + Rb and applies the gates of the ONNX spec. sequence_lens is accepted when it is a
constant equal to the sequence length for every batch entry.
"""

from dataclasses import dataclass

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
    converts,
    reshape,
    strided_slice,
    transpose,
    x,
)

GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
ACTIVATIONS = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"], "LSTM": ["Sigmoid", "Tanh", "Tanh"]}
UNARY = {"Tanh": "nnvm.tanh", "Sigmoid": "nnvm.sigmoid", "Relu": "nnvm.relu"}


@dataclass
class Cell:
    """What one direction's steps need."""

    im: Importer
    node: Node
    hidden: int
    batch: int
    acts: list[str]
    clip: float | None

    def act(self, i: int, v: Value) -> SSAValue:
        if self.clip is not None:
            v = self.im.emit1("nnvm.clip", [v], {"a_min": -self.clip, "a_max": self.clip})
        return self.im.emit1(UNARY[self.acts[i]], [v])

    def gate(self, v: Value, i: int) -> SSAValue:
        """Gate i of a (batch, gates * hidden) projection."""
        h = self.hidden
        return strided_slice(self.im, v, [0, i * h], [self.batch, (i + 1) * h], [1, 1])

    def add(self, a: Value, b: Value) -> SSAValue:
        return self.im.emit1("nnvm.elemwise_add", [a, b])

    def mul(self, a: Value, b: Value) -> SSAValue:
        return self.im.emit1("nnvm.elemwise_mul", [a, b])


def _row(im: Importer, v: Value, i: int, shape: tuple[int, ...]) -> SSAValue:
    """v[i] of a static-shaped v, its leading axis dropped."""
    begin = [0] * len(shape)
    end = list(shape)
    begin[0], end[0] = i, i + 1
    return reshape(im, strided_slice(im, v, begin, end, [1] * len(shape)), list(shape[1:]))


def _cols(im: Importer, v: Value, lo: int, hi: int, shape: tuple[int, ...]) -> SSAValue:
    """v[lo:hi] along the leading axis."""
    end = list(shape)
    end[0] = hi
    return strided_slice(im, v, [lo] + [0] * (len(shape) - 1), end, [1] * len(shape))


def _dense(im: Importer, data: Value, weight: Value, bias: Value | None, units: int) -> SSAValue:
    operands = [data, weight] if bias is None else [data, weight, bias]
    return im.emit1("nnvm.dense", operands, {"units": units, "use_bias": bias is not None})


def _activations(node: Node, dirs: int) -> list[list[str]]:
    if node.attr("activation_alpha") is not None or node.attr("activation_beta") is not None:
        raise Unsupported("activation_alpha / activation_beta")
    default = ACTIVATIONS[node.op_type]
    given = node.attr("activations")
    names = list(default * dirs) if given is None else [str(a) for a in given]
    if len(names) != len(default) * dirs:
        raise BadModel(f"{len(names)} activations, expected {len(default) * dirs}")
    for name in names:
        if name not in UNARY:
            raise Unsupported(f"activation '{name}'")
    k = len(default)
    return [names[d * k : (d + 1) * k] for d in range(dirs)]


def _step(cell: Cell, kind: str, xt: Value, h: Value, c: Value | None, w: dict) -> tuple:
    """One time step: the new hidden state (and cell state for LSTM)."""
    im, hid = cell.im, cell.hidden
    if kind == "RNN":
        pre = cell.add(xt, _dense(im, h, w["R"], w["Rb"], hid))
        return cell.act(0, pre), None
    if kind == "GRU":
        hz = _dense(im, h, w["Rzr"], w["Rbzr"], 2 * hid)
        z = cell.act(0, cell.add(cell.gate(xt, 0), cell.gate(hz, 0)))
        r = cell.act(0, cell.add(cell.gate(xt, 1), cell.gate(hz, 1)))
        if w["linear_before_reset"]:
            inner = cell.mul(r, _dense(im, h, w["Rh"], w["Rbh"], hid))
        else:
            inner = _dense(im, cell.mul(r, h), w["Rh"], w["Rbh"], hid)
        hh = cell.act(1, cell.add(cell.gate(xt, 2), inner))
        keep = im.emit1("nnvm.__rsub_scalar__", [z], {"scalar": 1.0})
        return cell.add(cell.mul(keep, hh), cell.mul(z, h)), None
    pre = cell.add(xt, _dense(im, h, w["R"], w["Rb"], 4 * hid))
    i_pre, o_pre, f_pre, c_pre = (cell.gate(pre, g) for g in range(4))
    if w["P"] is not None:
        pi, po, pf = w["P"]
        i_pre = cell.add(i_pre, im.emit1("nnvm.broadcast_mul", [c, pi]))
        f_pre = cell.add(f_pre, im.emit1("nnvm.broadcast_mul", [c, pf]))
    i, f = cell.act(0, i_pre), cell.act(0, f_pre)
    c_new = cell.add(cell.mul(f, c), cell.mul(i, cell.act(1, c_pre)))
    if w["P"] is not None:
        o_pre = cell.add(o_pre, im.emit1("nnvm.broadcast_mul", [c_new, w["P"][1]]))
    o = cell.act(0, o_pre)
    return cell.mul(o, cell.act(2, c_new)), c_new


@converts("RNN", "GRU", "LSTM")
def _recurrent(im: Importer, node: Node) -> list[Value]:
    kind = node.op_type
    gates = GATES[kind]
    direction = node.attr("direction", "forward")
    if direction not in ("forward", "reverse", "bidirectional"):
        raise Unsupported(f"direction = '{direction}'")
    dirs = 2 if direction == "bidirectional" else 1
    if node.attr("input_forget", 0):
        raise Unsupported("input_forget = 1")
    layout = int(node.attr("layout", 0))
    data = x(im, node)
    if layout:
        data = transpose(im, data, [1, 0, 2])
    seq, batch, _ = im.static_shape(data, f"{kind}'s input")
    hid = int(node.attr("hidden_size", 0))
    wshape = im.static_shape(node.input(1), "W")
    if hid <= 0:
        hid = wshape[1] // gates
    if wshape[0] != dirs or wshape[1] != gates * hid:
        raise BadModel(f"W has shape {list(wshape)}, expected [{dirs}, {gates * hid}, ...]")
    if node.input(4):
        lens = im.need_const(node, 4, "sequence_lens")
        if np.any(lens != seq):
            raise Unsupported(f"sequence_lens {lens.tolist()} shorter than the sequence ({seq})")
    dtype = im.dtype(data)
    clip = node.attr("clip")
    acts = _activations(node, dirs)
    states = []
    for k in (5, 6):  # initial_h, initial_c
        v = x(im, node, k) if node.input(k) else None
        if v is not None and layout:
            v = transpose(im, v, [1, 0, 2])
        states.append(v)
    ys, hs, cs = [], [], []
    for d in range(dirs):
        cell = Cell(im, node, hid, batch, acts[d], None if clip is None else float(clip))
        w_in = _row(im, x(im, node, 1), d, wshape)
        r_all = _row(im, x(im, node, 2), d, im.static_shape(node.input(2), "R"))
        width = gates * hid
        wb = rb = None
        if node.input(3):
            b = _row(im, x(im, node, 3), d, (dirs, 2 * width))
            wb = _cols(im, b, 0, width, (2 * width,))
            rb = _cols(im, b, width, 2 * width, (2 * width,))
        projected = _dense(im, data, w_in, wb, width)
        weights: dict = {"R": r_all, "Rb": rb, "P": None}
        if kind == "GRU":
            weights["linear_before_reset"] = bool(node.attr("linear_before_reset", 0))
            weights["Rzr"] = _cols(im, r_all, 0, 2 * hid, (width, hid))
            weights["Rh"] = _cols(im, r_all, 2 * hid, width, (width, hid))
            weights["Rbzr"] = None if rb is None else _cols(im, rb, 0, 2 * hid, (width,))
            weights["Rbh"] = None if rb is None else _cols(im, rb, 2 * hid, width, (width,))
        if kind == "LSTM" and node.input(7):
            p = _row(im, x(im, node, 7), d, (dirs, 3 * hid))
            weights["P"] = [_cols(im, p, g * hid, (g + 1) * hid, (3 * hid,)) for g in range(3)]
        zeros = np.zeros((batch, hid), dtype)
        h = zeros if states[0] is None else _row(im, states[0], d, (dirs, batch, hid))
        c = None
        if kind == "LSTM":
            c = zeros if states[1] is None else _row(im, states[1], d, (dirs, batch, hid))
        backward = direction == "reverse" or d == 1
        order = range(seq - 1, -1, -1) if backward else range(seq)
        out: list[Value] = [zeros] * seq
        for t in order:
            xt = _row(im, projected, t, (seq, batch, width))
            h, c = _step(cell, kind, xt, h, c, weights)
            out[t] = h
        ys.append(out)
        hs.append(h)
        cs.append(c)
    y_h = im.emit1("nnvm.stack", hs, {"axis": 0})
    results: list[Value] = [y_h, y_h]
    if node.outputs and node.outputs[0]:
        per_dir = [im.emit1("nnvm.stack", out, {"axis": 0}) for out in ys]
        results[0] = im.emit1("nnvm.stack", per_dir, {"axis": 1})
    if kind == "LSTM":
        results.append(im.emit1("nnvm.stack", cs, {"axis": 0}))
    if layout:
        if node.outputs and node.outputs[0]:
            results[0] = transpose(im, results[0], [2, 0, 1, 3])
        results[1:] = [transpose(im, v, [1, 0, 2]) for v in results[1:]]
    return results
