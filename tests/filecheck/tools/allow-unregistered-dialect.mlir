// Ops of unregistered dialects are an error unless --allow-unregistered-dialect is given; then
// they pass through as written, and nnvm passes work around them.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s 2>&1 | filecheck %s --check-prefix=ERROR
// RUN: nnvm-opt %s --allow-unregistered-dialect -p infer-shape | filecheck %s

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %y = "mydialect.frob"(%x) {level = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = nnvm.relu %y : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// ERROR:      allow-unregistered-dialect.mlir:7:8: error: unknown op 'mydialect.frob'
// ERROR-NEXT: {{^}}  %y = "mydialect.frob"(%x)
// ERROR-NEXT: {{^       \^$}}
// ERROR-NOT:  Traceback

// CHECK:      func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %y = "mydialect.frob"(%x) {level = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   %r = nnvm.relu %y : (tensor<2x3xf32>) -> tensor<2x3xf32>
