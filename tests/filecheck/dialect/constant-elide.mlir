// --mlir-elide-elementsattrs-if-larger=N prints constants of more than N elements as
// dense_resource<__elided__> (as mlir-opt does) and leaves their blobs out of the file; the
// elided output still parses and verifies, but cannot run.
// RUN: nnvm-opt %s --mlir-elide-elementsattrs-if-larger=3 | filecheck %s
// RUN: nnvm-opt %s --mlir-elide-elementsattrs-if-larger=3 | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --mlir-elide-elementsattrs-if-larger=3 -o %t.mlir
// RUN: python %inputs/exit-status.py 1 nnvm-run %t.mlir 2>&1 | filecheck %s --check-prefix=ERR

func.func @f() -> (tensor<3xf32>, tensor<2x2xf32>, tensor<4xi32>) {
  %small = nnvm.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %inline = nnvm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %blob = nnvm.constant dense_resource<big> : tensor<4xi32>
  func.return %small, %inline, %blob : tensor<3xf32>, tensor<2x2xf32>, tensor<4xi32>
}

{-#
  dialect_resources: {
    builtin: {
      big: "0x0400000001000000020000000300000004000000"
    }
  }
#-}

// CHECK:      %small = nnvm.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: %inline = nnvm.constant dense_resource<__elided__> : tensor<2x2xf32>
// CHECK-NEXT: %blob = nnvm.constant dense_resource<__elided__> : tensor<4xi32>
// CHECK-NOT:  dialect_resources

// ERR: constant-elide.mlir.tmp.mlir:4:5: error: 'nnvm.constant' op reference semantics failed: ConstantError: the value was elided when the module was printed (--mlir-elide-elementsattrs-if-larger), so it is unknown
