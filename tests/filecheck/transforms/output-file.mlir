// -o writes the result to a file and nothing to stdout.
// RUN: rm -f %t %t.stdout
// RUN: nnvm-opt %s -p infer-shape -o %t > %t.stdout
// RUN: filecheck %s < %t
// RUN: echo -n > %t.empty
// RUN: diff %t.empty %t.stdout

func.func @f(%x: tensor<4x8xf32>) -> tensor<*xf32> {
  %r = nnvm.flatten %x : (tensor<4x8xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// CHECK:      func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT:   %r = nnvm.flatten %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
