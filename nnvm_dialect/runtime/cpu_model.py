"""What runs a model compiled for the CPU, and the disk cache of whole compiles.

A `CpuModel` is object code loaded by MCJIT, its weights and its arena, with the names and types
of its inputs and outputs: no IR. `compile(path, target="cpu")` keys the whole compile by the
file's bytes (with the plugins', the options, the versions, the host CPU and this package's
source) before parsing anything, and keeps the object code, the weights (one file, mapped on
load) and a description under $XDG_CACHE_HOME/nnvm-dialect (or ~/.cache/nnvm-dialect). A second
compile in a new process then only reads those: this module imports no xDSL and none of the
lowering, so the hit costs milliseconds.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import struct
import sys
import threading
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import llvmlite.binding as llvm
import numpy as np

from nnvm_dialect.reference import bind_named

if TYPE_CHECKING:
    from xdsl.ir import Attribute

ALIGN = 64
"""Outputs, the arena and each weight in the weights file start at this alignment (the
lowering's own `nnvm_to_loops.ALIGN`)."""

FORMAT = 2
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
            _load_runtime_library()
            _initialized = True


def _load_runtime_library() -> None:
    """Without F16C, LLVM converts half to and from float by calling `__extendhfsf2` and
    `__truncsfhf2`, which live in libgcc_s (GCC 12 and later): loaded, MCJIT links them."""
    if resolvable("__truncsfhf2"):
        return
    try:
        llvm.load_library_permanently("libgcc_s.so.1")
    except RuntimeError:
        pass  # then a model that needs them is refused when it loads (_load_object)


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


def symbol(name: str) -> str:
    """The JIT symbol of a model function: prefixed, so `@exp` cannot clash with libm's."""
    return f"nnvm_{name}"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nnvm-dialect"


@dataclass
class Compiled:
    """Machine code for one function, loaded into an execution engine."""

    engine: llvm.ExecutionEngine
    address: int
    abi: tuple[int, int, int]
    arena_size: int
    opt_level: int
    object: bytes = field(repr=False)


_LOCK = threading.Lock()


def _load_object(obj: bytes, name: str, meta: dict) -> Compiled:
    for needed in undefined_symbols(obj):
        if needed != "_GLOBAL_OFFSET_TABLE_" and not resolvable(needed):
            raise CpuError(
                f"function '@{name}': the compiled code calls '{needed}', which no loaded "
                "library defines"
            )
    tm = target_machine(meta["opt_level"])
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), tm)
    engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
    engine.finalize_object()
    address = engine.get_function_address(symbol(name))
    if not address:
        raise CpuError(f"function '@{name}': no code for it in the compiled object")
    abi = tuple(meta["abi"])
    return Compiled(engine, address, abi, meta["arena_size"], meta["opt_level"], obj)  # type: ignore[arg-type]


def resolvable(name: str) -> bool:
    """Whether MCJIT can link `name`: from a library loaded through LLVM, or from the process."""
    return bool(llvm.address_of_symbol(name)) or hasattr(_process(), name)


@functools.cache
def _process() -> ctypes.CDLL:
    return ctypes.CDLL(None)


def undefined_symbols(obj: bytes) -> list[str]:
    """The symbols an ELF64 object uses but does not define: MCJIT would run a call to one it
    cannot resolve as a call to address 0."""
    if obj[:5] != b"\x7fELF\x02":
        return []
    (shoff,) = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", obj, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + i * shentsize) for i in range(shnum)]
    names = []
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 2 or not entsize:  # SHT_SYMTAB
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name, _, _, shndx = struct.unpack_from("<IBBH", obj, at)
            if name and shndx == 0:  # SHN_UNDEF
                end = obj.index(b"\0", strtab + name)
                names.append(obj[strtab + name : end].decode())
    return names


# Whole compiles of a file: key by its bytes, keep what runs it ------------------------------


def compiled_model_key(
    path: str | Path,
    plugin_files: Sequence[str],
    entry: str | None,
    opt_level: int,
    input_shapes: object,
) -> str | None:
    """A key for a whole compile() of a file, from its place and bytes, the plugins', the
    options, the versions, the host CPU and the package's own source: computed before any
    parsing. None when a file cannot be read (compile() then reports that)."""
    h = hashlib.sha256()
    try:
        # Where the file is matters too: its params file is named relative to it.
        h.update(f"{Path(path).resolve()}\n".encode())
        h.update(Path(path).read_bytes())
        for f in sorted({*(str(Path(f).resolve()) for f in plugin_files), *_plugin_sources()}):
            h.update(f.encode())
            h.update(Path(f).read_bytes())
    except OSError:
        return None
    options = f"{Path(path).suffix} {entry} O{opt_level} {input_shapes!r}"
    h.update(f"{options} {_versions()} {host()} {_package_digest()} {FORMAT}".encode())
    return h.hexdigest()


def _plugin_sources() -> set[str]:
    """The files that defined the plugin ops, dialects and passes loaded in this process."""
    from nnvm_dialect import plugins

    files = {str(p) for p in plugins.LOADED}
    for thing in (*plugins.OPS, *plugins.PASSES, *(type(d) for d in plugins.DIALECTS)):
        source = getattr(sys.modules.get(thing.__module__), "__file__", None)
        if source and not source.startswith(str(_PACKAGE)) and Path(source).is_file():
            files.add(str(Path(source).resolve()))
    return files


_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def _package_digest() -> str:
    """Every stage from parsing to machine code is this package's code: any change to it is a
    new key. Sizes and modification times, not bytes, so it costs a few milliseconds."""
    h = hashlib.sha256()
    folders = [str(_PACKAGE)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    h.update(f"{entry.path} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


@functools.cache
def _versions() -> str:
    import llvmlite

    versions = [f"llvm {llvm.llvm_version_info} llvmlite {llvmlite.__version__}"]
    versions += [f"numpy {np.__version__} python {sys.version_info[:3]}"]
    versions += [_installed(name) for name in ("xdsl", "onnx")]
    return " ".join(versions)


def _installed(name: str) -> str:
    """The package's dist-info folder names its version; importlib.metadata would cost 0.3 s of
    imports (xDSL's own `__version__` asks it)."""
    origin = getattr(sys.modules.get(name), "__file__", None)
    if origin is None:
        import importlib.util

        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
    if origin is None:
        return f"{name} none"
    site = Path(origin).parent.parent
    found = sorted(p.name for p in site.glob(f"{name}-*.dist-info"))
    return f"{name} {' '.join(found) or origin}"


def _stamps(files: Sequence[Path | str]) -> list[list[Any]] | None:
    """(path, size, mtime) of each file; None if one is gone."""
    try:
        return [[str(f), (st := os.stat(f)).st_size, st.st_mtime_ns] for f in files]
    except OSError:
        return None


def _unchanged(stamps: list[list[Any]]) -> bool:
    return _stamps([s[0] for s in stamps]) == stamps


@dataclass
class _Remembered:
    model: CpuModel
    depends: list[list[Any]]


_MODELS: dict[str, _Remembered] = {}


def recall(key: str) -> CpuModel | None:
    """The model compiled from the same file and options (in this process, else on disk), with
    an arena of its own; None when there is none, or its weight files changed, or the entry on
    disk is damaged."""
    with _LOCK:
        hit = _MODELS.get(key)
    if hit is not None and _unchanged(hit.depends):
        return hit.model.fresh()
    try:
        hit = _read_model(key)
    except Exception:  # a damaged or stale entry: compile afresh (and overwrite it)
        return None
    if hit is None:
        return None
    with _LOCK:
        _MODELS[key] = hit
    return hit.model.fresh()


def remember(key: str, model: CpuModel, depends: Sequence[Path]) -> None:
    """Keep `model` in memory and on disk, with the weight files it depends on."""
    stamps = _stamps(depends)
    if stamps is None:
        return
    with _LOCK:
        _MODELS[key] = _Remembered(model, stamps)
    _write_model(key, model, stamps)


def _model_files(key: str) -> tuple[Path, Path, Path]:
    folder = cache_dir()
    return tuple(folder / f"{key}.model{ext}" for ext in (".json", ".o", ".weights"))  # type: ignore[return-value]


def _write_model(key: str, model: CpuModel, depends: list[list[Any]]) -> None:
    """The object code, the weights (one file, each 64-byte aligned) and a description; the
    description is written last, so a half-written entry is never read."""
    meta_path, obj_path, weights_path = _model_files(key)
    weights, offset = [], 0
    for array in model.weights:
        offset = -(-offset // ALIGN) * ALIGN
        weights.append([offset, list(array.shape), array.dtype.str])
        offset += array.nbytes
    compiled = model.compiled
    meta = {
        "format": FORMAT,
        "entry": model.entry,
        "abi": list(compiled.abi),
        "arena_size": compiled.arena_size,
        "opt_level": compiled.opt_level,
        "object": hashlib.sha256(compiled.object).hexdigest(),
        "weights": weights,
        "weights_size": offset,
        "inputs": [[name, *spec.to_json()] for name, spec in zip(model.input_names, model.inputs)],
        "outputs": [spec.to_json() for spec in model.outputs],
        "depends": depends,
    }
    try:
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = weights_path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            for (start, _, _), array in zip(weights, model.weights):
                f.seek(start)
                f.write(np.ascontiguousarray(array).tobytes())
            f.truncate(offset)
            f.flush()
            meta["weights_crc32"] = _crc32(tmp) if offset else 0
        tmp.replace(weights_path)
        for path, data in ((obj_path, compiled.object), (meta_path, json.dumps(meta).encode())):
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
    except OSError:
        pass  # a read-only home still compiles, just without a disk cache


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            crc = zlib.crc32(chunk, crc)
    return crc


def _read_model(key: str) -> _Remembered | None:
    """A model from its entry on disk, with no parsing: None when there is no entry, an
    exception when it is damaged, and None when a weight file it read has changed."""
    meta_path, obj_path, weights_path = _model_files(key)
    try:
        meta = json.loads(meta_path.read_text())
    except FileNotFoundError:
        return None
    if meta["format"] != FORMAT or not _unchanged(meta["depends"]):
        return None
    obj = obj_path.read_bytes()
    if hashlib.sha256(obj).hexdigest() != meta["object"]:
        raise CpuError("the cached object code is damaged")
    weights: list[np.ndarray] = []
    if meta["weights_size"]:
        if weights_path.stat().st_size != meta["weights_size"]:
            raise CpuError("the cached weights are damaged")
        if _crc32(weights_path) != meta["weights_crc32"]:
            raise CpuError("the cached weights are damaged")
        # Mapped copy-on-write: pages are read when the code first touches them.
        data = np.memmap(weights_path, np.uint8, mode="c")
        for start, shape, dtype in meta["weights"]:
            dtype = np.dtype(dtype)
            size = int(np.prod(shape)) * dtype.itemsize
            weights.append(data[start : start + size].view(dtype).reshape(shape))
    compiled = _load_object(obj, meta["entry"], meta)
    model = CpuModel(
        meta["entry"],
        compiled,
        weights,
        [name for name, *_ in meta["inputs"]],
        [Spec.from_json(*spec) for _, *spec in meta["inputs"]],
        [Spec.from_json(*spec) for spec in meta["outputs"]],
    )
    return _Remembered(model, meta["depends"])


def clear_memory_cache() -> None:
    with _LOCK:
        _MODELS.clear()


# Running ---------------------------------------------------------------------------------------


def aligned_empty(shape: Sequence[int], dtype: np.dtype, align: int = ALIGN) -> np.ndarray:
    dtype = np.dtype(dtype)
    nbytes = max(1, int(np.prod(shape))) * dtype.itemsize
    raw = np.empty(nbytes + align, np.uint8)
    start = (-raw.ctypes.data) % align
    return raw[start : start + nbytes].view(dtype)[: int(np.prod(shape))].reshape(shape)


@dataclass
class Spec:
    """A static tensor type as the runtime needs it: shape and dtype, and its text for messages
    and for `input_types`, parsed back only when asked for."""

    text: str
    shape: tuple[int, ...]
    dtype: np.dtype
    element: str  # the element type as written (`f32`), for messages
    attr: Attribute | None = None

    @classmethod
    def of(cls, type_: Attribute) -> Spec:
        from nnvm_dialect.dtypes import to_numpy
        from nnvm_dialect.ops.base import dtype_of, shape_of

        shape, dtype = shape_of(type_), dtype_of(type_)
        assert shape is not None and None not in shape and dtype is not None
        return cls(str(type_), tuple(shape), to_numpy(dtype), str(dtype), type_)  # type: ignore[arg-type]

    def to_json(self) -> list[Any]:
        return [self.text, list(self.shape), self.dtype.str, self.element]

    @classmethod
    def from_json(cls, text: str, shape: list[int], dtype: str, element: str) -> Spec:
        return cls(text, tuple(shape), np.dtype(dtype), element)

    @property
    def type(self) -> Attribute:
        if self.attr is None:
            from xdsl.parser import Parser

            from nnvm_dialect.frontend.mlir import make_context

            self.attr = Parser(make_context(), self.text).parse_type()
        return self.attr

    def __str__(self) -> str:
        return self.text


def check_spec(what: str, array: np.ndarray, spec: Spec) -> None:
    """check_array's messages, for a static type."""
    from nnvm_dialect.ops.base import format_shape
    from nnvm_dialect.reference import InputError

    if array.shape != spec.shape:
        got, want = format_shape(array.shape), format_shape(spec.shape)
        raise InputError(f"{what} has shape {got}, expected {want}")
    if array.dtype != spec.dtype:
        raise InputError(f"{what} has dtype {array.dtype}, expected {spec.dtype} ({spec.element})")


@dataclass
class CpuModel:
    """A compiled function with its weights and arena, callable on numpy arrays. It holds no
    IR: what it needs to run comes with it from the disk cache."""

    entry: str
    compiled: Compiled
    weights: list[np.ndarray]
    input_names: list[str]
    inputs: list[Spec]
    outputs: list[Spec]
    arena: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.arena = aligned_empty((self.compiled.arena_size,), np.dtype(np.uint8))
        n = sum(self.compiled.abi) + 1
        self._call = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * n))(self.compiled.address)

    def fresh(self) -> CpuModel:
        """The same code and weights with an arena of its own."""
        return CpuModel(self.entry, self.compiled, self.weights, self.input_names, self.inputs,
                        self.outputs)  # fmt: skip

    def run(self, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray]) -> list[np.ndarray]:
        bound = bind_named(self.input_names, self.inputs, inputs, check_spec)
        arrays = [np.ascontiguousarray(a) for a in bound]
        outputs = [aligned_empty(spec.shape, spec.dtype) for spec in self.outputs]
        pointers = [a.ctypes.data for a in (*arrays, *self.weights, *outputs, self.arena)]
        self._call(*pointers)
        return outputs
