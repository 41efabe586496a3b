// A pattern written in PDL, applied to nnvm ops with xDSL's apply-pdl.
// RUN: nnvm-opt %examples/log_exp.mlir -p 'apply-pdl{pdl_file="%examples/log_exp.pdl"},dce' | filecheck %s
// RUN: nnvm-opt %s -p 'apply-pdl{pdl_file="%examples/log_exp.pdl"}' | filecheck %s --check-prefix=KEPT

// CHECK:      func.func @log_exp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %y = nnvm.elemwise_add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   func.return %y : tensor<2x3xf32>

// Left alone: exp(log(x)) is another pattern; log of an argument matches nothing.
func.func @kept(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %l = nnvm.log %x : (tensor<3xf32>) -> tensor<3xf32>
  %e = nnvm.exp %l : (tensor<3xf32>) -> tensor<3xf32>
  func.return %l, %e : tensor<3xf32>, tensor<3xf32>
}

// KEPT:      %l = nnvm.log %x
// KEPT-NEXT: %e = nnvm.exp %l
// KEPT-NEXT: func.return %l, %e
