// Round trip of nnvm.flatten, nnvm.concatenate (variadic operands) and nnvm.expand_dims.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @flatten(%x: tensor<2x3x4xf32>, %v: tensor<5xf32>) {
  %f = nnvm.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %g = nnvm.flatten %v : (tensor<5xf32>) -> tensor<5x1xf32>
  func.return
}

// CHECK-LABEL: func.func @flatten(%x: tensor<2x3x4xf32>, %v: tensor<5xf32>) {
// CHECK-NEXT:    %f = nnvm.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK-NEXT:    %g = nnvm.flatten %v : (tensor<5xf32>) -> tensor<5x1xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "flatten"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3x4xf32>, %v: tensor<5xf32>):
// GENERIC-NEXT:    %f = "nnvm.flatten"(%x) : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// GENERIC-NEXT:    %g = "nnvm.flatten"(%v) : (tensor<5xf32>) -> tensor<5x1xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @concatenate(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>) {
  %default = nnvm.concatenate %x, %y : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %three = nnvm.concatenate %x, %x, %x {axis = -1} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x12xf32>
  %one = nnvm.concatenate %x {axis = 0} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  func.return
}

// CHECK-LABEL: func.func @concatenate(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>) {
// CHECK-NEXT:    %default = nnvm.concatenate %x, %y : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
// CHECK-NEXT:    %three = nnvm.concatenate %x, %x, %x {axis = -1 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x12xf32>
// CHECK-NEXT:    %one = nnvm.concatenate %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "concatenate"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>):
// GENERIC-NEXT:    %default = "nnvm.concatenate"(%x, %y) <{axis = 1 : i64}> : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
// GENERIC-NEXT:    %three = "nnvm.concatenate"(%x, %x, %x) <{axis = -1 : i64}> : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x12xf32>
// GENERIC-NEXT:    %one = "nnvm.concatenate"(%x) <{axis = 0 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @expand_dims(%x: tensor<2x3xf32>) {
  %front = nnvm.expand_dims %x {axis = 0} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %two = nnvm.expand_dims %x {axis = -1, num_newaxis = 2} : (tensor<2x3xf32>) -> tensor<2x3x1x1xf32>
  func.return
}

// CHECK-LABEL: func.func @expand_dims(%x: tensor<2x3xf32>) {
// CHECK-NEXT:    %front = nnvm.expand_dims %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
// CHECK-NEXT:    %two = nnvm.expand_dims %x {axis = -1 : i64, num_newaxis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1x1xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "expand_dims"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3xf32>):
// GENERIC-NEXT:    %front = "nnvm.expand_dims"(%x) <{axis = 0 : i64, num_newaxis = 1 : i64}> : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
// GENERIC-NEXT:    %two = "nnvm.expand_dims"(%x) <{axis = -1 : i64, num_newaxis = 2 : i64}> : (tensor<2x3xf32>) -> tensor<2x3x1x1xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()
