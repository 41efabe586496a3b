// A function may return tensors of different element types: the default type rule (one element
// type for all operands and results) serves nnvm ops only, never func.return.
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
