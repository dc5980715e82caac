#include "worker/module_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <map>

namespace faasmjs::gateway::worker {

Expected<const LoadedModule*> load_module(const std::string& shared_object) {
  static std::map<std::string, LoadedModule> loaded;
  if (auto found = loaded.find(shared_object); found != loaded.end()) return &found->second;
  // RTLD_LOCAL: every module's wasm2c symbols share one name prefix, so they must not meet.
  // Messages reach the client: they name the module by its file name, not by where the server keeps it.
  const std::string name = std::filesystem::path(shared_object).filename().string();
  void* handle = dlopen(shared_object.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    std::string why = dlerror();
    for (auto at = why.find(shared_object); at != std::string::npos; at = why.find(shared_object, at + name.size())) {
      why.replace(at, shared_object.size(), name);
    }
    return fail(ErrorCode::Internal, "cannot load " + why);
  }
  auto get = reinterpret_cast<const faasmjs_module* (*)()>(dlsym(handle, "faasmjs_module_get"));
  if (get == nullptr) return fail(ErrorCode::Internal, name + " is not a faasm.js module");
  const faasmjs_module* module = get();
  if (module->abi_version != FAASMJS_MODULE_ABI_VERSION) {
    return fail(ErrorCode::Internal, name + " was built for module ABI " + std::to_string(module->abi_version) +
                                         ", this worker speaks " + std::to_string(FAASMJS_MODULE_ABI_VERSION));
  }
  module->init_module();
  Dl_info info{};
  const std::uintptr_t base =
      dladdr(reinterpret_cast<const void*>(get), &info) != 0 ? reinterpret_cast<std::uintptr_t>(info.dli_fbase) : 0;
  return &loaded.emplace(shared_object, LoadedModule{module, GuestSymbols::read(shared_object, base)}).first->second;
}

}  // namespace faasmjs::gateway::worker
