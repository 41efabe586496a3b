// RUN: nnvm-opt %s -p canonicalize --split-input-file | filecheck %s

// Identities that only move or convert elements disappear when the static types match.
func.func @identities(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = nnvm.copy %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = nnvm.cast %a {dtype = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %c = nnvm.flatten %b : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %d = nnvm.pad %c {pad_width = [array<i64: 0, 0>, array<i64: 0, 0>]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = nnvm.concatenate %d {axis = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = nnvm.negative %e : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %g = nnvm.negative %f : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %h = nnvm.relu %g : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %i = nnvm.relu %h : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %i : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @identities(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:    %h = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %h : tensor<2x3xf32>
// CHECK-NEXT:  }

// -----

// Left alone: a cast that changes the type, a flatten that reshapes, a real pad, dynamic
// shapes (a pad of tensor<?xf32> may grow it), a single negative, relu of another op. A copy
// goes whatever its shape.
func.func @kept(%x: tensor<2x3x1xf32>, %y: tensor<?xf32>) -> (tensor<2x3xf16>, tensor<4x5xf32>, tensor<?xf32>) {
  %a = nnvm.cast %x {dtype = f16} : (tensor<2x3x1xf32>) -> tensor<2x3x1xf16>
  %b = nnvm.flatten %a : (tensor<2x3x1xf16>) -> tensor<2x3xf16>
  %c = nnvm.negative %x : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %d = nnvm.flatten %c : (tensor<2x3x1xf32>) -> tensor<2x3xf32>
  %e = nnvm.pad %d {pad_width = [array<i64: 1, 1>, array<i64: 1, 1>]} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  %f = nnvm.pad %y {pad_width = [array<i64: 1, 0>]} : (tensor<?xf32>) -> tensor<?xf32>
  %g = nnvm.copy %f : (tensor<?xf32>) -> tensor<?xf32>
  %h = nnvm.exp %g : (tensor<?xf32>) -> tensor<?xf32>
  %i = nnvm.relu %h : (tensor<?xf32>) -> tensor<?xf32>
  func.return %b, %e, %i : tensor<2x3xf16>, tensor<4x5xf32>, tensor<?xf32>
}

// CHECK-LABEL: func.func @kept
// CHECK-NEXT:    %a = nnvm.cast %x {dtype = f16} : (tensor<2x3x1xf32>) -> tensor<2x3x1xf16>
// CHECK-NEXT:    %b = nnvm.flatten %a : (tensor<2x3x1xf16>) -> tensor<2x3xf16>
// CHECK-NEXT:    %c = nnvm.negative %x : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
// CHECK-NEXT:    %d = nnvm.flatten %c : (tensor<2x3x1xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %e = nnvm.pad %d {pad_width = [array<i64: 1, 1>, array<i64: 1, 1>]} : (tensor<2x3xf32>) -> tensor<4x5xf32>
// CHECK-NEXT:    %f = nnvm.pad %y {pad_width = [array<i64: 1, 0>]} : (tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT:    %h = nnvm.exp %f : (tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT:    %i = nnvm.relu %h : (tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT:    func.return %b, %e, %i

// -----

// Neutral constants: x * 1, 1 * x, x / 1, x - 0, x + (-0.0), and the scalar forms; constant
// operands fold through the ops' semantics.
func.func @neutral(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = nnvm.constant dense<1.0> : tensor<3xf32>
  %zero = nnvm.constant dense<0.0> : tensor<2x3xf32>
  %mzero = nnvm.constant dense<-0.0> : tensor<2x3xf32>
  %a = nnvm.broadcast_mul %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %b = nnvm.broadcast_mul %one, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %c = nnvm.broadcast_div %b, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %d = nnvm.elemwise_sub %c, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = nnvm.elemwise_add %mzero, %d : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = nnvm.__mul_scalar__ %e {scalar = 1.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %g = nnvm.__sub_scalar__ %f {scalar = 0.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %two = nnvm.elemwise_add %one, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %h = nnvm.broadcast_mul %g, %two : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %h : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @neutral(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:    %two = nnvm.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %h = nnvm.broadcast_mul %x, %two : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %h : tensor<2x3xf32>
// CHECK-NEXT:  }

// -----

// Left alone: x + 0.0 (-0.0 + 0.0 is +0.0), x * 0 (NaN * 0 is NaN), 1 / x, 0 - x, a neutral
// constant that broadcasts x to a larger shape, x + 0 as a scalar op on floats.
func.func @signed_zero_and_nan(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>, tensor<3xf32>) {
  %zero = nnvm.constant dense<0.0> : tensor<3xf32>
  %one = nnvm.constant dense<1.0> : tensor<3xf32>
  %ones = nnvm.constant dense<1.0> : tensor<2x3xf32>
  %a = nnvm.elemwise_add %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %b = nnvm.elemwise_mul %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %c = nnvm.elemwise_div %one, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %d = nnvm.elemwise_sub %zero, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %e = nnvm.broadcast_mul %x, %ones : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = nnvm.__add_scalar__ %x {scalar = 0.0} : (tensor<3xf32>) -> tensor<3xf32>
  func.return %a, %b, %c, %d, %e, %f : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @signed_zero_and_nan
// CHECK:         %a = nnvm.elemwise_add %x, %zero
// CHECK-NEXT:    %b = nnvm.elemwise_mul %x, %zero
// CHECK-NEXT:    %c = nnvm.elemwise_div %one, %x
// CHECK-NEXT:    %d = nnvm.elemwise_sub %zero, %x
// CHECK-NEXT:    %e = nnvm.broadcast_mul %x, %ones
// CHECK-NEXT:    %f = nnvm.__add_scalar__ %x {scalar = 0.000000e+00 : f64}
// CHECK-NEXT:    func.return %a, %b, %c, %d, %e, %f

// -----

// Shape ops: transpose of transpose composes (or vanishes), reshape of reshape keeps the outer
// shape, squeeze of expand_dims is x, broadcast_to the same shape is x, inverse layout
// transforms cancel.
func.func @shapes(%x: tensor<2x3x4xf32>, %y: tensor<1x32x4x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x2x4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<1x32x4x4xf32>) {
  %t1 = nnvm.transpose %x {axes = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %t2 = nnvm.transpose %t1 {axes = array<i64: 1, 0, 2>} : (tensor<3x2x4xf32>) -> tensor<2x3x4xf32>
  %t3 = nnvm.transpose %x {axes = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %t4 = nnvm.transpose %t3 {axes = array<i64: 1, 2, 0>} : (tensor<4x3x2xf32>) -> tensor<3x2x4xf32>
  %r1 = nnvm.reshape %x {shape = array<i64: 6, -1>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %r2 = nnvm.reshape %r1 {shape = array<i64: 4, 6>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %e = nnvm.expand_dims %x {axis = 1} : (tensor<2x3x4xf32>) -> tensor<2x1x3x4xf32>
  %s = nnvm.squeeze %e {axis = array<i64: 1>} : (tensor<2x1x3x4xf32>) -> tensor<2x3x4xf32>
  %b = nnvm.broadcast_to %s {shape = array<i64: 2, 3, 4>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %l1 = nnvm.layout_transform %y {src_layout = "NCHW", dst_layout = "NCHW16c"} : (tensor<1x32x4x4xf32>) -> tensor<1x2x4x4x16xf32>
  %l2 = nnvm.layout_transform %l1 {src_layout = "NCHW16c", dst_layout = "NCHW"} : (tensor<1x2x4x4x16xf32>) -> tensor<1x32x4x4xf32>
  func.return %t2, %t4, %r2, %b, %l2 : tensor<2x3x4xf32>, tensor<3x2x4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<1x32x4x4xf32>
}

// CHECK-LABEL: func.func @shapes
// CHECK-NEXT:    %t4 = nnvm.transpose %x {axes = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK-NEXT:    %r2 = nnvm.reshape %x {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT:    func.return %x, %t4, %r2, %x, %y
