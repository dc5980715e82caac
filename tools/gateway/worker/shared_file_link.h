// Shared files (`faasm://PATH`) as a worker reaches them: host calls to the gateway (worker_protocol.h
// SharedFileRead/Write/Delete), which keeps them in its shared-file store (registry/shared_file_store.h). The
// worker's file system pulls a file through this the first time a call opens it and sends it back after a
// write (file_system.h says when).
#pragma once

#include "worker/file_system.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

class SharedFileLink : public SharedFileSource {
 public:
  explicit SharedFileLink(Channel& channel) : channel_(channel) {}
  std::optional<std::vector<std::uint8_t>> fetch(const std::string& path) override;
  void store(const std::string& path, std::span<const std::uint8_t> bytes) override;
  void remove(const std::string& path) override;

 private:
  Channel& channel_;
};

}  // namespace faasmjs::gateway::worker
