// XFAIL: *
// A function may return tensors of different element types. infer-type applies the default
// type rule (one element type for all operands) to func.return as well, and fails with
// "'func.return' op operands must have one element type, got i32, f16".
// The fix belongs in the pass or the facts (the default rule must only serve nnvm ops).
// RUN: nnvm-opt %s -p infer-type | filecheck %s

func.func @two_types(%x: tensor<3xf32>) -> (tensor<3x!nnvm.unknown>, tensor<3x!nnvm.unknown>) {
  %i = nnvm.cast %x {dtype = i32} : (tensor<3xf32>) -> tensor<3x!nnvm.unknown>
  %h = nnvm.cast %x {dtype = f16} : (tensor<3xf32>) -> tensor<3x!nnvm.unknown>
  func.return %i, %h : tensor<3x!nnvm.unknown>, tensor<3x!nnvm.unknown>
}
// CHECK-LABEL: func.func @two_types(%x: tensor<3xf32>) -> (tensor<3xi32>, tensor<3xf16>) {
// CHECK-NEXT:    %i = nnvm.cast %x {dtype = i32} : (tensor<3xf32>) -> tensor<3xi32>
// CHECK-NEXT:    %h = nnvm.cast %x {dtype = f16} : (tensor<3xf32>) -> tensor<3xf16>
// CHECK-NEXT:    func.return %i, %h : tensor<3xi32>, tensor<3xf16>
