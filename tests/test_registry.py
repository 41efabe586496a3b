"""The registry checks itself: every registered op, the dialect's and a plugin's, on its own
random examples (nnvm_dialect/tools/check_ops.py has the checks; `nnvm-opt --check-ops` runs the
same on a plugin's ops). A failure names the op and the offending example.

Checked: the shape and type rules against the semantics (on fully known operands, and on
operands with dynamic dims or unknown rank), examples that vary, pure semantics, the example's two
printed forms, its declared dtypes and mutations of it. Costly checks run on few seeds.
"""

from __future__ import annotations

import pytest
from op_support import PLUGIN_OP, load_test_plugin

from nnvm_dialect import plugins
from nnvm_dialect.facts import dtypes, example, reference, shape_rule
from nnvm_dialect.ops import NNVM
from nnvm_dialect.tools import check_ops

load_test_plugin()

OPS = {op.name: op for op in check_ops.registered_ops()}
PLUGIN_OPS = list(plugins.OPS)
"""The plugin ops loaded when the cases were collected (other test modules load more later)."""
NAMES = sorted(OPS)


KNOWN: dict[tuple[str, str], str] = {}
"""Findings of these checks that the ops' owners are fixing: (check, op) -> what is wrong."""


def known(check: str, name: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN.get((check, name))
    return [pytest.mark.xfail(reason=reason, strict=False)] if reason else []


def cases(check: str) -> list:  # type: ignore[type-arg]
    return [pytest.param(n, marks=known(check, n), id=n) for n in NAMES]


def test_every_op_and_the_plugin_op_are_walked() -> None:
    assert PLUGIN_OP in OPS
    assert {op.name for op in NNVM.operations if op.name in OPS} | {PLUGIN_OP} <= set(OPS)
    assert len(OPS) == len(
        {op.name for op in NNVM.operations} - {"nnvm.fused", "nnvm.yield"}
    ) + len(PLUGIN_OPS)


SEEDS = range(20)


@pytest.mark.parametrize("name", cases("facts"))
def test_op_has_every_fact_the_generic_checks_need(name: str) -> None:
    missing = [f.name for f in (example, reference, shape_rule) if f.lookup(OPS[name]) is None]
    assert not missing, f"{name} has no {', '.join(missing)}"


@pytest.mark.parametrize("name", cases("rules"))
def test_rules_give_the_types_the_semantics_return(name: str) -> None:
    check_ops.check_rules_vs_semantics(OPS[name], SEEDS)


@pytest.mark.parametrize("name", cases("less known"))
def test_rules_on_less_known_operands_agree_with_the_semantics(name: str) -> None:
    check_ops.check_less_known_operands(OPS[name], SEEDS)


@pytest.mark.parametrize("name", cases("vary"))
def test_examples_vary_with_the_seed(name: str) -> None:
    check_ops.check_examples_vary(OPS[name], SEEDS)


@pytest.mark.parametrize("name", cases("pure"))
def test_semantics_are_deterministic_and_leave_operands_alone(name: str) -> None:
    check_ops.check_semantics_are_pure(OPS[name], SEEDS[:5])


@pytest.mark.parametrize("name", cases("round trip"))
def test_custom_and_generic_forms_parse_back_to_the_same_ir(name: str) -> None:
    check_ops.check_round_trip(OPS[name], range(1))


@pytest.mark.parametrize("name", cases("dtypes"))
def test_every_declared_dtype_runs_with_the_type_rules_dtype(name: str) -> None:
    if dtypes.lookup(OPS[name]) is None:
        pytest.skip(f"{name} declares no dtypes")
    check_ops.check_dtypes(OPS[name])


@pytest.mark.parametrize("name", cases("mutations"))
def test_mutated_examples_run_or_are_rejected_naming_the_culprit(name: str) -> None:
    check_ops.check_mutations(OPS[name], range(1))


def test_every_nnvm_op_declares_its_dtypes() -> None:
    lacking = sorted(
        n for n, op in OPS.items() if n.startswith("nnvm.") and dtypes.lookup(op) is None
    )
    assert not lacking, f"nnvm ops without `dtypes`: {', '.join(lacking)}"


def test_a_broken_op_fails_each_check_with_its_name_and_example() -> None:
    """The checks can fail: a plugin-style op whose rule and semantics disagree."""
    import numpy as np
    from xdsl.irdl import irdl_op_definition, operand_def, result_def

    from nnvm_dialect.facts import Example, example, reference, shape_rule
    from nnvm_dialect.ops.base import AnyTensor, NnvmOp

    @irdl_op_definition
    class Broken(NnvmOp):
        name = "test.broken"
        data = operand_def(AnyTensor)
        out = result_def(AnyTensor)

    shape_rule.register(Broken)(lambda op, shapes: [shapes[0]])
    reference.register(Broken)(lambda op, x: x.reshape(-1))  # rank 1, whatever the rule says
    example.register(Broken)(lambda rng: Example([rng.random((2, 3))]))
    with pytest.raises(
        check_ops.CheckFailed, match=r"test.broken, example seed 0 \(operands \(2x3"
    ):
        check_ops.check_rules_vs_semantics(Broken, range(1))
    with pytest.raises(
        check_ops.CheckFailed, match="test.broken.*with operand #0.*the semantics return"
    ):
        check_ops.check_mutations(Broken, range(1))
    # Right for the example's float64, wrong for int8, which only the cast step tries.
    reference.register(Broken, override=True)(
        lambda op, x: x.reshape(-1) if x.dtype == np.int8 else x.copy()
    )
    dtypes.register(Broken)((np.dtype(np.float64), np.dtype(np.int8)))
    with pytest.raises(check_ops.CheckFailed, match="test.broken, example seed 0 cast to int8"):
        check_ops.check_dtypes(Broken)
