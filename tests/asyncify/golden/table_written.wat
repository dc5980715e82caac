;; A table written at run time (table.set) may come to hold any function, so its indirect calls may reach
;; every function of their signature.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (table $table 2 funcref)
  (elem (i32.const 0) func $pure)
  (elem declare func $blocking)
  (func $blocking (param i32) (result i32) (call $await (local.get 0)))
  (func $pure (param i32) (result i32) (local.get 0))
  (func $install (table.set $table (i32.const 1) (ref.func $blocking)))
  (func $via_table (param i32) (result i32) (call_indirect (type $unary) (local.get 0) (local.get 0)))
  (func $start (export "_start") (call $install) (drop (call $via_table (i32.const 1)))))
;; CHECK: %s: 3 of 5 functions instrumented; blocking imports: env.__faasm_await_call
;; CHECK: table 0: its contents are unknown (written by table.set in install); an indirect call through it may reach any function of its signature
;; CHECK: indirect calls in instrumented functions: 1 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   blocking: blocking -> env.__faasm_await_call
;; CHECK:   start: start -> via_table -(call_indirect)-> env.__faasm_await_call
;; CHECK:   via_table: via_table -(call_indirect)-> env.__faasm_await_call
