// Round trip of the unary elementwise ops beyond the foundation's (rounding, erf, gelu, clip,
// logical_not): custom form, generic form, and back.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @more_unary(%x: tensor<2x3xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>) {
  %abs = nnvm.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %rsqrt = nnvm.rsqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %floor = nnvm.floor %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %ceil = nnvm.ceil %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %round = nnvm.round %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %nearbyint = nnvm.nearbyint %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %trunc = nnvm.trunc %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sign = nnvm.sign %i : (tensor<4xi32>) -> tensor<4xi32>
  %erf = nnvm.erf %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %gelu = nnvm.gelu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %block = nnvm.block_grad %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %clip = nnvm.clip %x {a_min = -1.0, a_max = 1.5} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %not = nnvm.logical_not %b : (tensor<4xi1>) -> tensor<4xi1>
  func.return
}

// CHECK-LABEL: func.func @more_unary(
// CHECK-NEXT:    %abs = nnvm.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %rsqrt = nnvm.rsqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %floor = nnvm.floor %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %ceil = nnvm.ceil %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %round = nnvm.round %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %nearbyint = nnvm.nearbyint %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %trunc = nnvm.trunc %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %sign = nnvm.sign %i : (tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %erf = nnvm.erf %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %gelu = nnvm.gelu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %block = nnvm.block_grad %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %clip = nnvm.clip %x {a_min = -1.000000e+00 : f64, a_max = 1.500000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %not = nnvm.logical_not %b : (tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "more_unary"
// GENERIC:         %abs = "nnvm.abs"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %rsqrt = "nnvm.rsqrt"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %floor = "nnvm.floor"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %ceil = "nnvm.ceil"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %round = "nnvm.round"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %nearbyint = "nnvm.nearbyint"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %trunc = "nnvm.trunc"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %sign = "nnvm.sign"(%i) : (tensor<4xi32>) -> tensor<4xi32>
// GENERIC-NEXT:    %erf = "nnvm.erf"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %gelu = "nnvm.gelu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %block = "nnvm.block_grad"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %clip = "nnvm.clip"(%x) <{a_min = -1.000000e+00 : f64, a_max = 1.500000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %not = "nnvm.logical_not"(%b) : (tensor<4xi1>) -> tensor<4xi1>
