// Is the module a Faasm function, and which Faasm host imports does it use?
#ifndef FAASMJS_ASYNCIFY_FAASM_FUNCTION_H
#define FAASMJS_ASYNCIFY_FAASM_FUNCTION_H

#include <optional>
#include <string>
#include <vector>

#include "result.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

struct BlockingImport {
  wabt::Index function;
  std::string field;
};

struct FaasmFunction {
  std::vector<std::string> faasmImports;        // every env.__faasm_* field, in import order
  std::vector<BlockingImport> blockingImports;  // the imports of kBlockingImports it uses (env or WASI)
  std::optional<wabt::Index> table;             // the function table, if there is one
  std::optional<std::string> tableExport;       // the name it is already exported under
  std::vector<std::string> warnings;            // one line each
};

// Fails (naming `label`) unless the module exports `_start` and `memory` and is not already asyncified.
Result<FaasmFunction> inspectFaasmFunction(const wabt::Module& module, const std::string& label);

}  // namespace faasmjs::asyncify

#endif
