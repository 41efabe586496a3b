"""Running one op's semantics through a real op object, and the test plugin that the generic
tests walk with the dialect's ops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from xdsl.ir import Attribute, Block

from nnvm_dialect import plugins
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import reference
from nnvm_dialect.ops.base import NnvmOp, build, dtype_of, shape_of, tensor_type


def run_op(
    cls: type[NnvmOp],
    arrays: list[np.ndarray],
    props: dict[str, Attribute] | None = None,
    num_results: int = 1,
) -> list[np.ndarray]:
    """Build `cls` on operands typed like `arrays`, verify it and run its reference."""
    block = Block(arg_types=[tensor_type(a.shape, from_numpy(a.dtype)) for a in arrays])
    op = build(cls, block.args, props, num_results)
    block.add_op(op)
    op.verify()
    semantics = reference.lookup(op)
    assert semantics is not None
    out = semantics(op, *arrays)
    outs = [out] if isinstance(out, np.ndarray) else list(out)
    assert len(outs) == len(op.results)
    for res, value in zip(op.results, outs):
        assert shape_of(res.type) == value.shape
        assert dtype_of(res.type) == from_numpy(value.dtype)
    return outs


PLUGIN = Path(__file__).parent / "plugins" / "scale_op.py"
PLUGIN_OP = "myplugin.scale"


def load_test_plugin() -> None:
    """Load the test plugin once per session (a second load would register its facts twice)."""
    if all(op.name != PLUGIN_OP for op in plugins.OPS):
        plugins.load_plugin(str(PLUGIN))
