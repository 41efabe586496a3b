// Conflicts that only show once infer-shape has refined an intermediate type are reported at
// the op that cannot take the refined operand, with the shapes involved.
// RUN: nnvm-opt %s -p infer-shape --split-input-file --verify-diagnostics
// RUN: not nnvm-opt %s -p infer-shape --split-input-file 2>&1 | filecheck %s
// Before refinement every chunk verifies.
// RUN: nnvm-opt %s --split-input-file | filecheck %s --check-prefix=UNREFINED

// The `?x?` relu result becomes 2x8, which dense's 4x6 weight cannot take.
func.func @dense_inner_dims(%x: tensor<2x8xf32>, %w: tensor<4x6xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x8xf32>) -> tensor<?x?xf32>
  // expected-error@+1 {{'nnvm.dense' op data has 8 input features (shape 2x8) but weight expects 6 (shape 4x6)}}
  %y = nnvm.dense %r, %w {units = 4, use_bias = false} : (tensor<?x?xf32>, tensor<4x6xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}
// CHECK:      infer-shape-errors.mlir:12:3: error: 'nnvm.dense' op data has 8 input features (shape 2x8) but weight expects 6 (shape 4x6)
// CHECK-NEXT: {{^}}  %y = nnvm.dense %r, %w {units = 4, use_bias = false}
// CHECK-NEXT: {{^  \^$}}

// UNREFINED: func.func @dense_inner_dims
// UNREFINED: func.func @written_result_conflict
// UNREFINED: func.func @elemwise_after_refinement
// UNREFINED: func.func @conv2d_channels_after_refinement
// UNREFINED: func.func @concatenate_after_refinement

// -----

// A written result dim that contradicts what the refined operand gives.
func.func @written_result_conflict(%x: tensor<2x3xf32>) -> tensor<4x?xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // expected-error@+1 {{'nnvm.tanh' op result #0 of type tensor<4x?xf32>: shape 4x? conflicts with 2x3}}
  %t = nnvm.tanh %r : (tensor<?x?xf32>) -> tensor<4x?xf32>
  func.return %t : tensor<4x?xf32>
}
// CHECK: infer-shape-errors.mlir:31:3: error: 'nnvm.tanh' op result #0 of type tensor<4x?xf32>: shape 4x? conflicts with 2x3

// -----

func.func @elemwise_after_refinement(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<*xf32> {
  %ra = nnvm.relu %a : (tensor<2x3xf32>) -> tensor<*xf32>
  %rb = nnvm.relu %b : (tensor<3x2xf32>) -> tensor<*xf32>
  // expected-error@+1 {{'nnvm.elemwise_add' op operands must have identical shapes, got 2x3 and 3x2}}
  %s = nnvm.elemwise_add %ra, %rb : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  func.return %s : tensor<*xf32>
}
// CHECK: infer-shape-errors.mlir:42:3: error: 'nnvm.elemwise_add' op operands must have identical shapes, got 2x3 and 3x2

// -----

// The pooled tensor has 3 channels; the convolution's weight wants 4.
func.func @conv2d_channels_after_refinement(%x: tensor<1x3x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<*xf32> {
  %p = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<?x?x?x?xf32>
  // expected-error@+1 {{'nnvm.conv2d' op data has 3 channels (shape 1x3x4x4) but weight expects 4 (shape 8x4x3x3, groups = 1)}}
  %c = nnvm.conv2d %p, %w {channels = 8, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<?x?x?x?xf32>, tensor<8x4x3x3xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK: infer-shape-errors.mlir:53:3: error: 'nnvm.conv2d' op data has 3 channels (shape 1x3x4x4)

// -----

func.func @concatenate_after_refinement(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  %fa = nnvm.flatten %a : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // expected-error@+1 {{'nnvm.concatenate' op operands differ in dim 0 (not the axis 1): 2x3, 4x5}}
  %c = nnvm.concatenate %fa, %b : (tensor<?x?xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK: infer-shape-errors.mlir:63:3: error: 'nnvm.concatenate' op operands differ in dim 0

// CHECK-NOT: Traceback
