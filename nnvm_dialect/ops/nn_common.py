"""What the nn, pool, norm and vision ops share: attribute builders, shape checks, TVM-style
layouts (blocked ones such as NCHW8c included) and helpers for random examples."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects.builtin import BoolAttr, DenseArrayBase, FloatAttr, i64

from nnvm_dialect.facts import Shape, ShapeError
from nnvm_dialect.ops.base import NnvmOp, format_shape

TRUE = BoolAttr.from_bool(True)
FALSE = BoolAttr.from_bool(False)
FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
INT_DTYPES = (np.dtype(np.int8), np.dtype(np.int32), np.dtype(np.int64))


def ints(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


def f64(value: float) -> FloatAttr:
    return FloatAttr(value, 64)


def known(*dims: int | None) -> bool:
    return all(d is not None for d in dims)


def check_dim(what: str, got: int | None, want: int | None, shape: Shape) -> None:
    if known(got, want) and got != want:
        raise ShapeError(f"{what} must be {want}, got {got} (shape {format_shape(shape)})")


def check_rank(what: str, shape: Shape, rank: int) -> None:
    if shape is not None and len(shape) != rank:
        raise ShapeError(f"{what} must have rank {rank}, got {format_shape(shape)}")


def check_min_rank(what: str, shape: Shape, rank: int) -> None:
    if shape is not None and len(shape) < rank:
        raise ShapeError(f"{what} must have rank >= {rank}, got {format_shape(shape)}")


def normalize_axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"{what} {axis} is out of range for rank {rank}")
    return axis % rank


def check_ints(op: NnvmOp, name: str, count: int, low: int) -> tuple[int, ...]:
    values = op.ints_attr(name)
    if len(values) != count or min(values) < low:
        raise ShapeError(f"{name} must be {count} integers >= {low}, got {list(values)}")
    return values


def check_choice(op: NnvmOp, name: str, choices: Sequence[str]) -> str:
    value = op.str_attr(name)
    if value not in choices:
        valid = ", ".join(f'"{c}"' for c in choices)
        raise ShapeError(f'{name} must be one of {valid}, got "{value}"')
    return value


def accumulator(dtype: np.dtype) -> np.dtype:
    """Sums in the semantics are taken in double (or int64) precision, then cast back."""
    return np.dtype(np.float64 if dtype.kind == "f" else np.int64)


def window_out(
    size: int | None, window: int, before: int, after: int, stride: int, ceil: bool = False
) -> int | None:
    """Output length of a strided window over a padded axis."""
    if size is None:
        return None
    span = size + before + after - window
    if span < 0:
        raise ShapeError(f"window {window} is larger than the padded input {size + before + after}")
    return (span + (stride - 1 if ceil else 0)) // stride + 1


# --- layouts -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"(\d*)([A-Za-z])")


@dataclass(frozen=True)
class Layout:
    """A layout as TVM spells it: each upper-case letter is an axis (`NHWC`); a number and a
    lower-case letter, after that axis, is an inner block of it (`NCHW8c` holds C as C/8 outer
    x 8 inner, channel c*8+i at [.., c, .., i]). Arrays and shapes convert to and from the
    canonical order (`NCHW`, `OIHW`) the semantics compute in."""

    name: str
    canonical: str
    axes: tuple[str, ...]
    blocks: tuple[tuple[str, int], ...]

    @classmethod
    def parse(cls, name: str, canonical: str, what: str, unsplit: str = "") -> Layout:
        example = f"{canonical}8{canonical[1].lower()}"
        hint = (
            f"{what} '{name}' is not supported: use an order of the letters {canonical}, "
            f"optionally with blocks such as {example}"
            + (f" ({' and '.join(unsplit)} cannot be split)" if unsplit else "")
        )
        axes: list[str] = []
        blocks: dict[str, int] = {}
        pos = 0
        for m in _TOKEN.finditer(name):
            if m.start() != pos:
                break
            pos = m.end()
            digits, letter = m.groups()
            if letter.isupper() == bool(digits) or letter.upper() in unsplit and digits:
                raise ShapeError(hint)
            if digits:
                if int(digits) < 1 or letter in blocks or letter.upper() not in axes:
                    raise ShapeError(hint)
                blocks[letter] = int(digits)
            axes.append(letter)
        primal = [a for a in axes if a.isupper()]
        if pos != len(name) or sorted(primal) != sorted(canonical):
            raise ShapeError(hint)
        if any(b.upper() not in canonical for b in blocks):
            raise ShapeError(hint)
        return cls(name, canonical, tuple(axes), tuple(blocks.items()))

    def block(self, letter: str) -> int:
        """The inner block size of axis `letter` (upper case), 1 if it is not split."""
        return dict(self.blocks).get(letter.lower(), 1)

    def canonical_shape(self, shape: Shape, what: str) -> list[int | None]:
        """Dims in canonical order; a ShapeError for a wrong rank or block size."""
        if shape is None:
            return [None] * len(self.canonical)
        if len(shape) != len(self.axes):
            raise ShapeError(
                f"{what} must have rank {len(self.axes)}, got {format_shape(shape)} "
                f"(layout {self.name})"
            )
        for i, axis in enumerate(self.axes):
            if axis.islower():
                check_dim(f"{what} dim {i} (block {axis} of {self.name})", shape[i],
                          self.block(axis.upper()), shape)  # fmt: skip
        dims: list[int | None] = []
        for letter in self.canonical:
            outer = shape[self.axes.index(letter)]
            dims.append(None if outer is None else outer * self.block(letter))
        return dims

    def shape(self, dims: Sequence[int | None], what: str) -> tuple[int | None, ...]:
        """The shape in this layout of canonical `dims`; blocked axes must divide evenly."""
        out: list[int | None] = []
        for axis in self.axes:
            if axis.islower():
                out.append(self.block(axis.upper()))
                continue
            d, factor = dims[self.canonical.index(axis)], self.block(axis)
            if d is not None and d % factor:
                raise ShapeError(
                    f"{what} {axis} = {d} is not a multiple of the block size {factor} "
                    f"of layout {self.name}"
                )
            out.append(None if d is None else d // factor)
        return tuple(out)

    def to_canonical(self, x: np.ndarray) -> np.ndarray:
        order: list[int] = []
        dims: list[int] = []
        for letter in self.canonical:
            outer = self.axes.index(letter)
            order.append(outer)
            size = x.shape[outer]
            if letter.lower() in self.axes:
                inner = self.axes.index(letter.lower())
                order.append(inner)
                size *= x.shape[inner]
            dims.append(size)
        return x.transpose(order).reshape(dims)

    def from_canonical(self, y: np.ndarray) -> np.ndarray:
        names: list[str] = []
        dims: list[int] = []
        for letter, size in zip(self.canonical, y.shape):
            factor = self.block(letter)
            names.append(letter)
            if letter.lower() in self.axes:
                names.append(letter.lower())
                dims += [size // factor, factor]
            else:
                dims.append(size)
        return y.reshape(dims).transpose([names.index(a) for a in self.axes])


def layout_perm(layout: str, canonical: str, what: str) -> list[int]:
    """Positions in `layout` of each letter of `canonical` (e.g. NHWC -> NCHW: 0, 3, 1, 2)."""
    if sorted(layout) != sorted(canonical):
        raise ShapeError(
            f"{what} '{layout}' is not supported: use an order of the letters {canonical}"
        )
    return [layout.index(c) for c in canonical]


# --- random examples ---------------------------------------------------------------------------

DATA_LAYOUTS = ("NCHW", "NHWC", "CHWN", "HWCN")
KERNEL_LAYOUTS = ("OIHW", "HWIO", "OHWI", "IHWO")


def pick(rng: np.random.Generator, choices: Sequence[Any]) -> Any:
    return choices[int(rng.integers(len(choices)))]


def rand_int(rng: np.random.Generator, low: int, high: int) -> int:
    """A random integer in [low, high]."""
    return int(rng.integers(low, high + 1))


def rand_bool(rng: np.random.Generator) -> bool:
    return bool(rng.integers(0, 2))


def in_layout(x: np.ndarray, canonical: str, layout: str) -> np.ndarray:
    """`x`, laid out as `canonical`, converted to `layout` (blocked layouts included)."""
    return np.ascontiguousarray(Layout.parse(layout, canonical, "layout").from_canonical(x))


def random_layout(rng: np.random.Generator, channels: int, blockable: bool = True) -> str:
    """A data layout: a permutation of NCHW, or NCHW with a channel block dividing `channels`."""
    blocks = [b for b in (2, 4, 8) if channels % b == 0] if blockable else []
    if blocks and rand_bool(rng):
        return f"NCHW{pick(rng, blocks)}c"
    return pick(rng, DATA_LAYOUTS)
