// The gateway ↔ worker protocol as the receiving side sees it: this input is the byte stream on the
// socket (written into a real socketpair), read message by message by a Channel until it ends or
// breaks; every body goes through both strict decoders. A body that decodes encodes back to exactly its
// bytes.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <span>

#include "worker/worker_protocol.h"

namespace worker = faasmjs::gateway::worker;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void check_body(std::span<const std::uint8_t> body) {
  if (const auto run = worker::decode_run(body)) {
    require(worker::encode_run(*run) == std::vector<std::uint8_t>(body.begin(), body.end()));
  }
  if (const auto result = worker::decode_result(body)) {
    require(worker::encode_result(*result) == std::vector<std::uint8_t>(body.begin(), body.end()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fds[2];
  require(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  // Inputs stay far below a socket's buffer (the fuzzer runs with a small -max_len), so one write fits.
  require(size == 0 || ::send(fds[1], data, size, MSG_NOSIGNAL) == static_cast<ssize_t>(size));
  ::close(fds[1]);
  std::size_t messages = 0;
  worker::Channel channel(fds[0]);
  while (const auto message = channel.receive()) {
    check_body(message->body);
    require(++messages <= size / 5);
  }
  ::close(fds[0]);
  return 0;
}
