"""Matrix products: NNVM's matmul (a tensordot over one axis) and TVM's batch_matmul."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import BoolAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from nnvm_dialect.facts import (
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
)
from nnvm_dialect.ops.base import AnyTensor, NnvmOp, format_shape
from nnvm_dialect.ops.elemwise import NUMBER_DTYPES, random_array
from nnvm_dialect.ops.nn import FALSE, TRUE, accumulator, check_rank
from nnvm_dialect.ops.transform import _int, _pick


def _dims_agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


@irdl_op_definition
class MatmulOp(NnvmOp):
    """NNVM's matmul: a 1-D operand counts as (1, n); transpose_a/transpose_b reverse *all*
    axes of that operand; then lhs's last axis is contracted with rhs's first, so the result
    has shape lhs[:-1] ++ rhs[1:] (numpy's tensordot with axes=1, not numpy's matmul)."""

    name = "nnvm.matmul"
    lhs = operand_def(AnyTensor)
    rhs = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    transpose_a = prop_def(BoolAttr, default_value=FALSE)
    transpose_b = prop_def(BoolAttr, default_value=FALSE)

    def operand_shapes(self, lhs: Sequence, rhs: Sequence) -> tuple[tuple, tuple]:
        lhs, rhs = tuple(lhs), tuple(rhs)
        if len(lhs) == 0 or len(rhs) == 0:
            raise ShapeError("operands must have rank >= 1")
        lhs = (1, *lhs) if len(lhs) == 1 else lhs
        rhs = (1, *rhs) if len(rhs) == 1 else rhs
        if self.bool_attr("transpose_a"):
            lhs = lhs[::-1]
        if self.bool_attr("transpose_b"):
            rhs = rhs[::-1]
        return lhs, rhs


@shape_rule.register(MatmulOp)
def _matmul_shape(op: MatmulOp, shapes: Sequence[Shape]) -> list[Shape]:
    if shapes[0] is None or shapes[1] is None:
        return [None]
    lhs, rhs = op.operand_shapes(shapes[0], shapes[1])
    if not _dims_agree(lhs[-1], rhs[0]):
        raise ShapeError(
            f"lhs contracts {lhs[-1]} elements but rhs {rhs[0]} (shapes {format_shape(shapes[0])} "
            f"and {format_shape(shapes[1])}, as used {format_shape(lhs)} and {format_shape(rhs)})"
        )
    return [(*lhs[:-1], *rhs[1:])]


@reference.register(MatmulOp)
def _matmul(op: MatmulOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a.reshape(1, -1) if a.ndim == 1 else a
    b = b.reshape(1, -1) if b.ndim == 1 else b
    a = a.transpose() if op.bool_attr("transpose_a") else a
    b = b.transpose() if op.bool_attr("transpose_b") else b
    acc = accumulator(a.dtype)
    return np.tensordot(a.astype(acc), b.astype(acc), axes=1).astype(a.dtype)


@irdl_op_definition
class BatchMatmulOp(NnvmOp):
    """Per batch, x . y on rank-3 operands (TVM's batch_matmul). x is (B, M, K), or (B, K, M)
    with transpose_a; y is (B, N, K) with transpose_b (the default, as in TVM) or (B, K, N)
    without. A batch of 1 broadcasts. The result is (B, M, N)."""

    name = "nnvm.batch_matmul"
    x = operand_def(AnyTensor)
    y = operand_def(AnyTensor)
    out = result_def(AnyTensor)
    transpose_a = prop_def(BoolAttr, default_value=FALSE)
    transpose_b = prop_def(BoolAttr, default_value=TRUE)


@shape_rule.register(BatchMatmulOp)
def _batch_matmul_shape(op: BatchMatmulOp, shapes: Sequence[Shape]) -> list[Shape]:
    x, y = shapes
    check_rank("x", x, 3)
    check_rank("y", y, 3)
    if x is None or y is None:
        return [(None, None, None)]
    bx, m, kx = (x[0], x[2], x[1]) if op.bool_attr("transpose_a") else x
    by, ky, n = (y[0], y[2], y[1]) if op.bool_attr("transpose_b") else y
    if not _dims_agree(kx, ky):
        raise ShapeError(
            f"x contracts {kx} elements but y {ky} (shapes {format_shape(x)} and "
            f"{format_shape(y)}; transpose_b = {str(op.bool_attr('transpose_b')).lower()})"
        )
    if not (_dims_agree(bx, by) or 1 in (bx, by)):
        shown = f"{format_shape(x)}, {format_shape(y)}"
        raise ShapeError(f"batch sizes {bx} and {by} differ (shapes {shown})")
    batch = by if bx == 1 else bx if by == 1 else bx if bx is not None else by
    return [(batch, m, n)]


@reference.register(BatchMatmulOp)
def _batch_matmul(op: BatchMatmulOp, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    acc = accumulator(x.dtype)
    x = x.transpose(0, 2, 1) if op.bool_attr("transpose_a") else x
    y = y.transpose(0, 2, 1) if op.bool_attr("transpose_b") else y
    return np.matmul(x.astype(acc), y.astype(acc)).astype(x.dtype)


MATMUL_OPS = [MatmulOp, BatchMatmulOp]
pattern_kind.register(*MATMUL_OPS)(OpPattern.OUT_ELEMWISE_FUSABLE)
dtypes.register(*MATMUL_OPS)(NUMBER_DTYPES)
onnx_equivalent.register(MatmulOp)("MatMul (rank 2; Transpose and Reshape around it otherwise)")
onnx_equivalent.register(BatchMatmulOp)("MatMul (with Transpose of y for transpose_b)")


@example.register(MatmulOp)
def _matmul_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, NUMBER_DTYPES)
    ta, tb = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    k = _int(rng, 1, 5)
    # Shapes as the contraction sees them; stored reversed where transposed.
    lhs = [_int(rng, 1, 4) for _ in range(_int(rng, 1, 2))] + [k]
    rhs = [k] + [_int(rng, 1, 4) for _ in range(_int(rng, 1, 2))]
    a = random_array(rng, lhs, dtype)
    b = random_array(rng, rhs, dtype)
    a = a.transpose().copy() if ta else a
    b = b.transpose().copy() if tb else b
    if rng.integers(0, 4) == 0:  # a 1-D lhs counts as (1, k)
        a, ta = random_array(rng, [k], dtype), False
    elif rng.integers(0, 4) == 0:  # a 1-D rhs counts as (1, k), transposed to (k, 1)
        b, tb = random_array(rng, [k], dtype), True
    props = {"transpose_a": TRUE if ta else FALSE, "transpose_b": TRUE if tb else FALSE}
    return Example([a, b], props)


@example.register(BatchMatmulOp)
def _batch_matmul_example(rng: np.random.Generator) -> Example:
    dtype = _pick(rng, NUMBER_DTYPES)
    b, m, n, k = (_int(rng, 1, 4) for _ in range(4))
    ta, tb = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    bx, by = (1, b) if rng.integers(0, 4) == 0 else (b, b)
    x = random_array(rng, (bx, k, m) if ta else (bx, m, k), dtype)
    y = random_array(rng, (by, n, k) if tb else (by, k, n), dtype)
    props = {"transpose_a": TRUE if ta else FALSE, "transpose_b": TRUE if tb else FALSE}
    return Example([x, y], props)
