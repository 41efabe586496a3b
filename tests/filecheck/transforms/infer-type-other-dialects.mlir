// infer-type leaves ops of other dialects alone: the default type rule serves nnvm ops only, so
// arith.cmpf keeps its i1 result.
// RUN: nnvm-opt %s -p infer-type | filecheck %s

func.func @cmpf(%a: f32, %b: f32) -> i1 {
  %c = arith.cmpf olt, %a, %b : f32
  func.return %c : i1
}
// CHECK-LABEL: func.func @cmpf(%a: f32, %b: f32) -> i1 {
// CHECK-NEXT:    %c = arith.cmpf olt, %a, %b : f32
// CHECK-NEXT:    func.return %c : i1
