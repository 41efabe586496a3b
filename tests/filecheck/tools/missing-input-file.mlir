// A missing input file is a located error with exit status 1, not a traceback.
// RUN: rm -f %t.missing.mlir
// RUN: python %inputs/exit-status.py 1 nnvm-opt %t.missing.mlir 2>&1 | filecheck %s

// CHECK:     missing.mlir: error: cannot open input file: No such file or directory
// CHECK-NOT: Traceback
