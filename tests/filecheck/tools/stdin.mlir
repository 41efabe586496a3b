// `-` as the input file (or no input file, for nnvm-opt) reads standard input; diagnostics name it
// <stdin>.
// RUN: nnvm-opt - -p infer-shape < %s | filecheck %s
// RUN: nnvm-opt -p infer-shape < %s | filecheck %s
// RUN: nnvm-run - --random-inputs 0 < %s | filecheck %s --check-prefix=RESULT
// RUN: echo 'func.func @f() { nnvm.nope }' | python %inputs/exit-status.py 1 nnvm-opt - 2>&1 | filecheck %s --check-prefix=ERR
// RUN: echo 'func.func @f() { nnvm.nope }' | python %inputs/exit-status.py 1 nnvm-run - 2>&1 | filecheck %s --check-prefix=ERR

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// CHECK: %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// RESULT: output_0: shape 2x3 dtype float32
// ERR: <stdin>:1:18: error: unknown op 'nnvm.nope'
