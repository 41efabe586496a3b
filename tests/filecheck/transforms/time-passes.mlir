// --time-passes reports the time of parsing, of each pass and of the verifier after it, and of
// printing, on stderr in pipeline order, and leaves stdout as is.
// RUN: nnvm-opt %s -p infer-shape,infer-type --time-passes 2>&1 >/dev/null | filecheck %s
// RUN: nnvm-opt %s -p infer-shape,infer-type --time-passes 2>/dev/null | filecheck %s --check-prefix=STDOUT

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// CHECK:      parse: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT:   verify the input: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT: pass infer-shape: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT:   verify after infer-shape: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT: pass infer-type: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT:   verify after infer-type: {{[0-9]+\.[0-9]+}} ms
// CHECK-NEXT: target mlir: {{[0-9]+\.[0-9]+}} ms
// CHECK-NOT:  pass

// STDOUT-NOT: pass infer
// STDOUT:     func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
