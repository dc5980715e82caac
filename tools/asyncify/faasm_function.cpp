#include "faasm_function.h"

#include <algorithm>
#include <set>

#include "faasm_abi.h"

namespace faasmjs::asyncify {

Result<FaasmFunction> inspectFaasmFunction(const wabt::Module& module, const std::string& label) {
  const wabt::Export* entry = module.GetExport(kEntryExport);
  if (entry == nullptr || entry->kind != wabt::ExternalKind::Func) {
    return Error{label + ": not a Faasm function: no exported function " + std::string(kEntryExport)};
  }
  const wabt::Export* memory = module.GetExport(kMemoryExport);
  if (memory == nullptr || memory->kind != wabt::ExternalKind::Memory) {
    return Error{label + ": not a Faasm function: no exported memory named " + std::string(kMemoryExport)};
  }

  FaasmFunction function;
  for (const wabt::Export* exported : module.exports) {
    if (std::find(kControlExports.begin(), kControlExports.end(), exported->name) != kControlExports.end()) {
      return Error{label + ": already asyncified (it exports " + exported->name + ")"};
    }
  }
  // clang and Emscripten put every address-taken function in table 0; it is the one chain-by-pointer uses.
  if (!module.tables.empty()) {
    function.table = 0;
    for (const wabt::Export* exported : module.exports) {
      if (exported->kind == wabt::ExternalKind::Table && module.GetTableIndex(exported->var) == 0) {
        function.tableExport = exported->name;
        break;
      }
    }
  }

  std::set<std::string> foreignModules;
  wabt::Index functionIndex = 0;
  for (const wabt::Import* import : module.imports) {
    const bool isFunction = import->kind() == wabt::ExternalKind::Func;
    const std::string name = import->module_name + "." + import->field_name;
    if (import->module_name == kReservedAsyncifyModule) {
      return Error{label + ": imports " + name + ", but module \"" + std::string(kReservedAsyncifyModule) +
                   "\" is reserved for Binaryen's in-module Asyncify runtime"};
    }
    if (import->module_name != kHostModule && import->module_name != kWasiModule &&
        foreignModules.insert(import->module_name).second) {
      function.warnings.push_back(label + ": imports from module \"" + import->module_name + "\" (" + name +
                                  "), which no Faasm host provides");
    }
    if (isFunction && import->module_name == kHostModule && import->field_name.starts_with(kFaasmImportPrefix)) {
      function.faasmImports.push_back(import->field_name);
    }
    if (isFunction && isBlockingImport(import->module_name, import->field_name)) {
      function.blockingImports.push_back({functionIndex, import->field_name});
    }
    if (isFunction) ++functionIndex;
  }
  return function;
}

}  // namespace faasmjs::asyncify
