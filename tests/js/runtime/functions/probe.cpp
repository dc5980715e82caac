// probe: one behaviour per input, for the runtime's error paths and entry protocol. Input:
//   "trap"           __builtin_trap() in probe_trap_inner(), called from probe_trap_outer()
//                                                        → return value 1, the trap and both frames in `error`
//   "exit"           exit(7)                             → return value 7 (proc_exit)
//   "return"         main returns 3                      → return value 3
//   "throw"          calls env.__cxa_throw               → 1, "C++ exceptions are not supported..."
//   "bad_pointer"    read_input into memory that is not there → 1, a host fault naming read_input
//   "empty_key"      read_state of ""                    → 1, a host fault
//   "bad_chain_ptr"  chain_ptr with a pointer past the table → 1, a host fault
//   "unknown_chain"  chains "no_such_function" and awaits it → output "await returned N"
//   "await_unknown"  awaits an id never chained          → output "await returned N"
//   "argv"           output = argv and PYTHONHASHSEED, space separated; prints "hello stdout" to stdout
//   "state_size"     output = read_state size query of "probe_missing", then a 4-byte read's length and bytes
//   "unused_load"    an i32.load and an f64.load past the end of memory, their values dropped → 1, out of bounds
//   "used_load"      an i32.load past the end of memory whose value is output → 1, out of bounds
#include <faasmjs/detail/host_abi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

// The import libc++ would make for a throw, with its wasm signature; functions are built without
// exceptions, so this is the only way to reach it.
extern "C" __attribute__((import_module("env"), import_name("__cxa_throw"))) void probe_cxa_throw(void*, void*,
                                                                                                  void (*)(void*));

namespace {

void output(const std::string& text) { __faasm_write_output(text.c_str(), static_cast<long>(text.size())); }

}  // namespace

// Outside the anonymous namespace, so that the backtrace's names are these exact ones, and called through
// volatile pointers: wasm-opt, which knows no noinline, inlines a function with one caller.
void probe_trap_inner() { __builtin_trap(); }
void (*volatile probe_trap_inner_pointer)() = probe_trap_inner;
void probe_trap_outer() {
  probe_trap_inner_pointer();
  output("probe_trap_inner returned");
}
void (*volatile probe_trap_outer_pointer)() = probe_trap_outer;

int main(int argc, char** argv) {
  char mode[32] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(mode), sizeof(mode) - 1);
  const std::string what(mode);
  if (what == "trap") {
    probe_trap_outer_pointer();
  }
  if (what == "exit") {
    std::exit(7);
  }
  if (what == "return") {
    output("returning 3");
    return 3;
  }
  if (what == "throw") {
    probe_cxa_throw(nullptr, nullptr, nullptr);
  }
  if (what == "bad_pointer") {
    __faasm_read_input(reinterpret_cast<unsigned char*>(0xfffffff0u), 64);
  }
  if (what == "empty_key") {
    unsigned char buffer[4];
    __faasm_read_state("", buffer, sizeof(buffer));
  }
  if (what == "bad_chain_ptr") {
    __faasm_chain_ptr(reinterpret_cast<int (*)()>(0x7fffffff), nullptr, 0);
  }
  if (what == "unknown_chain" || what == "await_unknown") {
    const unsigned id = what == "unknown_chain" ? __faasm_chain_name("no_such_function", nullptr, 0) : 424242u;
    output("await returned " + std::to_string(__faasm_await_call(id)));
    return 0;
  }
  if (what == "argv") {
    std::string text;
    for (int i = 0; i < argc; i++) {
      text += std::string(argv[i]) + " ";
    }
    const char* seed = std::getenv("PYTHONHASHSEED");
    text += seed == nullptr ? "(unset)" : seed;
    std::printf("hello stdout\n");
    output(text);
    return 0;
  }
  if (what == "state_size") {
    const long size = __faasm_read_state("probe_missing", nullptr, 0);
    unsigned char buffer[4] = {9, 9, 9, 9};
    const long read = __faasm_read_state("probe_missing", buffer, sizeof(buffer));
    output(std::to_string(size) + " " + std::to_string(read) + " " + std::to_string(buffer[0]) +
           std::to_string(buffer[1]) + std::to_string(buffer[2]) + std::to_string(buffer[3]));
    return 0;
  }
  // Loads whose value nothing uses must trap as the used one does (the cluster's AOT compiler keeps them:
  // tools/gateway/aot/memory_helpers.cpp). Written in wasm: from C++, clang would delete them first.
  if (what == "unused_load") {
    __asm__ volatile("local.get %0\n\ti32.load 0\n\tdrop\n\tlocal.get %0\n\tf64.load 0\n\tdrop" : : "r"(0xfffffff0u));
    output("the unused loads did not trap");
    return 0;
  }
  if (what == "used_load") {
    output(std::to_string(*reinterpret_cast<const volatile int*>(0xfffffff0u)));
    return 0;
  }
  output("unknown probe " + what);
  return 2;
}
