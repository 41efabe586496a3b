// nnvm-run --bisect names the pass, and the op in its output, that first changes the numbers.
// A plugin plants a wrong canonicalization (sigmoid -> tanh); -O 1 does not canonicalize.
// RUN: not nnvm-run %s --plugin %S/../../plugins/wrong_rewrite.py --bisect -O 2 --random-inputs 0 | filecheck %s
// RUN: nnvm-run %s --plugin %S/../../plugins/wrong_rewrite.py --bisect -O 1 --random-inputs 0 | filecheck %s --check-prefix=CLEAN
// RUN: nnvm-run %s --bisect -O 3 --random-inputs 0 | filecheck %s --check-prefix=CLEAN

func.func @f(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = nnvm.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = nnvm.copy %y : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = nnvm.sigmoid %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = nnvm.elemwise_add %s, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %b, %r : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK:      bisect: -O 2 runs 8 passes: infer-shape, infer-type, simplify-inference, fold-constants, canonicalize, cse, dce, fuse-ops
// CHECK-NEXT: bisect: pass 'canonicalize' (5 of 8) changes output_1 beyond tolerance
// CHECK-NEXT: bisect: first op whose results leave tolerance: %s = nnvm.tanh %a : (tensor<2x3xf32>) -> tensor<2x3xf32>

// CLEAN: bisect: every pass keeps the outputs within rtol 0.0001, atol 1e-05
