// infer-shape with partly known shapes: `?` dims stay unknown where the rules cannot tell, known
// dims flow forward, written dims are kept, and function result types follow the returns.
// RUN: nnvm-opt %s -p infer-shape | filecheck %s

// An unknown batch dim flows through dense; the written `?x?` result gets the units.
func.func @unknown_batch(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<?x8xf32>) -> tensor<*xf32>
  %d = nnvm.dense %r, %w, %b {units = 4} : (tensor<*xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  %s = nnvm.softmax %d : (tensor<?x?xf32>) -> tensor<*xf32>
  func.return %s : tensor<*xf32>
}
// CHECK-LABEL: func.func @unknown_batch(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT:    %d = nnvm.dense %r, %w, %b {units = 4 : i64} : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    %s = nnvm.softmax %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    func.return %s : tensor<?x4xf32>
// CHECK-NEXT:  }

// A dim written on the result is kept when the rule cannot tell it (no backward refinement of
// the operand, though).
func.func @written_dim_kept(%x: tensor<?x8xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<?x8xf32>) -> tensor<3x?xf32>
  %t = nnvm.tanh %r : (tensor<3x?xf32>) -> tensor<*xf32>
  func.return %t : tensor<*xf32>
}
// CHECK-LABEL: func.func @written_dim_kept(%x: tensor<?x8xf32>) -> tensor<3x8xf32> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<?x8xf32>) -> tensor<3x8xf32>
// CHECK-NEXT:    %t = nnvm.tanh %r : (tensor<3x8xf32>) -> tensor<3x8xf32>

// Unranked inputs leave unranked results; flatten still knows its rank.
func.func @unranked(%x: tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %r = nnvm.relu %x : (tensor<*xf32>) -> tensor<*xf32>
  %f = nnvm.flatten %r : (tensor<*xf32>) -> tensor<*xf32>
  func.return %r, %f : tensor<*xf32>, tensor<*xf32>
}
// CHECK-LABEL: func.func @unranked(%x: tensor<*xf32>) -> (tensor<*xf32>, tensor<?x?xf32>) {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<*xf32>) -> tensor<*xf32>
// CHECK-NEXT:    %f = nnvm.flatten %r : (tensor<*xf32>) -> tensor<?x?xf32>

// conv2d with an unknown batch and height: only what can be known is filled in.
func.func @conv2d_partial(%x: tensor<?x3x?x16xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  %c = nnvm.conv2d %x, %w {channels = 8, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>, use_bias = false} : (tensor<?x3x?x16xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK-LABEL: func.func @conv2d_partial(
// CHECK-SAME:    -> tensor<?x8x?x8xf32> {
// CHECK-NEXT:    nnvm.conv2d {{.*}} -> tensor<?x8x?x8xf32>

// split into sections of an unknown dim: the parts are unknown on the axis only.
func.func @split_unknown_axis(%x: tensor<4x?xf32>) -> tensor<*xf32> {
  %s:2 = nnvm.split %x {indices_or_sections = 2} : (tensor<4x?xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  func.return %s#1 : tensor<*xf32>
}
// CHECK-LABEL: func.func @split_unknown_axis(
// CHECK-SAME:    -> tensor<4x?xf32> {
// CHECK-NEXT:    nnvm.split {{.*}} -> (tensor<4x?xf32>, tensor<4x?xf32>)

// Nothing changes where everything is known already (infer-shape is idempotent).
// CHECK-LABEL: func.func @already_known(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @already_known(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// infer-shape leaves element types alone, even unknown ones.
func.func @dtype_untouched(%x: tensor<2x3xf32>) -> tensor<*x!nnvm.unknown> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*x!nnvm.unknown>
  func.return %r : tensor<*x!nnvm.unknown>
}
// CHECK-LABEL: func.func @dtype_untouched(%x: tensor<2x3xf32>) -> tensor<2x3x!nnvm.unknown> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3x!nnvm.unknown>

// Ops of other dialects have no shape rule and are left as they are.
func.func @other_dialects(%a: f32, %b: f32) -> i1 {
  %c = arith.cmpf olt, %a, %b : f32
  func.return %c : i1
}
// CHECK-LABEL: func.func @other_dialects(%a: f32, %b: f32) -> i1 {
// CHECK-NEXT:    %c = arith.cmpf olt, %a, %b : f32
// CHECK-NEXT:    func.return %c : i1
