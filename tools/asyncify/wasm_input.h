// Reading the input: the file's bytes, parsed and validated by wabt, which reports every problem as a value
// (libbinaryen would print "Fatal" and exit the process instead).
#ifndef FAASMJS_ASYNCIFY_WASM_INPUT_H
#define FAASMJS_ASYNCIFY_WASM_INPUT_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "result.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

Result<std::vector<std::uint8_t>> readFile(const std::string& path);

struct ParsedModule {
  std::unique_ptr<wabt::Module> module;
  // Whether it needs features beyond WebAssembly 2.0 (threads, tail calls, exceptions, ...).
  bool needsPostWasm2Features = false;
};

// Parses, with function names from the name section when present, and validates: as WebAssembly 2.0 first,
// and failing that with every feature wabt knows that the tool supports. Refuses, naming the limit or the
// feature, blocks nested over 10,000 deep, an unsupported feature (memory64, ...) and element segments
// outside their table. `label` names the binary in error messages.
Result<ParsedModule> parseModule(const std::vector<std::uint8_t>& bytes, const std::string& label);

// A function's name for people: its name-section name, else an export name, else func[INDEX]; imports are
// MODULE.FIELD.
std::string displayName(const wabt::Module& module, wabt::Index function);

// A function's name for a name section: its name-section name, else an import's field or an export name;
// empty if it has none.
std::string sectionName(const wabt::Module& module, wabt::Index function);

}  // namespace faasmjs::asyncify

#endif
