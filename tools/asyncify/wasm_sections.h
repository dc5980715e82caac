// Byte-level edits of a wasm binary that wabt has already validated, for the one change the tool makes without
// re-encoding the module: a function with no blocking import stays byte for byte what the compiler produced.
#ifndef FAASMJS_ASYNCIFY_WASM_SECTIONS_H
#define FAASMJS_ASYNCIFY_WASM_SECTIONS_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace faasmjs::asyncify {

using Bytes = std::vector<std::uint8_t>;

// The binary with one more entry in its export section: table `tableIndex` exported as `name`.
Result<Bytes> withTableExport(const Bytes& binary, std::string_view name, std::uint32_t tableIndex);

struct FunctionName {
  std::uint32_t index;
  std::string name;
};

// The binary, which has no name section, with one naming functions (`names` in ascending index order),
// appended after every other section as the spec places it.
Bytes withNameSection(const Bytes& binary, const std::vector<FunctionName>& names);

}  // namespace faasmjs::asyncify

#endif
