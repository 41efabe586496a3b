// --print-between-passes dumps the IR to stderr after each pass but the last; the final IR goes
// to stdout.
// RUN: nnvm-opt %s -p infer-shape,infer-type --print-between-passes 2>&1 | filecheck %s
// RUN: nnvm-opt %s -p infer-shape,infer-type --print-between-passes 2>/dev/null | filecheck %s --check-prefix=STDOUT

func.func @f(%x: tensor<2x3xf32>) -> tensor<*x!nnvm.unknown> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*x!nnvm.unknown>
  func.return %r : tensor<*x!nnvm.unknown>
}

// After infer-shape the shape is known but the element type is not yet.
// CHECK:      // -----// IR after infer-shape //----- //
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3x!nnvm.unknown> {
// CHECK-NEXT:     %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3x!nnvm.unknown>
// CHECK-NOT:  IR after infer-type
// CHECK:        func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:     %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NOT:  IR after

// STDOUT-NOT:  IR after
// STDOUT:      func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// STDOUT-NOT:  !nnvm.unknown
