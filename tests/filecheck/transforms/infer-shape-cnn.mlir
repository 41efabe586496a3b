// RUN: nnvm-opt %examples/cnn.mlir -p infer-shape,infer-type | filecheck %s

// CHECK:      func.func @cnn({{.*}}) -> tensor<1x10xf32> {
// CHECK:        nnvm.conv2d {{.*}} -> tensor<1x8x16x16xf32>
// CHECK-NEXT:   nnvm.batch_norm {{.*}} -> tensor<1x8x16x16xf32>
// CHECK-NEXT:   nnvm.relu {{.*}} -> tensor<1x8x16x16xf32>
// CHECK-NEXT:   nnvm.max_pool2d {{.*}} -> tensor<1x8x8x8xf32>
// CHECK-NEXT:   nnvm.conv2d {{.*}} -> tensor<1x16x4x4xf32>
// CHECK-NEXT:   nnvm.relu {{.*}} -> tensor<1x16x4x4xf32>
// CHECK-NEXT:   nnvm.flatten {{.*}} -> tensor<1x256xf32>
// CHECK-NEXT:   nnvm.dense {{.*}} -> tensor<1x10xf32>
// CHECK-NEXT:   nnvm.dropout {{.*}} -> tensor<1x10xf32>
// CHECK-NEXT:   nnvm.softmax {{.*}} -> tensor<1x10xf32>
// CHECK-NEXT:   func.return %{{.*}} : tensor<1x10xf32>
// CHECK-NOT:  ?
// CHECK-NOT:  unknown
