"""The CPU target against numpy and onnxruntime, one thread each, in one run.

    python benchmarks/cpu_vs_numpy.py [--repeat N] [--quick]

Cases: relu(a*b+c) over 16M f32, dense 512x512x512, a ResNet-50 3x3 conv layer (1x64x56x56, 64
filters, pad 1), an MLP 784-1024-1024-10 at batch 64, and the example CNN. Prints the median
time of each, the ratio to numpy (>1: slower than numpy) and the CPU target's compile seconds
(without the cache). Graphs are fused with `fuse-ops` first, as opt level 1 and above would.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from nnvm_dialect.compiler import compile  # noqa: E402
from nnvm_dialect.frontend.mlir import make_context, parse_mlir  # noqa: E402
from nnvm_dialect.transforms.fuse_ops import FuseOps  # noqa: E402
from nnvm_dialect.transforms.infer_shape import InferShape  # noqa: E402
from nnvm_dialect.transforms.infer_type import InferType  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def median_ms(f: Callable[[], object], repeat: int) -> float:
    f()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def cpu_model(text: str):  # type: ignore[no-untyped-def]
    ctx = make_context()
    module = parse_mlir(ctx, text, "<benchmark>")
    for p in (InferShape(), InferType(), FuseOps()):
        p.apply(ctx, module)
    t = time.perf_counter()
    model = compile(module, target="cpu", opt_level=2, cache=False)
    return model, time.perf_counter() - t


def ort_session(nodes, inputs, outputs, initializers=()):  # type: ignore[no-untyped-def]
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    def info(name: str, shape: tuple[int, ...]):  # type: ignore[no-untyped-def]
        return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))

    graph = helper.make_graph(
        nodes,
        "bench",
        [info(n, s) for n, s in inputs],
        [info(n, s) for n, s in outputs],
        list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(
        model.SerializeToString(), opts, providers=["CPUExecutionProvider"]
    ), onnx


def case_elementwise(rng: np.random.Generator, repeat: int) -> tuple:  # type: ignore[type-arg]
    n = 16 * 1024 * 1024
    a, b, c = (rng.standard_normal(n).astype(np.float32) for _ in range(3))
    t = f"tensor<{n}xf32>"
    model, secs = cpu_model(
        f"func.func @f(%a: {t}, %b: {t}, %c: {t}) -> {t} {{\n"
        f"  %m = nnvm.elemwise_mul %a, %b : ({t}, {t}) -> {t}\n"
        f"  %s = nnvm.elemwise_add %m, %c : ({t}, {t}) -> {t}\n"
        f"  %r = nnvm.relu %s : ({t}) -> {t}\n"
        f"  func.return %r : {t}\n}}\n"
    )
    out = np.empty_like(a)

    def numpy_run() -> None:
        np.multiply(a, b, out=out)
        np.add(out, c, out=out)
        np.maximum(out, 0, out=out)

    from onnx import helper

    sess, _ = ort_session(
        [
            helper.make_node("Mul", ["a", "b"], ["m"]),
            helper.make_node("Add", ["m", "c"], ["s"]),
            helper.make_node("Relu", ["s"], ["y"]),
        ],
        [("a", (n,)), ("b", (n,)), ("c", (n,))],
        [("y", (n,))],
    )
    feeds = {"a": a, "b": b, "c": c}
    np.testing.assert_allclose(model.run(a, b, c)[0], np.maximum(a * b + c, 0), 1e-5, 1e-6)
    return (
        "relu(a*b+c), 16M f32",
        median_ms(lambda: model.run(a, b, c), repeat),
        median_ms(numpy_run, repeat),
        median_ms(lambda: sess.run(None, feeds), repeat),
        secs,
    )


def case_dense(rng: np.random.Generator, repeat: int) -> tuple:  # type: ignore[type-arg]
    x = rng.standard_normal((512, 512)).astype(np.float32)
    w = rng.standard_normal((512, 512)).astype(np.float32)
    t = "tensor<512x512xf32>"
    model, secs = cpu_model(
        f"func.func @f(%x: {t}, %w: {t}) -> {t} {{\n"
        f"  %d = nnvm.dense %x, %w {{units = 512, use_bias = false}} : ({t}, {t}) -> {t}\n"
        f"  func.return %d : {t}\n}}\n"
    )
    from onnx import helper

    sess, _ = ort_session(
        [helper.make_node("Gemm", ["x", "w"], ["y"], transB=1)],
        [("x", (512, 512)), ("w", (512, 512))],
        [("y", (512, 512))],
    )
    np.testing.assert_allclose(model.run(x, w)[0], x @ w.T, 1e-3, 1e-3)
    return (
        "dense 512x512x512 f32",
        median_ms(lambda: model.run(x, w), repeat),
        median_ms(lambda: x @ w.T, repeat),
        median_ms(lambda: sess.run(None, {"x": x, "w": w}), repeat),
        secs,
    )


def numpy_conv(x: np.ndarray, w: np.ndarray, pad: int) -> np.ndarray:
    """im2col + one BLAS matmul, numpy's fastest plain route."""
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    kh, kw = w.shape[2:]
    cols = np.lib.stride_tricks.sliding_window_view(xp[0], (kh, kw), axis=(1, 2))
    cols = cols.transpose(0, 3, 4, 1, 2).reshape(x.shape[1] * kh * kw, -1)
    return (w.reshape(w.shape[0], -1) @ cols).reshape(1, w.shape[0], *cols.shape[1:2])


def case_conv(rng: np.random.Generator, repeat: int) -> tuple:  # type: ignore[type-arg]
    x = rng.standard_normal((1, 64, 56, 56)).astype(np.float32)
    w = rng.standard_normal((64, 64, 3, 3)).astype(np.float32) * 0.05
    tx, tw = "tensor<1x64x56x56xf32>", "tensor<64x64x3x3xf32>"
    model, secs = cpu_model(
        f"func.func @f(%x: {tx}, %w: {tw}) -> {tx} {{\n"
        f"  %c = nnvm.conv2d %x, %w {{channels = 64, kernel_size = array<i64: 3, 3>, "
        f"padding = array<i64: 1, 1>, use_bias = false}} : ({tx}, {tw}) -> {tx}\n"
        f"  func.return %c : {tx}\n}}\n"
    )
    from onnx import helper

    sess, _ = ort_session(
        [helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])],
        [("x", x.shape), ("w", w.shape)],
        [("y", x.shape)],
    )

    def numpy_run() -> np.ndarray:
        return numpy_conv(x, w, 1).reshape(x.shape)

    np.testing.assert_allclose(model.run(x, w)[0], numpy_run(), 1e-3, 1e-3)
    return (
        "conv 3x3 1x64x56x56, 64 filters",
        median_ms(lambda: model.run(x, w), repeat),
        median_ms(numpy_run, repeat),
        median_ms(lambda: sess.run(None, {"x": x, "w": w}), repeat),
        secs,
    )


def case_mlp(rng: np.random.Generator, repeat: int) -> tuple:  # type: ignore[type-arg]
    sizes = [784, 1024, 1024, 10]
    x = rng.standard_normal((64, 784)).astype(np.float32)
    ws = [
        (rng.standard_normal((o, i)) / np.sqrt(i)).astype(np.float32)
        for i, o in zip(sizes, sizes[1:])
    ]
    bs = [rng.standard_normal(o).astype(np.float32) for o in sizes[1:]]
    args = ", ".join(
        f"%w{k}: tensor<{o}x{i}xf32>, %b{k}: tensor<{o}xf32>"
        for k, (i, o) in enumerate(zip(sizes, sizes[1:]))
    )
    lines, prev = [], "%x"
    for k, (i, o) in enumerate(zip(sizes, sizes[1:])):
        t_in, t_out = f"tensor<64x{i}xf32>", f"tensor<64x{o}xf32>"
        lines.append(
            f"  %d{k} = nnvm.dense {prev}, %w{k}, %b{k} {{units = {o}}} : "
            f"({t_in}, tensor<{o}x{i}xf32>, tensor<{o}xf32>) -> {t_out}"
        )
        prev = f"%d{k}"
        if k < 2:
            lines.append(f"  %r{k} = nnvm.relu %d{k} : ({t_out}) -> {t_out}")
            prev = f"%r{k}"
    model, secs = cpu_model(
        f"func.func @mlp(%x: tensor<64x784xf32>, {args}) -> tensor<64x10xf32> {{\n"
        + "\n".join(lines)
        + f"\n  func.return {prev} : tensor<64x10xf32>\n}}\n"
    )
    params = [a for pair in zip(ws, bs) for a in pair]

    def numpy_run() -> np.ndarray:
        h = x
        for k, (w, b) in enumerate(zip(ws, bs)):
            h = h @ w.T + b
            if k < 2:
                h = np.maximum(h, 0)
        return h

    from onnx import helper, numpy_helper

    nodes, prev_name = [], "x"
    for k in range(3):
        nodes.append(helper.make_node("Gemm", [prev_name, f"w{k}", f"b{k}"], [f"d{k}"], transB=1))
        prev_name = f"d{k}"
        if k < 2:
            nodes.append(helper.make_node("Relu", [f"d{k}"], [f"r{k}"]))
            prev_name = f"r{k}"
    nodes.append(helper.make_node("Identity", [prev_name], ["y"]))
    inits = [
        numpy_helper.from_array(a, n)
        for k in range(3)
        for a, n in ((ws[k], f"w{k}"), (bs[k], f"b{k}"))
    ]
    sess, _ = ort_session(nodes, [("x", x.shape)], [("y", (64, 10))], inits)
    np.testing.assert_allclose(model.run(x, *params)[0], numpy_run(), 1e-3, 1e-3)
    return (
        "MLP 784-1024-1024-10, batch 64",
        median_ms(lambda: model.run(x, *params), repeat),
        median_ms(numpy_run, repeat),
        median_ms(lambda: sess.run(None, {"x": x}), repeat),
        secs,
    )


def case_cnn(rng: np.random.Generator, repeat: int) -> tuple:  # type: ignore[type-arg]
    text = (ROOT / "examples" / "cnn.mlir").read_text()
    model, secs = cpu_model(text)
    reference = compile(ROOT / "examples" / "cnn.mlir", target="reference")
    with np.load(ROOT / "examples" / "cnn_inputs.npz") as named:
        inputs = {k: named[k] for k in named.files}
    np.testing.assert_allclose(model.run(**inputs)[0], reference.run(**inputs)[0], 1e-4, 1e-5)
    return (
        "example CNN (examples/cnn.mlir)",
        median_ms(lambda: model.run(**inputs), repeat),
        median_ms(lambda: reference.run(**inputs), repeat),
        float("nan"),
        secs,
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    print(f"date {time.strftime('%Y-%m-%d')}, CPU {cpu_name()}, {platform.python_version()}")
    print(
        f"{'case':34} {'cpu ms':>9} {'numpy ms':>9} {'ort ms':>9} {'cpu/numpy':>9} "
        f"{'cpu/ort':>8} {'compile s':>9}"
    )
    for case in (case_elementwise, case_dense, case_conv, case_mlp, case_cnn):
        name, ours, numpy_ms, ort_ms, secs = case(rng, args.repeat)
        print(
            f"{name:34} {ours:9.3f} {numpy_ms:9.3f} {ort_ms:9.3f} {ours / numpy_ms:9.2f} "
            f"{ours / ort_ms:8.2f} {secs:9.2f}",
            flush=True,
        )
    print(
        "numpy for the CNN is the reference target (numpy semantics op by op); "
        "onnxruntime is not run on it."
    )
    cnn = ROOT / "examples" / "cnn.mlir"
    compile(cnn, target="cpu")  # fills the cache
    for where in ("memory", "disk"):
        if where == "disk":
            from nnvm_dialect.runtime.cpu import clear_memory_cache

            clear_memory_cache()
        t = time.perf_counter()
        compile(cnn, target="cpu")
        print(
            f"second compile of examples/cnn.mlir from the {where} cache: "
            f"{(time.perf_counter() - t) * 1e3:.1f} ms"
        )


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
