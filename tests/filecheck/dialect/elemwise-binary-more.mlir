// Round trip of the binary elementwise ops beyond the foundation's (mod, pow, the i1 comparisons
// and logical ops) and the variadic elemwise_sum.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @more_binary(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %p: tensor<4xi1>, %q: tensor<4xi1>) {
  %mod = nnvm.elemwise_mod %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %pow = nnvm.elemwise_pow %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %gt = nnvm.greater %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %lt = nnvm.less %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %and = nnvm.logical_and %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %or = nnvm.logical_or %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %sum = nnvm.elemwise_sum %a, %b, %a {num_args = 3} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %one = nnvm.elemwise_sum %a {num_args = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK-LABEL: func.func @more_binary(
// CHECK-NEXT:    %mod = nnvm.elemwise_mod %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %pow = nnvm.elemwise_pow %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %gt = nnvm.greater %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT:    %lt = nnvm.less %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT:    %and = nnvm.logical_and %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT:    %or = nnvm.logical_or %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT:    %sum = nnvm.elemwise_sum %a, %b, %a {num_args = 3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %one = nnvm.elemwise_sum %a {num_args = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "more_binary"
// GENERIC:         %mod = "nnvm.elemwise_mod"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %pow = "nnvm.elemwise_pow"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %gt = "nnvm.greater"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// GENERIC-NEXT:    %lt = "nnvm.less"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// GENERIC-NEXT:    %and = "nnvm.logical_and"(%p, %q) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// GENERIC-NEXT:    %or = "nnvm.logical_or"(%p, %q) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// GENERIC-NEXT:    %sum = "nnvm.elemwise_sum"(%a, %b, %a) <{num_args = 3 : i64}> : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %one = "nnvm.elemwise_sum"(%a) <{num_args = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
