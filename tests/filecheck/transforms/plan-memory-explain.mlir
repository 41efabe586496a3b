// RUN: nnvm-opt %s -p 'plan-memory{explain=true}' --verify-diagnostics
// RUN: nnvm-opt %s -p 'plan-memory{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REPORT

func.func @explain(%x: tensor<64xf32>) -> tensor<64xf32> {
  // expected-remark@+1 {{not computed in place: operand #0 (%x) is a function input}}
  %a = nnvm.exp %x : (tensor<64xf32>) -> tensor<64xf32>
  // expected-remark@+2 {{not computed in place: operand #0 (%a) is used later by 'nnvm.elemwise_mul' at 11:3}}
  // expected-remark@+1 {{result #0 (256 bytes) gets new memory at offset 256: no free gap that large among the 1 value live at the same time (256 bytes)}}
  %b = nnvm.tanh %a : (tensor<64xf32>) -> tensor<64xf32>
  %c = nnvm.sigmoid %b : (tensor<64xf32>) -> tensor<64xf32>
  %d = nnvm.elemwise_mul %c, %a : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  // expected-remark@+1 {{not computed in place: result #0 is a function output}}
  %e = nnvm.relu %d : (tensor<64xf32>) -> tensor<64xf32>
  func.return %e : tensor<64xf32>
}
// REPORT: plan-memory @explain: naive 1024 bytes, arena 512 bytes, lower bound 512 bytes (arena / lower bound 1.000)
