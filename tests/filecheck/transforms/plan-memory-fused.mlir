// RUN: nnvm-opt %s -p fuse-ops,plan-memory,check-memory-plan | filecheck %s
// Inside a fused group only the group's own results are planned; its body stays as it was.

func.func @fused(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %d = nnvm.dense %x, %w {units = 8, use_bias = false} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = nnvm.relu %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = nnvm.softmax %r : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %e = nnvm.dense %s, %w {units = 8, use_bias = false} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  func.return %e : tensor<4x8xf32>
}
// CHECK: func.func @fused{{.*}}attributes {nnvm.arena_size = 256 : i64}
// CHECK: %r = nnvm.fused "out_elemwise_fusable" master 0 (%x, %w) attributes {nnvm.storage_offset = array<i64: 0>, nnvm.storage_id = array<i64: 0>, nnvm.inplace = array<i64: -1>}
// CHECK-NEXT: ^bb0
// CHECK-NEXT: nnvm.dense %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}} {units = 8 : i64, use_bias = false} :
// CHECK-NEXT: nnvm.relu %{{[a-z0-9_]+}} :
// CHECK: %s = nnvm.softmax %r {nnvm.storage_offset = array<i64: 128>, nnvm.storage_id = array<i64: 1>, nnvm.inplace = array<i64: -1>}
// CHECK: nnvm.storage_offset = array<i64: -1>
