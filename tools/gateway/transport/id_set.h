// A set of request ids kept as disjoint intervals. A session remembers every id whose reply it no longer
// keeps, so that a resumed client re-sending one gets ReplyLost instead of running it twice; clients number
// their requests upwards, so this stays one or a few intervals however long the session lives.
#pragma once

#include <cstdint>
#include <map>

namespace faasmjs::gateway::transport {

class IdSet {
 public:
  bool contains(std::uint32_t id) const {
    auto next = intervals_.upper_bound(id);
    if (next == intervals_.begin()) return false;
    return id <= std::prev(next)->second;
  }

  void insert(std::uint32_t id) {
    if (contains(id)) return;
    std::uint32_t first = id, last = id;
    // Merge with the interval ending just below and the one starting just above.
    auto next = intervals_.upper_bound(id);
    if (next != intervals_.begin()) {
      auto before = std::prev(next);
      if (before->second + 1 == id) {
        first = before->first;
        intervals_.erase(before);
      }
    }
    if (next != intervals_.end() && id != UINT32_MAX && next->first == id + 1) {
      last = next->second;
      intervals_.erase(next);
    }
    intervals_[first] = last;
  }

  std::size_t intervals() const { return intervals_.size(); }

 private:
  std::map<std::uint32_t, std::uint32_t> intervals_;  // first → last, inclusive
};

}  // namespace faasmjs::gateway::transport
