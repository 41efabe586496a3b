"""`nnvm.layout_transform`: moves data between layouts such as NCHW, NHWC and NCHW16c.

Layout grammar (NNVM's): a layout is a sequence of axes, one per dim. An upper-case letter is a
primal axis (N, C, H, W, O, I, ...), each at most once. A number followed by a lower-case letter
is a sub-axis of that size split off the primal axis of the same letter, which must be present:
`NCHW16c` has dims (N, C/16, H, W, 16), the C axis split into C/16 outer and 16 inner; `OIHW8i8o`
splits both I and O of a weight. Each primal axis has at most one sub-axis. Two layouts convert
when they have the same primal axes; a primal dim must divide by the size of the sub-axis split
off it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from math import lcm

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.facts import (
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import random_array
from nnvm_dialect.ops.transform import MOVE_DTYPES, _int, _pick

_AXIS = re.compile(r"([A-Z])|([1-9][0-9]*)([a-z])")

Layout = list[tuple[str, int | None]]
"""(letter, sub-axis size or None for a primal axis) per dim."""


def parse_layout(text: str, what: str) -> Layout:
    axes: Layout = []
    pos = 0
    while pos < len(text):
        m = _AXIS.match(text, pos)
        if m is None:
            raise ShapeError(
                f"attribute '{what}': '{text}' is not a layout: at '{text[pos:]}', expected an "
                "upper-case axis (N, C, H, W, ...) or a sized sub-axis such as 16c"
            )
        axes.append((m.group(1), None) if m.group(1) else (m.group(3), int(m.group(2))))
        pos = m.end()
    if not axes:
        raise ShapeError(f"attribute '{what}' is empty")
    letters = [a for a, _ in axes]
    for a in letters:
        if letters.count(a) > 1:
            raise ShapeError(f"attribute '{what}': axis '{a}' appears twice in '{text}'")
        if a.islower() and a.upper() not in letters:
            raise ShapeError(
                f"attribute '{what}': sub-axis '{a}' of '{text}' has no primal axis '{a.upper()}'"
            )
    return axes


def _primal(layout: Layout) -> list[str]:
    return [a for a, f in layout if f is None]


def _split(layout: Layout) -> dict[str, int]:
    return {a.upper(): f for a, f in layout if f is not None}


@irdl_op_definition
class LayoutTransformOp(NnvmOp):
    """Converts data from `src_layout` to `dst_layout` (NNVM's __layout_transform__)."""

    name = "nnvm.layout_transform"
    data = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    src_layout = prop_def(StringAttr)
    dst_layout = prop_def(StringAttr)

    def layouts(self) -> tuple[Layout, Layout]:
        src = parse_layout(self.str_attr("src_layout"), "src_layout")
        dst = parse_layout(self.str_attr("dst_layout"), "dst_layout")
        if sorted(_primal(src)) != sorted(_primal(dst)):
            raise ShapeError(
                f"layouts '{self.str_attr('src_layout')}' and '{self.str_attr('dst_layout')}' "
                "have different primal axes, so they do not convert"
            )
        return src, dst

    def verify_attributes(self) -> None:
        self.layouts()


def primal_sizes(shape: Sequence[int | None], src: Layout, text: str) -> dict[str, int | None]:
    """The size of each primal axis of data of `shape` in layout `src`."""
    if len(shape) != len(src):
        raise ShapeError(
            f"data of rank {len(shape)} (shape {format_shape(tuple(shape))}) does not have "
            f"layout '{text}' of rank {len(src)}"
        )
    sizes: dict[str, int | None] = {}
    for (axis, factor), dim in zip(src, shape):
        if factor is not None and dim is not None and dim != factor:
            raise ShapeError(
                f"dim of sub-axis {factor}{axis} of '{text}' must be {factor}, got {dim} "
                f"(shape {format_shape(tuple(shape))})"
            )
        if factor is None:
            sizes[axis] = dim
    for axis, factor in _split(src).items():
        sizes[axis] = None if sizes[axis] is None else sizes[axis] * factor  # type: ignore[operator]
    return sizes


def layout_shape(shape: Sequence[int | None], op: LayoutTransformOp) -> tuple[int | None, ...]:
    src, dst = op.layouts()
    sizes = primal_sizes(shape, src, op.str_attr("src_layout"))
    split = _split(dst)
    out: list[int | None] = []
    for axis, factor in dst:
        if factor is not None:
            out.append(factor)
            continue
        size, f = sizes[axis], split.get(axis, 1)
        if size is not None and size % f:
            raise ShapeError(
                f"axis {axis} of size {size} does not split into sub-axes of {f} "
                f"('{op.str_attr('dst_layout')}')"
            )
        out.append(None if size is None else size // f)
    return tuple(out)


@shape_rule.register(LayoutTransformOp)
def _layout_transform_shape(op: LayoutTransformOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is None:
        return [tuple(f for _, f in op.layouts()[1])]
    return [layout_shape(shapes[0], op)]


@reference.register(LayoutTransformOp)
def _layout_transform(op: LayoutTransformOp, x: np.ndarray) -> np.ndarray:
    src, dst = op.layouts()
    sizes = primal_sizes(x.shape, src, op.str_attr("src_layout"))
    keys = [a for a, _ in src]
    # Merge each sub-axis back into its primal axis, primal axes in src order.
    order = []
    for axis in _primal(src):
        order.append(keys.index(axis))
        if axis.lower() in keys:
            order.append(keys.index(axis.lower()))
    primal = x.transpose(order).reshape([sizes[a] for a in _primal(src)])  # type: ignore[misc]
    # Primal axes in dst order, then split and move each sub-axis to its place.
    primal = primal.transpose([_primal(src).index(a) for a in _primal(dst)])
    split = _split(dst)
    split_keys, split_shape = [], []
    for axis in _primal(dst):
        size = sizes[axis]
        assert size is not None
        if axis in split:
            if size % split[axis]:
                raise ShapeError(f"axis {axis} of size {size} does not split by {split[axis]}")
            split_keys += [axis, axis.lower()]
            split_shape += [size // split[axis], split[axis]]
        else:
            split_keys.append(axis)
            split_shape.append(size)
    out = primal.reshape(split_shape).transpose([split_keys.index(a) for a, _ in dst])
    return np.ascontiguousarray(out)


LAYOUT_OPS = [LayoutTransformOp]
pattern_kind.register(LayoutTransformOp)(OpPattern.INJECTIVE)
dtypes.register(LayoutTransformOp)(MOVE_DTYPES)
onnx_equivalent.register(LayoutTransformOp)(
    "Transpose (Reshape, Transpose, Reshape for blocked layouts)"
)


@example.register(LayoutTransformOp)
def _layout_transform_example(rng: np.random.Generator) -> Example:
    letters = list(_pick(rng, ("NCHW", "OIHW", "NCW", "NC", "NCDHW")))
    src_order = [str(a) for a in rng.permutation(letters)]
    dst_order = [str(a) for a in rng.permutation(letters)]
    src_split = {a: _pick(rng, (2, 4)) for a in letters if rng.integers(0, 3) == 0}
    dst_split = {a: _pick(rng, (2, 4)) for a in letters if rng.integers(0, 3) == 0}
    sizes = {a: lcm(src_split.get(a, 1), dst_split.get(a, 1)) * _int(rng, 1, 2) for a in letters}

    def spell(order: list[str], split: dict[str, int]) -> tuple[str, list[int]]:
        text, shape = "", []
        for a in order:
            text += a
            shape.append(sizes[a] // split.get(a, 1))
        for a in order:  # sub-axes last, as in NCHW16c
            if a in split:
                text += f"{split[a]}{a.lower()}"
                shape.append(split[a])
        return text, shape

    src, shape = spell(src_order, src_split)
    dst, _ = spell(dst_order, dst_split)
    props = {"src_layout": StringAttr(src), "dst_layout": StringAttr(dst)}
    return Example([random_array(rng, shape, _pick(rng, MOVE_DTYPES))], props)
