"""Extending nnvm-dialect from outside the package: `--plugin my_ops.py`.

A plugin is a Python file. Importing it defines ops (subclasses of `NnvmOp`), attaches facts to
them (`shape_rule.register(MyOp)`, `reference.register(MyOp)`, ...) and announces ops and passes
here, so every tool that loads it can parse the ops and run the passes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TypeVar

from xdsl.ir import Dialect, Operation
from xdsl.passes import ModulePass

OpT = TypeVar("OpT", bound=type[Operation])
PassT = TypeVar("PassT", bound=type[ModulePass])

OPS: list[type[Operation]] = []
DIALECTS: list[Dialect] = []
PASSES: list[type[ModulePass]] = []
LOADED: set[Path] = set()


class PluginError(Exception):
    """A plugin file could not be loaded; the message says which and why."""


def register_op(op: OpT) -> OpT:
    """Class decorator: make `op` parseable by the tools."""
    OPS.append(op)
    return op


def register_dialect(dialect: Dialect) -> Dialect:
    DIALECTS.append(dialect)
    return dialect


def register_pass(pass_: PassT) -> PassT:
    """Class decorator: make `-p <pass.name>` available."""
    PASSES.append(pass_)
    return pass_


def load_plugin(path: str) -> None:
    """Import a plugin file once; loading it again (another compile() call) does nothing."""
    file = Path(path)
    if not file.is_file():
        raise PluginError(f"{path}: error: plugin file not found")
    if file.resolve() in LOADED:
        return
    name = f"nnvm_plugin_{file.stem}_{len(sys.modules)}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise PluginError(f"{path}: error: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        LOADED.add(file.resolve())
    except SyntaxError as e:
        raise PluginError(f"{path}:{e.lineno}:{e.offset}: error: {e.msg}") from None
    except Exception as e:
        tb = e.__traceback__
        line = 0
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == str(file):
                line = tb.tb_lineno
            tb = tb.tb_next
        where = f"{path}:{line}:1" if line else path
        raise PluginError(
            f"{where}: error: loading the plugin failed: {type(e).__name__}: {e}"
        ) from None
