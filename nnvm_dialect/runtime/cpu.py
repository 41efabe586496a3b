"""The CPU target: lower with `nnvm-lower-cpu`, translate to LLVM IR, JIT with llvmlite, run.

    model = build(module, fn, opt_level=2)      # CpuModel, served from the cache when it can be
    outputs = model.run(x, w)                    # numpy arrays in, numpy arrays out

Translation is xDSL's (`xdsl.backend.llvm.convert`); the llvmlite module it makes is then
optimised by LLVM's new pass manager for the host CPU (loop and SLP vectorisation on) and
compiled by MCJIT. The compiled object code is cached in memory and on disk (under
$XDG_CACHE_HOME/nnvm-dialect, or ~/.cache/nnvm-dialect), keyed by the module's text, the options,
the versions of the pieces and the host CPU, so compiling the same model again takes milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import llvmlite.binding as llvm
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects import llvm as llvmd
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, ModuleOp, StringAttr
from xdsl.printer import Printer

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.lowering.nnvm_lower_cpu import NnvmLowerCpu
from nnvm_dialect.lowering.nnvm_to_loops import ALIGN, runtime_buffers
from nnvm_dialect.reference import input_names
from nnvm_dialect.runtime import cpu_model
from nnvm_dialect.runtime.cpu_model import (  # noqa: F401 (the CPU target's API, in one place)
    _LOCK,
    FORMAT,
    Compiled,
    CpuError,
    CpuModel,
    Spec,
    _load_object,
    aligned_empty,
    cache_dir,
    host,
    symbol,
    target_machine,
)

assert ALIGN == cpu_model.ALIGN


def lower(module: ModuleOp, ctx: Context | None = None) -> ModuleOp:
    """A copy of `module` at the llvm dialect; OpError names the op a stage refused."""
    lowered = module.clone()
    ctx = ctx or Context()
    for stage in NnvmLowerCpu().stages():
        try:
            stage.apply(ctx, lowered)
        except OpError:
            raise
        except Exception as e:  # a bug in a stage, reported as one
            raise CpuError(f"stage {stage.name} failed: {type(e).__name__}: {e}") from e
    return lowered


def translate(module: ModuleOp) -> str:
    """LLVM IR text of a module at the llvm dialect."""
    from xdsl.backend.llvm.convert import convert_module

    renamed = module.clone()
    for op in renamed.ops:
        if isinstance(op, llvmd.FuncOp) and op.body.blocks:
            op.sym_name = StringAttr(symbol(op.sym_name.data))
    for op in renamed.ops:
        if not isinstance(op, llvmd.FuncOp):
            raise CpuError(
                f"'{op.name}' is not lowered to the llvm dialect; run -p nnvm-lower-cpu first"
            )
    try:
        llvm_module = convert_module(renamed, fallback_target_triple=llvm.get_default_triple())
    except Exception as e:
        raise CpuError(f"translation to LLVM IR failed: {type(e).__name__}: {e}") from None
    return str(llvm_module)


def optimize(ir: str, opt_level: int) -> tuple[llvm.ModuleRef, llvm.TargetMachine]:
    tm = target_machine(opt_level)
    try:
        mod = llvm.parse_assembly(ir)
        mod.verify()
    except RuntimeError as e:
        raise CpuError(f"LLVM rejected the module: {e}") from None
    mod.triple = tm.triple
    mod.data_layout = str(tm.target_data)
    level = min(3, max(opt_level, 1))  # below 1 accumulators spill
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pto.loop_vectorization = True
    pto.slp_vectorization = True
    pto.loop_unrolling = level >= 3  # unrolling multiplies LLVM's time by 3-4 for little gain
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(mod, pb)
    return mod, tm


def assembly(module: ModuleOp, opt_level: int = 2) -> str:
    mod, tm = optimize(translate(module), opt_level)
    return tm.emit_assembly(mod)


def optimized_ir(module: ModuleOp, opt_level: int = 2) -> str:
    mod, _ = optimize(translate(module), opt_level)
    return str(mod)


# The cache ------------------------------------------------------------------------------------


def cache_key(module: ModuleOp, entry: str, opt_level: int) -> str:
    h = hashlib.sha256()
    text = _module_text(module)
    parts = [
        f"format {FORMAT}",
        f"entry {entry} O{opt_level}",
        f"versions {cpu_model._versions()}",
        f"host {host()}",
        f"package {cpu_model._package_digest()}",  # the lowering is part of it
    ]
    for p in parts:
        h.update(p.encode())
    h.update(text.encode())
    return h.hexdigest()


def _module_text(module: ModuleOp) -> str:
    import io

    stream = io.StringIO()
    Printer(stream=stream, print_generic_format=True).print_op(module)
    return stream.getvalue()


_MEMORY: dict[str, Compiled] = {}


def compile_function(module: ModuleOp, entry: str, opt_level: int, cache: bool = True) -> Compiled:
    """Machine code for `entry` of an nnvm module (shape-inferred), from the cache if there."""
    key = cache_key(module, entry, opt_level) if cache else ""
    if cache:
        with _LOCK:
            if key in _MEMORY:
                return _MEMORY[key]
        on_disk = _read_cache(key)
        if on_disk is not None:
            compiled = _load_object(on_disk[0], entry, on_disk[1])
            with _LOCK:
                _MEMORY[key] = compiled
            return compiled
    lowered = lower(module)
    fn = next(
        (op for op in lowered.ops if isinstance(op, llvmd.FuncOp) and op.sym_name.data == entry),
        None,
    )
    assert fn is not None
    abi_attr, size_attr = fn.attributes["nnvm.abi"], fn.attributes["nnvm.arena_size"]
    assert isinstance(abi_attr, DenseArrayBase) and isinstance(size_attr, IntegerAttr)
    meta = {
        "abi": [int(x) for x in abi_attr.get_values()],
        "arena_size": size_attr.value.data,
        "opt_level": opt_level,
    }
    try:
        mod, tm = optimize(translate(lowered), opt_level)
        obj = tm.emit_object(mod)
    except CpuError as e:
        raise CpuError(f"function '@{entry}': {e}") from None
    except RuntimeError as e:
        raise CpuError(f"function '@{entry}': LLVM failed: {e}") from None
    meta["object"] = hashlib.sha256(obj).hexdigest()
    compiled = _load_object(obj, entry, meta)
    if cache:
        _write_cache(key, obj, meta)
        with _LOCK:
            _MEMORY[key] = compiled
    return compiled


def _read_cache(key: str) -> tuple[bytes, dict] | None:
    folder = cache_dir()
    try:
        meta = json.loads((folder / f"{key}.json").read_text())
        obj = (folder / f"{key}.o").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("object") != hashlib.sha256(obj).hexdigest():
        return None  # damaged: LLVM must never see a broken object
    return obj, meta


def _write_cache(key: str, obj: bytes, meta: dict) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in ((f"{key}.o", obj), (f"{key}.json", json.dumps(meta).encode())):
            tmp = folder / f"{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(folder / name)
    except OSError:
        pass  # a read-only home still compiles, just without a disk cache


def clear_memory_cache() -> None:
    """Forget what this process compiled (the disk cache stays): as a new process would."""
    with _LOCK:
        _MEMORY.clear()
    cpu_model.clear_memory_cache()


def params_files(module: ModuleOp) -> list[Path]:
    """The external weight files (`#nnvm.param`) that `module` reads: a cached compile is stale
    once one of them changes."""
    from nnvm_dialect.ops.constant import ConstantOp, ParamAttr, params_file

    files = set()
    for op in module.walk():
        if isinstance(op, ConstantOp) and isinstance(op.properties["value"], ParamAttr):
            files.add(params_file(op)[0].resolve())
    return sorted(files)


def build(module: ModuleOp, fn: func.FuncOp, opt_level: int = 2, cache: bool = True) -> CpuModel:
    """Compile `fn` of a verified, shape-inferred nnvm module for this CPU."""
    name = fn.sym_name.data
    compiled = compile_function(module, name, opt_level, cache)
    inputs = [Spec.of(a.type) for a in fn.args]
    outputs = [Spec.of(t) for t in fn.function_type.outputs.data]
    return CpuModel(name, compiled, runtime_buffers(fn), input_names(fn), inputs, outputs)
