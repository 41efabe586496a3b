// Round trip of nnvm.conv2d: defaults left out of the custom form and all spelled out in the
// generic one; every attribute given a non-default value; the layouts the rule accepts.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @defaults(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
  %with_bias = nnvm.conv2d %x, %w, %b {channels = 4, kernel_size = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %no_bias = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// CHECK-LABEL: func.func @defaults(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
// CHECK-NEXT:    %with_bias = nnvm.conv2d %x, %w, %b {channels = 4 : i64, kernel_size = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT:    %no_bias = nnvm.conv2d %x, %w {channels = 4 : i64, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "defaults"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>):
// GENERIC-NEXT:    %with_bias = "nnvm.conv2d"(%x, %w, %b) <{channels = 4 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64, layout = "NCHW", kernel_layout = "OIHW", out_layout = "__undef__", use_bias = true}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
// GENERIC-NEXT:    %no_bias = "nnvm.conv2d"(%x, %w) <{channels = 4 : i64, kernel_size = array<i64: 3, 3>, use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64, layout = "NCHW", kernel_layout = "OIHW", out_layout = "__undef__"}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// Non-default strides, padding, dilation and groups (NCHW / OIHW).
func.func @strided_grouped(%x: tensor<1x4x9x9xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) {
  %y = nnvm.conv2d %x, %w, %b {channels = 6, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>, dilation = array<i64: 2, 1>, groups = 2} : (tensor<1x4x9x9xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  func.return
}

// CHECK-LABEL: func.func @strided_grouped(%x: tensor<1x4x9x9xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) {
// CHECK-NEXT:    %y = nnvm.conv2d %x, %w, %b {channels = 6 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>, dilation = array<i64: 2, 1>, groups = 2 : i64} : (tensor<1x4x9x9xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "strided_grouped"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x4x9x9xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>):
// GENERIC-NEXT:    %y = "nnvm.conv2d"(%x, %w, %b) <{channels = 6 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0>, dilation = array<i64: 2, 1>, groups = 2 : i64, layout = "NCHW", kernel_layout = "OIHW", out_layout = "__undef__", use_bias = true}> : (tensor<1x4x9x9xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// Other layouts: any order of the letters NCHW (data, out) and OIHW (kernel).
func.func @layouts(%nhwc: tensor<1x9x9x4xf32>, %hwio: tensor<3x3x2x8xf32>, %ohwi: tensor<8x3x3x4xf32>) {
  %a = nnvm.conv2d %nhwc, %hwio {channels = 8, kernel_size = array<i64: 3, 3>, groups = 2, layout = "NHWC", kernel_layout = "HWIO", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x7x7x8xf32>
  %b = nnvm.conv2d %nhwc, %hwio {channels = 8, kernel_size = array<i64: 3, 3>, groups = 2, layout = "NHWC", kernel_layout = "HWIO", out_layout = "NCHW", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x8x7x7xf32>
  %c = nnvm.conv2d %nhwc, %ohwi {channels = 8, kernel_size = array<i64: 3, 3>, layout = "NHWC", kernel_layout = "OHWI", out_layout = "NHWC", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x7x7x8xf32>
  func.return
}

// CHECK-LABEL: func.func @layouts(%nhwc: tensor<1x9x9x4xf32>, %hwio: tensor<3x3x2x8xf32>, %ohwi: tensor<8x3x3x4xf32>) {
// CHECK-NEXT:    %a = nnvm.conv2d %nhwc, %hwio {channels = 8 : i64, kernel_size = array<i64: 3, 3>, groups = 2 : i64, layout = "NHWC", kernel_layout = "HWIO", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x7x7x8xf32>
// CHECK-NEXT:    %b = nnvm.conv2d %nhwc, %hwio {channels = 8 : i64, kernel_size = array<i64: 3, 3>, groups = 2 : i64, layout = "NHWC", kernel_layout = "HWIO", out_layout = "NCHW", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x8x7x7xf32>
// CHECK-NEXT:    %c = nnvm.conv2d %nhwc, %ohwi {channels = 8 : i64, kernel_size = array<i64: 3, 3>, layout = "NHWC", kernel_layout = "OHWI", out_layout = "NHWC", use_bias = false} : (tensor<1x9x9x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x7x7x8xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "layouts"
// GENERIC-NEXT:  ^bb0(%nhwc: tensor<1x9x9x4xf32>, %hwio: tensor<3x3x2x8xf32>, %ohwi: tensor<8x3x3x4xf32>):
// GENERIC-NEXT:    %a = "nnvm.conv2d"(%nhwc, %hwio) <{channels = 8 : i64, kernel_size = array<i64: 3, 3>, groups = 2 : i64, layout = "NHWC", kernel_layout = "HWIO", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, out_layout = "__undef__"}> : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x7x7x8xf32>
// GENERIC-NEXT:    %b = "nnvm.conv2d"(%nhwc, %hwio) <{channels = 8 : i64, kernel_size = array<i64: 3, 3>, groups = 2 : i64, layout = "NHWC", kernel_layout = "HWIO", out_layout = "NCHW", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>}> : (tensor<1x9x9x4xf32>, tensor<3x3x2x8xf32>) -> tensor<1x8x7x7xf32>
// GENERIC-NEXT:    %c = "nnvm.conv2d"(%nhwc, %ohwi) <{channels = 8 : i64, kernel_size = array<i64: 3, 3>, layout = "NHWC", kernel_layout = "OHWI", out_layout = "NHWC", use_bias = false, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x9x9x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x7x7x8xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()
