"""Einsum decomposed into existing ops: diagonals by `nnvm.take` on merged axes, labels that
no one else needs by `nnvm.sum`, each pair of operands by one `nnvm.batch_matmul` between
transposes and reshapes, and the output order by `nnvm.transpose`."""

import string

import numpy as np

from nnvm_dialect.frontend.onnx import (
    BadModel,
    Importer,
    Node,
    Unsupported,
    Value,
)
from nnvm_dialect.frontend.onnx_converters.common import converts, reshape, transpose, x

# Labels standing for the dims under "...": upper-case letters, which equations may also use,
# so they are taken from those the equation leaves free.
_SPARE = string.ascii_uppercase + string.ascii_lowercase


def parse(equation: str, ranks: list[int]) -> tuple[list[str], str]:
    """Each operand's labels and the output's, "..." replaced by labels of its own."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise BadModel(f"equation '{equation}' has {len(terms)} operands, the node {len(ranks)}")
    spare = [c for c in _SPARE if c not in eq]
    dots = 0
    for term, rank in zip(terms, ranks):
        if "..." in term:
            dots = max(dots, rank - len(term.replace("...", "")))
    fill = "".join(spare[:dots])
    labels = []
    for term, rank in zip(terms, ranks):
        if term.count("...") > 1 or "." in term.replace("...", ""):
            raise BadModel(f"equation '{equation}' has a malformed ellipsis")
        if "..." in term:
            n = rank - len(term.replace("...", ""))
            term = term.replace("...", fill[dots - n :] if n else "")
        if not all(c.isalpha() for c in term) or len(term) != rank:
            raise BadModel(f"equation term '{term}' does not fit an operand of rank {rank}")
        labels.append(term)
    if arrow:
        out = out.replace("...", fill)
        if not all(c.isalpha() for c in out) or len(set(out)) != len(out):
            raise BadModel(f"equation '{equation}' has a malformed output")
    else:
        counts = "".join(labels)
        out = fill + "".join(sorted(c for c in set(counts) - set(fill) if counts.count(c) == 1))
    return labels, out


def _diagonal(im: Importer, v: Value, labels: str, dims: dict[str, int]) -> tuple[Value, str]:
    """Repeated labels in one operand collapse to their diagonal."""
    while len(set(labels)) != len(labels):
        c = next(c for c in labels if labels.count(c) > 1)
        first, second = [i for i, d in enumerate(labels) if d == c][:2]
        rest = [i for i in range(len(labels)) if i not in (first, second)]
        v = transpose(im, v, [*rest, first, second])
        n = dims[c]
        v = reshape(im, v, [dims[labels[i]] for i in rest] + [n * n])
        index = np.arange(n, dtype=np.int64) * (n + 1)
        v = im.emit1("nnvm.take", [v, index], {"axis": len(rest)})
        labels = "".join(labels[i] for i in rest) + c
    return v, labels


def _sum_out(im: Importer, v: Value, labels: str, keep: set[str]) -> tuple[Value, str]:
    gone = [i for i, c in enumerate(labels) if c not in keep]
    if not gone:
        return v, labels
    v = im.emit1("nnvm.sum", [v], {"axis": gone, "keepdims": False})
    return v, "".join(c for c in labels if c in keep)


def _order(im: Importer, v: Value, labels: str, want: str) -> Value:
    if labels == want:
        return v
    return transpose(im, v, [labels.index(c) for c in want])


def _pair(im: Importer, a: Value, la: str, b: Value, lb: str, keep: set[str],
          dims: dict[str, int]) -> tuple[Value, str]:  # fmt: skip
    """a and b contracted over their shared labels that `keep` lacks."""
    batch = [c for c in la if c in lb and c in keep]
    inner = [c for c in la if c in lb and c not in keep]
    left = [c for c in la if c not in lb]
    right = [c for c in lb if c not in la]

    def size(cs: list[str]) -> int:
        return int(np.prod([dims[c] for c in cs], dtype=np.int64))

    a = reshape(im, _order(im, a, la, "".join(batch + left + inner)),
                [size(batch), size(left), size(inner)])  # fmt: skip
    b = reshape(im, _order(im, b, lb, "".join(batch + right + inner)),
                [size(batch), size(right), size(inner)])  # fmt: skip
    product = im.emit1("nnvm.batch_matmul", [a, b], {"transpose_b": True})
    out = batch + left + right
    return reshape(im, product, [dims[c] for c in out]), "".join(out)


@converts("Einsum")
def _einsum(im: Importer, node: Node) -> list[Value]:
    equation = node.attr("equation")
    if not isinstance(equation, str):
        raise BadModel("the equation attribute is required")
    operands = [x(im, node, i) for i in range(len(node.inputs))]
    shapes = [im.static_shape(v, "Einsum's operand") for v in operands]
    labels, out = parse(equation, [len(s) for s in shapes])
    dims: dict[str, int] = {}
    for term, shape in zip(labels, shapes):
        for c, d in zip(term, shape):
            if dims.setdefault(c, d) != d:
                raise Unsupported(
                    f"equation '{equation}': label '{c}' has sizes {dims[c]} and {d} "
                    "(broadcasting in Einsum)"
                )
    if any(c not in dims for c in out):
        raise BadModel(f"equation '{equation}': an output label is in no operand")
    values: list[tuple[Value, str]] = []
    for i, (v, term) in enumerate(zip(operands, labels)):
        v, term = _diagonal(im, v, term, dims)
        later = set(out).union(*labels[:i], *labels[i + 1 :])
        values.append(_sum_out(im, v, term, later))
    v, term = values[0]
    for i, (w, wterm) in enumerate(values[1:], start=1):
        keep = set(out).union(*labels[i + 1 :])
        v, term = _pair(im, v, term, w, wterm, keep, dims)
        v, term = _sum_out(im, v, term, keep)
    v, term = _sum_out(im, v, term, set(out))
    v = _order(im, v, term, out)
    if v is operands[0]:
        v = im.emit1("nnvm.copy", [v])
    return [v]
