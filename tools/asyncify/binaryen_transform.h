// The transform proper, on libbinaryen's C API: Binaryen's Asyncify pass told exactly which imports block and
// which functions to instrument, then the asyncify control exports and the table export. libbinaryen exits
// the process on some inputs, so call this only inside runIsolated() and only on what wabt accepted.
#ifndef FAASMJS_ASYNCIFY_BINARYEN_TRANSFORM_H
#define FAASMJS_ASYNCIFY_BINARYEN_TRANSFORM_H

#include <cstdint>
#include <string>
#include <vector>

#include "result.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

struct TransformRequest {
  std::vector<std::uint8_t> binary;  // from shieldIndirectCalls(): no name or DWARF sections
  std::uint32_t functionCount = 0;   // imported and defined, trampolines included
  std::uint32_t importedFunctionCount = 0;
  std::vector<std::string> blockingImports;  // "env.__faasm_await_call", ...
  std::vector<wabt::Index> instrument;       // function indices, ascending
  bool needsPostWasm2Features = false;       // the input uses threads, tail calls, exceptions, ...
  bool exportTable = false;                  // export table 0 as __indirect_function_table
  std::vector<std::string> names;            // by function index, for the output's name section ("": none)
};

Result<std::vector<std::uint8_t>> transformWithBinaryen(const TransformRequest& request);

}  // namespace faasmjs::asyncify

#endif
