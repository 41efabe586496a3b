// A plugin adds a canonicalization pattern to a built-in op and a pass that applies it.
// RUN: nnvm-opt --plugin %examples/my_patterns.py %examples/sub_neg.mlir -p canonicalize | filecheck %s
// RUN: nnvm-opt --plugin %examples/my_patterns.py %examples/sub_neg.mlir -p sub-of-negative,dce | filecheck %s
// RUN: nnvm-opt %examples/sub_neg.mlir -p canonicalize | filecheck %s --check-prefix=WITHOUT
// RUN: nnvm-run --plugin %examples/my_patterns.py %examples/sub_neg.mlir --bisect -O 2 --random-inputs 0 | filecheck %s --check-prefix=BISECT

// CHECK:      func.func @sub_neg(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:   %d = nnvm.elemwise_add %x, %z : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:   func.return %d : tensor<2x4xf32>

// WITHOUT:      %n = nnvm.negative %z
// WITHOUT-NEXT: %d = nnvm.elemwise_sub %x, %n

// BISECT: bisect: every pass keeps the outputs within rtol 0.0001, atol 1e-05
