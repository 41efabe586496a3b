"""`compile`: from a module or a file to something that runs on numpy arrays."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import ParseError

from nnvm_dialect import frontend, plugins
from nnvm_dialect.diagnostics import (
    Diagnostic,
    OpError,
    at_op,
    from_parse_error,
    remember_source,
    verify_module,
)
from nnvm_dialect.facts import lowering
from nnvm_dialect.frontend.mlir import (
    SourceError,
    make_context,
    parse_mlir,
    read_source,
    source_name,
)
from nnvm_dialect.ops.fused import FusedOp
from nnvm_dialect.reference import InputError, entry_function, input_names, run_function
from nnvm_dialect.transforms.infer_shape import InferShape
from nnvm_dialect.transforms.infer_type import InferType
from nnvm_dialect.transforms.nnvm_optimize import DEFAULT_LEVEL, LEVELS, pipeline

TARGETS = ("reference", "cpu")
"""Targets that exist today; `gpu` comes with its lowering."""


class CompileError(Exception):
    """The model could not be compiled; `diagnostics` say where and why."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = list(diagnostics)


class CompiledModel:
    """A verified, shape-inferred function ready to run on `target`.

    A CPU model served from the disk cache runs without its IR: `module` and `function` are
    parsed and optimised again only when first asked for (`load` does it)."""

    def __init__(
        self,
        module: ModuleOp | None,
        function: func.FuncOp | None,
        target: str,
        executable: Any = None,
        poison: bool = False,
        *,
        load: Callable[[], tuple[ModuleOp, func.FuncOp]] | None = None,
    ):
        self._module, self._function, self._load = module, function, load
        self.target = target
        self.executable = executable
        """The target's compiled form (a runtime.cpu.CpuModel for `cpu`), None for the reference."""
        self.poison = poison
        """Fill a planned value's storage with NaN patterns when it dies (`nnvm-run --poison`)."""

    @property
    def module(self) -> ModuleOp:
        if self._module is None:
            assert self._load is not None
            self._module, self._function = self._load()
        return self._module

    @property
    def function(self) -> func.FuncOp:
        if self._function is None:
            _ = self.module  # loads both
        assert self._function is not None
        return self._function

    @property
    def input_names(self) -> list[str]:
        if self.executable is not None:
            return list(self.executable.input_names)
        return input_names(self.function)

    @property
    def input_types(self) -> list[Attribute]:
        if self.executable is not None:
            return [spec.type for spec in self.executable.inputs]
        return list(self.function.function_type.inputs.data)

    @property
    def output_types(self) -> list[Attribute]:
        if self.executable is not None:
            return [spec.type for spec in self.executable.outputs]
        return list(self.function.function_type.outputs.data)

    def run(self, *inputs: np.ndarray, **named: np.ndarray) -> list[np.ndarray]:
        """Outputs for inputs given in order, or by input name."""
        if inputs and named:
            raise TypeError("give the inputs either in order or by name, not both")
        if self.executable is not None:
            return self.executable.run(named if named else list(inputs))
        return run_function(self.function, named if named else list(inputs), self.poison)


def load_module(path: str | Path, ctx: Context | None = None, input_shapes: Any = None) -> ModuleOp:
    name = source_name(str(path))
    if frontend.is_model_file(str(path)):
        try:
            return frontend.load(str(path), input_shapes)
        except frontend.FrontendError as e:
            raise CompileError(e.diagnostics) from None
        except ValueError as e:  # a malformed --input-shape
            raise CompileError([Diagnostic(str(e))]) from None
    try:
        text = read_source(str(path))
    except SourceError as e:
        raise CompileError([e.diagnostic]) from None
    remember_source(name, text)
    try:
        return parse_mlir(ctx or make_context(), text, name)
    except ParseError as e:
        raise CompileError([from_parse_error(e)]) from None


def compile(
    model: ModuleOp | str | Path,
    target: str = "reference",
    *,
    plugin_files: Sequence[str] = (),
    entry: str | None = None,
    opt_level: int = DEFAULT_LEVEL,
    cache: bool = True,
    input_shapes: Any = None,
) -> CompiledModel:
    """Parse (if given a path), verify and infer types, optimise at `opt_level` (the
    `nnvm-optimize` pipeline, 0 to 3), then prepare `entry` for `target`.

    Raises CompileError with located diagnostics for bad input. For `target="cpu"` the
    machine code comes from the compile cache unless `cache=False`. `.onnx` and NNVM graph
    `.json` files are imported; `input_shapes` (`{"data": (1, 3, 224, 224)}` or
    `["data=1x3x224x224"]`) fixes their dynamic input dims.
    """
    if target not in TARGETS:
        raise CompileError(
            [Diagnostic(f"target '{target}' is not available (available: {', '.join(TARGETS)})")]
        )
    if opt_level not in LEVELS:
        raise CompileError([Diagnostic(f"opt_level must be 0, 1, 2 or 3, got {opt_level}")])
    for path in plugin_files:
        plugins.load_plugin(path)
    memo = None
    if target == "cpu" and cache and not isinstance(model, ModuleOp):
        from nnvm_dialect.runtime import cpu_model

        memo = cpu_model.compiled_model_key(model, plugin_files, entry, opt_level, input_shapes)
        if memo is not None and (hit := cpu_model.recall(memo)) is not None:
            # Compiled before (in this process or on disk): no parsing at all.
            path = model

            def load() -> tuple[ModuleOp, func.FuncOp]:
                module = load_module(path, None, input_shapes)
                return module, _optimize(module, path, target, entry, opt_level)

            return CompiledModel(None, None, target, hit, load=load)
    module = model if isinstance(model, ModuleOp) else load_module(model, None, input_shapes)
    depends = []
    if memo is not None:  # before the passes, which may fold the weights into the IR
        depends = _params_files(module)
    fn = _optimize(module, model, target, entry, opt_level)
    executable = None
    if target == "cpu":
        executable = _build_cpu(module, fn, opt_level, cache)
    if memo is not None:
        from nnvm_dialect.runtime import cpu_model

        cpu_model.remember(memo, executable, depends)
    return CompiledModel(module, fn, target, executable)


def _optimize(
    module: ModuleOp, model: Any, target: str, entry: str | None, opt_level: int
) -> func.FuncOp:
    """Verify `module`, infer its types and run the `nnvm-optimize` pipeline on it; its
    function `entry`.

    The verifier runs on the input and after the last pass: on every pass it was most of the
    compile time of a large graph. NNVM_VERIFY_EACH_PASS=1 (set by the test suite, as nnvm-opt
    always does) runs it after each pass, naming the pass that broke the IR."""
    # The CPU target runs fused groups once it has a lowering for them; the lowering package
    # registers it, so it is imported first (else the graph would depend on what ran before).
    if target == "cpu":
        import nnvm_dialect.lowering  # noqa: F401
    fuse = target == "reference" or lowering.lookup(FusedOp) is not None
    passes: list[ModulePass] = [InferShape(), InferType(), *pipeline(opt_level, fuse)]
    if diagnostics := verify_module(module):
        raise CompileError(diagnostics)
    ctx = make_context()
    each = os.environ.get("NNVM_VERIFY_EACH_PASS", "") not in ("", "0")
    for i, p in enumerate(passes):
        try:
            p.apply(ctx, module)
        except OpError as e:
            raise CompileError([at_op(e.op, e.message)]) from None
        if (each or i == len(passes) - 1) and (diagnostics := verify_module(module)):
            culprit = p.name if each else "the nnvm-optimize pipeline"
            raise CompileError([*diagnostics, Diagnostic(f"the IR is invalid after {culprit}")])
    try:
        return entry_function(module, entry)
    except InputError as e:
        where = None if isinstance(model, ModuleOp) else source_name(str(model))
        raise CompileError([Diagnostic(str(e), where)]) from None


def _params_files(module: ModuleOp) -> list[Path]:
    from nnvm_dialect.ops.constant import ConstantError
    from nnvm_dialect.runtime.cpu import params_files

    try:
        return params_files(module)
    except ConstantError:
        return []  # the verifier reports it


def _build_cpu(module: ModuleOp, fn: func.FuncOp, opt_level: int, cache: bool) -> Any:
    from nnvm_dialect.runtime.cpu import CpuError, build

    try:
        return build(module, fn, opt_level, cache)
    except OpError as e:
        raise CompileError([at_op(e.op, e.message)]) from None
    except CpuError as e:
        raise CompileError([Diagnostic(f"cpu target: {e}")]) from None
