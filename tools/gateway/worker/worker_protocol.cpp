#include "worker/worker_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/byte_io.h"

namespace faasmjs::gateway::worker {

namespace {

// send(MSG_NOSIGNAL), not write: a peer that died (a killed worker, a gone gateway) must be an error to
// handle, not a SIGPIPE that ends this process.
bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool send_message(int fd, Op op, std::span<const std::uint8_t> body) {
  // Header and body leave in one write when small, so that a message costs one system call.
  std::uint8_t header[5];
  const auto length = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<std::uint8_t>(length >> (8 * i));
  header[4] = static_cast<std::uint8_t>(op);
  if (body.size() <= 4096) {
    std::uint8_t joined[5 + 4096];
    std::memcpy(joined, header, 5);
    if (!body.empty()) std::memcpy(joined + 5, body.data(), body.size());
    return write_all(fd, joined, 5 + body.size());
  }
  return write_all(fd, header, 5) && write_all(fd, body.data(), body.size());
}

std::optional<Message> Channel::buffered() {
  if (broken_ || pending() < 5) return std::nullopt;
  const std::uint8_t* at = buffer_.data() + start_;
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(at[i]) << (8 * i);
  if (length > kMaxMessage) {
    broken_ = true;
    return std::nullopt;
  }
  if (pending() < 5 + std::size_t{length}) return std::nullopt;
  Message message{static_cast<Op>(at[4]), std::vector<std::uint8_t>(at + 5, at + 5 + length)};
  start_ += 5 + length;
  if (start_ == end_) {
    start_ = end_ = 0;
    if (buffer_.size() > (4u << 20)) buffer_ = {};  // a long message's room goes back once it is consumed
  }
  return message;
}

bool Channel::read_more() {
  if (broken_) return false;
  constexpr std::size_t kPiece = 64u << 10;
  constexpr std::size_t kLongPiece = 1u << 20;
  // Room for what the buffered message still lacks (by pieces of at most kLongPiece), or a piece of messages.
  std::size_t want = kPiece;
  if (pending() >= 5) {
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(buffer_[start_ + i]) << (8 * i);
    if (length > kMaxMessage) return broken_ = true, false;
    want = std::max(want, std::min<std::size_t>(5 + std::size_t{length} - pending(), kLongPiece));
  }
  if (start_ > 0 && buffer_.size() - end_ < want) {
    std::memmove(buffer_.data(), buffer_.data() + start_, pending());
    end_ -= start_;
    start_ = 0;
  }
  if (buffer_.size() - end_ < want) buffer_.resize(end_ + want);
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

std::optional<Message> Channel::receive() {
  for (;;) {
    if (auto message = buffered()) return message;
    if (!read_more()) return std::nullopt;
  }
}

std::vector<std::uint8_t> encode_run(const RunRequest& request) {
  std::vector<std::uint8_t> body;
  ByteWriter out(body);
  out.str(request.shared_object);
  out.str(request.function);
  out.str(request.user);
  out.u32(request.func_ptr);
  out.str(request.cmdline);
  out.u64(request.memory_limit_bytes);
  out.bytes(request.input);
  out.u32(static_cast<std::uint32_t>(request.files.size()));
  for (const auto& file : request.files) {
    out.str(file.path);
    out.bytes(file.data);
  }
  return body;
}

std::optional<RunRequest> decode_run(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  RunRequest request;
  request.shared_object = in.str();
  request.function = in.str();
  request.user = in.str();
  request.func_ptr = in.u32();
  request.cmdline = in.str();
  request.memory_limit_bytes = in.u64();
  request.input = in.bytes_copy();
  const std::uint32_t files = in.u32();
  // Each file takes at least 6 bytes: a count beyond what the body holds is malformed, not an allocation.
  if (!in.ok() || files > body.size() / 6) return std::nullopt;
  request.files.resize(files);
  for (auto& file : request.files) {
    file.path = in.str();
    file.data = in.bytes_copy();
  }
  if (!in.done()) return std::nullopt;
  return request;
}

std::vector<std::uint8_t> encode_result(const RunResult& result) {
  std::vector<std::uint8_t> body;
  ByteWriter out(body);
  out.i32(result.return_value);
  out.u8(static_cast<std::uint8_t>(result.status));
  out.u8(result.reset_instance ? 1 : 0);
  out.str(result.error);
  out.bytes(result.stdout_text);
  out.bytes(result.stderr_text);
  out.bytes(result.output);
  return body;
}

std::optional<RunResult> decode_result(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  RunResult result;
  result.return_value = in.i32();
  const std::uint8_t status = in.u8();
  const std::uint8_t reset_instance = in.u8();
  result.error = in.str();
  auto out = in.bytes();
  result.stdout_text.assign(out.begin(), out.end());
  auto err = in.bytes();
  result.stderr_text.assign(err.begin(), err.end());
  result.output = in.bytes_copy();
  if (!in.done() || status > static_cast<std::uint8_t>(CallStatus::Failed) || reset_instance > 1) return std::nullopt;
  result.status = static_cast<CallStatus>(status);
  result.reset_instance = reset_instance == 1;
  return result;
}

void write_finished(ByteWriter& out, const FinishedCall& call) {
  out.u32(call.id);
  out.i32(call.return_value);
  out.u8(call.output ? 1 : 0);
  if (call.output) out.bytes(*call.output);
}

std::optional<FinishedCall> read_finished(ByteReader& in) {
  FinishedCall call;
  call.id = in.u32();
  call.return_value = in.i32();
  const std::uint8_t has_output = in.u8();
  if (has_output > 1) return std::nullopt;
  if (has_output == 1) call.output = in.bytes_copy();
  if (!in.ok()) return std::nullopt;
  return call;
}

}  // namespace faasmjs::gateway::worker
