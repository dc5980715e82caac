// Which wasm function a native address of a loaded module is in, for a trap's backtrace. wasm2c makes each
// wasm function a static C function, which only the shared object's ELF symbol table (.symtab) lists; the
// checker named function N `fN` (aot/function_names.h), so its symbol is `w2c_fN`, and gcc's split-off
// parts (`w2c_fN.cold`, `.part.0`) belong to it too. An exported function small enough for gcc to inline
// into its export wrapper `Z_fnZ_NAME` is found as that export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace faasmjs::gateway::worker {

class GuestSymbols {
 public:
  GuestSymbols() = default;

  // The symbols of the shared object at `path`, loaded at `base` (dladdr's dli_fbase). Empty when the file
  // has no symbol table (a compiler that writes none): frames then go unnamed.
  static GuestSymbols read(const std::string& path, std::uintptr_t base);

  // The wasm function whose code holds `address`: its index, or the export whose wrapper holds it.
  struct Function {
    std::optional<std::uint32_t> index;
    std::string export_name;
  };
  std::optional<Function> function_at(std::uintptr_t address) const;

  // The addresses of the module's code when it has no unwind tables (no .eh_frame: tcc's output), which a
  // backtrace then follows by frame pointers; {0, 0} when it has them.
  std::pair<std::uintptr_t, std::uintptr_t> code_without_unwind_tables() const { return code_without_unwind_tables_; }

 private:
  struct Range {
    std::uintptr_t begin;
    std::uintptr_t end;
    Function function;
  };
  std::vector<Range> ranges_;  // sorted by begin, not overlapping
  std::pair<std::uintptr_t, std::uintptr_t> code_without_unwind_tables_{0, 0};
};

}  // namespace faasmjs::gateway::worker
