// RUN: nnvm-opt %s -p fold-scale-axis --split-input-file | filecheck %s

// A per-unit scale and shift after dense, a per-input-channel scale before conv2d.
func.func @fold(%x: tensor<2x2xf32>, %y: tensor<1x2x1x1xf32>) -> (tensor<2x2xf32>, tensor<1x1x1x1xf32>) {
  %w = nnvm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = nnvm.constant dense<[10.0, 100.0]> : tensor<2xf32>
  %t = nnvm.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %d = nnvm.dense %x, %w {units = 2, use_bias = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = nnvm.broadcast_mul %s, %d : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = nnvm.broadcast_add %m, %t : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %k = nnvm.constant dense<[[[[1.0]], [[1.0]]]]> : tensor<1x2x1x1xf32>
  %c = nnvm.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %ys = nnvm.broadcast_mul %y, %c : (tensor<1x2x1x1xf32>, tensor<2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %conv = nnvm.conv2d %ys, %k {channels = 1, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x1x1xf32>
  func.return %a, %conv : tensor<2x2xf32>, tensor<1x1x1x1xf32>
}

// CHECK-LABEL: func.func @fold
// CHECK:         %folded_weight = nnvm.constant dense<[[1.000000e+01, 2.000000e+01], [3.000000e+02, 4.000000e+02]]> : tensor<2x2xf32>
// CHECK-NEXT:    %folded_bias = nnvm.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-NEXT:    %a = nnvm.dense %x, %folded_weight, %folded_bias {units = 2 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK:         %folded_weight_1 = nnvm.constant dense<[{{\[}}{{\[}}[2.000000e+00]], {{\[}}[3.000000e+00]]]]> : tensor<1x2x1x1xf32>
// CHECK-NEXT:    %conv = nnvm.conv2d %y, %folded_weight_1
// CHECK-NEXT:    func.return %a, %conv

// -----

// Left alone: a dense whose result has another use, a weight that is an argument, a scale
// that varies along the batch axis.
func.func @kept(%x: tensor<2x2xf32>, %w2: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = nnvm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = nnvm.constant dense<[10.0, 100.0]> : tensor<2xf32>
  %rows = nnvm.constant dense<[[10.0], [100.0]]> : tensor<2x1xf32>
  %d = nnvm.dense %x, %w {units = 2, use_bias = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = nnvm.broadcast_mul %d, %s : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %e = nnvm.dense %x, %w2 {units = 2, use_bias = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %n = nnvm.broadcast_mul %e, %s : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %f = nnvm.dense %x, %w {units = 2, use_bias = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %o = nnvm.broadcast_mul %f, %rows : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %p = nnvm.elemwise_add %m, %d : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %p, %n, %o : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func.func @kept
// CHECK:         %d = nnvm.dense %x, %w
// CHECK-NEXT:    %m = nnvm.broadcast_mul %d, %s
// CHECK-NEXT:    %e = nnvm.dense %x, %w2
// CHECK-NEXT:    %n = nnvm.broadcast_mul %e, %s
// CHECK-NEXT:    %f = nnvm.dense %x, %w
// CHECK-NEXT:    %o = nnvm.broadcast_mul %f, %rows
