// Each stage of nnvm-lower-cpu on its own, and the pipeline showing every stage.
// RUN: nnvm-opt %s -p convert-nnvm-to-loops,convert-scf-to-cf,convert-memref-to-llvm | filecheck %s --check-prefix=MEMREF
// RUN: nnvm-opt %s -p convert-nnvm-to-loops,convert-scf-to-cf,convert-memref-to-llvm,convert-math-to-llvm | filecheck %s --check-prefix=MATH
// RUN: nnvm-opt %s -p convert-nnvm-to-loops,convert-scf-to-cf,convert-memref-to-llvm,convert-math-to-llvm,convert-index-to-i64 | filecheck %s --check-prefix=INDEX
// RUN: nnvm-opt %s -p convert-nnvm-to-loops,convert-scf-to-cf,convert-memref-to-llvm,convert-math-to-llvm,convert-index-to-i64,convert-arith-to-llvm | filecheck %s --check-prefix=ARITH
// RUN: nnvm-opt %s -p nnvm-lower-cpu | filecheck %s --check-prefix=LLVM
// RUN: nnvm-opt %s -p nnvm-lower-cpu --print-between-passes 2>&1 >/dev/null | filecheck %s --check-prefix=STAGES

func.func @f(%a: tensor<16xf32>) -> tensor<16xf32> {
  %e = nnvm.tanh %a : (tensor<16xf32>) -> tensor<16xf32>
  %r = nnvm.erf %e : (tensor<16xf32>) -> tensor<16xf32>
  func.return %r : tensor<16xf32>
}

// Buffers are pointers; every access is a getelementptr on the element type with an explicit
// alignment, never ptrtoint arithmetic.
// MEMREF:      func.func @f(%a: !llvm.ptr, %out: !llvm.ptr, %arena: !llvm.ptr)
// MEMREF:      llvm.getelementptr inbounds %arena[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// MEMREF:      %[[P:.*]] = llvm.getelementptr inbounds %a[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// MEMREF-NEXT: llvm.load %[[P]] {alignment = 4 : i64} : !llvm.ptr -> f32
// MEMREF:      llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// MEMREF-NOT:  ptrtoint

// tanh is an LLVM intrinsic; erf has none and is a libm call.
// MATH:      llvm.func @erff(f32) -> f32
// MATH:      llvm.call_intrinsic "llvm.tanh.f32"
// MATH:      llvm.call @erff(%{{.*}}) : (f32) -> f32

// INDEX-NOT: index
// INDEX:     arith.cmpi slt, %{{.*}}, %{{.*}} : i64

// ARITH-NOT: arith.
// ARITH:     llvm.icmp "slt"

// LLVM:      llvm.func @f(%a: !llvm.ptr {llvm.noalias}, %out: !llvm.ptr {llvm.noalias}, %arena: !llvm.ptr {llvm.noalias})
// LLVM-NOT:  {{(func|cf|arith|math|memref|scf)\.}}
// LLVM:      llvm.return

// STAGES: IR after infer-shape
// STAGES: IR after infer-type
// STAGES: IR after convert-nnvm-to-loops
// STAGES: IR after convert-scf-to-cf
// STAGES: IR after convert-memref-to-llvm
// STAGES: IR after convert-math-to-llvm
// STAGES: IR after convert-index-to-i64
// STAGES: IR after convert-arith-to-llvm
// STAGES: IR after convert-cf-to-llvm
