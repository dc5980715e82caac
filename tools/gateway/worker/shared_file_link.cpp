#include "worker/shared_file_link.h"

#include "worker/call_context.h"
#include "worker/gateway_link.h"

namespace faasmjs::gateway::worker {

namespace {

// A refused host call ends the call (FileSystemFault), never reads as a bad guest pointer (HostFault: EFAULT).
ByteReader send(GatewayLink& link) {
  try {
    return link.send();
  } catch (const HostFault& refused) {
    throw FileSystemFault(refused.what());
  }
}

}  // namespace

std::optional<std::vector<std::uint8_t>> SharedFileLink::fetch(const std::string& path) {
  GatewayLink link(channel_, HostCall::SharedFileRead, "shared file");
  link.request().str(path);
  ByteReader reply = send(link);
  const bool exists = reply.u8() != 0;
  auto data = reply.bytes_copy();
  if (!exists) return std::nullopt;
  return data;
}

void SharedFileLink::store(const std::string& path, std::span<const std::uint8_t> bytes) {
  GatewayLink link(channel_, HostCall::SharedFileWrite, "shared file");
  link.request().str(path);
  link.request().bytes(bytes);
  send(link);
}

void SharedFileLink::remove(const std::string& path) {
  GatewayLink link(channel_, HostCall::SharedFileDelete, "shared file");
  link.request().str(path);
  send(link);
}

}  // namespace faasmjs::gateway::worker
