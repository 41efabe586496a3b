// --help exits 0 and lists the nnvm passes with their descriptions, and the flags.
// RUN: nnvm-opt --help | filecheck %s

// CHECK:      usage: nnvm-opt
// CHECK:      --split-input-file
// CHECK:      --verify-diagnostics
// CHECK:      nnvm passes:
// CHECK-NEXT:   infer-shape {{.*}}shape
// CHECK:        infer-type {{.*}}element type
// CHECK:      xDSL passes (canonicalize, cse, dce, ...):
// CHECK:      {{ }}canonicalize,
// CHECK:      {{ }}cse,
// CHECK:      {{ }}dce,
