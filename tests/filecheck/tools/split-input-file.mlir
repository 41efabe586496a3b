// --split-input-file processes each `// -----` chunk on its own: a bad chunk does not stop the
// others, the good chunks are printed joined by `// -----`, and the exit status is 1. Line
// numbers in errors count from the top of the whole file. Only a line that is just the marker
// splits: the `// -----` inside this comment and in the CHECK lines below do not.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file -p infer-shape 2>%t.stderr | filecheck %s
// RUN: filecheck %s --check-prefix=ERR < %t.stderr
// Without the flag, the markers are comments and the file is one module; the bad op fails it.
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s 2>&1 | filecheck %s --check-prefix=WHOLE

func.func @first(%x: tensor<2xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// -----

func.func @bad(%x: tensor<2xf32>) {
  %r = nnvm.dropout %x {rate = 3.0} : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}

// -----

func.func @third(%x: tensor<4xf32>) -> tensor<*xf32> {
  %r = nnvm.exp %x : (tensor<4xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// CHECK:      builtin.module {
// CHECK-NEXT:   func.func @first(%x: tensor<2xf32>) -> tensor<2xf32> {
// CHECK:      {{^}}}{{$}}
// CHECK-EMPTY:
// CHECK-NEXT: // -----
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @third(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NOT:  @bad

// ERR:     split-input-file.mlir:18:3: error: 'nnvm.dropout' op rate must be in [0, 1], got 3.0
// ERR-NOT: error:

// WHOLE:     split-input-file.mlir:18:3: error: 'nnvm.dropout' op rate must be in [0, 1], got 3.0
// WHOLE-NOT: builtin.module
