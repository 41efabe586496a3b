"""Importers: `.mlir` text, ONNX models and NNVM graph JSON, chosen by file extension."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from nnvm_dialect.diagnostics import Diagnostic


class FrontendError(Exception):
    """The model cannot be imported; `diagnostics` say which nodes and why."""

    def __init__(self, diagnostics: Sequence[Diagnostic], wanted_inputs: Sequence[str] = ()):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = list(diagnostics)
        self.wanted_inputs = list(wanted_inputs)
        """Graph inputs whose values the model uses as shapes or attributes; importing again with
        `input_values` for them specialises the model to those values."""


FRONTENDS = (".onnx", ".json")
"""Extensions `load` imports; anything else is read as `.mlir` text by the tools."""


def is_model_file(path: str | Path | None) -> bool:
    return path is not None and Path(str(path)).suffix.lower() in FRONTENDS


def load(
    path: str | Path,
    input_shapes: Sequence[str] | Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, Any] | None = None,
) -> ModuleOp:
    """Import an `.onnx` or NNVM graph `.json` file. Raises FrontendError with diagnostics.

    `input_shapes` fixes dynamic input dims: `["data=1x3x224x224"]` or `{"data": (1, 3, 224, 224)}`.
    """
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".onnx":
        from nnvm_dialect.frontend.onnx import import_onnx

        return import_onnx(path, input_shapes, input_values)
    if suffix == ".json":
        from nnvm_dialect.frontend.nnvm_json import import_json

        return import_json(path, input_shapes)
    raise FrontendError(
        [Diagnostic(f"no importer for '{suffix}' files (use .onnx or .json)", str(path))]
    )
