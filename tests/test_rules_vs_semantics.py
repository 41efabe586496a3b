"""Every op's shape and type rules against its numpy semantics, on the op's own random examples.

For each op of the dialect and each op a plugin adds (a test plugin is loaded here), the op is
built from its `example` by its rules, verified, and run by its `reference`: the result types
the rules give must be the shapes and dtypes the semantics return. Rules run on less-known
operand types (dynamic dims, unranked) must agree with the fully known result.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.ir import Block

from nnvm_dialect import plugins
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import Example, ShapeError, example, reference, shape_rule
from nnvm_dialect.ops import NNVM, NnvmOp
from nnvm_dialect.ops.base import build, dtype_of, refine_dtype, refine_shape, shape_of, tensor_type

PLUGIN = Path(__file__).parent / "plugins" / "scale_op.py"
PLUGIN_OP = "myplugin.scale"
SEEDS = range(20)
MAX_ELEMENTS = 4096


def load_test_plugin() -> None:
    """Load the test plugin once per session (a second load would register its facts twice)."""
    if all(op.name != PLUGIN_OP for op in plugins.OPS):
        plugins.load_plugin(str(PLUGIN))


load_test_plugin()

# nnvm.fused and nnvm.yield are structure, not graph ops; test_fuse_ops.py covers them.
DIALECT_OPS = [op for op in NNVM.operations if issubclass(op, NnvmOp)]
OPS = {op.name: op for op in [*DIALECT_OPS, *plugins.OPS]}
NAMES = sorted(OPS)


def test_the_plugin_op_is_covered() -> None:
    assert PLUGIN_OP in OPS
    assert len(NAMES) > len(DIALECT_OPS)


@pytest.mark.parametrize("name", NAMES)
def test_op_has_every_fact_the_generic_test_needs(name: str) -> None:
    cls = OPS[name]
    missing = [f.name for f in (example, reference, shape_rule) if f.lookup(cls) is None]
    assert not missing, f"{name} has no {', '.join(missing)}"


def make_example(name: str, seed: int) -> Example:
    make = example.lookup(OPS[name])
    assert make is not None, f"{name} has no example"
    ex = make(np.random.default_rng(seed))
    assert isinstance(ex, Example)
    total = sum(a.size for a in ex.operands)
    assert total <= MAX_ELEMENTS, f"{name} example {seed} has {total} input elements"
    return ex


def run_reference(op, operands: list[np.ndarray]) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    semantics = reference.lookup(op)
    assert semantics is not None, f"{op.name} has no reference"
    out = semantics(op, *operands)
    return [out] if isinstance(out, np.ndarray) else list(out)


def build_on(name: str, types: list, ex: Example):  # type: ignore[no-untyped-def]
    block = Block(arg_types=types)
    op = build(OPS[name], block.args, ex.properties, ex.num_results)
    block.add_op(op)
    return op


@pytest.mark.parametrize("name", NAMES)
def test_rules_give_the_types_the_semantics_return(name: str) -> None:
    for seed in SEEDS:
        ex = make_example(name, seed)
        where = f"{name}, example seed {seed}"
        types = [tensor_type(a.shape, from_numpy(a.dtype)) for a in ex.operands]
        op = build_on(name, types, ex)
        op.verify()
        values = run_reference(op, ex.operands)
        assert len(values) == len(op.results) == ex.num_results, where
        for i, (res, value) in enumerate(zip(op.results, values)):
            assert isinstance(value, np.ndarray), f"{where}: result #{i} is not an array"
            assert shape_of(res.type) == value.shape, f"{where}: result #{i}"
            assert dtype_of(res.type) == from_numpy(value.dtype), f"{where}: result #{i}"

        # Less-known operands: every dim dynamic, then unranked. The rules may know less, but
        # what they give must agree with the fully known result.
        for unknown in ("dims", "rank"):
            partial = [
                tensor_type(None if unknown == "rank" else (None,) * a.ndim, from_numpy(a.dtype))
                for a in ex.operands
            ]
            vague = build_on(name, partial, ex)
            for i, (res, value) in enumerate(zip(vague.results, values)):
                try:
                    refine_shape(shape_of(res.type), value.shape)
                    refine_dtype(dtype_of(res.type), from_numpy(value.dtype))
                except ShapeError as e:
                    pytest.fail(f"{where}, {unknown} unknown: result #{i} {res.type}: {e}")


@pytest.mark.parametrize("name", NAMES)
def test_examples_vary_with_the_seed(name: str) -> None:
    """An example that ignores its generator would test one instance twenty times."""
    seen = set()
    for seed in SEEDS:
        ex = make_example(name, seed)
        seen.add(
            (
                tuple((a.shape, a.dtype.str) for a in ex.operands),
                tuple(sorted((k, str(v)) for k, v in ex.properties.items())),
            )
        )
    assert len(seen) > 1, f"{name}: every seed gives the same shapes and attributes"


@pytest.mark.parametrize("name", NAMES)
def test_semantics_are_deterministic_and_leave_inputs_alone(name: str) -> None:
    for seed in SEEDS[:5]:
        ex = make_example(name, seed)
        copies = [a.copy() for a in ex.operands]
        types = [tensor_type(a.shape, from_numpy(a.dtype)) for a in ex.operands]
        op = build_on(name, types, ex)
        first = run_reference(op, ex.operands)
        second = run_reference(op, ex.operands)
        for a, b in zip(ex.operands, copies):
            np.testing.assert_array_equal(a, b, err_msg=f"{name} changed an input")
        for a, b in zip(first, second):
            np.testing.assert_array_equal(a, b, err_msg=f"{name} is not deterministic")
