// Random inputs too large for memory are an error naming the argument and its size in bytes.
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 2>&1 | filecheck %s
// RUN: python %inputs/exit-status.py 1 nnvm-run %s --random-inputs 0 --entry huge 2>&1 | filecheck %s --check-prefix=HUGE

func.func @big(%x: tensor<1000000x1000000xf32>, %y: tensor<2xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %y : (tensor<2xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

func.func @huge(%x: tensor<99999999999x99999999999xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<99999999999x99999999999xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// CHECK:     random-inputs-too-large.mlir: error: input 'x' of type tensor<1000000x1000000xf32> needs 4000000000000 bytes (3.73e+03 GiB)
// CHECK-NOT: Traceback
// HUGE:      random-inputs-too-large.mlir: error: input 'x' of type tensor<99999999999x99999999999xf32> needs 39999999999200000000004 bytes
