// An unterminated string is a located error, found in linear time: xDSL 0.74's lexer regex
// backtracks exponentially on it (40 letters after the quote would take days), worked around in
// frontend/mlir.py. The timeout turns a regression into a failure instead of a hang.
// RUN: python %inputs/exit-status.py 1 timeout 60 nnvm-opt %s 2>&1 | filecheck %s
// RUN: python %inputs/exit-status.py 1 timeout 60 nnvm-run %s --random-inputs 0 2>&1 | filecheck %s

func.func @f(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  %s = nnvm.sig"moid %x : (tensor<2x8xf32>) -> tensor<*xf32> abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz
  func.return %s : tensor<*xf32>
}
// CHECK:      unterminated-string.mlir:8:16: error: End of file reached before closing string literal.
// CHECK-NEXT: {{^}}  %s = nnvm.sig"moid
// CHECK-NOT:  Traceback
