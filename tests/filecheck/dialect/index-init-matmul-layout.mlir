// Round trip of take, strided_slice, slice_like, where, one_hot, flip; full, zeros, ones (no
// operands) and the *_like ops; matmul, batch_matmul and layout_transform.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @index_ops(%x: tensor<4x5xf32>, %i: tensor<3xi32>, %c: tensor<4x5xi1>, %y: tensor<4x5xf32>, %l: tensor<2x2xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x5xf32>, tensor<3x6xf32>, tensor<4x5xf32>) {
  %t = nnvm.take %x, %i {axis = 1} : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<4x3xf32>
  %t2 = nnvm.take %x, %i {mode = "wrap"} : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<3xf32>
  %s = nnvm.strided_slice %x {begin = array<i64: 1, 0>, end = array<i64: 4, 5>, stride = array<i64: 2, 3>} : (tensor<4x5xf32>) -> tensor<2x2xf32>
  %s2 = nnvm.strided_slice %x {begin = array<i64: -1>, end = array<i64: -5>, stride = array<i64: -1>} : (tensor<4x5xf32>) -> tensor<4x5xf32>
  %sl = nnvm.slice_like %x, %l {axis = array<i64: 0, 1>} : (tensor<4x5xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %w = nnvm.where %c, %x, %y : (tensor<4x5xi1>, tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %o = nnvm.one_hot %i {depth = 6, on_value = 2.0, axis = -1} : (tensor<3xi32>) -> tensor<3x6xf32>
  %f = nnvm.flip %x {axis = 1} : (tensor<4x5xf32>) -> tensor<4x5xf32>
  func.return %t, %t2, %s, %sl, %w, %o, %f : tensor<4x3xf32>, tensor<3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x5xf32>, tensor<3x6xf32>, tensor<4x5xf32>
}

func.func @init_ops(%x: tensor<2x3xi64>) -> (tensor<2x3xf32>, tensor<4xi32>, tensor<f64>, tensor<2x3xi64>, tensor<2x3xi64>, tensor<2x3xi64>) {
  %f = nnvm.full {shape = array<i64: 2, 3>, fill_value = 1.5} : tensor<2x3xf32>
  %z = nnvm.zeros {shape = array<i64: 4>, dtype = i32} : tensor<4xi32>
  %o = nnvm.ones {dtype = f64} : tensor<f64>
  %fl = nnvm.full_like %x {fill_value = 7.0} : (tensor<2x3xi64>) -> tensor<2x3xi64>
  %zl = nnvm.zeros_like %x : (tensor<2x3xi64>) -> tensor<2x3xi64>
  %ol = nnvm.ones_like %x : (tensor<2x3xi64>) -> tensor<2x3xi64>
  func.return %f, %z, %o, %fl, %zl, %ol : tensor<2x3xf32>, tensor<4xi32>, tensor<f64>, tensor<2x3xi64>, tensor<2x3xi64>, tensor<2x3xi64>
}

func.func @matmul_layout_ops(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %d: tensor<1x32x4x4xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<1x2x4x4x16xf32>) {
  %m = nnvm.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %bm = nnvm.batch_matmul %x, %y : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %l = nnvm.layout_transform %d {src_layout = "NCHW", dst_layout = "NCHW16c"} : (tensor<1x32x4x4xf32>) -> tensor<1x2x4x4x16xf32>
  func.return %m, %bm, %l : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<1x2x4x4x16xf32>
}

// CHECK-LABEL: func.func @index_ops(%x: tensor<4x5xf32>, %i: tensor<3xi32>, %c: tensor<4x5xi1>, %y: tensor<4x5xf32>, %l: tensor<2x2xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x5xf32>, tensor<3x6xf32>, tensor<4x5xf32>) {
// CHECK-NEXT:    %t = nnvm.take %x, %i {axis = 1 : i64} : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %t2 = nnvm.take %x, %i {mode = "wrap"} : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<3xf32>
// CHECK-NEXT:    %s = nnvm.strided_slice %x {begin = array<i64: 1, 0>, end = array<i64: 4, 5>, stride = array<i64: 2, 3>} : (tensor<4x5xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %s2 = nnvm.strided_slice %x {begin = array<i64: -1>, end = array<i64: -5>, stride = array<i64: -1>} : (tensor<4x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT:    %sl = nnvm.slice_like %x, %l {axis = array<i64: 0, 1>} : (tensor<4x5xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %w = nnvm.where %c, %x, %y : (tensor<4x5xi1>, tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT:    %o = nnvm.one_hot %i {depth = 6 : i64, on_value = 2.000000e+00 : f64} : (tensor<3xi32>) -> tensor<3x6xf32>
// CHECK-NEXT:    %f = nnvm.flip %x {axis = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT:    func.return %t, %t2, %s, %sl, %w, %o, %f : tensor<4x3xf32>, tensor<3xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x5xf32>, tensor<3x6xf32>, tensor<4x5xf32>
// CHECK-LABEL: func.func @init_ops(%x: tensor<2x3xi64>) -> (tensor<2x3xf32>, tensor<4xi32>, tensor<f64>, tensor<2x3xi64>, tensor<2x3xi64>, tensor<2x3xi64>) {
// CHECK-NEXT:    %f = nnvm.full {shape = array<i64: 2, 3>, fill_value = 1.500000e+00 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %z = nnvm.zeros {shape = array<i64: 4>, dtype = i32} : tensor<4xi32>
// CHECK-NEXT:    %o = nnvm.ones {dtype = f64} : tensor<f64>
// CHECK-NEXT:    %fl = nnvm.full_like %x {fill_value = 7.000000e+00 : f64} : (tensor<2x3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT:    %zl = nnvm.zeros_like %x : (tensor<2x3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT:    %ol = nnvm.ones_like %x : (tensor<2x3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT:    func.return %f, %z, %o, %fl, %zl, %ol : tensor<2x3xf32>, tensor<4xi32>, tensor<f64>, tensor<2x3xi64>, tensor<2x3xi64>, tensor<2x3xi64>
// CHECK-LABEL: func.func @matmul_layout_ops(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %d: tensor<1x32x4x4xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<1x2x4x4x16xf32>) {
// CHECK-NEXT:    %m = nnvm.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT:    %bm = nnvm.batch_matmul %x, %y : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT:    %l = nnvm.layout_transform %d {src_layout = "NCHW", dst_layout = "NCHW16c"} : (tensor<1x32x4x4xf32>) -> tensor<1x2x4x4x16xf32>
// CHECK-NEXT:    func.return %m, %bm, %l : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<1x2x4x4x16xf32>

// GENERIC: %t = "nnvm.take"(%x, %i) <{axis = 1 : i64, mode = "clip"}> : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<4x3xf32>
// GENERIC: %t2 = "nnvm.take"(%x, %i) <{mode = "wrap"}> : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<3xf32>
// GENERIC: %s = "nnvm.strided_slice"(%x) <{begin = array<i64: 1, 0>, end = array<i64: 4, 5>, stride = array<i64: 2, 3>}> : (tensor<4x5xf32>) -> tensor<2x2xf32>
// GENERIC: %s2 = "nnvm.strided_slice"(%x) <{begin = array<i64: -1>, end = array<i64: -5>, stride = array<i64: -1>}> : (tensor<4x5xf32>) -> tensor<4x5xf32>
// GENERIC: %sl = "nnvm.slice_like"(%x, %l) <{axis = array<i64: 0, 1>}> : (tensor<4x5xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
// GENERIC: %w = "nnvm.where"(%c, %x, %y) : (tensor<4x5xi1>, tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
// GENERIC: %o = "nnvm.one_hot"(%i) <{depth = 6 : i64, on_value = 2.000000e+00 : f64, axis = -1 : i64, off_value = 0.000000e+00 : f64, dtype = f32}> : (tensor<3xi32>) -> tensor<3x6xf32>
// GENERIC: %f = "nnvm.flip"(%x) <{axis = 1 : i64}> : (tensor<4x5xf32>) -> tensor<4x5xf32>
// GENERIC: %f = "nnvm.full"() <{shape = array<i64: 2, 3>, fill_value = 1.500000e+00 : f64, dtype = f32}> : () -> tensor<2x3xf32>
// GENERIC: %z = "nnvm.zeros"() <{shape = array<i64: 4>, dtype = i32}> : () -> tensor<4xi32>
// GENERIC: %o = "nnvm.ones"() <{dtype = f64, shape = array<i64>}> : () -> tensor<f64>
// GENERIC: %fl = "nnvm.full_like"(%x) <{fill_value = 7.000000e+00 : f64}> : (tensor<2x3xi64>) -> tensor<2x3xi64>
// GENERIC: %zl = "nnvm.zeros_like"(%x) : (tensor<2x3xi64>) -> tensor<2x3xi64>
// GENERIC: %ol = "nnvm.ones_like"(%x) : (tensor<2x3xi64>) -> tensor<2x3xi64>
// GENERIC: %m = "nnvm.matmul"(%a, %b) <{transpose_a = false, transpose_b = false}> : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
// GENERIC: %bm = "nnvm.batch_matmul"(%x, %y) <{transpose_a = false, transpose_b = true}> : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// GENERIC: %l = "nnvm.layout_transform"(%d) <{src_layout = "NCHW", dst_layout = "NCHW16c"}> : (tensor<1x32x4x4xf32>) -> tensor<1x2x4x4x16xf32>
