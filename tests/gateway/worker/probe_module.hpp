// A tiny Faasm function in the text format whose first input byte says how to misbehave, for the tests of
// traps, limits and freshness: what a C++ function does only by accident, this does on purpose.
//   f  output two digits: a global and a memory cell, each incremented once (a fresh instance prints "11")
//   u  unreachable                 o  load past the end of memory (value used)
//   d  i32.load far past the end of memory whose value is dropped (unused loads, aot/memory_helpers.cpp)
//   e  the same with f64.load     g  with i32.load8_s     c  an f32.load added to, the sum dropped
//   w  f64.store straddling the end of memory   q  i64.store far past it (stores, aot/memory_helpers.cpp)
//   z  divide by zero              v  INT_MIN / -1
//   s  unbounded recursion         i  call_indirect through a null table entry
//   x<digit>  proc_exit(digit)     b  memory.grow until refused, then unreachable
//   p  write_output from a pointer outside memory
//   r  read_state size query (a host call) of key "k"
//   a  await_call_output of call 5 into [500], [504]; output = the bytes it got. With a second byte '!', the
//      guest's malloc traps (unreachable) when the host calls it.
//   A  await_call_output of call 5, then of call 6; output = the bytes call 6's await got
// Table entries for calls by pointer: 1 takes two i32 (no chained function can), 2 doubles its argument.
#pragma once

#include <string>

#include "test_support.hpp"

namespace faasmjs::gateway::testing {

inline const std::string kProbeModule = R"((module
  (import "env" "__faasm_read_input" (func $read_input (param i32 i32) (result i32)))
  (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
  (import "env" "__faasm_read_state" (func $read_state (param i32 i32 i32) (result i32)))
  (import "env" "__faasm_await_call_output" (func $await_output (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (type $void (func))
  (memory (export "memory") 1)
  (table (export "__indirect_function_table") 3 funcref)
  (elem (i32.const 1) $takes_two $doubles)
  (data (i32.const 400) "k\00")
  (global $calls (mut i32) (i32.const 0))
  (func $takes_two (param i32 i32) (result i32) (i32.const 0))
  (func $doubles (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "malloc") (param i32) (result i32)
    (if (i32.eq (i32.load8_u (i32.const 1)) (i32.const 33)) (then unreachable))
    (i32.const 4096))
  ;; Two calls, so that the C compiler cannot turn the recursion into a loop (it does with one).
  (func $recurse (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1)))
             (call $recurse (i32.add (local.get 0) (i32.const 2)))))
  (func (export "_start") (local $op i32)
    (drop (call $read_input (i32.const 0) (i32.const 16)))
    (local.set $op (i32.load8_u (i32.const 0)))
    (if (i32.eq (local.get $op) (i32.const 102)) (then
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
      (i32.store8 (i32.const 200) (i32.add (i32.const 48) (global.get $calls)))
      (i32.store8 (i32.const 201) (i32.add (i32.const 48) (i32.load (i32.const 100))))
      (call $write_output (i32.const 200) (i32.const 2))))
    (if (i32.eq (local.get $op) (i32.const 117)) (then unreachable))
    (if (i32.eq (local.get $op) (i32.const 111)) (then
      (i32.store (i32.const 200) (i32.load (i32.const 65534)))))
    (if (i32.eq (local.get $op) (i32.const 100)) (then
      (drop (i32.load (i32.const 0x7ffffff0)))))
    (if (i32.eq (local.get $op) (i32.const 101)) (then
      (drop (f64.load (i32.const 0x7ffffff0)))))
    (if (i32.eq (local.get $op) (i32.const 103)) (then
      (drop (i32.load8_s (i32.const 0x7ffffff0)))))
    (if (i32.eq (local.get $op) (i32.const 99)) (then
      (drop (f32.add (f32.load (i32.const 0x7ffffff0)) (f32.const 1)))))
    (if (i32.eq (local.get $op) (i32.const 119)) (then
      (f64.store (i32.const 65532) (f64.const 1))))
    (if (i32.eq (local.get $op) (i32.const 113)) (then
      (i64.store (i32.const 0x7ffffff0) (i64.const 1))))
    (if (i32.eq (local.get $op) (i32.const 122)) (then
      (i32.store (i32.const 200) (i32.div_s (i32.const 1) (i32.load (i32.const 300))))))
    (if (i32.eq (local.get $op) (i32.const 118)) (then
      (i32.store (i32.const 200) (i32.div_s (i32.const 0x80000000) (i32.const -1)))))
    (if (i32.eq (local.get $op) (i32.const 115)) (then
      (drop (call $recurse (i32.const 0)))))
    (if (i32.eq (local.get $op) (i32.const 105)) (then
      (call_indirect (type $void) (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 120)) (then
      (call $proc_exit (i32.sub (i32.load8_u (i32.const 1)) (i32.const 48)))))
    (if (i32.eq (local.get $op) (i32.const 98)) (then
      (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
      unreachable))
    (if (i32.eq (local.get $op) (i32.const 112)) (then
      (call $write_output (i32.const 0xfffffff0) (i32.const 32))))
    (if (i32.eq (local.get $op) (i32.const 114)) (then
      (drop (call $read_state (i32.const 400) (i32.const 0) (i32.const 0)))))
    (if (i32.eq (local.get $op) (i32.const 97)) (then
      (drop (call $await_output (i32.const 5) (i32.const 500) (i32.const 504)))
      (call $write_output (i32.load (i32.const 500)) (i32.load (i32.const 504)))))
    (if (i32.eq (local.get $op) (i32.const 65)) (then
      (drop (call $await_output (i32.const 5) (i32.const 500) (i32.const 504)))
      (drop (call $await_output (i32.const 6) (i32.const 500) (i32.const 504)))
      (call $write_output (i32.load (i32.const 500)) (i32.load (i32.const 504)))))))
)";

// The probe module compiled once for the test program.
inline const fs::path& probe_module() {
  static const fs::path module = compiled_bytes(wat(kProbeModule), "the probe module");
  return module;
}

}  // namespace faasmjs::gateway::testing
