// The cluster host's local tier: sdk/js/state/local-tier.js in C++, without the mapped regions (they live in
// the workers, state_regions.h) and without locks (cluster calls lock in the global StateLocks directly). The
// fault messages are the shared table's (faasmjs/detail/fault_messages.hpp), without the import name, which the
// worker adds.
#include "state/host_tier.h"

#include "faasmjs/detail/fault_messages.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace faasmjs::gateway::state {

namespace {

using Bytes = std::vector<std::uint8_t>;

struct LocalValue {
  explicit LocalValue(std::uint32_t n) : size(n), data(n, 0), dirty_mask(n, 0), pulled_mask(n, 0) {}

  void mark_dirty(std::uint32_t offset, std::uint32_t length) {
    std::fill_n(dirty_mask.begin() + offset, length, 1);
    dirty = true;
  }
  void clear_dirty() {
    std::fill(dirty_mask.begin(), dirty_mask.end(), 0);
    dirty = false;
  }

  std::uint32_t size;
  Bytes data;
  Bytes dirty_mask;
  Bytes pulled_mask;
  bool dirty = false;
  std::mutex mutex;  // one call at a time per key: pulls and pushes reach the global store under it
};

std::vector<Range> ranges_of(const LocalValue& value, const Bytes& mask) {
  std::vector<Range> ranges;
  for (std::uint32_t i = 0; i < value.size;) {
    if (mask[i] == 0) {
      ++i;
      continue;
    }
    const std::uint32_t start = i;
    while (i < value.size && mask[i] != 0) ++i;
    ranges.push_back({start, Bytes(value.data.begin() + start, value.data.begin() + i)});
  }
  return ranges;
}

class LocalTier final : public HostTier {
 public:
  explicit LocalTier(GlobalStore& global) : global_(global) {}

  Expected<std::uint32_t> size(std::string_view key) override {
    if (auto value = existing(key)) return value->size;
    return global_.size(key);
  }

  Expected<Bytes> read(std::string_view key, std::uint32_t length) override {
    auto value = sized(key, length);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    if (v.size > length) {
      return fail(ErrorCode::BadState, faasmjs::detail::fault_message("bufferTooSmall", {{"key", std::string(key)}, {"length", std::to_string(length)},
                                                                              {"size", std::to_string(v.size)}}));
    }
    if (auto pulled = pull_lazily(key, v, 0, v.size); !pulled) return std::unexpected(pulled.error());
    return v.data;
  }

  Expected<Bytes> read_range(std::string_view key, std::uint32_t total, std::uint32_t offset,
                             std::uint32_t length) override {
    auto value = sized(key, total);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    if (auto checked = check_chunk(key, v, offset, length); !checked) return std::unexpected(checked.error());
    if (auto pulled = pull_lazily(key, v, offset, length); !pulled) return std::unexpected(pulled.error());
    return Bytes(v.data.begin() + offset, v.data.begin() + offset + length);
  }

  Expected<void> write(std::string_view key, Bytes bytes) override {
    auto value = sized(key, static_cast<std::uint32_t>(bytes.size()));
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    if (v.size != bytes.size()) {
      return fail(ErrorCode::BadState, faasmjs::detail::fault_message("sizeMismatch", {{"key", std::string(key)}, {"length", std::to_string(bytes.size())},
                                                                            {"size", std::to_string(v.size)}}));
    }
    v.data = std::move(bytes);
    std::fill(v.pulled_mask.begin(), v.pulled_mask.end(), 1);
    v.mark_dirty(0, v.size);
    return {};
  }

  Expected<void> write_range(std::string_view key, std::uint32_t total, std::uint32_t offset, Bytes bytes) override {
    return change(key, total, offset, static_cast<std::uint32_t>(bytes.size()), [&](LocalValue& v) {
      std::copy(bytes.begin(), bytes.end(), v.data.begin() + offset);
      v.mark_dirty(offset, static_cast<std::uint32_t>(bytes.size()));
    });
  }

  Expected<void> publish(std::string_view key, std::uint32_t total, std::uint32_t offset, Bytes bytes) override {
    return change(key, total, offset, static_cast<std::uint32_t>(bytes.size()),
                  [&](LocalValue& v) { std::copy(bytes.begin(), bytes.end(), v.data.begin() + offset); });
  }

  Expected<void> flag_dirty(std::string_view key, std::uint32_t total, std::uint32_t offset,
                            std::uint32_t length) override {
    return change(key, total, offset, length, [&](LocalValue& v) { v.mark_dirty(offset, length); });
  }

  Expected<void> push(std::string_view key) override {
    auto value = must_exist(key);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    if (!v.dirty) return {};
    // A full push sends what this host knows: bytes it pulled or wrote. The rest keep their global value.
    Bytes sent(v.size);
    for (std::uint32_t i = 0; i < v.size; ++i) sent[i] = v.pulled_mask[i] | v.dirty_mask[i];
    // Nothing can write the key while its mutex is held, so the dirty marks simply stay until the store took
    // the value: a push that failed is sent again by the next (the browser's tier restores them instead).
    if (auto pushed = global_.push(key, v.size, ranges_of(v, sent)); !pushed) return pushed;
    v.clear_dirty();
    return {};
  }

  Expected<void> push_partial(std::string_view key) override {
    auto value = must_exist(key);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    if (!v.dirty) return {};
    return send_partial(key, v, ranges_of(v, v.dirty_mask));
  }

  Expected<void> push_partial_mask(std::string_view key, std::string_view mask_key) override {
    auto value = must_exist(key);
    if (!value) return std::unexpected(value.error());
    auto mask = must_exist(mask_key);
    if (!mask) return std::unexpected(mask.error());
    if ((*mask)->size != (*value)->size) {
      return fail(ErrorCode::BadState, faasmjs::detail::fault_message("maskSize", {{"key", std::string(key)}, {"maskKey", std::string(mask_key)},
                                                                        {"maskSize", std::to_string((*mask)->size)},
                                                                        {"size", std::to_string((*value)->size)}}));
    }
    // Both at once (std::lock orders them), so that two calls masking each other's keys cannot deadlock.
    std::unique_lock value_lock((*value)->mutex, std::defer_lock);
    std::unique_lock mask_lock((*mask)->mutex, std::defer_lock);
    if (*value == *mask) {
      value_lock.lock();
    } else {
      std::lock(value_lock, mask_lock);
    }
    LocalValue& v = **value;
    if (!v.dirty) return {};
    const Bytes bits = (*mask)->data;
    auto sent = send_partial(key, v, ranges_of(v, bits));
    if (sent) std::fill((*mask)->data.begin(), (*mask)->data.end(), 0);
    return sent;
  }

  Expected<void> pull(std::string_view key, std::uint32_t length) override {
    auto value = sized(key, length);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    LocalValue& v = **value;
    auto stored = global_.pull(key, 0, kToEnd);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return {};
    if ((*stored)->size > v.size) return too_big(key, (*stored)->size, v.size);
    std::copy((*stored)->bytes.begin(), (*stored)->bytes.end(), v.data.begin());
    std::fill(v.pulled_mask.begin(), v.pulled_mask.end(), 1);
    v.clear_dirty();
    return {};
  }

 private:
  using Shared = std::shared_ptr<LocalValue>;

  Shared existing(std::string_view key) {
    std::lock_guard lock(mutex_);
    auto found = values_.find(key);
    return found == values_.end() ? nullptr : found->second;
  }

  Expected<Shared> sized(std::string_view key, std::uint32_t size) {
    std::lock_guard lock(mutex_);
    auto found = values_.find(key);
    if (found != values_.end()) return found->second;
    if (size == 0) {
      return fail(ErrorCode::BadState, faasmjs::detail::fault_message("needsSize", {{"key", std::string(key)}, {"size", "0"}}));
    }
    auto value = std::make_shared<LocalValue>(size);
    values_.emplace(std::string(key), value);
    return value;
  }

  Expected<Shared> must_exist(std::string_view key) {
    if (auto value = existing(key)) return value;
    return fail(ErrorCode::BadState, faasmjs::detail::fault_message("noLocalValue", {{"key", std::string(key)}}));
  }

  static Expected<void> check_chunk(std::string_view key, const LocalValue& v, std::uint32_t offset,
                                    std::uint32_t length) {
    if (offset > v.size || length > v.size - offset) {
      return fail(ErrorCode::BadState, faasmjs::detail::fault_message("outsideValue", {{"key", std::string(key)}, {"offset", std::to_string(offset)},
                                                                            {"length", std::to_string(length)},
                                                                            {"size", std::to_string(v.size)}}));
    }
    return {};
  }

  static Expected<void> too_big(std::string_view key, std::uint32_t global_size, std::uint32_t size) {
    return fail(ErrorCode::BadState, faasmjs::detail::fault_message("globalTooBig", {{"key", std::string(key)}, {"globalSize", std::to_string(global_size)},
                                                                          {"size", std::to_string(size)}}));
  }

  template <class Change>
  Expected<void> change(std::string_view key, std::uint32_t total, std::uint32_t offset, std::uint32_t length,
                        Change apply) {
    auto value = sized(key, total);
    if (!value) return std::unexpected(value.error());
    std::lock_guard lock((*value)->mutex);
    if (auto checked = check_chunk(key, **value, offset, length); !checked) return checked;
    apply(**value);
    return {};
  }

  // Pulls the bytes of [offset, offset + length) never pulled and not written here.
  Expected<void> pull_lazily(std::string_view key, LocalValue& v, std::uint32_t offset, std::uint32_t length) {
    auto wanted = [&](std::uint32_t i) { return v.pulled_mask[i] == 0 && v.dirty_mask[i] == 0; };
    std::uint32_t first = offset;
    while (first < offset + length && !wanted(first)) ++first;
    if (first < offset + length) {
      const std::uint32_t end = offset + length;
      auto stored = global_.pull(key, first, end - first);
      if (!stored) {
        // The store's only BadState for a pull: the chunk starts beyond a shorter global value, whose missing
        // bytes read as zeros, as a missing key's do on Faasm.
        if (stored.error().code != ErrorCode::BadState) return std::unexpected(stored.error());
      } else if (*stored) {
        if ((*stored)->size > v.size) return too_big(key, (*stored)->size, v.size);
        const auto& bytes = (*stored)->bytes;
        for (std::uint32_t i = first; i < end && i - first < bytes.size(); ++i) {
          if (wanted(i)) v.data[i] = bytes[i - first];
        }
      }
    }
    std::fill_n(v.pulled_mask.begin() + offset, length, 1);
    return {};
  }

  // The dirty marks go only once the store took the ranges (see push); then the whole copy is refreshed,
  // dirty bytes left out by a mask included, as on Faasm.
  Expected<void> send_partial(std::string_view key, LocalValue& v, const std::vector<Range>& ranges) {
    auto stored = global_.push_partial(key, v.size, ranges);
    if (!stored) return std::unexpected(stored.error());
    v.clear_dirty();
    std::copy_n(stored->begin(), std::min<std::size_t>(v.size, stored->size()), v.data.begin());
    std::fill(v.pulled_mask.begin(), v.pulled_mask.end(), 1);
    return {};
  }

  GlobalStore& global_;
  std::mutex mutex_;
  std::map<std::string, Shared, std::less<>> values_;
};

}  // namespace

std::unique_ptr<HostTier> HostTier::create(GlobalStore& global) { return std::make_unique<LocalTier>(global); }

}  // namespace faasmjs::gateway::state
