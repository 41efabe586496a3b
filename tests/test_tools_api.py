"""The Python API's answers to misuse (build, plugins, targets) and nnvm-run's random inputs."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import BoolAttr, IntegerAttr, ModuleOp, StringAttr, TensorType, f32
from xdsl.ir import Block
from xdsl.irdl import irdl_op_definition, operand_def, result_def
from xdsl.utils.target import Target

import nnvm_dialect
from nnvm_dialect import plugins
from nnvm_dialect.facts import ShapeError
from nnvm_dialect.ops import build
from nnvm_dialect.ops.base import AnyTensor, NnvmOp
from nnvm_dialect.ops.nn import DenseOp
from nnvm_dialect.tools import nnvm_opt, targets

ROOT = Path(__file__).resolve().parent.parent


def dense_operands() -> Block:
    return Block(arg_types=[TensorType(f32, [2, 8]), TensorType(f32, [4, 8])])


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"units": StringAttr("4")}, "attribute 'units' must be an integer, got \"4\""),
        (
            {"unitz": IntegerAttr(4, 64)},
            "unknown attribute 'unitz' (this op takes: units, use_bias)",
        ),
        ({"use_bias": BoolAttr.from_bool(False)}, "missing required attribute 'units'"),
        ({"units": IntegerAttr(4, 64), "use_bias": StringAttr("no")}, "attribute 'use_bias'"),
    ],
)
def test_build_names_the_bad_attribute(props: dict, message: str) -> None:
    block = dense_operands()
    with pytest.raises(ShapeError) as info:
        build(DenseOp, block.args, {"use_bias": BoolAttr.from_bool(False), **props})
    assert str(info.value).startswith("'nnvm.dense' op ")
    assert message in str(info.value)


def test_typed_accessors_name_the_attribute() -> None:
    block = dense_operands()
    units = {"units": IntegerAttr(4, 64), "use_bias": BoolAttr.from_bool(False)}
    op = build(DenseOp, block.args, units)
    op.properties["units"] = StringAttr("4")
    with pytest.raises(ShapeError, match="attribute 'units' must be an integer, got \"4\""):
        op.int_attr("units")
    del op.properties["units"]
    with pytest.raises(ShapeError, match="missing required attribute 'units'"):
        op.int_attr("units")


def test_a_plugin_op_named_like_a_builtin_is_refused() -> None:
    @irdl_op_definition
    class Relu2(NnvmOp):
        name = "nnvm.relu"
        data = operand_def(AnyTensor)
        out = result_def(AnyTensor)

    before = list(plugins.OPS)
    with pytest.raises(plugins.PluginError, match="op 'nnvm.relu' is already defined"):
        plugins.register_op(Relu2)
    assert plugins.OPS == before


@dataclass(frozen=True)
class LoopsOnly(Target):
    """A target that prints only lowered modules, as the llvm target will."""

    name = "test-loops"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        targets.require_lowered(module, ["func", "scf"], self.name, "run -p lower-me first")
        output.write("lowered\n")


def test_a_target_refuses_a_module_not_lowered_far_enough(
    capsys: pytest.CaptureFixture[str],
) -> None:
    targets.register_target("test-loops", lambda: LoopsOnly, "for this test")
    try:
        with pytest.raises(ValueError, match="already registered"):
            targets.register_target("test-loops", lambda: LoopsOnly, "twice")
        with pytest.raises(SystemExit) as exit_:
            nnvm_opt.main([str(ROOT / "examples" / "swish.mlir"), "-t", "test-loops"])
    finally:
        del targets.TARGETS["test-loops"]
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "swish.mlir:3:3: error: 'nnvm.sigmoid' op is not lowered far enough for target " in err
    assert "'test-loops', which prints only func, scf ops (run -p lower-me first)" in err


def test_random_inputs_are_drawn_as_the_readme_says(tmp_path: Path) -> None:
    """One default_rng(SEED), the arguments in order, each drawn in its own dtype."""
    model_file = tmp_path / "m.mlir"
    model_file.write_text(
        "func.func @f(%a: tensor<3x4xf32>, %b: tensor<5xi32>, %c: tensor<2xf64>, "
        "%d: tensor<3xi1>) -> (tensor<*xf32>, tensor<*xi32>, tensor<*xf64>, tensor<*xi1>) {\n"
        "  %ra = nnvm.copy %a : (tensor<3x4xf32>) -> tensor<*xf32>\n"
        "  %rb = nnvm.copy %b : (tensor<5xi32>) -> tensor<*xi32>\n"
        "  %rc = nnvm.copy %c : (tensor<2xf64>) -> tensor<*xf64>\n"
        "  %rd = nnvm.copy %d : (tensor<3xi1>) -> tensor<*xi1>\n"
        "  func.return %ra, %rb, %rc, %rd : tensor<*xf32>, tensor<*xi32>, tensor<*xf64>, "
        "tensor<*xi1>\n}\n"
    )
    out = tmp_path / "out.npz"
    tool = [sys.executable, "-m", "nnvm_dialect.tools.nnvm_run", str(model_file)]
    result = subprocess.run(
        [*tool, "--random-inputs", "7", "--output", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    rng = np.random.default_rng(7)
    expected = [
        rng.random((3, 4), dtype=np.float32),
        rng.integers(0, 10, (5,), dtype=np.int32),
        rng.random((2,), dtype=np.float64),
        rng.integers(0, 2, (3,), dtype=np.bool_),
    ]
    model = nnvm_dialect.compile(model_file)
    with np.load(out) as saved:
        for i, want in enumerate(expected):
            got = saved[f"output_{i}"]
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)
            np.testing.assert_array_equal(model.run(*expected)[i], want)


def test_the_verifier_rechecks_rules_when_a_type_changes() -> None:
    """The verifier skips a rule only while what the rule sees is unchanged."""
    from xdsl.rewriter import Rewriter
    from xdsl.utils.exceptions import VerifyException

    block = dense_operands()
    units = {"units": IntegerAttr(4, 64), "use_bias": BoolAttr.from_bool(False)}
    op = build(DenseOp, block.args, units)
    block.add_op(op)
    op.verify()
    op.verify()  # remembered: same answer
    Rewriter.replace_value_with_new_type(op.results[0], TensorType(f32, [2, 5]))
    with pytest.raises(VerifyException, match="shape 2x5 conflicts with 2x4"):
        op.verify()
    Rewriter.replace_value_with_new_type(op.results[0], TensorType(f32, [2, 4]))
    op.verify()
    op.properties["units"] = IntegerAttr(5, 64)
    with pytest.raises(VerifyException, match=r"weight dim 0 \(units\) must be 5"):
        op.verify()
