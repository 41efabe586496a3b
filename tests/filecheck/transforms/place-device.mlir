// RUN: nnvm-opt %s --split-input-file -p 'place-device,check-placement' | filecheck %s
// RUN: nnvm-opt %s --split-input-file -p 'place-device{rules="nnvm.tanh=cpu:2" default="cpu:3"}' | filecheck %s --check-prefix=RULES

// The user puts dense on cpu:1; the rest follows NNVM's propagation, and a copy is inserted
// once per value and device where a value crosses.
func.func @user(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %a = nnvm.relu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %e = nnvm.exp %a {nnvm.device = "cpu:0"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %d = nnvm.dense %e, %w {units = 8, use_bias = false, nnvm.device = "cpu:1"} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %t = nnvm.tanh %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = nnvm.elemwise_add %t, %e : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = nnvm.elemwise_mul %s, %e : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  func.return %m : tensor<4x8xf32>
}
// CHECK-LABEL: func.func @user
// CHECK-SAME: attributes {nnvm.arg_devices = ["cpu:0", "cpu:1"]}
// CHECK-NEXT: %a = nnvm.relu %x {nnvm.device = "cpu:0"}
// CHECK-NEXT: %e = nnvm.exp %a {nnvm.device = "cpu:0"}
// CHECK-NEXT: %[[C:[0-9]+]] = nnvm.device_copy %e {nnvm.device = "cpu:1", src = "cpu:0", dst = "cpu:1"}
// CHECK-NEXT: %d = nnvm.dense %[[C]], %w {nnvm.device = "cpu:1"
// CHECK-NEXT: %t = nnvm.tanh %d {nnvm.device = "cpu:1"}
// CHECK-NEXT: %s = nnvm.elemwise_add %t, %[[C]] {nnvm.device = "cpu:1"}
// CHECK-NEXT: %m = nnvm.elemwise_mul %s, %[[C]] {nnvm.device = "cpu:1"}
// CHECK-NEXT: func.return %m

// RULES-LABEL: func.func @user
// RULES: %a = nnvm.relu %x {nnvm.device = "cpu:0"}
// RULES: %t = nnvm.tanh %{{[0-9]+}} {nnvm.device = "cpu:2"}
// RULES: %s = nnvm.elemwise_add {{.*}}{nnvm.device = "cpu:2"}

// -----

// Nothing placed: everything on the default device, no copies.
func.func @none(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = nnvm.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  func.return %a : tensor<4xf32>
}
// CHECK-LABEL: func.func @none
// CHECK-SAME: nnvm.arg_devices = ["cpu:0"]
// CHECK-NEXT: nnvm.relu %x {nnvm.device = "cpu:0"}
// CHECK-NOT: device_copy
// RULES-LABEL: func.func @none
// RULES-SAME: nnvm.arg_devices = ["cpu:3"]
