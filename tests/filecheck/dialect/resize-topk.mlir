// Round trip of resize (size or scale, NNVM's align_corners, ONNX's coordinate modes and rounding) and topk (one or two results).
// RUN: nnvm-opt %s | filecheck %s
// RUN: nnvm-opt %s | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | nnvm-opt | filecheck %s
// RUN: nnvm-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @resize(%x: tensor<1x3x4x6xf32>) {
  %a = nnvm.resize %x {size = array<i64: 8, 9>} : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
  %c = nnvm.resize %x {size = array<i64: 8, 9>, align_corners = true} : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
  %d = nnvm.resize %x {scale = array<f64: 1.5, 0.5>, method = "NEAREST_NEIGHBOR", coordinate_transformation_mode = "half_pixel", rounding_method = "round_prefer_floor"} : (tensor<1x3x4x6xf32>) -> tensor<1x3x6x3xf32>
  %e = nnvm.resize %x {scale = array<f64: 2.0, 2.0>, layout = "NHWC", coordinate_transformation_mode = "pytorch_half_pixel"} : (tensor<1x3x4x6xf32>) -> tensor<1x6x8x6xf32>
  func.return
}

// CHECK-LABEL: func.func @resize(%x: tensor<1x3x4x6xf32>) {
// CHECK-NEXT:    %a = nnvm.resize %x {size = array<i64: 8, 9>} : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
// CHECK-NEXT:    %c = nnvm.resize %x {size = array<i64: 8, 9>, align_corners = true} : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
// CHECK-NEXT:    %d = nnvm.resize %x {scale = array<f64: 1.500000e+00, 5.000000e-01>, method = "NEAREST_NEIGHBOR", coordinate_transformation_mode = "half_pixel", rounding_method = "round_prefer_floor"} : (tensor<1x3x4x6xf32>) -> tensor<1x3x6x3xf32>
// CHECK-NEXT:    %e = nnvm.resize %x {scale = array<f64: 2.000000e+00, 2.000000e+00>, layout = "NHWC", coordinate_transformation_mode = "pytorch_half_pixel"} : (tensor<1x3x4x6xf32>) -> tensor<1x6x8x6xf32>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "resize"
// GENERIC-NEXT:  ^bb0(%x: tensor<1x3x4x6xf32>):
// GENERIC-NEXT:  %a = "nnvm.resize"(%x) <{size = array<i64: 8, 9>, scale = array<f64>, layout = "NCHW", method = "BILINEAR", align_corners = false, coordinate_transformation_mode = "__undef__", rounding_method = "__undef__"}> : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
// GENERIC-NEXT:  %c = "nnvm.resize"(%x) <{size = array<i64: 8, 9>, align_corners = true, scale = array<f64>, layout = "NCHW", method = "BILINEAR", coordinate_transformation_mode = "__undef__", rounding_method = "__undef__"}> : (tensor<1x3x4x6xf32>) -> tensor<1x3x8x9xf32>
// GENERIC-NEXT:  %d = "nnvm.resize"(%x) <{scale = array<f64: 1.500000e+00, 5.000000e-01>, method = "NEAREST_NEIGHBOR", coordinate_transformation_mode = "half_pixel", rounding_method = "round_prefer_floor", size = array<i64>, layout = "NCHW", align_corners = false}> : (tensor<1x3x4x6xf32>) -> tensor<1x3x6x3xf32>
// GENERIC-NEXT:  %e = "nnvm.resize"(%x) <{scale = array<f64: 2.000000e+00, 2.000000e+00>, layout = "NHWC", coordinate_transformation_mode = "pytorch_half_pixel", size = array<i64>, method = "BILINEAR", align_corners = false, rounding_method = "__undef__"}> : (tensor<1x3x4x6xf32>) -> tensor<1x6x8x6xf32>
// GENERIC-NEXT:  "func.return"() : () -> ()

func.func @topk(%x: tensor<3x10xf32>) {
  %v, %i = nnvm.topk %x {k = 4} : (tensor<3x10xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
  %a = nnvm.topk %x {k = 2, axis = 0, ret_type = "values", is_ascend = true} : (tensor<3x10xf32>) -> tensor<2x10xf32>
  %c = nnvm.topk %x {k = 0, ret_type = "indices", dtype = i64} : (tensor<3x10xf32>) -> tensor<3x10xi64>
  func.return
}

// CHECK-LABEL: func.func @topk(%x: tensor<3x10xf32>) {
// CHECK-NEXT:    %v, %i = nnvm.topk %x {k = 4 : i64} : (tensor<3x10xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
// CHECK-NEXT:    %a = nnvm.topk %x {k = 2 : i64, axis = 0 : i64, ret_type = "values", is_ascend = true} : (tensor<3x10xf32>) -> tensor<2x10xf32>
// CHECK-NEXT:    %c = nnvm.topk %x {k = 0 : i64, ret_type = "indices", dtype = i64} : (tensor<3x10xf32>) -> tensor<3x10xi64>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// GENERIC-LABEL: "func.func"() <{sym_name = "topk"
// GENERIC-NEXT:  ^bb0(%x: tensor<3x10xf32>):
// GENERIC-NEXT:  %v, %i = "nnvm.topk"(%x) <{k = 4 : i64, axis = -1 : i64, ret_type = "both", is_ascend = false, dtype = i32}> : (tensor<3x10xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
// GENERIC-NEXT:  %a = "nnvm.topk"(%x) <{k = 2 : i64, axis = 0 : i64, ret_type = "values", is_ascend = true, dtype = i32}> : (tensor<3x10xf32>) -> tensor<2x10xf32>
// GENERIC-NEXT:  %c = "nnvm.topk"(%x) <{k = 0 : i64, ret_type = "indices", dtype = i64, axis = -1 : i64, is_ascend = false}> : (tensor<3x10xf32>) -> tensor<3x10xi64>
// GENERIC-NEXT:  "func.return"() : () -> ()
