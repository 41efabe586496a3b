// A small CNN: conv -> batch_norm -> relu -> max_pool -> conv -> relu -> flatten -> dense -> softmax.
// Intermediate result types are left partly unknown; `nnvm-opt -p infer-shape,infer-type` fills them.
func.func @cnn(%data: tensor<1x3x16x16xf32>,
               %conv1_weight: tensor<8x3x3x3xf32>, %conv1_bias: tensor<8xf32>,
               %bn_gamma: tensor<8xf32>, %bn_beta: tensor<8xf32>,
               %bn_mean: tensor<8xf32>, %bn_var: tensor<8xf32>,
               %conv2_weight: tensor<16x8x3x3xf32>,
               %fc_weight: tensor<10x256xf32>, %fc_bias: tensor<10xf32>) -> tensor<*xf32> {
  %c1 = nnvm.conv2d %data, %conv1_weight, %conv1_bias {channels = 8, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>} : (tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x?x?x?xf32>
  %bn = nnvm.batch_norm %c1, %bn_gamma, %bn_beta, %bn_mean, %bn_var {epsilon = 1.0e-03} : (tensor<?x?x?x?xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<*xf32>
  %r1 = nnvm.relu %bn : (tensor<*xf32>) -> tensor<*xf32>
  %p1 = nnvm.max_pool2d %r1 {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<*xf32>) -> tensor<*xf32>
  %c2 = nnvm.conv2d %p1, %conv2_weight {channels = 16, kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1>, strides = array<i64: 2, 2>, use_bias = false} : (tensor<*xf32>, tensor<16x8x3x3xf32>) -> tensor<*xf32>
  %r2 = nnvm.relu %c2 : (tensor<*xf32>) -> tensor<*x!nnvm.unknown>
  %f = nnvm.flatten %r2 : (tensor<*x!nnvm.unknown>) -> tensor<?x?x!nnvm.unknown>
  %d = nnvm.dense %f, %fc_weight, %fc_bias {units = 10} : (tensor<?x?x!nnvm.unknown>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<*x!nnvm.unknown>
  %drop = nnvm.dropout %d {rate = 0.2} : (tensor<*x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  %out = nnvm.softmax %drop : (tensor<*x!nnvm.unknown>) -> tensor<*xf32>
  func.return %out : tensor<*xf32>
}
