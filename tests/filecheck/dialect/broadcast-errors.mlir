// Operands the broadcast ops cannot take (shapes that do not broadcast, mixed or unsupported element
// types, non-i1 comparison results): a located error naming the shapes or types, exit status 1.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @not_broadcastable(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error@+1 {{'nnvm.broadcast_add' op operands cannot be broadcast together: 2x3 and 4 differ in dim -1 (3 vs 4; one must be 1)}}
  %r = nnvm.broadcast_add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: broadcast-errors.mlir:8:3: error: 'nnvm.broadcast_add' op operands cannot be broadcast together: 2x3 and 4 differ in dim -1 (3 vs 4; one must be 1)

// -----

func.func @not_broadcastable_inner(%x: tensor<5x2x1xi32>, %y: tensor<3x7xi32>) {
  // expected-error@+1 {{'nnvm.broadcast_mod' op operands cannot be broadcast together: 5x2x1 and 3x7 differ in dim -2 (2 vs 3; one must be 1)}}
  %r = nnvm.broadcast_mod %x, %y : (tensor<5x2x1xi32>, tensor<3x7xi32>) -> tensor<*xi32>
  func.return
}
// CHECK: broadcast-errors.mlir:17:3: error: 'nnvm.broadcast_mod' op operands cannot be broadcast together: 5x2x1 and 3x7 differ in dim -2 (2 vs 3; one must be 1)

// -----

func.func @wrong_result_shape(%x: tensor<2x1xf32>, %y: tensor<3xf32>) {
  // expected-error@+1 {{'nnvm.broadcast_max' op result #0 of type tensor<2x1xf32>: shape 2x1 conflicts with 2x3}}
  %r = nnvm.broadcast_max %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  func.return
}
// CHECK: broadcast-errors.mlir:26:3: error: 'nnvm.broadcast_max' op result #0 of type tensor<2x1xf32>: shape 2x1 conflicts with 2x3

// -----

func.func @element_types_differ(%x: tensor<2xf32>, %y: tensor<2xf64>) {
  // expected-error@+1 {{'nnvm.broadcast_div' op operands must have one element type, got f32, f64}}
  %r = nnvm.broadcast_div %x, %y : (tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  func.return
}
// CHECK: broadcast-errors.mlir:35:3: error: 'nnvm.broadcast_div' op operands must have one element type, got f32, f64

// -----

func.func @comparison_gives_i1(%x: tensor<2xi32>, %y: tensor<1xi32>) {
  // expected-error@+1 {{'nnvm.broadcast_equal' op result #0 of type tensor<2xi32>: element type i32 conflicts with i1}}
  %r = nnvm.broadcast_equal %x, %y : (tensor<2xi32>, tensor<1xi32>) -> tensor<2xi32>
  func.return
}
// CHECK: broadcast-errors.mlir:44:3: error: 'nnvm.broadcast_equal' op result #0 of type tensor<2xi32>: element type i32 conflicts with i1

// -----

func.func @comparison_operand_types(%x: tensor<2xi32>, %y: tensor<2xi64>) {
  // expected-error@+1 {{'nnvm.broadcast_less_equal' op operands must have one element type, got i32, i64}}
  %r = nnvm.broadcast_less_equal %x, %y : (tensor<2xi32>, tensor<2xi64>) -> tensor<2xi1>
  func.return
}
// CHECK: broadcast-errors.mlir:53:3: error: 'nnvm.broadcast_less_equal' op operands must have one element type, got i32, i64

// -----

func.func @unknown_attribute(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.broadcast_pow' op unknown attribute 'axis' (this op takes: none)}}
  %r = nnvm.broadcast_pow %x, %x {axis = 1} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: broadcast-errors.mlir:62:3: error: 'nnvm.broadcast_pow' op unknown attribute 'axis' (this op takes: none)

// -----

func.func @subtract_bools(%x: tensor<2xi1>, %y: tensor<1xi1>) {
  // expected-error@+1 {{'nnvm.broadcast_sub' op operand #0 has element type i1; nnvm.broadcast_sub takes f16, f32, f64, i8, i16, i32, i64, ui8, ui16, ui32, ui64}}
  %r = nnvm.broadcast_sub %x, %y : (tensor<2xi1>, tensor<1xi1>) -> tensor<2xi1>
  func.return
}
// CHECK: broadcast-errors.mlir:71:3: error: 'nnvm.broadcast_sub' op operand #0 has element type i1; nnvm.broadcast_sub takes f16, f32, f64, i8, i16, i32, i64, ui8, ui16, ui32, ui64

// -----

func.func @shift_floats(%x: tensor<2xf32>, %y: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.broadcast_left_shift' op operand #0 has element type f32; nnvm.broadcast_left_shift takes i8, i16, i32, i64, ui8, ui16, ui32, ui64}}
  %r = nnvm.broadcast_left_shift %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: broadcast-errors.mlir:80:3: error: 'nnvm.broadcast_left_shift' op operand #0 has element type f32; nnvm.broadcast_left_shift takes i8, i16, i32, i64, ui8, ui16, ui32, ui64
