// RUN: nnvm-opt %s -p fuse-ops --split-input-file | filecheck %s
// RUN: nnvm-opt %s -p fuse-ops --split-input-file | nnvm-opt --split-input-file | filecheck %s

// An elementwise chain becomes one group; its master is the last op.
func.func @chain(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %a = nnvm.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %b = nnvm.elemwise_add %a, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = nnvm.relu %b : (tensor<4xf32>) -> tensor<4xf32>
  func.return %c : tensor<4xf32>
}

// CHECK-LABEL: func.func @chain(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %c = nnvm.fused "elemwise" master 2 (%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    ^bb0(%x_1: tensor<4xf32>, %y_1: tensor<4xf32>):
// CHECK-NEXT:      %a = nnvm.exp %x_1 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:      %b = nnvm.elemwise_add %a, %y_1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:      %c_1 = nnvm.relu %b : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:      nnvm.yield %c_1 : tensor<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %c : tensor<4xf32>
// CHECK-NEXT:  }

// -----

// conv2d absorbs the elementwise ops after it; it is the group's master.
func.func @conv_relu(%d: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %z: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %c = nnvm.conv2d %d, %w {channels = 3, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %r = nnvm.relu %c : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %s = nnvm.elemwise_add %r, %z : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  func.return %s : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @conv_relu
// CHECK-NEXT:    %s = nnvm.fused "out_elemwise_fusable" master 0 (%d, %w, %z) : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
// CHECK-NEXT:    ^bb0(%d_1: tensor<1x2x4x4xf32>, %w_1: tensor<3x2x1x1xf32>, %z_1: tensor<1x3x4x4xf32>):
// CHECK-NEXT:      %c = nnvm.conv2d %d_1, %w_1 {{.*}} -> tensor<1x3x4x4xf32>
// CHECK-NEXT:      %r = nnvm.relu %c
// CHECK-NEXT:      %s_1 = nnvm.elemwise_add %r, %z_1
// CHECK-NEXT:      nnvm.yield %s_1 : tensor<1x3x4x4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %s

// -----

// Left alone: a value with two consumers ends its group, and a group is only made of two or
// more ops.
func.func @two_uses(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nnvm.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %b = nnvm.relu %a : (tensor<4xf32>) -> tensor<4xf32>
  %c = nnvm.elemwise_mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %c : tensor<4xf32>
}

// CHECK-LABEL: func.func @two_uses
// CHECK-NEXT:    %a = nnvm.exp %x
// CHECK-NEXT:    %c = nnvm.fused "elemwise" master 1 (%a) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    ^bb0(%a_1: tensor<4xf32>):
// CHECK-NEXT:      %b = nnvm.relu %a_1
// CHECK-NEXT:      %c_1 = nnvm.elemwise_mul %a_1, %b
// CHECK-NEXT:      nnvm.yield %c_1
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %c

// -----

// Two out-elementwise-fusable ops never chain, an injective op does not absorb one and an
// opaque op absorbs nothing; injective ops chain.
func.func @injective(%x: tensor<2x3x2xf32>, %w1: tensor<5x6xf32>, %w2: tensor<4x5xf32>, %w3: tensor<4x8xf32>) -> tensor<1x4xf32> {
  %f = nnvm.flatten %x : (tensor<2x3x2xf32>) -> tensor<2x6xf32>
  %d1 = nnvm.dense %f, %w1 {units = 5, use_bias = false} : (tensor<2x6xf32>, tensor<5x6xf32>) -> tensor<2x5xf32>
  %d2 = nnvm.dense %d1, %w2 {units = 4, use_bias = false} : (tensor<2x5xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  %s = nnvm.softmax %d2 : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %e = nnvm.expand_dims %s {axis = 0} : (tensor<2x4xf32>) -> tensor<1x2x4xf32>
  %g = nnvm.flatten %e : (tensor<1x2x4xf32>) -> tensor<1x8xf32>
  %h = nnvm.dense %g, %w3 {units = 4, use_bias = false} : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  func.return %h : tensor<1x4xf32>
}

// CHECK-LABEL: func.func @injective
// CHECK-NEXT:    %f = nnvm.flatten %x
// CHECK-NEXT:    %d1 = nnvm.dense %f, %w1
// CHECK-NEXT:    %d2 = nnvm.dense %d1, %w2
// CHECK-NEXT:    %s = nnvm.softmax %d2
// CHECK-NEXT:    %g = nnvm.fused "injective" master 1 (%s) : (tensor<2x4xf32>) -> tensor<1x8xf32> {
// CHECK-NEXT:    ^bb0(%s_1: tensor<2x4xf32>):
// CHECK-NEXT:      %e = nnvm.expand_dims %s_1
// CHECK-NEXT:      %g_1 = nnvm.flatten %e
// CHECK-NEXT:      nnvm.yield %g_1 : tensor<1x8xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %h = nnvm.dense %g, %w3
// CHECK-NEXT:    func.return %h
