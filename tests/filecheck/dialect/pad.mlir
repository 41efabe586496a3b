// Round trip of nnvm.pad: pad_width is an array of (before, after) pairs; pad_value defaults to 0.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @pad(%x: tensor<2x3xf32>) {
  %default = nnvm.pad %x {pad_width = [array<i64: 1, 2>, array<i64: 0, 3>]} : (tensor<2x3xf32>) -> tensor<5x6xf32>
  %value = nnvm.pad %x {pad_width = [array<i64: 0, 0>, array<i64: 1, 1>], pad_value = -1.5} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  func.return
}

// CHECK-LABEL: func.func @pad(%x: tensor<2x3xf32>) {
// CHECK-NEXT:    %default = nnvm.pad %x {pad_width = [array<i64: 1, 2>, array<i64: 0, 3>]} : (tensor<2x3xf32>) -> tensor<5x6xf32>
// CHECK-NEXT:    %value = nnvm.pad %x {pad_width = [array<i64: 0, 0>, array<i64: 1, 1>], pad_value = -1.500000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x5xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "pad"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3xf32>):
// GENERIC-NEXT:    %default = "nnvm.pad"(%x) <{pad_width = [array<i64: 1, 2>, array<i64: 0, 3>], pad_value = 0.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<5x6xf32>
// GENERIC-NEXT:    %value = "nnvm.pad"(%x) <{pad_width = [array<i64: 0, 0>, array<i64: 1, 1>], pad_value = -1.500000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x5xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @pad_4d(%x: tensor<1x3x4x4xf32>) {
  %y = nnvm.pad %x {pad_width = [array<i64: 0, 0>, array<i64: 0, 0>, array<i64: 1, 1>, array<i64: 2, 0>]} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  func.return
}

// CHECK-LABEL: func.func @pad_4d(%x: tensor<1x3x4x4xf32>) {
// CHECK-NEXT:    %y = nnvm.pad %x {pad_width = [array<i64: 0, 0>, array<i64: 0, 0>, array<i64: 1, 1>, array<i64: 2, 0>]} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "pad_4d"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x3x4x4xf32>):
// GENERIC-NEXT:    %y = "nnvm.pad"(%x) <{pad_width = [array<i64: 0, 0>, array<i64: 0, 0>, array<i64: 1, 1>, array<i64: 2, 0>], pad_value = 0.000000e+00 : f64}> : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()
