// Operands that cannot go together, and written types that contradict the op's rules: the
// verifier reports each at its op, naming the shapes, with exit status 1 and no traceback.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @use_bias_without_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'nnvm.dense' op use_bias = true needs a bias operand (or set use_bias = false)}}
  %y = nnvm.dense %x, %w {units = 4} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  func.return
}
// CHECK:      shape-errors.mlir:8:3: error: 'nnvm.dense' op use_bias = true needs a bias operand (or set use_bias = false)
// CHECK-NEXT: {{^}}  %y = nnvm.dense %x, %w {units = 4}
// CHECK-NEXT: {{^  \^$}}

// -----

func.func @bias_with_use_bias_false(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op a bias operand is given but use_bias = false}}
  %y = nnvm.conv2d %x, %w, %b {channels = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      shape-errors.mlir:19:3: error: 'nnvm.conv2d' op a bias operand is given but use_bias = false

// -----

func.func @dense_inner_dims(%x: tensor<2x8xf32>, %w: tensor<4x6xf32>) {
  // expected-error@+1 {{'nnvm.dense' op data has 8 input features (shape 2x8) but weight expects 6 (shape 4x6)}}
  %y = nnvm.dense %x, %w {units = 4, use_bias = false} : (tensor<2x8xf32>, tensor<4x6xf32>) -> tensor<2x4xf32>
  func.return
}
// CHECK:      shape-errors.mlir:28:3: error: 'nnvm.dense' op data has 8 input features (shape 2x8) but weight expects 6 (shape 4x6)

// -----

func.func @dense_units_vs_weight(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'nnvm.dense' op weight dim 0 (units) must be 5, got 4 (shape 4x8)}}
  %y = nnvm.dense %x, %w {units = 5, use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @dense_bias_size(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'nnvm.dense' op bias size (units) must be 4, got 3 (shape 3)}}
  %y = nnvm.dense %x, %w, %b {units = 4} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @conv2d_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x5x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op data has 3 channels (shape 1x3x8x8) but weight expects 5 (shape 4x5x3x3, groups = 1)}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x5x3x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      shape-errors.mlir:53:3: error: 'nnvm.conv2d' op data has 3 channels (shape 1x3x8x8) but weight expects 5 (shape 4x5x3x3, groups = 1)

// -----

func.func @conv2d_kernel_vs_weight(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x5x5xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op weight kernel height must be 3, got 5 (shape 4x3x5x5)}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x3x8x8xf32>, tensor<4x3x5x5xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @conv2d_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op data must have rank 4, got 3x8x8}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x8x4x4xf32>, %g: tensor<4xf32>, %p: tensor<8xf32>) {
  // expected-error@+1 {{'nnvm.batch_norm' op gamma size (data channels) must be 8, got 4 (shape 4)}}
  %r = nnvm.batch_norm %x, %g, %p, %p, %p : (tensor<1x8x4x4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  func.return
}
// CHECK:      shape-errors.mlir:78:3: error: 'nnvm.batch_norm' op gamma size (data channels) must be 8, got 4 (shape 4)

// -----

func.func @batch_norm_moving_var(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %v: tensor<8x1xf32>) {
  // expected-error@+1 {{'nnvm.batch_norm' op moving_var must have rank 1, got 8x1}}
  %r = nnvm.batch_norm %x, %p, %p, %p, %v : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x1xf32>) -> tensor<1x8x4x4xf32>
  func.return
}

// -----

func.func @elemwise_shapes(%x: tensor<2x3xf32>, %y: tensor<3x2xf32>) {
  // expected-error@+1 {{'nnvm.elemwise_add' op operands must have identical shapes, got 2x3 and 3x2}}
  %r = nnvm.elemwise_add %x, %y : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  func.return
}
// CHECK:      shape-errors.mlir:95:3: error: 'nnvm.elemwise_add' op operands must have identical shapes, got 2x3 and 3x2

// -----

func.func @elemwise_element_types(%x: tensor<2x3xf32>, %y: tensor<2x3xf16>) {
  // expected-error@+1 {{'nnvm.elemwise_mul' op operands must have one element type, got f32, f16}}
  %r = nnvm.elemwise_mul %x, %y : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<2x3xf32>
  func.return
}
// CHECK:      shape-errors.mlir:104:3: error: 'nnvm.elemwise_mul' op operands must have one element type, got f32, f16

// -----

func.func @result_element_type(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.relu' op result #0 of type tensor<2x3xi32>: element type i32 conflicts with f32}}
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xi32>
  func.return
}

// -----

func.func @concatenate_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'nnvm.concatenate' op operands differ in dim 0 (not the axis 1): 2x3, 4x5}}
  %r = nnvm.concatenate %a, %b {axis = 1} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  func.return
}
// CHECK:      shape-errors.mlir:121:3: error: 'nnvm.concatenate' op operands differ in dim 0 (not the axis 1): 2x3, 4x5

// -----

func.func @concatenate_ranks(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.concatenate' op operands must have one rank, got 2x3, 2}}
  %r = nnvm.concatenate %a, %b {axis = 0} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @split_not_divisible(%a: tensor<2x5xf32>) {
  // expected-error@+1 {{'nnvm.split' op dim 5 of the axis cannot be split into 2 equal parts}}
  %r:2 = nnvm.split %a {indices_or_sections = 2} : (tensor<2x5xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  func.return
}
// CHECK:      shape-errors.mlir:138:3: error: 'nnvm.split' op dim 5 of the axis cannot be split into 2 equal parts

// -----

func.func @split_result_count(%a: tensor<2x6xf32>) {
  // expected-error@+1 {{'nnvm.split' op indices_or_sections gives 3 parts but the op has 2 results}}
  %r:2 = nnvm.split %a {indices_or_sections = 3} : (tensor<2x6xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  func.return
}
// CHECK:      shape-errors.mlir:147:3: error: 'nnvm.split' op indices_or_sections gives 3 parts but the op has 2 results

// -----

func.func @split_point_outside(%a: tensor<2x6xf32>) {
  // expected-error@+1 {{'nnvm.split' op split point 7 is not inside dim 6 of the axis}}
  %r:3 = nnvm.split %a {indices_or_sections = array<i64: 2, 7>} : (tensor<2x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  func.return
}

// -----

func.func @result_shape(%a: tensor<2x6xf32>) {
  // expected-error@+1 {{'nnvm.relu' op result #0 of type tensor<2x7xf32>: shape 2x7 conflicts with 2x6}}
  %r = nnvm.relu %a : (tensor<2x6xf32>) -> tensor<2x7xf32>
  func.return
}
// CHECK:      shape-errors.mlir:164:3: error: 'nnvm.relu' op result #0 of type tensor<2x7xf32>: shape 2x7 conflicts with 2x6
// CHECK-NEXT: {{^}}  %r = nnvm.relu %a : (tensor<2x6xf32>) -> tensor<2x7xf32>
// CHECK-NEXT: {{^  \^$}}

// -----

func.func @result_rank(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.flatten' op result #0 of type tensor<24xf32>: rank 1 (24) conflicts with rank 2 (2x12)}}
  %r = nnvm.flatten %x : (tensor<2x3x4xf32>) -> tensor<24xf32>
  func.return
}

// -----

func.func @pool_result(%x: tensor<1x2x7x7xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op result #0 of type tensor<1x2x3x3xf32>: shape 1x2x3x3 conflicts with 1x2x4x4}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
  func.return
}

// -----

func.func @cast_result(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.cast' op result #0 of type tensor<2xf16>: element type f16 conflicts with i32}}
  %r = nnvm.cast %x {dtype = i32} : (tensor<2xf32>) -> tensor<2xf16>
  func.return
}

// -----

func.func @window_too_large(%x: tensor<1x1x2x2xf32>) {
  // expected-error@+1 {{'nnvm.max_pool2d' op window 3 is larger than the padded input 2}}
  %r = nnvm.max_pool2d %x {pool_size = array<i64: 3, 3>} : (tensor<1x1x2x2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @pad_width_rank(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.pad' op pad_width has 1 pairs but data has rank 2 (shape 2x3)}}
  %r = nnvm.pad %x {pad_width = [array<i64: 1, 1>]} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @flatten_scalar(%x: tensor<f32>) {
  // expected-error@+1 {{'nnvm.flatten' op data must have rank >= 1, got a scalar}}
  %r = nnvm.flatten %x : (tensor<f32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @return_type(%x: tensor<2xf32>) -> tensor<3xf32> {
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
  // expected-error@+1 {{'func.return' op Expected arguments to have the same types as the function output types: expected [tensor<3xf32>], got [tensor<2xf32>]}}
  func.return %r : tensor<2xf32>
}
// CHECK:      shape-errors.mlir:224:3: error: 'func.return' op Expected arguments to have the same types as the function output types
// CHECK-NEXT: {{^}}  func.return %r : tensor<2xf32>
// CHECK-NEXT: {{^  \^$}}

// -----

// Operands must be tensors. (The message itself comes from xDSL and does not say so yet.)
func.func @non_tensor_operand(%x: i32) {
  // expected-error@+1 {{'nnvm.relu' op}}
  %r = nnvm.relu %x : (i32) -> i32
  func.return
}

// -----

// Two bad ops in one function: both are reported, in order.
func.func @two_errors(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.dropout' op rate must be in [0, 1], got -1.0}}
  %a = nnvm.dropout %x {rate = -1.0} : (tensor<2xf32>) -> tensor<2xf32>
  // expected-error@+1 {{'nnvm.tanh' op result #0 of type tensor<3xf32>: shape 3 conflicts with 2}}
  %b = nnvm.tanh %x : (tensor<2xf32>) -> tensor<3xf32>
  func.return
}
// CHECK:      shape-errors.mlir:244:3: error: 'nnvm.dropout' op rate must be in [0, 1], got -1.0
// CHECK:      shape-errors.mlir:246:3: error: 'nnvm.tanh' op result #0 of type tensor<3xf32>: shape 3 conflicts with 2
// CHECK-NOT:  Traceback
