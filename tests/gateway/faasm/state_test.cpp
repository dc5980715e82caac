// The gateway's state tier on a real Faasm cluster in STATE_MODE=redis
// (fixture.sh): every GlobalStore operation against Faasm's Redis, each checked
// against what Faasm sees (the Redis keys in faabric's layout, the upload
// server's /s/, and the fixture's smoke function reading and writing state on a
// worker); keys of the wrong Redis type; Redis refusing, mute or stopped; and
// the locks as two gateways would hold them.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <csignal>
#include <future>

#include "cluster.h"
#include "faasm/faasm_state.h"
#include "faasm/redis_state_locks.h"
#include "faasm/upload_client.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;
using namespace faasmjs::gateway::faasm::testing;
using namespace std::chrono_literals;
using namespace std::string_view_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;
using state::kToEnd;
using state::Range;

Bytes bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

// A key of the test user, as the sessions hand them to the store (USER_KEY),
// and the key alone.
struct Key {
  std::string name = freshName("k");
  std::string global = std::string(kUser) + "_" + name;
};

std::shared_ptr<const RedisClient> faasmRedis() {
  auto address = parse_redis_address(cluster().redis);
  REQUIRE_MESSAGE(address.has_value(), address.error().message);
  return std::make_shared<const RedisClient>(*address);
}

// Faasm's Redis as it is, read without the store: what Faasm's hosts see.
RedisReply raw(const std::vector<std::string_view>& command) {
  static auto redis = faasmRedis();
  auto reply = redis->command(command.front(), command);
  REQUIRE_MESSAGE(reply.has_value(), reply.error().message);
  return *reply;
}

FaasmState openState(FaasmStateOptions options = {}) {
  REQUIRE(cluster().state_mode == "redis");
  auto opened = open_faasm_state(cluster().redis, cluster().upload, options);
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  return std::move(*opened);
}

Bytes pulled(const state::GlobalStore& store, std::string_view key, std::uint32_t offset = 0,
             std::uint32_t length = kToEnd) {
  auto value = store.pull(key, offset, length);
  REQUIRE_MESSAGE(value.has_value(), value.error().message);
  REQUIRE(value->has_value());
  return (*value)->bytes;
}

// A lock request's answer, awaited with a bound.
class Grant {
 public:
  state::LockDone done() {
    return [promise = promise_](Expected<void> result) { promise->set_value(std::move(result)); };
  }
  bool arrivesWithin(std::chrono::milliseconds bound) { return future_.wait_for(bound) == std::future_status::ready; }
  Expected<void> result() {
    REQUIRE(arrivesWithin(10s));
    return future_.get();
  }

 private:
  std::shared_ptr<std::promise<Expected<void>>> promise_ = std::make_shared<std::promise<Expected<void>>>();
  std::future<Expected<void>> future_ = promise_->get_future();
};

// A redis-server of this test's own on a free loopback port, to be stopped
// under the store.
class PrivateRedis {
 public:
  PrivateRedis() {
    // As in the gateway (main.cpp): a write to a Redis that went away is an
    // error, not the end of the process.
    std::signal(SIGPIPE, SIG_IGN);
    {
      LoopbackPort free(false);
      port_ = free.port();
    }
    const std::string server = required("FAASMJS_REDIS_SERVER");
    const std::string port = std::to_string(port_);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      execl(server.c_str(), server.c_str(), "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "", "--appendonly",
            "no", "--loglevel", "warning", static_cast<char*>(nullptr));
      _exit(127);
    }
    RedisClient client({"127.0.0.1", port_}, {.connect = 200ms, .reply = 1000ms});
    for (int i = 0; i < 100; ++i) {
      if (client.command("PING", {"PING"})) return;
      std::this_thread::sleep_for(50ms);
    }
    FAIL("redis-server on 127.0.0.1:" << port_ << " did not answer PING within 5 s");
  }
  ~PrivateRedis() { stop(); }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "a value set through the store is Faasm's: the Redis string "
      "USER_KEY, and what GET /s/ answers") {
    auto state = openState();
    Key key;
    REQUIRE(state.store->set(key.global, bytes("from the browser\0!"sv)).has_value());
    CHECK(raw({"TYPE", key.global}).text == "string");
    CHECK(raw({"GET", key.global}).text == "from the browser\0!"sv);
    auto seen = upload().getState(kUser, key.name);
    REQUIRE_MESSAGE(seen.has_value(), seen.error().message);
    CHECK(*seen == "from the browser\0!"sv);
    CHECK(state.store->size(key.global) == 18u);
  }

  TEST_CASE(
      "a value Faasm's upload server wrote is read through the store, "
      "whole and in ranges") {
    auto state = openState();
    Key key;
    REQUIRE(upload().putState(kUser, key.name, "written by Faasm").has_value());
    CHECK(state.store->size(key.global) == 16u);
    CHECK(text(pulled(*state.store, key.global)) == "written by Faasm");
    auto range = state.store->pull(key.global, 11, 3);
    REQUIRE(range.has_value());
    CHECK((*range)->size == 16u);
    CHECK(text((*range)->bytes) == "Faa");
    CHECK(text(pulled(*state.store, key.global, 11, 100)) == "Faasm");
    CHECK(pulled(*state.store, key.global, 16, 4).empty());
    const Error beyond = errorOf(state.store->pull(key.global, 17, 1));
    CHECK(beyond.code == ErrorCode::BadState);
    CHECK(beyond.message == "offset 17 is beyond the 16 bytes of state key '" + key.global + "'");
  }

  TEST_CASE(
      "a key without a value has size 0 and pulls nothing; Redis holds "
      "nothing for it afterwards") {
    auto state = openState();
    Key key;
    CHECK(state.store->size(key.global) == 0u);
    auto none = state.store->pull(key.global, 0, kToEnd);
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_value());
    CHECK(raw({"EXISTS", key.global}).integer == 0);
  }

  TEST_CASE(
      "a full push makes the value exactly its size, cutting or "
      "zero-extending; a range beyond changes nothing") {
    auto state = openState();
    Key key;
    REQUIRE(state.store->push(key.global, 6, {{0, bytes("abcdef")}}).has_value());
    REQUIRE(state.store->push(key.global, 4, {{1, bytes("X")}}).has_value());
    CHECK(raw({"GET", key.global}).text == "aXcd");
    REQUIRE(state.store->push(key.global, 7, {{5, bytes("Z")}}).has_value());
    CHECK(raw({"GET", key.global}).text == std::string("aXcd\0Z\0", 7));
    const Error outside = errorOf(state.store->push(key.global, 3, {{0, bytes("ok")}, {2, bytes("no")}}));
    CHECK(outside.code == ErrorCode::BadState);
    CHECK(outside.message == "range [2, +2) is outside the 3 bytes of state key '" + key.global + "'");
    CHECK(raw({"GET", key.global}).text == std::string("aXcd\0Z\0", 7));

    Key empty;
    REQUIRE(state.store->push(empty.global, 0, {}).has_value());
    CHECK(raw({"EXISTS", empty.global}).integer == 1);
    CHECK(pulled(*state.store, empty.global).empty());
  }

  TEST_CASE(
      "a partial push grows the value with zeros, writes its ranges and "
      "returns the whole value") {
    auto state = openState();
    Key key;
    REQUIRE(upload().putState(kUser, key.name, "0123456789").has_value());
    auto kept = state.store->push_partial(key.global, 4, {{2, bytes("ab")}, {8, bytes("cd")}});
    REQUIRE_MESSAGE(kept.has_value(), kept.error().message);
    CHECK(text(*kept) == "01ab4567cd");
    auto grown = state.store->push_partial(key.global, 14, {{12, bytes("ef")}});
    REQUIRE(grown.has_value());
    CHECK(text(*grown) == std::string("01ab4567cd\0\0ef", 14));
    CHECK(raw({"GET", key.global}).text == std::string("01ab4567cd\0\0ef", 14));
    const Error outside = errorOf(state.store->push_partial(key.global, 2, {{0, bytes("zz")}, {13, bytes("no")}}));
    CHECK(outside.code == ErrorCode::BadState);
    CHECK(outside.message == "range [13, +2) is outside the 14 bytes of state key '" + key.global + "'");
    CHECK(raw({"GET", key.global}).text == std::string("01ab4567cd\0\0ef", 14));
  }

  TEST_CASE(
      "an append log is Faasm's Redis list under USER_KEY: read from the "
      "front, cleared whole") {
    auto state = openState();
    Key key;
    for (std::string_view element : {"one", "", "three"})
      REQUIRE(state.store->append(key.global, bytes(element)).has_value());
    CHECK(raw({"TYPE", key.global}).text == "list");
    auto listed = raw({"LRANGE", key.global, "0", "-1"});
    REQUIRE(listed.elements.size() == 3);
    CHECK(listed.elements[2].text == "three");
    CHECK(state.store->read_appended(key.global, 2) == std::vector<Bytes>{bytes("one"), {}});
    CHECK(state.store->read_appended(key.global, 10) == std::vector<Bytes>{bytes("one"), {}, bytes("three")});
    CHECK(state.store->read_appended(key.global, 0)->empty());
    REQUIRE(state.store->clear_appended(key.global).has_value());
    CHECK(raw({"EXISTS", key.global}).integer == 0);
    CHECK(state.store->read_appended(key.global, 10)->empty());
    CHECK(state.store->clear_appended(key.global).has_value());
  }

  TEST_CASE(
      "a key of the wrong Redis type is BadState naming the key and what "
      "it holds; nothing is overwritten") {
    auto state = openState();
    const std::string redis = "Faasm's Redis at " + cluster().redis;
    Key value;
    REQUIRE(state.store->set(value.global, bytes("a value")).has_value());
    const Error append = errorOf(state.store->append(value.global, bytes("x")));
    CHECK(append.code == ErrorCode::BadState);
    CHECK(append.message ==
          "state key '" + value.global + "' in " + redis + " is a Redis string (a value), not an append log");
    CHECK(errorOf(state.store->read_appended(value.global, 1)).code == ErrorCode::BadState);
    CHECK(errorOf(state.store->clear_appended(value.global)).code == ErrorCode::BadState);
    CHECK(raw({"GET", value.global}).text == "a value");

    Key log;
    REQUIRE(state.store->append(log.global, bytes("element")).has_value());
    const std::string notValue =
        "state key '" + log.global + "' in " + redis + " is a Redis list (an append log), not a value";
    CHECK(errorOf(state.store->size(log.global)).message == notValue);
    CHECK(errorOf(state.store->pull(log.global, 0, kToEnd)).message == notValue);
    CHECK(errorOf(state.store->set(log.global, bytes("v"))).message == notValue);
    CHECK(errorOf(state.store->push(log.global, 1, {{0, bytes("v")}})).message == notValue);
    CHECK(errorOf(state.store->push_partial(log.global, 1, {})).message == notValue);
    CHECK(raw({"LRANGE", log.global, "0", "-1"}).elements.size() == 1);

    Key hash;
    raw({"HSET", hash.global, "field", "x"});
    const Error other = errorOf(state.store->pull(hash.global, 0, kToEnd));
    CHECK(other.code == ErrorCode::BadState);
    CHECK(other.message == "state key '" + hash.global + "' in " + redis + " is a Redis hash, not a value");
    raw({"DEL", hash.global});
  }

  TEST_CASE(
      "keys lists the values under a prefix, sorted, without append logs "
      "or Faasm's global locks") {
    auto state = openState();
    const std::string prefix = freshName("list") + "_";
    const std::string base = std::string(kUser) + "_" + prefix;
    for (std::string_view name : {"b", "a", "c_lock", "glob*[x]"}) {
      REQUIRE(state.store->set(base + std::string(name), bytes("v")).has_value());
    }
    REQUIRE(state.store->append(base + "log", bytes("e")).has_value());
    Grant held;
    state.locks->lock(base + "a", true, 1, held.done());
    REQUIRE(held.result().has_value());
    CHECK(raw({"EXISTS", base + "a_lock"}).integer == 1);
    CHECK(state.store->keys(base) ==
          std::vector<std::string>{base + "a", base + "b", base + "c_lock", base + "glob*[x]"});
    CHECK(state.store->keys(base + "glob*") == std::vector<std::string>{base + "glob*[x]"});
    CHECK(state.store->keys(base + "z")->empty());
    CHECK(state.store->can_list_keys());
    state.locks->release_all(1);
  }

  TEST_CASE(
      "a Faasm function on a worker reads what the store wrote, and the "
      "store reads what it wrote") {
    auto state = openState();
    const auto [user, run] = runSmokeThrough(*state.store);
    CHECK(text(pulled(*state.store, user + "smoke_out_" + run)) == "seen:from the gateway");
    CHECK(state.store->read_appended(user + "smoke_log_" + run, 10) == std::vector<Bytes>{bytes("ab"), bytes("cd")});
  }

  TEST_CASE("Redis refusing, mute or stopped is one line naming it and the command") {
    LoopbackPort closed(false);
    const std::string refusedAt = "127.0.0.1:" + std::to_string(closed.port());
    const Error refused = errorOf(open_faasm_state(refusedAt, cluster().upload));
    CHECK(refused.message == "Faasm's Redis at " + refusedAt + " refused the connection (PING)");

    LoopbackPort mute(true);
    const std::string muteAt = "127.0.0.1:" + std::to_string(mute.port());
    FaasmStateOptions quick;
    quick.redis = {.connect = 2000ms, .reply = 300ms};
    const Error silent = errorOf(open_faasm_state(muteAt, cluster().upload, quick));
    CHECK(silent.message == "Faasm's Redis at " + muteAt + " did not answer within 300 ms (PING)");

    CHECK(errorOf(open_faasm_state("no-port", cluster().upload)).message ==
          "Faasm's Redis must be HOST:PORT, got \"no-port\"");

    PrivateRedis own;
    auto opened = open_faasm_state(own.address(), cluster().upload);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    REQUIRE(opened->store->set(std::string(kUser) + "_k", bytes("v")).has_value());
    own.stop();
    // The pooled connection learns of the end first; a new one is refused.
    const Error gone = errorOf(opened->store->size(std::string(kUser) + "_k"));
    CHECK(gone.message.starts_with("Faasm's Redis at " + own.address() + " "));
    CHECK(gone.message.ends_with(" (STRLEN)"));
    CHECK(errorOf(opened->store->size(std::string(kUser) + "_k")).message ==
          "Faasm's Redis at " + own.address() + " refused the connection (STRLEN)");
    CHECK(errorOf(opened->store->append(std::string(kUser) + "_k", bytes("e"))).message ==
          "Faasm's Redis at " + own.address() + " refused the connection (RPUSH)");
  }

  TEST_CASE(
      "two gateways' locks exclude each other through Faasm's lock "
      "USER_KEY_lock; release lets the other in") {
    auto first = openState();
    auto second = openState();
    Key key;
    Grant a;
    first.locks->lock(key.global, true, 1, a.done());
    REQUIRE(a.result().has_value());
    const std::string lockKey = key.global + "_lock";
    CHECK(lockKey == redis_lock_key(key.global));
    const std::string firstId = raw({"GET", lockKey}).text;
    CHECK(std::stoul(firstId) > 0);
    CHECK(raw({"PTTL", lockKey}).integer > 0);

    Grant b;
    second.locks->lock(key.global, true, 1, b.done());
    CHECK_FALSE(b.arrivesWithin(600ms));
    CHECK(first.locks->unlock(key.global, true, 1));
    REQUIRE(b.result().has_value());
    CHECK(raw({"GET", lockKey}).text != firstId);

    // Read locks take the same exclusive lock: a reader elsewhere waits too.
    Grant reader;
    first.locks->lock(key.global, false, 2, reader.done());
    CHECK_FALSE(reader.arrivesWithin(400ms));
    CHECK(second.locks->release_all(1) == 1);
    REQUIRE(reader.result().has_value());
    CHECK(first.locks->unlock(key.global, false, 2));
    for (int i = 0; i < 40 && raw({"EXISTS", lockKey}).integer == 1; ++i) std::this_thread::sleep_for(50ms);
    CHECK(raw({"EXISTS", lockKey}).integer == 0);
  }

  TEST_CASE(
      "one gateway's readers share one Redis hold, released when the "
      "last lets go") {
    auto state = openState();
    Key key;
    Grant one, two;
    state.locks->lock(key.global, false, 1, one.done());
    state.locks->lock(key.global, false, 2, two.done());
    REQUIRE(one.result().has_value());
    REQUIRE(two.result().has_value());
    const std::string id = raw({"GET", key.global + "_lock"}).text;
    CHECK(state.locks->unlock(key.global, false, 1));
    std::this_thread::sleep_for(300ms);
    CHECK(raw({"GET", key.global + "_lock"}).text == id);
    CHECK_FALSE(state.locks->unlock(key.global, false, 1));
    CHECK(state.locks->unlock(key.global, false, 2));
    for (int i = 0; i < 40 && raw({"EXISTS", key.global + "_lock"}).integer == 1; ++i)
      std::this_thread::sleep_for(50ms);
    CHECK(raw({"EXISTS", key.global + "_lock"}).integer == 0);
  }

  TEST_CASE("a hold is renewed past its expiry for as long as it is held") {
    FaasmStateOptions shortExpiry;
    shortExpiry.locks.expiry = 600ms;
    auto first = openState(shortExpiry);
    auto second = openState(shortExpiry);
    Key key;
    Grant held;
    first.locks->lock(key.global, true, 1, held.done());
    REQUIRE(held.result().has_value());
    Grant waiting;
    second.locks->lock(key.global, true, 1, waiting.done());
    CHECK_FALSE(waiting.arrivesWithin(2000ms));  // more than three expiries
    CHECK(raw({"PTTL", key.global + "_lock"}).integer > 0);
    CHECK(first.locks->unlock(key.global, true, 1));
    REQUIRE(waiting.result().has_value());
    second.locks->release_all(1);
  }

  TEST_CASE(
      "a lock held by a stale foreign id (a Faasm host that died) blocks "
      "until its expiry") {
    auto state = openState();
    Key key;
    raw({"SET", key.global + "_lock", "12345", "PX", "1500", "NX"});
    const auto start = std::chrono::steady_clock::now();
    Grant granted;
    state.locks->lock(key.global, true, 1, granted.done());
    REQUIRE(granted.result().has_value());
    CHECK(std::chrono::steady_clock::now() - start >= 1000ms);
    CHECK(raw({"GET", key.global + "_lock"}).text != "12345");
    state.locks->release_all(1);
  }

  TEST_CASE(
      "a wait for a lock held elsewhere ends at the wait timeout, naming "
      "Faasm's lock; the local hold goes") {
    FaasmStateOptions patient;
    patient.locks.wait_timeout = 500ms;
    auto first = openState();
    auto second = openState(patient);
    Key key;
    Grant held;
    first.locks->lock(key.global, true, 1, held.done());
    REQUIRE(held.result().has_value());
    Grant refused;
    second.locks->lock(key.global, true, 7, refused.done());
    auto result = refused.result();
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::BadState);
    CHECK(result.error().message == "a write lock on '" + key.global +
                                        "' was not granted within 500 ms (the lock wait timeout): "
                                        "Faasm's lock " +
                                        key.global + "_lock in Faasm's Redis at " + cluster().redis +
                                        " stayed held elsewhere");
    // The refused owner holds nothing in its gateway: another owner there gets
    // it once the first lets go.
    Grant next;
    second.locks->lock(key.global, true, 8, next.done());
    first.locks->release_all(1);
    REQUIRE(next.result().has_value());
    second.locks->release_all(8);
  }
}
