#include "worker/module_loader.h"

#include <dlfcn.h>

#include <map>

namespace faasmjs::gateway::worker {

Expected<const faasmjs_module*> load_module(const std::string& shared_object) {
  static std::map<std::string, const faasmjs_module*> loaded;
  if (auto found = loaded.find(shared_object); found != loaded.end()) return found->second;
  // RTLD_LOCAL: every module's wasm2c symbols share one name prefix, so they must not meet.
  void* handle = dlopen(shared_object.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return fail(ErrorCode::Internal, std::string("cannot load ") + dlerror());
  auto get = reinterpret_cast<const faasmjs_module* (*)()>(dlsym(handle, "faasmjs_module_get"));
  if (get == nullptr) return fail(ErrorCode::Internal, shared_object + " is not a faasm.js module");
  const faasmjs_module* module = get();
  if (module->abi_version != FAASMJS_MODULE_ABI_VERSION) {
    return fail(ErrorCode::Internal, shared_object + " was built for module ABI " +
                                         std::to_string(module->abi_version) + ", this worker speaks " +
                                         std::to_string(FAASMJS_MODULE_ABI_VERSION));
  }
  module->init_module();
  loaded.emplace(shared_object, module);
  return module;
}

}  // namespace faasmjs::gateway::worker
