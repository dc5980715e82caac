#include "faasm/upload_state_store.h"

#include <algorithm>

namespace faasmjs::gateway::faasm {

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view kNoSuchKey = "Must specify size for creating key-value";

std::string quote_key(std::string_view key) { return "'" + std::string(key) + "'"; }

std::unexpected<Error> needs_redis(std::string_view what, std::string_view key) {
  return fail(ErrorCode::BadState, std::string(what) + " of state key " + quote_key(key) +
                                       " needs Faasm's Redis state mode (this cluster runs "
                                       "STATE_MODE=inmemory, "
                                       "where only whole values reach Faasm, through its upload server)");
}

class UploadStateStore final : public state::GlobalStore {
 public:
  explicit UploadStateStore(std::shared_ptr<const UploadClient> upload) : upload_(std::move(upload)) {}

  Expected<std::uint32_t> size(std::string_view key) const override {
    auto value = get(key);
    if (!value) return std::unexpected(value.error());
    return *value ? static_cast<std::uint32_t>((*value)->size()) : 0;
  }

  Expected<std::optional<state::StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                                   std::uint32_t length) const override {
    auto value = get(key);
    if (!value) return std::unexpected(value.error());
    if (!*value) return std::optional<state::StoredRange>();
    const std::string& bytes = **value;
    if (offset > bytes.size()) {
      return fail(ErrorCode::BadState, "offset " + std::to_string(offset) + " is beyond the " +
                                           std::to_string(bytes.size()) + " bytes of state key " + quote_key(key));
    }
    const std::size_t end =
        length == state::kToEnd ? bytes.size() : std::min<std::size_t>(bytes.size(), std::size_t{offset} + length);
    return std::optional<state::StoredRange>(state::StoredRange{static_cast<std::uint32_t>(bytes.size()),
                                                                Bytes(bytes.begin() + offset, bytes.begin() + end)});
  }

  Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<state::Range>& ranges) override {
    // A whole value is one the ranges cover from its first byte to its last.
    Bytes value(size);
    std::vector<bool> covered(size, false);
    for (const auto& range : ranges) {
      if (std::uint64_t{range.offset} + range.bytes.size() > size) {
        return fail(ErrorCode::BadState, "range [" + std::to_string(range.offset) + ", +" +
                                             std::to_string(range.bytes.size()) + ") is outside the " +
                                             std::to_string(size) + " bytes of state key " + quote_key(key));
      }
      std::ranges::copy(range.bytes, value.begin() + range.offset);
      std::fill_n(covered.begin() + range.offset, range.bytes.size(), true);
    }
    if (std::ranges::find(covered, false) != covered.end()) {
      return needs_redis("a push that keeps or zero-extends bytes", key);
    }
    return set(key, std::move(value));
  }

  Expected<Bytes> push_partial(std::string_view key, std::uint32_t, const std::vector<state::Range>&) override {
    return needs_redis("a partial push", key);
  }

  Expected<void> set(std::string_view key, Bytes value) override {
    if (value.empty()) {
      return fail(ErrorCode::BadState, "an empty value for state key " + quote_key(key) +
                                           " cannot reach Faasm: its upload server ignores an empty PUT /s/ "
                                           "(STATE_MODE=inmemory has no other way in)");
    }
    auto names = split(key);
    if (!names) return std::unexpected(names.error());
    auto before = get(key);
    if (!before) return std::unexpected(before.error());
    if (*before && (*before)->size() != value.size()) return size_fixed(key, (*before)->size(), value.size());
    const std::string_view bytes(reinterpret_cast<const char*>(value.data()), value.size());
    if (auto put = upload_->putState(names->first, names->second, bytes); !put) return put;
    auto after = get(key);
    if (!after) return std::unexpected(after.error());
    if (!*after || **after != bytes) {
      return fail(ErrorCode::BadState, upload_->endpoint().describe() + " did not keep the " +
                                           std::to_string(value.size()) + " bytes written to state key " +
                                           quote_key(key) + ": it holds " +
                                           (*after ? std::to_string((*after)->size()) + " other bytes" : "no value") +
                                           " (a Faasm host fixes a key's size when it first creates it)");
    }
    return {};
  }

  Expected<void> append(std::string_view key, Bytes) override { return needs_redis("an append", key); }

  Expected<std::vector<Bytes>> read_appended(std::string_view key, std::uint32_t) const override {
    return needs_redis("reading the append log", key);
  }

  Expected<void> clear_appended(std::string_view key) override { return needs_redis("clearing the append log", key); }

  Expected<std::vector<std::string>> keys(std::string_view prefix) const override {
    return needs_redis("listing the keys", std::string(prefix) + "*");
  }

  bool can_list_keys() const override { return false; }

 private:
  // The store's keys are USER_KEY (users have no '_'); the upload server wants
  // them apart.
  static Expected<std::pair<std::string, std::string>> split(std::string_view key) {
    const auto underscore = key.find('_');
    if (underscore == std::string_view::npos) {
      return fail(ErrorCode::Internal, "state key " + quote_key(key) + " is not USER_KEY");
    }
    return std::pair{std::string(key.substr(0, underscore)), std::string(key.substr(underscore + 1))};
  }

  // The whole value, or nullopt when the key has none.
  Expected<std::optional<std::string>> get(std::string_view key) const {
    auto names = split(key);
    if (!names) return std::unexpected(names.error());
    auto value = upload_->getState(names->first, names->second);
    if (value) return std::optional<std::string>(std::move(*value));
    if (value.error().message.find(kNoSuchKey) != std::string::npos) return std::optional<std::string>();
    return std::unexpected(value.error());
  }

  static std::unexpected<Error> size_fixed(std::string_view key, std::size_t held, std::size_t wanted) {
    return fail(ErrorCode::BadState, "state key " + quote_key(key) + " is " + std::to_string(held) +
                                         " bytes on Faasm, which fixes a key's size when a host "
                                         "first creates it: a " +
                                         std::to_string(wanted) +
                                         "-byte value cannot replace it through the upload server "
                                         "(STATE_MODE=inmemory)");
  }

  std::shared_ptr<const UploadClient> upload_;
};

class InMemoryModeLocks final : public state::StateLocks {
 public:
  void lock(std::string_view key, bool exclusive, state::LockOwner, state::LockDone done,
            std::optional<std::chrono::steady_clock::time_point>, std::string) override {
    done(needs_redis(exclusive ? "a write lock" : "a read lock", key));
  }
  bool unlock(std::string_view, bool, state::LockOwner) override { return false; }
  std::size_t release_all(state::LockOwner) override { return 0; }
};

}  // namespace

std::unique_ptr<state::GlobalStore> make_upload_state_store(std::shared_ptr<const UploadClient> upload) {
  return std::make_unique<UploadStateStore>(std::move(upload));
}

std::unique_ptr<state::StateLocks> make_inmemory_mode_locks() { return std::make_unique<InMemoryModeLocks>(); }

}  // namespace faasmjs::gateway::faasm
