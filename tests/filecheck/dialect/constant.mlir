// Round trip of nnvm.constant in its three forms: inline dense<...>, a dense_resource blob in
// the file's {-# dialect_resources #-} section, and an array of the params file that the module
// names (Inputs/constant-params.npz: fc_w = arange(6) as 2x3 f32, ids = [3, 1, 2] as i64).
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: nnvm-run %s --entry inline | filecheck %s --check-prefix=INLINE
// RUN: nnvm-run %s --entry resource | filecheck %s --check-prefix=RESOURCE
// RUN: nnvm-run %s --entry external | filecheck %s --check-prefix=EXTERNAL

module attributes {nnvm.params = "../Inputs/constant-params.npz"} {
  func.func @inline() -> (tensor<2xf32>, tensor<2x2xi32>, tensor<3xi1>, tensor<f64>) {
    %a = nnvm.constant dense<[0.5, -1.0]> : tensor<2xf32>
    %b = nnvm.constant dense<7> : tensor<2x2xi32>
    %c = nnvm.constant dense<[true, false, true]> : tensor<3xi1>
    %d = nnvm.constant {nnvm.note = "scalar"} dense<2.5> : tensor<f64>
    func.return %a, %b, %c, %d : tensor<2xf32>, tensor<2x2xi32>, tensor<3xi1>, tensor<f64>
  }
  func.func @resource() -> tensor<3xi32> {
    %w = nnvm.constant dense_resource<weights> : tensor<3xi32>
    func.return %w : tensor<3xi32>
  }
  func.func @external() -> (tensor<2x3xf32>, tensor<3xi64>) {
    %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<2x3xf32>
    %i = nnvm.constant #nnvm.param<"ids"> : tensor<3xi64>
    func.return %w, %i : tensor<2x3xf32>, tensor<3xi64>
  }
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x04000000010000000200000003000000"
    }
  }
#-}

// CHECK:      builtin.module attributes {nnvm.params = "../Inputs/constant-params.npz"} {
// CHECK-LABEL:  func.func @inline()
// CHECK-NEXT:     %a = nnvm.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:     %b = nnvm.constant dense<7> : tensor<2x2xi32>
// CHECK-NEXT:     %c = nnvm.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-NEXT:     %d = nnvm.constant {nnvm.note = "scalar"} dense<2.500000e+00> : tensor<f64>
// CHECK-LABEL:  func.func @resource()
// CHECK-NEXT:     %w = nnvm.constant dense_resource<weights> : tensor<3xi32>
// CHECK-LABEL:  func.func @external()
// CHECK-NEXT:     %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<2x3xf32>
// CHECK-NEXT:     %i = nnvm.constant #nnvm.param<"ids"> : tensor<3xi64>
// CHECK:      {-#
// CHECK-NEXT:   dialect_resources: {
// CHECK-NEXT:     builtin: {
// CHECK-NEXT:       weights: "0x04000000010000000200000003000000"
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: #-}

// GENERIC: %a = "nnvm.constant"() <{value = dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
// GENERIC: %d = "nnvm.constant"() <{value = dense<2.500000e+00> : tensor<f64>}> {nnvm.note = "scalar"} : () -> tensor<f64>
// GENERIC: %w = "nnvm.constant"() <{value = dense_resource<weights> : tensor<3xi32>}> : () -> tensor<3xi32>
// GENERIC: %w = "nnvm.constant"() <{value = #nnvm.param<"fc_w">}> : () -> tensor<2x3xf32>
// GENERIC: weights: "0x04000000010000000200000003000000"

// INLINE:      output_0: shape 2 dtype float32
// INLINE-NEXT:   values: [ 0.5, -1. ]
// INLINE:      output_1: shape 2x2 dtype int32
// INLINE-NEXT:   values: [7, 7, 7, 7]
// INLINE:      output_2: shape 3 dtype bool
// INLINE-NEXT:   values: [ True, False,  True]
// INLINE:      output_3: shape scalar dtype float64
// INLINE-NEXT:   values: [2.5]

// RESOURCE:      output_0: shape 3 dtype int32
// RESOURCE-NEXT:   values: [1, 2, 3]

// EXTERNAL:      output_0: shape 2x3 dtype float32
// EXTERNAL-NEXT:   values: [0., 1., 2., 3., 4., 5.]
// EXTERNAL:      output_1: shape 3 dtype int64
// EXTERNAL-NEXT:   values: [3, 1, 2]
