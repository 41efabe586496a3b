// Malformed syntax: each chunk is one parse error, reported at its place with the source line
// and a caret, with exit status 1 and no traceback.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

func.func @missing_paren(%x: tensor<2xf32>) {
  // expected-error@+1 {{Expected ')'}}
  %r = nnvm.relu %x : (tensor<2xf32> -> tensor<2xf32>
  func.return
}
// CHECK:      syntax-errors.mlir:8:38: error: Expected ')'
// CHECK-NEXT: {{^}}  %r = nnvm.relu %x : (tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT: {{^                                     \^$}}

// -----

func.func @bad_element_type(%x: tensor<2xf32>) {
  // expected-error@+1 {{Expected shape type}}
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xfoo>
  func.return
}
// CHECK:      syntax-errors.mlir:19:51: error: Expected shape type.

// -----

// expected-error@+1 {{Expected '>' after builtin parameter list}}
func.func @unclosed_type(%x: tensor<2xf32) {
  func.return
}
// CHECK:      syntax-errors.mlir:27:42: error: Expected '>' after builtin parameter list

// -----

func.func @garbage_tokens(%x: tensor<2xf32>) {
  // expected-error@+1 {{Unexpected character: $}}
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32> $$$
  func.return
}
// CHECK:      syntax-errors.mlir:36:56: error: Unexpected character: $
// CHECK-NEXT: {{^}}  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32> $$$
// CHECK-NEXT: {{^                                                       \^$}}

// -----

func.func @stray_token(%x: tensor<2xf32>) {
  func.return
  // expected-error@+1 {{expected an operation or '}' to close the region, got ')'}}
  )
}
// CHECK:      syntax-errors.mlir:48:3: error: expected an operation or '}' to close the region, got ')'

// -----

func.func @undefined_value(%x: tensor<2xf32>) {
  // expected-error@+1 {{use of undefined value '%z'}}
  %r = nnvm.relu %z : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      syntax-errors.mlir:56:18: error: use of undefined value '%z'
// CHECK-NEXT: {{^}}  %r = nnvm.relu %z
// CHECK-NEXT: {{^                 \^$}}

// -----

func.func @duplicate_name(%x: tensor<2xf32>) {
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
  // expected-error@+1 {{SSA value %r is already defined}}
  %r = nnvm.tanh %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      syntax-errors.mlir:68:3: error: SSA value %r is already defined

// -----

func.func @unknown_op(%x: tensor<2xf32>) {
  // expected-error@+1 {{unknown op 'nnvm.sigmoyd'; did you mean 'nnvm.sigmoid'?}}
  %r = nnvm.sigmoyd %x : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// The caret is under the op name.
// CHECK:      syntax-errors.mlir:77:8: error: unknown op 'nnvm.sigmoyd'; did you mean 'nnvm.sigmoid'?
// CHECK-NEXT: {{^}}  %r = nnvm.sigmoyd %x
// CHECK-NEXT: {{^       \^$}}

// -----

func.func @unknown_generic_op(%x: tensor<2xf32>) {
  // expected-error@+1 {{unknown op 'nnvm.frobnicate'}}
  %r = "nnvm.frobnicate"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      syntax-errors.mlir:89:8: error: unknown op 'nnvm.frobnicate'

// -----

func.func @too_many_operands(%x: tensor<2xf32>) {
  // expected-error@+1 {{Expected 1 operand, but got 2}}
  %r = nnvm.relu %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return
}
// CHECK:      syntax-errors.mlir:98:18: error: Expected 1 operand, but got 2

// -----

func.func @too_few_operands(%x: tensor<2xf32>) {
  // expected-error@+1 {{'nnvm.elemwise_add' op Expected 2 operands, but got 1}}
  %r = "nnvm.elemwise_add"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}

// -----

// The last chunk ends inside the function body: the error is at the end of the input.
// CHECK:      syntax-errors.mlir:119:1: error: expected an operation or '}' to close the region, got the end of the input
// CHECK-NOT:  Traceback
func.func @unterminated_region(%x: tensor<2xf32>) {
  // expected-error@+2 {{expected an operation or '}' to close the region, got the end of the input}}
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
