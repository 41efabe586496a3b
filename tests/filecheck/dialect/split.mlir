// Round trip of nnvm.split: an integer number of sections or an array of split points; one
// result per part.
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @sections(%x: tensor<2x6x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x6x2xf32>) {
  %a:3 = nnvm.split %x {indices_or_sections = 3} : (tensor<2x6x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
  %b:2 = nnvm.split %x {indices_or_sections = 2, axis = -1} : (tensor<2x6x4xf32>) -> (tensor<2x6x2xf32>, tensor<2x6x2xf32>)
  func.return %a#2, %b#0 : tensor<2x2x4xf32>, tensor<2x6x2xf32>
}

// CHECK-LABEL: func.func @sections(%x: tensor<2x6x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x6x2xf32>) {
// CHECK-NEXT:    %a, %a_1, %a_2 = nnvm.split %x {indices_or_sections = 3 : i64} : (tensor<2x6x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
// CHECK-NEXT:    %b, %b_1 = nnvm.split %x {indices_or_sections = 2 : i64, axis = -1 : i64} : (tensor<2x6x4xf32>) -> (tensor<2x6x2xf32>, tensor<2x6x2xf32>)
// CHECK-NEXT:    func.return %a_2, %b : tensor<2x2x4xf32>, tensor<2x6x2xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "sections"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x6x4xf32>):
// GENERIC-NEXT:    %a, %a_1, %a_2 = "nnvm.split"(%x) <{indices_or_sections = 3 : i64, axis = 1 : i64}> : (tensor<2x6x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
// GENERIC-NEXT:    %b, %b_1 = "nnvm.split"(%x) <{indices_or_sections = 2 : i64, axis = -1 : i64}> : (tensor<2x6x4xf32>) -> (tensor<2x6x2xf32>, tensor<2x6x2xf32>)
// GENERIC-NEXT:    "func.return"(%a_2, %b) : (tensor<2x2x4xf32>, tensor<2x6x2xf32>) -> ()

func.func @indices(%x: tensor<2x6x4xf32>) -> tensor<2x3x4xf32> {
  %a:3 = nnvm.split %x {indices_or_sections = array<i64: 1, 4>} : (tensor<2x6x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<2x2x4xf32>)
  %b:2 = nnvm.split %x {indices_or_sections = array<i64: 1>, axis = 0} : (tensor<2x6x4xf32>) -> (tensor<1x6x4xf32>, tensor<1x6x4xf32>)
  func.return %a#1 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @indices(%x: tensor<2x6x4xf32>) -> tensor<2x3x4xf32> {
// CHECK-NEXT:    %a, %a_1, %a_2 = nnvm.split %x {indices_or_sections = array<i64: 1, 4>} : (tensor<2x6x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<2x2x4xf32>)
// CHECK-NEXT:    %b, %b_1 = nnvm.split %x {indices_or_sections = array<i64: 1>, axis = 0 : i64} : (tensor<2x6x4xf32>) -> (tensor<1x6x4xf32>, tensor<1x6x4xf32>)
// CHECK-NEXT:    func.return %a_1 : tensor<2x3x4xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "indices"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x6x4xf32>):
// GENERIC-NEXT:    %a, %a_1, %a_2 = "nnvm.split"(%x) <{indices_or_sections = array<i64: 1, 4>, axis = 1 : i64}> : (tensor<2x6x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<2x2x4xf32>)
// GENERIC-NEXT:    %b, %b_1 = "nnvm.split"(%x) <{indices_or_sections = array<i64: 1>, axis = 0 : i64}> : (tensor<2x6x4xf32>) -> (tensor<1x6x4xf32>, tensor<1x6x4xf32>)
// GENERIC-NEXT:    "func.return"(%a_1) : (tensor<2x3x4xf32>) -> ()

func.func @one_part(%x: tensor<2x6x4xf32>) -> tensor<2x6x4xf32> {
  %a = nnvm.split %x {indices_or_sections = 1} : (tensor<2x6x4xf32>) -> tensor<2x6x4xf32>
  func.return %a : tensor<2x6x4xf32>
}

// CHECK-LABEL: func.func @one_part(%x: tensor<2x6x4xf32>) -> tensor<2x6x4xf32> {
// CHECK-NEXT:    %a = nnvm.split %x {indices_or_sections = 1 : i64} : (tensor<2x6x4xf32>) -> tensor<2x6x4xf32>
// CHECK-NEXT:    func.return %a : tensor<2x6x4xf32>
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "one_part"
// GENERIC-NEXT:  ^bb0(%x: tensor<2x6x4xf32>):
// GENERIC-NEXT:    %a = "nnvm.split"(%x) <{indices_or_sections = 1 : i64, axis = 1 : i64}> : (tensor<2x6x4xf32>) -> tensor<2x6x4xf32>
// GENERIC-NEXT:    "func.return"(%a) : (tensor<2x6x4xf32>) -> ()
