// Hostile modules written byte by byte: wat2wasm itself overflows its stack on deep nesting, and these must
// be exactly as bad as described. Each is a Faasm-shaped module (memory, malloc, _start) with one twist.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faasmjs::gateway::testing {

using Bytes = std::vector<std::uint8_t>;

inline void leb(Bytes& out, std::uint64_t value) {
  do {
    std::uint8_t byte = value & 0x7F;
    value >>= 7;
    out.push_back(value != 0 ? byte | 0x80 : byte);
  } while (value != 0);
}

inline void name(Bytes& out, const std::string& text) {
  leb(out, text.size());
  out.insert(out.end(), text.begin(), text.end());
}

inline void section(Bytes& module, std::uint8_t id, const Bytes& payload) {
  module.push_back(id);
  leb(module, payload.size());
  module.insert(module.end(), payload.begin(), payload.end());
}

struct FaasmModule {
  std::string start_export = "_start";
  Bytes start_body = {0x0B};        // the instructions of _start, with its final `end`
  std::size_t extra_functions = 0;  // more () -> () functions, each with extra_body
  Bytes extra_body = {0x0B};
  bool export_extra = false;  // as f0, f1, ...
  Bytes custom;               // one custom section's payload (name included), when not empty

  Bytes bytes() const {
    Bytes module = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    section(module, 1, {0x02, 0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x00, 0x00});  // (i32)->i32, ()->()
    Bytes functions;
    leb(functions, 2 + extra_functions);
    functions.insert(functions.end(), {0x00, 0x01});
    functions.insert(functions.end(), extra_functions, 0x01);
    section(module, 3, functions);
    section(module, 5, {0x01, 0x00, 0x01});
    Bytes exports;
    leb(exports, 3 + (export_extra ? extra_functions : 0));
    name(exports, "memory");
    exports.insert(exports.end(), {0x02, 0x00});
    name(exports, "malloc");
    exports.insert(exports.end(), {0x00, 0x00});
    name(exports, start_export);
    exports.insert(exports.end(), {0x00, 0x01});
    for (std::size_t i = 0; export_extra && i < extra_functions; ++i) {
      name(exports, "f" + std::to_string(i));
      exports.push_back(0x00);
      leb(exports, 2 + i);
    }
    section(module, 7, exports);
    Bytes code;
    leb(code, 2 + extra_functions);
    auto body = [&](const Bytes& instructions) {
      Bytes whole = {0x00};  // no locals
      whole.insert(whole.end(), instructions.begin(), instructions.end());
      leb(code, whole.size());
      code.insert(code.end(), whole.begin(), whole.end());
    };
    body({0x41, 0x00, 0x0B});
    body(start_body);
    for (std::size_t i = 0; i < extra_functions; ++i) body(extra_body);
    section(module, 10, code);
    if (!custom.empty()) section(module, 0, custom);
    return module;
  }
};

// `depth` nested empty blocks, as a function body.
inline Bytes nested_blocks(std::size_t depth) {
  Bytes body;
  for (std::size_t i = 0; i < depth; ++i) body.insert(body.end(), {0x02, 0x40});
  body.insert(body.end(), depth + 1, 0x0B);
  return body;
}

}  // namespace faasmjs::gateway::testing
