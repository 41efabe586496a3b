// Round trip of nnvm.max_pool2d: padding with 1, 2 or 4 integers, ceil_mode, layout.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @defaults(%x: tensor<1x2x7x7xf32>) {
  %p = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
  func.return
}

// CHECK-LABEL: func.func @defaults(%x: tensor<1x2x7x7xf32>) {
// CHECK-NEXT:    %p = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "defaults"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x2x7x7xf32>):
// GENERIC-NEXT:    %p = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, layout = "NCHW", ceil_mode = false}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// padding: one int for all sides, (top, left), or (top, left, bottom, right).
func.func @padding(%x: tensor<1x2x7x7xf32>) {
  %p1 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  %p2 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
  %p4 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
  func.return
}

// CHECK-LABEL: func.func @padding(%x: tensor<1x2x7x7xf32>) {
// CHECK-NEXT:    %p1 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %p2 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
// CHECK-NEXT:    %p4 = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "padding"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x2x7x7xf32>):
// GENERIC-NEXT:    %p1 = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>, layout = "NCHW", ceil_mode = false}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// GENERIC-NEXT:    %p2 = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>, layout = "NCHW", ceil_mode = false}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
// GENERIC-NEXT:    %p4 = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>, layout = "NCHW", ceil_mode = false}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// ceil_mode = true is kept; ceil_mode = false is the default and is left out.
func.func @ceil_mode(%x: tensor<1x2x7x7xf32>) {
  %ceil = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  %floor = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = false} : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
  func.return
}

// CHECK-LABEL: func.func @ceil_mode(%x: tensor<1x2x7x7xf32>) {
// CHECK-NEXT:    %ceil = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %floor = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "ceil_mode"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x2x7x7xf32>):
// GENERIC-NEXT:    %ceil = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, padding = array<i64: 0, 0>, layout = "NCHW"}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// GENERIC-NEXT:    %floor = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = false, padding = array<i64: 0, 0>, layout = "NCHW"}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @nhwc(%x: tensor<1x7x7x2xf32>) {
  %p = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NHWC"} : (tensor<1x7x7x2xf32>) -> tensor<1x3x3x2xf32>
  func.return
}

// CHECK-LABEL: func.func @nhwc(%x: tensor<1x7x7x2xf32>) {
// CHECK-NEXT:    %p = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NHWC"} : (tensor<1x7x7x2xf32>) -> tensor<1x3x3x2xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "nhwc"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x7x7x2xf32>):
// GENERIC-NEXT:    %p = "nnvm.max_pool2d"(%x) <{pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NHWC", padding = array<i64: 0, 0>, ceil_mode = false}> : (tensor<1x7x7x2xf32>) -> tensor<1x3x3x2xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()
