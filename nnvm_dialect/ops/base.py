"""What every `nnvm` op shares: tensor types as rules see them, and a verifier driven by facts."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    UnrankedTensorType,
)
from xdsl.ir import Attribute, Operation, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import (
    AttrConstraint,
    IntConstraint,
    IRDLOperation,
    OptPropertyDef,
    ParsePropInAttrDict,
    VerificationContext,
    irdl_attr_definition,
    traits_def,
)
from xdsl.irdl.attributes import irdl_to_attr_constraint
from xdsl.irdl.operations import _PropertyFieldDef  # pyright: ignore[reportPrivateUsage]
from xdsl.pattern_rewriter import RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, Pure
from xdsl.utils.exceptions import VerifyException

from nnvm_dialect.facts import DType, Shape, ShapeError, canonicalize, shape_rule, type_rule


@irdl_attr_definition
class UnknownType(ParametrizedAttribute, TypeAttribute):
    """`!nnvm.unknown`: an element type that `infer-type` has yet to find."""

    name = "nnvm.unknown"


@dataclass(frozen=True)
class TensorConstraint(AttrConstraint):
    """Any ranked or unranked tensor type, with an error that says so."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        if not isinstance(attr, TensorType | UnrankedTensorType):
            raise VerifyException(f"operands and results must be tensors, got {attr}")

    def get_bases(self) -> set[type[Attribute]] | None:
        return {TensorType, UnrankedTensorType}

    def mapping_type_vars(
        self, type_var_mapping: Mapping[TypeVar, AttrConstraint | IntConstraint]
    ) -> TensorConstraint:
        return self


AnyTensor = TensorConstraint()


def shape_of(t: Attribute) -> Shape:
    if isinstance(t, TensorType):
        return tuple(None if d == DYNAMIC_INDEX else d for d in t.get_shape())
    return None


def dtype_of(t: Attribute) -> DType:
    if isinstance(t, TensorType | UnrankedTensorType):
        elt = t.element_type
        return None if isinstance(elt, UnknownType) else elt
    return None


def tensor_type(shape: Shape, dtype: DType) -> TensorType | UnrankedTensorType:
    return _tensor_type(
        None if shape is None else tuple(int(d) if d is not None else None for d in shape), dtype
    )


@functools.lru_cache(maxsize=4096)
def _tensor_type(shape: Shape, dtype: DType) -> TensorType | UnrankedTensorType:
    """Cached: attributes are immutable, and building one (with its verification) cost more
    than the rules that ask for it on large graphs."""
    elt = UnknownType() if dtype is None else dtype
    if shape is None:
        return UnrankedTensorType(elt)
    return TensorType(elt, [DYNAMIC_INDEX if d is None else d for d in shape])


def format_shape(shape: Shape) -> str:
    if shape is None:
        return "*"
    if not shape:
        return "scalar"
    return "x".join("?" if d is None else str(d) for d in shape)


def refine_shape(declared: Shape, inferred: Shape) -> Shape:
    """The most precise shape that agrees with both; a ShapeError where they conflict."""
    if declared is None:
        return inferred
    if inferred is None:
        return declared
    if len(declared) != len(inferred):
        raise ShapeError(
            f"rank {len(declared)} ({format_shape(declared)}) conflicts with "
            f"rank {len(inferred)} ({format_shape(inferred)})"
        )
    dims: list[int | None] = []
    for a, b in zip(declared, inferred):
        if a is not None and b is not None and a != b:
            raise ShapeError(
                f"shape {format_shape(declared)} conflicts with {format_shape(inferred)}"
            )
        dims.append(a if a is not None else b)
    return tuple(dims)


def refine_dtype(declared: DType, inferred: DType) -> DType:
    if declared is not None and inferred is not None and declared != inferred:
        raise ShapeError(f"element type {declared} conflicts with {inferred}")
    return declared if declared is not None else inferred


def infer_shapes(op: Operation) -> list[Shape] | None:
    """Result shapes from the op's shape rule, or None when it has none."""
    rule = shape_rule.lookup(op)
    if rule is None:
        return None
    shapes = list(rule(op, [shape_of(v.type) for v in op.operands]))
    if len(shapes) != len(op.results):
        raise ShapeError(
            f"the shape rule gives {len(shapes)} results, the op has {len(op.results)}"
        )
    return shapes


def infer_dtypes(op: Operation) -> list[DType] | None:
    rule = type_rule.lookup(op, default=isinstance(op, NnvmOp))
    if rule is None:
        return None
    dtypes = list(rule(op, [dtype_of(v.type) for v in op.operands]))
    if len(dtypes) != len(op.results):
        raise ShapeError(f"the type rule gives {len(dtypes)} results, the op has {len(op.results)}")
    return dtypes


def refined_types(op: Operation, *, shapes: bool, dtypes: bool) -> list[Attribute] | None:
    """Result types made as precise as the op's shape and/or type rule allow; None when it has
    neither. A ShapeError names the result whose written type the rules contradict."""
    inferred_shapes = infer_shapes(op) if shapes else None
    inferred_dtypes = infer_dtypes(op) if dtypes else None
    if inferred_shapes is None and inferred_dtypes is None:
        return None
    types: list[Attribute] = []
    for i, res in enumerate(op.results):
        shape, dtype = shape_of(res.type), dtype_of(res.type)
        try:
            if inferred_shapes is not None:
                shape = refine_shape(shape, inferred_shapes[i])
            if inferred_dtypes is not None:
                dtype = refine_dtype(dtype, inferred_dtypes[i])
        except ShapeError as e:
            raise ShapeError(f"result #{i} of type {res.type}: {e}") from None
        new = tensor_type(shape, dtype)
        types.append(res.type if new == res.type else new)
    # These result types agree with the rules that ran: the verifier need not run them again.
    if inferred_shapes is not None:
        RuleCheck.SHAPE.remember(op, types)
    if inferred_dtypes is not None:
        RuleCheck.DTYPE.remember(op, types)
    return types


class RuleCheck(Enum):
    """Which rule a verified (operand types, result types, properties) key vouches for.

    The verifier checks written result types against the rules after parsing and after every
    pass; on a large graph that re-ran each rule six times per `-p infer-shape,infer-type`. An
    op remembers, per rule, the last key the rule accepted (from the verifier or from a pass
    that just computed the types), and the verifier runs the rule only when the key changed.
    A shape rule sees only operand shapes and the op's attributes, a type rule only operand
    element types and attributes (facts.py), so the key holds those and the part of the result
    types the rule decides; it cannot go stale.
    """

    SHAPE = "shape"
    DTYPE = "dtype"

    def key(self, op: Operation, results: Sequence[Attribute]) -> tuple[object, ...]:
        part = shape_key if self is RuleCheck.SHAPE else dtype_key
        return (
            tuple(part(v.type) for v in op.operands),
            tuple(part(t) for t in results),
            tuple(op.properties.items()),
        )

    def remember(self, op: Operation, results: Sequence[Attribute]) -> None:
        op.__dict__.setdefault("_nnvm_rule_checks", {})[self] = self.key(op, results)

    def is_known(self, op: Operation) -> bool:
        known = op.__dict__.get("_nnvm_rule_checks", {}).get(self)
        return known is not None and known == self.key(op, [r.type for r in op.results])


def shape_key(t: Attribute) -> object:
    if isinstance(t, TensorType):
        return t.shape
    return None if isinstance(t, UnrankedTensorType) else t


def dtype_key(t: Attribute) -> object:
    return t.element_type if isinstance(t, TensorType | UnrankedTensorType) else t


def check_rules(op: Operation) -> None:
    """Raise ShapeError where the written result types contradict the op's rules."""
    results = [r.type for r in op.results]
    if not RuleCheck.SHAPE.is_known(op):
        inferred = infer_shapes(op)
        if inferred is not None:
            for i, t in enumerate(results):
                try:
                    refine_shape(shape_of(t), inferred[i])
                except ShapeError as e:
                    raise ShapeError(f"result #{i} of type {t}: {e}") from None
        RuleCheck.SHAPE.remember(op, results)
    if not RuleCheck.DTYPE.is_known(op):
        inferred_dtypes = infer_dtypes(op)
        if inferred_dtypes is not None:
            for i, t in enumerate(results):
                try:
                    refine_dtype(dtype_of(t), inferred_dtypes[i])
                except ShapeError as e:
                    raise ShapeError(f"result #{i} of type {t}: {e}") from None
        RuleCheck.DTYPE.remember(op, results)


_KINDS: dict[type[Attribute], str] = {
    IntegerAttr: "an integer",
    FloatAttr: "a float",
    StringAttr: 'a string ("...")',
    DenseArrayBase: "an array<i64: ...>",
    ArrayAttr: "a list [...]",
}


@dataclass(frozen=True)
class NamedAttr(AttrConstraint):
    """An attribute's constraint whose errors name the attribute, which xDSL's do not."""

    name: str
    inner: AttrConstraint

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        try:
            self.inner.verify(attr, constraint_context)
        except VerifyException as e:
            bases = self.inner.get_bases() or set()
            if bases and not isinstance(attr, tuple(bases)):
                kinds = " or ".join(sorted(_KINDS.get(b, b.name) for b in bases))
                raise VerifyException(
                    f"attribute '{self.name}' must be {kinds}, got {attr}"
                ) from None
            raise VerifyException(f"attribute '{self.name}' is invalid: {e}") from None

    def get_bases(self) -> set[type[Attribute]] | None:
        return self.inner.get_bases()

    def mapping_type_vars(
        self, type_var_mapping: Mapping[TypeVar, AttrConstraint | IntConstraint]
    ) -> NamedAttr:
        return NamedAttr(self.name, self.inner.mapping_type_vars(type_var_mapping))


class CanonicalizeFromFacts(HasCanonicalizationPatternsTrait):
    """Lets `-p canonicalize` apply the patterns registered under the `canonicalize` fact."""

    def get_patterns(self, op: type[Operation]) -> tuple[RewritePattern, ...]:
        return tuple(canonicalize.lookup(op) or ())

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        return ()


class NnvmOp(IRDLOperation):
    """Base of every op of the `nnvm` dialect, and of ops a plugin adds.

    NNVM attributes are properties written in the attribute dictionary; defaulted ones may be
    left out. The verifier rejects attributes the op does not declare (as NNVM's parameter
    parser did) and checks written result types against the op's shape and type rules.
    """

    irdl_options = (ParsePropInAttrDict(),)
    traits = traits_def(Pure(), CanonicalizeFromFacts())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, field in list(vars(cls).items()):
            if isinstance(field, _PropertyFieldDef) and not isinstance(field.param, NamedAttr):
                field.param = NamedAttr(name, irdl_to_attr_constraint(field.param))

    def verify(self, verify_nested_ops: bool = True) -> None:
        # Checked before xDSL's own verification, whose message repeats the op name.
        self.check_required_attributes()
        super().verify(verify_nested_ops)

    def check_required_attributes(self) -> None:
        for name, prop in self.get_irdl_definition().properties.items():
            if name not in self.properties and not isinstance(prop, OptPropertyDef):
                raise VerifyException(f"missing required attribute '{name}'")

    def verify_before_rules(self) -> None:
        """The checks the rules rely on (operand counts, attribute kinds, verify_attributes),
        for ops built outside the parser; raises VerifyException or ShapeError."""
        self.check_required_attributes()
        self.get_irdl_definition().verify(self)
        self.verify_attributes()

    def verify_(self) -> None:
        # Discardable attributes must carry a dialect prefix (`nnvm.device`), as in MLIR; a bare
        # name is a misspelt or unsupported NNVM attribute.
        unknown = sorted(a for a in self.attributes if "." not in a)
        if unknown:
            known = ", ".join(sorted(self.properties)) or "none"
            raise VerifyException(f"unknown attribute '{unknown[0]}' (this op takes: {known})")
        try:
            self.verify_attributes()
            check_rules(self)
        except ShapeError as e:
            raise VerifyException(str(e)) from None

    def verify_attributes(self) -> None:
        """Attribute checks that do not depend on operand shapes; raise ShapeError."""

    # Typed views of properties, for rules and semantics. A missing or wrong-kind attribute
    # (possible in ops made with `create` or `build` rather than parsed) is a ShapeError that
    # names it, which the verifier and the passes report at the op.
    def _prop(self, name: str, kind: type[Attribute]) -> Attribute:
        attr = self.properties.get(name)
        if attr is None:
            raise ShapeError(f"missing required attribute '{name}'")
        if not isinstance(attr, kind):
            raise ShapeError(
                f"attribute '{name}' must be {_KINDS.get(kind, kind.name)}, got {attr}"
            )
        return attr

    def int_attr(self, name: str) -> int:
        attr = self._prop(name, IntegerAttr)
        assert isinstance(attr, IntegerAttr)
        return attr.value.data

    def float_attr(self, name: str) -> float:
        attr = self._prop(name, FloatAttr)
        assert isinstance(attr, FloatAttr)
        return attr.value.data

    def bool_attr(self, name: str) -> bool:
        attr = self._prop(name, IntegerAttr)
        assert isinstance(attr, IntegerAttr)
        return attr.value.data != 0

    def str_attr(self, name: str) -> str:
        attr = self._prop(name, StringAttr)
        assert isinstance(attr, StringAttr)
        return attr.data

    def ints_attr(self, name: str) -> tuple[int, ...]:
        attr = self._prop(name, DenseArrayBase)
        assert isinstance(attr, DenseArrayBase)
        return tuple(int(x) for x in attr.get_values())

    def int_pairs_attr(self, name: str) -> tuple[tuple[int, ...], ...]:
        attr = self._prop(name, ArrayAttr)
        assert isinstance(attr, ArrayAttr)
        return tuple(
            tuple(int(x) for x in a.get_values())
            for a in attr.data
            if isinstance(a, DenseArrayBase)
        )


def check_properties(cls: type[NnvmOp], props: Mapping[str, Attribute]) -> None:
    """The verifier's attribute checks, before an op exists: a ShapeError naming the attribute."""
    definition = cls.get_irdl_definition()
    takes = ", ".join(sorted(definition.properties)) or "none"
    for name in props:
        if name not in definition.properties:
            raise ShapeError(f"'{cls.name}' op unknown attribute '{name}' (this op takes: {takes})")
    for name, prop in definition.properties.items():
        if name not in props:
            if not isinstance(prop, OptPropertyDef):
                raise ShapeError(f"'{cls.name}' op missing required attribute '{name}'")
            continue
        try:
            prop.constr.verify(props[name], VerificationContext())
        except VerifyException as e:
            raise ShapeError(f"'{cls.name}' op {e}") from None


def build(
    cls: type[NnvmOp],
    operands: Sequence[SSAValue],
    properties: dict[str, Attribute] | None = None,
    num_results: int = 1,
) -> NnvmOp:
    """Create an op with its result types computed by its rules, for importers.

    Raises ShapeError, naming the attribute or the operands, for properties the op does not
    take, lacks or cannot use, and for operands that cannot go together."""
    props = dict(properties or {})
    for name, prop in cls.get_irdl_definition().properties.items():
        if name not in props and prop.default_value is not None:
            props[name] = prop.default_value
    check_properties(cls, props)
    unknown = [tensor_type(None, None)] * num_results
    probe = cls.create(operands=operands, result_types=unknown, properties=props)
    try:
        # The rules assume what the verifier checks first: operand counts, attribute kinds
        # and values; a failure is a ShapeError naming what is wrong.
        try:
            probe.verify_before_rules()
        except VerifyException as e:
            raise ShapeError(f"'{cls.name}' op {e}") from None
        shapes = infer_shapes(probe) or [None] * num_results
        dtypes = infer_dtypes(probe) or [None] * num_results
    finally:
        probe.drop_all_references()
    types = [tensor_type(s, t) for s, t in zip(shapes, dtypes)]
    return cls.create(operands=operands, result_types=types, properties=props)
