// The first pass over an uploaded binary, before wabt builds a tree of it (module_check.h) and long before
// wasm2c: one streaming read, no recursion, that refuses in one line what would crash or run away later, and
// what would let the upload write C:
//
//   - nesting: wabt's tree and its recursive destructors overflow the stack at ~300,000 nested blocks,
//     wasm2c at 20,000 (8 MiB stack), and wasm2c's C for nested `if`s grows with the square of the depth
//     (5,000 deep: 75 MB of C for one function);
//   - counts that make the C and its compile unbounded (functions, exports, locals);
//   - names: wasm2c 1.0.32 copies export and import names into C comments as they are, so `*/` and a newline
//     in a name are C code. Names must be made of a safe character set (kNameCharacters), which every C and
//     C++ toolchain's exports and imports are.
//
// Custom sections (the name section among them) are dropped before wasm2c sees the module
// (without_custom_sections): nothing the worker runs needs them, and what wasm2c writes of them is one more
// way in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::aot {

struct ModuleLimits {
  std::size_t max_bytes = 64u << 20;  // checked by the compiler before the binary leaves the gateway
  std::size_t max_nesting = 5'000;
  std::size_t max_functions = 100'000;
  std::size_t max_exports = 100'000;
  std::size_t max_locals = 50'000;  // in one function
  std::size_t max_name = 255;
};

inline constexpr ModuleLimits kModuleLimits{};
inline constexpr std::string_view kNameCharacters = "A-Z, a-z, 0-9, _, ., -, $";

// BadWasm naming the limit or the name; nothing for a binary that does not parse (module_check says why).
Expected<void> scan_module(std::span<const std::uint8_t> wasm, const ModuleLimits& limits = kModuleLimits);

// The unsigned LEB128 at `at` (advanced past it); nothing when it runs off the end or past 32 bits.
std::optional<std::uint32_t> read_leb(std::span<const std::uint8_t> bytes, std::size_t& at);

// `wasm` (which scan_module read whole) without its custom sections.
std::vector<std::uint8_t> without_custom_sections(std::span<const std::uint8_t> wasm);

// A name from a binary as it may appear in a one-line message: quoted, cut, anything but safe ASCII as \xNN.
std::string quoted_name(std::string_view name);

}  // namespace faasmjs::gateway::aot
