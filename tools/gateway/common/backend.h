// Where calls run, as the rest of the gateway sees it: submit a call, get its result once, cancel it.
// Sessions (transport/) submit the calls browsers INVOKE; calls running in a backend submit the calls they
// chain. The embedded cluster (cluster/worker_pool.h) is one implementation: it runs each call in a worker
// process, one call per process at a time, so a trap, a loop or a memory bomb ends that call and never the
// gateway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/calls.h"
#include "common/error.h"

namespace faasmjs::gateway {

class Backend {
 public:
  virtual ~Backend() = default;
  // Starts a call and returns its id at once; `done` runs exactly once, on a backend thread or inside the
  // cancel() that ends the call (a queued one), and must not block. An unknown function is an UnknownFunction
  // error, and then `done` never runs.
  virtual Expected<CallId> submit(CallRequest request, CallDone done) = 0;
  // Stops a queued or running call (its result says Cancelled); false when it had already finished or is
  // unknown.
  virtual bool cancel(CallId id) = 0;
  // Calls running at once (what WELCOME announces as workers).
  virtual std::size_t workers() const = 0;
  // UPLOAD by `user`, before the registry stores the binary: the backend takes the function where its calls
  // run, and an error refuses the upload (the registry keeps the earlier version). The embedded cluster runs
  // what the registry compiles and accepts at once; Faasm gets it on its upload server. Blocks (it may compile).
  virtual Expected<void> accept_upload(std::string_view user, std::string_view function,
                                       std::span<const std::uint8_t> wasm) = 0;
  // Shared files (faasm://PATH to functions; PATH checked by common/file_paths.h): stored where the backend's
  // functions read them (the embedded cluster's shared-file store, Faasm's upload server). get answers
  // nullopt for a file that is not there. Both block (disk, HTTP).
  virtual Expected<void> put_shared_file(std::string_view path, std::span<const std::uint8_t> data) = 0;
  virtual Expected<std::optional<std::vector<std::uint8_t>>> get_shared_file(std::string_view path) = 0;
};

}  // namespace faasmjs::gateway
