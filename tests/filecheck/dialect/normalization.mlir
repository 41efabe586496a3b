// Round trip of nnvm.batch_norm, nnvm.dropout, nnvm.softmax and nnvm.log_softmax.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @batch_norm(%x: tensor<2x4x3x5xf32>, %c: tensor<4xf32>, %last: tensor<5xf32>) {
  %default = nnvm.batch_norm %x, %c, %c, %c, %c : (tensor<2x4x3x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x5xf32>
  %custom = nnvm.batch_norm %x, %last, %last, %last, %last {axis = -1, epsilon = 1.0e-03, center = false, scale = false} : (tensor<2x4x3x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x4x3x5xf32>
  func.return
}

// CHECK-LABEL: func.func @batch_norm(%x: tensor<2x4x3x5xf32>, %c: tensor<4xf32>, %last: tensor<5xf32>) {
// CHECK-NEXT:    %default = nnvm.batch_norm %x, %c, %c, %c, %c : (tensor<2x4x3x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x5xf32>
// CHECK-NEXT:    %custom = nnvm.batch_norm %x, %last, %last, %last, %last {axis = -1 : i64, epsilon = 1.000000e-03 : f64, center = false, scale = false} : (tensor<2x4x3x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x4x3x5xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "batch_norm"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x4x3x5xf32>, %c: tensor<4xf32>, %last: tensor<5xf32>):
// GENERIC-NEXT:    %default = "nnvm.batch_norm"(%x, %c, %c, %c, %c) <{axis = 1 : i64, epsilon = 1.000000e-05 : f64, center = true, scale = true}> : (tensor<2x4x3x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x5xf32>
// GENERIC-NEXT:    %custom = "nnvm.batch_norm"(%x, %last, %last, %last, %last) <{axis = -1 : i64, epsilon = 1.000000e-03 : f64, center = false, scale = false}> : (tensor<2x4x3x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<2x4x3x5xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @dropout(%x: tensor<2x4xf32>) {
  %default = nnvm.dropout %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %rate = nnvm.dropout %x {rate = 0.1} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %edge = nnvm.dropout %x {rate = 1.0} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return
}

// CHECK-LABEL: func.func @dropout(%x: tensor<2x4xf32>) {
// CHECK-NEXT:    %default = nnvm.dropout %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %rate = nnvm.dropout %x {rate = 1.000000e-01 : f64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %edge = nnvm.dropout %x {rate = 1.000000e+00 : f64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "dropout"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x4xf32>):
// GENERIC-NEXT:    %default = "nnvm.dropout"(%x) <{rate = 5.000000e-01 : f64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    %rate = "nnvm.dropout"(%x) <{rate = 1.000000e-01 : f64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    %edge = "nnvm.dropout"(%x) <{rate = 1.000000e+00 : f64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

func.func @softmax(%x: tensor<2x4xf32>) {
  %s_default = nnvm.softmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %s_axis = nnvm.softmax %x {axis = 0} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %l_default = nnvm.log_softmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %l_axis = nnvm.log_softmax %x {axis = -2} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return
}

// CHECK-LABEL: func.func @softmax(%x: tensor<2x4xf32>) {
// CHECK-NEXT:    %s_default = nnvm.softmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %s_axis = nnvm.softmax %x {axis = 0 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %l_default = nnvm.log_softmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %l_axis = nnvm.log_softmax %x {axis = -2 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "softmax"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x4xf32>):
// GENERIC-NEXT:    %s_default = "nnvm.softmax"(%x) <{axis = -1 : i64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    %s_axis = "nnvm.softmax"(%x) <{axis = 0 : i64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    %l_default = "nnvm.log_softmax"(%x) <{axis = -1 : i64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    %l_axis = "nnvm.log_softmax"(%x) <{axis = -2 : i64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()
