// Round trip of conv2d with blocked layouts (NCHW4c data, OIHW4i4o kernels, blocked bias), depthwise conv2d, and conv2d_transpose.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @blocked(%x: tensor<1x2x8x8x4xf32>, %w: tensor<4x2x3x3x4x4xf32>, %b: tensor<16xf32>, %bb: tensor<2x8xf32>) {
  %a = nnvm.conv2d %x, %w, %b {channels = 16, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, layout = "NCHW4c", kernel_layout = "OIHW4i4o"} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<16xf32>) -> tensor<1x4x8x8x4xf32>
  %c = nnvm.conv2d %x, %w, %bb {channels = 16, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NCHW8c"} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<2x8xf32>) -> tensor<1x2x6x6x8xf32>
  %d = nnvm.conv2d %x, %w {channels = 16, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NHWC", use_bias = false} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>) -> tensor<1x6x6x16xf32>
  func.return
}

// CHECK-LABEL: func.func @blocked(%x: tensor<1x2x8x8x4xf32>, %w: tensor<4x2x3x3x4x4xf32>, %b: tensor<16xf32>, %bb: tensor<2x8xf32>) {
// CHECK-NEXT:    %a = nnvm.conv2d %x, %w, %b {channels = 16 : i64, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, layout = "NCHW4c", kernel_layout = "OIHW4i4o"} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<16xf32>) -> tensor<1x4x8x8x4xf32>
// CHECK-NEXT:    %c = nnvm.conv2d %x, %w, %bb {channels = 16 : i64, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NCHW8c"} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<2x8xf32>) -> tensor<1x2x6x6x8xf32>
// CHECK-NEXT:    %d = nnvm.conv2d %x, %w {channels = 16 : i64, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NHWC", use_bias = false} : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>) -> tensor<1x6x6x16xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "blocked"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x2x8x8x4xf32>, %w: tensor<4x2x3x3x4x4xf32>, %b: tensor<16xf32>, %bb: tensor<2x8xf32>):
// GENERIC-NEXT:  %a = "nnvm.conv2d"(%x, %w, %b) <{channels = 16 : i64, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", strides = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, out_layout = "__undef__", use_bias = true}> : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<16xf32>) -> tensor<1x4x8x8x4xf32>
// GENERIC-NEXT:  %c = "nnvm.conv2d"(%x, %w, %bb) <{channels = 16 : i64, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NCHW8c", strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64, use_bias = true}> : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>, tensor<2x8xf32>) -> tensor<1x2x6x6x8xf32>
// GENERIC-NEXT:  %d = "nnvm.conv2d"(%x, %w) <{channels = 16 : i64, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NHWC", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x2x8x8x4xf32>, tensor<4x2x3x3x4x4xf32>) -> tensor<1x6x6x16xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @depthwise(%x: tensor<1x8x8x6xf32>, %w: tensor<3x3x1x12xf32>) {
  %y = nnvm.conv2d %x, %w {channels = 12, kernel_size = array<i64: 3, 3>, groups = 6, layout = "NHWC", kernel_layout = "HWIO", use_bias = false} : (tensor<1x8x8x6xf32>, tensor<3x3x1x12xf32>) -> tensor<1x6x6x12xf32>
  func.return
}

// CHECK-LABEL: func.func @depthwise(%x: tensor<1x8x8x6xf32>, %w: tensor<3x3x1x12xf32>) {
// CHECK-NEXT:    %y = nnvm.conv2d %x, %w {channels = 12 : i64, kernel_size = array<i64: 3, 3>, groups = 6 : i64, layout = "NHWC", kernel_layout = "HWIO", use_bias = false} : (tensor<1x8x8x6xf32>, tensor<3x3x1x12xf32>) -> tensor<1x6x6x12xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "depthwise"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x8x8x6xf32>, %w: tensor<3x3x1x12xf32>):
// GENERIC-NEXT:  %y = "nnvm.conv2d"(%x, %w) <{channels = 12 : i64, kernel_size = array<i64: 3, 3>, groups = 6 : i64, layout = "NHWC", kernel_layout = "HWIO", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, out_layout = "__undef__"}> : (tensor<1x8x8x6xf32>, tensor<3x3x1x12xf32>) -> tensor<1x6x6x12xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @transpose(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>, %n: tensor<1x5x5x4xf32>) {
  %a = nnvm.conv2d_transpose %x, %w {channels = 3, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x7x7xf32>
  %c = nnvm.conv2d_transpose %x, %w, %b {channels = 6, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>, groups = 2} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x11xf32>
  %d = nnvm.conv2d_transpose %n, %w {channels = 3, kernel_size = array<i64: 3, 3>, layout = "NHWC", use_bias = false} : (tensor<1x5x5x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x7x7x3xf32>
  func.return
}

// CHECK-LABEL: func.func @transpose(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>, %n: tensor<1x5x5x4xf32>) {
// CHECK-NEXT:    %a = nnvm.conv2d_transpose %x, %w {channels = 3 : i64, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x7x7xf32>
// CHECK-NEXT:    %c = nnvm.conv2d_transpose %x, %w, %b {channels = 6 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>, groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x11xf32>
// CHECK-NEXT:    %d = nnvm.conv2d_transpose %n, %w {channels = 3 : i64, kernel_size = array<i64: 3, 3>, layout = "NHWC", use_bias = false} : (tensor<1x5x5x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x7x7x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "transpose"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>, %n: tensor<1x5x5x4xf32>):
// GENERIC-NEXT:  %a = "nnvm.conv2d_transpose"(%x, %w) <{channels = 3 : i64, kernel_size = array<i64: 3, 3>, use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, output_padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64, layout = "NCHW", kernel_layout = "OIHW"}> : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x7x7xf32>
// GENERIC-NEXT:  %c = "nnvm.conv2d_transpose"(%x, %w, %b) <{channels = 6 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>, groups = 2 : i64, layout = "NCHW", kernel_layout = "OIHW", use_bias = true}> : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x11xf32>
// GENERIC-NEXT:  %d = "nnvm.conv2d_transpose"(%n, %w) <{channels = 3 : i64, kernel_size = array<i64: 3, 3>, layout = "NHWC", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, output_padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64, kernel_layout = "OIHW"}> : (tensor<1x5x5x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x7x7x3xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()
