// RUN: nnvm-opt %s --split-input-file -p check-memory-plan --verify-diagnostics
// Hand-made bad plans: the checker finds each one, at the op, without the planner's help.

// Two values live at the same time share bytes.
func.func @overlap(%x: tensor<32xf32>) -> tensor<32xf32> attributes {nnvm.arena_size = 192 : i64} {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<32xf32>) -> tensor<32xf32>
  // expected-error@+1 {{'nnvm.tanh' op result #0 (bytes [64, 192)) overlaps %a (bytes [0, 128)), which is still live here (last read by 'nnvm.elemwise_add' at 9:3)}}
  %b = nnvm.tanh %x {nnvm.storage_offset = array<i64: 64>, nnvm.inplace = array<i64: -1>} : (tensor<32xf32>) -> tensor<32xf32>
  %c = nnvm.elemwise_add %a, %b {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<32xf32>, tensor<32xf32>) -> tensor<32xf32>
  func.return %c : tensor<32xf32>
}

// -----

// A result written over its operand without saying so in place: the op reads %a while it writes.
func.func @hidden_inplace(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  // expected-error@+1 {{result #0 (bytes [0, 64)) overlaps %a (bytes [0, 64)), which is still live here}}
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  %c = nnvm.relu %b {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %c : tensor<16xf32>
}

// -----

// In place over a value that is read again later.
func.func @inplace_over_live(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  // expected-error@+1 {{result #0 overwrites operand #0 (%a), which is still read later by 'nnvm.elemwise_add' at 31:3}}
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: 0>} : (tensor<16xf32>) -> tensor<16xf32>
  %c = nnvm.elemwise_add %a, %b {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  func.return %c : tensor<16xf32>
}

// -----

// In place over a function input.
func.func @inplace_over_input(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  // expected-error@+1 {{result #0 overwrites operand #0 (%x), which is a function input}}
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: 0>} : (tensor<16xf32>) -> tensor<16xf32>
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %b : tensor<16xf32>
}

// -----

// A function output in the arena could be overwritten after it is computed.
func.func @output_in_arena(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  // expected-error@+1 {{result #0 is a function output but has storage offset 0: outputs live outside the arena}}
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %a : tensor<16xf32>
}

// -----

// In place where the op has no such option (dense reads all of its data for each output).
func.func @not_allowed(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {nnvm.arena_size = 64 : i64} {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // expected-error@+1 {{result #0 overwrites operand #0, which the op does not allow (its in-place options are none)}}
  %b = nnvm.dense %a, %w {units = 4, use_bias = false, nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: 0>} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %c = nnvm.relu %b {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  func.return %c : tensor<4x4xf32>
}

// -----

// Past the end of the arena, unaligned, missing.
func.func @bounds(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  // expected-error@+1 {{result #0 occupies bytes [64, 128), past the arena size 64}}
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 64>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %b : tensor<16xf32>
}

// -----

func.func @unaligned(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 256 : i64} {
  // expected-error@+1 {{result #0 offset 4 is not 64-byte aligned}}
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 4>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %b : tensor<16xf32>
}

// -----

func.func @missing(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  // expected-error@+1 {{has no nnvm.storage_offset, but the function has a memory plan}}
  %a = nnvm.exp %x : (tensor<16xf32>) -> tensor<16xf32>
  func.return %a : tensor<16xf32>
}

// -----

func.func @wrong_length(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  // expected-error@+1 {{nnvm.storage_offset has 2 entries for 1 results}}
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0, 64>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %a : tensor<16xf32>
}

// -----

// A good plan, including an in-place handover, passes.
func.func @good(%x: tensor<16xf32>) -> tensor<16xf32> attributes {nnvm.arena_size = 64 : i64} {
  %a = nnvm.exp %x {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  %b = nnvm.tanh %a {nnvm.storage_offset = array<i64: 0>, nnvm.inplace = array<i64: 0>} : (tensor<16xf32>) -> tensor<16xf32>
  %c = nnvm.relu %b {nnvm.storage_offset = array<i64: -1>, nnvm.inplace = array<i64: -1>} : (tensor<16xf32>) -> tensor<16xf32>
  func.return %c : tensor<16xf32>
}
