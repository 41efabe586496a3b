// --help exits 0 and lists the nnvm passes with their descriptions first, then the generic xDSL
// passes; xDSL's passes for other dialects only by --list-passes. Only working targets are offered.
// RUN: nnvm-opt --help | filecheck %s
// RUN: nnvm-opt --list-passes | filecheck %s --check-prefix=ALL

// CHECK:      usage: nnvm-opt
// CHECK:      output format, one of mlir: the IR as
// CHECK-NOT:  riscv
// CHECK:      --verify-diagnostics
// CHECK:      --split-input-file
// CHECK:      nnvm passes and pipelines:
// CHECK-NEXT:   infer-shape {{.*}}shape
// CHECK:        infer-type {{.*}}element type
// CHECK:      generic xDSL passes:
// CHECK-NEXT:   canonicalize {{ *}}apply every op's canonicalization patterns
// CHECK-NEXT:   {{.*}}
// CHECK-NEXT:   cse {{ *}}common subexpression elimination
// CHECK-NEXT:   dce {{ *}}remove ops whose results are unused
// CHECK:        convert-pdl-to-pdl-interp {{ +}}compile PDL patterns to the pdl_interp dialect
// CHECK:      and {{[0-9]+}} xDSL passes for other dialects (riscv, csl, stencil, ...), listed by --list-passes
// CHECK-NOT:  convert-arith-to-riscv

// ALL:      nnvm passes and pipelines:
// ALL:      generic xDSL passes:
// ALL:      xDSL passes for other dialects:
// ALL:        convert-arith-to-riscv
