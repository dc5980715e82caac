// Typed state: whole values, arrays by ranges and mapped, append logs, locks, and the two tiers behind them.
#include <doctest/doctest.h>

#include <cstdint>
#include <faasmjs/state.hpp>
#include <string>
#include <vector>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::Errc;
using faasmjs::testing::HostFault;
namespace state = faasmjs::state;

namespace {

struct Settings {
  std::string mode;
  std::uint32_t replicas = 0;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(mode, replicas);
  }
  bool operator==(const Settings&) const = default;
};

std::vector<std::int32_t> ints(std::initializer_list<std::int32_t> values) { return values; }

Bytes raw(const std::vector<std::int32_t>& values) {
  const auto* begin = reinterpret_cast<const std::uint8_t*>(values.data());
  return Bytes(begin, begin + values.size() * sizeof(std::int32_t));
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE_FIXTURE(HostFixture, "a missing key: size 0, not_found, get_or falls back") {
    const state::Value<Settings> settings{"settings"};
    CHECK(*settings.size() == 0);
    CHECK_FALSE(*settings.exists());
    const auto value = settings.get();
    REQUIRE_FALSE(value);
    CHECK(value.error().code() == Errc::not_found);
    CHECK(value.error().message() == "state key 'settings' does not exist");
    CHECK(settings.get_or({"default", 1})->mode == "default");
    CHECK(settings.pull().error().code() == Errc::not_found);
    CHECK(host.warnings().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "set writes the local copy; push publishes it, only when dirty") {
    const state::Value<Settings> settings{"settings"};
    REQUIRE(settings.set({"fast", 3}).ok());
    CHECK(*settings.get() == Settings{"fast", 3});
    CHECK(host.local_dirty("settings"));
    CHECK_FALSE(host.global_value("settings").has_value());

    REQUIRE(settings.push().ok());
    CHECK(host.global_value("settings") == faasmjs::serialize(Settings{"fast", 3}));
    CHECK_FALSE(host.local_dirty("settings"));
    REQUIRE(settings.push().ok());
    CHECK(host.push_count("settings") == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "the first read on a host pulls lazily; later global changes need a pull") {
    host.set_global_value("counter", faasmjs::serialize(std::int64_t{5}));
    const state::Value<std::int64_t> counter{"counter"};
    CHECK(*counter.size() == 9);
    CHECK(*counter.get() == 5);
    host.set_global_value("counter", faasmjs::serialize(std::int64_t{6}));
    CHECK(*counter.get() == 5);
    REQUIRE(counter.pull().ok());
    CHECK(*counter.get() == 6);
  }

  TEST_CASE_FIXTURE(HostFixture, "another host sees a value only once it is pushed") {
    const state::Value<std::string> note{"note"};
    REQUIRE(note.set("draft").ok());
    host.move_to_new_host();
    CHECK(note.get().error().code() == Errc::not_found);
    host.move_to_new_host();
    REQUIRE(note.set("final").ok());
    REQUIRE(note.push().ok());
    host.move_to_new_host();
    CHECK(*note.get() == "final");
  }

  TEST_CASE_FIXTURE(HostFixture, "a value of another size, an empty value and bad keys are refused") {
    const state::Value<std::string> note{"note"};
    REQUIRE(note.set("four").ok());
    const auto longer = note.set("longer");
    REQUIRE_FALSE(longer);
    CHECK(longer.error().code() == Errc::size_mismatch);
    CHECK(longer.error().message() == "state key 'note' holds 4 bytes; the new value has 6");
    CHECK(*note.get() == "four");
    CHECK(note.set("").error().code() == Errc::invalid_argument);

    const state::Value<std::string> unnamed{""};
    CHECK(unnamed.get().error().code() == Errc::invalid_argument);
    CHECK(unnamed.set("x").error().message() == "state key is empty");
    CHECK(unnamed.push().error().code() == Errc::invalid_argument);
    const state::Value<std::string> with_nul{std::string_view("a\0b", 3)};
    CHECK(with_nul.size().error().code() == Errc::invalid_argument);
    CHECK(with_nul.lock_write().error().code() == Errc::invalid_argument);
  }

  TEST_CASE_FIXTURE(HostFixture, "stored bytes that are not a T are decode_failed") {
    host.set_global_value("settings", "garbage");
    const auto value = state::Value<Settings>{"settings"}.get();
    REQUIRE_FALSE(value);
    CHECK(value.error().code() == Errc::decode_failed);
    CHECK(value.error().message().find("state key 'settings': ") == 0);
    CHECK(state::Value<Settings>{"settings"}.get_or({}).error().code() == Errc::decode_failed);
  }

  TEST_CASE_FIXTURE(HostFixture, "pushing a key this host never touched is a host fault, as on Faasm") {
    host.set_global_value("elsewhere", "x");
    CHECK_THROWS_WITH_AS((void)state::Key{"elsewhere"}.push(),
                         "push_state: state key 'elsewhere' has no value on this host", HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "array: a missing key reads as zeros; whole writes check the element count") {
    const state::Array<std::int32_t> array{"array", 4};
    CHECK(array.count() == 4);
    CHECK(array.byte_size() == 16);
    CHECK(*array.read() == ints({0, 0, 0, 0}));
    REQUIRE(array.write(ints({1, 2, 3, 4})).ok());
    CHECK(*array.read() == ints({1, 2, 3, 4}));
    CHECK(array.write(ints({1, 2})).error().code() == Errc::invalid_argument);

    const state::Array<std::int32_t> wider{"array", 5};
    CHECK(wider.read().error().code() == Errc::size_mismatch);
    CHECK(wider.write(ints({1, 2, 3, 4, 5})).error().code() == Errc::size_mismatch);
    CHECK(state::Array<std::int32_t>{"array", 0}.read().error().code() == Errc::invalid_argument);
  }

  TEST_CASE_FIXTURE(HostFixture, "array ranges: bounds are checked before the host is asked") {
    const state::Array<std::int32_t> array{"array", 4};
    REQUIRE(array.write(ints({1, 2, 3, 4})).ok());
    CHECK(*array.read(1, 2) == ints({2, 3}));
    CHECK(array.read(4, 0)->empty());
    REQUIRE(array.write(2, ints({30, 40})).ok());
    CHECK(*array.read() == ints({1, 2, 30, 40}));
    const auto past = array.read(3, 2);
    REQUIRE_FALSE(past);
    CHECK(past.error().code() == Errc::out_of_range);
    CHECK(past.error().message() == "elements [3, 3+2) are outside state array 'array' of 4 x 4 bytes");
    CHECK(array.write(5, ints({1})).error().code() == Errc::out_of_range);
    CHECK(array.map(2, 3).error().code() == Errc::out_of_range);
    CHECK(array.flag_dirty(static_cast<std::size_t>(-1), 2).error().code() == Errc::out_of_range);
    CHECK(host.faults().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "push_partial sends only the dirty range and keeps the rest of the global value") {
    const state::Array<std::int32_t> array{"array", 4};
    REQUIRE(array.write(ints({1, 2, 3, 4})).ok());
    REQUIRE(array.push().ok());

    host.move_to_new_host();
    REQUIRE(array.write(1, ints({20})).ok());
    REQUIRE(array.push_partial().ok());
    CHECK(host.global_value("array") == raw(ints({1, 20, 3, 4})));
    // The partial push refreshed this host's copy from the global value.
    CHECK(*array.read() == ints({1, 20, 3, 4}));
  }

  TEST_CASE_FIXTURE(HostFixture, "a full push keeps global bytes this host never pulled") {
    host.set_global_value("array", raw(ints({1, 2, 3, 4})));
    const state::Array<std::int32_t> array{"array", 4};
    REQUIRE(array.write(0, ints({10})).ok());
    REQUIRE(array.push().ok());
    CHECK(host.global_value("array") == raw(ints({10, 2, 3, 4})));
  }

  TEST_CASE_FIXTURE(HostFixture, "a lazy range read never overwrites unpushed local writes") {
    host.set_global_value("array", raw(ints({1, 2, 3, 4})));
    const state::Array<std::int32_t> array{"array", 4};
    REQUIRE(array.write(1, ints({20})).ok());
    CHECK(*array.read(0, 3) == ints({1, 20, 3}));
  }

  TEST_CASE_FIXTURE(HostFixture, "map: writes through the view need flag_dirty before a push") {
    const state::Array<std::int32_t> array{"array", 4};
    REQUIRE(array.write(ints({1, 2, 3, 4})).ok());
    REQUIRE(array.push().ok());
    const auto whole = array.map();
    REQUIRE(whole.ok());
    CHECK(whole->size() == 4);
    const auto tail = array.map(2, 2);
    REQUIRE(tail.ok());
    CHECK(tail->data() == whole->data() + 2);
    CHECK(array.map()->data() == whole->data());

    (*tail)[1] = 400;
    REQUIRE(array.push().ok());
    CHECK(host.global_value("array") == raw(ints({1, 2, 3, 4})));
    REQUIRE(array.flag_dirty(3, 1).ok());
    REQUIRE(array.push_partial().ok());
    CHECK(host.global_value("array") == raw(ints({1, 2, 3, 400})));
    (*whole)[0] = 100;
    REQUIRE(array.flag_dirty().ok());
    REQUIRE(array.push().ok());
    CHECK(host.global_value("array") == raw(ints({100, 2, 3, 400})));
  }

  TEST_CASE_FIXTURE(HostFixture, "push_partial_mask sends what the mask key marks") {
    const state::Array<std::int32_t> array{"array", 2};
    const state::Array<std::uint8_t> mask{"array_mask", 8};
    REQUIRE(array.write(ints({1, 2})).ok());
    REQUIRE(array.push().ok());
    REQUIRE(array.write(ints({10, 20})).ok());
    REQUIRE(mask.write(std::vector<std::uint8_t>{0, 0, 0, 0, 1, 1, 1, 1}).ok());
    REQUIRE(array.push_partial_mask(mask).ok());
    CHECK(host.global_value("array") == raw(ints({1, 20})));
    CHECK(*mask.read() == std::vector<std::uint8_t>(8, 0));
    CHECK(array.push_partial_mask(state::Key{""}).error().code() == Errc::invalid_argument);
  }

  TEST_CASE_FIXTURE(HostFixture, "pull replaces unpushed local writes with the global value") {
    const state::Array<std::int32_t> array{"array", 2};
    REQUIRE(array.write(ints({1, 2})).ok());
    REQUIRE(array.push().ok());
    REQUIRE(array.write(ints({7, 7})).ok());
    REQUIRE(array.pull().ok());
    CHECK(*array.read() == ints({1, 2}));
    CHECK_FALSE(host.local_dirty("array"));
  }

  TEST_CASE_FIXTURE(HostFixture, "append log: elements in order, a short log reads zeros past its end, clear") {
    struct Event {
      std::uint32_t step;
      std::int32_t delta;
    };
    const state::AppendLog<Event> log{"log"};
    CHECK(log.read(0)->empty());
    REQUIRE(log.append(Event{1, 5}).ok());
    REQUIRE(log.append(std::vector<Event>{{2, -1}, {3, 4}}).ok());
    CHECK(host.global_appended("log").size() == 3);
    const auto events = log.read(4);
    REQUIRE(events.ok());
    CHECK((*events)[0].delta == 5);
    CHECK((*events)[2].step == 3);
    CHECK((*events)[3].step == 0);
    CHECK(log.read(2)->size() == 2);
    REQUIRE(log.clear().ok());
    CHECK(host.global_appended("log").empty());
    CHECK(state::AppendLog<Event>{""}.append(Event{}).error().code() == Errc::invalid_argument);
    CHECK(state::AppendLog<Event>{""}.read(1).error().code() == Errc::invalid_argument);
    CHECK(state::AppendLog<Event>{""}.clear().error().code() == Errc::invalid_argument);
  }

  TEST_CASE_FIXTURE(HostFixture, "locks are released by scope, by unlock() and once after a move") {
    const state::Key key{"guarded"};
    {
      auto first = key.lock_read();
      auto second = key.lock_read();
      REQUIRE(first.ok());
      REQUIRE(second.ok());
      CHECK(first->held());
      CHECK(first->key() == "guarded");
      CHECK_THROWS_AS((void)key.lock_write(), HostFault);
    }
    {
      auto writer = key.lock_write();
      REQUIRE(writer.ok());
      state::WriteLock moved = std::move(*writer);
      CHECK_FALSE(writer->held());
      CHECK(moved.held());
      moved.unlock();
      CHECK_FALSE(moved.held());
      moved.unlock();
    }
    CHECK(key.lock_write().ok());
    CHECK(host.faults().size() == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "a call that ends holding a lock leaves a warning") {
    const auto run = host.invoke([] {
      auto lock = state::Key{"guarded"}.lock_write();
      __faasm_lock_state_write("other");
      return lock.ok() ? 0 : 1;
    });
    CHECK(run.ok());
    REQUIRE(host.warnings().size() == 1);
    CHECK(host.warnings()[0].find("'other'") != std::string::npos);
    CHECK(state::Key{"other"}.lock_write().ok());
  }
}
