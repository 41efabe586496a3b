// Malformed constants: each is a located error with exit status 1, never a traceback.
// RUN: nnvm-opt %s --split-input-file --verify-diagnostics
// RUN: python %inputs/exit-status.py 1 nnvm-opt %s --split-input-file 2>&1 | filecheck %s

module attributes {nnvm.params = "../Inputs/no-such-params.npz"} {
  func.func @missing_params_file() {
    // expected-error@+1 {{'nnvm.constant' op cannot read params file '../Inputs/no-such-params.npz': No such file or directory}}
    %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<2x3xf32>
    func.return
  }
}
// CHECK: constant-errors.mlir:8:5: error: 'nnvm.constant' op cannot read params file

// -----

module attributes {nnvm.params = "../Inputs/constant-params.npz"} {
  func.func @missing_name() {
    // expected-error@+1 {{'nnvm.constant' op no array 'fc_b' in params file '../Inputs/constant-params.npz' (it has: fc_w, ids)}}
    %w = nnvm.constant #nnvm.param<"fc_b"> : tensor<2xf32>
    func.return
  }
}
// CHECK: constant-errors.mlir:19:5: error: 'nnvm.constant' op no array 'fc_b' in params file

// -----

module attributes {nnvm.params = "../Inputs/constant-params.npz"} {
  func.func @wrong_shape() {
    // expected-error@+1 {{'nnvm.constant' op array 'fc_w' in '../Inputs/constant-params.npz' has shape 2x3 and dtype float32, but the result type is tensor<3x2xf32>}}
    %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<3x2xf32>
    func.return
  }
}
// CHECK: constant-errors.mlir:30:5: error: 'nnvm.constant' op array 'fc_w'

// -----

func.func @no_params_attribute() {
  // expected-error@+1 {{'nnvm.constant' op an external value needs a params file: write `module attributes {nnvm.params = "FILE.npz"}` around the function}}
  %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<2x3xf32>
  func.return
}

// -----

module attributes {nnvm.params = "../Inputs/constant-params.npz"} {
  func.func @dynamic_external() {
    // expected-error@+1 {{'nnvm.constant' op an external value needs a result type of static shape, got tensor<?x3xf32>}}
    %w = nnvm.constant #nnvm.param<"fc_w"> : tensor<?x3xf32>
    func.return
  }
}

// -----

func.func @missing_blob() {
  // expected-error@+1 {{'nnvm.constant' op dense_resource<nowhere> has no blob: add it to the file's {-# dialect_resources: { builtin: { nowhere: "0x..." } } #-} section}}
  %w = nnvm.constant dense_resource<nowhere> : tensor<3xf32>
  func.return
}

// -----

func.func @short_blob() {
  // expected-error@+1 {{'nnvm.constant' op blob 'short' holds 8 bytes of data, tensor<3xi32> needs 12}}
  %w = nnvm.constant dense_resource<short> : tensor<3xi32>
  func.return
}
{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000100000002000000"
    }
  }
#-}

// -----

func.func @type_mismatch() {
  // expected-error@+1 {{'nnvm.constant' op attribute 'value' has type tensor<2xf32> but the result has type tensor<3xf32>}}
  %w = "nnvm.constant"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<3xf32>
  func.return
}

// -----

func.func @not_a_constant_value() {
  // expected-error@+1 {{expected a constant value: dense<...>, dense_resource<...> or #nnvm.param<"...">, got 1.000000e+00 : f32}}
  %w = nnvm.constant 1.0 : f32
  func.return
}

// -----

func.func @wrong_value_kind() {
  // expected-error@+1 {{'nnvm.constant' op attribute 'value' must be}}
  %w = "nnvm.constant"() <{value = 3 : i64}> : () -> tensor<f32>
  func.return
}
