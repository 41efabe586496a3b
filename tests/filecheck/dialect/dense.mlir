// Round trip of nnvm.dense, with and without a bias operand; use_bias defaults to true.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @with_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = nnvm.dense %x, %w, %b {units = 4} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @with_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    %y = nnvm.dense %x, %w, %b {units = 4 : i64} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %y : tensor<2x4xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "with_bias"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>):
// GENERIC-NEXT:    %y = "nnvm.dense"(%x, %w, %b) <{units = 4 : i64, use_bias = true}> : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    "func.return"(%y) : (tensor<2x4xf32>) -> ()

// Writing the default explicitly still gives the short form.
func.func @explicit_use_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = nnvm.dense %x, %w, %b {units = 4, use_bias = true} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @explicit_use_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    %y = nnvm.dense %x, %w, %b {units = 4 : i64} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %y : tensor<2x4xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "explicit_use_bias"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>):
// GENERIC-NEXT:    %y = "nnvm.dense"(%x, %w, %b) <{units = 4 : i64, use_bias = true}> : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    "func.return"(%y) : (tensor<2x4xf32>) -> ()

func.func @without_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  %y = nnvm.dense %x, %w {units = 4, use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @without_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    %y = nnvm.dense %x, %w {units = 4 : i64, use_bias = false} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %y : tensor<2x4xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "without_bias"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>):
// GENERIC-NEXT:    %y = "nnvm.dense"(%x, %w) <{units = 4 : i64, use_bias = false}> : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    "func.return"(%y) : (tensor<2x4xf32>) -> ()

// Leading batch dims and an unranked result.
func.func @batched(%x: tensor<3x2x8xf16>, %w: tensor<4x8xf16>) -> tensor<*xf16> {
  %y = nnvm.dense %x, %w {use_bias = false, units = 4 : i64} : (tensor<3x2x8xf16>, tensor<4x8xf16>) -> tensor<*xf16>
  func.return %y : tensor<*xf16>
}

// CHECK-LABEL: func.func @batched(%x: tensor<3x2x8xf16>, %w: tensor<4x8xf16>) -> tensor<*xf16> {
// CHECK-NEXT:    %y = nnvm.dense %x, %w {use_bias = false, units = 4 : i64} : (tensor<3x2x8xf16>, tensor<4x8xf16>) -> tensor<*xf16>
// CHECK-NEXT:    func.return %y : tensor<*xf16>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "batched"
// GENERIC-NEXT:  ^bb0(%x: tensor<3x2x8xf16>, %w: tensor<4x8xf16>):
// GENERIC-NEXT:    %y = "nnvm.dense"(%x, %w) <{use_bias = false, units = 4 : i64}> : (tensor<3x2x8xf16>, tensor<4x8xf16>) -> tensor<*xf16>
// GENERIC-NEXT:    "func.return"(%y) : (tensor<*xf16>) -> ()
