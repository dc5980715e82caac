;; call_indirect reaches the functions of its signature that the element segments put in the table: the
;; (i32) -> (i32) call is instrumented because $blocking is in the table; the () -> () call is not, and
;; neither is the call through $pure_table, whose table holds no blocking function (the blocking
;; $outside_table has the right signature but is never put in a table).
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (type $void (func))
  (memory (export "memory") 1)
  (table $functions 3 funcref)
  (table $pure_table 1 funcref)
  (elem (table $functions) (i32.const 0) func $blocking $pure $nothing)
  (elem (table $pure_table) (i32.const 0) func $pure)
  (func $blocking (param i32) (result i32) (call $await (local.get 0)))
  (func $outside_table (param i32) (result i32) (call $await (local.get 0)))
  (func $pure (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $nothing)
  (func $via_unary (param i32) (result i32) (call_indirect $functions (type $unary) (local.get 0) (local.get 0)))
  (func $via_void (param i32) (call_indirect $functions (type $void) (local.get 0)))
  (func $via_pure_table (param i32) (result i32)
    (call_indirect $pure_table (type $unary) (local.get 0) (i32.const 0)))
  (func $start (export "_start")
    (drop (call $via_unary (i32.const 0)))
    (call $via_void (i32.const 2))
    (drop (call $via_pure_table (i32.const 1)))))
;; CHECK: %s: 4 of 8 functions instrumented; blocking imports: env.__faasm_await_call
;; CHECK: table 0: element segments place 3 functions in it; an indirect call through it reaches those of its signature
;; CHECK: table 1: element segments place 1 function in it; an indirect call through it reaches those of its signature
;; CHECK: indirect calls in instrumented functions: 1 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   blocking: blocking -> env.__faasm_await_call
;; CHECK:   outside_table: outside_table -> env.__faasm_await_call
;; CHECK:   start: start -> via_unary -(call_indirect)-> blocking -> env.__faasm_await_call
;; CHECK:   via_unary: via_unary -(call_indirect)-> blocking -> env.__faasm_await_call
