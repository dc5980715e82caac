// Which functions Binaryen actually instrumented, read back from its output: those that read or write the
// asyncify state global. The tool compares this with its plan, because Binaryen only warns about list entries
// it cannot match.
#ifndef FAASMJS_ASYNCIFY_INSTRUMENTATION_CHECK_H
#define FAASMJS_ASYNCIFY_INSTRUMENTATION_CHECK_H

#include <cstdint>
#include <vector>

#include "result.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

// Function indices, ascending, without the asyncify control functions themselves.
Result<std::vector<wabt::Index>> findInstrumentedFunctions(const std::vector<std::uint8_t>& asyncified);

}  // namespace faasmjs::asyncify

#endif
