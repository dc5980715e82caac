#include "transport/mailbox.h"

namespace faasmjs::gateway::transport {

void Mailbox::open(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

void Mailbox::close() {
  std::lock_guard lock(mutex_);
  wake_ = nullptr;
  inbox_.clear();
}

void Mailbox::post(std::uint64_t session, std::uint32_t id, protocol::Message reply) {
  std::lock_guard lock(mutex_);
  if (!wake_) return;
  inbox_.push_back({session, id, std::move(reply)});
  // Under the lock, so that close() cannot let the server go between the check and the wake.
  wake_();
}

std::vector<Delivery> Mailbox::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(inbox_, {});
}

}  // namespace faasmjs::gateway::transport
