#include "transport/mailbox.h"

#include <libwebsockets.h>

namespace faasmjs::gateway::transport {

void Mailbox::open(lws_context* context) {
  std::lock_guard lock(mutex_);
  context_ = context;
}

void Mailbox::close() {
  std::lock_guard lock(mutex_);
  context_ = nullptr;
  inbox_.clear();
}

void Mailbox::post(std::uint64_t session, std::uint32_t id, protocol::Message reply) {
  std::lock_guard lock(mutex_);
  if (context_ == nullptr) return;
  inbox_.push_back({session, id, std::move(reply)});
  // Under the lock, so close() cannot let the context go between the check and this call.
  lws_cancel_service(context_);
}

std::vector<Delivery> Mailbox::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(inbox_, {});
}

}  // namespace faasmjs::gateway::transport
