"""CPU lowering of `nnvm.fused`: a fused group becomes one loop nest per output, no buffers inside.

Elementwise, broadcast and injective ops of the group (`PerElement`) that no loop nest needs as a
buffer are inlined: their value is computed where a consumer reads it, so a chain of them is a
single loop. A group master that is a `LoopNest` (dense, conv2d, pooling, softmax) gets the
group's output as its epilogue: each element it finishes goes through the inlined ops after it
and is stored once, in the group's output (which also serves as its accumulator when the
element types agree). Anything else (a value two outputs need, a loop nest feeding another)
gets a scratch buffer in the arena, which is always correct.
"""

from __future__ import annotations

from xdsl.ir import Operation, SSAValue

from nnvm_dialect.facts import lowering
from nnvm_dialect.lowering.emitter import Buffer
from nnvm_dialect.lowering.nnvm_to_loops import (
    LoopNest,
    Lowering,
    PerElement,
    flat_ok,
    lower_op,
    lowering_of,
    tensor_dtype,
    tensor_shape,
)
from nnvm_dialect.ops.fused import FusedOp


def depends_on(value: SSAValue, target: SSAValue, inline: set[SSAValue], root: bool = True) -> bool:
    """Whether computing `value` element by element (through inlined ops) reads `target`."""
    if value == target:
        return True
    op = value.owner
    if not isinstance(op, Operation) or not isinstance(lowering.lookup(op), PerElement):
        return False
    if not root and value not in inline:
        return False
    return any(depends_on(v, target, inline, False) for v in op.operands)


def tree_flat(value: SSAValue, shape: tuple[int, ...], inline: set[SSAValue]) -> bool:
    """Whether the inlined expression of `value` can be computed from a linear index."""
    if value not in inline:
        return True
    op = value.owner
    assert isinstance(op, Operation)
    return flat_ok(op, shape) and all(tree_flat(v, shape, inline) for v in op.operands)


def lower_fused(em: Lowering, fused: Operation) -> None:
    assert isinstance(fused, FusedOp)
    block = fused.block
    body = list(block.ops)[:-1]
    yielded = list(block.last_op.operands)  # type: ignore[union-attr]
    for arg, value in zip(block.args, fused.operands):
        em.buffers[arg] = em.buffers[value]
    for op in body:
        lowering_of(op)  # refuse an op without a lowering, naming it
    output: dict[SSAValue, Buffer] = {}
    for v, res in zip(yielded, fused.results):
        output.setdefault(v, em.buffers[res])

    needs_buffer = {
        v for op in body if isinstance(lowering.lookup(op), LoopNest) for v in op.operands
    }
    inline = {
        res
        for op in body
        if isinstance(lowering.lookup(op), PerElement)
        for res in op.results
        if res not in output and res not in needs_buffer
    }
    em.inline |= inline

    # A loop nest whose result only inlined ops read becomes the epilogue of the one output
    # of its shape computed from it.
    for op in body:
        if not isinstance(lowering.lookup(op), LoopNest) or len(op.results) != 1:
            continue
        res = op.results[0]
        if res in output or res in needs_buffer:
            continue
        users = [v for v in yielded if depends_on(v, res, inline)]
        if len(set(users)) == 1 and tensor_shape(users[0]) == tensor_shape(res):
            em.epilogue[res] = users[0]
            final = output[users[0]]
            same = tensor_dtype(users[0]) == tensor_dtype(res)
            em.buffers[res] = final if same else em.scratch(final.shape, tensor_dtype(res))
            inline.discard(users[0])

    for op in body:
        for res in op.results:
            if res in em.buffers or res in inline:
                continue
            if res in output:
                em.buffers[res] = output[res]
            else:
                em.buffers[res] = em.scratch(tensor_shape(res), tensor_dtype(res))

    done = set(em.epilogue.values())
    for op in body:
        if all(r in inline for r in op.results):
            continue
        if any(r in done for r in op.results):
            continue  # computed in a master's epilogue
        rule = lowering_of(op)
        if isinstance(rule, PerElement):
            for r, res in enumerate(op.results):
                shape = tensor_shape(res)
                flat = flat_ok(op, shape) and all(tree_flat(v, shape, inline) for v in op.operands)
                size = em.buffers[res].size

                def body_fn(
                    idx: list, op: Operation = op, r: int = r, rule: PerElement = rule
                ) -> None:
                    em.result(op, r, idx, rule.value(em, op, r, idx))

                em.nest((size,) if flat else shape, body_fn)
        else:
            lower_op(em, op)

    for v, res in zip(yielded, fused.results):
        if output[v] is not em.buffers[res]:  # one value yielded twice
            src, dst = output[v], em.buffers[res]
            em.nest((src.size,), lambda idx, s=src, d=dst: em.store(em.load(s, idx), d, idx))


lowering.register(FusedOp)(LoopNest(lower_fused))
