// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: not nnvm-opt %s --split-input-file 2>&1 | filecheck %s --check-prefix=PLAIN

func.func @inner_mismatch(%x: tensor<2x8xf32>, %w: tensor<4x6xf32>) -> tensor<2x4xf32> {
  // expected-error@+1 {{'nnvm.dense' op data has 8 input features (shape 2x8) but weight expects 6 (shape 4x6)}}
  %y = nnvm.dense %x, %w {units = 4, use_bias = false} : (tensor<2x8xf32>, tensor<4x6xf32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}
// PLAIN: verify-diagnostics.mlir:6:3: error: 'nnvm.dense' op data has 8 input features
// PLAIN-NEXT: %y = nnvm.dense
// PLAIN-NEXT: {{^  \^$}}

// -----

func.func @unknown_op(%x: tensor<2xf32>) {
  // expected-error@+1 {{unknown op 'nnvm.relux'; did you mean 'nnvm.relu'?}}
  %r = nnvm.relux %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// PLAIN: verify-diagnostics.mlir:17:8: error: unknown op 'nnvm.relux'
