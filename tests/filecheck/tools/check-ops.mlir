// --check-ops runs the generic op checks on the plugins' ops: each check is reported per op, a
// failure names the op and its example, and the exit status says whether all passed.
// RUN: nnvm-opt --plugin %examples/my_ops.py --check-ops | filecheck %s
// RUN: python %inputs/exit-status.py 1 nnvm-opt --plugin %inputs/plugins/wrong_rule.py --check-ops | filecheck %s --check-prefix=WRONG

// CHECK:      ok   myops.swish: rules agree with the semantics
// CHECK-NEXT: ok   myops.swish: less-known operands agree
// CHECK-NEXT: ok   myops.swish: examples vary with the seed
// CHECK-NEXT: ok   myops.swish: semantics are pure
// CHECK-NEXT: ok   myops.swish: custom and generic forms round-trip
// CHECK-NEXT: ok   myops.swish: every declared dtype runs
// CHECK-NEXT: ok   myops.swish: mutations are accepted and run, or named
// CHECK-NEXT: 1 op checked: all passed

// WRONG:      FAIL wrong.flat: rules agree with the semantics: wrong.flat, example seed 0 (operands (2x{{[0-9]}} float64) attributes {}): the rules give result #0 type tensor<2x{{[0-9]}}xf64>, the semantics return {{[0-9]+}} float64
// WRONG:      1 op checked: FAILED
