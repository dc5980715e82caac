// Run tokens: at most `count` calls execute at once (one per core by default). A call takes a token to start
// and gives it back whenever it waits for something other than the CPU (a chained call, a lock, its function
// compiling), taking one again to go on. Calls that go on are served before new ones, so that a tree that
// has started finishes before more trees start, and a waiting call never waits for a token held by a call
// that waits for it (a waiting call holds none).
//
// Not thread-safe by itself: every member runs under the pool's mutex, the one `lock` holds.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace faasmjs::gateway::cluster {

class RunTokens {
 public:
  explicit RunTokens(std::size_t count) : count_(count) {}

  std::size_t count() const { return count_; }

  // A new call may start: a token is free and no waiting call wants one back.
  bool free_for_new_call() const { return running_ < count_ && resuming_ == 0; }
  void take_for_new_call() { ++running_; }

  // Blocks until a token is free (or `stop` holds), ahead of every new call.
  template <class Stop>
  void take_to_resume(std::unique_lock<std::mutex>& lock, std::condition_variable& changed, Stop stop) {
    ++resuming_;
    changed.wait(lock, [&] { return running_ < count_ || stop(); });
    --resuming_;
    ++running_;
  }

  void give_back(std::condition_variable& changed) {
    --running_;
    changed.notify_all();
  }

 private:
  std::size_t count_;
  std::size_t running_ = 0;
  std::size_t resuming_ = 0;
};

}  // namespace faasmjs::gateway::cluster
