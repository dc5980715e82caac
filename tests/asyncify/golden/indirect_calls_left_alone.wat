;; In an instrumented function, an indirect call that cannot reach a blocking import (its signature's
;; functions in the table do not block) is left uninstrumented; one that can is instrumented.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_read_state" (func $read_state (param i32 i32 i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (type $void (func))
  (memory (export "memory") 1)
  (table 3 funcref)
  (elem (i32.const 0) func $pure $nothing $blocking)
  (func $blocking (param i32) (result i32) (call $read_state (local.get 0) (i32.const 0) (i32.const 0)))
  (func $pure (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $nothing)
  (func $start (export "_start")
    (drop (call $blocking (i32.const 1)))
    (drop (call_indirect (type $unary) (i32.const 2) (i32.const 0)))
    (call_indirect (type $void) (i32.const 1))))
;; CHECK: %s: 2 of 4 functions instrumented; blocking imports: env.__faasm_read_state
;; CHECK: table 0: element segments place 3 functions in it; an indirect call through it reaches those of its signature
;; CHECK: indirect calls in instrumented functions: 1 may reach a blocking import (instrumented), 1 cannot (left alone)
;; CHECK:   blocking: blocking -> env.__faasm_read_state
;; CHECK:   start: start -> blocking -> env.__faasm_read_state
