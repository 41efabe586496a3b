// An unknown command-line flag is a usage error: exit status 1 (not argparse's 2), no traceback.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --frobnicate 2>&1 | filecheck %s
// A bad value for a known flag too.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s -t nosuch 2>&1 | filecheck %s --check-prefix=TARGET

// CHECK:     usage: nnvm-opt
// CHECK:     nnvm-opt: error: unrecognized arguments: --frobnicate
// CHECK-NOT: Traceback

// TARGET:     nnvm-opt: error: argument -t/--target: invalid choice: 'nosuch'
// TARGET-NOT: Traceback
