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
