"""BitCast: the same bits as another element type of the same width."""

import numpy as np

from nnvm_dialect.frontend.onnx import Importer, Node, Unsupported, Value, type_name
from nnvm_dialect.frontend.onnx_converters.common import converts, x


@converts("BitCast")
def _bitcast(im: Importer, node: Node) -> list[Value]:
    from onnx import helper

    from nnvm_dialect.ops.reinterpret import BITCAST_DTYPES

    to = int(node.attr("to"))
    data = x(im, node)
    source = im.dtype(data)
    try:
        target = np.dtype(helper.tensor_dtype_to_np_dtype(to))
    except Exception:
        raise Unsupported(f"bitcast to {type_name(to)}") from None
    if target == np.bool_ or target not in BITCAST_DTYPES:
        raise Unsupported(f"bitcast to {type_name(to)}")
    if source is None or source not in BITCAST_DTYPES:
        raise Unsupported(f"bitcast from {source}")
    if source.itemsize != target.itemsize:
        raise Unsupported(f"bitcast from {source} to {target} (widths differ)")
    return [im.emit1("nnvm.bitcast", [data], {"dtype": target})]
