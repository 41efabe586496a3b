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

import ctypes
import functools
import hashlib
import json
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import llvmlite
import llvmlite.binding as llvm
import numpy as np
import xdsl
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects import llvm as llvmd
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, ModuleOp, StringAttr
from xdsl.printer import Printer

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.lowering.nnvm_lower_cpu import NnvmLowerCpu
from nnvm_dialect.lowering.nnvm_to_loops import ALIGN, runtime_buffers
from nnvm_dialect.reference import bind_inputs

FORMAT = 1
"""Bumped whenever the lowering changes what a cached object means."""


class CpuError(Exception):
    """Translation or LLVM failed; the message names the function."""


_init_lock = threading.Lock()
_initialized = False


def _init_llvm() -> None:
    global _initialized
    with _init_lock:
        if not _initialized:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            llvm.initialize_native_asmparser()
            _initialized = True


@functools.cache
def host() -> str:
    _init_llvm()
    features = llvm.get_host_cpu_features().flatten()
    return f"{llvm.get_default_triple()} {llvm.get_host_cpu_name()} {features}"


def target_machine(opt_level: int) -> llvm.TargetMachine:
    _init_llvm()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(
        cpu=llvm.get_host_cpu_name(),
        features=llvm.get_host_cpu_features().flatten(),
        opt=min(3, max(opt_level, 1)),
        reloc="pic",
        codemodel="jitdefault",
        jit=True,
    )


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


def symbol(name: str) -> str:
    """The JIT symbol of a model function: prefixed, so `@exp` cannot clash with libm's."""
    return f"nnvm_{name}"


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


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nnvm-dialect"


@functools.cache
def _source_digest() -> str:
    """The lowering's own code is part of the key: a changed stage must not reuse old objects."""
    here = Path(__file__).resolve().parent.parent / "lowering"
    h = hashlib.sha256()
    for path in sorted(here.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(module: ModuleOp, entry: str, opt_level: int) -> str:
    h = hashlib.sha256()
    text = _module_text(module)
    parts = [
        f"format {FORMAT}",
        f"entry {entry} O{opt_level}",
        f"xdsl {xdsl.__version__} llvmlite {llvmlite.__version__} llvm {llvm.llvm_version_info}",
        f"host {host()}",
        f"lowering {_source_digest()}",
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


@dataclass
class Compiled:
    """Machine code for one function, loaded into an execution engine."""

    engine: llvm.ExecutionEngine
    address: int
    abi: tuple[int, int, int]
    arena_size: int


_MEMORY: dict[str, Compiled] = {}
_LOCK = threading.Lock()


def _load_object(obj: bytes, name: str, meta: dict) -> Compiled:
    tm = target_machine(meta["opt_level"])
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), tm)
    engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
    engine.finalize_object()
    address = engine.get_function_address(symbol(name))
    if not address:
        raise CpuError(f"function '@{name}': no code for it in the compiled object")
    return Compiled(engine, address, tuple(meta["abi"]), meta["arena_size"])  # type: ignore[arg-type]


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
        return (folder / f"{key}.o").read_bytes(), meta
    except (OSError, ValueError):
        return None


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


_MODELS: dict[str, Any] = {}


def compiled_model_key(
    path: str | Path,
    plugin_files: Sequence[str],
    entry: str | None,
    opt_level: int,
    input_shapes: object,
) -> str | None:
    """A key for a whole compile() of a file, from its bytes and the options; None when the
    file cannot be read (compile() then reports that)."""
    h = hashlib.sha256()
    try:
        for f in (path, *plugin_files):
            h.update(Path(f).read_bytes())
    except OSError:
        return None
    options = f"{entry} O{opt_level} {input_shapes!r} {host()} {_source_digest()} {FORMAT}"
    h.update(options.encode())
    return h.hexdigest()


def recall(key: str) -> Any:
    """A model compiled from the same file and options, with an arena of its own."""
    with _LOCK:
        model = _MODELS.get(key)
    if model is None:
        return None
    executable = model.executable
    fresh = CpuModel(executable.function, executable.compiled, executable.weights,
                     executable.output_specs)  # fmt: skip
    return replace(model, executable=fresh)


def remember(key: str, model: Any) -> None:
    with _LOCK:
        _MODELS[key] = model


def clear_memory_cache() -> None:
    with _LOCK:
        _MEMORY.clear()
        _MODELS.clear()


# Running ---------------------------------------------------------------------------------------


def aligned_empty(shape: Sequence[int], dtype: np.dtype, align: int = ALIGN) -> np.ndarray:
    dtype = np.dtype(dtype)
    nbytes = max(1, int(np.prod(shape))) * dtype.itemsize
    raw = np.empty(nbytes + align, np.uint8)
    start = (-raw.ctypes.data) % align
    return raw[start : start + nbytes].view(dtype)[: int(np.prod(shape))].reshape(shape)


@dataclass
class CpuModel:
    """A compiled function with its weights and arena, callable on numpy arrays."""

    function: func.FuncOp
    compiled: Compiled
    weights: list[np.ndarray]
    output_specs: list[tuple[tuple[int, ...], np.dtype]]
    arena: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.arena = aligned_empty((self.compiled.arena_size,), np.dtype(np.uint8))
        n = sum(self.compiled.abi) + 1
        self._call = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * n))(self.compiled.address)

    def run(self, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        arrays = [np.ascontiguousarray(a) for a in bind_inputs(self.function, inputs)]
        outputs = [aligned_empty(shape, dtype) for shape, dtype in self.output_specs]
        pointers = [a.ctypes.data for a in (*arrays, *self.weights, *outputs, self.arena)]
        self._call(*pointers)
        return outputs


def build(module: ModuleOp, fn: func.FuncOp, opt_level: int = 2, cache: bool = True) -> CpuModel:
    """Compile `fn` of a verified, shape-inferred nnvm module for this CPU."""
    from nnvm_dialect.dtypes import to_numpy
    from nnvm_dialect.ops.base import dtype_of, shape_of

    name = fn.sym_name.data
    compiled = compile_function(module, name, opt_level, cache)
    specs = []
    for t in fn.function_type.outputs.data:
        shape, dtype = shape_of(t), dtype_of(t)
        assert shape is not None and None not in shape and dtype is not None
        specs.append((tuple(shape), to_numpy(dtype)))  # type: ignore[arg-type]
    return CpuModel(fn, compiled, runtime_buffers(fn), specs)
