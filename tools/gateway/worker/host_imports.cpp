#include "worker/host_imports.h"

#include <array>

namespace faasmjs::gateway::worker {

namespace {

struct Provided {
  std::string_view module;
  std::string_view name;
  std::string_view signature;
};

#define FAASMJS_PROVIDED(module, name, ret, signature, params, args) Provided{#module, #name, signature},
constexpr std::array kProvided{FAASMJS_WORKER_ENV_IMPORTS(FAASMJS_PROVIDED)
                                   FAASMJS_WORKER_WASI_IMPORTS(FAASMJS_PROVIDED)};
#undef FAASMJS_PROVIDED

}  // namespace

std::string_view provided_signature(std::string_view module, std::string_view name) {
  for (const auto& import : kProvided) {
    if (import.module == module && import.name == name) return import.signature;
  }
  return {};
}

}  // namespace faasmjs::gateway::worker
