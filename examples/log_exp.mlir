// log(exp(x)) * 2, rewritten by the PDL pattern in examples/log_exp.pdl.
func.func @log_exp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = nnvm.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %l = nnvm.log %e : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = nnvm.elemwise_add %l, %l : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
