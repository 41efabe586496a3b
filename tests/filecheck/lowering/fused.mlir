// A fused group lowers to one loop nest per output with no buffer inside; a dense master takes
// the elementwise ops after it as its epilogue.
// RUN: nnvm-opt %s -p fuse-ops,convert-nnvm-to-loops | filecheck %s
// RUN: nnvm-opt %s -p fuse-ops,convert-nnvm-to-loops | filecheck %s --check-prefix=VIEWS

func.func @chain(%a: tensor<64xf32>, %b: tensor<64xf32>, %c: tensor<64xf32>) -> tensor<64xf32> {
  %m = nnvm.elemwise_mul %a, %b : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %s = nnvm.elemwise_add %m, %c : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %r = nnvm.relu %s : (tensor<64xf32>) -> tensor<64xf32>
  func.return %r : tensor<64xf32>
}

// CHECK-LABEL: func.func @chain
// CHECK:         scf.for
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK:           memref.store %{{.*}}, %out
// CHECK-NOT:     scf.for
// CHECK:         func.return

func.func @mlp(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %d = nnvm.dense %x, %w, %b {units = 4} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = nnvm.relu %d : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}

// The relu is applied to each dot product as it is finished, before the one store.
// CHECK-LABEL: func.func @mlp
// CHECK:         scf.for
// CHECK:         arith.mulf
// CHECK:         arith.maximumf
// CHECK:         memref.store %{{.*}}, %out
// CHECK:         func.return

// No arena view: the groups' intermediate values are never stored.
// VIEWS-LABEL: func.func @chain
// VIEWS-NOT:   memref.view
// VIEWS:       func.return
// VIEWS-LABEL: func.func @mlp
// VIEWS-NOT:   memref.view
// VIEWS:       func.return
