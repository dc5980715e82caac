;; Direct calls: the whole chain down to a blocking import is instrumented; a function that reaches only a
;; non-blocking Faasm import (chaining) or no import at all is not.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (import "env" "__faasm_chain_name" (func $chain (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $leaf (param i32) (result i32) (call $await (local.get 0)))
  (func $middle (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
  (func $chains (result i32) (call $chain (i32.const 0) (i32.const 0) (i32.const 0)))
  (func $compute (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $start (export "_start") (drop (call $middle (call $compute (call $chains))))))
;; CHECK: %s: 3 of 5 functions instrumented; blocking imports: env.__faasm_await_call
;; CHECK: indirect calls in instrumented functions: 0 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   leaf: leaf -> env.__faasm_await_call
;; CHECK:   middle: middle -> leaf -> env.__faasm_await_call
;; CHECK:   start: start -> middle -> leaf -> env.__faasm_await_call
