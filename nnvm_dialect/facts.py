"""Per-op facts: the one home of everything a pass may ask an op.

NNVM kept each fact about an operator (FInferShape, FInferType, FCompute, FGradient, ...) in its op
registry under a named attribute, and a pass asked for an attribute by name instead of switching
on op names. Here a `Fact` is that named attribute: a table from op class to value, filled next to
the op definition with `@fact.register(OpClass)`, or from a plugin for an op it did not define (the
way MLIR attaches an external model to an op). Lookup walks the op's class hierarchy, so a fact
registered on a base class (every unary elementwise op) serves all its subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Generic, TypeVar

import numpy as np
from xdsl.ir import Attribute, Operation
from xdsl.pattern_rewriter import RewritePattern

T = TypeVar("T")

Shape = tuple[int | None, ...] | None
"""A tensor shape as rules see it: `None` dims are unknown, `None` itself is unranked."""

DType = Attribute | None
"""An element type; `None` is not yet known (`!nnvm.unknown`)."""


class ShapeError(Exception):
    """An op's operands or attributes cannot go together; the message names the shapes."""


@dataclass
class Fact(Generic[T]):
    """A named per-op attribute with a documented default for ops that do not register it."""

    name: str
    doc: str
    default: T | None = None
    table: dict[type[Operation], T] = field(default_factory=dict[type[Operation], T])

    def register(self, *ops: type[Operation], override: bool = False) -> Callable[[T], T]:
        """Decorator: attach the decorated value to `ops`."""

        def attach(value: T) -> T:
            for op in ops:
                if op in self.table and not override:
                    raise ValueError(
                        f"fact '{self.name}' is already registered for {op.name}; "
                        "pass override=True to replace it"
                    )
                self.table[op] = value
            return value

        return attach

    def lookup(self, op: Operation | type[Operation], *, default: bool = True) -> T | None:
        """The value for `op` (or its nearest base class), else the default if asked for.

        Defaults are NNVM's defaults for its own ops; the passes ask for them only for nnvm
        ops (and plugin ops built on them), so ops of other dialects are left alone.
        """
        cls = op if isinstance(op, type) else type(op)
        for base in cls.__mro__:
            if base in self.table:
                return self.table[base]  # pyright: ignore[reportArgumentType]
        return self.default if default else None


ShapeRule = Callable[[Any, Sequence[Shape]], Sequence[Shape]]
TypeRule = Callable[[Any, Sequence[DType]], Sequence[DType]]
Reference = Callable[..., "np.ndarray | Sequence[np.ndarray]"]


def same_type(op: Operation, dtypes: Sequence[DType]) -> list[DType]:
    """NNVM's default FInferType: all operands and results share one element type."""
    known = [t for t in dtypes if t is not None]
    for t in known[1:]:
        if t != known[0]:
            names = ", ".join(str(d) for d in known)
            raise ShapeError(f"operands must have one element type, got {names}")
    return [known[0] if known else None] * len(op.results)


shape_rule: Fact[ShapeRule] = Fact(
    "shape_rule",
    "(op, operand shapes) -> result shapes (FInferShape); unknown dims are None. "
    "Default: none, result shapes stay as written.",
)
type_rule: Fact[TypeRule] = Fact(
    "type_rule",
    "(op, operand element types) -> result element types (FInferType). "
    "Default: same_type, one element type for all operands and results.",
    default=same_type,
)
reference: Fact[Reference] = Fact(
    "reference",
    "(op, *numpy arrays) -> array or tuple of arrays: the numpy semantics (FCompute). "
    "Default: none, the op cannot be run on the reference target.",
)


@dataclass
class Example:
    """A random valid instance of an op: operand values, properties, number of results."""

    operands: list[np.ndarray]
    properties: dict[str, Attribute] = field(default_factory=dict[str, Attribute])
    num_results: int = 1


example: Fact[Callable[[np.random.Generator], Example]] = Fact(
    "example",
    "(numpy Generator) -> Example: a random valid instance, so generic tests (rules against "
    "semantics) cover every op, plugin ops included. Default: none.",
)
canonicalize: Fact[tuple[RewritePattern, ...]] = Fact(
    "canonicalize",
    "rewrite patterns rooted at the op, applied by -p canonicalize. Default: none.",
)


class OpPattern(IntEnum):
    """NNVM's TOpPattern: how an op's output elements depend on its inputs, for fusion."""

    ELEMWISE = 0
    BROADCAST = 1
    INJECTIVE = 2
    COMM_REDUCE = 3
    OUT_ELEMWISE_FUSABLE = 4
    OPAQUE = 8


pattern_kind: Fact[OpPattern] = Fact(
    "pattern_kind",
    "OpPattern (TOpPattern) used by -p fuse-ops. Default: OPAQUE, never fused.",
    default=OpPattern.OPAQUE,
)
inplace_option: Fact[tuple[tuple[int, int], ...]] = Fact(
    "inplace_option",
    "(operand index, result index) pairs whose storage may be shared, the operand being "
    "overwritten by the result (FInplaceOption), used by -p plan-memory. Default: none.",
    default=(),
)
dtypes: Fact[tuple[np.dtype, ...]] = Fact(
    "dtypes",
    "numpy dtypes the op accepts for its data operands; generic tests run each one. "
    "Default: none declared.",
)
onnx_equivalent: Fact[str] = Fact(
    "onnx_equivalent",
    "the ONNX op (or a short decomposition) computing the same thing, for docs/ops.md. "
    "Default: none.",
)
gradient: Fact[Callable[..., Any]] = Fact(
    "gradient",
    "the op's reverse-mode rule (FGradient), used by -p gradient: (builder, op, output grads) "
    "-> operand grads, one SSAValue or None (zero) per result and per operand, emitting nnvm "
    "ops with builder.emit(OpClass, operands, properties) (transforms/gradient.py documents it; "
    "rules live in ops/gradients.py). Default: none, the op is not differentiable.",
)


@dataclass(frozen=True)
class DevicePlacement:
    """Where an op must run (`device`, e.g. "cpu:1"; None: where -p place-device propagates it)
    and, for ops reading across devices (nnvm.device_copy), where each operand lives (None: on
    the op's own device)."""

    device: str | None = None
    operands: tuple[str | None, ...] = ()


device_rule: Fact[Callable[[Any], DevicePlacement]] = Fact(
    "device_rule",
    "(op) -> DevicePlacement: the device the op must run on and where it reads its operands, "
    "used by -p place-device, check-placement and the placed reference executor "
    "(transforms/place_device.py). Default: none, the op follows its neighbours and reads "
    "operands on its own device.",
)
lowering: Fact[Any] = Fact(
    "lowering",
    "how the op becomes loops on buffers for the CPU target; documented in "
    "lowering/nnvm_to_loops.py, registered next to that stage and from plugins. Default: none, "
    "the op is refused by the CPU target with a located error.",
)
simplify_inference: Fact[tuple[RewritePattern, ...]] = Fact(
    "simplify_inference",
    "rewrite patterns rooted at the op giving its inference-only form (SimplifyInference: "
    "batch_norm to a scale and shift, dropout to its input), applied by -p simplify-inference. "
    "Default: none, the op is kept.",
)
scale_axis: Fact[Any] = Fact(
    "scale_axis",
    "how a per-channel scale passes into the op's constant weights (FScaleAxisBackward/Forward): "
    "a ScaleAxis, documented in transforms/fold_scale_axis.py, used by -p fold-scale-axis and "
    "-p simplify-inference. Default: none, scales stay where they are.",
)
alter_layout: Fact[Callable[..., Any]] = Fact(
    "alter_layout",
    "(op, block size) -> the ops replacing it in a blocked layout, the last giving its results, "
    "or None to keep it (FTVMAlterOpLayout), used by -p alter-op-layout; documented in "
    "transforms/alter_op_layout.py. Default: none, the op keeps its layout.",
)
