// Bad reduction attributes (axis out of range or repeated, wrong kinds, argmax's dtype) and result
// types that contradict them: a located error naming the attribute, exit status 1.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @axis_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.sum' op axis 3 is out of range for rank 3}}
  %r = nnvm.sum %x {axis = array<i64: 3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:8:3: error: 'nnvm.sum' op axis 3 is out of range for rank 3

// -----

func.func @negative_axis_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.argmax' op axis -4 is out of range for rank 3}}
  %r = nnvm.argmax %x {axis = array<i64: -4>} : (tensor<2x3x4xf32>) -> tensor<*xi32>
  func.return
}
// CHECK: reduce-errors.mlir:17:3: error: 'nnvm.argmax' op axis -4 is out of range for rank 3

// -----

func.func @axis_twice(%x: tensor<*xf32>) {
  // expected-error@+1 {{'nnvm.mean' op axis lists a dim twice: [1, 1]}}
  %r = nnvm.mean %x {axis = array<i64: 1, 1>} : (tensor<*xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:26:3: error: 'nnvm.mean' op axis lists a dim twice: [1, 1]

// -----

func.func @axis_twice_after_normalising(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'nnvm.max' op axis lists dim 2 twice: [2, -1] for rank 3}}
  %r = nnvm.max %x {axis = array<i64: 2, -1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:35:3: error: 'nnvm.max' op axis lists dim 2 twice: [2, -1] for rank 3

// -----

func.func @axis_not_an_array(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.min' op attribute 'axis' must be an array<i64: ...>, got 1 : i64}}
  %r = nnvm.min %x {axis = 1} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:44:3: error: 'nnvm.min' op attribute 'axis' must be an array<i64: ...>, got 1 : i64

// -----

func.func @keepdims_integer(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.prod' op attribute 'keepdims' is invalid: Expected attribute i1 but got i64}}
  %r = nnvm.prod %x {keepdims = 1} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:53:3: error: 'nnvm.prod' op attribute 'keepdims' is invalid: Expected attribute i1 but got i64

// -----

func.func @exclude_string(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.sum' op attribute 'exclude' must be an integer, got "yes"}}
  %r = nnvm.sum %x {axis = array<i64: 0>, exclude = "yes"} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:62:3: error: 'nnvm.sum' op attribute 'exclude' must be an integer, got "yes"

// -----

func.func @keepdims_result_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.sum' op result #0 of type tensor<2xf32>: rank 1 (2) conflicts with rank 2 (2x1)}}
  %r = nnvm.sum %x {axis = array<i64: 1>, keepdims = true} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: reduce-errors.mlir:71:3: error: 'nnvm.sum' op result #0 of type tensor<2xf32>: rank 1 (2) conflicts with rank 2 (2x1)

// -----

func.func @all_reduced_is_one_element(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.sum' op result #0 of type tensor<f32>: rank 0 (scalar) conflicts with rank 1 (1)}}
  %r = nnvm.sum %x : (tensor<2x3xf32>) -> tensor<f32>
  func.return
}
// CHECK: reduce-errors.mlir:80:3: error: 'nnvm.sum' op result #0 of type tensor<f32>: rank 0 (scalar) conflicts with rank 1 (1)

// -----

func.func @argmax_bool_dtype(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.argmax' op dtype must be an integer or float type to hold indices, got i1}}
  %r = nnvm.argmax %x {dtype = i1} : (tensor<2x3xf32>) -> tensor<*xi1>
  func.return
}
// CHECK: reduce-errors.mlir:89:3: error: 'nnvm.argmax' op dtype must be an integer or float type to hold indices, got i1

// -----

func.func @argmax_dtype_not_a_type(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.argmin' op attribute 'dtype' is invalid: 3 : i64 should be of attribute subclassing `TypeAttribute`}}
  %r = nnvm.argmin %x {dtype = 3} : (tensor<2x3xf32>) -> tensor<*xi32>
  func.return
}
// CHECK: reduce-errors.mlir:98:3: error: 'nnvm.argmin' op attribute 'dtype' is invalid: 3 : i64 should be of attribute subclassing `TypeAttribute`

// -----

func.func @argmax_result_type(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.argmax' op result #0 of type tensor<2xi64>: element type i64 conflicts with i32}}
  %r = nnvm.argmax %x {axis = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xi64>
  func.return
}
// CHECK: reduce-errors.mlir:107:3: error: 'nnvm.argmax' op result #0 of type tensor<2xi64>: element type i64 conflicts with i32

// -----

func.func @sum_takes_no_dtype(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.sum' op unknown attribute 'dtype' (this op takes: axis, exclude, keepdims)}}
  %r = nnvm.sum %x {dtype = i32} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return
}
// CHECK: reduce-errors.mlir:116:3: error: 'nnvm.sum' op unknown attribute 'dtype' (this op takes: axis, exclude, keepdims)

// -----

func.func @sum_of_bools(%x: tensor<2x3xi1>) {
  // expected-error@+1 {{'nnvm.sum' op operand #0 has element type i1; nnvm.sum takes f16, f32, f64, i8, i32, i64}}
  %r = nnvm.sum %x : (tensor<2x3xi1>) -> tensor<*xi1>
  func.return
}
// CHECK: reduce-errors.mlir:125:3: error: 'nnvm.sum' op operand #0 has element type i1; nnvm.sum takes f16, f32, f64, i8, i32, i64
