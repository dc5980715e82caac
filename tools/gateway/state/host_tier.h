// The embedded cluster's local tier: the one Faasm host's copy of each key, shared by every call the cluster
// runs (as all Faaslets on a Faasm host share it), in front of the global store. Its rules (sizes fixed by
// the first sized call, lazy pulls, dirty marks, full, partial and masked pushes, forced pulls) are those of
// faasmjs/detail/local_tier.hpp, the one C++ local tier, which the native test host runs too; the browser's
// (sdk/js/state/local-tier.js, docs/js-runtime.md) follows the same rules.
//
// Errors: a fault of the tier (a size-less first use, a range beyond a key's local size, a sized call whose
// size differs from it where Faasm would overflow...) is BadState, worded by the shared fault table without
// the import name (the worker adds it); a store's own error is passed on with its code. A push the store
// refused keeps the dirty marks (and the mask), so that the next push sends them again.
//
// Mapped regions (read_state_ptr) live in each worker's guest memory: the worker publishes bytes the guest
// changed through the pointer with publish() (no dirty mark, as on Faasm) and refreshes its copy with
// read_range() whenever the guest calls the host about that key. Locks are not here: cluster calls lock in
// the global StateLocks (state_locks.h).
//
// Keys are global keys (`<user>_<key>`). Thread-safe (worker slot threads call it concurrently): calls on one
// key run one at a time, holding the key's mutex across their store calls; different keys run in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "state/global_store.h"

namespace faasmjs::gateway::state {

class HostTier {
 public:
  static std::unique_ptr<HostTier> create(GlobalStore& global);
  virtual ~HostTier() = default;

  virtual Expected<std::uint32_t> size(std::string_view key) = 0;
  // get-or-create with `length`, lazy pull, the whole local value (Faasm's read_state copies valueSize bytes).
  virtual Expected<std::vector<std::uint8_t>> read(std::string_view key, std::uint32_t length) = 0;
  virtual Expected<std::vector<std::uint8_t>> read_range(std::string_view key, std::uint32_t total,
                                                         std::uint32_t offset, std::uint32_t length) = 0;
  // write_state: creates with size bytes.size() when new; copies; marks dirty.
  virtual Expected<void> write(std::string_view key, std::vector<std::uint8_t> bytes) = 0;
  virtual Expected<void> write_range(std::string_view key, std::uint32_t total, std::uint32_t offset,
                                     std::vector<std::uint8_t> bytes) = 0;
  // Bytes the guest changed through a mapped pointer: written locally, not marked dirty.
  virtual Expected<void> publish(std::string_view key, std::uint32_t total, std::uint32_t offset,
                                 std::vector<std::uint8_t> bytes) = 0;
  virtual Expected<void> flag_dirty(std::string_view key, std::uint32_t total, std::uint32_t offset,
                                    std::uint32_t length) = 0;
  virtual Expected<void> push(std::string_view key) = 0;
  virtual Expected<void> push_partial(std::string_view key) = 0;
  // Pushes the bytes where the mask key's local value (same size) is non-zero.
  virtual Expected<void> push_partial_mask(std::string_view key, std::string_view mask_key) = 0;
  virtual Expected<void> pull(std::string_view key, std::uint32_t length) = 0;
};

}  // namespace faasmjs::gateway::state
