// x * sigmoid(x), which the plugin examples/my_ops.py rewrites into its own op myops.swish.
func.func @swish(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<*xf32> {
  %s = nnvm.sigmoid %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %m = nnvm.elemwise_mul %x, %s : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %d = nnvm.dense %m, %w {units = 4, use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  func.return %d : tensor<*xf32>
}
