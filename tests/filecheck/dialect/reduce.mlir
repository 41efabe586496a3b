// Round trip of the reductions and arg reductions: axis (empty = all), keepdims, exclude (with
// every axis listed nothing is reduced), and argmax/argmin's result dtype (default i32).
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @reduce(%x: tensor<2x3x4xf32>) {
  %all = nnvm.sum %x : (tensor<2x3x4xf32>) -> tensor<1xf32>
  %keep = nnvm.sum %x {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %axes = nnvm.mean %x {axis = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %excl = nnvm.max %x {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %kept = nnvm.min %x {axis = array<i64: 1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %none = nnvm.prod %x {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  func.return
}

// CHECK-LABEL: func.func @reduce(
// CHECK-NEXT:    %all = nnvm.sum %x : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT:    %keep = nnvm.sum %x {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
// CHECK-NEXT:    %axes = nnvm.mean %x {axis = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %excl = nnvm.max %x {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %kept = nnvm.min %x {axis = array<i64: 1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK-NEXT:    %none = nnvm.prod %x {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "reduce"
// GENERIC:         %all = "nnvm.sum"(%x) <{axis = array<i64>, keepdims = false, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<1xf32>
// GENERIC-NEXT:    %keep = "nnvm.sum"(%x) <{keepdims = true, axis = array<i64>, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
// GENERIC-NEXT:    %axes = "nnvm.mean"(%x) <{axis = array<i64: 0, -1>, keepdims = false, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<3xf32>
// GENERIC-NEXT:    %excl = "nnvm.max"(%x) <{axis = array<i64: 1>, exclude = true, keepdims = false}> : (tensor<2x3x4xf32>) -> tensor<3xf32>
// GENERIC-NEXT:    %kept = "nnvm.min"(%x) <{axis = array<i64: 1>, keepdims = true, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// GENERIC-NEXT:    %none = "nnvm.prod"(%x) <{axis = array<i64: 0, 1, 2>, exclude = true, keepdims = false}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>

func.func @arg(%x: tensor<2x3x4xf32>) {
  %a = nnvm.argmax %x {axis = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x4xi32>
  %b = nnvm.argmin %x {axis = array<i64: -1>, keepdims = true, dtype = i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %c = nnvm.argmax %x {dtype = f32} : (tensor<2x3x4xf32>) -> tensor<1xf32>
  func.return
}

// CHECK-LABEL: func.func @arg(
// CHECK-NEXT:    %a = nnvm.argmax %x {axis = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x4xi32>
// CHECK-NEXT:    %b = nnvm.argmin %x {axis = array<i64: -1>, keepdims = true, dtype = i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
// CHECK-NEXT:    %c = nnvm.argmax %x {dtype = f32} : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "arg"
// GENERIC:         %a = "nnvm.argmax"(%x) <{axis = array<i64: 1>, dtype = i32, keepdims = false, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<2x4xi32>
// GENERIC-NEXT:    %b = "nnvm.argmin"(%x) <{axis = array<i64: -1>, keepdims = true, dtype = i64, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
// GENERIC-NEXT:    %c = "nnvm.argmax"(%x) <{dtype = f32, axis = array<i64>, keepdims = false, exclude = false}> : (tensor<2x3x4xf32>) -> tensor<1xf32>
