#!/usr/bin/env bash
# Regenerates the seed corpus in tests/fuzz/corpus/: the protocol, worker_protocol and state_store seeds come
# from the real encoders and store (targets/seeds.cpp), the asyncify_input seeds from the modules below.
# Reproducers of fixed crashes live beside the seeds as regression-*; this script leaves them alone.
# Usage: tests/fuzz/make_corpus.sh FUZZ_BUILD_DIR (build/fuzz)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
corpus="$here/corpus"
"$1/fuzz_seeds" "$corpus"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
module() {  # NAME [wat2wasm flags...] < WAT
  local name="$1"
  shift
  cat > "$scratch/$name.wat"
  mkdir -p "$corpus/asyncify_input"
  wat2wasm "$@" "$scratch/$name.wat" -o "$corpus/asyncify_input/$name.wasm"
}

module blocking --debug-names <<'WAT'
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (import "env" "__faasm_chain_name" (func $chain (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $helper (param i32) (result i32) (call $await (local.get 0)))
  (func $start (export "_start") (drop (call $helper (call $chain (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))))
WAT

module indirect <<'WAT'
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 1) $blocks $pure)
  (func $blocks (type $t) (call $await (local.get 0)))
  (func $pure (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $start (export "_start")
    (drop (call_indirect (type $t) (i32.const 5) (i32.const 1)))
    (block $out (loop $again (br_if $out (i32.eqz (call_indirect (type $t) (i32.const 0) (i32.const 2)))) (br $again)))))
WAT

module no_blocking <<'WAT'
(module
  (import "env" "__faasm_write_output" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $start)
  (data (i32.const 16) "hello")
  (global $g (mut i32) (i32.const 0))
  (func $start (export "_start") (global.set $g (i32.const 1)) (call $write (i32.const 16) (i32.const 5))))
WAT

module imported_table <<'WAT'
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (import "env" "table" (table 1 funcref))
  (type $t (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $start (export "_start") (drop (call_indirect (type $t) (i32.const 1) (i32.const 0)))))
WAT

module tail_call --enable-tail-call <<'WAT'
(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $loop (param i32) (result i32) (return_call $await (local.get 0)))
  (func $start (export "_start") (drop (call $loop (i32.const 1)))))
WAT
