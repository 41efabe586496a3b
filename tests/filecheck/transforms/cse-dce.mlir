// cse and dce (xDSL's) work on nnvm ops: every graph op is pure, so a repeated computation is
// shared and an unused one removed, inside nnvm.fused bodies too.
// RUN: nnvm-opt %s -p cse,dce | filecheck %s

func.func @shared(%x: tensor<4xf32>, %w: tensor<3x4xf32>) -> (tensor<1x3xf32>, tensor<4xf32>) {
  %a = nnvm.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %b = nnvm.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %c = nnvm.elemwise_add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %unused = nnvm.tanh %c : (tensor<4xf32>) -> tensor<4xf32>
  %e = nnvm.expand_dims %c {axis = 0} : (tensor<4xf32>) -> tensor<1x4xf32>
  %d = nnvm.dense %e, %w {units = 3, use_bias = false} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %d2 = nnvm.dense %e, %w {units = 3, use_bias = false} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %f = nnvm.elemwise_sub %d, %d2 : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  %g = nnvm.fused "elemwise" master 0 (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%y: tensor<4xf32>):
    %p = nnvm.relu %y : (tensor<4xf32>) -> tensor<4xf32>
    %q = nnvm.relu %y : (tensor<4xf32>) -> tensor<4xf32>
    %dead = nnvm.exp %y : (tensor<4xf32>) -> tensor<4xf32>
    %r = nnvm.elemwise_mul %p, %q : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    nnvm.yield %r : tensor<4xf32>
  }
  %h = nnvm.fused "elemwise" master 0 (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%y: tensor<4xf32>):
    %t = nnvm.tanh %y : (tensor<4xf32>) -> tensor<4xf32>
    nnvm.yield %t : tensor<4xf32>
  }
  func.return %f, %g : tensor<1x3xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @shared
// CHECK-NEXT:    %a = nnvm.exp %x : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %c = nnvm.elemwise_add %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %e = nnvm.expand_dims %c {axis = 0 : i64} : (tensor<4xf32>) -> tensor<1x4xf32>
// CHECK-NEXT:    %d = nnvm.dense %e, %w {units = 3 : i64, use_bias = false} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
// CHECK-NEXT:    %f = nnvm.elemwise_sub %d, %d : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<1x3xf32>
// CHECK-NEXT:    %g = nnvm.fused "elemwise" master 0 (%x) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    ^bb0(%y: tensor<4xf32>):
// CHECK-NEXT:      %p = nnvm.relu %y : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:      %r = nnvm.elemwise_mul %p, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:      nnvm.yield %r : tensor<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %f, %g : tensor<1x3xf32>, tensor<4xf32>
// CHECK-NEXT:  }
