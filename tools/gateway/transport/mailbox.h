// Replies that finish off the service thread (a call in the cluster, a state write on the I/O pool, a lock
// granted by another owner's unlock) travel to the service thread through the mailbox: post() from any
// thread queues the reply and calls the wake function (the server's is lws_cancel_service, the one lws call
// that is safe from other threads); the service thread takes them all at LWS_CALLBACK_EVENT_WAIT_CANCELLED.
//
// Work outlives sessions and even the server (a cluster thread may finish a call during shutdown), so
// everything that posts holds a shared_ptr to the mailbox, and close() (before the lws context goes)
// turns later posts into no-ops.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "protocol/message_codec.h"

namespace faasmjs::gateway::transport {

struct Delivery {
  std::uint64_t session;
  std::uint32_t id;         // the request this replies to
  protocol::Message reply;  // type and body (its id field is unused)
};

class Mailbox {
 public:
  // Until open(), and after close(), posts are dropped. `wake` runs under the mailbox's lock.
  void open(std::function<void()> wake);
  void close();

  void post(std::uint64_t session, std::uint32_t id, protocol::Message reply);
  template <typename M>
  void post(std::uint64_t session, std::uint32_t id, const M& reply) {
    post(session, id, protocol::encode(id, reply));
  }

  std::vector<Delivery> take();

 private:
  std::mutex mutex_;
  std::function<void()> wake_;  // empty: closed, posts are dropped
  std::vector<Delivery> inbox_;
};

}  // namespace faasmjs::gateway::transport
