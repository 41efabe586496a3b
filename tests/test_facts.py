"""The fact tables: lookup through base classes, defaults, and facts attached from outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern
from xdsl.transforms.canonicalize import CanonicalizePass

from nnvm_dialect.facts import Fact, canonicalize, reference, shape_rule, type_rule
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.ops.elemwise import CopyOp, ReluOp, TanhOp, UnaryOp
from nnvm_dialect.ops.nn import DenseOp

ROOT = Path(__file__).resolve().parent.parent


def test_lookup_walks_base_classes_and_falls_back_to_the_default() -> None:
    fact: Fact[str] = Fact("demo", "test fact", default="none")
    fact.register(UnaryOp)("unary")
    fact.register(TanhOp)("tanh")
    assert fact.lookup(ReluOp) == "unary"
    assert fact.lookup(TanhOp) == "tanh"
    assert fact.lookup(DenseOp) == "none"


def test_registering_twice_needs_override() -> None:
    fact: Fact[int] = Fact("demo", "test fact")
    fact.register(ReluOp)(1)
    with pytest.raises(ValueError, match="already registered for nnvm.relu"):
        fact.register(ReluOp)(2)
    fact.register(ReluOp, override=True)(3)
    assert fact.lookup(ReluOp) == 3


def test_every_builtin_op_has_rules_and_semantics() -> None:
    from nnvm_dialect.ops import NNVM, NnvmOp

    # nnvm.fused and nnvm.yield are structure, not graph ops; test_fuse_ops.py covers them.
    for op in (op for op in NNVM.operations if issubclass(op, NnvmOp)):
        assert shape_rule.lookup(op) is not None, op.name
        assert type_rule.lookup(op) is not None, op.name
        assert reference.lookup(op) is not None, op.name


class CopyOfCopy(RewritePattern):
    """copy(copy(x)) -> copy(x)"""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: CopyOp, rewriter: PatternRewriter) -> None:
        if isinstance(op.data.owner, CopyOp):
            rewriter.replace(op, [], [op.data])


def test_canonicalize_applies_patterns_attached_from_outside() -> None:
    text = """
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %a = nnvm.copy %x : (tensor<2xf32>) -> tensor<2xf32>
      %b = nnvm.copy %a : (tensor<2xf32>) -> tensor<2xf32>
      func.return %b : tensor<2xf32>
    }
    """
    ctx = make_context()
    module = parse_mlir(ctx, text, "t.mlir")
    own = canonicalize.table.get(CopyOp)
    canonicalize.register(CopyOp, override=True)((CopyOfCopy(),))
    try:
        CanonicalizePass().apply(ctx, module)
    finally:
        if own is None:
            del canonicalize.table[CopyOp]
        else:
            canonicalize.table[CopyOp] = own
    module.verify()
    copies = [op for op in module.walk() if isinstance(op, CopyOp)]
    assert len(copies) == 1


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci/run").read_text()
