// A plugin adds an op with its facts and a pass that rewrites into it.
// RUN: nnvm-opt --plugin %examples/my_ops.py %examples/swish.mlir -p fuse-swish,dce,infer-shape | filecheck %s
// RUN: nnvm-opt --plugin %examples/my_ops.py %examples/swish.mlir -p fuse-swish --print-op-generic | nnvm-opt --plugin %examples/my_ops.py | filecheck %s --check-prefix=ROUNDTRIP
// RUN: nnvm-opt --plugin %examples/my_ops.py --help | filecheck %s --check-prefix=HELP
// RUN: not nnvm-opt %examples/swish.mlir -p fuse-swish 2>&1 | filecheck %s --check-prefix=NOPLUGIN
// RUN: not nnvm-opt --plugin %t.nothere.py %examples/swish.mlir 2>&1 | filecheck %s --check-prefix=MISSING

// CHECK:      func.func @swish({{.*}}) -> tensor<2x4xf32>
// CHECK-NEXT:   %m = myops.swish %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT:   nnvm.dense %m, %w {{.*}} -> tensor<2x4xf32>

// ROUNDTRIP: myops.swish %x : (tensor<2x8xf32>) -> tensor<2x8xf32>

// HELP: fuse-swish {{.*}}Rewrite x * sigmoid(x) into myops.swish.

// NOPLUGIN: unknown pass 'fuse-swish'

// MISSING: nothere.py: error: plugin file not found
