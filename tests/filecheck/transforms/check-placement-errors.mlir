// RUN: nnvm-opt %s --split-input-file -p check-placement --verify-diagnostics
// RUN: not nnvm-opt %s --split-input-file -p 'place-device{default="gpu"}' 2>&1 | filecheck %s --check-prefix=OPTION

func.func @cross(%x: tensor<4xf32>) -> tensor<4xf32> attributes {nnvm.arg_devices = ["cpu:0"]} {
  %a = nnvm.relu %x {nnvm.device = "cpu:0"} : (tensor<4xf32>) -> tensor<4xf32>
  // expected-error@+1 {{'nnvm.exp' op reads operand #0 (%a) on cpu:1, but it lives on cpu:0: copy it with nnvm.device_copy (or run -p place-device)}}
  %b = nnvm.exp %a {nnvm.device = "cpu:1"} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %b : tensor<4xf32>
}

// -----

func.func @copy_from_wrong_place(%x: tensor<4xf32>) -> tensor<4xf32> attributes {nnvm.arg_devices = ["cpu:0"]} {
  // expected-error@+1 {{'nnvm.device_copy' op reads operand #0 (%x) on cpu:2, but it lives on cpu:0}}
  %c = nnvm.device_copy %x {src = "cpu:2", dst = "cpu:1", nnvm.device = "cpu:1"} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %c : tensor<4xf32>
}

// -----

func.func @unplaced_op(%x: tensor<4xf32>) -> tensor<4xf32> attributes {nnvm.arg_devices = ["cpu:0"]} {
  // expected-error@+1 {{'nnvm.relu' op has no nnvm.device, but the function is placed (nnvm.arg_devices)}}
  %a = nnvm.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  func.return %a : tensor<4xf32>
}
// OPTION: error: 'builtin.module' op default 'gpu' is not a device: write KIND:INDEX, e.g. "cpu:1"
