// Round trip of the binary elementwise ops (no broadcasting: both operands have one shape).
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @binary(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  %add = nnvm.elemwise_add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %sub = nnvm.elemwise_sub %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %mul = nnvm.elemwise_mul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %div = nnvm.elemwise_div %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK-LABEL: func.func @binary(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
// CHECK-NEXT:    %add = nnvm.elemwise_add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %sub = nnvm.elemwise_sub %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %mul = nnvm.elemwise_mul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %div = nnvm.elemwise_div %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "binary"
// GENERIC-NEXT:  ^bb0(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>):
// GENERIC-NEXT:    %add = "nnvm.elemwise_add"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %sub = "nnvm.elemwise_sub"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %mul = "nnvm.elemwise_mul"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %div = "nnvm.elemwise_div"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// A `?` dim on one side is compatible with a known dim on the other.
func.func @partial(%a: tensor<?x3xi32>, %b: tensor<2x?xi32>) {
  %add = nnvm.elemwise_add %a, %b : (tensor<?x3xi32>, tensor<2x?xi32>) -> tensor<2x3xi32>
  %mul = nnvm.elemwise_mul %a, %a : (tensor<?x3xi32>, tensor<?x3xi32>) -> tensor<?x3xi32>
  func.return
}

// CHECK-LABEL: func.func @partial(%a: tensor<?x3xi32>, %b: tensor<2x?xi32>) {
// CHECK-NEXT:    %add = nnvm.elemwise_add %a, %b : (tensor<?x3xi32>, tensor<2x?xi32>) -> tensor<2x3xi32>
// CHECK-NEXT:    %mul = nnvm.elemwise_mul %a, %a : (tensor<?x3xi32>, tensor<?x3xi32>) -> tensor<?x3xi32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "partial"
// GENERIC-NEXT:  ^bb0(%a: tensor<?x3xi32>, %b: tensor<2x?xi32>):
// GENERIC-NEXT:    %add = "nnvm.elemwise_add"(%a, %b) : (tensor<?x3xi32>, tensor<2x?xi32>) -> tensor<2x3xi32>
// GENERIC-NEXT:    %mul = "nnvm.elemwise_mul"(%a, %a) : (tensor<?x3xi32>, tensor<?x3xi32>) -> tensor<?x3xi32>
// GENERIC-NEXT:    "func.return"() : () -> ()
