// RUN: nnvm-opt %s --split-input-file -p 'gradient{wrt=x}' --verify-diagnostics

func.func @no_rule(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'nnvm.elemwise_mod' op has no gradient rule (register one with the `gradient` fact), and it lies between the differentiated arguments and the output}}
  %m = nnvm.elemwise_mod %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = nnvm.exp %m : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %e : tensor<2x3xf32>
}

// -----

// expected-error@+1 {{'func.func' op has no argument 'x' to differentiate (arguments: a, b)}}
func.func @wrong_argument(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %e = nnvm.exp %a : (tensor<2xf32>) -> tensor<2xf32>
  func.return %e : tensor<2xf32>
}
