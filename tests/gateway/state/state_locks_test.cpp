// Per-key FIFO locks: who is granted when, that nobody overtakes a waiter, and what release_all frees.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "state/state_locks.h"

using faasmjs::gateway::state::LockOwner;
using faasmjs::gateway::state::StateLocks;

namespace {

// Records the order in which requests are granted, by label.
struct Grants {
  std::vector<std::string> order;
  std::function<void()> as(std::string label) {
    return [this, label] { order.push_back(label); };
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
    CHECK_FALSE(locks->unlock("k", true, 1));  // held shared, not exclusive
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
    locks->lock("k", true, 1, [] {});
    std::atomic<int> runs = 0;
    std::thread::id granted_on;
    locks->lock("k", true, 2, [&] {
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
          locks->lock("k", exclusive, owner, [&] {
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
}
