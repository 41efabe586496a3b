// -t llvm prints LLVM IR and -t asm the host assembly, where the loops of an elementwise op and
// of a dense op are vector code. A module not lowered first is refused.
// RUN: nnvm-opt %s -p nnvm-lower-cpu -t llvm | filecheck %s --check-prefix=IR
// RUN: nnvm-opt %s -p nnvm-lower-cpu -t asm | filecheck %s --check-prefix=ASM
// RUN: not nnvm-opt %s -t llvm 2>&1 | filecheck %s --check-prefix=ERR

func.func @axpy(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
  %m = nnvm.elemwise_mul %a, %b : (tensor<1024xf32>, tensor<1024xf32>) -> tensor<1024xf32>
  %s = nnvm.elemwise_add %m, %c : (tensor<1024xf32>, tensor<1024xf32>) -> tensor<1024xf32>
  func.return %s : tensor<1024xf32>
}

func.func @dense(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>) -> tensor<8x64xf32> {
  %d = nnvm.dense %x, %w {units = 64, use_bias = false} : (tensor<8x64xf32>, tensor<64x64xf32>) -> tensor<8x64xf32>
  func.return %d : tensor<8x64xf32>
}

// IR: define void @"nnvm_axpy"(ptr noalias
// IR: getelementptr inbounds float
// IR: load float, ptr %{{.*}}, align 4
// IR: fmul contract float

// ASM-LABEL: nnvm_axpy:
// ASM:       {{vmulps|vfmadd[0-9]+ps}} {{.*}}{{[xyz]}}mm
// ASM-LABEL: nnvm_dense:
// ASM:       vfmadd{{[0-9]+}}ps {{.*}}{{[yz]}}mm

// ERR: error: 'func.func' op is not lowered far enough for target 'llvm', which prints only llvm dialect ops (run -p nnvm-lower-cpu first)
