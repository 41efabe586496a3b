"""`fold-constants`: ops whose operands are all constants are evaluated now (NNVM's
PrecomputePrune).

An op is folded when every operand comes from a constant (an op with the `ConstantLike` trait,
`nnvm.constant`) and it has `reference` semantics: the semantics run on the constants' values
and the op becomes one `nnvm.constant` per result. Walking forward, a whole constant sub-graph
folds. Ops without operands that are not constants themselves (`zeros`, `ones`, `full`) fold
too, as in NNVM. `max-elements` caps the size of a folded result, so that a `broadcast_to` of
a scalar to a huge shape stays an op instead of becoming a huge constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.traits import ConstantLike

from nnvm_dialect.facts import reference
from nnvm_dialect.ops.base import NnvmOp, shape_of
from nnvm_dialect.ops.constant import ConstantOp, constant_value, make_constant

DEFAULT_MAX_ELEMENTS = 1 << 20
"""Folded results up to 1M elements (4 MB of float32) by default."""


def constant_of(value: SSAValue) -> np.ndarray | None:
    """The value of `value` if a constant op makes it, else None."""
    owner = value.owner
    if isinstance(owner, ConstantOp):
        return constant_value(owner)
    return None


def result_elements(op: Operation) -> int | None:
    total = 0
    for r in op.results:
        shape = shape_of(r.type)
        if shape is None or None in shape:
            return None
        total += int(np.prod(shape, dtype=np.int64))
    return total


def folded(op: Operation, max_elements: int) -> list[ConstantOp] | None:
    """Constants holding `op`'s results, if all its operands are constants and its results are
    small enough; None otherwise."""
    if not isinstance(op, NnvmOp) or op.has_trait(ConstantLike) or op.regions:
        return None
    semantics = reference.lookup(op)
    size = result_elements(op)
    if semantics is None or size is None or size > max_elements:
        return None
    values = [constant_of(v) for v in op.operands]
    if any(v is None for v in values):
        return None
    with np.errstate(all="ignore"):
        out = semantics(op, *values)
    results = [out] if isinstance(out, np.ndarray) else list(out)
    constants = [
        make_constant(np.asarray(a), name=r.name_hint or "folded")
        for a, r in zip(results, op.results)
    ]
    for c, r in zip(constants, op.results):
        if c.results[0].type != r.type:  # the semantics disagree with the types: leave it
            return None
        c.location = op.location
    return constants


@dataclass(frozen=True)
class FoldConstantOperands(RewritePattern):
    """op(constants...) -> constant, through the op's reference semantics."""

    max_elements: int = DEFAULT_MAX_ELEMENTS

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        constants = folded(op, self.max_elements)
        if constants is not None:
            rewriter.replace(op, constants, [c.results[0] for c in constants])


@dataclass(frozen=True)
class FoldConstants(ModulePass):
    """Evaluate ops whose operands are all constants (PrecomputePrune); max-elements caps the
    size of a folded result."""

    name = "fold-constants"

    max_elements: int = DEFAULT_MAX_ELEMENTS
    """Leave an op alone when its results have more elements than this."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(FoldConstantOperands(self.max_elements)).rewrite_module(op)
        PatternRewriteWalker(DropDeadConstants()).rewrite_module(op)


class DropDeadConstants(RewritePattern):
    """Constants that folding left without uses."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, ConstantOp) and not any(r.uses for r in op.results):
            rewriter.erase(op)
