// Each op's shape rule, run by infer-shape with non-default attributes. Every result is written
// unranked; infer-shape gives it its shape and the function signature follows.
// RUN: nnvm-opt %s -p infer-shape | filecheck %s

// conv2d, H_out = (H + 2*pad - (1 + (k-1)*dilation)) // stride + 1 = (9 + 2 - 5) // 2 + 1 = 4.
func.func @conv2d_stride_dilation(%x: tensor<1x4x9x9xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<*xf32> {
  %y = nnvm.conv2d %x, %w, %b {channels = 6, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1>, dilation = array<i64: 2, 2>, groups = 2} : (tensor<1x4x9x9xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}
// CHECK-LABEL: func.func @conv2d_stride_dilation(
// CHECK-SAME:    -> tensor<1x6x4x4xf32> {
// CHECK-NEXT:    nnvm.conv2d {{.*}} -> tensor<1x6x4x4xf32>
// CHECK-NEXT:    func.return %{{.*}} : tensor<1x6x4x4xf32>

// NHWC data, HWIO kernel, NCHW output; H = (10 - 3) // 1 + 1 = 8, W = (7 + 2*2 - 3) // 2 + 1 = 5.
func.func @conv2d_layouts(%x: tensor<2x10x7x3xf32>, %w: tensor<3x3x3x16xf32>) -> tensor<*xf32> {
  %y = nnvm.conv2d %x, %w {channels = 16, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 2>, padding = array<i64: 0, 2>, layout = "NHWC", kernel_layout = "HWIO", out_layout = "NCHW", use_bias = false} : (tensor<2x10x7x3xf32>, tensor<3x3x3x16xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}
// CHECK-LABEL: func.func @conv2d_layouts(
// CHECK:         nnvm.conv2d {{.*}} -> tensor<2x16x8x5xf32>

// The output layout defaults to the data layout.
func.func @conv2d_nhwc(%x: tensor<2x10x7x3xf32>, %w: tensor<3x3x3x16xf32>) -> tensor<*xf32> {
  %y = nnvm.conv2d %x, %w {channels = 16, kernel_size = array<i64: 3, 3>, layout = "NHWC", kernel_layout = "HWIO", use_bias = false} : (tensor<2x10x7x3xf32>, tensor<3x3x3x16xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}
// CHECK-LABEL: func.func @conv2d_nhwc(
// CHECK:         nnvm.conv2d {{.*}} -> tensor<2x8x5x16xf32>

// max_pool2d on 9x9, window 2, stride 2: ceil_mode gives 5, floor gives 4.
func.func @max_pool2d_ceil_mode(%x: tensor<1x4x9x9xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %ceil = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x4x9x9xf32>) -> tensor<*xf32>
  %floor = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x9x9xf32>) -> tensor<*xf32>
  func.return %ceil, %floor : tensor<*xf32>, tensor<*xf32>
}
// CHECK-LABEL: func.func @max_pool2d_ceil_mode(
// CHECK-SAME:    -> (tensor<1x4x5x5xf32>, tensor<1x4x4x4xf32>)
// CHECK-NEXT:    %ceil = nnvm.max_pool2d {{.*}} -> tensor<1x4x5x5xf32>
// CHECK-NEXT:    %floor = nnvm.max_pool2d {{.*}} -> tensor<1x4x4x4xf32>

// Four-int padding is (top, left, bottom, right): H = (7 + 0 + 2 - 3) // 2 + 1 = 4,
// W = (7 + 1 + 0 - 3) // 2 + 1 = 3.
func.func @max_pool2d_padding(%x: tensor<1x2x7x7xf32>) -> tensor<*xf32> {
  %p = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 2, 0>} : (tensor<1x2x7x7xf32>) -> tensor<*xf32>
  func.return %p : tensor<*xf32>
}
// CHECK-LABEL: func.func @max_pool2d_padding(
// CHECK:         nnvm.max_pool2d {{.*}} -> tensor<1x2x4x3xf32>

// split at indices 3 and 7 of a dim of 10 gives 3, 4 and 3.
func.func @split_indices(%x: tensor<2x10x4xf32>) -> tensor<*xf32> {
  %a:3 = nnvm.split %x {indices_or_sections = array<i64: 3, 7>} : (tensor<2x10x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  func.return %a#1 : tensor<*xf32>
}
// CHECK-LABEL: func.func @split_indices(
// CHECK-SAME:    -> tensor<2x4x4xf32>
// CHECK-NEXT:    nnvm.split {{.*}} -> (tensor<2x3x4xf32>, tensor<2x4x4xf32>, tensor<2x3x4xf32>)

func.func @split_sections_negative_axis(%x: tensor<2x10x4xf32>) -> tensor<*xf32> {
  %a:2 = nnvm.split %x {indices_or_sections = 2, axis = -1} : (tensor<2x10x4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  func.return %a#0 : tensor<*xf32>
}
// CHECK-LABEL: func.func @split_sections_negative_axis(
// CHECK:         nnvm.split {{.*}} -> (tensor<2x10x2xf32>, tensor<2x10x2xf32>)

func.func @concatenate_axis0(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<*xf32> {
  %c = nnvm.concatenate %a, %b {axis = 0} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK-LABEL: func.func @concatenate_axis0(
// CHECK:         nnvm.concatenate {{.*}} -> tensor<6x3xf32>

func.func @concatenate_negative_axis(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<*xf32> {
  %c = nnvm.concatenate %a, %b, %a {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK-LABEL: func.func @concatenate_negative_axis(
// CHECK:         nnvm.concatenate {{.*}} -> tensor<2x11xf32>

// A `?` on the axis makes the sum unknown; a `?` elsewhere is filled from the other operand.
func.func @concatenate_partial(%a: tensor<?x3xf32>, %b: tensor<2x?xf32>) -> tensor<*xf32> {
  %c = nnvm.concatenate %a, %b {axis = 1} : (tensor<?x3xf32>, tensor<2x?xf32>) -> tensor<*xf32>
  func.return %c : tensor<*xf32>
}
// CHECK-LABEL: func.func @concatenate_partial(
// CHECK:         nnvm.concatenate {{.*}} -> tensor<2x?xf32>

// expand_dims: a negative axis counts from ndim + 1; num_newaxis inserts that many 1s.
func.func @expand_dims(%x: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %end = nnvm.expand_dims %x {axis = -1, num_newaxis = 2} : (tensor<2x3xf32>) -> tensor<*xf32>
  %front = nnvm.expand_dims %x {axis = -3} : (tensor<2x3xf32>) -> tensor<*xf32>
  %mid = nnvm.expand_dims %x {axis = 1, num_newaxis = 2} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %end, %front, %mid : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
// CHECK-LABEL: func.func @expand_dims(
// CHECK-NEXT:    %end = nnvm.expand_dims {{.*}} -> tensor<2x3x1x1xf32>
// CHECK-NEXT:    %front = nnvm.expand_dims {{.*}} -> tensor<1x2x3xf32>
// CHECK-NEXT:    %mid = nnvm.expand_dims {{.*}} -> tensor<2x1x1x3xf32>

func.func @pad(%x: tensor<2x?xf32>) -> tensor<*xf32> {
  %p = nnvm.pad %x {pad_width = [array<i64: 1, 2>, array<i64: 0, 3>]} : (tensor<2x?xf32>) -> tensor<*xf32>
  func.return %p : tensor<*xf32>
}
// CHECK-LABEL: func.func @pad(
// CHECK:         nnvm.pad {{.*}} -> tensor<5x?xf32>

func.func @flatten(%x: tensor<1x4x9x9xf32>, %y: tensor<3x?x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %f = nnvm.flatten %x : (tensor<1x4x9x9xf32>) -> tensor<*xf32>
  %g = nnvm.flatten %y : (tensor<3x?x2xf32>) -> tensor<*xf32>
  func.return %f, %g : tensor<*xf32>, tensor<*xf32>
}
// CHECK-LABEL: func.func @flatten(
// CHECK-NEXT:    %f = nnvm.flatten {{.*}} -> tensor<1x324xf32>
// CHECK-NEXT:    %g = nnvm.flatten {{.*}} -> tensor<3x?xf32>

func.func @dense_batch_dims(%x: tensor<3x2x4xf32>, %w: tensor<5x4xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  %d = nnvm.dense %x, %w, %b {units = 5} : (tensor<3x2x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<*xf32>
  func.return %d : tensor<*xf32>
}
// CHECK-LABEL: func.func @dense_batch_dims(
// CHECK:         nnvm.dense {{.*}} -> tensor<3x2x5xf32>

func.func @batch_norm_axis(%x: tensor<2x10x4xf32>, %g: tensor<4xf32>) -> tensor<*xf32> {
  %y = nnvm.batch_norm %x, %g, %g, %g, %g {axis = 2} : (tensor<2x10x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}
// CHECK-LABEL: func.func @batch_norm_axis(
// CHECK:         nnvm.batch_norm {{.*}} -> tensor<2x10x4xf32>

func.func @same_shape(%x: tensor<2x3xf32>, %y: tensor<?x3xf32>) -> tensor<*xf16> {
  %a = nnvm.elemwise_sub %y, %x : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %b = nnvm.leaky_relu %a : (tensor<*xf32>) -> tensor<*xf32>
  %c = nnvm.dropout %b {rate = 0.3} : (tensor<*xf32>) -> tensor<*xf32>
  %d = nnvm.log_softmax %c {axis = 0} : (tensor<*xf32>) -> tensor<*xf32>
  %e = nnvm.cast %d {dtype = f16} : (tensor<*xf32>) -> tensor<*xf16>
  %f = nnvm.softmax %e : (tensor<*xf16>) -> tensor<*xf16>
  func.return %f : tensor<*xf16>
}
// CHECK-LABEL: func.func @same_shape(
// CHECK-SAME:    -> tensor<2x3xf16>
// CHECK-NEXT:    nnvm.elemwise_sub {{.*}} -> tensor<2x3xf32>
// CHECK-NEXT:    nnvm.leaky_relu {{.*}} -> tensor<2x3xf32>
// CHECK-NEXT:    nnvm.dropout {{.*}} -> tensor<2x3xf32>
// CHECK-NEXT:    nnvm.log_softmax {{.*}} -> tensor<2x3xf32>
// CHECK-NEXT:    nnvm.cast {{.*}} -> tensor<2x3xf16>
// CHECK-NEXT:    nnvm.softmax {{.*}} -> tensor<2x3xf16>
// CHECK-NEXT:    func.return %{{.*}} : tensor<2x3xf16>
