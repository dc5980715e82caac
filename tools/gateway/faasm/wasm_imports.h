// The function imports of a WebAssembly binary, read from its type and import sections without building a tree of the
// module: a bounded, non-recursive walk over bytes that come from an upload, so every length is checked against what is
// left before it is used. Sections after the imports are not read (their order is fixed by the format; the upload
// server and WAMR validate the rest).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::faasm {

struct FunctionImport {
  std::string module;
  std::string name;
  std::vector<std::uint8_t> params;  // value type bytes: 0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, ...
  std::vector<std::uint8_t> results;
};

// BadWasm with one line saying what is malformed and at which byte offset.
Expected<std::vector<FunctionImport>> read_function_imports(std::span<const std::uint8_t> wasm);

// "ii:i" (i i32, I i64, f f32, F f64, v v128, r a reference), as common/host_imports.h writes signatures.
std::string signature_text(const FunctionImport& import);

}  // namespace faasmjs::gateway::faasm
