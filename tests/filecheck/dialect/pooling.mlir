// Round trip of avg_pool2d (ceil_mode, count_include_pad, padding forms, blocked layout), the global pools and upsampling.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @avg(%x: tensor<1x2x7x7xf32>, %b: tensor<1x1x7x7x2xf32>) {
  %a = nnvm.avg_pool2d %x {pool_size = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
  %c = nnvm.avg_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  %d = nnvm.avg_pool2d %b {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>, layout = "NCHW2c"} : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x4x4x2xf32>
  %e = nnvm.max_pool2d %b {pool_size = array<i64: 2, 2>, layout = "NCHW2c"} : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x6x6x2xf32>
  func.return
}

// CHECK-LABEL: func.func @avg(%x: tensor<1x2x7x7xf32>, %b: tensor<1x1x7x7x2xf32>) {
// CHECK-NEXT:    %a = nnvm.avg_pool2d %x {pool_size = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
// CHECK-NEXT:    %c = nnvm.avg_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %d = nnvm.avg_pool2d %b {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>, layout = "NCHW2c"} : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x4x4x2xf32>
// CHECK-NEXT:    %e = nnvm.max_pool2d %b {pool_size = array<i64: 2, 2>, layout = "NCHW2c"} : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x6x6x2xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "avg"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x2x7x7xf32>, %b: tensor<1x1x7x7x2xf32>):
// GENERIC-NEXT:  %a = "nnvm.avg_pool2d"(%x) <{pool_size = array<i64: 2, 2>, count_include_pad = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, layout = "NCHW", ceil_mode = false}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
// GENERIC-NEXT:  %c = "nnvm.avg_pool2d"(%x) <{pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1>, ceil_mode = true, count_include_pad = true, layout = "NCHW"}> : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// GENERIC-NEXT:  %d = "nnvm.avg_pool2d"(%b) <{pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>, layout = "NCHW2c", count_include_pad = false, ceil_mode = false}> : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x4x4x2xf32>
// GENERIC-NEXT:  %e = "nnvm.max_pool2d"(%b) <{pool_size = array<i64: 2, 2>, layout = "NCHW2c", strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, ceil_mode = false}> : (tensor<1x1x7x7x2xf32>) -> tensor<1x1x6x6x2xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @global(%x: tensor<2x3x5x4xf32>, %n: tensor<2x5x4x3xf32>) {
  %a = nnvm.global_max_pool2d %x : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
  %c = nnvm.global_avg_pool2d %x : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
  %d = nnvm.global_avg_pool2d %n {layout = "NHWC"} : (tensor<2x5x4x3xf32>) -> tensor<2x1x1x3xf32>
  func.return
}

// CHECK-LABEL: func.func @global(%x: tensor<2x3x5x4xf32>, %n: tensor<2x5x4x3xf32>) {
// CHECK-NEXT:    %a = nnvm.global_max_pool2d %x : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
// CHECK-NEXT:    %c = nnvm.global_avg_pool2d %x : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
// CHECK-NEXT:    %d = nnvm.global_avg_pool2d %n {layout = "NHWC"} : (tensor<2x5x4x3xf32>) -> tensor<2x1x1x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "global"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3x5x4xf32>, %n: tensor<2x5x4x3xf32>):
// GENERIC-NEXT:  %a = "nnvm.global_max_pool2d"(%x) <{layout = "NCHW"}> : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
// GENERIC-NEXT:  %c = "nnvm.global_avg_pool2d"(%x) <{layout = "NCHW"}> : (tensor<2x3x5x4xf32>) -> tensor<2x3x1x1xf32>
// GENERIC-NEXT:  %d = "nnvm.global_avg_pool2d"(%n) <{layout = "NHWC"}> : (tensor<2x5x4x3xf32>) -> tensor<2x1x1x3xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @upsampling(%x: tensor<1x3x4x5xf32>) {
  %a = nnvm.upsampling %x {scale = 2} : (tensor<1x3x4x5xf32>) -> tensor<1x3x8x10xf32>
  %c = nnvm.upsampling %x {scale = 3, layout = "NHWC", method = "BILINEAR"} : (tensor<1x3x4x5xf32>) -> tensor<1x9x12x5xf32>
  func.return
}

// CHECK-LABEL: func.func @upsampling(%x: tensor<1x3x4x5xf32>) {
// CHECK-NEXT:    %a = nnvm.upsampling %x {scale = 2 : i64} : (tensor<1x3x4x5xf32>) -> tensor<1x3x8x10xf32>
// CHECK-NEXT:    %c = nnvm.upsampling %x {scale = 3 : i64, layout = "NHWC", method = "BILINEAR"} : (tensor<1x3x4x5xf32>) -> tensor<1x9x12x5xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "upsampling"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x3x4x5xf32>):
// GENERIC-NEXT:  %a = "nnvm.upsampling"(%x) <{scale = 2 : i64, layout = "NCHW", method = "NEAREST_NEIGHBOR"}> : (tensor<1x3x4x5xf32>) -> tensor<1x3x8x10xf32>
// GENERIC-NEXT:  %c = "nnvm.upsampling"(%x) <{scale = 3 : i64, layout = "NHWC", method = "BILINEAR"}> : (tensor<1x3x4x5xf32>) -> tensor<1x9x12x5xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()
