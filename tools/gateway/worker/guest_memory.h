// Bounds-checked access to a guest's linear memory for the imports. Every pointer+length is checked before
// anything is read or written, so a faulting import has no side effect; faults read as the browser's
// (sdk/js/host/guest.js, faults.js).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "faasmjs/detail/fault_messages.hpp"
#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

class GuestMemory {
 public:
  GuestMemory(const Call& call, const char* import) : memory_(*call.memory), import_(import) {}

  // [ptr, ptr + length) inside memory; pointers and lengths arrive as i32: a "negative" length is a fault.
  std::uint32_t check(std::uint32_t ptr, std::uint32_t length, const char* what) const {
    if (static_cast<std::int32_t>(length) < 0) {
      fail(faasmjs::detail::fault_message(
          "negativeLength",
          {{"what", std::string(what) + " length"}, {"length", std::to_string(static_cast<std::int32_t>(length))}}));
    }
    if (static_cast<std::uint64_t>(ptr) + length > memory_.size) {
      fail(faasmjs::detail::fault_message("outOfBounds", {{"what", what},
                                                          {"ptr", std::to_string(ptr)},
                                                          {"length", std::to_string(length)},
                                                          {"memoryBytes", std::to_string(memory_.size)}}));
    }
    return ptr;
  }

  std::span<std::uint8_t> span(std::uint32_t ptr, std::uint32_t length, const char* what) const {
    return {memory_.data + check(ptr, length, what), length};
  }

  std::vector<std::uint8_t> copy(std::uint32_t ptr, std::uint32_t length, const char* what) const {
    auto bytes = span(ptr, length, what);
    return {bytes.begin(), bytes.end()};
  }

  void write(std::uint32_t ptr, std::span<const std::uint8_t> bytes, const char* what) const {
    check(ptr, static_cast<std::uint32_t>(bytes.size()), what);
    if (!bytes.empty()) std::memcpy(memory_.data + ptr, bytes.data(), bytes.size());
  }

  void set_u32(std::uint32_t ptr, std::uint32_t value, const char* what) const {
    check(ptr, 4, what);
    std::memcpy(memory_.data + ptr, &value, 4);
  }

  void set_u64(std::uint32_t ptr, std::uint64_t value, const char* what) const {
    check(ptr, 8, what);
    std::memcpy(memory_.data + ptr, &value, 8);
  }

  std::uint32_t get_u32(std::uint32_t ptr, const char* what) const {
    check(ptr, 4, what);
    std::uint32_t value;
    std::memcpy(&value, memory_.data + ptr, 4);
    return value;
  }

  // A NUL-terminated string (a state key, a function name).
  std::string c_string(std::uint32_t ptr, const char* what) const {
    check(ptr, 0, what);
    const void* end = std::memchr(memory_.data + ptr, 0, memory_.size - ptr);
    if (end == nullptr) {
      fail(faasmjs::detail::fault_message("unterminated", {{"what", what}, {"ptr", std::to_string(ptr)}}));
    }
    return {reinterpret_cast<const char*>(memory_.data + ptr), static_cast<const char*>(end)};
  }

  [[noreturn]] void fail(const std::string& message) const { throw HostFault(std::string(import_) + ": " + message); }

 private:
  const wasm_rt_memory_t& memory_;
  const char* import_;
};

}  // namespace faasmjs::gateway::worker
