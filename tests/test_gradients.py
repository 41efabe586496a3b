"""Every op's gradient rule against central finite differences, on the op's own random examples.

For each op with a `gradient` fact (plugin ops included), a function running the op on one of
its float examples (cast to float64) is differentiated by `-p gradient`; the backward function,
given random head gradients r, must return d(sum r * y)/d x for every float operand x. Finite
differences: eps = 1e-6, on up to 12 random elements per operand; agreement within
atol 1e-5 + rtol 1e-4. Outputs that are not finite (max_pool windows over padding only) get
r = 0.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from op_support import load_test_plugin
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from nnvm_dialect import plugins
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import Example, dtypes, example, gradient, reference
from nnvm_dialect.frontend.mlir import make_context
from nnvm_dialect.ops import NNVM
from nnvm_dialect.ops.base import build, tensor_type
from nnvm_dialect.reference import run_function
from nnvm_dialect.transforms.gradient import Gradient

load_test_plugin()

OPS = {op.name: op for op in [*NNVM.operations, *plugins.OPS]}
WITH_RULE = sorted(n for n, op in OPS.items() if gradient.lookup(op) is not None)
EXAMPLES_PER_OP = 4
SEEDS_TRIED = 60
EPS, ATOL, RTOL = 1e-6, 1e-5, 1e-4
ELEMENTS_PER_OPERAND = 12

ZERO_BY_DEFINITION = {"nnvm.block_grad"}
"""Ops whose gradient is zero by definition, not their derivative (block_grad is the identity)."""

REQUIRED = {
    "nnvm.dense",
    "nnvm.conv2d",
    "nnvm.max_pool2d",
    "nnvm.batch_norm",
    "nnvm.softmax",
    "nnvm.log_softmax",
    "nnvm.relu",
    "nnvm.tanh",
    "nnvm.sigmoid",
    "nnvm.exp",
    "nnvm.log",
    "nnvm.sqrt",
    "nnvm.elemwise_add",
    "nnvm.elemwise_sub",
    "nnvm.elemwise_mul",
    "nnvm.elemwise_div",
    "nnvm.broadcast_add",
    "nnvm.broadcast_mul",
    "nnvm.sum",
    "nnvm.mean",
    "nnvm.flatten",
    "nnvm.concatenate",
    "nnvm.expand_dims",
    "nnvm.split",
    "nnvm.pad",
    "nnvm.matmul",
    "nnvm.batch_matmul",
    "nnvm.transpose",
    "nnvm.reshape",
    "nnvm.broadcast_to",
    "nnvm.global_avg_pool2d",
    "nnvm.avg_pool2d",
    "nnvm.conv2d_transpose",
    "nnvm.device_copy",
    "myplugin.scale",
}
"""Ops the issue names (or the test plugin's), present on this branch: each must have a rule."""


def float_examples(name: str) -> list[Example]:
    make = example.lookup(OPS[name])
    assert make is not None, f"{name} has a gradient rule but no example"
    found = []
    for seed in range(SEEDS_TRIED):
        ex = make(np.random.default_rng(seed))
        if any(a.dtype.kind == "f" for a in ex.operands) and all(
            a.dtype.kind == "f" or a.dtype.kind in "iub" for a in ex.operands
        ):
            if all(a.dtype.kind == "f" for a in ex.operands):
                found.append(ex)
        if len(found) == EXAMPLES_PER_OP:
            break
    return found


def forward_module(name: str, ex: Example, operands: list[np.ndarray]) -> ModuleOp:
    types = [tensor_type(a.shape, from_numpy(a.dtype)) for a in operands]
    fn = func.FuncOp("f", (types, []))
    op = build(OPS[name], fn.args, ex.properties, ex.num_results)
    fn.body.block.add_ops([op, func.ReturnOp(*op.results)])
    fn.update_function_type()
    return ModuleOp([fn])


def weighted_output(op, operands: list[np.ndarray], heads: list[np.ndarray]) -> float:  # type: ignore[no-untyped-def]
    semantics = reference.lookup(op)
    assert semantics is not None
    with np.errstate(all="ignore"):  # r = 0 where y is not finite (-inf * 0 is nan)
        out = semantics(op, *operands)
        outs = [out] if isinstance(out, np.ndarray) else list(out)
        return float(sum(np.sum(np.where(r != 0, r * y, 0.0)) for r, y in zip(heads, outs)))


@pytest.mark.parametrize("name", WITH_RULE)
def test_gradient_rule_matches_finite_differences(name: str) -> None:
    examples = float_examples(name)
    assert examples, f"{name}: no float example among {SEEDS_TRIED} seeds"
    for k, ex in enumerate(examples):
        rng = np.random.default_rng(1000 + k)
        operands = [a.astype(np.float64) for a in ex.operands]
        module = forward_module(name, ex, operands)
        fwd = next(iter(module.ops))
        assert isinstance(fwd, func.FuncOp)
        op = next(iter(fwd.body.block.ops))
        outs = run_function(fwd, operands)
        heads = [
            np.where(np.isfinite(y), rng.standard_normal(y.shape), 0.0).astype(np.float64)
            for y in outs
        ]
        Gradient(func="f").apply(make_context(), module)
        grad_fn = list(module.ops)[1]
        assert isinstance(grad_fn, func.FuncOp)
        analytic = run_function(grad_fn, [*operands, *heads])
        assert len(analytic) == len(operands)
        where = f"{name}, example {k}, properties {ex.properties}"
        for i, (x, g) in enumerate(zip(operands, analytic)):
            assert g.shape == x.shape, f"{where}: gradient of operand #{i}"
            flat = x.reshape(-1)
            picks = rng.choice(flat.size, min(flat.size, ELEMENTS_PER_OPERAND), replace=False)
            if name in ZERO_BY_DEFINITION:
                assert not g.any(), f"{where}: the gradient must be zero"
                continue
            for j in picks:
                plus, minus = [a.copy() for a in operands], [a.copy() for a in operands]
                plus[i].reshape(-1)[j] += EPS
                minus[i].reshape(-1)[j] -= EPS
                numeric = (weighted_output(op, plus, heads) - weighted_output(op, minus, heads)) / (
                    2 * EPS
                )
                got = g.reshape(-1)[j]
                assert abs(got - numeric) <= ATOL + RTOL * abs(numeric), (
                    f"{where}: d/d operand #{i}[{j}] is {got}, finite differences give {numeric}"
                )


def test_the_required_ops_have_rules_and_the_report_lists_the_rest() -> None:
    missing = sorted(n for n in REQUIRED if n in OPS and n not in WITH_RULE)
    assert not missing, f"ops without a gradient rule: {missing}"
    # Ops taking floats that have no rule: reported, so a new op's author sees it.
    lacking = sorted(
        n
        for n, op in OPS.items()
        if n not in WITH_RULE and any(np.dtype(d).kind == "f" for d in (dtypes.lookup(op) or ()))
    )
    warnings.warn(
        f"float ops without a gradient rule: {', '.join(lacking) or 'none'}", stacklevel=1
    )
    assert "nnvm.relu" not in lacking


def test_a_wrong_rule_is_caught() -> None:
    """The check itself can fail: a relu rule that forgets the mask disagrees."""
    from nnvm_dialect.ops.elemwise import ReluOp

    original = gradient.lookup(ReluOp)
    gradient.register(ReluOp, override=True)(lambda b, op, grads: [grads[0]])
    try:
        with pytest.raises(AssertionError, match="finite differences give"):
            test_gradient_rule_matches_finite_differences("nnvm.relu")
    finally:
        gradient.register(ReluOp, override=True)(original)
