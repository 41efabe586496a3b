"""The registry checks itself: generic checks that every op passes, built-in or from a plugin.

Each check takes an op class and draws the op's own random `example`s; it raises `CheckFailed`
naming the op and the offending example. The test suite runs them on every registered op
(tests/test_registry.py), and a plugin author runs them on their own ops with
`nnvm-opt --plugin my_ops.py --check-ops`, or from pytest with `check_op(MyOp)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Operation
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from nnvm_dialect import plugins
from nnvm_dialect.dtypes import from_numpy
from nnvm_dialect.facts import (
    Example,
    ShapeError,
    dtypes,
    example,
    reference,
    shape_rule,
)
from nnvm_dialect.ops import NNVM
from nnvm_dialect.ops.base import (
    NnvmOp,
    build,
    dtype_of,
    format_shape,
    refine_dtype,
    refine_shape,
    shape_of,
    tensor_type,
)

MAX_ELEMENTS = 4096
"""Inputs of an example stay small, so that checks on a hundred ops take seconds."""
MAX_RESULT_ELEMENTS = 1 << 20
"""A mutation accepted with results larger than this is not run (a tile count of 100, ...)."""
DTYPE_SEEDS = 40
"""How many examples `check_dtypes` draws, at most, to see each declared dtype."""


class CheckFailed(AssertionError):
    """A generic check failed; the message names the op and the example."""


def registered_ops() -> list[type[NnvmOp]]:
    """Every graph op: the dialect's (not its structure ops) and the loaded plugins'."""
    ops = [op for op in (*NNVM.operations, *plugins.OPS) if issubclass(op, NnvmOp)]
    return sorted(ops, key=lambda op: op.name)


def make_example(cls: type[Operation], seed: int) -> Example:
    make = example.lookup(cls)
    if make is None:
        raise CheckFailed(f"{cls.name} has no example (register one with `example`)")
    ex = make(np.random.default_rng(seed))
    if not isinstance(ex, Example):
        raise CheckFailed(f"{cls.name}: example {seed} is a {type(ex).__name__}, not an Example")
    total = sum(a.size for a in ex.operands)
    if total > MAX_ELEMENTS:
        raise CheckFailed(f"{cls.name}: example {seed} has {total} input elements")
    return ex


def describe(ex: Example) -> str:
    operands = ", ".join(f"{format_shape(a.shape)} {a.dtype}" for a in ex.operands)
    props = ", ".join(f"{k} = {v}" for k, v in sorted(ex.properties.items()))
    return f"operands ({operands}) attributes {{{props}}}"


def build_on(cls: type[NnvmOp], types: list[Attribute], ex: Example) -> NnvmOp:
    block = Block(arg_types=types)
    op = build(cls, block.args, ex.properties, ex.num_results)
    block.add_op(op)
    return op


def operand_types(arrays: Iterable[np.ndarray]) -> list[Attribute]:
    return [tensor_type(a.shape, from_numpy(a.dtype)) for a in arrays]


def run_reference(op: Operation, arrays: list[np.ndarray]) -> list[np.ndarray]:
    semantics = reference.lookup(op)
    if semantics is None:
        raise CheckFailed(f"{op.name} has no reference (register one with `reference`)")
    with np.errstate(all="ignore"):
        out = semantics(op, *arrays)
    return [out] if isinstance(out, np.ndarray) else list(out)


def agree(op: Operation, values: list[np.ndarray], where: str) -> None:
    """The op's (rule-given) result types admit the values the semantics returned."""
    if len(values) != len(op.results):
        raise CheckFailed(
            f"{where}: the semantics gave {len(values)} results for {len(op.results)}"
        )
    for i, (res, value) in enumerate(zip(op.results, values)):
        if not isinstance(value, np.ndarray):
            raise CheckFailed(f"{where}: result #{i} of the semantics is not an array")
        try:
            refine_shape(shape_of(res.type), value.shape)
            refine_dtype(dtype_of(res.type), from_numpy(value.dtype))
        except (ShapeError, ValueError) as e:
            raise CheckFailed(
                f"{where}: the rules give result #{i} type {res.type}, the semantics return "
                f"{format_shape(value.shape)} {value.dtype}: {e}"
            ) from None


def check_rules_vs_semantics(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """The shape and type rules give exactly the shapes and dtypes the semantics return."""
    for seed in seeds:
        ex = make_example(cls, seed)
        where = f"{cls.name}, example seed {seed} ({describe(ex)})"
        op = build_on(cls, operand_types(ex.operands), ex)
        try:
            op.verify()
        except VerifyException as e:
            raise CheckFailed(f"{where}: the example does not verify: {e}") from None
        values = run_reference(op, ex.operands)
        agree(op, values, where)
        for i, (res, value) in enumerate(zip(op.results, values)):
            if shape_of(res.type) != value.shape:
                raise CheckFailed(f"{where}: the rules leave result #{i} {res.type} unknown")


def check_less_known_operands(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """Rules run on operands with every dim dynamic, then unranked, may know less, but what they
    give must agree with what the semantics return for the fully known operands."""
    for seed in seeds:
        ex = make_example(cls, seed)
        values = run_reference(build_on(cls, operand_types(ex.operands), ex), ex.operands)
        for unknown in ("dims", "rank"):
            partial = [
                tensor_type(None if unknown == "rank" else (None,) * a.ndim, from_numpy(a.dtype))
                for a in ex.operands
            ]
            where = f"{cls.name}, example seed {seed} ({describe(ex)}) with its {unknown} unknown"
            agree(build_on(cls, partial, ex), values, where)


def check_examples_vary(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """An example that ignores its generator would test one instance again and again."""
    seen = set()
    for seed in seeds:
        ex = make_example(cls, seed)
        operands = tuple((a.shape, a.dtype.str) for a in ex.operands)
        seen.add((operands, tuple(sorted((k, str(v)) for k, v in ex.properties.items()))))
    if len(seen) < 2:
        raise CheckFailed(f"{cls.name}: every seed gives the same shapes and attributes")


def check_semantics_are_pure(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """The semantics are deterministic and leave their operands alone (plan-memory and the
    reference target's arena rely on both)."""
    for seed in seeds:
        ex = make_example(cls, seed)
        where = f"{cls.name}, example seed {seed} ({describe(ex)})"
        copies = [a.copy() for a in ex.operands]
        op = build_on(cls, operand_types(ex.operands), ex)
        first, second = run_reference(op, ex.operands), run_reference(op, ex.operands)
        if not all(map(_same, ex.operands, copies)):
            raise CheckFailed(f"{where}: the semantics changed an operand")
        if not all(map(_same, first, second)):
            raise CheckFailed(f"{where}: the semantics are not deterministic")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")


def print_module(module: ModuleOp, generic: bool) -> str:
    from io import StringIO

    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(module)
    return out.getvalue()


@functools.cache
def context() -> Context:
    from nnvm_dialect.frontend.mlir import make_context

    return make_context()


def check_round_trip(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """The example prints in custom and in generic form, and both parse back to the same IR."""
    from nnvm_dialect.frontend.mlir import load_nnvm, parse_mlir

    ctx = context()
    load_nnvm(ctx)  # plugins loaded since
    for seed in seeds:
        ex = make_example(cls, seed)
        where = f"{cls.name}, example seed {seed} ({describe(ex)})"
        fn = func.FuncOp("f", (operand_types(ex.operands), []))
        op = build(cls, fn.args, ex.properties, ex.num_results)
        fn.body.block.add_ops([op, func.ReturnOp(*op.results)])
        fn.update_function_type()
        module = ModuleOp([fn])
        custom = print_module(module, generic=False)
        for generic in (False, True):
            text = print_module(module, generic) if generic else custom
            form = "generic" if generic else "custom"
            try:
                again = parse_mlir(ctx, text, f"<{form} form>")
            except Exception as e:
                raise CheckFailed(
                    f"{where}: the {form} form does not parse back: {e}\n{text}"
                ) from None
            if print_module(again, generic=False) != custom:
                raise CheckFailed(
                    f"{where}: the {form} form parses back to different IR:\n{text}\n"
                    f"became\n{print_module(again, generic=False)}"
                )


def check_dtypes(cls: type[NnvmOp], max_seeds: int = DTYPE_SEEDS) -> None:
    """Every dtype the op declares runs, and the result dtype is the one the type rule gives.

    Examples draw their dtypes from the generator, so seeds are drawn (up to `max_seeds`) until
    each declared dtype is seen; a dtype still unseen is tried by casting the data operands
    (those of the first operand's dtype) of example 0 to it.
    """
    declared = dtypes.lookup(cls)
    if declared is None:
        return
    wanted = {np.dtype(d) for d in declared}
    seen: set[np.dtype] = set()

    def run(ex: Example, where: str) -> None:
        op = build_on(cls, operand_types(ex.operands), ex)
        try:
            op.verify()
        except VerifyException as e:
            raise CheckFailed(f"{where}: a declared dtype does not verify: {e}") from None
        agree(op, run_reference(op, ex.operands), where)

    for seed in range(max_seeds):
        ex = make_example(cls, seed)
        kinds = {a.dtype for a in ex.operands} & wanted
        if ex.operands and kinds <= seen:
            continue
        where = f"{cls.name}, example seed {seed} ({describe(ex)})"
        op = build_on(cls, operand_types(ex.operands), ex)
        values = run_reference(op, ex.operands)
        agree(op, values, where)
        if not ex.operands:  # zeros, full, ...: the dtype is the result's
            kinds = {v.dtype for v in values} & wanted
        seen |= kinds
        if seen == wanted:
            return
    base = make_example(cls, 0)
    if not base.operands:
        missing = ", ".join(sorted(str(d) for d in wanted - seen))
        raise CheckFailed(f"{cls.name} declares dtypes its examples never make: {missing}")
    data = base.operands[0].dtype
    for dtype in sorted(wanted - seen, key=str):
        arrays = [a.astype(dtype) if a.dtype == data else a for a in base.operands]
        ex = Example(arrays, base.properties, base.num_results)
        run(ex, f"{cls.name}, example seed 0 cast to {dtype} ({describe(ex)})")


@dataclass(frozen=True)
class Mutation:
    what: str
    """What was changed, for the message."""
    names: tuple[str, ...]
    """A verifier error must name one of these: an attribute, an operand or its shape."""
    arrays: list[np.ndarray]
    properties: dict[str, Attribute]


def attribute_variants(attr: Attribute) -> list[Attribute]:
    """Out-of-range and wrong-kind values in place of `attr`."""
    wrong_kind: Attribute = StringAttr("bogus")
    if isinstance(attr, StringAttr):
        return [StringAttr("bogus"), StringAttr(""), IntegerAttr(1, i64)]
    if isinstance(attr, IntegerAttr):
        v = attr.value.data
        if attr.type == IntegerType(1):  # a boolean
            return [IntegerAttr(0 if v else 1, attr.type), wrong_kind]
        values = dict.fromkeys(x for x in (-1, 0, v + 1, -v - 2, 7) if x != v)
        out = []
        for x in values:
            try:
                out.append(IntegerAttr(x, attr.type))
            except Exception:  # out of range for an unsigned or narrow type
                continue
        return [*out, wrong_kind]
    if isinstance(attr, FloatAttr):
        v = attr.value.data
        return [FloatAttr(x, attr.type) for x in (-1.0, 0.0, 1e30, -v) if x != v] + [wrong_kind]
    if isinstance(attr, DenseArrayBase):
        values = [int(x) for x in attr.get_values()]
        out: list[Attribute] = [DenseArrayBase.from_list(i64, [*values, 1])]
        if values:
            out.append(DenseArrayBase.from_list(i64, values[:-1]))
            out.append(DenseArrayBase.from_list(i64, [-1] * len(values)))
            out.append(DenseArrayBase.from_list(i64, [0] * len(values)))
        return [*out, wrong_kind]
    if isinstance(attr, ArrayAttr):
        items = list(attr.data)
        out = [ArrayAttr(items[:-1])] if items else []
        return [*out, ArrayAttr([*items, *items[:1]]), wrong_kind]
    return [wrong_kind]


def mutations(cls: type[NnvmOp], ex: Example) -> list[Mutation]:
    definition = cls.get_irdl_definition()
    props = dict(ex.properties)
    for name, prop in definition.properties.items():
        if name not in props and prop.default_value is not None:
            props[name] = prop.default_value
    found: list[Mutation] = []
    operand_names = [n for n, _ in definition.operands]
    # A conflict between an attribute and an operand may be named by either.
    named = (
        *props,
        *operand_names,
        "operand",
        "rank",
        *(format_shape(a.shape) for a in ex.operands),
    )
    for name, attr in sorted(props.items()):
        for variant in attribute_variants(attr):
            changed = {**props, name: variant}
            found.append(Mutation(f"attribute {name} = {variant}", named, ex.operands, changed))
    for i, a in enumerate(ex.operands):
        field = operand_names[min(i, len(operand_names) - 1)] if operand_names else "operand"
        shapes = [(*a.shape, 3), a.shape[:-1]] if a.ndim else [(2,)]
        if a.ndim:
            shapes.append((*a.shape[:-1], a.shape[-1] + 1))
        for shape in shapes:
            arrays = list(ex.operands)
            arrays[i] = np.resize(a, shape) if a.size else np.zeros(shape, a.dtype)
            what = f"operand #{i} ({field}) of shape {format_shape(shape)}"
            found.append(Mutation(what, (*named, format_shape(shape)), arrays, props))
    return found


def check_mutations(cls: type[NnvmOp], seeds: Iterable[int]) -> None:
    """Mutated valid examples are accepted, and then the semantics agree with the rules, or
    rejected by the verifier with an error naming the attribute or operand. Any other
    exception from a rule or the verifier is a bug."""
    for seed in seeds:
        ex = make_example(cls, seed)
        for m in mutations(cls, ex):
            where = f"{cls.name}, example seed {seed} ({describe(ex)}) with {m.what}"
            block = Block(arg_types=operand_types(m.arrays))
            unknown = [tensor_type(None, None)] * ex.num_results
            op = cls.create(operands=block.args, result_types=unknown, properties=m.properties)
            block.add_op(op)
            try:
                op.verify()
            except VerifyException as e:
                message = str(e)
                if not any(n in message for n in m.names):  # full text below
                    raise CheckFailed(
                        f"{where}: the verifier's error names none of {', '.join(m.names)}: "
                        f"{message}"
                    ) from None
                continue
            except Exception as e:
                raise CheckFailed(f"{where}: the verifier raised {type(e).__name__}: {e}") from None
            try:
                mutated = Example(m.arrays, m.properties, ex.num_results)
                typed = build_on(cls, operand_types(m.arrays), mutated)
            except ShapeError as e:
                raise CheckFailed(f"{where}: verified, but build() refuses it: {e}") from None
            sizes = [shape_of(r.type) for r in typed.results]
            if any(s is None or None in s or np.prod(s) > MAX_RESULT_ELEMENTS for s in sizes):
                continue
            try:
                values = run_reference(typed, m.arrays)
            except Exception as e:
                raise CheckFailed(
                    f"{where}: the verifier accepts it but the semantics raise "
                    f"{type(e).__name__}: {e}"
                ) from None
            agree(typed, values, where)


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[type[NnvmOp]], None]


def checks(seeds: int = 10) -> list[Check]:
    """Every generic check, with `seeds` examples each (fewer for the costly ones)."""
    few = range(max(1, seeds // 4))
    return [
        Check(
            "rules agree with the semantics", lambda c: check_rules_vs_semantics(c, range(seeds))
        ),
        Check("less-known operands agree", lambda c: check_less_known_operands(c, few)),
        Check("examples vary with the seed", lambda c: check_examples_vary(c, range(seeds))),
        Check("semantics are pure", lambda c: check_semantics_are_pure(c, few)),
        Check("custom and generic forms round-trip", lambda c: check_round_trip(c, few)),
        Check("every declared dtype runs", lambda c: check_dtypes(c)),
        Check("mutations are accepted and run, or named", lambda c: check_mutations(c, few)),
    ]


def check_op(cls: type[NnvmOp], seeds: int = 10) -> None:
    """Run every generic check on `cls`; a pytest helper for plugin authors:

    def test_my_op():
        check_op(MyOp)
    """
    missing = [f.name for f in (example, reference, shape_rule) if f.lookup(cls) is None]
    if missing:
        raise CheckFailed(f"{cls.name} has no {', '.join(missing)}")
    for check in checks(seeds):
        check.run(cls)


def report(ops: list[type[NnvmOp]], seeds: int = 10) -> tuple[str, bool]:
    """`nnvm-opt --check-ops`: one line per op and check, and whether all passed."""
    lines: list[str] = []
    ok = True
    for cls in ops:
        missing = [f.name for f in (example, reference, shape_rule) if f.lookup(cls) is None]
        if missing:
            lines.append(f"FAIL {cls.name}: has no {', '.join(missing)}")
            ok = False
            continue
        for check in checks(seeds):
            try:
                check.run(cls)
            except Exception as e:  # CheckFailed, or a rule or example that crashed
                ok = False
                text = str(e) if isinstance(e, CheckFailed) else f"{type(e).__name__}: {e}"
                lines.append(f"FAIL {cls.name}: {check.name}: {text}")
            else:
                lines.append(f"ok   {cls.name}: {check.name}")
    verdict = "all passed" if ok else "FAILED"
    lines.append(f"{len(ops)} op{'s' if len(ops) != 1 else ''} checked: {verdict}")
    return "\n".join(lines), ok
