// The global state tier of the embedded cluster: every value and append log, durable under --data. It is
// what Faasm keeps in Redis or on a key's master; browsers reach it over the wire protocol (STATE_*), cluster
// calls through the host tier (host_tier.h). Keys arrive namespaced by user (`<user>_<key>`).
//
// Durability: a write returns only once it is on disk (written and fsync'd), so whatever a client was told
// succeeded survives a crash or a restart of the gateway. Thread-safe: every method may be called from any
// thread; writes to one key are serialised, different keys proceed in parallel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::state {

inline constexpr std::uint32_t kToEnd = 0xFFFFFFFFu;

struct Range {
  std::uint32_t offset = 0;
  std::vector<std::uint8_t> bytes;
};

struct StoredRange {
  std::uint32_t size = 0;           // the whole value's size
  std::vector<std::uint8_t> bytes;  // the bytes asked for, clipped to the value
};

class GlobalStore {
 public:
  // Opens (creating if needed) the store in `dir` and loads what an earlier run left there. A file that
  // cannot be read is an Internal error naming it; nothing is silently dropped.
  static Expected<std::unique_ptr<GlobalStore>> open(const std::filesystem::path& dir);
  virtual ~GlobalStore() = default;

  // The value's size; 0 when the key has no value. Every read may fail: a store in front of another system
  // (Faasm's Redis) cannot always reach it.
  virtual Expected<std::uint32_t> size(std::string_view key) const = 0;
  // [offset, offset + length) of the value (length kToEnd: to its end), or nullopt when the key has no value.
  // An offset beyond the value is BadState.
  virtual Expected<std::optional<StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                                    std::uint32_t length) const = 0;
  // A full push: the value becomes exactly `size` bytes, its old bytes cut or zero-extended, overwritten
  // by the ranges. A range beyond `size` is BadState and changes nothing.
  virtual Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) = 0;
  // A partial push: the value grows with zeros to at least `size`, the ranges are written; returns the whole
  // new value.
  virtual Expected<std::vector<std::uint8_t>> push_partial(std::string_view key, std::uint32_t size,
                                                           const std::vector<Range>& ranges) = 0;
  // Replaces the value.
  virtual Expected<void> set(std::string_view key, std::vector<std::uint8_t> value) = 0;

  // Append logs, apart from the values (Faasm's Redis mode shares the key name; they never mix here).
  virtual Expected<void> append(std::string_view key, std::vector<std::uint8_t> element) = 0;
  // The first `count` elements (fewer if the log is shorter).
  virtual Expected<std::vector<std::vector<std::uint8_t>>> read_appended(std::string_view key,
                                                                         std::uint32_t count) const = 0;
  virtual Expected<void> clear_appended(std::string_view key) = 0;

  // Keys with a value, starting with prefix, sorted; an error where can_list_keys() is false.
  virtual Expected<std::vector<std::string>> keys(std::string_view prefix) const = 0;
  // Whether keys() can answer: a store reached only through whole values by name (Faasm's upload server)
  // cannot list them, so what needs the list (STATE_KEYS, the state quota) cannot be offered on it.
  virtual bool can_list_keys() const = 0;
};

}  // namespace faasmjs::gateway::state
