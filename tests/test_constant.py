"""nnvm.constant: each form holds exactly the bytes it was given, through print and parse, and
runs on the reference target from a model file (external params found beside it)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import Builtin, DenseIntOrFPElementsAttr, DenseResourceAttr, ModuleOp
from xdsl.printer import Printer

from nnvm_dialect import compile
from nnvm_dialect.frontend.mlir import make_context, parse_mlir
from nnvm_dialect.ops.constant import (
    PARAMS_ATTR,
    ConstantOp,
    ParamAttr,
    constant_value,
    make_constant,
    save_params,
)


def module_returning(*consts: ConstantOp) -> ModuleOp:
    types = [c.results[0].type for c in consts]
    fn = func.FuncOp("main", ((), types))
    fn.body.block.add_ops([*consts, func.ReturnOp(*(c.results[0] for c in consts))])
    return ModuleOp([fn])


def print_module(module: ModuleOp) -> str:
    out = io.StringIO()
    printer = Printer(stream=out)
    printer.print_op(module)
    printer.print_metadata([Builtin])
    return out.getvalue()


def constants(module: ModuleOp) -> list[ConstantOp]:
    return [op for op in module.walk() if isinstance(op, ConstantOp)]


def test_make_constant_is_inline_up_to_the_limit_then_a_resource() -> None:
    small = make_constant(np.arange(4, dtype=np.float32), inline_limit=4)
    large = make_constant(np.arange(5, dtype=np.float32), "w", inline_limit=4)
    assert isinstance(small.properties["value"], DenseIntOrFPElementsAttr)
    assert isinstance(large.properties["value"], DenseResourceAttr)


def test_a_million_element_resource_round_trips_with_identical_bytes() -> None:
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((1000, 1000)).astype(np.float32)
    text = print_module(module_returning(make_constant(weights, "big_weights")))
    assert "dialect_resources" in text and "big_weights" in text
    parsed = parse_mlir(make_context(), text, "<memory>")
    (op,) = constants(parsed)
    value = constant_value(op)
    assert value.shape == weights.shape and value.dtype == weights.dtype
    assert value.tobytes() == weights.tobytes()
    # And once more through text, so a reparse in the same process keeps its blobs apart.
    again = parse_mlir(make_context(), print_module(parsed), "<memory>")
    assert constant_value(constants(again)[0]).tobytes() == weights.tobytes()


@pytest.mark.parametrize(
    "array",
    [
        np.array([True, False, True]),
        np.arange(-3, 3, dtype=np.int8),
        np.array([[1.5, -2.25]], dtype=np.float16),
        np.array(7, dtype=np.int64),
        np.linspace(0, 1, 150).astype(np.float64),
    ],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
@pytest.mark.parametrize("limit", [0, 1000], ids=["resource", "inline"])
def test_every_dtype_round_trips_in_both_forms(array: np.ndarray, limit: int) -> None:
    text = print_module(module_returning(make_constant(array, "c", inline_limit=limit)))
    (op,) = constants(parse_mlir(make_context(), text, "<memory>"))
    value = constant_value(op)
    assert value.dtype == array.dtype and value.shape == array.shape
    np.testing.assert_array_equal(value, array)


def test_save_params_makes_external_constants_that_run_from_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(1)
    w = rng.standard_normal((30, 20)).astype(np.float32)
    b = np.arange(3, dtype=np.int32)
    module = module_returning(make_constant(w, "w"), make_constant(b, "b"))
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    written = save_params(module, model_dir / "weights.npz", larger_than=10)
    assert written == ["w"]
    assert module.attributes[PARAMS_ATTR].data == "weights.npz"  # type: ignore[attr-defined]
    assert isinstance(constants(module)[0].properties["value"], ParamAttr)
    (model_dir / "model.mlir").write_text(print_module(module))

    monkeypatch.chdir(tmp_path)  # the params file is found beside the model, not in the cwd
    outs = compile("model/model.mlir").run()
    np.testing.assert_array_equal(outs[0], w)
    np.testing.assert_array_equal(outs[1], b)
