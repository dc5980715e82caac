/*
 * Faasm's memory-layout guard (libfaasm's <faasm/memory.h>, included by <faasm/core.h>).
 *
 * WAMR shrinks a module's memory to its minimum at load when the code contains no memory.grow, which breaks
 * Faasm's growing of it from the host (bytecodealliance/wasm-micro-runtime#1706). This never-called
 * function puts a memory.grow in every module that includes the header, as libfaasm does.
 */
#ifndef FAASM_MEMORY_H
#define FAASM_MEMORY_H

#ifdef __wasm__
static inline void __attribute__((used)) __faasm_memory_layout_protection(void) { __builtin_wasm_memory_grow(0, 0); }
#endif

#endif /* FAASM_MEMORY_H */
