;; The suspension benchmark's guest: _start(n) calls a blocking Faasm import n times and sums the answers.
;; A 1-page module, so that what is timed is the suspension and nothing else. malloc answers a fixed address
;; (1024) for sdk/js/asyncify.js's data region.
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (param $n i32) (result i32) (local $sum i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $await (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $sum))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024)))
