// Function modules (shared objects made by aot/) loaded into this worker: dlopen'ed once per path and kept,
// since a worker runs the same few functions over and over.
#pragma once

#include <string>

#include "aot/module_abi.h"
#include "common/error.h"
#include "worker/guest_symbols.h"

namespace faasmjs::gateway::worker {

struct LoadedModule {
  const faasmjs_module* abi;
  GuestSymbols symbols;  // for trap backtraces (trap_backtrace.h)
};

Expected<const LoadedModule*> load_module(const std::string& shared_object);

}  // namespace faasmjs::gateway::worker
