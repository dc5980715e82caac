;; A function pointer to the blocking import itself: the import is in the table, so the indirect call
;; blocks.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_read_state" (func $read_state (param i32 i32 i32) (result i32)))
  (type $reader (func (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table $table 1 funcref)
  (elem (i32.const 0) func $read_state)
  (func $via_pointer (param i32) (result i32)
    (call_indirect (type $reader) (i32.const 0) (i32.const 0) (i32.const 0) (local.get 0)))
  (func $start (export "_start") (drop (call $via_pointer (i32.const 0)))))
;; CHECK: %s: 2 of 2 functions instrumented; blocking imports: env.__faasm_read_state
;; CHECK: table 0: element segments place 1 function in it; an indirect call through it reaches those of its signature
;; CHECK: indirect calls in instrumented functions: 1 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   start: start -> via_pointer -(call_indirect)-> env.__faasm_read_state
;; CHECK:   via_pointer: via_pointer -(call_indirect)-> env.__faasm_read_state
