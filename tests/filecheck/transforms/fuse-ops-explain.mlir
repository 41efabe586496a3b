// fuse-ops{explain=true}: one remark per decision, at the op that made it.
// RUN: nnvm-opt %s -p 'fuse-ops{explain=true}' --verify-diagnostics
// RUN: nnvm-opt %s -p 'fuse-ops{explain=true}' 2>&1 >/dev/null | filecheck %s

func.func @explain(%d: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %w2: tensor<3x3x1x1xf32>) -> tensor<1x48xf32> {
  %c = nnvm.conv2d %d, %w {channels = 3, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  // expected-remark@+1 {{fuses operand #0 from 'nnvm.conv2d' (out_elemwise_fusable): elemwise ops absorb an out_elemwise_fusable producer of their shape}}
  %r = nnvm.relu %c : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // expected-remark@-1 {{roots a fused group of 2 ops ('nnvm.conv2d', 'nnvm.relu'), pattern out_elemwise_fusable}}
  // expected-remark@+2 {{does not fuse operand #0 from 'nnvm.relu' (elemwise, grouped as out_elemwise_fusable): out_elemwise_fusable ops absorb no producers}}
  // expected-remark@+1 {{its results have 2 uses}}
  %c2 = nnvm.conv2d %r, %w2 {channels = 3, kernel_size = array<i64: 1, 1>, use_bias = false} : (tensor<1x3x4x4xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %t = nnvm.tanh %c2 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %e = nnvm.exp %c2 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // expected-remark@+2 {{fuses operand #1 from 'nnvm.exp' (elemwise):}}
  // expected-remark@+1 {{fuses operand #0 from 'nnvm.tanh' (elemwise)}}
  %s = nnvm.elemwise_add %t, %e : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // expected-remark@+2 {{injective ops absorb elemwise, broadcast and injective producers}}
  // expected-remark@+1 {{roots a fused group of 4 ops ('nnvm.tanh', 'nnvm.exp', 'nnvm.elemwise_add', 'nnvm.flatten'), pattern injective}}
  %f = nnvm.flatten %s : (tensor<1x3x4x4xf32>) -> tensor<1x48xf32>
  func.return %f : tensor<1x48xf32>
}

// CHECK: fuse-ops-explain.mlir:8:3: remark: 'nnvm.relu' op fuses operand #0
