// Input that is not UTF-8 is an error at the first bad byte (line 2, column 9), with exit status
// 1 and no traceback.
// RUN: printf 'func.func @f() {\n  // caf\351\n  func.return\n}\n' > %t
// RUN: python %inputs/exit-status.py 1 nnvm-opt %t 2>&1 | filecheck %s

// CHECK:     .tmp:2:9: error: input is not valid UTF-8
// CHECK-NOT: Traceback
