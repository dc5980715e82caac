// The worker's side of host calls (worker_protocol.h): a blocking request to the gateway and its REPLY. A
// refused host call (REPLY ok = 0) is a HostFault with the gateway's message; a lost gateway ends the worker.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_io.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

class GatewayLink {
 public:
  GatewayLink(int channel, HostCall kind, const char* import);
  ByteWriter& request() { return writer_; }
  // Sends the request and waits for its reply: a reader positioned at the reply's fields.
  ByteReader send();

 private:
  int channel_;
  const char* import_;
  std::vector<std::uint8_t> body_;
  ByteWriter writer_;
  std::vector<std::uint8_t> reply_;
};

}  // namespace faasmjs::gateway::worker
