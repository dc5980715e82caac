;; An imported table may hold anything the host put there, so an indirect call may reach every function of
;; its signature, including one no segment mentions.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (import "env" "__indirect_function_table" (table $table 1 funcref))
  (type $unary (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $blocking (param i32) (result i32) (call $await (local.get 0)))
  (func $via_table (param i32) (result i32) (call_indirect (type $unary) (local.get 0) (i32.const 0)))
  (func $start (export "_start") (drop (call $via_table (i32.const 0)))))
;; CHECK: %s: 3 of 3 functions instrumented; blocking imports: env.__faasm_await_call
;; CHECK: table 0: its contents are unknown (imported); an indirect call through it may reach any function of its signature
;; CHECK: indirect calls in instrumented functions: 1 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   blocking: blocking -> env.__faasm_await_call
;; CHECK:   start: start -> via_table -(call_indirect)-> env.__faasm_await_call
;; CHECK:   via_table: via_table -(call_indirect)-> env.__faasm_await_call
