// Bad attributes: unknown, of the wrong type, missing, or out of range. Each is reported at its
// op, naming the attribute and the value, with exit status 1 and no traceback.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @unknown_attribute(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.leaky_relu' op unknown attribute 'alpah' (this op takes: alpha)}}
  %r = nnvm.leaky_relu %x {alpah = 0.1} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:8:3: error: 'nnvm.leaky_relu' op unknown attribute 'alpah' (this op takes: alpha)
// CHECK-NEXT: {{^}}  %r = nnvm.leaky_relu %x {alpah = 0.1}
// CHECK-NEXT: {{^  \^$}}

// -----

func.func @attribute_on_op_without_attributes(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.relu' op unknown attribute 'axis' (this op takes: none)}}
  %r = nnvm.relu %x {axis = 1} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:19:3: error: 'nnvm.relu' op unknown attribute 'axis' (this op takes: none)

// -----

func.func @string_for_integer(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'nnvm.dense' op attribute 'units' must be an integer, got "four"}}
  %y = nnvm.dense %x, %w {units = "four", use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:28:3: error: 'nnvm.dense' op attribute 'units' must be an integer, got "four"
// CHECK-NEXT: {{^}}  %y = nnvm.dense %x, %w {units = "four"
// CHECK-NEXT: {{^  \^$}}

// -----

func.func @integer_for_bool(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op attribute 'ceil_mode' is invalid: Expected attribute i1 but got i32}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, ceil_mode = 1 : i32} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:39:3: error: 'nnvm.max_pool2d' op attribute 'ceil_mode' is invalid: Expected attribute i1 but got i32

// -----

func.func @integer_for_float(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.dropout' op}}
  %r = nnvm.dropout %x {rate = 1 : i64} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}

// -----

func.func @missing_units(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'nnvm.dense' op missing required attribute 'units'}}
  %y = nnvm.dense %x, %w {use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:56:3: error: 'nnvm.dense' op missing required attribute 'units'

// -----

func.func @missing_kernel_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op missing required attribute 'kernel_size'}}
  %r = nnvm.conv2d %x, %w {channels = 4, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @missing_cast_dtype(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.cast' op missing required attribute 'dtype'}}
  %r = nnvm.cast %x : (tensor<2xf32>) -> tensor<2xi32>
  func.return
}

// -----

func.func @negative_alpha(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.leaky_relu' op alpha must be >= 0, got -0.5}}
  %r = nnvm.leaky_relu %x {alpha = -0.5} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:81:3: error: 'nnvm.leaky_relu' op alpha must be >= 0, got -0.5

// -----

func.func @dropout_rate(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.dropout' op rate must be in [0, 1], got 2.0}}
  %r = nnvm.dropout %x {rate = 2.0} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:90:3: error: 'nnvm.dropout' op rate must be in [0, 1], got 2.0

// -----

func.func @pool_padding_arity(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op padding must be 1, 2 or 4 integers >= 0, got [1, 1, 1]}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, padding = array<i64: 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:99:3: error: 'nnvm.max_pool2d' op padding must be 1, 2 or 4 integers >= 0, got [1, 1, 1]

// -----

func.func @pool_size_zero(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op pool_size must be 2 integers >= 1, got [0, 2]}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 0, 2>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @conv_padding_arity(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op padding must be 2 integers >= 0, got [1, 1, 1, 1]}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @kernel_size_arity(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op kernel_size must be 2 integers >= 1, got [3]}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:124:3: error: 'nnvm.conv2d' op kernel_size must be 2 integers >= 1, got [3]

// -----

func.func @zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op strides must be 2 integers >= 1, got [0, 1]}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, strides = array<i64: 0, 1>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @channels_not_multiple_of_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op channels (6) must be a positive multiple of groups (4)}}
  %r = nnvm.conv2d %x, %w {channels = 6, groups = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @unsupported_layout(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op layout 'NCHW4x' is not supported: use an order of the letters NCHW}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, layout = "NCHW4x", use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:149:3: error: 'nnvm.conv2d' op layout 'NCHW4x' is not supported: use an order of the letters NCHW

// -----

func.func @unsupported_kernel_layout(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op kernel_layout 'OIWX' is not supported: use an order of the letters OIHW}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, kernel_layout = "OIWX", use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @unsupported_pool_layout(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op layout 'NCH' is not supported: use an order of the letters NCHW}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, layout = "NCH"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @units_zero(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'nnvm.dense' op units must be >= 1, got 0}}
  %y = nnvm.dense %x, %w {units = 0, use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @negative_pad_width(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.pad' op pad_width entries must be (before, after) pairs >= 0, got [1, -1]}}
  %r = nnvm.pad %x {pad_width = [array<i64: 1, -1>, array<i64: 0, 0>]} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @split_points_decreasing(%x: tensor<2x8xf32>) {
  // expected-error@+1 {{'nnvm.split' op split points must be positive and increasing, got [5, 3]}}
  %r:3 = nnvm.split %x {indices_or_sections = array<i64: 5, 3>} : (tensor<2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  func.return
}

// -----

func.func @zero_sections(%x: tensor<2x8xf32>) {
  // expected-error@+1 {{'nnvm.split' op the number of sections must be >= 1}}
  %r = nnvm.split %x {indices_or_sections = 0} : (tensor<2x8xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @num_newaxis_zero(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.expand_dims' op num_newaxis must be >= 1, got 0}}
  %r = nnvm.expand_dims %x {axis = 0, num_newaxis = 0} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @softmax_axis(%x: tensor<2x6xf32>) {
  // expected-error@+1 {{'nnvm.softmax' op axis 2 is out of range for rank 2}}
  %r = nnvm.softmax %x {axis = 2} : (tensor<2x6xf32>) -> tensor<2x6xf32>
  func.return
}
// CHECK:      attribute-errors.mlir:214:3: error: 'nnvm.softmax' op axis 2 is out of range for rank 2

// -----

func.func @expand_dims_axis(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.expand_dims' op axis -4 is out of range for rank 3}}
  %r = nnvm.expand_dims %x {axis = -4} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @concatenate_axis(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.concatenate' op axis -3 is out of range for rank 2}}
  %r = nnvm.concatenate %a, %a {axis = -3} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @batch_norm_axis(%x: tensor<2x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.batch_norm' op axis 2 is out of range for rank 2}}
  %r = nnvm.batch_norm %x, %p, %p, %p, %p {axis = 2} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK-NOT:  Traceback
