"""`nnvm.constant`: weights and other constants, in one of three forms.

    %b = nnvm.constant dense<[0.5, -1.0]> : tensor<2xf32>           // inline
    %w = nnvm.constant dense_resource<conv1_w> : tensor<64x3x7x7xf32> // blob in {-# ... #-}
    %v = nnvm.constant #nnvm.param<"fc_w"> : tensor<1000x512xf32>     // external params file

Inline values suit small tensors. A `dense_resource` blob lives in MLIR's
`{-# dialect_resources: { builtin: { conv1_w: "0x04000000..." } } #-}` section at the end of
the file (4 bytes of alignment, then the raw little-endian data, as MLIR writes it). An external
value is the array of that name in the `.npz` file that the enclosing module names with
`module attributes {nnvm.params = "model.params.npz"}`; a relative path is taken from the
directory of the model file, so a model with 25M weights stays a small text file.

`constant_value(op)` reads any form as a read-only numpy array without a per-element Python
loop; `make_constant` builds the inline or resource form, `param_constant` the external one, and
`save_params` moves a module's large constants into a params file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    Builtin,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    ModuleOp,
    StringAttr,
    TensorType,
)
from xdsl.ir import Attribute, Operation, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition, irdl_op_definition, prop_def, result_def, traits_def
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from nnvm_dialect.diagnostics import op_location
from nnvm_dialect.dtypes import from_numpy, to_numpy
from nnvm_dialect.facts import (
    DType,
    Example,
    OpPattern,
    Shape,
    ShapeError,
    dtypes,
    example,
    onnx_equivalent,
    pattern_kind,
    reference,
    shape_rule,
    type_rule,
)
from nnvm_dialect.ops.base import AnyTensor, CanonicalizeFromFacts, NnvmOp, format_shape

PARAMS_ATTR = "nnvm.params"
"""The module attribute naming the params `.npz` file of its `#nnvm.param` constants."""

DEFAULT_INLINE_LIMIT = 100
"""make_constant writes up to this many elements inline; MLIR and xDSL print longer inline
values as one hex string anyway, which reads no better than a blob."""

ELIDED = "__elided__"
"""The blob name that MLIR prints for a value elided by --mlir-elide-elementsattrs-if-larger."""

_ALIGNMENT_HEX = 8  # MLIR blobs start with a 4-byte alignment, 8 hex digits


class ConstantError(ShapeError):
    """A constant's value is missing or does not fit its type; the message says which."""


@irdl_attr_definition
class ParamAttr(ParametrizedAttribute):
    """`#nnvm.param<"name">`: the array `name` of the module's params file."""

    name = "nnvm.param"
    key: StringAttr

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[StringAttr]:
        with parser.in_angle_brackets():
            return (StringAttr(parser.parse_str_literal()),)

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string_literal(self.key.data)


ConstantValue = DenseIntOrFPElementsAttr | DenseResourceAttr | ParamAttr

_ELIDE_LARGER_THAN: ContextVar[int | None] = ContextVar("elide_larger_than", default=None)


@contextmanager
def eliding_constants(larger_than: int | None) -> Iterator[None]:
    """While active, constants with more than `larger_than` elements print as
    `dense_resource<__elided__>` (mlir-opt's --mlir-elide-elementsattrs-if-larger)."""
    token = _ELIDE_LARGER_THAN.set(larger_than)
    try:
        yield
    finally:
        _ELIDE_LARGER_THAN.reset(token)


@irdl_op_definition
class ConstantOp(NnvmOp):
    """A constant tensor (NNVM kept weights as variables bound at run time)."""

    name = "nnvm.constant"
    out = result_def(AnyTensor)
    value = prop_def(ConstantValue)

    traits = traits_def(Pure(), ConstantLike(), CanonicalizeFromFacts())
    assembly_format = None

    @property
    def result_type(self) -> Attribute:
        return self.results[0].type

    def verify_attributes(self) -> None:
        value = self.properties["value"]
        if isinstance(value, ParamAttr):
            return  # its type is the result's, checked in verify_
        assert isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr)
        if not isinstance(value.type, TensorType):
            raise ConstantError(f"attribute 'value' must have a tensor type, got {value.type}")
        _element_dtype(value.type)
        if isinstance(value, DenseResourceAttr) and value.resource_handle.data != ELIDED:
            _blob_hex(value)

    def verify_(self) -> None:
        value, result = self.properties["value"], self.result_type
        try:
            if isinstance(value, ParamAttr):
                if not isinstance(result, TensorType) or -1 in _static_dims(result):
                    raise ConstantError(
                        f"an external value needs a result type of static shape, got {result}"
                    )
                _element_dtype(result)
                _params_entry(self, value.key.data)
            elif value.type != result:  # type: ignore[union-attr]
                raise ConstantError(
                    f"attribute 'value' has type {value.type} but the result has type {result}"  # type: ignore[union-attr]
                )
        except ShapeError as e:
            raise VerifyException(str(e)) from None
        super().verify_()

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        attributes = parser.parse_optional_attr_dict()
        at = parser.pos
        value = parser.parse_attribute()
        if isinstance(value, ParamAttr):
            parser.parse_punctuation(":", " after an external value")
            result = parser.parse_type()
        elif isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr):
            result = value.type
        else:
            parser.raise_error(
                "expected a constant value: dense<...>, dense_resource<...> or "
                f'#nnvm.param<"...">, got {value}',
                at,
                parser.pos,
            )
        return cls.create(result_types=[result], properties={"value": value}, attributes=attributes)

    def print(self, printer: Printer) -> None:
        printer.print_op_attributes(self.attributes)
        printer.print_string(" ")
        value = self.properties["value"]
        limit = _ELIDE_LARGER_THAN.get()
        if isinstance(value, ParamAttr):
            printer.print_attribute(value)
        elif limit is not None and _num_elements(value.type) > limit:
            printer.print_string(f"dense_resource<{ELIDED}>")
        elif isinstance(value, DenseIntOrFPElementsAttr) and _num_elements(value.type) > 100:
            # xDSL would unpack every element to test for a splat; the hex form is the same.
            printer.print_string(f'dense<"0x{value.data.data.hex().upper()}">')
        else:
            assert isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr)
            value.print_without_type(printer)
        printer.print_string(" : ")
        printer.print_attribute(self.result_type)


# Reading values -------------------------------------------------------------------------------


def _static_dims(t: TensorType) -> tuple[int, ...]:
    return tuple(-1 if d < 0 else d for d in t.get_shape())


def _num_elements(t: Attribute) -> int:
    assert isinstance(t, TensorType)
    return int(np.prod(t.get_shape(), dtype=np.int64))


def _element_dtype(t: Attribute) -> np.dtype:
    assert isinstance(t, TensorType)
    try:
        return to_numpy(t.element_type)
    except ValueError as e:
        raise ConstantError(f"constants of element type {t.element_type}: {e}") from None


def _from_bytes(data: bytes | memoryview, t: TensorType) -> np.ndarray:
    dtype = _element_dtype(t)
    shape = t.get_shape()
    if dtype == np.bool_:  # i1 is stored a byte per element, true as any non-zero byte
        array = np.frombuffer(data, np.uint8) != 0
    else:
        array = np.frombuffer(data, dtype.newbyteorder("<")).astype(dtype, copy=False)
    array = array.reshape(shape)
    array.flags.writeable = False
    return array


def _to_bytes(array: np.ndarray) -> bytes:
    if array.dtype == np.bool_:
        return np.where(array, 0xFF, 0).astype(np.uint8).tobytes()  # as xDSL stores i1
    return np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes()


def _blob_storage() -> OpAsmDialectInterface:
    interface = Builtin.get_interface(OpAsmDialectInterface)
    assert interface is not None
    return interface


def _blob_hex(value: DenseResourceAttr) -> str:
    """The blob's data as hex digits (without the 0x and the alignment), checked for size."""
    key = value.resource_handle.data
    blob = _blob_storage().lookup(key)
    if not blob:
        raise ConstantError(
            f"dense_resource<{key}> has no blob: add it to the file's "
            f'{{-# dialect_resources: {{ builtin: {{ {key}: "0x..." }} }} #-}} section'
        )
    assert isinstance(value.type, TensorType)
    want = _num_elements(value.type) * _element_dtype(value.type).itemsize * 2
    digits = len(blob) - 2
    if digits == want + _ALIGNMENT_HEX:
        return blob[2 + _ALIGNMENT_HEX :]
    raise ConstantError(
        f"blob '{key}' holds {max(digits - _ALIGNMENT_HEX, 0) // 2} bytes of data, "
        f"{value.type} needs {want // 2}"
    )


_DECODED: dict[str, tuple[str, np.ndarray]] = {}


def _resource_array(value: DenseResourceAttr) -> np.ndarray:
    key = value.resource_handle.data
    if key == ELIDED:
        raise ConstantError(
            "the value was elided when the module was printed "
            "(--mlir-elide-elementsattrs-if-larger), so it is unknown"
        )
    blob = _blob_storage().lookup(key) or ""
    cached = _DECODED.get(key)
    if cached is not None and cached[0] is blob:
        return cached[1]
    assert isinstance(value.type, TensorType)
    try:
        data = bytes.fromhex(_blob_hex(value))
    except ValueError:
        raise ConstantError(f"blob '{key}' is not a hex string") from None
    array = _from_bytes(data, value.type)
    _DECODED[key] = (blob, array)
    return array


@dataclass
class _ParamsFile:
    """A params `.npz`: the arrays' shapes and dtypes read once, arrays loaded when needed."""

    path: Path
    shown: str  # as the module names it
    headers: dict[str, tuple[tuple[int, ...], np.dtype]]
    arrays: dict[str, np.ndarray]


_PARAMS: dict[tuple[str, int, int], _ParamsFile] = {}


def _open_params(path: Path, shown: str) -> _ParamsFile:
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key in _PARAMS:
            return _PARAMS[key]
        headers = {}
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if not member.endswith(".npy"):
                    continue
                with archive.open(member) as f:
                    version = np.lib.format.read_magic(f)
                    read_header = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = read_header(f)
                headers[member[: -len(".npy")]] = (tuple(shape), np.dtype(dtype))
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise ConstantError(f"cannot read params file '{shown}': {reason}") from None
    params = _PARAMS[key] = _ParamsFile(path, shown, headers, {})
    return params


def params_file(op: Operation) -> tuple[Path, str]:
    """The params file of `op`'s module, and its name as written there; a relative name is
    taken from the model file's directory."""
    module = op.parent_op()
    while module is not None and not (
        isinstance(module, ModuleOp) and PARAMS_ATTR in module.attributes
    ):
        module = module.parent_op()
    if module is None:
        raise ConstantError(
            "an external value needs a params file: write "
            f'`module attributes {{{PARAMS_ATTR} = "FILE.npz"}}` around the function'
        )
    ref = module.attributes[PARAMS_ATTR]
    if not isinstance(ref, StringAttr):
        raise ConstantError(f"module attribute '{PARAMS_ATTR}' must be a string, got {ref}")
    path = Path(ref.data)
    loc = op_location(op)
    if not path.is_absolute() and loc is not None and not loc.filename.data.startswith("<"):
        path = Path(loc.filename.data).parent / path
    return path, ref.data


def _params_entry(op: ConstantOp, key: str) -> tuple[_ParamsFile, str]:
    params = _open_params(*params_file(op))
    if key not in params.headers:
        names = ", ".join(sorted(params.headers)[:8]) or "none"
        raise ConstantError(f"no array '{key}' in params file '{params.shown}' (it has: {names})")
    shape, dtype = params.headers[key]
    result = op.result_type
    assert isinstance(result, TensorType)
    if shape != tuple(result.get_shape()) or dtype != _element_dtype(result):
        raise ConstantError(
            f"array '{key}' in '{params.shown}' has shape {format_shape(shape)} and dtype "
            f"{dtype}, but the result type is {result}"
        )
    return params, key


def _param_array(op: ConstantOp, key: str) -> np.ndarray:
    params, key = _params_entry(op, key)
    if key not in params.arrays:
        with np.load(params.path, allow_pickle=False) as archive:
            array = archive[key]
        array.flags.writeable = False
        params.arrays[key] = array
    return params.arrays[key]


def constant_value(op: ConstantOp) -> np.ndarray:
    """The value of a constant of any form, as a read-only array; ConstantError if missing."""
    value = op.properties["value"]
    if isinstance(value, DenseIntOrFPElementsAttr):
        assert isinstance(value.type, TensorType)
        return _from_bytes(value.data.data, value.type)
    if isinstance(value, DenseResourceAttr):
        return _resource_array(value)
    assert isinstance(value, ParamAttr)
    return _param_array(op, value.key.data)


# Building constants ---------------------------------------------------------------------------


def _tensor_type(array: np.ndarray) -> TensorType:
    return TensorType(from_numpy(array.dtype), array.shape)


def _named(op: ConstantOp, name: str | None) -> ConstantOp:
    if name and name.replace("_", "a").isalnum() and not name[0].isdigit():
        op.results[0].name_hint = name
    return op


def make_constant(
    array: Any, name: str | None = None, inline_limit: int = DEFAULT_INLINE_LIMIT
) -> ConstantOp:
    """A constant holding `array`: inline up to `inline_limit` elements, else a resource blob
    named after `name` (made unique)."""
    array = np.asarray(array)
    t = _tensor_type(array)
    data = _to_bytes(array)
    if array.size <= inline_limit:
        value: Attribute = DenseIntOrFPElementsAttr(t, BytesAttr(data))
    else:
        storage = _blob_storage()
        key = storage.declare_resource(name or "blob")
        alignment = max(array.dtype.itemsize, 1).to_bytes(4, "little")
        blob = "0x" + alignment.hex() + data.hex()
        storage.parse_resource(key, blob)
        frozen = array.copy()
        frozen.flags.writeable = False
        _DECODED[key] = (blob, frozen)
        value = DenseResourceAttr.from_params(key, t)
    return _named(ConstantOp.create(result_types=[t], properties={"value": value}), name)


def param_constant(key: str, like: Any, name: str | None = None) -> ConstantOp:
    """A constant read from the module's params file: array `key`, typed like `like` (an
    array or a tensor type)."""
    t = like if isinstance(like, TensorType) else _tensor_type(np.asarray(like))
    op = ConstantOp.create(result_types=[t], properties={"value": ParamAttr(StringAttr(key))})
    return _named(op, name or key)


def save_params(
    module: ModuleOp,
    path: str | Path,
    larger_than: int = DEFAULT_INLINE_LIMIT,
    ref: str | None = None,
) -> list[str]:
    """Move the constants of `module` with more than `larger_than` elements into the `.npz` at
    `path` and name it in the module (as `ref`, by default the file's name, for a model saved
    beside it). Returns the names of the arrays written."""
    arrays: dict[str, np.ndarray] = {}
    for op in module.walk():
        if not isinstance(op, ConstantOp) or isinstance(op.properties["value"], ParamAttr):
            continue
        if _num_elements(op.result_type) <= larger_than:
            continue
        value = op.properties["value"]
        base = op.results[0].name_hint or (
            value.resource_handle.data if isinstance(value, DenseResourceAttr) else "param"
        )
        key, n = base, 0
        while key in arrays:
            n += 1
            key = f"{base}_{n}"
        arrays[key] = np.asarray(constant_value(op))
        op.properties["value"] = ParamAttr(StringAttr(key))
    np.savez(path, **arrays)  # type: ignore[arg-type]
    module.attributes[PARAMS_ATTR] = StringAttr(ref if ref is not None else Path(path).name)
    return list(arrays)


# Facts ------------------------------------------------------------------------------------------


@shape_rule.register(ConstantOp)
def _constant_shape(op: ConstantOp, shapes: list[Shape]) -> list[Shape]:
    value = op.properties["value"]
    t = op.result_type if isinstance(value, ParamAttr) else value.type  # type: ignore[union-attr]
    if not isinstance(t, TensorType):
        return [None]
    return [tuple(None if d < 0 else d for d in t.get_shape())]


@type_rule.register(ConstantOp)
def _constant_type(op: ConstantOp, types: list[DType]) -> list[DType]:
    value = op.properties["value"]
    t = op.result_type if isinstance(value, ParamAttr) else value.type  # type: ignore[union-attr]
    return [t.element_type if isinstance(t, TensorType) else None]


@reference.register(ConstantOp)
def _constant(op: ConstantOp) -> np.ndarray:
    return constant_value(op)


CONSTANT_DTYPES = tuple(
    np.dtype(d)
    for d in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8)
) + (np.dtype(np.bool_),)

pattern_kind.register(ConstantOp)(OpPattern.OPAQUE)
dtypes.register(ConstantOp)(CONSTANT_DTYPES)
onnx_equivalent.register(ConstantOp)("Constant (or a graph initializer)")


@example.register(ConstantOp)
def _constant_example(rng: np.random.Generator) -> Example:
    shape = tuple(int(d) for d in rng.integers(1, 6, int(rng.integers(0, 4))))
    dtype = CONSTANT_DTYPES[int(rng.integers(len(CONSTANT_DTYPES)))]
    if dtype == np.bool_:
        array = rng.random(shape) < 0.5
    elif dtype.kind == "f":
        array = rng.standard_normal(shape).astype(dtype)
    else:
        array = rng.integers(-100 if dtype.kind == "i" else 0, 100, shape).astype(dtype)
    # Some seeds take the resource form, so both run through the generic tests.
    limit = 0 if rng.integers(0, 2) else DEFAULT_INLINE_LIMIT
    op = make_constant(np.asarray(array), "example", inline_limit=limit)
    return Example([], {"value": op.properties["value"]})


CONSTANT_OPS = [ConstantOp]
CONSTANT_ATTRS = [ParamAttr]
