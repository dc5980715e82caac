// A trap two calls deep: every host fails the call with the trap's message and the backtrace of the functions
// the binary's name section names (docs/debugging.md). The calls go through volatile pointers, which neither
// wasm-opt nor the cluster's C compiler can inline.
void crash_inner() { __builtin_trap(); }
void (*volatile crash_inner_pointer)() = crash_inner;

void crash_outer() { crash_inner_pointer(); }
void (*volatile crash_outer_pointer)() = crash_outer;

int main() {
  crash_outer_pointer();
  return 0;
}
