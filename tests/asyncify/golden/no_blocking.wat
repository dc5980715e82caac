;; No blocking import: nothing is instrumented, and the output is the input plus the export of its table.
;; RUN: faasmjs-asyncify %s --verbose -o %t
(module
  (import "env" "__faasm_chain_name" (func $chain (param i32 i32 i32) (result i32)))
  (import "env" "__faasm_write_output" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) func $start)
  (func $start (export "_start")
    (call $write (i32.const 0) (call $chain (i32.const 0) (i32.const 0) (i32.const 0)))))
;; CHECK: %s: 0 of 1 function instrumented; blocking imports: none
;; CHECK: table 0: element segments place 1 function in it; an indirect call through it reaches those of its signature
