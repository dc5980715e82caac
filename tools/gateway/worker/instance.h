// One instance of a function module: its wasm2c instance struct and the two import-module contexts wasm2c
// stores pointers to when it instantiates. Both live as long as the instance and never move (it is held by
// pointer), so that an instance kept for later calls (warm_instance.h) serves each of them: attach() points
// the contexts at the running call.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "aot/module_abi.h"
#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

class Instance {
 public:
  // Zeroed, so that freeing an instance whose instantiation trapped half-way frees only what it allocated
  // (wasm2c allocates memories and tables before it writes any segment, the only step that can trap).
  explicit Instance(const faasmjs_module* module)
      : module_(module), storage_(static_cast<std::byte*>(std::aligned_alloc(64, storage_size()))) {
    std::memset(storage_.get(), 0, storage_size());
  }
  ~Instance() {
    if (instantiated_) module_->free_instance(storage_.get());
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const faasmjs_module* module() const { return module_; }
  void* get() const { return storage_.get(); }
  void* env() { return &env_; }
  void* wasi() { return &wasi_; }
  wasm_rt_memory_t* memory() const { return module_->memory(get()); }
  wasm_rt_funcref_table_t* table() const { return module_->table != nullptr ? module_->table(get()) : nullptr; }

  void attach(Call& call) {
    env_.call = &call;
    wasi_.call = &call;
  }
  // Called before instantiating: from then on, freeing it frees what wasm2c allocated.
  void mark_instantiated() { instantiated_ = true; }

 private:
  std::size_t storage_size() const { return (module_->instance_size + 63) / 64 * 64; }
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  const faasmjs_module* module_;
  std::unique_ptr<std::byte, Free> storage_;
  Z_env_instance_t env_{nullptr};
  Z_wasi_snapshot_preview1_instance_t wasi_{nullptr};
  bool instantiated_ = false;
};

}  // namespace faasmjs::gateway::worker
