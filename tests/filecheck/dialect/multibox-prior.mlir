// Round trip of multibox_prior: defaults, and sizes, ratios, steps, offsets and clip given.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @multibox_prior(%x: tensor<1x3x2x4xf32>) {
  %a = nnvm.multibox_prior %x : (tensor<1x3x2x4xf32>) -> tensor<1x8x4xf32>
  %c = nnvm.multibox_prior %x {sizes = array<f64: 0.5, 0.25>, ratios = array<f64: 1.0, 2.0, 0.5>, steps = array<f64: 0.5, 0.25>, offsets = array<f64: 0.5, 0.5>, clip = true} : (tensor<1x3x2x4xf32>) -> tensor<1x32x4xf32>
  func.return
}

// CHECK-LABEL: func.func @multibox_prior(%x: tensor<1x3x2x4xf32>) {
// CHECK-NEXT:    %a = nnvm.multibox_prior %x : (tensor<1x3x2x4xf32>) -> tensor<1x8x4xf32>
// CHECK-NEXT:    %c = nnvm.multibox_prior %x {sizes = array<f64: 5.000000e-01, 2.500000e-01>, ratios = array<f64: 1.000000e+00, 2.000000e+00, 5.000000e-01>, steps = array<f64: 5.000000e-01, 2.500000e-01>, clip = true} : (tensor<1x3x2x4xf32>) -> tensor<1x32x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "multibox_prior"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x3x2x4xf32>):
// GENERIC-NEXT:  %a = "nnvm.multibox_prior"(%x) <{sizes = array<f64: 1.000000e+00>, ratios = array<f64: 1.000000e+00>, steps = array<f64: -1.000000e+00, -1.000000e+00>, offsets = array<f64: 5.000000e-01, 5.000000e-01>, clip = false}> : (tensor<1x3x2x4xf32>) -> tensor<1x8x4xf32>
// GENERIC-NEXT:  %c = "nnvm.multibox_prior"(%x) <{sizes = array<f64: 5.000000e-01, 2.500000e-01>, ratios = array<f64: 1.000000e+00, 2.000000e+00, 5.000000e-01>, steps = array<f64: 5.000000e-01, 2.500000e-01>, offsets = array<f64: 5.000000e-01, 5.000000e-01>, clip = true}> : (tensor<1x3x2x4xf32>) -> tensor<1x32x4xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()
