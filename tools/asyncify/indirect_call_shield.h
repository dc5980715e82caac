// Binaryen's Asyncify instruments every indirect call inside a function it instruments, since it cannot tell
// where one goes; in a large function full of virtual calls that is most of the cost. This rewrite gives each
// indirect call that the call graph proves cannot reach a blocking import a trampoline of its own: a new
// function that makes the call and that Binaryen leaves alone. The optimiser inlines each single-use
// trampoline back after the transform.
#ifndef FAASMJS_ASYNCIFY_INDIRECT_CALL_SHIELD_H
#define FAASMJS_ASYNCIFY_INDIRECT_CALL_SHIELD_H

#include <cstdint>
#include <string>
#include <vector>

#include "call_graph.h"
#include "result.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

struct ShieldedBinary {
  std::vector<std::uint8_t> binary;   // written by wabt: no custom sections, so no names and no DWARF
  std::uint32_t functionCount = 0;    // the original functions, with the trampolines after them
  std::size_t shieldedCalls = 0;      // indirect calls given a trampoline
  std::size_t instrumentedCalls = 0;  // indirect calls that may reach a blocking import, left to Binaryen
  // By function index, the name the output's name section gives it (sectionName(); a trampoline is named
  // after the function it serves), since `binary` has none.
  std::vector<std::string> names;
};

// `input` is the binary `graph` was built from; `instrumented` and `blockingImports` are function indices.
Result<ShieldedBinary> shieldIndirectCalls(const std::vector<std::uint8_t>& input, const std::string& label,
                                           const CallGraph& graph, const std::vector<wabt::Index>& instrumented,
                                           const std::vector<wabt::Index>& blockingImports);

}  // namespace faasmjs::asyncify

#endif
