;; Mutual recursion: every function in the cycle, and its caller, is instrumented; each reason is a
;; shortest chain.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_lock_state_write" (func $lock (param i32)))
  (memory (export "memory") 1)
  (func $even (param i32)
    (if (local.get 0) (then (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32)
    (call $lock (i32.const 0))
    (call $even (local.get 0)))
  (func $start (export "_start") (call $even (i32.const 4))))
;; CHECK: %s: 3 of 3 functions instrumented; blocking imports: env.__faasm_lock_state_write
;; CHECK: indirect calls in instrumented functions: 0 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   even: even -> odd -> env.__faasm_lock_state_write
;; CHECK:   odd: odd -> env.__faasm_lock_state_write
;; CHECK:   start: start -> even -> odd -> env.__faasm_lock_state_write
