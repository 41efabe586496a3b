// infer-type: `!nnvm.unknown` element types get the one their type rule gives (the operands'
// common type; cast's dtype); shapes are left alone; function result types follow.
// RUN: nnvm-opt %s -p infer-type | filecheck %s
// Both passes together give fully known types.
// RUN: nnvm-opt %s -p infer-shape,infer-type | filecheck %s --check-prefix=BOTH

func.func @chain(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<*x!nnvm.unknown> {
  %r = nnvm.relu %x : (tensor<2x8xf32>) -> tensor<?x8x!nnvm.unknown>
  %d = nnvm.dense %r, %w {units = 4, use_bias = false} : (tensor<?x8x!nnvm.unknown>, tensor<4x8xf32>) -> tensor<*x!nnvm.unknown>
  %s = nnvm.softmax %d : (tensor<*x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  func.return %s : tensor<*x!nnvm.unknown>
}
// CHECK-LABEL: func.func @chain(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<*xf32> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<2x8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT:    %d = nnvm.dense %r, %w {{.*}} : (tensor<?x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
// CHECK-NEXT:    %s = nnvm.softmax %d : (tensor<*xf32>) -> tensor<*xf32>
// CHECK-NEXT:    func.return %s : tensor<*xf32>

// BOTH-LABEL: func.func @chain(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
// BOTH-NEXT:    %r = nnvm.relu %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
// BOTH-NEXT:    %d = nnvm.dense %r, %w {{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// BOTH-NEXT:    %s = nnvm.softmax %d : (tensor<2x4xf32>) -> tensor<2x4xf32>

// cast's result type is its dtype, whatever the operand's.
func.func @cast(%x: tensor<3xf32>) -> tensor<3x!nnvm.unknown> {
  %i = nnvm.cast %x {dtype = i32} : (tensor<3xf32>) -> tensor<3x!nnvm.unknown>
  func.return %i : tensor<3x!nnvm.unknown>
}
// CHECK-LABEL: func.func @cast(%x: tensor<3xf32>) -> tensor<3xi32> {
// CHECK-NEXT:    %i = nnvm.cast %x {dtype = i32} : (tensor<3xf32>) -> tensor<3xi32>

func.func @cast_from_unknown(%u: tensor<3x!nnvm.unknown>) -> tensor<3x!nnvm.unknown> {
  %h = nnvm.cast %u {dtype = f16} : (tensor<3x!nnvm.unknown>) -> tensor<3x!nnvm.unknown>
  func.return %h : tensor<3x!nnvm.unknown>
}
// CHECK-LABEL: func.func @cast_from_unknown(%u: tensor<3x!nnvm.unknown>) -> tensor<3xf16> {
// CHECK-NEXT:    %h = nnvm.cast %u {dtype = f16} : (tensor<3x!nnvm.unknown>) -> tensor<3xf16>

// A binary op takes the type of whichever operand knows it; results of an op whose operands are
// all unknown stay unknown.
func.func @partial(%a: tensor<3x!nnvm.unknown>, %b: tensor<3xi64>) -> (tensor<3x!nnvm.unknown>, tensor<3x!nnvm.unknown>) {
  %s = nnvm.elemwise_add %a, %b : (tensor<3x!nnvm.unknown>, tensor<3xi64>) -> tensor<3x!nnvm.unknown>
  %n = nnvm.negative %a : (tensor<3x!nnvm.unknown>) -> tensor<3x!nnvm.unknown>
  func.return %s, %n : tensor<3x!nnvm.unknown>, tensor<3x!nnvm.unknown>
}
// CHECK-LABEL: func.func @partial(
// CHECK-SAME:    -> (tensor<3xi64>, tensor<3x!nnvm.unknown>) {
// CHECK-NEXT:    %s = nnvm.elemwise_add %a, %b : (tensor<3x!nnvm.unknown>, tensor<3xi64>) -> tensor<3xi64>
// CHECK-NEXT:    %n = nnvm.negative %a : (tensor<3x!nnvm.unknown>) -> tensor<3x!nnvm.unknown>

// The element type flows through every kind of op.
func.func @through_ops(%x: tensor<1x2x4x4xf16>, %g: tensor<2xf16>) -> tensor<*x!nnvm.unknown> {
  %bn = nnvm.batch_norm %x, %g, %g, %g, %g : (tensor<1x2x4x4xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<*x!nnvm.unknown>
  %p = nnvm.max_pool2d %bn {pool_size = array<i64: 2, 2>} : (tensor<*x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  %f = nnvm.flatten %p : (tensor<*x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  %c = nnvm.concatenate %f, %f : (tensor<*x!nnvm.unknown>, tensor<*x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  %s:2 = nnvm.split %c {indices_or_sections = 2} : (tensor<*x!nnvm.unknown>) -> (tensor<*x!nnvm.unknown>, tensor<*x!nnvm.unknown>)
  func.return %s#1 : tensor<*x!nnvm.unknown>
}
// CHECK-LABEL: func.func @through_ops(
// CHECK-SAME:    -> tensor<*xf16> {
// CHECK-NEXT:    nnvm.batch_norm {{.*}} -> tensor<*xf16>
// CHECK-NEXT:    nnvm.max_pool2d {{.*}} -> tensor<*xf16>
// CHECK-NEXT:    nnvm.flatten {{.*}} -> tensor<*xf16>
// CHECK-NEXT:    nnvm.concatenate {{.*}} -> tensor<*xf16>
// CHECK-NEXT:    nnvm.split {{.*}} -> (tensor<*xf16>, tensor<*xf16>)
// BOTH-LABEL: func.func @through_ops(
// BOTH-SAME:    -> tensor<1x18xf16> {
// BOTH-NEXT:    nnvm.batch_norm {{.*}} -> tensor<1x2x4x4xf16>
// BOTH-NEXT:    nnvm.max_pool2d {{.*}} -> tensor<1x2x3x3xf16>
// BOTH-NEXT:    nnvm.flatten {{.*}} -> tensor<1x18xf16>
// BOTH-NEXT:    nnvm.concatenate {{.*}} -> tensor<1x36xf16>
// BOTH-NEXT:    nnvm.split {{.*}} -> (tensor<1x18xf16>, tensor<1x18xf16>)
