// The cluster host's local tier: the rules of faasmjs/detail/local_tier.hpp, the one C++ local tier the
// native test host uses too, over the GlobalStore, with a mutex per key. This file only translates: the
// store's Expected into the tier's results and back, and the tier's faults into BadState (their words are the
// shared table's, without the import name, which the worker adds).
#include "state/host_tier.h"

#include <mutex>
#include <span>
#include <type_traits>

#include "faasmjs/detail/local_tier.hpp"

namespace faasmjs::gateway::state {

namespace {

namespace tier = faasmjs::detail::local_tier;

using Bytes = std::vector<std::uint8_t>;
template <class T>
using TierResult = tier::Result<T, Error>;

template <class T>
TierResult<T> from_store(Expected<T> result) {
  if (!result) return tier::Failure<Error>{std::move(result.error())};
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*result);
  }
}

template <class T>
Expected<T> to_expected(TierResult<T> result) {
  if (!result) return std::unexpected(std::move(result.error()));
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*result);
  }
}

// The GlobalStore as the tier needs it.
class TierStore {
 public:
  using Error = gateway::Error;

  explicit TierStore(GlobalStore& global) : global_(global) {}

  Error fault(std::string message) { return Error{ErrorCode::BadState, std::move(message)}; }

  TierResult<std::size_t> size(std::string_view key) {
    auto size = global_.size(key);
    if (!size) return tier::Failure<Error>{std::move(size.error())};
    return std::size_t{*size};
  }

  TierResult<std::optional<tier::StoredRange>> pull(std::string_view key, std::size_t offset, std::size_t length) {
    // Local sizes are the worker protocol's 32-bit ones, so offsets and lengths fit.
    const auto at = static_cast<std::uint32_t>(offset);
    const std::uint32_t count = length == tier::kToEnd ? kToEnd : static_cast<std::uint32_t>(length);
    auto stored = global_.pull(key, at, count);
    if (!stored && stored.error().code == ErrorCode::BadState) {
      // The store refuses an offset past the value's end, where the tier wants an empty range (as Faasm's Redis
      // GETRANGE answers nothing there); any other refusal stands.
      auto size = global_.size(key);
      if (!size) return tier::Failure<Error>{std::move(size.error())};
      if (*size < at) return std::optional<tier::StoredRange>(tier::StoredRange{*size, {}});
    }
    if (!stored) return tier::Failure<Error>{std::move(stored.error())};
    if (!*stored) return std::optional<tier::StoredRange>();
    return std::optional<tier::StoredRange>(tier::StoredRange{(*stored)->size, std::move((*stored)->bytes)});
  }

  TierResult<void> push(std::string_view key, std::size_t size, const std::vector<tier::Range>& ranges) {
    return from_store(global_.push(key, static_cast<std::uint32_t>(size), store_ranges(ranges)));
  }

  TierResult<Bytes> push_partial(std::string_view key, std::size_t size, const std::vector<tier::Range>& ranges) {
    return from_store(global_.push_partial(key, static_cast<std::uint32_t>(size), store_ranges(ranges)));
  }

 private:
  static std::vector<Range> store_ranges(const std::vector<tier::Range>& ranges) {
    std::vector<Range> out;
    out.reserve(ranges.size());
    for (const auto& range : ranges) {
      out.push_back({static_cast<std::uint32_t>(range.offset), Bytes(range.bytes.begin(), range.bytes.end())});
    }
    return out;
  }

  GlobalStore& global_;
};

class ClusterTier final : public HostTier {
 public:
  explicit ClusterTier(GlobalStore& global) : store_(global), tier_(store_) {}

  Expected<std::uint32_t> size(std::string_view key) override {
    auto size = tier_.size(key);
    if (!size) return std::unexpected(std::move(size.error()));
    return static_cast<std::uint32_t>(*size);
  }

  Expected<Bytes> read(std::string_view key, std::uint32_t length) override {
    Bytes out;
    auto read = tier_.read(key, length, [&](std::span<std::uint8_t> bytes) { out.assign(bytes.begin(), bytes.end()); });
    if (!read) return std::unexpected(std::move(read.error()));
    return out;
  }

  Expected<Bytes> read_range(std::string_view key, std::uint32_t total, std::uint32_t offset,
                             std::uint32_t length) override {
    Bytes out;
    auto read = tier_.read_range(key, total, offset, length,
                                 [&](std::span<std::uint8_t> bytes) { out.assign(bytes.begin(), bytes.end()); });
    if (!read) return std::unexpected(std::move(read.error()));
    return out;
  }

  Expected<void> write(std::string_view key, Bytes bytes) override { return to_expected(tier_.write(key, bytes)); }

  Expected<void> write_range(std::string_view key, std::uint32_t total, std::uint32_t offset, Bytes bytes) override {
    return to_expected(tier_.write_range(key, total, offset, bytes));
  }

  Expected<void> publish(std::string_view key, std::uint32_t total, std::uint32_t offset, Bytes bytes) override {
    return to_expected(tier_.publish(key, total, offset, bytes));
  }

  Expected<void> flag_dirty(std::string_view key, std::uint32_t total, std::uint32_t offset,
                            std::uint32_t length) override {
    return to_expected(tier_.flag_dirty(key, total, offset, length));
  }

  Expected<void> push(std::string_view key) override { return to_expected(tier_.push(key)); }

  Expected<void> push_partial(std::string_view key) override { return to_expected(tier_.push_partial(key)); }

  Expected<void> push_partial_mask(std::string_view key, std::string_view mask_key) override {
    return to_expected(tier_.push_partial_mask(key, mask_key));
  }

  Expected<void> pull(std::string_view key, std::uint32_t length) override {
    return to_expected(tier_.pull(key, length));
  }

 private:
  TierStore store_;
  tier::LocalTier<TierStore, std::mutex> tier_;
};

}  // namespace

std::unique_ptr<HostTier> HostTier::create(GlobalStore& global) { return std::make_unique<ClusterTier>(global); }

}  // namespace faasmjs::gateway::state
