"""`gradient`: build the backward function of a function (NNVM's Gradient pass), reverse mode.

`-p 'gradient{func="f" wrt="w1,w2" output=0}'` adds `@f_grad` to the module. It takes the
arguments of `@f` followed by one head gradient per differentiated output (dL/d output, e.g. ones
for a scalar loss), recomputes the forward ops, then returns dL/d argument for each argument in
`wrt` (with keep-outputs=true, the forward outputs come first). It is a vector-Jacobian product,
so a loss computed outside the function just passes its own head gradient.

Each op's rule is its `gradient` fact (NNVM's FGradient), registered next to the ops in
`ops/gradients.py` and from plugins:

    rule(b: GradBuilder, op: Operation, output_grads: list[SSAValue | None])
        -> list[SSAValue | None]

`op` is the forward op in the backward function (its operands and results are the forward
values there); `output_grads` has one entry per result, None where no gradient reaches that
result (zero); the rule returns one entry per operand, None for an operand it does not
differentiate (zero gradient, or not a float). The rule emits ops with `b.emit(OpClass,
operands, props)`, which computes result types by the op's rules. Gradients reaching one value
from several readers are summed. An op between the arguments and the output without a rule is an
error at the op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FloatAttr, FunctionType, ModuleOp, StringAttr
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from nnvm_dialect.diagnostics import OpError
from nnvm_dialect.dtypes import to_numpy
from nnvm_dialect.facts import ShapeError, gradient
from nnvm_dialect.ops.base import NnvmOp, build, dtype_of, format_shape, refine_shape, shape_of
from nnvm_dialect.transforms.plan_memory import drop_plan


class GradBuilder:
    """What a gradient rule emits ops with: each op goes before the backward function's return."""

    def __init__(self, before: Operation):
        self.before = before
        self.current: Operation | None = None

    def emit(
        self,
        cls: type[NnvmOp],
        operands: Sequence[SSAValue],
        properties: dict[str, Attribute] | None = None,
        num_results: int = 1,
    ) -> NnvmOp:
        """A new `cls` op on `operands`, typed by its rules, inserted into the backward function."""
        try:
            op = build(cls, operands, properties, num_results)
        except ShapeError as e:
            where = self.current or self.before
            raise OpError(where, f"its gradient rule built an invalid {cls.name}: {e}") from None
        if self.current is not None:
            op.location = self.current.location
        Rewriter.insert_op(op, InsertPoint.before(self.before))
        return op

    def value(self, cls: type[NnvmOp], *operands: SSAValue, **props: Attribute) -> SSAValue:
        """The single result of `emit(cls, operands, props)`."""
        return self.emit(cls, operands, props).results[0]

    # Elementwise helpers, the vocabulary of most rules.
    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        from nnvm_dialect.ops.elemwise import ElemwiseAddOp

        return self.value(ElemwiseAddOp, a, b)

    def mul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        from nnvm_dialect.ops.elemwise import ElemwiseMulOp

        return self.value(ElemwiseMulOp, a, b)

    def scale(self, a: SSAValue, factor: float) -> SSAValue:
        from nnvm_dialect.ops.scalar import MulScalarOp

        return self.value(MulScalarOp, a, scalar=FloatAttr(float(factor), 64))

    def zeros_like(self, a: SSAValue) -> SSAValue:
        from nnvm_dialect.ops.init import ZerosLikeOp

        return self.value(ZerosLikeOp, a)

    def accumulate(self, grads: list[SSAValue]) -> SSAValue | None:
        """The sum of the gradients reaching one value (NNVM's default aggregation)."""
        total = grads[0] if grads else None
        for g in grads[1:]:
            total = self.add(total, g)  # type: ignore[arg-type]
        return total


def argument_index(fn: func.FuncOp, spec: str) -> int:
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(fn.args)]
    if spec.lstrip("%") in names:
        return names.index(spec.lstrip("%"))
    if spec.isdigit() and int(spec) < len(names):
        return int(spec)
    raise OpError(
        fn, f"has no argument '{spec}' to differentiate (arguments: {', '.join(names) or 'none'})"
    )


def float_arguments(fn: func.FuncOp) -> list[int]:
    found = []
    for i, a in enumerate(fn.args):
        dtype = dtype_of(a.type)
        if dtype is not None and to_numpy(dtype).kind == "f":
            found.append(i)
    return found


def relevant_ops(block: Block, wrt: list[SSAValue], outputs: list[SSAValue]) -> set[Operation]:
    """Ops on a path from an argument in `wrt` to an output: the only ones differentiated."""
    ops = [op for op in block.ops if not isinstance(op, func.ReturnOp)]
    reached = set(wrt)
    forward: set[Operation] = set()
    for op in ops:
        if any(v in reached for v in op.operands):
            forward.add(op)
            reached.update(op.results)
    needed = set(outputs)
    both: set[Operation] = set()
    for op in reversed(ops):
        if any(r in needed for r in op.results):
            needed.update(op.operands)
            if op in forward:
                both.add(op)
    return both


def differentiate(
    fn: func.FuncOp, wrt: Sequence[str], outputs: Sequence[int], keep_outputs: bool, name: str
) -> func.FuncOp:
    grad_fn = fn.clone()
    grad_fn.sym_name = StringAttr(name)
    drop_plan(grad_fn)  # the backward function is a new function: plan it anew
    block = grad_fn.body.blocks[0]
    ret = block.last_op
    if not isinstance(ret, func.ReturnOp):
        raise OpError(fn, "has no func.return to differentiate")
    selected = list(outputs) or list(range(len(ret.operands)))
    for k in selected:
        if not 0 <= k < len(ret.operands):
            raise OpError(fn, f"has no output #{k} (it has {len(ret.operands)})")
    xs_index = [argument_index(fn, s) for s in wrt] if wrt else float_arguments(fn)
    xs = [block.args[i] for i in xs_index]
    ys = [ret.operands[k] for k in selected]

    grads: dict[SSAValue, list[SSAValue]] = {}
    for k, y in zip(selected, ys):
        head = block.insert_arg(y.type, len(block.args))
        head.name_hint = f"d_output{k}" if len(ret.operands) > 1 else "d_output"
        grads.setdefault(y, []).append(head)

    b = GradBuilder(ret)
    relevant = relevant_ops(block, xs, ys)
    for op in reversed([op for op in block.ops if op in relevant]):
        b.current = op
        out_grads = [b.accumulate(grads.get(r, [])) for r in op.results]
        if all(g is None for g in out_grads):
            continue
        rule = gradient.lookup(op)
        if rule is None:
            raise OpError(
                op,
                "has no gradient rule (register one with the `gradient` fact), and it lies "
                "between the differentiated arguments and the output",
            )
        in_grads = list(rule(b, op, out_grads))
        if len(in_grads) != len(op.operands):
            raise OpError(
                op,
                f"its gradient rule gave {len(in_grads)} gradients for {len(op.operands)} operands",
            )
        for i, (x, g) in enumerate(zip(op.operands, in_grads)):
            if g is None:
                continue
            try:
                refine_shape(shape_of(x.type), shape_of(g.type))
            except ShapeError:
                raise OpError(
                    op,
                    f"its gradient rule gave shape {format_shape(shape_of(g.type))} for "
                    f"operand #{i} of shape {format_shape(shape_of(x.type))}",
                ) from None
            grads.setdefault(x, []).append(g)
        b.current = None

    results: list[SSAValue] = list(ret.operands) if keep_outputs else []
    for x in xs:
        g = b.accumulate(grads.get(x, []))
        results.append(g if g is not None else b.zeros_like(x))
    Rewriter.replace_op(ret, func.ReturnOp(*results))
    grad_fn.function_type = FunctionType.from_lists(
        [a.type for a in block.args], [v.type for v in results]
    )
    return grad_fn


@dataclass(frozen=True)
class Gradient(ModulePass):
    """Add @<func>_grad, the backward function of a function (Gradient): its arguments, then one
    head gradient per output; returns d output / d each `wrt` argument (reverse mode)."""

    name = "gradient"

    func: str = ""
    """The function to differentiate; default: the first with a body."""
    wrt: tuple[str, ...] = ()
    """Argument names (or indices) to differentiate by; default: every float argument."""
    output: tuple[int, ...] = ()
    """Indices of the outputs to differentiate; default: all."""
    keep_outputs: bool = False
    """Return the forward outputs before the gradients (a loss and its gradients in one call)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = [f for f in op.ops if isinstance(f, func.FuncOp) and f.body.blocks]
        chosen = [f for f in functions if not self.func or f.sym_name.data == self.func]
        if not chosen:
            names = ", ".join(f"@{f.sym_name.data}" for f in functions) or "none"
            raise OpError(op, f"has no function '@{self.func}' to differentiate (has {names})")
        fn = chosen[0]
        grad = differentiate(
            fn, self.wrt, self.output, self.keep_outputs, f"{fn.sym_name.data}_grad"
        )
        Rewriter.insert_op(grad, InsertPoint.after(fn))
