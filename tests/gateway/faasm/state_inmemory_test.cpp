// The gateway's state tier on a real Faasm cluster in STATE_MODE=inmemory (the
// second fixture): whole values through the upload server are what Faasm sees
// (the upload server's GET /s/ and the fixture's smoke function on a worker),
// and everything that needs Faasm's Redis is refused naming the mode, never
// done locally.
#include <doctest/doctest.h>

#include "cluster.h"
#include "faasm/faasm_state.h"
#include "faasm/upload_client.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;
using namespace faasmjs::gateway::faasm::testing;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

struct Key {
  std::string name = freshName("k");
  std::string global = std::string(kUser) + "_" + name;
};

FaasmState openState() {
  REQUIRE(cluster().state_mode == "inmemory");
  auto opened = open_faasm_state(std::nullopt, cluster().upload);
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  return std::move(*opened);
}

std::string needsRedis(const std::string& what, const std::string& key) {
  return what + " of state key '" + key +
         "' needs Faasm's Redis state mode (this cluster runs "
         "STATE_MODE=inmemory, where only whole values reach "
         "Faasm, through its upload server)";
}

}  // namespace

TEST_SUITE("state_inmemory") {
  TEST_CASE(
      "whole values go through the upload server both ways; parts of one "
      "are cut from it") {
    auto state = openState();
    Key ours;
    REQUIRE(state.store->set(ours.global, bytes("from the browser")).has_value());
    auto seen = upload().getState(kUser, ours.name);
    REQUIRE_MESSAGE(seen.has_value(), seen.error().message);
    CHECK(*seen == "from the browser");

    Key theirs;
    REQUIRE(upload().putState(kUser, theirs.name, "written by Faasm").has_value());
    CHECK(state.store->size(theirs.global) == 16u);
    auto whole = state.store->pull(theirs.global, 0, state::kToEnd);
    REQUIRE_MESSAGE(whole.has_value(), whole.error().message);
    REQUIRE(whole->has_value());
    CHECK(text((*whole)->bytes) == "written by Faasm");
    auto part = state.store->pull(theirs.global, 11, 3);
    REQUIRE(part.has_value());
    CHECK((*part)->size == 16u);
    CHECK(text((*part)->bytes) == "Faa");
    CHECK(errorOf(state.store->pull(theirs.global, 17, 1)).message ==
          "offset 17 is beyond the 16 bytes of state key '" + theirs.global + "'");

    // A full push of the whole value is a PUT; one made of several ranges too.
    REQUIRE(state.store->push(theirs.global, 16, {{0, bytes("WRITTEN ")}, {8, bytes("BY FAASM")}}).has_value());
    CHECK(upload().getState(kUser, theirs.name) == "WRITTEN BY FAASM");

    Key none;
    CHECK(state.store->size(none.global) == 0u);
    auto nothing = state.store->pull(none.global, 0, state::kToEnd);
    REQUIRE(nothing.has_value());
    CHECK_FALSE(nothing->has_value());
  }

  TEST_CASE(
      "a Faasm function on a worker reads what the store wrote, and the "
      "store reads what it wrote") {
    auto state = openState();
    const auto [user, run] = runSmokeThrough(*state.store);
    auto out = state.store->pull(user + "smoke_out_" + run, 0, state::kToEnd);
    REQUIRE_MESSAGE(out.has_value(), out.error().message);
    REQUIRE(out->has_value());
    CHECK(text((*out)->bytes) == "seen:from the gateway");
  }

  TEST_CASE(
      "what needs Faasm's Redis is refused naming the mode, and changes "
      "nothing") {
    auto state = openState();
    Key key;
    REQUIRE(state.store->set(key.global, bytes("abcd")).has_value());
    const Error keeps = errorOf(state.store->push(key.global, 6, {{0, bytes("xy")}}));
    CHECK(keeps.code == ErrorCode::BadState);
    CHECK(keeps.message == needsRedis("a push that keeps or zero-extends bytes", key.global));
    CHECK(errorOf(state.store->push_partial(key.global, 4, {{0, bytes("x")}})).message ==
          needsRedis("a partial push", key.global));
    CHECK(errorOf(state.store->append(key.global, bytes("e"))).message == needsRedis("an append", key.global));
    CHECK(errorOf(state.store->read_appended(key.global, 1)).message ==
          needsRedis("reading the append log", key.global));
    CHECK(errorOf(state.store->clear_appended(key.global)).message ==
          needsRedis("clearing the append log", key.global));
    CHECK(errorOf(state.store->keys(std::string(kUser) + "_")).message ==
          needsRedis("listing the keys", std::string(kUser) + "_*"));
    CHECK_FALSE(state.store->can_list_keys());
    CHECK(upload().getState(kUser, key.name) == "abcd");

    std::optional<Expected<void>> locked;
    state.locks->lock(key.global, true, 1, [&](Expected<void> result) { locked = std::move(result); });
    REQUIRE(locked.has_value());
    CHECK(errorOf(*locked).message == needsRedis("a write lock", key.global));
    CHECK_FALSE(state.locks->unlock(key.global, true, 1));
  }

  TEST_CASE(
      "Faasm keeps a key at the size it was created with: another size, "
      "or an empty value, is refused") {
    auto state = openState();
    Key key;
    REQUIRE(state.store->set(key.global, bytes("12345")).has_value());
    const Error longer = errorOf(state.store->set(key.global, bytes("12345678")));
    CHECK(longer.code == ErrorCode::BadState);
    CHECK(longer.message == "state key '" + key.global +
                                "' is 5 bytes on Faasm, which fixes a key's "
                                "size when a host first creates it: a "
                                "8-byte value cannot replace it through the "
                                "upload server (STATE_MODE=inmemory)");
    CHECK(upload().getState(kUser, key.name) == "12345");
    REQUIRE(state.store->set(key.global, bytes("54321")).has_value());
    CHECK(upload().getState(kUser, key.name) == "54321");

    Key empty;
    CHECK(errorOf(state.store->set(empty.global, {})).message ==
          "an empty value for state key '" + empty.global +
              "' cannot reach Faasm: its upload server ignores an empty PUT "
              "/s/ (STATE_MODE=inmemory has no other "
              "way in)");
  }
}
