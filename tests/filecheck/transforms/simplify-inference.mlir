// RUN: nnvm-opt %s -p simplify-inference --split-input-file | filecheck %s

// batch_norm with constant statistics after a conv2d with constant weights: the scale and
// shift are computed here and fold into the weights and a new bias; dropout disappears.
func.func @f(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = nnvm.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]]]> : tensor<3x2x1x1xf32>
  %g = nnvm.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %be = nnvm.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %m = nnvm.constant dense<[1.0, -1.0, 0.0]> : tensor<3xf32>
  %v = nnvm.constant dense<[4.0, 1.0, 0.25]> : tensor<3xf32>
  %c = nnvm.conv2d %x, %w {channels = 3, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %bn = nnvm.batch_norm %c, %g, %be, %m, %v {epsilon = 0.0} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %r = nnvm.relu %bn : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %o = nnvm.dropout %r {rate = 0.5} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  func.return %o : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @f(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
// CHECK-NEXT:    %folded_weight = nnvm.constant dense<[[[[5.000000e-01]], [[1.000000e+00]]], [[[6.000000e+00]], [[8.000000e+00]]], [[[5.000000e+00]], [[6.000000e+00]]]]> : tensor<3x2x1x1xf32>
// CHECK-NEXT:    %folded_bias = nnvm.constant dense<[-4.000000e-01, 2.200000e+00, 3.000000e-01]> : tensor<3xf32>
// CHECK-NEXT:    %bn = nnvm.conv2d %x, %folded_weight, %folded_bias {channels = 3 : i64, kernel_size = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %r = nnvm.relu %bn : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    func.return %r : tensor<1x3x4x4xf32>
// CHECK-NEXT:  }

// -----

// Statistics that are arguments: NNVM's scale and shift built from ops, expanded to (C, 1, 1).
func.func @args(%x: tensor<1x2x3x3xf32>, %g: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %bn = nnvm.batch_norm %x, %g, %b, %m, %v {epsilon = 1.0e-03} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  func.return %bn : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @args
// CHECK-NEXT:    %bn = nnvm.__add_scalar__ %v {scalar = 1.000000e-03 : f64} : (tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %bn_1 = nnvm.sqrt %bn
// CHECK-NEXT:    %bn_2 = nnvm.__rdiv_scalar__ %bn_1 {scalar = 1.000000e+00 : f64}
// CHECK-NEXT:    %bn_3 = nnvm.elemwise_mul %bn_2, %g
// CHECK-NEXT:    %bn_4 = nnvm.negative %m
// CHECK-NEXT:    %bn_5 = nnvm.elemwise_mul %bn_4, %bn_3
// CHECK-NEXT:    %bn_6 = nnvm.elemwise_add %bn_5, %b
// CHECK-NEXT:    %bn_7 = nnvm.expand_dims %bn_3 {axis = 1 : i64, num_newaxis = 2 : i64} : (tensor<2xf32>) -> tensor<2x1x1xf32>
// CHECK-NEXT:    %bn_8 = nnvm.expand_dims %bn_6 {axis = 1 : i64, num_newaxis = 2 : i64} : (tensor<2xf32>) -> tensor<2x1x1xf32>
// CHECK-NEXT:    %bn_9 = nnvm.broadcast_mul %x, %bn_7 : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT:    %bn_10 = nnvm.broadcast_add %bn_9, %bn_8 : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT:    func.return %bn_10
