// convert-nnvm-to-loops: tensors become flat buffers in destination-passing style, an
// elementwise op one flat loop, an intermediate a view into the arena.
// RUN: nnvm-opt %s -p convert-nnvm-to-loops | filecheck %s

func.func @f(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %m = nnvm.elemwise_mul %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = nnvm.relu %m : (tensor<4x8xf32>) -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// CHECK:      func.func @f(%a: memref<32xf32>, %b: memref<32xf32>, %out: memref<32xf32>, %arena: memref<128xi8>)
// CHECK-SAME: nnvm.abi = array<i64: 2, 0, 1>, nnvm.arena_size = 128 : i64
// CHECK:        %[[M:.*]] = memref.view %arena[%{{.*}}][] : memref<128xi8> to memref<32xf32>
// CHECK:        scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:     %[[X:.*]] = memref.load %a[%[[I]]] : memref<32xf32>
// CHECK-NEXT:     %[[Y:.*]] = memref.load %b[%[[I]]] : memref<32xf32>
// CHECK-NEXT:     %[[P:.*]] = arith.mulf %[[X]], %[[Y]] fastmath<contract> : f32
// CHECK-NEXT:     memref.store %[[P]], %[[M]][%[[I]]] : memref<32xf32>
// CHECK:        scf.for
// CHECK:          arith.maximumf
// CHECK:          memref.store %{{.*}}, %out
// CHECK:        func.return
