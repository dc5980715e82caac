// Function modules (shared objects made by aot/) loaded into this worker: dlopen'ed once per path and kept,
// since a worker runs the same few functions over and over.
#pragma once

#include <string>

#include "aot/module_abi.h"
#include "common/error.h"

namespace faasmjs::gateway::worker {

Expected<const faasmjs_module*> load_module(const std::string& shared_object);

}  // namespace faasmjs::gateway::worker
