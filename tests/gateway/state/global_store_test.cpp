// The durable global store, against its files on disk: every acknowledged write survives a reopen, a torn
// append tail is dropped, anything else unreadable stops the open with the file's name, and a request out of
// range changes nothing, in memory or on disk.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "state_fixture.hpp"

namespace fs = std::filesystem;
using namespace faasmjs::gateway;
using faasmjs::gateway::state::GlobalStore;
using faasmjs::gateway::state::kToEnd;
using faasmjs::gateway::state::Range;
using faasmjs::gateway::testing::Bytes;
using faasmjs::gateway::testing::bytes;
using faasmjs::gateway::testing::file_bytes;
using faasmjs::gateway::testing::text;
using faasmjs::gateway::testing::write_bytes;

namespace {

// The file name the store documents for keys of up to 100 bytes.
std::string stem(std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "k";
  for (const unsigned char c : key) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Bytes value_of(const GlobalStore& store, std::string_view key) {
  auto pulled = store.pull(key, 0, kToEnd);
  REQUIRE(pulled.has_value());
  REQUIRE(pulled->has_value());
  CHECK((*pulled)->size == (*pulled)->bytes.size());
  return (*pulled)->bytes;
}

Bytes u32(std::uint32_t v) { return bytes({int(v & 255), int((v >> 8) & 255), int((v >> 16) & 255), int(v >> 24)}); }

Bytes pattern(std::size_t size, unsigned seed) {
  Bytes out(size);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return out;
}

struct StoreFixture : testing::TempDirFixture {
  fs::path value_file(std::string_view key) const { return dir / "values" / (stem(key) + ".value"); }
  fs::path patch_file(std::string_view key) const { return dir / "values" / (stem(key) + ".patch"); }
  fs::path log_file(std::string_view key) const { return dir / "logs" / (stem(key) + ".log"); }

  // The open fails with Internal, naming `culprit`.
  void check_refused(const fs::path& culprit) {
    auto store = GlobalStore::open(dir);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::Internal);
    CHECK_MESSAGE(store.error().message.find(culprit.string()) != std::string::npos, store.error().message);
    CHECK(store.error().message.find('\n') == std::string::npos);
  }
};

}  // namespace

TEST_SUITE("global_store") {
  TEST_CASE_FIXTURE(StoreFixture, "a missing key has no value, no size and an empty log") {
    auto store = open_store();
    CHECK(store->size("u_none") == 0);
    auto pulled = store->pull("u_none", 0, kToEnd);
    REQUIRE(pulled.has_value());
    CHECK_FALSE(pulled->has_value());
    CHECK(store->read_appended("u_none", 10)->empty());
    CHECK(store->keys("")->empty());
    CHECK(store->clear_appended("u_none").has_value());
  }

  TEST_CASE_FIXTURE(StoreFixture, "values of any key survive a reopen, keys listed sorted by prefix") {
    const std::string binary_key("u_a\0/..\n\xff", 9);
    const std::string long_key = "u_" + std::string(300, 'x');
    {
      auto store = open_store();
      REQUIRE(store->set("u_b", text("bee")).has_value());
      REQUIRE(store->set(binary_key, bytes({1, 2, 3})).has_value());
      REQUIRE(store->set(long_key, text("long")).has_value());
      REQUIRE(store->set("v_other", text("other")).has_value());
      REQUIRE(store->set("u_empty", {}).has_value());
      REQUIRE(store->append("u_onlylog", text("e")).has_value());
    }
    auto store = open_store();
    CHECK(value_of(*store, "u_b") == text("bee"));
    CHECK(value_of(*store, binary_key) == bytes({1, 2, 3}));
    CHECK(value_of(*store, long_key) == text("long"));
    CHECK(value_of(*store, "u_empty").empty());
    CHECK(store->keys("u_") == std::vector<std::string>{binary_key, "u_b", "u_empty", long_key});
    CHECK(store->keys("v") == std::vector<std::string>{"v_other"});
    CHECK(store->keys("w")->empty());
  }

  TEST_CASE_FIXTURE(StoreFixture, "pull answers a clipped range and refuses an offset beyond the value") {
    auto store = open_store();
    REQUIRE(store->set("u_k", bytes({0, 1, 2, 3, 4})).has_value());
    auto middle = store->pull("u_k", 1, 2);
    REQUIRE(middle.has_value());
    CHECK((*middle)->size == 5);
    CHECK((*middle)->bytes == bytes({1, 2}));
    CHECK((*store->pull("u_k", 3, 100))->bytes == bytes({3, 4}));
    CHECK((*store->pull("u_k", 2, kToEnd))->bytes == bytes({2, 3, 4}));
    CHECK((*store->pull("u_k", 4, 0xFFFFFFF0u))->bytes == bytes({4}));
    CHECK((*store->pull("u_k", 5, 1))->bytes.empty());
    auto beyond = store->pull("u_k", 6, 1);
    REQUIRE_FALSE(beyond.has_value());
    CHECK(beyond.error().code == ErrorCode::BadState);
    CHECK(beyond.error().message.find("'u_k'") != std::string::npos);
  }

  TEST_CASE_FIXTURE(StoreFixture, "a full push cuts or zero-extends and keeps the bytes it does not send") {
    auto store = open_store();
    REQUIRE(store->push("u_k", 4, {Range{1, bytes({9})}}).has_value());
    CHECK(value_of(*store, "u_k") == bytes({0, 9, 0, 0}));
    REQUIRE(store->push("u_k", 6, {Range{4, bytes({7, 7})}}).has_value());
    CHECK(value_of(*store, "u_k") == bytes({0, 9, 0, 0, 7, 7}));
    REQUIRE(store->push("u_k", 2, {}).has_value());
    CHECK(value_of(*store, "u_k") == bytes({0, 9}));
    REQUIRE(store->push("u_k", 3, {Range{0, bytes({1, 2, 3})}}).has_value());
    CHECK(value_of(*store, "u_k") == bytes({1, 2, 3}));
    store.reset();
    CHECK(value_of(*open_store(), "u_k") == bytes({1, 2, 3}));
  }

  TEST_CASE_FIXTURE(StoreFixture, "a partial push only grows and answers the whole new value") {
    auto store = open_store();
    auto first = store->push_partial("u_k", 3, {Range{2, bytes({5})}});
    REQUIRE(first.has_value());
    CHECK(*first == bytes({0, 0, 5}));
    auto second = store->push_partial("u_k", 1, {Range{0, bytes({8})}, Range{1, bytes({9})}});
    REQUIRE(second.has_value());
    CHECK(*second == bytes({8, 9, 5}));
    auto grown = store->push_partial("u_k", 5, {});
    REQUIRE(grown.has_value());
    CHECK(*grown == bytes({8, 9, 5, 0, 0}));
    store.reset();
    CHECK(value_of(*open_store(), "u_k") == bytes({8, 9, 5, 0, 0}));
  }

  TEST_CASE_FIXTURE(StoreFixture,
                    "a push with a range out of range is BadState and changes nothing, even after a reopen") {
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", bytes({1, 2, 3, 4})).has_value());
      auto full = store->push("u_k", 2, {Range{0, bytes({7})}, Range{1, bytes({8, 8})}});
      REQUIRE_FALSE(full.has_value());
      CHECK(full.error().code == ErrorCode::BadState);
      CHECK(full.error().message.find("'u_k'") != std::string::npos);
      auto partial = store->push_partial("u_k", 4, {Range{0, bytes({7})}, Range{0xFFFFFFFFu, bytes({1})}});
      REQUIRE_FALSE(partial.has_value());
      CHECK(partial.error().code == ErrorCode::BadState);
      auto fresh = store->push("u_new", 1, {Range{1, bytes({1})}});
      REQUIRE_FALSE(fresh.has_value());
      CHECK(value_of(*store, "u_k") == bytes({1, 2, 3, 4}));
      CHECK(store->size("u_new") == 0);
      CHECK(store->keys("") == std::vector<std::string>{"u_k"});
    }
    auto store = open_store();
    CHECK(value_of(*store, "u_k") == bytes({1, 2, 3, 4}));
    CHECK(store->keys("") == std::vector<std::string>{"u_k"});
  }

  TEST_CASE_FIXTURE(StoreFixture,
                    "a 64 MiB value: a small partial push is journalled, not a rewrite, and all of it survives") {
    constexpr std::uint32_t kSize = 64u << 20;
    const Bytes big = pattern(kSize, 1);
    {
      auto store = open_store();
      REQUIRE(store->push("u_big", kSize, {Range{0, big}}).has_value());
      CHECK(store->size("u_big") == kSize);
    }
    const auto value_size_on_disk = fs::file_size(value_file("u_big"));
    CHECK(value_size_on_disk > kSize);
    {
      auto store = open_store();
      CHECK(value_of(*store, "u_big") == big);
      auto pushed = store->push_partial("u_big", kSize, {Range{kSize - 3, bytes({1, 2, 3})}, Range{0, bytes({4})}});
      REQUIRE(pushed.has_value());
      CHECK(pushed->size() == kSize);
      REQUIRE(store->push("u_big", kSize, {Range{100, bytes({5, 5})}}).has_value());
      REQUIRE(store->push_partial("u_big", kSize + 2, {Range{kSize, bytes({6, 6})}}).has_value());
    }
    CHECK(fs::exists(patch_file("u_big")));
    CHECK(fs::file_size(patch_file("u_big")) < 1024);
    CHECK(fs::file_size(value_file("u_big")) == value_size_on_disk);
    Bytes expected = big;
    expected[kSize - 3] = 1;
    expected[kSize - 2] = 2;
    expected[kSize - 1] = 3;
    expected[0] = 4;
    expected[100] = expected[101] = 5;
    expected.push_back(6);
    expected.push_back(6);
    auto store = open_store();
    CHECK(value_of(*store, "u_big") == expected);
    // A set rewrites the value file and the patches go with the old one.
    REQUIRE(store->set("u_big", bytes({1})).has_value());
    CHECK_FALSE(fs::exists(patch_file("u_big")));
    store.reset();
    CHECK(value_of(*open_store(), "u_big") == bytes({1}));
  }

  TEST_CASE_FIXTURE(StoreFixture, "patches are compacted into the value file once they outgrow it") {
    auto store = open_store();
    REQUIRE(store->set("u_k", Bytes(1000, 0)).has_value());
    Bytes expected(1000, 0);
    bool saw_patch = false;
    bool saw_compaction = false;
    for (int i = 0; i < 400; ++i) {
      const std::uint32_t offset = static_cast<std::uint32_t>(i * 997 % 700);
      const Bytes chunk = pattern(300, static_cast<unsigned>(i));
      REQUIRE(store->push_partial("u_k", 1000, {Range{offset, chunk}}).has_value());
      std::copy(chunk.begin(), chunk.end(), expected.begin() + offset);
      const bool patched = fs::exists(patch_file("u_k"));
      saw_compaction = saw_compaction || (saw_patch && !patched);
      saw_patch = saw_patch || patched;
      if (patched) REQUIRE(fs::file_size(patch_file("u_k")) <= 64 * 1024);
    }
    CHECK(saw_patch);
    CHECK(saw_compaction);
    CHECK(value_of(*store, "u_k") == expected);
    store.reset();
    CHECK(value_of(*open_store(), "u_k") == expected);
  }

  TEST_CASE_FIXTURE(StoreFixture, "append logs survive a reopen, read the first n, and clear durably") {
    {
      auto store = open_store();
      REQUIRE(store->append("u_log", text("one")).has_value());
      REQUIRE(store->append("u_log", {}).has_value());
      REQUIRE(store->append("u_log", text("three")).has_value());
      REQUIRE(store->append("u_other", text("x")).has_value());
      CHECK(store->read_appended("u_log", 2) == std::vector<Bytes>{text("one"), {}});
      CHECK(store->size("u_log") == 0);
      CHECK(store->keys("")->empty());
    }
    {
      auto store = open_store();
      CHECK(store->read_appended("u_log", 10) == std::vector<Bytes>{text("one"), {}, text("three")});
      CHECK(store->read_appended("u_log", 0)->empty());
      REQUIRE(store->clear_appended("u_log").has_value());
      CHECK(store->read_appended("u_log", 10)->empty());
      REQUIRE(store->append("u_log", text("after")).has_value());
    }
    auto store = open_store();
    CHECK(store->read_appended("u_log", 10) == std::vector<Bytes>{text("after")});
    CHECK(store->read_appended("u_other", 10) == std::vector<Bytes>{text("x")});
  }

  TEST_CASE_FIXTURE(StoreFixture, "a torn append at the end of a log is dropped and cut off; later appends follow it") {
    {
      auto store = open_store();
      REQUIRE(store->append("u_log", text("kept")).has_value());
      REQUIRE(store->append("u_log", text("also")).has_value());
    }
    const auto whole = fs::file_size(log_file("u_log"));
    SUBCASE("a record cut in its bytes") {
      Bytes torn = u32(100);
      torn.resize(torn.size() + 10, 7);
      write_bytes(log_file("u_log"), torn, true);
    }
    SUBCASE("a record cut in its length") { write_bytes(log_file("u_log"), bytes({3, 0}), true); }
    {
      auto store = open_store();
      CHECK(store->read_appended("u_log", 10) == std::vector<Bytes>{text("kept"), text("also")});
      CHECK(fs::file_size(log_file("u_log")) == whole);
      REQUIRE(store->append("u_log", text("next")).has_value());
    }
    CHECK(open_store()->read_appended("u_log", 10) == std::vector<Bytes>{text("kept"), text("also"), text("next")});
  }

  TEST_CASE_FIXTURE(StoreFixture, "a torn patch at the end of a patch file is dropped; the patches before it hold") {
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", Bytes(100, 1)).has_value());
      REQUIRE(store->push_partial("u_k", 100, {Range{10, bytes({2, 2})}}).has_value());
    }
    REQUIRE(fs::exists(patch_file("u_k")));
    const auto whole = fs::file_size(patch_file("u_k"));
    Bytes torn = u32(30);
    torn.push_back(1);
    write_bytes(patch_file("u_k"), torn, true);
    {
      auto store = open_store();
      Bytes expected(100, 1);
      expected[10] = expected[11] = 2;
      CHECK(value_of(*store, "u_k") == expected);
      CHECK(fs::file_size(patch_file("u_k")) == whole);
      REQUIRE(store->push_partial("u_k", 100, {Range{99, bytes({3})}}).has_value());
    }
    CHECK(value_of(*open_store(), "u_k")[99] == 3);
  }

  TEST_CASE_FIXTURE(StoreFixture,
                    "a patch file older than its value file (a crash after a compaction) is not applied again") {
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", bytes({1, 1, 1})).has_value());
      REQUIRE(store->push_partial("u_k", 3, {Range{0, bytes({2})}}).has_value());
    }
    const Bytes stale = file_bytes(patch_file("u_k"));
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", bytes({5, 5, 5})).has_value());
    }
    write_bytes(patch_file("u_k"), stale);
    auto store = open_store();
    CHECK(value_of(*store, "u_k") == bytes({5, 5, 5}));
    CHECK_FALSE(fs::exists(patch_file("u_k")));
  }

  TEST_CASE_FIXTURE(StoreFixture, "a replacement that never finished leaves the old value") {
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", text("old")).has_value());
    }
    const fs::path temporary = value_file("u_k").string() + ".tmp";
    write_bytes(temporary, text("FJV1 half a new value"));
    auto store = open_store();
    CHECK(value_of(*store, "u_k") == text("old"));
    CHECK_FALSE(fs::exists(temporary));
  }

  TEST_CASE_FIXTURE(StoreFixture, "an unreadable file stops the open with an Internal error naming it") {
    {
      auto store = open_store();
      REQUIRE(store->set("u_k", text("value")).has_value());
      REQUIRE(store->push_partial("u_k", 5, {Range{0, text("V")}}).has_value());
      REQUIRE(store->append("u_log", text("element")).has_value());
    }
    const fs::path value = value_file("u_k");
    const fs::path patch = patch_file("u_k");
    const fs::path log = log_file("u_log");
    SUBCASE("a value file with another magic") {
      Bytes file = file_bytes(value);
      file[0] = 'X';
      write_bytes(value, file);
      check_refused(value);
    }
    SUBCASE("a value file cut short in its value") {
      fs::resize_file(value, fs::file_size(value) - 1);
      check_refused(value);
    }
    SUBCASE("a value file with bytes after its value") {
      write_bytes(value, bytes({0}), true);
      check_refused(value);
    }
    SUBCASE("a value file cut short in its header") {
      fs::resize_file(value, 6);
      check_refused(value);
    }
    SUBCASE("a value file under another key's name") {
      const fs::path moved = value.parent_path() / (stem("u_j") + ".value");
      fs::rename(value, moved);
      check_refused(moved);
    }
    SUBCASE("a patch file whose value file is gone") {
      fs::remove(value);
      check_refused(patch);
    }
    SUBCASE("a whole patch record that is not a change of the value") {
      Bytes file = file_bytes(patch);
      const std::size_t record = file.size() - (4 + 1 + 4 + 4 + 4 + 4 + 1);
      file[record + 4] = 9;  // the mode
      write_bytes(patch, file);
      check_refused(patch);
    }
    SUBCASE("a log file with another magic") {
      write_bytes(log, text("nonsense"));
      check_refused(log);
    }
    SUBCASE("a file the store does not make") {
      write_bytes(dir / "values" / "notes.txt", text("hello"));
      check_refused(dir / "values" / "notes.txt");
    }
  }

  TEST_CASE_FIXTURE(StoreFixture, "a store directory that cannot be made is an Internal error") {
    write_bytes(dir / "file", text("x"));
    auto store = GlobalStore::open(dir / "file");
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::Internal);
    CHECK(store.error().message.find((dir / "file").string()) != std::string::npos);
  }

  TEST_CASE_FIXTURE(StoreFixture, "many threads pushing and appending lose nothing, in memory or on disk") {
    constexpr int kThreads = 6;
    constexpr int kRounds = 20;
    {
      auto store = open_store();
      std::vector<std::thread> threads;
      std::atomic<int> failures = 0;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < kRounds; ++i) {
            const auto slot = static_cast<std::uint32_t>(t * kRounds + i);
            const Bytes mark = bytes({t + 1, i + 1});
            if (!store->push_partial("u_shared", 2 * kThreads * kRounds, {Range{2 * slot, mark}})) ++failures;
            if (!store->append("u_shared_log", mark)) ++failures;
            if (!store->append("u_log" + std::to_string(t), mark)) ++failures;
            if (!store->set("u_own" + std::to_string(t), mark)) ++failures;
            if (store->pull("u_shared", 0, kToEnd)->value().size != 2 * kThreads * kRounds) ++failures;
          }
        });
      }
      for (auto& thread : threads) thread.join();
      CHECK(failures == 0);
    }
    auto store = open_store();
    const Bytes shared = value_of(*store, "u_shared");
    REQUIRE(shared.size() == 2 * kThreads * kRounds);
    const auto log = store->read_appended("u_shared_log", 100000).value();
    CHECK(log.size() == kThreads * kRounds);
    for (int t = 0; t < kThreads; ++t) {
      CAPTURE(t);
      const auto own = store->read_appended("u_log" + std::to_string(t), 100000).value();
      REQUIRE(own.size() == kRounds);
      for (int i = 0; i < kRounds; ++i) {
        const Bytes mark = bytes({t + 1, i + 1});
        CHECK(own[i] == mark);
        CHECK(shared[2 * (t * kRounds + i)] == t + 1);
        CHECK(shared[2 * (t * kRounds + i) + 1] == i + 1);
        CHECK(std::count(log.begin(), log.end(), mark) == 1);
      }
      CHECK(value_of(*store, "u_own" + std::to_string(t)) == bytes({t + 1, kRounds}));
    }
  }
}
