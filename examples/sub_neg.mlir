// x - (-z), which the plugin examples/my_patterns.py rewrites into x + z.
func.func @sub_neg(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %n = nnvm.negative %z : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %d = nnvm.elemwise_sub %x, %n : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %d : tensor<2x4xf32>
}
