// Round trip of the unary elementwise ops: custom form, generic form, and back.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @unary(%x: tensor<2x3xf32>) {
  %relu = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %tanh = nnvm.tanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sigmoid = nnvm.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %exp = nnvm.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %log = nnvm.log %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sqrt = nnvm.sqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %neg = nnvm.negative %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %copy = nnvm.copy %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK-LABEL: func.func @unary(%x: tensor<2x3xf32>) {
// CHECK-NEXT:    %relu = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %tanh = nnvm.tanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %sigmoid = nnvm.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %exp = nnvm.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %log = nnvm.log %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %sqrt = nnvm.sqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %neg = nnvm.negative %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %copy = nnvm.copy %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "unary"
// GENERIC:         %relu = "nnvm.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %tanh = "nnvm.tanh"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %sigmoid = "nnvm.sigmoid"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %exp = "nnvm.exp"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %log = "nnvm.log"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %sqrt = "nnvm.sqrt"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %neg = "nnvm.negative"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %copy = "nnvm.copy"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    "func.return"() : () -> ()

// Integer and f16 element types are accepted.
func.func @other_types(%i: tensor<4xi32>, %h: tensor<4xf16>) {
  %a = nnvm.negative %i : (tensor<4xi32>) -> tensor<4xi32>
  %b = nnvm.exp %h : (tensor<4xf16>) -> tensor<4xf16>
  func.return
}

// CHECK-LABEL: func.func @other_types
// CHECK-NEXT:    %a = nnvm.negative %i : (tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %b = nnvm.exp %h : (tensor<4xf16>) -> tensor<4xf16>

// leaky_relu: the default alpha (0.25) is left out of the custom form, but printed in the
// generic one; a written alpha is kept in both.
func.func @leaky_relu(%x: tensor<2x3xf32>) {
  %default = nnvm.leaky_relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %alpha = nnvm.leaky_relu %x {alpha = 0.1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %zero = nnvm.leaky_relu %x {alpha = 0.0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK-LABEL: func.func @leaky_relu
// CHECK-NEXT:    %default = nnvm.leaky_relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %alpha = nnvm.leaky_relu %x {alpha = 1.000000e-01 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %zero = nnvm.leaky_relu %x {alpha = 0.000000e+00 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>

// GENERIC-LABEL: sym_name = "leaky_relu"
// GENERIC:         %default = "nnvm.leaky_relu"(%x) <{alpha = 2.500000e-01 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %alpha = "nnvm.leaky_relu"(%x) <{alpha = 1.000000e-01 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:    %zero = "nnvm.leaky_relu"(%x) <{alpha = 0.000000e+00 : f64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>

// cast carries its target element type as a type attribute.
func.func @cast(%x: tensor<2x3xf32>) {
  %i = nnvm.cast %x {dtype = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %h = nnvm.cast %x {dtype = f16} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  %b = nnvm.cast %x {dtype = i1} : (tensor<2x3xf32>) -> tensor<2x3xi1>
  func.return
}

// CHECK-LABEL: func.func @cast
// CHECK-NEXT:    %i = nnvm.cast %x {dtype = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK-NEXT:    %h = nnvm.cast %x {dtype = f16} : (tensor<2x3xf32>) -> tensor<2x3xf16>
// CHECK-NEXT:    %b = nnvm.cast %x {dtype = i1} : (tensor<2x3xf32>) -> tensor<2x3xi1>

// GENERIC-LABEL: sym_name = "cast"
// GENERIC:         %i = "nnvm.cast"(%x) <{dtype = i32}> : (tensor<2x3xf32>) -> tensor<2x3xi32>
// GENERIC-NEXT:    %h = "nnvm.cast"(%x) <{dtype = f16}> : (tensor<2x3xf32>) -> tensor<2x3xf16>
// GENERIC-NEXT:    %b = "nnvm.cast"(%x) <{dtype = i1}> : (tensor<2x3xf32>) -> tensor<2x3xi1>
