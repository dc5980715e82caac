// The cluster host's local tier over a real durable store, recording what it asks of the store: the cases of
// the browser's local tier (tests/js/runtime/host.test.mjs, "state values"), and the rules of sizes.
#include "state/host_tier.h"

#include <doctest/doctest.h>

#include <thread>

#include "state_fixture.hpp"

using namespace faasmjs::gateway;
using faasmjs::gateway::state::GlobalStore;
using faasmjs::gateway::state::HostTier;
using faasmjs::gateway::state::kToEnd;
using faasmjs::gateway::state::Range;
using faasmjs::gateway::state::StoredRange;
using faasmjs::gateway::testing::Bytes;
using faasmjs::gateway::testing::bytes;

namespace {

// A store that forwards to a real one and keeps what the host tier asked of it.
class RecordingStore final : public GlobalStore {
 public:
  explicit RecordingStore(GlobalStore& real) : real_(real) {}

  struct Pull {
    std::string key;
    std::uint32_t offset;
    std::uint32_t length;
  };
  struct Push {
    std::string key;
    std::uint32_t size;
    std::vector<Range> ranges;
    bool partial;
  };

  Expected<std::uint32_t> size(std::string_view key) const override { return real_.size(key); }
  Expected<std::optional<StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                            std::uint32_t length) const override {
    pulls.push_back({std::string(key), offset, length});
    if (refuse_pulls) return fail(ErrorCode::BadState, "state key holds an append log (test)");
    return real_.pull(key, offset, length);
  }
  Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    pushes.push_back({std::string(key), size, ranges, false});
    if (fail_next) return fail_once();
    return real_.push(key, size, ranges);
  }
  Expected<Bytes> push_partial(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    pushes.push_back({std::string(key), size, ranges, true});
    if (fail_next) return std::unexpected(fail_once().error());
    return real_.push_partial(key, size, ranges);
  }
  Expected<void> set(std::string_view key, Bytes value) override { return real_.set(key, std::move(value)); }
  Expected<void> append(std::string_view key, Bytes element) override { return real_.append(key, std::move(element)); }
  Expected<std::vector<Bytes>> read_appended(std::string_view key, std::uint32_t count) const override {
    return real_.read_appended(key, count);
  }
  Expected<void> clear_appended(std::string_view key) override { return real_.clear_appended(key); }
  Expected<std::vector<std::string>> keys(std::string_view prefix) const override { return real_.keys(prefix); }
  bool can_list_keys() const override { return real_.can_list_keys(); }

  Bytes value(std::string_view key) const {
    auto pulled = real_.pull(key, 0, kToEnd);
    REQUIRE(pulled.has_value());
    return pulled->has_value() ? (*pulled)->bytes : Bytes();
  }

  mutable std::vector<Pull> pulls;
  std::vector<Push> pushes;
  bool fail_next = false;
  bool refuse_pulls = false;

 private:
  Expected<void> fail_once() {
    fail_next = false;
    return fail(ErrorCode::Internal, "cannot write the disk (test)");
  }
  GlobalStore& real_;
};

struct TierFixture : testing::TempDirFixture {
  TierFixture() : real(open_store()), store(*real), tier(HostTier::create(store)) {}

  Bytes read(std::string_view key, std::uint32_t length) {
    auto value = tier->read(key, length);
    if (!value) FAIL(value.error().message);
    return *value;
  }
  Bytes read_range(std::string_view key, std::uint32_t total, std::uint32_t offset, std::uint32_t length) {
    auto value = tier->read_range(key, total, offset, length);
    if (!value) FAIL(value.error().message);
    return *value;
  }

  std::unique_ptr<GlobalStore> real;
  RecordingStore store;
  std::unique_ptr<HostTier> tier;
};

void check_bad_state(const Expected<void>& result, const std::string& fragment) {
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::BadState);
  CHECK_MESSAGE(result.error().message.find(fragment) != std::string::npos, result.error().message);
}

template <class T>
void check_bad_state(const Expected<T>& result, const std::string& fragment) {
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::BadState);
  CHECK_MESSAGE(result.error().message.find(fragment) != std::string::npos, result.error().message);
}

}  // namespace

TEST_SUITE("host_tier") {
  TEST_CASE_FIXTURE(TierFixture, "a missing key has size 0 and reads as zeros of the asked length") {
    CHECK(tier->size("u_missing") == 0);
    CHECK(read("u_missing", 4) == Bytes(4, 0));
    CHECK(tier->size("u_missing") == 4);
    CHECK(store.value("u_missing").empty());
  }

  TEST_CASE_FIXTURE(TierFixture, "reads pull lazily: once, then local and stale until a forced pull") {
    REQUIRE(store.set("u_k", bytes({1, 2, 3})).has_value());
    CHECK(tier->size("u_k") == 3);
    CHECK(read("u_k", 3) == bytes({1, 2, 3}));
    REQUIRE(store.set("u_k", bytes({7, 7, 7})).has_value());
    CHECK(read("u_k", 3) == bytes({1, 2, 3}));
    CHECK(store.pulls.size() == 1);
    REQUIRE(tier->pull("u_k", 3).has_value());
    CHECK(read("u_k", 3) == bytes({7, 7, 7}));
    CHECK(store.pulls.size() == 2);
  }

  TEST_CASE_FIXTURE(TierFixture,
                    "a local size is fixed by the first sized call; a larger buffer reads the local size") {
    REQUIRE(store.set("u_k", bytes({1, 2})).has_value());
    CHECK(read("u_k", 4) == bytes({1, 2, 0, 0}));
    CHECK(tier->size("u_k") == 4);
    CHECK(read("u_k", 10) == bytes({1, 2, 0, 0}));
    check_bad_state(tier->read("u_k", 3), "buffer of 3 bytes is smaller than the 4 bytes of state key 'u_k'");
    check_bad_state(tier->write("u_k", bytes({1, 2, 3})), "'u_k' has 4 bytes on this host; a value of 3 bytes");
    check_bad_state(tier->pull("u_new", 0), "'u_new' needs a positive size, got 0");
    check_bad_state(tier->read("u_new", 0), "needs a positive size");
    check_bad_state(tier->push("u_never"), "'u_never' has no value on this host");
    check_bad_state(tier->push_partial("u_never"), "has no value on this host");
    CHECK(read("u_k", 4) == bytes({1, 2, 0, 0}));
  }

  TEST_CASE_FIXTURE(TierFixture, "a global value larger than the local one is BadState, not an overflow") {
    CHECK(read("u_k", 2) == Bytes(2, 0));
    REQUIRE(store.set("u_k", bytes({1, 2, 3})).has_value());
    check_bad_state(tier->pull("u_k", 2), "has 3 bytes, more than its 2 bytes on this host");
    CHECK(read("u_k", 2) == Bytes(2, 0));
  }

  TEST_CASE_FIXTURE(TierFixture, "writes are local and dirty; a push sends only when dirty") {
    REQUIRE(tier->write("u_w", bytes({4, 5})).has_value());
    CHECK(store.size("u_w") == 0);
    REQUIRE(tier->push("u_w").has_value());
    CHECK(store.value("u_w") == bytes({4, 5}));
    REQUIRE(tier->push("u_w").has_value());
    CHECK(store.pushes.size() == 1);
    CHECK(store.pulls.empty());
  }

  TEST_CASE_FIXTURE(TierFixture, "a failed push keeps the key dirty, so that it can be repeated") {
    REQUIRE(tier->write("u_w", bytes({4, 5})).has_value());
    store.fail_next = true;
    auto failed = tier->push("u_w");
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == ErrorCode::Internal);
    REQUIRE(tier->push("u_w").has_value());
    CHECK(store.value("u_w") == bytes({4, 5}));
    REQUIRE(tier->write_range("u_w", 2, 1, bytes({6})).has_value());
    store.fail_next = true;
    REQUIRE_FALSE(tier->push_partial("u_w").has_value());
    REQUIRE(tier->push_partial("u_w").has_value());
    CHECK(store.value("u_w") == bytes({4, 6}));
  }

  TEST_CASE_FIXTURE(TierFixture, "a failed masked push keeps the dirty marks and the mask") {
    REQUIRE(tier->write("u_v", bytes({1, 2, 3, 4})).has_value());
    REQUIRE(tier->push("u_v").has_value());
    REQUIRE(tier->write("u_v", bytes({9, 9, 9, 9})).has_value());
    REQUIRE(tier->write("u_mask", bytes({0, 1, 0, 1})).has_value());
    store.fail_next = true;
    auto failed = tier->push_partial_mask("u_v", "u_mask");
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == ErrorCode::Internal);
    CHECK(read("u_mask", 4) == bytes({0, 1, 0, 1}));
    CHECK(store.value("u_v") == bytes({1, 2, 3, 4}));
    REQUIRE(tier->push_partial_mask("u_v", "u_mask").has_value());
    CHECK(store.value("u_v") == bytes({1, 9, 3, 9}));
    CHECK(read("u_mask", 4) == Bytes(4, 0));
  }

  TEST_CASE_FIXTURE(TierFixture, "a full push keeps the global bytes of ranges this host never pulled") {
    REQUIRE(store.set("u_k", bytes({1, 2, 3, 4, 5, 6})).has_value());
    REQUIRE(tier->write_range("u_k", 6, 0, bytes({9})).has_value());
    CHECK(read_range("u_k", 6, 4, 1) == bytes({5}));
    REQUIRE(store.set("u_k", bytes({11, 12, 13, 14, 15, 16})).has_value());
    REQUIRE(tier->push("u_k").has_value());
    REQUIRE(store.pushes.size() == 1);
    const auto& sent = store.pushes[0].ranges;
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].offset == 0);
    CHECK(sent[0].bytes == bytes({9}));
    CHECK(sent[1].offset == 4);
    CHECK(sent[1].bytes == bytes({5}));
    CHECK(store.value("u_k") == bytes({9, 12, 13, 14, 5, 16}));
  }

  TEST_CASE_FIXTURE(TierFixture, "offsets: only the chunk is pulled; a partial push sends dirty ranges and refreshes") {
    REQUIRE(store.set("u_o", bytes({0, 1, 2, 3, 4, 5, 6})).has_value());
    CHECK(read_range("u_o", 7, 1, 2) == bytes({1, 2}));
    REQUIRE(store.pulls.size() == 1);
    CHECK(store.pulls[0].offset == 1);
    CHECK(store.pulls[0].length == 2);
    CHECK(read_range("u_o", 7, 1, 2) == bytes({1, 2}));
    CHECK(store.pulls.size() == 1);
    REQUIRE(tier->write_range("u_o", 7, 0, bytes({5, 5, 5})).has_value());
    REQUIRE(tier->write_range("u_o", 7, 2, bytes({6, 6})).has_value());
    REQUIRE(store.set("u_o", bytes({0, 1, 2, 3, 44, 55, 66})).has_value());
    REQUIRE(tier->push_partial("u_o").has_value());
    REQUIRE(store.pushes.size() == 1);
    CHECK(store.pushes[0].partial);
    REQUIRE(store.pushes[0].ranges.size() == 1);
    CHECK(store.pushes[0].ranges[0].offset == 0);
    CHECK(store.pushes[0].ranges[0].bytes == bytes({5, 5, 6, 6}));
    CHECK(store.value("u_o") == bytes({5, 5, 6, 6, 44, 55, 66}));
    const auto pulls_before = store.pulls.size();
    CHECK(read_range("u_o", 7, 0, 7) == bytes({5, 5, 6, 6, 44, 55, 66}));
    CHECK(store.pulls.size() == pulls_before);
    check_bad_state(tier->write_range("u_o", 7, 6, bytes({1, 1})), "chunk [6, +2) is outside the 7 bytes");
    check_bad_state(tier->read_range("u_o", 7, 8, 0), "chunk [8, +0)");
    check_bad_state(tier->read_range("u_o", 7, 1, 0xFFFFFFFFu), "is outside the 7 bytes");
    check_bad_state(tier->flag_dirty("u_o", 7, 7, 1), "is outside");
    check_bad_state(tier->publish("u_o", 7, 0xFFFFFFFFu, bytes({1})), "is outside");
  }

  TEST_CASE_FIXTURE(TierFixture, "a chunk beyond a shorter global value reads as zeros") {
    REQUIRE(store.set("u_k", bytes({1, 2})).has_value());
    CHECK(read_range("u_k", 6, 4, 2) == Bytes(2, 0));
    CHECK(read_range("u_k", 6, 0, 6) == bytes({1, 2, 0, 0, 0, 0}));
  }

  TEST_CASE_FIXTURE(TierFixture, "any other BadState of a pull is the read's error, and the bytes stay unpulled") {
    REQUIRE(store.set("u_k", bytes({1, 2, 3, 4})).has_value());
    store.refuse_pulls = true;
    check_bad_state(tier->read_range("u_k", 4, 1, 2), "holds an append log (test)");
    store.refuse_pulls = false;
    CHECK(read_range("u_k", 4, 1, 2) == bytes({2, 3}));
  }

  TEST_CASE_FIXTURE(TierFixture, "Faasm's state_offset demo: full push, offset writes, push, pull, offset read") {
    REQUIRE(tier->write("u_so", bytes({0, 1, 2, 3, 4, 5, 6})).has_value());
    REQUIRE(tier->push("u_so").has_value());
    REQUIRE(tier->write_range("u_so", 7, 0, bytes({5, 5, 5})).has_value());
    REQUIRE(tier->write_range("u_so", 7, 2, bytes({6, 6})).has_value());
    REQUIRE(tier->push("u_so").has_value());
    REQUIRE(tier->pull("u_so", 7).has_value());
    CHECK(read_range("u_so", 7, 0, 5) == bytes({5, 5, 6, 6, 4}));
    CHECK(store.value("u_so") == bytes({5, 5, 6, 6, 4, 5, 6}));
  }

  TEST_CASE_FIXTURE(TierFixture, "flag_dirty and push_partial_mask push what the mask selects, then clear the mask") {
    REQUIRE(tier->write("u_v", bytes({1, 2, 3, 4})).has_value());
    REQUIRE(tier->push("u_v").has_value());
    REQUIRE(tier->write("u_v", bytes({9, 9, 9, 9})).has_value());
    REQUIRE(tier->write("u_mask", bytes({0, 1, 0, 1})).has_value());
    REQUIRE(tier->push_partial_mask("u_v", "u_mask").has_value());
    CHECK(store.value("u_v") == bytes({1, 9, 3, 9}));
    CHECK(read("u_mask", 4) == Bytes(4, 0));
    CHECK(read("u_v", 4) == bytes({1, 9, 3, 9}));
    REQUIRE(tier->write("u_short", bytes({1})).has_value());
    check_bad_state(tier->push_partial_mask("u_v", "u_short"), "mask 'u_short' has 1 bytes, state key 'u_v' has 4");
    check_bad_state(tier->push_partial_mask("u_v", "u_nomask"), "'u_nomask' has no value on this host");
    // A clean value sends nothing and leaves the mask as it was.
    REQUIRE(tier->write("u_mask", bytes({1, 1, 1, 1})).has_value());
    const auto pushes = store.pushes.size();
    REQUIRE(tier->push_partial_mask("u_v", "u_mask").has_value());
    CHECK(store.pushes.size() == pushes);
    CHECK(read("u_mask", 4) == bytes({1, 1, 1, 1}));
    // Bytes published through a mapped pointer are not dirty until flagged.
    REQUIRE(tier->publish("u_v", 4, 1, bytes({7})).has_value());
    REQUIRE(tier->push("u_v").has_value());
    CHECK(store.value("u_v") == bytes({1, 9, 3, 9}));
    REQUIRE(tier->flag_dirty("u_v", 4, 1, 1).has_value());
    REQUIRE(tier->push_partial("u_v").has_value());
    CHECK(store.value("u_v") == bytes({1, 7, 3, 9}));
    REQUIRE(store.pushes.back().ranges.size() == 1);
    CHECK(store.pushes.back().ranges[0].offset == 1);
  }

  TEST_CASE_FIXTURE(TierFixture,
                    "a forced pull replaces the copy and forgets local writes; a missing key changes nothing") {
    REQUIRE(tier->write("u_k", bytes({1, 1})).has_value());
    REQUIRE(tier->pull("u_k", 2).has_value());
    CHECK(read("u_k", 2) == bytes({1, 1}));
    REQUIRE(tier->push("u_k").has_value());
    REQUIRE(store.set("u_k", bytes({3, 3})).has_value());
    REQUIRE(tier->write_range("u_k", 2, 0, bytes({8})).has_value());
    REQUIRE(tier->pull("u_k", 2).has_value());
    CHECK(read("u_k", 2) == bytes({3, 3}));
    const auto pushes = store.pushes.size();
    REQUIRE(tier->push("u_k").has_value());
    CHECK(store.pushes.size() == pushes);
    REQUIRE(tier->write("u_local", bytes({5})).has_value());
    REQUIRE(tier->pull("u_local", 1).has_value());
    CHECK(read("u_local", 1) == bytes({5}));
    REQUIRE(tier->push("u_local").has_value());
    CHECK(store.value("u_local") == bytes({5}));
  }

  TEST_CASE_FIXTURE(TierFixture, "calls on many threads to one key and to several keep every write") {
    constexpr int kThreads = 6;
    constexpr std::uint32_t kSize = 6 * 50;
    std::vector<std::thread> threads;
    std::atomic<int> failures = 0;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (std::uint32_t i = 0; i < 50; ++i) {
          const std::uint32_t at = static_cast<std::uint32_t>(t) * 50 + i;
          if (!tier->write_range("u_shared", kSize, at, bytes({t + 1}))) ++failures;
          if (!tier->push_partial("u_shared")) ++failures;
          if (!tier->read_range("u_shared", kSize, 0, kSize)) ++failures;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    const Bytes value = store.value("u_shared");
    REQUIRE(value.size() == kSize);
    for (std::uint32_t i = 0; i < kSize; ++i) CHECK(value[i] == i / 50 + 1);
  }
}
