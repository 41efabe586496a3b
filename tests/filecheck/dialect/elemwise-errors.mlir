// Bad attributes, operands and element types of the elementwise and scalar ops: each is reported
// at its op, naming the attribute or the operands' shapes and types, with exit status 1.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @scalar_missing(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.__add_scalar__' op missing required attribute 'scalar'}}
  %r = nnvm.__add_scalar__ %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:8:3: error: 'nnvm.__add_scalar__' op missing required attribute 'scalar'

// -----

func.func @scalar_string(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.__mul_scalar__' op attribute 'scalar' must be a float, got "two"}}
  %r = nnvm.__mul_scalar__ %x {scalar = "two"} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:17:3: error: 'nnvm.__mul_scalar__' op attribute 'scalar' must be a float, got "two"

// -----

func.func @scalar_integer(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.__rdiv_scalar__' op attribute 'scalar' must be a float, got 2 : i64}}
  %r = nnvm.__rdiv_scalar__ %x {scalar = 2} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:26:3: error: 'nnvm.__rdiv_scalar__' op attribute 'scalar' must be a float, got 2 : i64

// -----

func.func @clip_bounds_swapped(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.clip' op a_min (2.0) must be <= a_max (1.0)}}
  %r = nnvm.clip %x {a_min = 2.0, a_max = 1.0} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:35:3: error: 'nnvm.clip' op a_min (2.0) must be <= a_max (1.0)

// -----

func.func @clip_missing_a_max(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.clip' op missing required attribute 'a_max'}}
  %r = nnvm.clip %x {a_min = 0.0} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:44:3: error: 'nnvm.clip' op missing required attribute 'a_max'

// -----

func.func @clip_bool_bound(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.clip' op attribute 'a_max' must be a float, got true}}
  %r = nnvm.clip %x {a_min = 0.0, a_max = true} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:53:3: error: 'nnvm.clip' op attribute 'a_max' must be a float, got true

// -----

func.func @sum_num_args_mismatch(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.elemwise_sum' op num_args is 3 but the op has 2 operands}}
  %r = nnvm.elemwise_sum %x, %x {num_args = 3} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:62:3: error: 'nnvm.elemwise_sum' op num_args is 3 but the op has 2 operands

// -----

func.func @sum_num_args_zero() {
  // expected-error@+1 {{'nnvm.elemwise_sum' op num_args must be >= 1, got 0}}
  %r = nnvm.elemwise_sum {num_args = 0} : () -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:71:3: error: 'nnvm.elemwise_sum' op num_args must be >= 1, got 0

// -----

func.func @sum_missing_num_args(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.elemwise_sum' op missing required attribute 'num_args'}}
  %r = nnvm.elemwise_sum %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:80:3: error: 'nnvm.elemwise_sum' op missing required attribute 'num_args'

// -----

func.func @sum_shapes(%x: tensor<2xf32>, %y: tensor<3xf32>) {
  // expected-error@+1 {{'nnvm.elemwise_sum' op operands must have identical shapes, got 2 and 3}}
  %r = nnvm.elemwise_sum %x, %y {num_args = 2} : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:89:3: error: 'nnvm.elemwise_sum' op operands must have identical shapes, got 2 and 3

// -----

func.func @mod_shapes(%x: tensor<2x3xi32>, %y: tensor<3x2xi32>) {
  // expected-error@+1 {{'nnvm.elemwise_mod' op operands must have identical shapes, got 2x3 and 3x2}}
  %r = nnvm.elemwise_mod %x, %y : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x3xi32>
  func.return
}
// CHECK: elemwise-errors.mlir:98:3: error: 'nnvm.elemwise_mod' op operands must have identical shapes, got 2x3 and 3x2

// -----

func.func @pow_element_types(%x: tensor<2xf32>, %y: tensor<2xi32>) {
  // expected-error@+1 {{'nnvm.elemwise_pow' op operands must have one element type, got f32, i32}}
  %r = nnvm.elemwise_pow %x, %y : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:107:3: error: 'nnvm.elemwise_pow' op operands must have one element type, got f32, i32

// -----

func.func @logical_on_floats(%x: tensor<2xf32>, %y: tensor<2xi1>) {
  // expected-error@+1 {{'nnvm.logical_and' op operand #0 must be i1 (bool), got f32}}
  %r = nnvm.logical_and %x, %y : (tensor<2xf32>, tensor<2xi1>) -> tensor<2xi1>
  func.return
}
// CHECK: elemwise-errors.mlir:116:3: error: 'nnvm.logical_and' op operand #0 must be i1 (bool), got f32

// -----

func.func @logical_not_on_ints(%x: tensor<2xi32>) {
  // expected-error@+1 {{'nnvm.logical_not' op operand #0 must be i1 (bool), got i32}}
  %r = nnvm.logical_not %x : (tensor<2xi32>) -> tensor<2xi32>
  func.return
}
// CHECK: elemwise-errors.mlir:125:3: error: 'nnvm.logical_not' op operand #0 must be i1 (bool), got i32

// -----

func.func @greater_gives_i1(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.greater' op result #0 of type tensor<2xf32>: element type f32 conflicts with i1}}
  %r = nnvm.greater %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:134:3: error: 'nnvm.greater' op result #0 of type tensor<2xf32>: element type f32 conflicts with i1

// -----

func.func @less_shapes(%x: tensor<2xf32>, %y: tensor<1xf32>) {
  // expected-error@+1 {{'nnvm.less' op operands must have identical shapes, got 2 and 1}}
  %r = nnvm.less %x, %y : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xi1>
  func.return
}
// CHECK: elemwise-errors.mlir:143:3: error: 'nnvm.less' op operands must have identical shapes, got 2 and 1

// -----

func.func @rounding_changes_shape(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'nnvm.round' op result #0 of type tensor<3x2xf32>: shape 3x2 conflicts with 2x3}}
  %r = nnvm.round %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return
}
// CHECK: elemwise-errors.mlir:152:3: error: 'nnvm.round' op result #0 of type tensor<3x2xf32>: shape 3x2 conflicts with 2x3

// -----

func.func @sign_of_bools(%x: tensor<2xi1>) {
  // expected-error@+1 {{'nnvm.sign' op operand #0 has element type i1; nnvm.sign takes f16, f32, f64, i8, i32, i64}}
  %r = nnvm.sign %x : (tensor<2xi1>) -> tensor<2xi1>
  func.return
}
// CHECK: elemwise-errors.mlir:161:3: error: 'nnvm.sign' op operand #0 has element type i1; nnvm.sign takes f16, f32, f64, i8, i32, i64

// -----

func.func @erf_of_integers(%x: tensor<2xi32>) {
  // expected-error@+1 {{'nnvm.erf' op operand #0 has element type i32; nnvm.erf takes f16, f32, f64}}
  %r = nnvm.erf %x : (tensor<2xi32>) -> tensor<2xi32>
  func.return
}
// CHECK: elemwise-errors.mlir:170:3: error: 'nnvm.erf' op operand #0 has element type i32; nnvm.erf takes f16, f32, f64

// -----

func.func @cast_to_index(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.cast' op dtype must be a float, integer or i1 type, got index}}
  %r = nnvm.cast %x {dtype = index} : (tensor<2xf32>) -> tensor<2xindex>
  func.return
}
// CHECK: elemwise-errors.mlir:179:3: error: 'nnvm.cast' op dtype must be a float, integer or i1 type, got index

// -----

func.func @scalar_on_bools(%x: tensor<2xi1>) {
  // expected-error@+1 {{'nnvm.__rsub_scalar__' op operand #0 has element type i1; nnvm.__rsub_scalar__ takes f16, f32, f64, i8, i32, i64}}
  %r = nnvm.__rsub_scalar__ %x {scalar = 1.0} : (tensor<2xi1>) -> tensor<2xi1>
  func.return
}
// CHECK: elemwise-errors.mlir:188:3: error: 'nnvm.__rsub_scalar__' op operand #0 has element type i1; nnvm.__rsub_scalar__ takes f16, f32, f64, i8, i32, i64
