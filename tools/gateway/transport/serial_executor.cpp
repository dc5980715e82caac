#include "transport/serial_executor.h"

namespace faasmjs::gateway::transport {

SerialExecutor::SerialExecutor(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

SerialExecutor::~SerialExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void SerialExecutor::post(std::uint64_t queue, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    auto& tasks = queues_[queue];
    // A queue is in ready_ exactly when it has work and no thread is running one of its tasks.
    if (tasks.empty()) ready_.push_back(queue);
    tasks.push_back(std::move(task));
  }
  changed_.notify_one();
}

void SerialExecutor::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    // Stopping: tasks not started yet are dropped with the queues. None of them was acknowledged to its
    // client, so dropping them breaks no promise, and shutdown waits only for the tasks already running.
    if (stopping_) return;
    const std::uint64_t queue = ready_.front();
    ready_.pop_front();
    auto task = std::move(queues_[queue].front());
    lock.unlock();
    task();
    lock.lock();
    auto& tasks = queues_[queue];
    tasks.pop_front();
    if (tasks.empty()) {
      queues_.erase(queue);
    } else {
      ready_.push_back(queue);
      changed_.notify_one();
    }
  }
}

}  // namespace faasmjs::gateway::transport
