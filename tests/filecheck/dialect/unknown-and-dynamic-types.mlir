// `!nnvm.unknown` element types, `?` dims and unranked tensors are kept as written.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @unknown_element(%x: tensor<2x3x!nnvm.unknown>) -> tensor<*x!nnvm.unknown> {
  %r = nnvm.relu %x : (tensor<2x3x!nnvm.unknown>) -> tensor<?x3x!nnvm.unknown>
  %t = nnvm.tanh %r : (tensor<?x3x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
  func.return %t : tensor<*x!nnvm.unknown>
}

// CHECK-LABEL: func.func @unknown_element(%x: tensor<2x3x!nnvm.unknown>) -> tensor<*x!nnvm.unknown> {
// CHECK-NEXT:    %r = nnvm.relu %x : (tensor<2x3x!nnvm.unknown>) -> tensor<?x3x!nnvm.unknown>
// CHECK-NEXT:    %t = nnvm.tanh %r : (tensor<?x3x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
// CHECK-NEXT:    func.return %t : tensor<*x!nnvm.unknown>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "unknown_element"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3x!nnvm.unknown>):
// GENERIC-NEXT:    %r = "nnvm.relu"(%x) : (tensor<2x3x!nnvm.unknown>) -> tensor<?x3x!nnvm.unknown>
// GENERIC-NEXT:    %t = "nnvm.tanh"(%r) : (tensor<?x3x!nnvm.unknown>) -> tensor<*x!nnvm.unknown>
// GENERIC-NEXT:    "func.return"(%t) : (tensor<*x!nnvm.unknown>) -> ()

func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<4x?xf32>, %u: tensor<*xf32>) -> tensor<*xf32> {
  %d = nnvm.dense %x, %w {units = 4, use_bias = false} : (tensor<?x?xf32>, tensor<4x?xf32>) -> tensor<?x4xf32>
  %e = nnvm.elemwise_add %u, %u : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %f = nnvm.flatten %u : (tensor<*xf32>) -> tensor<?x?xf32>
  %s:2 = nnvm.split %u {indices_or_sections = 2} : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  func.return %e : tensor<*xf32>
}

// CHECK-LABEL: func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<4x?xf32>, %u: tensor<*xf32>) -> tensor<*xf32> {
// CHECK-NEXT:    %d = nnvm.dense %x, %w {units = 4 : i64, use_bias = false} : (tensor<?x?xf32>, tensor<4x?xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    %e = nnvm.elemwise_add %u, %u : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
// CHECK-NEXT:    %f = nnvm.flatten %u : (tensor<*xf32>) -> tensor<?x?xf32>
// CHECK-NEXT:    %s, %s_1 = nnvm.split %u {indices_or_sections = 2 : i64} : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>)
// CHECK-NEXT:    func.return %e : tensor<*xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "dynamic"
// GENERIC-NEXT:  ^bb0(%x: tensor<?x?xf32>, %w: tensor<4x?xf32>, %u: tensor<*xf32>):
// GENERIC-NEXT:    %d = "nnvm.dense"(%x, %w) <{units = 4 : i64, use_bias = false}> : (tensor<?x?xf32>, tensor<4x?xf32>) -> tensor<?x4xf32>
// GENERIC-NEXT:    %e = "nnvm.elemwise_add"(%u, %u) : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
// GENERIC-NEXT:    %f = "nnvm.flatten"(%u) : (tensor<*xf32>) -> tensor<?x?xf32>
// GENERIC-NEXT:    %s, %s_1 = "nnvm.split"(%u) <{indices_or_sections = 2 : i64, axis = 1 : i64}> : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>)
// GENERIC-NEXT:    "func.return"(%e) : (tensor<*xf32>) -> ()

// cast to an element type from an unknown one.
func.func @cast_unknown(%x: tensor<*x!nnvm.unknown>) -> tensor<*xi8> {
  %c = nnvm.cast %x {dtype = i8} : (tensor<*x!nnvm.unknown>) -> tensor<*xi8>
  func.return %c : tensor<*xi8>
}

// CHECK-LABEL: func.func @cast_unknown(%x: tensor<*x!nnvm.unknown>) -> tensor<*xi8> {
// CHECK-NEXT:    %c = nnvm.cast %x {dtype = i8} : (tensor<*x!nnvm.unknown>) -> tensor<*xi8>
// CHECK-NEXT:    func.return %c : tensor<*xi8>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "cast_unknown"
// GENERIC-NEXT:  ^bb0(%x: tensor<*x!nnvm.unknown>):
// GENERIC-NEXT:    %c = "nnvm.cast"(%x) <{dtype = i8}> : (tensor<*x!nnvm.unknown>) -> tensor<*xi8>
// GENERIC-NEXT:    "func.return"(%c) : (tensor<*xi8>) -> ()
