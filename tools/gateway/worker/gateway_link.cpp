#include "worker/gateway_link.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

void tell_gateway(Channel& channel, Op op, std::span<const std::uint8_t> body, const char* import) {
  if (!channel.send(op, body)) {
    std::fprintf(stderr, "faasmjs-worker: the gateway went away during %s\n", import);
    std::_Exit(3);
  }
}

void unreadable_reply(const char* import) {
  std::fprintf(stderr, "faasmjs-worker: the gateway's reply to %s does not decode\n", import);
  std::_Exit(3);
}

GatewayLink::GatewayLink(Channel& channel, HostCall kind, const char* import)
    : channel_(channel), import_(import), writer_(body_) {
  writer_.u8(static_cast<std::uint8_t>(kind));
}

ByteReader GatewayLink::send() {
  tell_gateway(channel_, Op::HostCall, body_, import_);
  // A RUN the gateway sent behind this call before it read this host call is void: the gateway puts that call
  // back in its queue (worker_protocol.h).
  auto reply = channel_.receive();
  while (reply && reply->op == Op::Run) reply = channel_.receive();
  if (!reply || reply->op != Op::Reply) {
    std::fprintf(stderr, "faasmjs-worker: no reply from the gateway to %s\n", import_);
    std::_Exit(3);
  }
  reply_ = std::move(reply->body);
  ByteReader reader(reply_);
  if (reader.u8() == 0) {
    const std::string message = reader.str();
    throw HostFault(std::string(import_) + ": " + message);
  }
  return reader;
}

}  // namespace faasmjs::gateway::worker
