;; An import from a module no Faasm host provides is reported (once per module) but does not stop the tool.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_pull_state" (func $pull (param i32 i32)))
  (import "js" "now" (func $now (result f64)))
  (import "js" "log" (func $log (param i32)))
  (memory (export "memory") 1)
  (func $start (export "_start") (call $pull (i32.const 0) (i32.const 0)) (drop (call $now))))
;; CHECK: %s: 1 of 1 function instrumented; blocking imports: env.__faasm_pull_state
;; CHECK: indirect calls in instrumented functions: 0 may reach a blocking import (instrumented), 0 cannot (left alone)
;; CHECK:   start: start -> env.__faasm_pull_state
;; CHECK-STDERR: faasmjs-asyncify: warning: %s: imports from module "js" (js.now), which no Faasm host provides
