// Round trip of the shape-changing ops: reshape (NNVM's codes), squeeze, transpose, broadcast_to,
// repeat, tile, stack and collapse_sum (target as an operand or as attribute 'shape').
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @shape_ops(%x: tensor<2x3x4xf32>, %s: tensor<1x3x1xf32>) -> (tensor<6x4xf32>, tensor<3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
  %r = nnvm.reshape %x {shape = array<i64: -3, 0>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %r2 = nnvm.reshape %x {shape = array<i64: -4, 1, 2, -2>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %q = nnvm.squeeze %s : (tensor<1x3x1xf32>) -> tensor<3xf32>
  %q2 = nnvm.squeeze %s {axis = array<i64: -1>} : (tensor<1x3x1xf32>) -> tensor<1x3xf32>
  %t = nnvm.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %t2 = nnvm.transpose %x {axes = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %b = nnvm.broadcast_to %s {shape = array<i64: 2, 0, 4>} : (tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
  func.return %r, %q, %t, %b : tensor<6x4xf32>, tensor<3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
}

func.func @replicate_ops(%x: tensor<2x3xi32>, %y: tensor<2x3xi32>, %g: tensor<4x2x3xf32>, %like: tensor<2x1xf32>) -> (tensor<2x6xi32>, tensor<4x3xi32>, tensor<2x2x3xi32>, tensor<2x1xf32>, tensor<1x3xf32>) {
  %r = nnvm.repeat %x {repeats = 2, axis = 1} : (tensor<2x3xi32>) -> tensor<2x6xi32>
  %t = nnvm.tile %x {reps = array<i64: 2, 1>} : (tensor<2x3xi32>) -> tensor<4x3xi32>
  %s = nnvm.stack %x, %y : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x2x3xi32>
  %s2 = nnvm.stack %x, %y {axis = -1} : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3x2xi32>
  %c = nnvm.collapse_sum %g, %like : (tensor<4x2x3xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %c2 = nnvm.collapse_sum %g {shape = array<i64: 1, 3>} : (tensor<4x2x3xf32>) -> tensor<1x3xf32>
  func.return %r, %t, %s, %c, %c2 : tensor<2x6xi32>, tensor<4x3xi32>, tensor<2x2x3xi32>, tensor<2x1xf32>, tensor<1x3xf32>
}

// CHECK-LABEL: func.func @shape_ops(%x: tensor<2x3x4xf32>, %s: tensor<1x3x1xf32>) -> (tensor<6x4xf32>, tensor<3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
// CHECK-NEXT:    %r = nnvm.reshape %x {shape = array<i64: -3, 0>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT:    %r2 = nnvm.reshape %x {shape = array<i64: -4, 1, 2, -2>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
// CHECK-NEXT:    %q = nnvm.squeeze %s : (tensor<1x3x1xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %q2 = nnvm.squeeze %s {axis = array<i64: -1>} : (tensor<1x3x1xf32>) -> tensor<1x3xf32>
// CHECK-NEXT:    %t = nnvm.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT:    %t2 = nnvm.transpose %x {axes = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT:    %b = nnvm.broadcast_to %s {shape = array<i64: 2, 0, 4>} : (tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    func.return %r, %q, %t, %b : tensor<6x4xf32>, tensor<3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
// CHECK-LABEL: func.func @replicate_ops(%x: tensor<2x3xi32>, %y: tensor<2x3xi32>, %g: tensor<4x2x3xf32>, %like: tensor<2x1xf32>) -> (tensor<2x6xi32>, tensor<4x3xi32>, tensor<2x2x3xi32>, tensor<2x1xf32>, tensor<1x3xf32>) {
// CHECK-NEXT:    %r = nnvm.repeat %x {repeats = 2 : i64, axis = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x6xi32>
// CHECK-NEXT:    %t = nnvm.tile %x {reps = array<i64: 2, 1>} : (tensor<2x3xi32>) -> tensor<4x3xi32>
// CHECK-NEXT:    %s = nnvm.stack %x, %y : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x2x3xi32>
// CHECK-NEXT:    %s2 = nnvm.stack %x, %y {axis = -1 : i64} : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3x2xi32>
// CHECK-NEXT:    %c = nnvm.collapse_sum %g, %like : (tensor<4x2x3xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
// CHECK-NEXT:    %c2 = nnvm.collapse_sum %g {shape = array<i64: 1, 3>} : (tensor<4x2x3xf32>) -> tensor<1x3xf32>
// CHECK-NEXT:    func.return %r, %t, %s, %c, %c2 : tensor<2x6xi32>, tensor<4x3xi32>, tensor<2x2x3xi32>, tensor<2x1xf32>, tensor<1x3xf32>

// GENERIC: %r = "nnvm.reshape"(%x) <{shape = array<i64: -3, 0>}> : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// GENERIC: %r2 = "nnvm.reshape"(%x) <{shape = array<i64: -4, 1, 2, -2>}> : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
// GENERIC: %q = "nnvm.squeeze"(%s) <{axis = array<i64>}> : (tensor<1x3x1xf32>) -> tensor<3xf32>
// GENERIC: %q2 = "nnvm.squeeze"(%s) <{axis = array<i64: -1>}> : (tensor<1x3x1xf32>) -> tensor<1x3xf32>
// GENERIC: %t = "nnvm.transpose"(%x) <{axes = array<i64>}> : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// GENERIC: %t2 = "nnvm.transpose"(%x) <{axes = array<i64: 0, 2, 1>}> : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// GENERIC: %b = "nnvm.broadcast_to"(%s) <{shape = array<i64: 2, 0, 4>}> : (tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC: %r = "nnvm.repeat"(%x) <{repeats = 2 : i64, axis = 1 : i64}> : (tensor<2x3xi32>) -> tensor<2x6xi32>
// GENERIC: %t = "nnvm.tile"(%x) <{reps = array<i64: 2, 1>}> : (tensor<2x3xi32>) -> tensor<4x3xi32>
// GENERIC: %s = "nnvm.stack"(%x, %y) <{axis = 0 : i64}> : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x2x3xi32>
// GENERIC: %s2 = "nnvm.stack"(%x, %y) <{axis = -1 : i64}> : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3x2xi32>
// GENERIC: %c = "nnvm.collapse_sum"(%g, %like) : (tensor<4x2x3xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
// GENERIC: %c2 = "nnvm.collapse_sum"(%g) <{shape = array<i64: 1, 3>}> : (tensor<4x2x3xf32>) -> tensor<1x3xf32>
