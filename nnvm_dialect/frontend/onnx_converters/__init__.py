"""The table from ONNX op type to converter: each emits nnvm ops for one node.

A converter returns one value per node output: an SSA value, or a numpy array when the result is
known at import (shapes, folded constants). Where ONNX and NNVM differ (pooling's ceil_mode
windows, Softmax before opset 13, Round's half-to-even, Mod's fmod) the converter imports the
ONNX meaning; where it cannot, it raises Unsupported naming the attribute value.

Every module of this package is imported here, so a new kind of op is a new file and nothing
else: its `@converts` lines fill the table.
"""

import importlib
import pkgutil

from nnvm_dialect.frontend.onnx_converters.common import CONVERTERS
from nnvm_dialect.frontend.onnx_converters.constants import fold

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["CONVERTERS", "fold"]
