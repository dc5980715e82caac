// One call running in this worker: what its imports read and write. wasm2c hands every import a pointer to
// its module's "instance" of the import module; the worker's are HostContext, and both env and
// wasi_snapshot_preview1 point at the same one, the running call.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wasm-rt.h"
#include "worker/file_system.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

// What Faasm answers with a host exception: ends the call, return value 1, the message as its error. The
// message reads as the browser's (sdk/js/host/faults.js): "<call>: <what>".
class HostFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A region of guest heap standing in for read_state_ptr's shared pages (see state_regions.h).
struct MappedRegion {
  std::string key;
  std::uint32_t total = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint32_t address = 0;
  std::vector<std::uint8_t> shadow;  // what the guest was last given: its changes are the differences
};

// The ids of its tree a call may give the calls it chains (worker_protocol.h, CHAIN): [next, end).
struct ChainLease {
  std::uint32_t next = 0;
  std::uint32_t end = 0;
  std::uint32_t size = 0;  // of the last lease asked for: the next one asks for twice as many
};

struct Call {
  Channel* channel = nullptr;  // to the gateway (worker_protocol.h)
  std::string function;
  std::string user;
  std::vector<std::uint8_t> input;
  std::vector<std::uint8_t> output;
  std::vector<std::string> args;
  std::string stdout_text;
  std::string stderr_text;
  // The worker's file system (file_system.h), with this call's descriptor table.
  FileSystem* files = nullptr;
  std::size_t capture_limit = 1u << 20;
  bool capture_truncated = false;

  wasm_rt_memory_t* memory = nullptr;
  wasm_rt_funcref_table_t* table = nullptr;
  void* instance = nullptr;
  std::uint32_t (*guest_malloc)(void*, std::uint32_t) = nullptr;
  std::vector<MappedRegion> regions;

  // How the call ended early, set just before the worker unwinds out of the guest.
  std::optional<std::uint32_t> exit_code;
  std::optional<std::string> fault;

  ChainLease chain_ids;
  // Chained calls of this call that finished, as Await REPLYs passed them on: awaited without a round trip.
  std::unordered_map<std::uint32_t, FinishedCall> finished_calls;

  // Whether the guest has called an import (call_of): an instance whose constructors and zygote called none
  // holds nothing of its first call, so its snapshot may serve every call (warm_instance.h).
  bool imported = false;
};

}  // namespace faasmjs::gateway::worker

// wasm2c declares these as opaque import-module instances; the worker defines them.
struct Z_env_instance_t {
  faasmjs::gateway::worker::Call* call;
};
struct Z_wasi_snapshot_preview1_instance_t {
  faasmjs::gateway::worker::Call* call;
};

namespace faasmjs::gateway::worker {

// The running call, as every import reaches it from the context wasm2c hands it.
template <class ImportModule>
Call& call_of(ImportModule* context) {
  context->call->imported = true;
  return *context->call;
}

}  // namespace faasmjs::gateway::worker
