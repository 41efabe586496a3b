// An empty file, or one with nothing but comments and blank lines, is an empty module.
// RUN: echo -n > %t
// RUN: nnvm-opt %t | filecheck %s
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %t --split-input-file | filecheck %s
// RUN: nnvm-opt %t -p infer-shape,infer-type --verify-diagnostics | filecheck %s

// CHECK:      builtin.module {
// CHECK-NEXT: }
// CHECK-NOT:  {{.}}
