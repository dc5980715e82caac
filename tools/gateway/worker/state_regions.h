// Mapped state (read_state_ptr, read_state_offset_ptr). Faasm maps a key's shared host pages into the guest;
// a worker process cannot share pages with the host tier in the gateway, so a region is a copy in the guest's
// heap, kept in sync as the browser keeps its copies (sdk/js/state/local-tier.js): bytes the guest changed
// through the pointer are published to the host tier (not marked dirty, as on Faasm) before the call next
// talks to the host about that key and when it ends; after such a host call the region is refreshed with the
// host tier's bytes.
#pragma once

#include <cstdint>
#include <string>

#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

const MappedRegion* find_region(const Call& call, const std::string& key, std::uint32_t offset, std::uint32_t length);
void publish_regions(Call& call, const std::string& key, const char* import);
void refresh_regions(Call& call, const std::string& key, const char* import);
// At the end of a call: every region's changes.
void publish_all_regions(Call& call);

}  // namespace faasmjs::gateway::worker
