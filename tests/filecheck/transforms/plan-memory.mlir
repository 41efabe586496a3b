// RUN: nnvm-opt %s --split-input-file -p plan-memory,check-memory-plan | filecheck %s

// A chain: relu and tanh write over the operand that dies at them; the second dense reads %t
// while it writes, so it gets the next slot; the output is outside the arena (-1).
func.func @chain(%x: tensor<4x16xf32>, %w: tensor<16x16xf32>) -> tensor<4x16xf32> {
  %a = nnvm.dense %x, %w {units = 16, use_bias = false} : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32>
  %r = nnvm.relu %a : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %t = nnvm.tanh %r : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %b = nnvm.dense %t, %w {units = 16, use_bias = false} : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32>
  %s = nnvm.sigmoid %b : (tensor<4x16xf32>) -> tensor<4x16xf32>
  func.return %s : tensor<4x16xf32>
}
// CHECK-LABEL: func.func @chain
// CHECK-SAME: attributes {nnvm.arena_size = 512 : i64}
// CHECK: %a = nnvm.dense {{.*}}nnvm.storage_offset = array<i64: 0>, nnvm.storage_id = array<i64: 0>, nnvm.inplace = array<i64: -1>
// CHECK: %r = nnvm.relu %a {nnvm.storage_offset = array<i64: 0>, nnvm.storage_id = array<i64: 0>, nnvm.inplace = array<i64: 0>}
// CHECK: %t = nnvm.tanh %r {nnvm.storage_offset = array<i64: 0>, nnvm.storage_id = array<i64: 0>, nnvm.inplace = array<i64: 0>}
// CHECK: %b = nnvm.dense {{.*}}nnvm.storage_offset = array<i64: 256>, nnvm.storage_id = array<i64: 1>, nnvm.inplace = array<i64: -1>
// CHECK: %s = nnvm.sigmoid %b {nnvm.storage_offset = array<i64: -1>, nnvm.storage_id = array<i64: -1>, nnvm.inplace = array<i64: -1>}

// -----

// A function input is never overwritten, and a value read later is not written over either:
// %e is still read by the add, so exp(%e) gets its own slot.
func.func @inputs_and_fanout(%x: tensor<8xf32>) -> tensor<8xf32> {
  %n = nnvm.negative %x : (tensor<8xf32>) -> tensor<8xf32>
  %e = nnvm.exp %n : (tensor<8xf32>) -> tensor<8xf32>
  %f = nnvm.exp %e : (tensor<8xf32>) -> tensor<8xf32>
  %s = nnvm.elemwise_add %f, %e : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  func.return %s : tensor<8xf32>
}
// CHECK-LABEL: func.func @inputs_and_fanout
// CHECK-SAME: nnvm.arena_size = 128
// CHECK: %n = nnvm.negative %x {nnvm.storage_offset = array<i64: [[N:[0-9]+]]>, {{.*}}nnvm.inplace = array<i64: -1>}
// CHECK: %e = nnvm.exp %n {nnvm.storage_offset = array<i64: [[N]]>, {{.*}}nnvm.inplace = array<i64: 0>}
// CHECK: %f = nnvm.exp %e {nnvm.storage_offset = array<i64: [[F:[0-9]+]]>, {{.*}}nnvm.inplace = array<i64: -1>}
// CHECK: %s = nnvm.elemwise_add {{.*}}nnvm.storage_offset = array<i64: -1>

// -----

// Several results live at once get disjoint slots; an unused result gets a slot of its own
// for the op to write; unknown sizes are not planned.
func.func @split(%x: tensor<4x6xf32>, %y: tensor<?xf32>) -> (tensor<4x2xf32>, tensor<?xf32>) {
  %p:3 = nnvm.split %x {indices_or_sections = 3 : i64} : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>)
  %s = nnvm.elemwise_add %p#0, %p#1 : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %d = nnvm.negative %y : (tensor<?xf32>) -> tensor<?xf32>
  %u = nnvm.relu %d : (tensor<?xf32>) -> tensor<?xf32>
  func.return %s, %u : tensor<4x2xf32>, tensor<?xf32>
}
// CHECK-LABEL: func.func @split
// CHECK-SAME: nnvm.arena_size = 192
// CHECK: nnvm.split %x {nnvm.storage_offset = array<i64: {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}>, nnvm.storage_id = array<i64: {{[0-2]}}, {{[0-2]}}, {{[0-2]}}>, nnvm.inplace = array<i64: -1, -1, -1>
// CHECK: %d = nnvm.negative %y {nnvm.storage_offset = array<i64: -1>, nnvm.storage_id = array<i64: -1>
