// RUN: nnvm-opt %s -p 'plan-memory,gradient,plan-memory,check-memory-plan' | filecheck %s
// RUN: nnvm-opt %s -p 'plan-memory,gradient' | filecheck %s --check-prefix=FRESH
// The backward function is a new function: it does not inherit the forward one's plan (whose
// arena it would not have), and planning the module again plans both.

func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
  %a = nnvm.exp %x : (tensor<16xf32>) -> tensor<16xf32>
  %b = nnvm.tanh %a : (tensor<16xf32>) -> tensor<16xf32>
  func.return %b : tensor<16xf32>
}
// CHECK: func.func @f({{.*}}attributes {nnvm.arena_size = 64 : i64}
// CHECK: func.func @f_grad(%x: tensor<16xf32>, %d_output: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 192 : i64}
// CHECK-NEXT: %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>

// FRESH: func.func @f_grad(%x: tensor<16xf32>, %d_output: tensor<16xf32>) -> tensor<16xf32> {
// FRESH-NOT: nnvm.storage
// FRESH: func.return
