// --verify-diagnostics fails (exit status 1) when an expected error is not produced, or when an
// error is produced that no comment expects, and says which; each chunk is checked on its own.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file --verify-diagnostics 2>&1 | filecheck %s

func.func @not_produced(%x: tensor<2xf32>) {
  // expected-error@+1 {{this error is never reported}}
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// The mismatch is reported where the comment is.
// CHECK:      verify-diagnostics-mismatch.mlir:6:6: error: expected error "this error is never reported" was not produced
// CHECK-NEXT: {{^  // expected-error@\+1 .*this error is never reported}}
// CHECK-NEXT: {{^     \^$}}

// -----

func.func @unexpected(%x: tensor<2xf32>) {
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<3xf32>
  func.return
}
// CHECK:      verify-diagnostics-mismatch.mlir:18:3: error: unexpected error: 'nnvm.relu' op result #0 of type tensor<3xf32>: shape 3 conflicts with 2
// CHECK-NEXT: {{^}}  %r = nnvm.relu %x

// -----

// The right text on the wrong line is both unexpected and not produced.
func.func @wrong_line(%x: tensor<2xf32>) {
  // expected-error@+2 {{'nnvm.tanh' op result #0}}
  %t = nnvm.tanh %x : (tensor<2xf32>) -> tensor<4xf32>
  func.return
}
// CHECK:      verify-diagnostics-mismatch.mlir:29:3: error: unexpected error: 'nnvm.tanh' op result #0
// CHECK:      verify-diagnostics-mismatch.mlir:28:6: error: expected error "'nnvm.tanh' op result #0" was not produced

// -----

// A matching chunk after failing ones is still checked, and is fine: nothing is printed for it.
func.func @matched(%x: tensor<2xf32>) {
  // expected-error@+1 {{shape 5 conflicts with 2}}
  %t = nnvm.exp %x : (tensor<2xf32>) -> tensor<5xf32>
  func.return
}
// CHECK-NOT:  error:
// CHECK-NOT:  Traceback
