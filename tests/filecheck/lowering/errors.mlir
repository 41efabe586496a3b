// Bad input for the CPU stages: located errors naming the op or argument and the stage.
// RUN: not nnvm-opt %s -p convert-nnvm-to-loops --split-input-file 2>&1 | filecheck %s
// RUN: not nnvm-opt %s -p convert-nnvm-to-loops --split-input-file --plugin %S/../../plugins/no_semantics.py 2>&1 | filecheck %s --check-prefix=PLUGIN

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = nnvm.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  func.return %r : tensor<?x4xf32>
}
// CHECK: errors.mlir:5:1: error: 'func.func' op argument 'x' has unknown dims (tensor<?x4xf32>): the CPU target needs static shapes; write the shape in the function type or give it with --input-shape x=D0xD1x...

// -----

func.func @unknown_result(%x: tensor<2x4xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x4xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}
// CHECK: errors.mlir:[[# @LINE - 3]]:3: error: 'nnvm.relu' op result has unknown dims (tensor<*xf32>): run infer-shape and infer-type first (convert-nnvm-to-loops)

// -----

func.func @no_lowering(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %r = opaque.identity %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}
// PLUGIN: errors.mlir:[[# @LINE - 3]]:3: error: 'opaque.identity' op has no CPU lowering (stage convert-nnvm-to-loops); register one with the `lowering` fact
