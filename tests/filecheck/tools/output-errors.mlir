// An output file that cannot be written is an error naming it, exit status 1, before any work is
// done (nnvm-run prints no results first); an unknown target is a usage error.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -o %t.nodir/out.mlir 2>&1 | filecheck %s --check-prefix=OPT
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 --output %t.nodir/o.npz 2>&1 | filecheck %s --check-prefix=WRITE
// RUN: mkdir -p %t.dir
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 --output %t.dir 2>&1 | filecheck %s --check-prefix=DIR
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -t wat 2>&1 | filecheck %s --check-prefix=TARGET
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -t x86-asm 2>&1 | filecheck %s --check-prefix=TARGET

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// OPT:      nodir/out.mlir: error: cannot open output file: No such file or directory
// OPT-NOT:  Traceback

// WRITE-NOT: output_0
// WRITE:     nodir/o.npz: error: cannot write output file: no directory {{.*}}nodir
// WRITE-NOT: Traceback

// DIR:      .dir: error: cannot write output file: it is a directory

// TARGET:     nnvm-opt: error: argument -t/--target: invalid choice: '{{wat|x86-asm}}' (choose from mlir
// TARGET-NOT: Traceback
