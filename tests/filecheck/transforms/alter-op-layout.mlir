// RUN: nnvm-opt %s -p alter-op-layout,canonicalize --split-input-file | filecheck %s
// RUN: nnvm-opt %s -p 'alter-op-layout{block-size=4}' --split-input-file | filecheck %s --check-prefix=B4

// Two convolutions in NCHW8c; the relu between them moves into the blocked layout, so the
// transforms back and forth meet and canonicalize cancels them.
func.func @two(%x: tensor<1x8x4x4xf32>, %w1: tensor<16x8x3x3xf32>, %w2: tensor<8x16x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %c1 = nnvm.conv2d %x, %w1 {channels = 16, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, use_bias = false} : (tensor<1x8x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x4x4xf32>
  %r = nnvm.relu %c1 : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %c2 = nnvm.conv2d %r, %w2 {channels = 8, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x16x4x4xf32>, tensor<8x16x1x1xf32>) -> tensor<1x8x4x4xf32>
  func.return %c2 : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @two
// CHECK-NEXT:    %c1 = nnvm.layout_transform %x {src_layout = "NCHW", dst_layout = "NCHW8c"} : (tensor<1x8x4x4xf32>) -> tensor<1x1x4x4x8xf32>
// CHECK-NEXT:    %c1_1 = nnvm.layout_transform %w1 {src_layout = "OIHW", dst_layout = "OIHW8i8o"} : (tensor<16x8x3x3xf32>) -> tensor<2x1x3x3x8x8xf32>
// CHECK-NEXT:    %c1_2 = nnvm.conv2d %c1, %c1_1 {channels = 16 : i64, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, use_bias = false, layout = "NCHW8c", kernel_layout = "OIHW8i8o", out_layout = "NCHW8c"} : (tensor<1x1x4x4x8xf32>, tensor<2x1x3x3x8x8xf32>) -> tensor<1x2x4x4x8xf32>
// CHECK-NEXT:    %r = nnvm.relu %c1_2 : (tensor<1x2x4x4x8xf32>) -> tensor<1x2x4x4x8xf32>
// CHECK-NEXT:    %c2 = nnvm.layout_transform %w2 {src_layout = "OIHW", dst_layout = "OIHW8i8o"} : (tensor<8x16x1x1xf32>) -> tensor<1x2x1x1x8x8xf32>
// CHECK-NEXT:    %c2_1 = nnvm.conv2d %r, %c2 {{.*}} layout = "NCHW8c", kernel_layout = "OIHW8i8o", out_layout = "NCHW8c"} : (tensor<1x2x4x4x8xf32>, tensor<1x2x1x1x8x8xf32>) -> tensor<1x1x4x4x8xf32>
// CHECK-NEXT:    %c2_2 = nnvm.layout_transform %c2_1 {src_layout = "NCHW8c", dst_layout = "NCHW"} : (tensor<1x1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT:    func.return %c2_2 : tensor<1x8x4x4xf32>

// B4-LABEL: func.func @two
// B4:         layout = "NCHW4c", kernel_layout = "OIHW4i4o", out_layout = "NCHW4c"

// -----

// Left alone: 6 input channels are not a multiple of 8; a grouped convolution; NHWC data.
func.func @kept(%x: tensor<1x6x4x4xf32>, %w: tensor<8x6x1x1xf32>, %y: tensor<1x16x4x4xf32>, %g: tensor<16x8x1x1xf32>, %z: tensor<1x4x4x8xf32>, %k: tensor<8x8x1x1xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>, tensor<1x4x4x8xf32>) {
  %a = nnvm.conv2d %x, %w {channels = 8, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x6x4x4xf32>, tensor<8x6x1x1xf32>) -> tensor<1x8x4x4xf32>
  %b = nnvm.conv2d %y, %g {channels = 16, groups = 2, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x16x4x4xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x4x4xf32>
  %c = nnvm.conv2d %z, %k {channels = 8, kernel_size = array<i64: 1, 1>, use_bias = false, layout = "NHWC"} : (tensor<1x4x4x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x4x4x8xf32>
  func.return %a, %b, %c : tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>, tensor<1x4x4x8xf32>
}

// CHECK-LABEL: func.func @kept
// CHECK-NEXT:    %a = nnvm.conv2d %x, %w {channels = 8 : i64, kernel_size = array<i64: 1, 1>, use_bias = false}
// CHECK-NEXT:    %b = nnvm.conv2d %y, %g {channels = 16 : i64, groups = 2 : i64, kernel_size = array<i64: 1, 1>, use_bias = false}
// CHECK-NEXT:    %c = nnvm.conv2d %z, %k {channels = 8 : i64, kernel_size = array<i64: 1, 1>, use_bias = false, layout = "NHWC"}
// CHECK-NEXT:    func.return %a, %b, %c
