// nnvm-run's usage errors: each names what is wrong, exit status 1, no traceback.
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 --repeat 0 2>&1 | filecheck %s --check-prefix=REPEAT0
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 --repeat -3 2>&1 | filecheck %s --check-prefix=REPEATNEG
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --inputs %s 2>&1 | filecheck %s --check-prefix=NPZ
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --input x=%s 2>&1 | filecheck %s --check-prefix=NPY
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --inputs %t.missing.npz 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: echo -n > %t.empty.mlir
// RUN: python %inputs/exit-status.py 1 nnvm-run %t.empty.mlir 2>&1 | filecheck %s --check-prefix=EMPTY
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --entry g 2>&1 | filecheck %s --check-prefix=ENTRY

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// REPEAT0:   nnvm-run: error: argument --repeat: expected a positive integer, got 0
// REPEATNEG: nnvm-run: error: argument --repeat: expected a positive integer, got -3
// NPZ:       nnvm-run-errors.mlir: error: not an .npz archive (numpy.savez's format)
// NPY:       nnvm-run-errors.mlir: error: not an .npy file (numpy.save's format)
// MISSING:   missing.npz: error: cannot read inputs: No such file or directory
// EMPTY:     empty.mlir: error: the module has no function with a body
// ENTRY:     nnvm-run-errors.mlir: error: the module has no function '@g'
