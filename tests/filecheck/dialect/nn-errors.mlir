// Malformed nn, pool, norm and vision ops: each new attribute's wrong values and each new
// shape conflict is reported at its op with a message naming the attribute or operand, with
// exit status 1 and no traceback.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @zero_block(%x: tensor<1x1x8x8x4xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op layout 'NCHW0c' is not supported: use an order of the letters NCHW, optionally with blocks such as NCHW8c}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, layout = "NCHW0c", use_bias = false} : (tensor<1x1x8x8x4xf32>, tensor<4x4x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @block_of_unknown_axis(%x: tensor<1x1x8x8x4xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op kernel_layout 'OIHW4x' is not supported: use an order of the letters OIHW, optionally with blocks such as OIHW8i}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", kernel_layout = "OIHW4x", use_bias = false} : (tensor<1x1x8x8x4xf32>, tensor<4x4x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @data_block_size(%x: tensor<1x2x8x8x2xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op data dim 4 (block c of NCHW4c) must be 4, got 2 (shape 1x2x8x8x2)}}
  %r = nnvm.conv2d %x, %w {channels = 4, kernel_size = array<i64: 3, 3>, layout = "NCHW4c", use_bias = false} : (tensor<1x2x8x8x2xf32>, tensor<4x4x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @channels_not_a_multiple_of_the_out_block(%x: tensor<1x4x8x8xf32>, %w: tensor<12x4x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op result C = 12 is not a multiple of the block size 8 of layout NCHW8c}}
  %r = nnvm.conv2d %x, %w {channels = 12, kernel_size = array<i64: 3, 3>, out_layout = "NCHW8c", use_bias = false} : (tensor<1x4x8x8xf32>, tensor<12x4x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @blocked_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<16x4x3x3xf32>, %b: tensor<4x4xf32>) {
  // expected-error@+1 {{'nnvm.conv2d' op bias dim 1 (block c of NCHW8c) must be 8, got 4 (shape 4x4)}}
  %r = nnvm.conv2d %x, %w, %b {channels = 16, kernel_size = array<i64: 3, 3>, out_layout = "NCHW8c"} : (tensor<1x4x8x8xf32>, tensor<16x4x3x3xf32>, tensor<4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @output_padding_not_below_stride(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d_transpose' op output_padding [2, 0] must be below max(strides, dilation) in each dim}}
  %r = nnvm.conv2d_transpose %x, %w {channels = 3, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, output_padding = array<i64: 2, 0>, use_bias = false} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @output_padding_count(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d_transpose' op output_padding must be 2 integers >= 0, got [0]}}
  %r = nnvm.conv2d_transpose %x, %w {channels = 3, kernel_size = array<i64: 3, 3>, output_padding = array<i64: 0>, use_bias = false} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @transpose_weight_input_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<3x3x3x3xf32>) {
  // expected-error@+1 {{'nnvm.conv2d_transpose' op weight dim O (input channels) must be 4, got 3 (shape 3x3x3x3)}}
  %r = nnvm.conv2d_transpose %x, %w {channels = 3, kernel_size = array<i64: 3, 3>, use_bias = false} : (tensor<1x4x5x5xf32>, tensor<3x3x3x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @transpose_padding_leaves_nothing(%x: tensor<1x4x1x1xf32>, %w: tensor<4x3x1x1xf32>) {
  // expected-error@+1 {{'nnvm.conv2d_transpose' op padding 1 leaves no output of an input of size 1}}
  %r = nnvm.conv2d_transpose %x, %w {channels = 3, kernel_size = array<i64: 1, 1>, padding = array<i64: 1, 1>, use_bias = false} : (tensor<1x4x1x1xf32>, tensor<4x3x1x1xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @count_include_pad_not_a_bool(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.avg_pool2d' op attribute 'count_include_pad' is invalid: Expected attribute i1 but got i32}}
  %r = nnvm.avg_pool2d %x {pool_size = array<i64: 2, 2>, count_include_pad = 1 : i32} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @pool_split_height(%x: tensor<1x1x2x4x2xf32>) {
  // expected-error@+1 {{'nnvm.avg_pool2d' op layout 'NCHW2h' is not supported: use an order of the letters NCHW, optionally with blocks such as NCHW8c (H and W cannot be split)}}
  %r = nnvm.avg_pool2d %x {pool_size = array<i64: 2, 2>, layout = "NCHW2h"} : (tensor<1x1x2x4x2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @avg_pool_padding_count(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.avg_pool2d' op padding must be 1, 2 or 4 integers >= 0, got [1, 1, 1]}}
  %r = nnvm.avg_pool2d %x {pool_size = array<i64: 2, 2>, padding = array<i64: 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @avg_pool_window_too_large(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.avg_pool2d' op window 5 is larger than the padded input 4}}
  %r = nnvm.avg_pool2d %x {pool_size = array<i64: 5, 2>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @global_pool_rank(%x: tensor<1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.global_avg_pool2d' op data must have rank 4, got 1x4x4 (layout NCHW)}}
  %r = nnvm.global_avg_pool2d %x : (tensor<1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @global_pool_result(%x: tensor<1x3x4x4xf32>) {
  // expected-error@+1 {{'nnvm.global_max_pool2d' op result #0 of type tensor<1x3x1x1xf32>: shape 1x3x1x1 conflicts with 1x1x1x4}}
  %r = nnvm.global_max_pool2d %x {layout = "NHWC"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  func.return
}

// -----

func.func @upsampling_scale(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.upsampling' op scale must be >= 1, got 0}}
  %r = nnvm.upsampling %x {scale = 0} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @upsampling_method(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.upsampling' op method must be one of "NEAREST_NEIGHBOR", "BILINEAR", got "BICUBIC"}}
  %r = nnvm.upsampling %x {scale = 2, method = "BICUBIC"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @lrn_size(%x: tensor<1x4x2x2xf32>) {
  // expected-error@+1 {{'nnvm.lrn' op size must be >= 1, got 0}}
  %r = nnvm.lrn %x {size = 0, axis = 1, alpha = 1.0, beta = 1.0, bias = 1.0} : (tensor<1x4x2x2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @lrn_missing_alpha(%x: tensor<1x4x2x2xf32>) {
  // expected-error@+1 {{'nnvm.lrn' op missing required attribute 'alpha'}}
  %r = nnvm.lrn %x {size = 3, axis = 1, beta = 1.0, bias = 1.0} : (tensor<1x4x2x2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @lrn_axis(%x: tensor<1x4x2x2xf32>) {
  // expected-error@+1 {{'nnvm.lrn' op axis 4 is out of range for rank 4}}
  %r = nnvm.lrn %x {size = 3, axis = 4, alpha = 1.0, beta = 1.0, bias = 1.0} : (tensor<1x4x2x2xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @l2_normalize_repeated_axis(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.l2_normalize' op axis [1, -2] names an axis twice}}
  %r = nnvm.l2_normalize %x {eps = 1.0e-10, axis = array<i64: 1, -2>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @l2_normalize_axis(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.l2_normalize' op axis 3 is out of range for rank 3}}
  %r = nnvm.l2_normalize %x {eps = 1.0e-10, axis = array<i64: 3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layer_norm_gamma(%x: tensor<2x5x8xf32>, %g: tensor<5xf32>, %b: tensor<8xf32>) {
  // expected-error@+1 {{'nnvm.layer_norm' op gamma size (data channels) must be 8, got 5 (shape 5)}}
  %r = nnvm.layer_norm %x, %g, %b : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<8xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>) {
  // expected-error@+1 {{'nnvm.layer_norm' op axis -4 is out of range for rank 3}}
  %r = nnvm.layer_norm %x, %g, %g {axis = -4} : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @instance_norm_rank(%x: tensor<5xf32>, %g: tensor<5xf32>) {
  // expected-error@+1 {{'nnvm.instance_norm' op data must have rank >= 2, got 5}}
  %r = nnvm.instance_norm %x, %g, %g {axis = 0} : (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_size_and_scale(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op give exactly one of size (2 integers) and scale (2 floats), got size = [8, 8], scale = [2.0, 2.0]}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>, scale = array<f64: 2.0, 2.0>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_neither(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op give exactly one of size (2 integers) and scale (2 floats), got size = [], scale = []}}
  %r = nnvm.resize %x : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_float_size(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op size must be an array<i64: h, w>, got array<f64: 8.000000e+00, 8.000000e+00>}}
  %r = nnvm.resize %x {size = array<f64: 8.0, 8.0>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_scale(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op scale must be 2 floats > 0, got [2.0, 0.0]}}
  %r = nnvm.resize %x {scale = array<f64: 2.0, 0.0>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_scale_leaves_nothing(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op scale 0.2 leaves no output of an input of size 4}}
  %r = nnvm.resize %x {scale = array<f64: 2.0, 0.2>} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_method(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op method must be one of "NEAREST_NEIGHBOR", "BILINEAR", got "bilinear"}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>, method = "bilinear"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_coordinate_mode(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op coordinate_transformation_mode must be one of "__undef__", "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", got "tf_crop_and_resize"}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>, coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_rounding(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op rounding_method must be one of "__undef__", "round_prefer_floor", "round_prefer_ceil", "floor", "ceil", got "round"}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>, method = "NEAREST_NEIGHBOR", rounding_method = "round"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_align_corners_conflict(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op align_corners = true conflicts with coordinate_transformation_mode = "half_pixel"}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>, align_corners = true, coordinate_transformation_mode = "half_pixel"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @resize_result(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{'nnvm.resize' op result #0 of type tensor<1x1x8x4xf32>: shape 1x1x8x4 conflicts with 1x1x8x8}}
  %r = nnvm.resize %x {size = array<i64: 8, 8>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x4xf32>
  func.return
}

// -----

func.func @topk_ret_type(%x: tensor<3x10xf32>) {
  // expected-error@+1 {{'nnvm.topk' op ret_type must be one of "both", "values", "indices", got "value"}}
  %r = nnvm.topk %x {ret_type = "value"} : (tensor<3x10xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @topk_result_count(%x: tensor<3x10xf32>) {
  // expected-error@+1 {{'nnvm.topk' op ret_type "both" gives 2 results, the op has 1}}
  %r = nnvm.topk %x {k = 2} : (tensor<3x10xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @topk_k(%x: tensor<3x10xf32>) {
  // expected-error@+1 {{'nnvm.topk' op k = 11 is larger than axis 1 (shape 3x10)}}
  %v, %i = nnvm.topk %x {k = 11} : (tensor<3x10xf32>) -> (tensor<*xf32>, tensor<*xi32>)
  func.return
}

// -----

func.func @topk_dtype(%x: tensor<3x10xf32>) {
  // expected-error@+1 {{'nnvm.topk' op dtype must be an integer or float type, got i1}}
  %v, %i = nnvm.topk %x {dtype = i1} : (tensor<3x10xf32>) -> (tensor<*xf32>, tensor<*xi1>)
  func.return
}

// -----

func.func @topk_index_type(%x: tensor<3x10xf32>) {
  // expected-error@+1 {{'nnvm.topk' op result #1 of type tensor<3x2xi64>: element type i64 conflicts with i32}}
  %v, %i = nnvm.topk %x {k = 2} : (tensor<3x10xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  func.return
}

// -----

func.func @topk_scalar(%x: tensor<f32>) {
  // expected-error@+1 {{'nnvm.topk' op data must have rank >= 1, got a scalar}}
  %r = nnvm.topk %x {ret_type = "values"} : (tensor<f32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @multibox_no_sizes(%x: tensor<1x3x2x4xf32>) {
  // expected-error@+1 {{'nnvm.multibox_prior' op sizes must be one or more floats > 0, got []}}
  %r = nnvm.multibox_prior %x {sizes = array<f64>} : (tensor<1x3x2x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @multibox_steps(%x: tensor<1x3x2x4xf32>) {
  // expected-error@+1 {{'nnvm.multibox_prior' op steps must be an array<f64: ...> of 2 floats, got array<f64: 1.000000e-01, 1.000000e-01, 1.000000e-01>}}
  %r = nnvm.multibox_prior %x {steps = array<f64: 0.1, 0.1, 0.1>} : (tensor<1x3x2x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @multibox_integer_offsets(%x: tensor<1x3x2x4xf32>) {
  // expected-error@+1 {{'nnvm.multibox_prior' op offsets must be an array<f64: ...> of 2 floats, got array<i64: 0, 0>}}
  %r = nnvm.multibox_prior %x {offsets = array<i64: 0, 0>} : (tensor<1x3x2x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @multibox_rank(%x: tensor<3x2x4xf32>) {
  // expected-error@+1 {{'nnvm.multibox_prior' op data must have rank 4, got 3x2x4}}
  %r = nnvm.multibox_prior %x : (tensor<3x2x4xf32>) -> tensor<*xf32>
  func.return
}

// CHECK: nn-errors.mlir:9:3: error: 'nnvm.conv2d' op layout 'NCHW0c' is not supported: use an order of the letters NCHW, optionally with blocks such as NCHW8c
// CHECK: nn-errors.mlir:17:3: error: 'nnvm.conv2d' op kernel_layout 'OIHW4x' is not supported: use an order of the letters OIHW, optionally with blocks such as OIHW8i
// CHECK: nn-errors.mlir:25:3: error: 'nnvm.conv2d' op data dim 4 (block c of NCHW4c) must be 4, got 2 (shape 1x2x8x8x2)
// CHECK: nn-errors.mlir:33:3: error: 'nnvm.conv2d' op result C = 12 is not a multiple of the block size 8 of layout NCHW8c
// CHECK: nn-errors.mlir:41:3: error: 'nnvm.conv2d' op bias dim 1 (block c of NCHW8c) must be 8, got 4 (shape 4x4)
// CHECK: nn-errors.mlir:49:3: error: 'nnvm.conv2d_transpose' op output_padding [2, 0] must be below max(strides, dilation) in each dim
// CHECK: nn-errors.mlir:57:3: error: 'nnvm.conv2d_transpose' op output_padding must be 2 integers >= 0, got [0]
// CHECK: nn-errors.mlir:65:3: error: 'nnvm.conv2d_transpose' op weight dim O (input channels) must be 4, got 3 (shape 3x3x3x3)
// CHECK: nn-errors.mlir:73:3: error: 'nnvm.conv2d_transpose' op padding 1 leaves no output of an input of size 1
// CHECK: nn-errors.mlir:81:3: error: 'nnvm.avg_pool2d' op attribute 'count_include_pad' is invalid: Expected attribute i1 but got i32
// CHECK: nn-errors.mlir:89:3: error: 'nnvm.avg_pool2d' op layout 'NCHW2h' is not supported: use an order of the letters NCHW, optionally with blocks such as NCHW8c (H and W cannot be split)
// CHECK: nn-errors.mlir:97:3: error: 'nnvm.avg_pool2d' op padding must be 1, 2 or 4 integers >= 0, got [1, 1, 1]
// CHECK: nn-errors.mlir:105:3: error: 'nnvm.avg_pool2d' op window 5 is larger than the padded input 4
// CHECK: nn-errors.mlir:113:3: error: 'nnvm.global_avg_pool2d' op data must have rank 4, got 1x4x4 (layout NCHW)
// CHECK: nn-errors.mlir:121:3: error: 'nnvm.global_max_pool2d' op result #0 of type tensor<1x3x1x1xf32>: shape 1x3x1x1 conflicts with 1x1x1x4
// CHECK: nn-errors.mlir:129:3: error: 'nnvm.upsampling' op scale must be >= 1, got 0
// CHECK: nn-errors.mlir:137:3: error: 'nnvm.upsampling' op method must be one of "NEAREST_NEIGHBOR", "BILINEAR", got "BICUBIC"
// CHECK: nn-errors.mlir:145:3: error: 'nnvm.lrn' op size must be >= 1, got 0
// CHECK: nn-errors.mlir:153:3: error: 'nnvm.lrn' op missing required attribute 'alpha'
// CHECK: nn-errors.mlir:161:3: error: 'nnvm.lrn' op axis 4 is out of range for rank 4
// CHECK: nn-errors.mlir:169:3: error: 'nnvm.l2_normalize' op axis [1, -2] names an axis twice
// CHECK: nn-errors.mlir:177:3: error: 'nnvm.l2_normalize' op axis 3 is out of range for rank 3
// CHECK: nn-errors.mlir:185:3: error: 'nnvm.layer_norm' op gamma size (data channels) must be 8, got 5 (shape 5)
// CHECK: nn-errors.mlir:193:3: error: 'nnvm.layer_norm' op axis -4 is out of range for rank 3
// CHECK: nn-errors.mlir:201:3: error: 'nnvm.instance_norm' op data must have rank >= 2, got 5
// CHECK: nn-errors.mlir:209:3: error: 'nnvm.resize' op give exactly one of size (2 integers) and scale (2 floats), got size = [8, 8], scale = [2.0, 2.0]
// CHECK: nn-errors.mlir:217:3: error: 'nnvm.resize' op give exactly one of size (2 integers) and scale (2 floats), got size = [], scale = []
// CHECK: nn-errors.mlir:225:3: error: 'nnvm.resize' op size must be an array<i64: h, w>, got array<f64: 8.000000e+00, 8.000000e+00>
// CHECK: nn-errors.mlir:233:3: error: 'nnvm.resize' op scale must be 2 floats > 0, got [2.0, 0.0]
// CHECK: nn-errors.mlir:241:3: error: 'nnvm.resize' op scale 0.2 leaves no output of an input of size 4
// CHECK: nn-errors.mlir:249:3: error: 'nnvm.resize' op method must be one of "NEAREST_NEIGHBOR", "BILINEAR", got "bilinear"
// CHECK: nn-errors.mlir:257:3: error: 'nnvm.resize' op coordinate_transformation_mode must be one of "__undef__", "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", got "tf_crop_and_resize"
// CHECK: nn-errors.mlir:265:3: error: 'nnvm.resize' op rounding_method must be one of "__undef__", "round_prefer_floor", "round_prefer_ceil", "floor", "ceil", got "round"
// CHECK: nn-errors.mlir:273:3: error: 'nnvm.resize' op align_corners = true conflicts with coordinate_transformation_mode = "half_pixel"
// CHECK: nn-errors.mlir:281:3: error: 'nnvm.resize' op result #0 of type tensor<1x1x8x4xf32>: shape 1x1x8x4 conflicts with 1x1x8x8
// CHECK: nn-errors.mlir:289:3: error: 'nnvm.topk' op ret_type must be one of "both", "values", "indices", got "value"
// CHECK: nn-errors.mlir:297:3: error: 'nnvm.topk' op ret_type "both" gives 2 results, the op has 1
// CHECK: nn-errors.mlir:305:3: error: 'nnvm.topk' op k = 11 is larger than axis 1 (shape 3x10)
// CHECK: nn-errors.mlir:313:3: error: 'nnvm.topk' op dtype must be an integer or float type, got i1
// CHECK: nn-errors.mlir:321:3: error: 'nnvm.topk' op result #1 of type tensor<3x2xi64>: element type i64 conflicts with i32
// CHECK: nn-errors.mlir:329:3: error: 'nnvm.topk' op data must have rank >= 1, got a scalar
// CHECK: nn-errors.mlir:337:3: error: 'nnvm.multibox_prior' op sizes must be one or more floats > 0, got []
// CHECK: nn-errors.mlir:345:3: error: 'nnvm.multibox_prior' op steps must be an array<f64: ...> of 2 floats, got array<f64: 1.000000e-01, 1.000000e-01, 1.000000e-01>
// CHECK: nn-errors.mlir:353:3: error: 'nnvm.multibox_prior' op offsets must be an array<f64: ...> of 2 floats, got array<i64: 0, 0>
// CHECK: nn-errors.mlir:361:3: error: 'nnvm.multibox_prior' op data must have rank 4, got 3x2x4
