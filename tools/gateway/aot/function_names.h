// Function names for a trap's backtrace. The name section an upload carries is dropped before wasm2c (it
// would be one more way into the C, module_scan.h); instead the checker reads the names out of it, bounded and
// forgiving (a malformed name section costs the names, never the upload), and gives wasm2c a name section of
// its own that names defined function N `fN`, so that its C function is `w2c_fN` whatever the upload's
// names. The worker maps a native frame back through that symbol (worker/guest_symbols.h) to N, and N to the
// name the glue carries (module_abi.h, function_names).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace faasmjs::gateway::aot {

// At most this many bytes of a name are kept: a C++ name rarely needs more, and a backtrace is for people.
inline constexpr std::size_t kMaxFunctionName = 512;

// The names of `wasm`'s function-names subsection, by function index; empty without a name section, and
// whatever was read before the first malformed entry.
std::map<std::uint32_t, std::string> read_function_names(std::span<const std::uint8_t> wasm);

// `wasm`, which has no custom sections, with a name section naming each defined function (indices `first`
// to `first + count - 1`) fN.
std::vector<std::uint8_t> with_index_names(std::vector<std::uint8_t> wasm, std::uint32_t first, std::uint32_t count);

}  // namespace faasmjs::gateway::aot
