"""Signal ops: DFT and STFT as a product with a constant DFT matrix (nnvm.matmul), window
functions and MelWeightMatrix folded to constants at import (their inputs are sizes).

The DFT along one axis is a real-linear map from (length, 1 or 2) values to (bins, 2) (or
(length, 1) for the inverse one-sided transform), so its matrix is numpy's FFT applied to the
basis vectors, with ONNX's zero padding or truncation to dft_length, onesided and inverse.
"""

import math

import numpy as np
from onnx import helper

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import converts, reshape, transpose, x


def _dtype(node: Node, default: int = 1) -> np.dtype:
    try:
        return np.dtype(helper.tensor_dtype_to_np_dtype(int(node.attr("output_datatype", default))))
    except (KeyError, TypeError, ValueError):
        raise Unsupported(f"output_datatype = {node.attr('output_datatype')}") from None


def _scalar(im: Importer, node: Node, i: int, what: str) -> float:
    value = im.need_const(node, i, what)
    if value.size != 1:
        raise BadModel(f"{what} must be a scalar, got shape {list(value.shape)}")
    return value.reshape(-1)[0].item()


@converts("HannWindow", "HammingWindow", "BlackmanWindow")
def _window(im: Importer, node: Node) -> list[Value]:
    size = int(_scalar(im, node, 0, "size"))
    if size < 0:
        raise BadModel(f"size {size} is negative")
    period = size if node.attr("periodic", 1) else size - 1
    phase = 2 * np.pi * np.arange(size) / period if period else np.zeros(size)
    if node.op_type == "HannWindow":
        window = 0.5 - 0.5 * np.cos(phase)
    elif node.op_type == "HammingWindow":
        window = 25 / 46 - 21 / 46 * np.cos(phase)
    else:
        window = 0.42 - 0.5 * np.cos(phase) + 0.08 * np.cos(2 * phase)
    return [window.astype(_dtype(node))]


@converts("MelWeightMatrix")
def _mel(im: Importer, node: Node) -> list[Value]:
    bins = int(_scalar(im, node, 0, "num_mel_bins"))
    length = int(_scalar(im, node, 1, "dft_length"))
    rate = int(_scalar(im, node, 2, "sample_rate"))
    low, high = (float(_scalar(im, node, i, n)) for i, n in ((3, "lower_edge_hertz"),
                                                             (4, "upper_edge_hertz")))  # fmt: skip
    if bins <= 0 or length <= 0 or rate <= 0:
        raise BadModel("num_mel_bins, dft_length and sample_rate must be positive")

    def mel(hz: float) -> float:
        return 2595 * math.log10(1 + hz / 700)

    step = (mel(high) - mel(low)) / (bins + 2)
    hz = 700 * (10 ** ((np.arange(bins + 2) * step + mel(low)) / 2595) - 1)
    edges = ((length + 1) * hz // rate).astype(np.int64)
    out = np.zeros((length // 2 + 1, bins))
    for i in range(bins):
        left, center, right = edges[i : i + 3]
        if center == left:
            out[center, i] = 1
        else:
            for j in range(left, center + 1):
                out[j, i] = (j - left) / (center - left)
        for j in range(center, right):
            out[j, i] = (right - j) / (right - center)
    return [out.astype(_dtype(node))]


def dft_matrix(length: int, parts: int, n: int, inverse: bool, onesided: bool) -> np.ndarray:
    """(length * parts, bins * parts_out): the DFT of ONNX's real/complex layout as a matrix."""
    basis = np.eye(length * parts).reshape(length * parts, length, parts)
    signal = basis[..., 0] + (1j * basis[..., 1] if parts == 2 else 0)
    if inverse and onesided:
        out = np.fft.irfft(signal, n=n, axis=1)[..., None]
    else:
        out = (np.fft.ifft if inverse else np.fft.fft)(signal, n=n, axis=1)
        if onesided:
            out = out[:, : n // 2 + 1]
        out = np.stack([out.real, out.imag], axis=-1)
    return out.reshape(length * parts, -1)


@converts("DFT")
def _dft(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data, "DFT's input")
    dtype = im.dtype(data)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"DFT of {dtype} data")
    rank = len(shape)
    if node.opset >= 20:
        axis = int(_scalar(im, node, 2, "axis")) if node.input(2) else -2
    else:
        axis = int(node.attr("axis", 1))
    if not -rank <= axis < rank:
        raise BadModel(f"axis {axis} is out of range for rank {rank}")
    axis %= rank
    if axis == rank - 1:
        raise BadModel("axis must not be the last (real/imaginary) axis")
    parts = shape[-1]
    if parts not in (1, 2):
        raise BadModel(f"the last axis must have 1 or 2 values, got {parts}")
    inverse = bool(node.attr("inverse", 0))
    onesided = bool(node.attr("onesided", 0))
    if node.input(1):
        n = int(_scalar(im, node, 1, "dft_length"))
    else:
        n = 2 * (shape[axis] - 1) if inverse and onesided else shape[axis]
    if n <= 0:
        raise BadModel(f"dft_length {n} is not positive")
    if inverse and onesided and parts != 2:
        raise Unsupported("a one-sided inverse DFT of real input")
    matrix = dft_matrix(shape[axis], parts, n, inverse, onesided)
    return [transform(im, data, shape, axis, matrix, n if inverse and onesided else -1, dtype)]


def transform(im: Importer, v: Value, shape: tuple[int, ...], axis: int, matrix: np.ndarray,
              n: int, dtype: np.dtype) -> Value:  # fmt: skip
    """v with `axis` (and the trailing real/imaginary axis) mapped through matrix; n is the
    output length when the output is real (one part), else -1."""
    rank = len(shape)
    perm = [a for a in range(rank - 1) if a != axis] + [axis, rank - 1]
    moved = v if perm == list(range(rank)) else transpose(im, v, perm)
    lead = [shape[a] for a in perm[:-2]]
    flat = reshape(im, moved, [*lead, shape[axis] * shape[-1]])
    product = im.emit1("nnvm.matmul", [flat, matrix.astype(dtype)])
    parts = 1 if matrix.shape[1] == n else 2
    bins = matrix.shape[1] // parts
    out = reshape(im, product, [*lead, bins, parts])
    if perm == list(range(rank)):
        return out
    return transpose(im, out, [int(i) for i in np.argsort(perm)])


@converts("STFT")
def _stft(im: Importer, node: Node) -> list[Value]:
    data = x(im, node)
    shape = im.static_shape(data, "STFT's signal")
    dtype = im.dtype(data)
    if dtype is None or dtype.kind != "f":
        raise Unsupported(f"STFT of {dtype} data")
    if len(shape) != 3 or shape[-1] not in (1, 2):
        raise BadModel(f"signal must be [batch, length, 1 or 2], got {list(shape)}")
    batch, length, parts = shape
    step = int(_scalar(im, node, 1, "frame_step"))
    window = x(im, node, 2) if node.input(2) else None
    if node.input(3):
        frame = int(_scalar(im, node, 3, "frame_length"))
    elif window is not None:
        frame = im.static_shape(window, "the window")[0]
    else:
        frame = length
    if window is not None and im.static_shape(window, "the window") != (frame,):
        raise Unsupported("a window whose length differs from frame_length")
    if step <= 0 or not 0 < frame <= length:
        raise BadModel(f"frame_step {step} and frame_length {frame} do not fit length {length}")
    frames = 1 + (length - frame) // step
    index = np.arange(frames)[:, None] * step + np.arange(frame)[None, :]
    v = im.emit1("nnvm.take", [data, index.astype(np.int64)], {"axis": 1})
    if window is not None:
        w = reshape(im, window, [frame, 1])
        v = im.emit1("nnvm.broadcast_mul", [v, w])
    onesided = bool(node.attr("onesided", 1))
    matrix = dft_matrix(frame, parts, frame, False, onesided)
    return [transform(im, v, (batch, frames, frame, parts), 2, matrix, -1, dtype)]
