"""Extending nnvm-dialect from outside the package: `--plugin my_ops.py`.

A plugin is a Python file. Importing it defines ops (subclasses of `NnvmOp`), attaches facts to
them (`shape_rule.register(MyOp)`, `reference.register(MyOp)`, ...) and announces ops and passes
here, so every tool that loads it can parse the ops and run the passes.

Names are checked: an op named like a built-in op (`nnvm.relu`, or one of an xDSL dialect) or one
another plugin registered, and a pass named like a built-in pass, are errors. A plugin that means
to replace a built-in pass says so: `@register_pass(override=True)`.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, overload

from xdsl.ir import Dialect, Operation
from xdsl.passes import ModulePass

OpT = TypeVar("OpT", bound=type[Operation])
PassT = TypeVar("PassT", bound=type[ModulePass])

OPS: list[type[Operation]] = []
DIALECTS: list[Dialect] = []
PASSES: list[type[ModulePass]] = []
PASSES_BY_NAME: set[str] = set()
LOADED: set[Path] = set()


class PluginError(Exception):
    """A plugin file could not be loaded; the message says which and why."""


def register_op(op: OpT) -> OpT:
    """Class decorator: make `op` parseable by the tools."""
    from xdsl.universe import Universe

    from nnvm_dialect.ops import NNVM

    if any(o.name == op.name for o in (*NNVM.operations, *OPS)):
        raise PluginError(f"op '{op.name}' is already defined; give the plugin's op another name")
    dialect = op.name.split(".", 1)[0]
    if dialect != "nnvm" and dialect in Universe.get_multiverse().all_dialects:
        raise PluginError(
            f"op '{op.name}' is in xDSL's dialect '{dialect}'; give the plugin's ops a prefix "
            "of their own"
        )
    OPS.append(op)
    return op


def register_dialect(dialect: Dialect) -> Dialect:
    DIALECTS.append(dialect)
    return dialect


@overload
def register_pass(pass_: PassT) -> PassT: ...
@overload
def register_pass(*, override: bool = False) -> Callable[[PassT], PassT]: ...
def register_pass(
    pass_: PassT | None = None, *, override: bool = False
) -> PassT | Callable[[PassT], PassT]:
    """Class decorator: make `-p <pass.name>` available. A pass named like a built-in one is an
    error unless `@register_pass(override=True)` asks to replace it."""

    def add(p: PassT) -> PassT:
        if not override and (p.name in builtin_pass_names() or p.name in PASSES_BY_NAME):
            raise PluginError(
                f"pass '{p.name}' is already defined; rename the plugin's pass, or replace the "
                "built-in one with @register_pass(override=True)"
            )
        PASSES[:] = [q for q in PASSES if q.name != p.name]
        PASSES.append(p)
        PASSES_BY_NAME.add(p.name)
        return p

    return add if pass_ is None else add(pass_)


def builtin_pass_names() -> set[str]:
    from xdsl.universe import Universe

    from nnvm_dialect.transforms import NNVM_PASSES

    return {*Universe.get_multiverse().all_passes, *(p.name for p in NNVM_PASSES)}


def load_plugin(path: str) -> None:
    """Import a plugin file once; loading it again (another compile() call) does nothing."""
    file = Path(path).resolve()
    if not file.is_file():
        raise PluginError(f"{path}: error: plugin file not found")
    if file in LOADED:
        return
    name = f"nnvm_plugin_{file.stem}_{len(sys.modules)}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise PluginError(f"{path}: error: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        LOADED.add(file)
    except SyntaxError as e:
        raise PluginError(f"{path}:{e.lineno}:{e.offset}: error: {e.msg}") from None
    except PluginError as e:
        raise PluginError(f"{where_in(file, path, e)}: error: {e}") from None
    except Exception as e:
        raise PluginError(
            f"{where_in(file, path, e)}: error: loading the plugin failed: {type(e).__name__}: {e}"
        ) from None


def where_in(file: Path, path: str, e: Exception) -> str:
    """`path:line:1` of the plugin's deepest line in the traceback, else `path`."""
    tb = e.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(file):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{path}:{line}:1" if line else path
