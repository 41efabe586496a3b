// Unknown passes and bad pass options are errors with exit status 1 and no traceback.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p nosuch 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p infer-shape,nosuch 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p 'infer-shape{frob=1}' 2>&1 | filecheck %s --check-prefix=OPTION
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p 'infer-shape{' 2>&1 | filecheck %s --check-prefix=SPEC
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p 'infer-shape,,infer-type' 2>&1 | filecheck %s --check-prefix=SPEC

func.func @f(%x: tensor<2xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// The pipeline is checked before any pass runs, so no IR is printed.
// UNKNOWN:     nnvm-opt: error: in the pass pipeline: unknown pass 'nosuch' (see --help)
// UNKNOWN-NOT: builtin.module
// UNKNOWN-NOT: Traceback

// OPTION:     nnvm-opt: error: in the pass pipeline: pass 'infer-shape' has no option 'frob' (it takes no options)
// OPTION-NOT: Traceback

// SPEC:     nnvm-opt: error: in the pass pipeline: Error parsing pass pipeline specification
// SPEC:     ^
// SPEC-NOT: Traceback

// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p infer-shap 2>&1 | filecheck %s --check-prefix=CLOSE
// CLOSE: nnvm-opt: error: in the pass pipeline: unknown pass 'infer-shap'; did you mean 'infer-shape'?

// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -p 'apply-pdl{foo=1}' 2>&1 | filecheck %s --check-prefix=OPTIONS
// OPTIONS: nnvm-opt: error: in the pass pipeline: pass 'apply-pdl' has no option 'foo' (it takes: pdl_file (str|None))
