// Round trip of the broadcast ops (numpy broadcasting, unknown dims kept unknown) and the
// broadcast comparisons (i1 results).
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x1xf32>) {
  %add = nnvm.broadcast_add %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %sub = nnvm.broadcast_sub %b, %a : (tensor<3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %mul = nnvm.broadcast_mul %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %div = nnvm.broadcast_div %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %mod = nnvm.broadcast_mod %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %pow = nnvm.broadcast_pow %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %max = nnvm.broadcast_max %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %min = nnvm.broadcast_min %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  func.return
}

// CHECK-LABEL: func.func @broadcast(
// CHECK-NEXT:    %add = nnvm.broadcast_add %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %sub = nnvm.broadcast_sub %b, %a : (tensor<3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %mul = nnvm.broadcast_mul %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %div = nnvm.broadcast_div %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %mod = nnvm.broadcast_mod %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %pow = nnvm.broadcast_pow %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %max = nnvm.broadcast_max %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %min = nnvm.broadcast_min %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "broadcast"
// GENERIC:         %add = "nnvm.broadcast_add"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %sub = "nnvm.broadcast_sub"(%b, %a) : (tensor<3x1xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %mul = "nnvm.broadcast_mul"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %div = "nnvm.broadcast_div"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %mod = "nnvm.broadcast_mod"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %pow = "nnvm.broadcast_pow"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %max = "nnvm.broadcast_max"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:    %min = "nnvm.broadcast_min"(%a, %b) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>

func.func @shift(%a: tensor<2x3xi8>, %b: tensor<3xi8>) {
  %l = nnvm.broadcast_left_shift %a, %b : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
  %r = nnvm.broadcast_right_shift %a, %b : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
  func.return
}

// CHECK-LABEL: func.func @shift(
// CHECK-NEXT:    %l = nnvm.broadcast_left_shift %a, %b : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
// CHECK-NEXT:    %r = nnvm.broadcast_right_shift %a, %b : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "shift"
// GENERIC:         %l = "nnvm.broadcast_left_shift"(%a, %b) : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
// GENERIC-NEXT:    %r = "nnvm.broadcast_right_shift"(%a, %b) : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>

func.func @compare(%a: tensor<2x3x4xi32>, %b: tensor<4xi32>) {
  %gt = nnvm.broadcast_greater %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  %lt = nnvm.broadcast_less %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  %eq = nnvm.broadcast_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  %ne = nnvm.broadcast_not_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  %ge = nnvm.broadcast_greater_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  %le = nnvm.broadcast_less_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
  func.return
}

// CHECK-LABEL: func.func @compare(
// CHECK-NEXT:    %gt = nnvm.broadcast_greater %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    %lt = nnvm.broadcast_less %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    %eq = nnvm.broadcast_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    %ne = nnvm.broadcast_not_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    %ge = nnvm.broadcast_greater_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    %le = nnvm.broadcast_less_equal %a, %b : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "compare"
// GENERIC:         %gt = "nnvm.broadcast_greater"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// GENERIC-NEXT:    %lt = "nnvm.broadcast_less"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// GENERIC-NEXT:    %eq = "nnvm.broadcast_equal"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// GENERIC-NEXT:    %ne = "nnvm.broadcast_not_equal"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// GENERIC-NEXT:    %ge = "nnvm.broadcast_greater_equal"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>
// GENERIC-NEXT:    %le = "nnvm.broadcast_less_equal"(%a, %b) : (tensor<2x3x4xi32>, tensor<4xi32>) -> tensor<2x3x4xi1>

func.func @partial(%a: tensor<?x1xf32>, %b: tensor<5xf32>, %c: tensor<*xf32>) {
  %x = nnvm.broadcast_add %a, %b : (tensor<?x1xf32>, tensor<5xf32>) -> tensor<?x5xf32>
  %y = nnvm.broadcast_mul %c, %b : (tensor<*xf32>, tensor<5xf32>) -> tensor<*xf32>
  func.return
}

// CHECK-LABEL: func.func @partial(
// CHECK-NEXT:    %x = nnvm.broadcast_add %a, %b : (tensor<?x1xf32>, tensor<5xf32>) -> tensor<?x5xf32>
// CHECK-NEXT:    %y = nnvm.broadcast_mul %c, %b : (tensor<*xf32>, tensor<5xf32>) -> tensor<*xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "partial"
// GENERIC:         %x = "nnvm.broadcast_add"(%a, %b) : (tensor<?x1xf32>, tensor<5xf32>) -> tensor<?x5xf32>
// GENERIC-NEXT:    %y = "nnvm.broadcast_mul"(%c, %b) : (tensor<*xf32>, tensor<5xf32>) -> tensor<*xf32>
