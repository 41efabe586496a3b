// nnvm.fused: round trip of the custom form through the generic one, and its verifier.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics | filecheck %s
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics --print-op-generic | nnvm-opt --split-input-file | filecheck %s

func.func @group(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = nnvm.fused "elemwise" master 1 (%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32> {
  ^bb0(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>):
    %s = nnvm.elemwise_add %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %t = nnvm.relu %s : (tensor<2x3xf32>) -> tensor<2x3xf32>
    nnvm.yield %t : tensor<2x3xf32>
  }
  func.return %r : tensor<2x3xf32>
}

// CHECK:      %r = nnvm.fused "elemwise" master 1 (%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT: ^bb0(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>):
// CHECK-NEXT:   %s = nnvm.elemwise_add %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   %t = nnvm.relu %s : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   nnvm.yield %t : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

func.func @unknown_pattern(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{pattern 'elemwize' is not one of: elemwise, broadcast, injective, comm_reduce, out_elemwise_fusable, opaque}}
  %r = nnvm.fused "elemwize" master 0 (%a) : (tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%x: tensor<2xf32>):
    %t = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
    nnvm.yield %t : tensor<2xf32>
  }
  func.return %r : tensor<2xf32>
}

// -----

func.func @bad_master(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{master 1 is not the index of an op of the body}}
  %r = nnvm.fused "elemwise" master 1 (%a) : (tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%x: tensor<2xf32>):
    %t = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
    nnvm.yield %t : tensor<2xf32>
  }
  func.return %r : tensor<2xf32>
}

// -----

func.func @arg_type(%a: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{body argument #0 has type tensor<3xf32> but operand #0 is tensor<2xf32>}}
  %r = nnvm.fused "elemwise" master 0 (%a) : (tensor<2xf32>) -> tensor<3xf32> {
  ^bb0(%x: tensor<3xf32>):
    %t = nnvm.relu %x : (tensor<3xf32>) -> tensor<3xf32>
    nnvm.yield %t : tensor<3xf32>
  }
  func.return %r : tensor<3xf32>
}

// -----

func.func @yield_type(%a: tensor<2xf32>) -> tensor<2xf16> {
  // expected-error@+1 {{result #0 has type tensor<2xf16> but the body yields tensor<2xf32>}}
  %r = nnvm.fused "elemwise" master 0 (%a) : (tensor<2xf32>) -> tensor<2xf16> {
  ^bb0(%x: tensor<2xf32>):
    %t = nnvm.relu %x : (tensor<2xf32>) -> tensor<2xf32>
    nnvm.yield %t : tensor<2xf32>
  }
  func.return %r : tensor<2xf16>
}

// -----

func.func @captured(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{Operation using value defined out of its IsolatedFromAbove parent}}
  %r = nnvm.fused "elemwise" master 0 (%a) : (tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%x: tensor<2xf32>):
    %t = nnvm.elemwise_add %x, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    nnvm.yield %t : tensor<2xf32>
  }
  func.return %r : tensor<2xf32>
}

// -----

func.func @stray_yield(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{expects parent op 'nnvm.fused'}}
  nnvm.yield %a : tensor<2xf32>
}
