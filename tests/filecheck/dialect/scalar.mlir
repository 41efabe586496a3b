// Round trip of NNVM's scalar ops (x + s, s - x, ..., x << s): the scalar is a required f64
// attribute; the op names keep NNVM's double underscores, unquoted in the custom form.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @scalar(%x: tensor<2x3xf32>) {
  %add = nnvm.__add_scalar__ %x {scalar = 2.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sub = nnvm.__sub_scalar__ %x {scalar = 2.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %rsub = nnvm.__rsub_scalar__ %x {scalar = 1.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %mul = nnvm.__mul_scalar__ %x {scalar = -1.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %div = nnvm.__div_scalar__ %x {scalar = 4.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %rdiv = nnvm.__rdiv_scalar__ %x {scalar = 1.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %pow = nnvm.__pow_scalar__ %x {scalar = 2.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %rpow = nnvm.__rpow_scalar__ %x {scalar = 0.5} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK-LABEL: func.func @scalar(
// CHECK-NEXT:    %add = nnvm.__add_scalar__ %x {scalar = 2.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %sub = nnvm.__sub_scalar__ %x {scalar = 2.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %rsub = nnvm.__rsub_scalar__ %x {scalar = 1.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %mul = nnvm.__mul_scalar__ %x {scalar = -1.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %div = nnvm.__div_scalar__ %x {scalar = 4.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %rdiv = nnvm.__rdiv_scalar__ %x {scalar = 1.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %pow = nnvm.__pow_scalar__ %x {scalar = 2.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %rpow = nnvm.__rpow_scalar__ %x {scalar = 5.000000e-01 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "scalar"
// GENERIC:         %add = "nnvm.__add_scalar__"(%x) <{scalar = 2.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %sub = "nnvm.__sub_scalar__"(%x) <{scalar = 2.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %rsub = "nnvm.__rsub_scalar__"(%x) <{scalar = 1.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %mul = "nnvm.__mul_scalar__"(%x) <{scalar = -1.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %div = "nnvm.__div_scalar__"(%x) <{scalar = 4.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %rdiv = "nnvm.__rdiv_scalar__"(%x) <{scalar = 1.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %pow = "nnvm.__pow_scalar__"(%x) <{scalar = 2.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %rpow = "nnvm.__rpow_scalar__"(%x) <{scalar = 5.000000e-01 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>

func.func @shift(%i: tensor<4xi32>) {
  %lshift = nnvm.__lshift_scalar__ %i {scalar = 3.0} : (tensor<4xi32>) -> tensor<4xi32>
  %rshift = nnvm.__rshift_scalar__ %i {scalar = 1.0} : (tensor<4xi32>) -> tensor<4xi32>
  func.return
}

// CHECK-LABEL: func.func @shift(
// CHECK-NEXT:    %lshift = nnvm.__lshift_scalar__ %i {scalar = 3.000000e+00 : f64} : (tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %rshift = nnvm.__rshift_scalar__ %i {scalar = 1.000000e+00 : f64} : (tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    func.return

// GENERIC-LABEL: "func.func"() <{sym_name = "shift"
// GENERIC:         %lshift = "nnvm.__lshift_scalar__"(%i) <{scalar = 3.000000e+00 : f64}> : (tensor<4xi32>) -> tensor<4xi32>
// GENERIC-NEXT:    %rshift = "nnvm.__rshift_scalar__"(%i) <{scalar = 1.000000e+00 : f64}> : (tensor<4xi32>) -> tensor<4xi32>
