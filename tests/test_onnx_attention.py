"""Attention, RotaryEmbedding and import-time folding, checked against onnxruntime where it
runs the op and onnx's ReferenceEvaluator where it does not (rtol 1e-4, atol 1e-5 in float32)."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

from nnvm_dialect.compiler import compile
from nnvm_dialect.frontend import FrontendError
from nnvm_dialect.frontend.onnx import import_onnx

F = TensorProto.FLOAT


def _model(nodes, inputs, outputs, opset, initializers=()):
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        initializer=list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    return onnx.shape_inference.infer_shapes(model)


def _expected(model, feeds):
    try:
        import onnxruntime as ort

        session = ort.InferenceSession(model.SerializeToString())
        return session.run(None, feeds)
    except Exception:  # onnxruntime lacks the op or this opset: onnx's reference
        return ReferenceEvaluator(model).run(None, feeds)


def _check(model, feeds):
    got = compile(import_onnx(model), "reference").run(*feeds.values())
    for g, w in zip(got, _expected(model, feeds)):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-4, atol=1e-5)


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize(
    "attrs, mask",
    [
        ({"is_causal": 1}, None),
        ({"softcap": 2.0, "qk_matmul_output_mode": 3}, "bool"),
        ({"scale": 0.3, "qk_matmul_output_mode": 2}, "float"),
    ],
)
def test_attention_4d_grouped_heads_with_cache(attrs, mask):
    """4 query heads over 2 KV heads, a past cache, a mask shorter than the keys."""
    b, hq, hkv, q, kv, past, d = 2, 4, 2, 3, 5, 2, 8
    feeds = {
        "Q": _rand(b, hq, q, d, seed=1),
        "K": _rand(b, hkv, kv, d, seed=2),
        "V": _rand(b, hkv, kv, d, seed=3),
    }
    inputs = [(n, F, list(v.shape)) for n, v in feeds.items()]
    names = ["Q", "K", "V", ""]
    if mask is not None:
        rng = np.random.default_rng(4)
        m = rng.random((q, kv + past - 1)) > 0.3
        m[:, 0] = True
        feeds["attn_mask"] = m if mask == "bool" else np.where(m, 0.5, -np.inf).astype(np.float32)
        kind = TensorProto.BOOL if mask == "bool" else F
        inputs.append(("attn_mask", kind, [q, kv + past - 1]))
        names[3] = "attn_mask"
    feeds["past_key"] = _rand(b, hkv, past, d, seed=5)
    feeds["past_value"] = _rand(b, hkv, past, d, seed=6)
    inputs += [("past_key", F, [b, hkv, past, d]), ("past_value", F, [b, hkv, past, d])]
    names += ["past_key", "past_value"]
    outs = ["Y", "present_key", "present_value", "qk"]
    node = helper.make_node("Attention", names, outs, **attrs)
    model = _model([node], inputs, [(o, F, None) for o in outs], 23)
    _check(model, feeds)


def test_attention_3d_fully_masked_row_is_zero():
    """A query row whose mask hides every key gives 0, not NaN."""
    feeds = {"Q": _rand(1, 2, 8), "K": _rand(1, 3, 8, seed=1), "V": _rand(1, 3, 8, seed=2)}
    feeds["attn_mask"] = np.array([[True, False, True], [False, False, False]])
    inputs = [(n, F, list(v.shape)) for n, v in feeds.items() if n != "attn_mask"]
    inputs.append(("attn_mask", TensorProto.BOOL, [2, 3]))
    node = helper.make_node("Attention", list(feeds), ["Y"], q_num_heads=2, kv_num_heads=2)
    model = _model([node], inputs, [("Y", F, None)], 23)
    got = np.asarray(compile(import_onnx(model), "reference").run(*feeds.values())[0])
    assert not np.isnan(got).any()
    np.testing.assert_array_equal(got[0, 1], 0)
    _check(model, feeds)


@pytest.mark.parametrize("interleaved, dim", [(0, 0), (1, 4)])
def test_rotary_embedding(interleaved, dim):
    feeds = {
        "x": _rand(2, 3, 4, 8),
        "cos": _rand(10, (dim or 8) // 2, seed=1),
        "sin": _rand(10, (dim or 8) // 2, seed=2),
        "pos": np.array([[0, 3, 9, 1], [2, 2, 5, 7]], np.int64),
    }
    inputs = [(n, F, list(v.shape)) for n, v in feeds.items() if n != "pos"]
    inputs.append(("pos", TensorProto.INT64, [2, 4]))
    attrs = {"interleaved": interleaved, "rotary_embedding_dim": dim}
    node = helper.make_node("RotaryEmbedding", list(feeds), ["y"], **attrs)
    _check(_model([node], inputs, [("y", F, None)], 23), feeds)


def test_constant_condition_inlines_its_branch_and_folds_range():
    """If on a condition known at import takes one branch; Range on known inputs folds."""
    one = helper.make_tensor("one", TensorProto.INT64, [], [1])
    cond = helper.make_node("Greater", ["n", "one"], ["c"])
    then = helper.make_graph(
        [helper.make_node("Range", ["zero", "n", "one"], ["r"])],
        "then",
        [],
        [helper.make_tensor_value_info("r", TensorProto.INT64, None)],
        initializer=[helper.make_tensor("zero", TensorProto.INT64, [], [0])],
    )
    other = helper.make_graph(
        [helper.make_node("Identity", ["n"], ["r2"])],
        "else",
        [],
        [helper.make_tensor_value_info("r2", TensorProto.INT64, None)],
    )
    branch = helper.make_node("If", ["c"], ["idx"], then_branch=then, else_branch=other)
    take = helper.make_node("Gather", ["x", "idx"], ["y"], axis=1)
    model = _model(
        [cond, branch, take],
        [("x", F, [2, 6])],
        [("y", F, [2, 4])],
        18,
        [one, helper.make_tensor("n", TensorProto.INT64, [], [4])],
    )
    feeds = {"x": _rand(2, 6)}
    _check(model, feeds)
    text = str(import_onnx(model))
    assert "nnvm.where" not in text and "If" not in text


def test_if_on_a_data_condition_names_it():
    cond = helper.make_tensor_value_info("c", TensorProto.BOOL, [])
    branch = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y1"])],
        "b",
        [],
        [helper.make_tensor_value_info("y1", F, None)],
    )
    node = helper.make_node("If", ["c"], ["y"], then_branch=branch, else_branch=branch)
    graph = helper.make_graph(
        [node], "g", [cond, helper.make_tensor_value_info("x", F, [2])],
        [helper.make_tensor_value_info("y", F, [2])],
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    with pytest.raises(FrontendError) as e:
        import_onnx(model)
    assert "cond (input 0, 'c') must be a constant" in str(e.value)
    assert e.value.wanted_inputs == ["c"]
    module = import_onnx(model, input_values={"c": np.array(True)})
    x = _rand(2)
    np.testing.assert_array_equal(compile(module, "reference").run(x)[0], x)
