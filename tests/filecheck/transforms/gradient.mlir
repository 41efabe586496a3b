// RUN: nnvm-opt %s -p 'gradient{func="f" wrt=x,w}' | filecheck %s

// y = sum over fan-out: %t is read twice, so its gradients are added.
func.func @f(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %t = nnvm.tanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = nnvm.elemwise_mul %t, %t : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %d = nnvm.dense %m, %w {units = 4, use_bias = false} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  func.return %d : tensor<2x4xf32>
}
// The forward function stays; the backward one recomputes it, then walks it in reverse.
// CHECK:      func.func @f(
// CHECK:      func.func @f_grad(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %d_output: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
// CHECK-NEXT:   %t = nnvm.tanh %x
// CHECK-NEXT:   %m = nnvm.elemwise_mul %t, %t
// CHECK-NEXT:   %d = nnvm.dense %m, %w
// dense: d m = sum over units of dy[:, :, None] * w, d w = sum over the batch of dy[:, :, None] * m[:, None, :]
// CHECK-NEXT:   %[[DYC:[0-9]+]] = nnvm.expand_dims %d_output {axis = 2 : i64}
// CHECK-NEXT:   %[[P1:[0-9]+]] = nnvm.broadcast_mul %[[DYC]], %w : (tensor<2x4x1xf32>, tensor<4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT:   %[[DM:[0-9]+]] = nnvm.sum %[[P1]] {axis = array<i64: 1>}
// CHECK-NEXT:   %[[MR:[0-9]+]] = nnvm.expand_dims %m {axis = 1 : i64}
// CHECK-NEXT:   %[[P2:[0-9]+]] = nnvm.broadcast_mul %[[DYC]], %[[MR]]
// CHECK-NEXT:   %[[DW:[0-9]+]] = nnvm.sum %[[P2]] {axis = array<i64: 0>} : (tensor<2x4x3xf32>) -> tensor<4x3xf32>
// mul's operand %t is read twice: its two gradients are summed
// CHECK-NEXT:   %[[A:[0-9]+]] = nnvm.broadcast_mul %[[DM]], %t
// CHECK-NEXT:   %[[B:[0-9]+]] = nnvm.broadcast_mul %[[DM]], %t
// CHECK-NEXT:   %[[DT:[0-9]+]] = nnvm.elemwise_add %[[A]], %[[B]]
// CHECK-NEXT:   %[[P:[0-9]+]] = nnvm.elemwise_mul %[[DT]], %t
// CHECK-NEXT:   %[[Q:[0-9]+]] = nnvm.elemwise_mul %[[P]], %t
// CHECK-NEXT:   %[[DX:[0-9]+]] = nnvm.elemwise_sub %[[DT]], %[[Q]]
// CHECK-NEXT:   func.return %[[DX]], %[[DW]] : tensor<2x3xf32>, tensor<4x3xf32>
