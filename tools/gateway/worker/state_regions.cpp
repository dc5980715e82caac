#include "worker/state_regions.h"

#include <cstring>
#include <vector>

#include "worker/gateway_link.h"
#include "worker/guest_memory.h"

namespace faasmjs::gateway::worker {

const MappedRegion* find_region(const Call& call, const std::string& key, std::uint32_t offset, std::uint32_t length) {
  for (const auto& region : call.regions) {
    if (region.key == key && region.offset == offset && region.length == length) return &region;
  }
  return nullptr;
}

namespace {

// Publishes each run of bytes that differ from the shadow, so that bytes the guest left alone never overwrite
// what other calls wrote to the host tier meanwhile.
void publish(Call& call, MappedRegion& region, const char* import) {
  auto now = GuestMemory(call, import).span(region.address, region.length, "mapped state");
  for (std::uint32_t i = 0; i < region.length;) {
    if (now[i] == region.shadow[i]) {
      ++i;
      continue;
    }
    std::uint32_t end = i;
    while (end < region.length && now[end] != region.shadow[end]) ++end;
    GatewayLink link(*call.channel, HostCall::StatePublish, import);
    link.request().str(region.key);
    link.request().u32(region.total);
    link.request().u32(region.offset + i);
    link.request().bytes(now.subspan(i, end - i));
    link.send();
    std::memcpy(region.shadow.data() + i, now.data() + i, end - i);
    i = end;
  }
}

}  // namespace

void publish_regions(Call& call, const std::string& key, const char* import) {
  for (auto& region : call.regions) {
    if (region.key == key) publish(call, region, import);
  }
}

void refresh_regions(Call& call, const std::string& key, const char* import) {
  for (auto& region : call.regions) {
    if (region.key != key) continue;
    GatewayLink link(*call.channel, HostCall::StateReadRange, import);
    link.request().str(region.key);
    link.request().u32(region.total);
    link.request().u32(region.offset);
    link.request().u32(region.length);
    auto fresh = link.send().bytes();
    GuestMemory(call, import).write(region.address, fresh, "mapped state");
    region.shadow.assign(fresh.begin(), fresh.end());
  }
}

void publish_all_regions(Call& call) {
  for (auto& region : call.regions) publish(call, region, "end of call");
}

}  // namespace faasmjs::gateway::worker
