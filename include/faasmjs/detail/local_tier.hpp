// A Faasm host's local state tier: the host's copy of each key, in front of a global tier, with Faasm's rules
// (faasm-interfaces.md section 1.2; faabric's State and StateKeyValue). The C++ hosts share this one
// implementation: the native test host (faasmjs/testing/native_host.hpp, over an in-process map) and the
// embedded cluster's host tier (tools/gateway/state/host_tier.cpp, over the durable store or Faasm's Redis).
// The browser's tier, sdk/js/state/local-tier.js, follows the same rules in JavaScript.
//
// Section map
//   1. Result, Failure     a value or an error of the store's choosing (no exceptions: the native host may be
//                          built without them)
//   2. Range, StoredRange  what goes to the global tier and what comes back
//   3. GlobalStore         what the tier needs of a global tier (a concept)
//   4. LocalValue          one key's copy: bytes allocated once, dirty and pulled masks
//   5. LocalTier           the rules, call by call
//
// The rules:
//   - a key's local size is fixed by the first sized call on the host; a later call of another size uses the
//     local size (as Faasm's State::getKV returns the existing value). Creating a key with a size of 0 or less
//     is a fault (needsSize), as is a call that needs a local value the host does not have (noLocalValue);
//   - the size query answers the local size, else the global size (0 for a key that has no value);
//   - reads pull lazily: only the bytes of the range read that were never pulled and not written here, once;
//     a missing key, and bytes past the end of a shorter global value, read as zeros. A global value larger
//     than the local one is a fault when it is pulled (globalTooBig), where Faasm would overflow;
//   - writes are local and mark bytes dirty (a whole write also marks every byte pulled); bytes published
//     from a mapped copy are written without a dirty mark, as writes through Faasm's mapped pointer are;
//   - a push sends only when the key is dirty. A full push sends the bytes pulled or written here and keeps
//     the global bytes of ranges never pulled; a partial push sends the dirty ranges, or the ranges a mask
//     key of the same size marks (then zeroes the mask), and refreshes the whole local copy from the stored
//     value, dirty bytes a mask left out included, as on Faasm;
//   - a push the global tier refused keeps the dirty marks (and the mask), so that the next push sends them;
//   - a forced pull replaces the copy with the global value (a missing key changes nothing) and clears the
//     dirty marks.
// Deliberate differences from Faasm, each where Faasm would lose data or corrupt memory: a lazy pull never
// overwrites bytes written here and not yet pushed; a full push keeps the global bytes of ranges never pulled
// (Faasm sends the whole local copy, zeros included); a whole write marks every byte for a partial push; a
// buffer smaller than the local value (bufferTooSmall) and a whole write of another size (sizeMismatch) are
// faults rather than an overrun; and a partial push always refreshes the copy (Faasm refreshes only a value
// whose whole memory it allocated, a detail of its page mapping).
//
// Faults carry the words of fault_messages.hpp without the import's name, which each host adds as it reports
// them. Locks are not the tier's: each host keeps its own (the native host per host, the cluster in its
// global StateLocks), as Faasm's are a mutex beside the value.
//
// Thread safety: as safe as the Mutex given. With a real mutex, calls on different keys run in parallel and
// calls on one key one at a time, each holding the key's mutex across its calls to the store; with NoMutex
// (the default), one thread at a time. The store must be callable from every thread that calls the tier.
// LocalValue bytes never move: a pointer a sink kept stays valid as long as the tier.
#ifndef FAASMJS_DETAIL_LOCAL_TIER_HPP
#define FAASMJS_DETAIL_LOCAL_TIER_HPP

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "faasmjs/detail/fault_messages.hpp"

namespace faasmjs::detail::local_tier {

// 1. The store picks E: the cluster's Error with its code (a store's disk failure stays Internal), the native
//    host a message it turns into a host fault.
template <class E>
struct Failure {
  E error;
};

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure<E> failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& operator*() { return *std::get_if<0>(&state_); }
  T* operator->() { return std::get_if<0>(&state_); }
  E& error() { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(Failure<E> failure) : error_(std::move(failure.error)) {}

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  E& error() { return *error_; }

 private:
  std::optional<E> error_;
};

// 2. A range sent to the global tier: a view of the local bytes, valid during the store call.
struct Range {
  std::size_t offset = 0;
  std::span<const std::uint8_t> bytes;
};

// What a pull brought back: the global value's size, and the bytes asked for that it has.
struct StoredRange {
  std::size_t size = 0;
  std::vector<std::uint8_t> bytes;
};

inline constexpr std::size_t kToEnd = std::numeric_limits<std::size_t>::max();

// 3. A global tier. Every call may fail with an Error, which the tier hands back unchanged.
//   fault(message)        the Error of a fault of the tier's own (a host fault, BadState...)
//   size(key)             the value's size, 0 when the key has none
//   pull(key, off, len)   [off, off + len) clipped to the value (len kToEnd: to its end), nullopt when the key has
//                         no value; an offset past the value's end is an empty range, not an error
//   push(key, size, r)    the value becomes exactly size bytes, its old bytes cut or zero-extended, then r written
//   push_partial(...)     the value grows with zeros to at least size, r is written; returns the whole new value
template <class S>
concept GlobalStore = requires(S& store, std::string_view key, std::size_t n, const std::vector<Range>& ranges,
                               std::string message) {
  typename S::Error;
  { store.fault(std::move(message)) } -> std::same_as<typename S::Error>;
  { store.size(key) } -> std::same_as<Result<std::size_t, typename S::Error>>;
  { store.pull(key, n, n) } -> std::same_as<Result<std::optional<StoredRange>, typename S::Error>>;
  { store.push(key, n, ranges) } -> std::same_as<Result<void, typename S::Error>>;
  { store.push_partial(key, n, ranges) } -> std::same_as<Result<std::vector<std::uint8_t>, typename S::Error>>;
};

struct NoMutex {
  void lock() {}
  void unlock() {}
};

// 4.
struct LocalValue {
  explicit LocalValue(std::size_t n)
      : size(n), data(std::make_unique<std::uint8_t[]>(n)), dirty_mask(n, 0), pulled_mask(n, 0) {}

  std::size_t size;
  std::unique_ptr<std::uint8_t[]> data;  // allocated once: read_state_ptr hands out pointers into it
  std::vector<std::uint8_t> dirty_mask;
  std::vector<std::uint8_t> pulled_mask;
  bool dirty = false;
};

// 5. Sizes, offsets and lengths arrive as the ABI's signed numbers, so that a fault names what was asked.
//    A read hands its bytes to `sink` (a callable taking std::span<std::uint8_t>) while it holds the key.
template <GlobalStore Store, class Mutex = NoMutex>
class LocalTier {
 public:
  using Error = typename Store::Error;
  template <class T>
  using Outcome = Result<T, Error>;

  explicit LocalTier(Store& store) : store_(store) {}
  LocalTier(const LocalTier&) = delete;
  LocalTier& operator=(const LocalTier&) = delete;

  Outcome<std::size_t> size(std::string_view key) {
    if (Slot* slot = find(key)) {
      return slot->value.size;  // fixed at creation, so read without the key's mutex
    }
    return store_.size(key);
  }

  // The whole local value (Faasm's read_state copies the value's size, not the buffer's).
  template <class Sink>
  Outcome<void> read(std::string_view key, std::int64_t length, Sink&& sink) {
    auto slot = sized(key, length);
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    if (static_cast<std::int64_t>(value.size) > length) {
      return fault(
          "bufferTooSmall",
          {{"key", std::string(key)}, {"length", std::to_string(length)}, {"size", std::to_string(value.size)}});
    }
    if (auto pulled = pull_lazily(key, value, 0, value.size); !pulled) return pulled;
    sink(std::span<std::uint8_t>(value.data.get(), value.size));
    return {};
  }

  template <class Sink>
  Outcome<void> read_range(std::string_view key, std::int64_t total, std::int64_t offset, std::int64_t length,
                           Sink&& sink) {
    return at_chunk(key, total, offset, length, [&](LocalValue& value, std::size_t at, std::size_t n) -> Outcome<void> {
      if (auto pulled = pull_lazily(key, value, at, n); !pulled) return pulled;
      sink(std::span<std::uint8_t>(value.data.get() + at, n));
      return {};
    });
  }

  Outcome<void> write(std::string_view key, std::span<const std::uint8_t> bytes) {
    auto slot = sized(key, static_cast<std::int64_t>(bytes.size()));
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    if (value.size != bytes.size()) {
      return fault(
          "sizeMismatch",
          {{"key", std::string(key)}, {"length", std::to_string(bytes.size())}, {"size", std::to_string(value.size)}});
    }
    std::copy(bytes.begin(), bytes.end(), value.data.get());
    std::fill(value.pulled_mask.begin(), value.pulled_mask.end(), std::uint8_t{1});
    mark_dirty(value, 0, value.size);
    return {};
  }

  Outcome<void> write_range(std::string_view key, std::int64_t total, std::int64_t offset,
                            std::span<const std::uint8_t> bytes) {
    return at_chunk(key, total, offset, static_cast<std::int64_t>(bytes.size()),
                    [&](LocalValue& value, std::size_t at, std::size_t n) -> Outcome<void> {
                      std::copy(bytes.begin(), bytes.end(), value.data.get() + at);
                      mark_dirty(value, at, n);
                      return {};
                    });
  }

  // Bytes a guest changed through a mapped copy (the cluster's workers keep theirs in guest memory).
  Outcome<void> publish(std::string_view key, std::int64_t total, std::int64_t offset,
                        std::span<const std::uint8_t> bytes) {
    return at_chunk(key, total, offset, static_cast<std::int64_t>(bytes.size()),
                    [&](LocalValue& value, std::size_t at, std::size_t) -> Outcome<void> {
                      std::copy(bytes.begin(), bytes.end(), value.data.get() + at);
                      return {};
                    });
  }

  Outcome<void> flag_dirty(std::string_view key, std::int64_t total, std::int64_t offset, std::int64_t length) {
    return at_chunk(key, total, offset, length, [&](LocalValue& value, std::size_t at, std::size_t n) -> Outcome<void> {
      mark_dirty(value, at, n);
      return {};
    });
  }

  Outcome<void> push(std::string_view key) {
    auto slot = existing(key);
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    if (!value.dirty) return {};
    std::vector<std::uint8_t> known(value.size);
    for (std::size_t i = 0; i < value.size; i++) {
      known[i] = value.pulled_mask[i] | value.dirty_mask[i];
    }
    // Nothing writes the key while its mutex is held, so the marks stay until the store took the value.
    if (auto pushed = store_.push(key, value.size, ranges_of(value, known)); !pushed) return pushed;
    clear_dirty(value);
    return {};
  }

  Outcome<void> push_partial(std::string_view key) {
    auto slot = existing(key);
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    if (!value.dirty) return {};
    return send_partial(key, value, ranges_of(value, value.dirty_mask));
  }

  Outcome<void> push_partial_mask(std::string_view key, std::string_view mask_key) {
    auto slot = existing(key);
    if (!slot) return pass(slot);
    auto mask_slot = existing(mask_key);
    if (!mask_slot) return pass(mask_slot);
    LocalValue& value = (*slot)->value;
    LocalValue& mask = (*mask_slot)->value;
    if (mask.size != value.size) {
      return fault("maskSize", {{"key", std::string(key)},
                                {"maskKey", std::string(mask_key)},
                                {"maskSize", std::to_string(mask.size)},
                                {"size", std::to_string(value.size)}});
    }
    Guard guard((*slot)->mutex, (*mask_slot)->mutex);
    if (!value.dirty) return {};
    const std::vector<std::uint8_t> bits(mask.data.get(), mask.data.get() + mask.size);
    if (auto sent = send_partial(key, value, ranges_of(value, bits)); !sent) return sent;
    std::fill_n(mask.data.get(), mask.size, std::uint8_t{0});
    return {};
  }

  Outcome<void> pull(std::string_view key, std::int64_t length) {
    auto slot = sized(key, length);
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    auto stored = store_.pull(key, 0, kToEnd);
    if (!stored) return pass(stored);
    if (!stored->has_value()) return {};
    const StoredRange& whole = **stored;
    if (whole.size > value.size) return too_big(key, whole.size, value.size);
    std::copy(whole.bytes.begin(), whole.bytes.end(), value.data.get());
    std::fill(value.pulled_mask.begin(), value.pulled_mask.end(), std::uint8_t{1});
    clear_dirty(value);
    return {};
  }

  // Calls inspect(const LocalValue&) with the key's local value, if the host has one; says whether it had.
  template <class Inspect>
  bool visit(std::string_view key, Inspect&& inspect) {
    Slot* slot = find(key);
    if (slot == nullptr) return false;
    Guard guard(slot->mutex);
    inspect(static_cast<const LocalValue&>(slot->value));
    return true;
  }

 private:
  struct Slot {
    explicit Slot(std::size_t size) : value(size) {}
    LocalValue value;
    Mutex mutex;  // held by a call on the key, across its calls to the store
  };

  // Holds one mutex, or two in address order, so that calls holding each other's keys cannot deadlock.
  class Guard {
   public:
    explicit Guard(Mutex& only) : first_(&only) { first_->lock(); }
    Guard(Mutex& a, Mutex& b) {
      if (&a == &b) {
        first_ = &a;
      } else {
        const bool a_first = std::less<Mutex*>()(&a, &b);
        first_ = a_first ? &a : &b;
        second_ = a_first ? &b : &a;
      }
      first_->lock();
      if (second_ != nullptr) second_->lock();
    }
    ~Guard() {
      if (second_ != nullptr) second_->unlock();
      first_->unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    Mutex* first_ = nullptr;
    Mutex* second_ = nullptr;
  };

  template <class R>
  static Failure<Error> pass(R& failed) {
    return {std::move(failed.error())};
  }

  Failure<Error> fault(std::string_view kind, std::initializer_list<std::pair<std::string_view, std::string>> fields) {
    return {store_.fault(fault_message(kind, fields))};
  }

  Failure<Error> too_big(std::string_view key, std::size_t global_size, std::size_t size) {
    return fault(
        "globalTooBig",
        {{"key", std::string(key)}, {"globalSize", std::to_string(global_size)}, {"size", std::to_string(size)}});
  }

  // Slots are never erased and std::map never moves its nodes, so a Slot* stays valid once the map's mutex
  // is released.
  Slot* find(std::string_view key) {
    Guard guard(values_mutex_);
    const auto found = values_.find(key);
    return found == values_.end() ? nullptr : &found->second;
  }

  Outcome<Slot*> sized(std::string_view key, std::int64_t size) {
    Guard guard(values_mutex_);
    const auto found = values_.find(key);
    if (found != values_.end()) return &found->second;
    if (size <= 0) return fault("needsSize", {{"key", std::string(key)}, {"size", std::to_string(size)}});
    return &values_.try_emplace(std::string(key), static_cast<std::size_t>(size)).first->second;
  }

  Outcome<Slot*> existing(std::string_view key) {
    if (Slot* slot = find(key)) return slot;
    return fault("noLocalValue", {{"key", std::string(key)}});
  }

  // The key sized by `total`, its mutex held, [offset, offset + length) checked against the local size.
  template <class Apply>
  Outcome<void> at_chunk(std::string_view key, std::int64_t total, std::int64_t offset, std::int64_t length,
                         Apply&& apply) {
    auto slot = sized(key, total);
    if (!slot) return pass(slot);
    Guard guard((*slot)->mutex);
    LocalValue& value = (*slot)->value;
    const auto size = static_cast<std::int64_t>(value.size);
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      return fault("outsideValue", {{"key", std::string(key)},
                                    {"offset", std::to_string(offset)},
                                    {"length", std::to_string(length)},
                                    {"size", std::to_string(value.size)}});
    }
    return apply(value, static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
  }

  static void mark_dirty(LocalValue& value, std::size_t offset, std::size_t length) {
    std::fill_n(value.dirty_mask.begin() + static_cast<std::ptrdiff_t>(offset), length, std::uint8_t{1});
    value.dirty = true;
  }

  static void clear_dirty(LocalValue& value) {
    std::fill(value.dirty_mask.begin(), value.dirty_mask.end(), std::uint8_t{0});
    value.dirty = false;
  }

  // The runs of non-zero mask bytes, as views of the value's bytes.
  static std::vector<Range> ranges_of(const LocalValue& value, const std::vector<std::uint8_t>& mask) {
    std::vector<Range> ranges;
    for (std::size_t i = 0; i < value.size;) {
      if (mask[i] == 0) {
        i++;
        continue;
      }
      const std::size_t start = i;
      while (i < value.size && mask[i] != 0) i++;
      ranges.push_back({start, std::span<const std::uint8_t>(value.data.get() + start, i - start)});
    }
    return ranges;
  }

  // Pulls the bytes of [offset, offset + length) never pulled and not written here, from the first of them.
  Outcome<void> pull_lazily(std::string_view key, LocalValue& value, std::size_t offset, std::size_t length) {
    auto wanted = [&](std::size_t i) { return value.pulled_mask[i] == 0 && value.dirty_mask[i] == 0; };
    const std::size_t end = offset + length;
    std::size_t first = offset;
    while (first < end && !wanted(first)) first++;
    if (first < end) {
      auto stored = store_.pull(key, first, end - first);
      if (!stored) return pass(stored);
      if (stored->has_value()) {
        const StoredRange& chunk = **stored;
        if (chunk.size > value.size) return too_big(key, chunk.size, value.size);
        for (std::size_t i = first; i < end && i - first < chunk.bytes.size(); i++) {
          if (wanted(i)) value.data[i] = chunk.bytes[i - first];
        }
      }
    }
    std::fill_n(value.pulled_mask.begin() + static_cast<std::ptrdiff_t>(offset), length, std::uint8_t{1});
    return {};
  }

  // The marks go only once the store took the ranges (see push).
  Outcome<void> send_partial(std::string_view key, LocalValue& value, const std::vector<Range>& ranges) {
    auto stored = store_.push_partial(key, value.size, ranges);
    if (!stored) return pass(stored);
    clear_dirty(value);
    std::copy_n(stored->begin(), std::min(value.size, stored->size()), value.data.get());
    std::fill(value.pulled_mask.begin(), value.pulled_mask.end(), std::uint8_t{1});
    return {};
  }

  Store& store_;
  Mutex values_mutex_;
  std::map<std::string, Slot, std::less<>> values_;
};

}  // namespace faasmjs::detail::local_tier

#endif  // FAASMJS_DETAIL_LOCAL_TIER_HPP
