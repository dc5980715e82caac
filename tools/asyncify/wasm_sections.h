// Byte-level edits of a wasm binary that wabt has already validated, for the one change the tool makes without
// re-encoding the module: a function with no blocking import stays byte for byte what the compiler produced.
#ifndef FAASMJS_ASYNCIFY_WASM_SECTIONS_H
#define FAASMJS_ASYNCIFY_WASM_SECTIONS_H

#include <cstdint>
#include <string_view>
#include <vector>

#include "result.h"

namespace faasmjs::asyncify {

using Bytes = std::vector<std::uint8_t>;

// The binary with one more entry in its export section: table `tableIndex` exported as `name`.
Result<Bytes> withTableExport(const Bytes& binary, std::string_view name, std::uint32_t tableIndex);

}  // namespace faasmjs::asyncify

#endif
