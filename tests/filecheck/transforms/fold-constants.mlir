// RUN: nnvm-opt %s -p fold-constants --split-input-file | filecheck %s
// RUN: nnvm-opt %s -p 'fold-constants{max-elements=4}' --split-input-file | filecheck %s --check-prefix=CAP

// A constant sub-graph folds into one constant; what depends on an argument stays.
func.func @subgraph(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = nnvm.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %b = nnvm.sqrt %a : (tensor<2xf32>) -> tensor<2xf32>
  %c = nnvm.ones {shape = array<i64: 2>, dtype = f32} : tensor<2xf32>
  %d = nnvm.elemwise_add %b, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %e = nnvm.elemwise_mul %x, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %e : tensor<2xf32>
}

// CHECK-LABEL: func.func @subgraph(%x: tensor<2xf32>) -> tensor<2xf32> {
// CHECK-NEXT:    %d = nnvm.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %e = nnvm.elemwise_mul %x, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    func.return %e : tensor<2xf32>
// CHECK-NEXT:  }

// -----

// The size cap: a broadcast of a scalar to 2x3 is folded, unless max-elements is below 6.
func.func @cap() -> tensor<2x3xf32> {
  %s = nnvm.constant dense<1.5> : tensor<f32>
  %b = nnvm.broadcast_to %s {shape = array<i64: 2, 3>} : (tensor<f32>) -> tensor<2x3xf32>
  func.return %b : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cap
// CHECK-NEXT:    %b = nnvm.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-NEXT:    func.return %b

// CAP-LABEL: func.func @cap
// CAP-NEXT:    %s = nnvm.constant dense<1.500000e+00> : tensor<f32>
// CAP-NEXT:    %b = nnvm.broadcast_to %s {shape = array<i64: 2, 3>} : (tensor<f32>) -> tensor<2x3xf32>
// CAP-NEXT:    func.return %b
