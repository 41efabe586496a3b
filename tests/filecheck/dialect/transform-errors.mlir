// Bad attributes and shape conflicts of the transform, index, init, matmul and layout ops:
// each is reported at its op, naming the attribute or the shapes, with exit status 1.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s
func.func @reshape_bad_code(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.reshape' op attribute 'shape': -5 is not a dim or a code (0, -1 ... -4)}}
  %y = nnvm.reshape %x {shape = array<i64: -5, 4>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @reshape_two_inferred(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.reshape' op attribute 'shape' may hold at most one -1}}
  %y = nnvm.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @reshape_wrong_size(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.reshape' op attribute 'shape' gives 25 elements, the input has 24 (shape 2x3x4)}}
  %y = nnvm.reshape %x {shape = array<i64: 5, 5>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @reshape_bad_split(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.reshape' op attribute 'shape': -4 cannot split dim 2 into 2 x 2}}
  %y = nnvm.reshape %x {shape = array<i64: -4, 2, 2, -2>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @transpose_not_a_permutation(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.transpose' op attribute 'axes' is not a permutation: [0, 0, 1]}}
  %y = nnvm.transpose %x {axes = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @squeeze_not_one(%x: tensor<2x1xf32>) {
  // expected-error@+1 {{'nnvm.squeeze' op attribute 'axis': dim 0 has size 2, only size-1 dims can be squeezed (shape 2x1)}}
  %y = nnvm.squeeze %x {axis = array<i64: 0>} : (tensor<2x1xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @take_axis_out_of_range(%x: tensor<2x3xf32>, %i: tensor<4xi32>) {
  // expected-error@+1 {{'nnvm.take' op attribute 'axis': 2 is out of range for rank 2}}
  %y = nnvm.take %x, %i {axis = 2} : (tensor<2x3xf32>, tensor<4xi32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @take_float_indices(%x: tensor<2x3xf32>, %i: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.take' op indices must be i32 or i64, got f32}}
  %y = nnvm.take %x, %i : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @take_bad_mode(%x: tensor<2x3xf32>, %i: tensor<4xi32>) {
  // expected-error@+1 {{'nnvm.take' op attribute 'mode' must be one of clip, wrap, got 'raise'}}
  %y = nnvm.take %x, %i {mode = "raise"} : (tensor<2x3xf32>, tensor<4xi32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @strided_slice_empty(%x: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.strided_slice' op attributes 'begin', 'end', 'stride' select nothing on axis 0 (dim 4: 3 to 1 by 1)}}
  %y = nnvm.strided_slice %x {begin = array<i64: 3>, end = array<i64: 1>} : (tensor<4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @strided_slice_zero_stride(%x: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.strided_slice' op attribute 'stride' has a 0: [0]}}
  %y = nnvm.strided_slice %x {begin = array<i64: 0>, end = array<i64: 4>, stride = array<i64: 0>} : (tensor<4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @broadcast_to_mismatch(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.broadcast_to' op attribute 'shape' [2, 4] does not broadcast from 2x3: dim 3 is neither 1 nor 4}}
  %y = nnvm.broadcast_to %x {shape = array<i64: 2, 4>} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @collapse_sum_both_targets(%x: tensor<2x3xf32>, %l: tensor<3xf32>) {
  // expected-error@+1 {{'nnvm.collapse_sum' op give the target shape either as a second operand or as attribute 'shape', not both or neither}}
  %y = nnvm.collapse_sum %x, %l {shape = array<i64: 3>} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @one_hot_zero_depth(%i: tensor<3xi32>) {
  // expected-error@+1 {{'nnvm.one_hot' op attribute 'depth' must be >= 1, got 0}}
  %y = nnvm.one_hot %i {depth = 0} : (tensor<3xi32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @where_shapes(%c: tensor<3xi1>, %x: tensor<2x3xf32>, %y: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.where' op a 1-D condition must have length x.shape[0] = 2, got 3}}
  %z = nnvm.where %c, %x, %y : (tensor<3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @batch_matmul_inner(%x: tensor<2x3x4xf32>, %y: tensor<2x4x5xf32>) {
  // expected-error@+1 {{'nnvm.batch_matmul' op x contracts 4 elements but y 5 (shapes 2x3x4 and 2x4x5; transpose_b = true)}}
  %z = nnvm.batch_matmul %x, %y : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @matmul_inner(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{'nnvm.matmul' op lhs contracts 3 elements but rhs 4 (shapes 2x3 and 4x5, as used 2x3 and 4x5)}}
  %z = nnvm.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layout_grammar(%x: tensor<1x32x4x4xf32>) {
  // expected-error@+1 {{'nnvm.layout_transform' op attribute 'dst_layout': 'NCHW16' is not a layout: at '16', expected an upper-case axis (N, C, H, W, ...) or a sized sub-axis such as 16c}}
  %y = nnvm.layout_transform %x {src_layout = "NCHW", dst_layout = "NCHW16"} : (tensor<1x32x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layout_different_axes(%x: tensor<1x32x4x4xf32>) {
  // expected-error@+1 {{'nnvm.layout_transform' op layouts 'NCHW' and 'NCDW' have different primal axes, so they do not convert}}
  %y = nnvm.layout_transform %x {src_layout = "NCHW", dst_layout = "NCDW"} : (tensor<1x32x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layout_split_does_not_divide(%x: tensor<1x24x4x4xf32>) {
  // expected-error@+1 {{'nnvm.layout_transform' op axis C of size 24 does not split into sub-axes of 16 ('NCHW16c')}}
  %y = nnvm.layout_transform %x {src_layout = "NCHW", dst_layout = "NCHW16c"} : (tensor<1x24x4x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layout_sub_axis_without_primal(%x: tensor<1x2x4x4x16xf32>) {
  // expected-error@+1 {{'nnvm.layout_transform' op attribute 'src_layout': sub-axis 'c' of 'NHW16c' has no primal axis 'C'}}
  %y = nnvm.layout_transform %x {src_layout = "NHW16c", dst_layout = "NCHW"} : (tensor<1x2x4x4x16xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @layout_rank(%x: tensor<1x32x4xf32>) {
  // expected-error@+1 {{'nnvm.layout_transform' op data of rank 3 (shape 1x32x4) does not have layout 'NCHW' of rank 4}}
  %y = nnvm.layout_transform %x {src_layout = "NCHW", dst_layout = "NHWC"} : (tensor<1x32x4xf32>) -> tensor<*xf32>
  func.return
}

// -----

func.func @full_bad_dtype() {
  // expected-error@+1 {{'nnvm.zeros' op attribute 'dtype' must be a numeric element type, got index}}
  %y = nnvm.zeros {shape = array<i64: 2>, dtype = index} : tensor<*xindex>
  func.return
}

// CHECK: transform-errors.mlir:7:3: error: 'nnvm.reshape' op attribute 'shape': -5 is not a dim or a code (0, -1 ... -4)
// CHECK: transform-errors.mlir:15:3: error: 'nnvm.reshape' op attribute 'shape' may hold at most one -1
// CHECK: transform-errors.mlir:23:3: error: 'nnvm.reshape' op attribute 'shape' gives 25 elements, the input has 24 (shape 2x3x4)
// CHECK: transform-errors.mlir:31:3: error: 'nnvm.reshape' op attribute 'shape': -4 cannot split dim 2 into 2 x 2
// CHECK: transform-errors.mlir:39:3: error: 'nnvm.transpose' op attribute 'axes' is not a permutation: [0, 0, 1]
// CHECK: transform-errors.mlir:47:3: error: 'nnvm.squeeze' op attribute 'axis': dim 0 has size 2, only size-1 dims can be squeezed (shape 2x1)
// CHECK: transform-errors.mlir:55:3: error: 'nnvm.take' op attribute 'axis': 2 is out of range for rank 2
// CHECK: transform-errors.mlir:63:3: error: 'nnvm.take' op indices must be i32 or i64, got f32
// CHECK: transform-errors.mlir:71:3: error: 'nnvm.take' op attribute 'mode' must be one of clip, wrap, got 'raise'
// CHECK: transform-errors.mlir:79:3: error: 'nnvm.strided_slice' op attributes 'begin', 'end', 'stride' select nothing on axis 0 (dim 4: 3 to 1 by 1)
// CHECK: transform-errors.mlir:87:3: error: 'nnvm.strided_slice' op attribute 'stride' has a 0: [0]
// CHECK: transform-errors.mlir:95:3: error: 'nnvm.broadcast_to' op attribute 'shape' [2, 4] does not broadcast from 2x3: dim 3 is neither 1 nor 4
// CHECK: transform-errors.mlir:103:3: error: 'nnvm.collapse_sum' op give the target shape either as a second operand or as attribute 'shape', not both or neither
// CHECK: transform-errors.mlir:111:3: error: 'nnvm.one_hot' op attribute 'depth' must be >= 1, got 0
// CHECK: transform-errors.mlir:119:3: error: 'nnvm.where' op a 1-D condition must have length x.shape[0] = 2, got 3
// CHECK: transform-errors.mlir:127:3: error: 'nnvm.batch_matmul' op x contracts 4 elements but y 5 (shapes 2x3x4 and 2x4x5; transpose_b = true)
// CHECK: transform-errors.mlir:135:3: error: 'nnvm.matmul' op lhs contracts 3 elements but rhs 4 (shapes 2x3 and 4x5, as used 2x3 and 4x5)
// CHECK: transform-errors.mlir:143:3: error: 'nnvm.layout_transform' op attribute 'dst_layout': 'NCHW16' is not a layout: at '16', expected an upper-case axis (N, C, H, W, ...) or a sized sub-axis such as 16c
// CHECK: transform-errors.mlir:151:3: error: 'nnvm.layout_transform' op layouts 'NCHW' and 'NCDW' have different primal axes, so they do not convert
// CHECK: transform-errors.mlir:159:3: error: 'nnvm.layout_transform' op axis C of size 24 does not split into sub-axes of 16 ('NCHW16c')
// CHECK: transform-errors.mlir:167:3: error: 'nnvm.layout_transform' op attribute 'src_layout': sub-axis 'c' of 'NHW16c' has no primal axis 'C'
// CHECK: transform-errors.mlir:175:3: error: 'nnvm.layout_transform' op data of rank 3 (shape 1x32x4) does not have layout 'NCHW' of rank 4
// CHECK: transform-errors.mlir:183:3: error: 'nnvm.zeros' op attribute 'dtype' must be a numeric element type, got index
// CHECK-NOT: Traceback
