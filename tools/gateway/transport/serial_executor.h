// A small thread pool for work the WebSocket thread must not do itself (state writes fsync, uploads compile),
// with one queue per session so that a session's state requests take effect in the order they arrived.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace faasmjs::gateway::transport {

class SerialExecutor {
 public:
  explicit SerialExecutor(std::size_t threads);
  ~SerialExecutor();  // waits for the tasks running now; drops those not started
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  void post(std::uint64_t queue, std::function<void()> task);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, std::deque<std::function<void()>>> queues_;
  std::deque<std::uint64_t> ready_;  // queues with work and no thread on them
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace faasmjs::gateway::transport
