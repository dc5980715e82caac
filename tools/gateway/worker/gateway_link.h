// The worker's side of host calls (worker_protocol.h): a blocking request to the gateway and its REPLY. A
// refused host call (REPLY ok = 0) is a HostFault with the gateway's message; a lost gateway ends the worker.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_io.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

// A message that needs no reply (CHAIN): sent whole, or the worker ends as for a lost gateway.
void tell_gateway(Channel& channel, Op op, std::span<const std::uint8_t> body, const char* import);
// A reply that does not decode: the gateway is not one this worker can go on with.
[[noreturn]] void unreadable_reply(const char* import);

class GatewayLink {
 public:
  GatewayLink(Channel& channel, HostCall kind, const char* import);
  ByteWriter& request() { return writer_; }
  // Sends the request and waits for its reply: a reader positioned at the reply's fields.
  ByteReader send();

 private:
  Channel& channel_;
  const char* import_;
  std::vector<std::uint8_t> body_;
  ByteWriter writer_;
  std::vector<std::uint8_t> reply_;
};

}  // namespace faasmjs::gateway::worker
