// Per-key FIFO locks: who is granted when, that nobody overtakes a waiter, and what release_all frees.
#include "state/state_locks.h"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using faasmjs::gateway::Expected;
using faasmjs::gateway::state::LockDone;
using faasmjs::gateway::state::LockOwner;
using faasmjs::gateway::state::StateLocks;

namespace {

// Records the order in which requests are granted, by label, and the refusals.
struct Grants {
  std::vector<std::string> order;
  std::vector<std::string> refusals;
  LockDone as(std::string label) {
    return [this, label](Expected<void> granted) {
      if (granted) {
        order.push_back(label);
      } else {
        refusals.push_back(label + ": " + granted.error().message);
      }
    };
  }
};

}  // namespace

TEST_SUITE("locks") {
  TEST_CASE("a free lock is granted inside lock(); readers share, a writer waits for them") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("k", false, 1, grants.as("r1"));
    locks->lock("k", false, 2, grants.as("r2"));
    CHECK(grants.order == std::vector<std::string>{"r1", "r2"});
    locks->lock("k", true, 3, grants.as("w3"));
    CHECK(grants.order.size() == 2);
    CHECK(locks->unlock("k", false, 1));
    CHECK(grants.order.size() == 2);
    CHECK(locks->unlock("k", false, 2));
    CHECK(grants.order.back() == "w3");
  }

  TEST_CASE("arrival order: a reader behind a waiting writer waits too, then readers enter together") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("k", false, 1, grants.as("r1"));
    locks->lock("k", true, 2, grants.as("w2"));
    locks->lock("k", false, 3, grants.as("r3"));
    locks->lock("k", false, 4, grants.as("r4"));
    locks->lock("k", true, 5, grants.as("w5"));
    CHECK(grants.order == std::vector<std::string>{"r1"});
    CHECK(locks->unlock("k", false, 1));
    CHECK(grants.order == std::vector<std::string>{"r1", "w2"});
    CHECK(locks->unlock("k", true, 2));
    CHECK(grants.order == std::vector<std::string>{"r1", "w2", "r3", "r4"});
    CHECK(locks->unlock("k", false, 4));
    CHECK(grants.order.size() == 4);
    CHECK(locks->unlock("k", false, 3));
    CHECK(grants.order.back() == "w5");
  }

  TEST_CASE("keys are independent") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("a", true, 1, grants.as("a1"));
    locks->lock("b", true, 2, grants.as("b2"));
    CHECK(grants.order == std::vector<std::string>{"a1", "b2"});
  }

  TEST_CASE("an unlock of a hold that does not exist answers false and changes nothing") {
    auto locks = StateLocks::create();
    Grants grants;
    CHECK_FALSE(locks->unlock("k", true, 1));
    locks->lock("k", false, 1, grants.as("r1"));
    locks->lock("k", true, 2, grants.as("w2"));
    CHECK_FALSE(locks->unlock("k", true, 1));   // held shared, not exclusive
    CHECK_FALSE(locks->unlock("k", false, 2));  // still waiting, holds nothing
    CHECK_FALSE(locks->unlock("other", false, 1));
    CHECK(grants.order == std::vector<std::string>{"r1"});
    CHECK(locks->unlock("k", false, 1));
    CHECK(grants.order.back() == "w2");
    CHECK_FALSE(locks->unlock("k", false, 1));
  }

  TEST_CASE("an owner may hold a key shared twice; each unlock releases one hold") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("k", false, 1, grants.as("r1"));
    locks->lock("k", false, 1, grants.as("r1 again"));
    locks->lock("k", true, 2, grants.as("w2"));
    CHECK(locks->unlock("k", false, 1));
    CHECK(grants.order.size() == 2);
    CHECK(locks->unlock("k", false, 1));
    CHECK(grants.order.back() == "w2");
  }

  TEST_CASE("release_all frees every hold of an owner, forgets its waiting requests, and admits the next") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("a", true, 1, grants.as("a1"));
    locks->lock("b", false, 1, grants.as("b1"));
    locks->lock("b", false, 1, grants.as("b1 again"));
    locks->lock("c", true, 2, grants.as("c2"));
    locks->lock("c", true, 1, grants.as("c1 waiting"));
    locks->lock("a", false, 3, grants.as("a3"));
    locks->lock("a", false, 4, grants.as("a4"));
    locks->lock("b", true, 5, grants.as("b5"));
    CHECK(grants.order == std::vector<std::string>{"a1", "b1", "b1 again", "c2"});
    CHECK(locks->release_all(1) == 3);
    CHECK(grants.order == std::vector<std::string>{"a1", "b1", "b1 again", "c2", "a3", "a4", "b5"});
    CHECK(locks->unlock("c", true, 2));
    CHECK(grants.order.size() == 7);  // owner 1's request for c was forgotten
    CHECK(locks->release_all(1) == 0);
    CHECK(locks->release_all(99) == 0);
    Grants later;
    locks->lock("c", true, 6, later.as("c6"));
    CHECK(later.order == std::vector<std::string>{"c6"});
  }

  TEST_CASE("a grant runs once, on the thread of the unlock that freed it") {
    auto locks = StateLocks::create();
    locks->lock("k", true, 1, [](Expected<void>) {});
    std::atomic<int> runs = 0;
    std::thread::id granted_on;
    locks->lock("k", true, 2, [&](Expected<void>) {
      ++runs;
      granted_on = std::this_thread::get_id();
    });
    std::thread::id unlocker;
    std::thread([&] {
      unlocker = std::this_thread::get_id();
      CHECK(locks->unlock("k", true, 1));
    }).join();
    CHECK(runs == 1);
    CHECK(granted_on == unlocker);
    CHECK(locks->unlock("k", true, 2));
    CHECK(runs == 1);
  }

  TEST_CASE("under contention from many threads an exclusive holder is always alone") {
    auto locks = StateLocks::create();
    constexpr int kThreads = 8;
    constexpr int kRounds = 300;
    std::atomic<int> inside = 0;
    std::atomic<int> overlaps = 0;
    std::atomic<int> readers = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const LockOwner owner = static_cast<LockOwner>(t + 1);
        for (int i = 0; i < kRounds; ++i) {
          const bool exclusive = (i + t) % 3 != 0;
          std::mutex m;
          std::condition_variable cv;
          bool granted = false;
          locks->lock("k", exclusive, owner, [&](Expected<void>) {
            std::lock_guard g(m);
            granted = true;
            cv.notify_one();
          });
          {
            std::unique_lock g(m);
            cv.wait(g, [&] { return granted; });
          }
          if (exclusive) {
            if (inside.fetch_add(1) != 0 || readers.load() != 0) ++overlaps;
            inside.fetch_sub(1);
          } else {
            readers.fetch_add(1);
            if (inside.load() != 0) ++overlaps;
            readers.fetch_sub(1);
          }
          CHECK(locks->unlock("k", exclusive, owner));
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(overlaps == 0);
  }

  TEST_CASE("re-locking a key its owner holds is refused at once, not a wait for itself") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("k", true, 1, grants.as("w1"));
    locks->lock("k", true, 1, grants.as("w1 again"));
    locks->lock("k", false, 1, grants.as("r1 under w1"));
    locks->lock("s", false, 1, grants.as("r1"));
    locks->lock("s", true, 1, grants.as("w1 over r1"));
    CHECK(grants.order == std::vector<std::string>{"w1", "r1"});
    REQUIRE(grants.refusals.size() == 3);
    CHECK(grants.refusals[0] ==
          "w1 again: 'k' is already locked for write by this caller: a write lock on it would "
          "wait for itself (locks are not reentrant)");
    CHECK(grants.refusals[1].find("'k' is already locked for write") != std::string::npos);
    CHECK(grants.refusals[2].find("'s' is already locked for read") != std::string::npos);
    // Refused requests hold nothing: one unlock each frees the keys.
    CHECK(locks->unlock("k", true, 1));
    CHECK_FALSE(locks->unlock("k", true, 1));
    CHECK(locks->unlock("s", false, 1));
  }

  TEST_CASE("a read re-lock by a reader is granted at once, even behind a waiting writer") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("k", false, 1, grants.as("r1"));
    locks->lock("k", true, 2, grants.as("w2"));
    locks->lock("k", false, 1, grants.as("r1 again"));
    CHECK(grants.order == std::vector<std::string>{"r1", "r1 again"});
    CHECK(grants.refusals.empty());
  }

  TEST_CASE("a wait that closes a cycle of waits is refused to the request that closed it") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("a", true, 1, grants.as("a1"));
    locks->lock("b", true, 2, grants.as("b2"));
    locks->lock("c", true, 3, grants.as("c3"));
    locks->lock("b", true, 1, grants.as("b1"));  // 1 waits for 2
    locks->lock("c", true, 2, grants.as("c2"));  // 2 waits for 3
    CHECK(grants.refusals.empty());
    locks->lock("a", false, 3, grants.as("a3"));  // 3 would wait for 1: 1 → 2 → 3 → 1
    REQUIRE(grants.refusals.size() == 1);
    CHECK(grants.refusals[0] ==
          "a3: deadlock: a read lock on 'a' would wait for a caller that waits for 'b', and so on "
          "back to this caller; refused");
    // The others still wait, and are granted as the cycle unwinds.
    CHECK(locks->unlock("c", true, 3));
    CHECK(grants.order.back() == "c2");
    CHECK(locks->release_all(2) == 2);
    CHECK(grants.order.back() == "b1");
  }

  TEST_CASE("a cycle through a waiter ahead in the queue is found too") {
    auto locks = StateLocks::create();
    Grants grants;
    locks->lock("a", false, 1, grants.as("a1"));
    locks->lock("b", true, 2, grants.as("b2"));
    locks->lock("a", true, 3, grants.as("a3"));   // waits for reader 1
    locks->lock("a", false, 2, grants.as("a2"));  // behind writer 3, in arrival order: waits for 3
    locks->lock("b", false, 3, grants.as("b3"));  // 3 waits for 2, which waits for 3
    REQUIRE(grants.refusals.size() == 1);
    CHECK(grants.refusals[0].rfind("b3: deadlock:", 0) == 0);
  }

  TEST_CASE("a lock wait ends after the timeout with a refusal, and lets the requests behind it in") {
    auto locks = StateLocks::create(std::chrono::milliseconds(50));
    std::mutex mutex;
    std::condition_variable changed;
    Grants grants;
    auto record = [&](std::string label) {
      return [&, done = grants.as(label)](Expected<void> granted) {
        std::lock_guard guard(mutex);
        done(std::move(granted));
        changed.notify_all();
      };
    };
    locks->lock("k", false, 1, record("r1"));
    locks->lock("k", true, 2, record("w2"));
    locks->lock("k", false, 3, record("r3"));  // behind writer 2
    std::unique_lock guard(mutex);
    REQUIRE(changed.wait_for(guard, std::chrono::seconds(10), [&] { return grants.order.size() == 2; }));
    CHECK(grants.order == std::vector<std::string>{"r1", "r3"});
    REQUIRE(grants.refusals.size() == 1);
    CHECK(grants.refusals[0] == "w2: a write lock on 'k' was not granted within 50 ms (the lock wait timeout)");
  }

  TEST_CASE("a wait ends at its own deadline, with its own refusal, when that comes first") {
    auto locks = StateLocks::create(std::chrono::hours(1));
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<Expected<void>> outcome;
    locks->lock("k", true, 1, [](Expected<void>) {});
    locks->lock(
        "k", true, 2,
        [&](Expected<void> granted) {
          std::lock_guard guard(mutex);
          outcome = std::move(granted);
          changed.notify_all();
        },
        std::chrono::steady_clock::now() + std::chrono::milliseconds(20), "f exceeded its time limit");
    std::unique_lock guard(mutex);
    REQUIRE(changed.wait_for(guard, std::chrono::seconds(10), [&] { return outcome.has_value(); }));
    REQUIRE_FALSE(outcome->has_value());
    CHECK(outcome->error().message == "f exceeded its time limit");
  }
}
