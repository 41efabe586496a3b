"""Building graphs from Python: `build` computes result types from the op's rules."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    BoolAttr,
    IntegerAttr,
    ModuleOp,
    TensorType,
    f32,
    i32,
)
from xdsl.ir import Block

import nnvm_dialect
from nnvm_dialect.facts import ShapeError
from nnvm_dialect.ops import UnknownType, build
from nnvm_dialect.ops.elemwise import CastOp, ReluOp
from nnvm_dialect.ops.nn import DenseOp
from nnvm_dialect.ops.transform import SplitOp


def test_build_infers_result_types_and_the_graph_runs() -> None:
    fn = func.FuncOp("mlp", ([TensorType(f32, [2, 8]), TensorType(f32, [4, 8])], []))
    x, w = fn.args
    dense = build(
        DenseOp, [x, w], {"units": IntegerAttr(4, 64), "use_bias": BoolAttr.from_bool(False)}
    )
    relu = build(ReluOp, [dense.results[0]])
    fn.body.block.add_ops([dense, relu, func.ReturnOp(relu.results[0])])
    fn.update_function_type()
    assert relu.results[0].type == TensorType(f32, [2, 4])

    model = nnvm_dialect.compile(ModuleOp([fn]))
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((2, 8)).astype(np.float32)
    ws = rng.standard_normal((4, 8)).astype(np.float32)
    (out,) = model.run(xs, ws)
    np.testing.assert_allclose(out, np.maximum(xs @ ws.T, 0), rtol=1e-5, atol=1e-6)


def test_build_fills_defaults_and_leaves_unknowns_unknown() -> None:
    block = Block(arg_types=[TensorType(UnknownType(), [6, DYNAMIC_INDEX])])
    split = build(
        SplitOp,
        block.args,
        {"indices_or_sections": IntegerAttr(3, 64), "axis": IntegerAttr(0, 64)},
        3,
    )
    assert [r.type for r in split.results] == [TensorType(UnknownType(), [2, DYNAMIC_INDEX])] * 3
    cast = build(CastOp, [split.results[0]], {"dtype": i32})
    assert cast.results[0].type == TensorType(i32, [2, DYNAMIC_INDEX])
    assert split.properties["axis"] == IntegerAttr(0, 64)


def test_build_rejects_operands_that_cannot_go_together() -> None:
    block = Block(arg_types=[TensorType(f32, [2, 8]), TensorType(f32, [4, 6])])
    with pytest.raises(ShapeError, match="data has 8 input features"):
        build(
            DenseOp,
            block.args,
            {"units": IntegerAttr(4, 64), "use_bias": BoolAttr.from_bool(False)},
        )
