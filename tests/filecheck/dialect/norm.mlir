// Round trip of lrn, l2_normalize, layer_norm and instance_norm.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @lrn(%x: tensor<1x8x4x4xf32>) {
  %a = nnvm.lrn %x {size = 5, axis = 1, alpha = 1.0e-04, beta = 7.5e-01, bias = 2.0} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  func.return
}

// CHECK-LABEL: func.func @lrn(%x: tensor<1x8x4x4xf32>) {
// CHECK-NEXT:    %a = nnvm.lrn %x {size = 5 : i64, axis = 1 : i64, alpha = 1.000000e-04 : f64, beta = 7.500000e-01 : f64, bias = 2.000000e+00 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "lrn"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x8x4x4xf32>):
// GENERIC-NEXT:  %a = "nnvm.lrn"(%x) <{size = 5 : i64, axis = 1 : i64, alpha = 1.000000e-04 : f64, beta = 7.500000e-01 : f64, bias = 2.000000e+00 : f64}> : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @l2_normalize(%x: tensor<2x3x4xf32>) {
  %a = nnvm.l2_normalize %x {eps = 1.0e-10, axis = array<i64: 1, -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %c = nnvm.l2_normalize %x {eps = 1.0e-10, axis = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  func.return
}

// CHECK-LABEL: func.func @l2_normalize(%x: tensor<2x3x4xf32>) {
// CHECK-NEXT:    %a = nnvm.l2_normalize %x {eps = 1.000000e-10 : f64, axis = array<i64: 1, -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %c = nnvm.l2_normalize %x {eps = 1.000000e-10 : f64, axis = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "l2_normalize"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x3x4xf32>):
// GENERIC-NEXT:  %a = "nnvm.l2_normalize"(%x) <{eps = 1.000000e-10 : f64, axis = array<i64: 1, -1>}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:  %c = "nnvm.l2_normalize"(%x) <{eps = 1.000000e-10 : f64, axis = array<i64>}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @layer_norm(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %g5: tensor<5xf32>) {
  %a = nnvm.layer_norm %x, %g, %b : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  %c = nnvm.layer_norm %x, %g5, %g5 {axis = 1, epsilon = 1.0e-03, center = false, scale = false} : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
  func.return
}

// CHECK-LABEL: func.func @layer_norm(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %g5: tensor<5xf32>) {
// CHECK-NEXT:    %a = nnvm.layer_norm %x, %g, %b : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT:    %c = nnvm.layer_norm %x, %g5, %g5 {axis = 1 : i64, epsilon = 1.000000e-03 : f64, center = false, scale = false} : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "layer_norm"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %g5: tensor<5xf32>):
// GENERIC-NEXT:  %a = "nnvm.layer_norm"(%x, %g, %b) <{axis = -1 : i64, epsilon = 1.000000e-05 : f64, center = true, scale = true}> : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
// GENERIC-NEXT:  %c = "nnvm.layer_norm"(%x, %g5, %g5) <{axis = 1 : i64, epsilon = 1.000000e-03 : f64, center = false, scale = false}> : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @instance_norm(%x: tensor<2x5x8xf32>, %g: tensor<5xf32>, %g8: tensor<8xf32>) {
  %a = nnvm.instance_norm %x, %g, %g : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
  %c = nnvm.instance_norm %x, %g8, %g8 {axis = -1, epsilon = 1.0e-03} : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  func.return
}

// CHECK-LABEL: func.func @instance_norm(%x: tensor<2x5x8xf32>, %g: tensor<5xf32>, %g8: tensor<8xf32>) {
// CHECK-NEXT:    %a = nnvm.instance_norm %x, %g, %g : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT:    %c = nnvm.instance_norm %x, %g8, %g8 {axis = -1 : i64, epsilon = 1.000000e-03 : f64} : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "instance_norm"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x5x8xf32>, %g: tensor<5xf32>, %g8: tensor<8xf32>):
// GENERIC-NEXT:  %a = "nnvm.instance_norm"(%x, %g, %g) <{axis = 1 : i64, epsilon = 1.000000e-05 : f64, center = true, scale = true}> : (tensor<2x5x8xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x5x8xf32>
// GENERIC-NEXT:  %c = "nnvm.instance_norm"(%x, %g8, %g8) <{axis = -1 : i64, epsilon = 1.000000e-03 : f64, center = true, scale = true}> : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()
