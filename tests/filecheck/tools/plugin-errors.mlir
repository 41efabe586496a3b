// A plugin op or pass named like a built-in one is an error at the plugin's line, unless the pass
// asks to replace it with @register_pass(override=True); a plugin given by a relative path reports
// its errors with a line number too.
// RUN: python %inputs/exit-status.py 1 nnvm-opt --plugin %inputs/plugins/dup_pass.py %s 2>&1 | filecheck %s --check-prefix=PASS
// RUN: python %inputs/exit-status.py 1 nnvm-opt --plugin %inputs/plugins/dup_op.py %s 2>&1 | filecheck %s --check-prefix=OP
// RUN: python %inputs/exit-status.py 1 nnvm-run --plugin %inputs/plugins/dup_op.py %s 2>&1 | filecheck %s --check-prefix=OP
// RUN: python %inputs/exit-status.py 1 nnvm-opt --plugin %inputs/plugins/xdsl_op.py %s 2>&1 | filecheck %s --check-prefix=XDSL
// RUN: nnvm-opt --plugin %inputs/plugins/override_pass.py %s -p infer-shape | filecheck %s --check-prefix=OVERRIDE
// RUN: cd %inputs/plugins && python ../exit-status.py 1 nnvm-opt --plugin load_error.py %s 2>&1 | filecheck %s --check-prefix=RELATIVE
// RUN: cd %inputs && python exit-status.py 1 nnvm-opt --plugin plugins/load_error.py %s 2>&1 | filecheck %s --check-prefix=RELATIVE2

func.func @f(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// PASS:      dup_pass.py:8:1: error: pass 'infer-shape' is already defined; rename the plugin's pass, or replace the built-in one with @register_pass(override=True)
// PASS-NOT:  Traceback
// OP:        dup_op.py:8:1: error: op 'nnvm.relu' is already defined; give the plugin's op another name
// XDSL:      xdsl_op.py:8:1: error: op 'arith.foo' is in xDSL's dialect 'arith'; give the plugin's ops a prefix of their own
// OVERRIDE:  nnvm.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
// RELATIVE:  {{^}}load_error.py:6:1: error: loading the plugin failed: NameError: name 'undefined_name' is not defined
// RELATIVE2: {{^}}plugins/load_error.py:6:1: error: loading the plugin failed: NameError
