// The wire protocol's STATE_* requests against the global store (docs/protocol.md): each takes the
// function-visible key, namespaces it by the session's user as Faasm does (`<user>_<key>`), and returns the
// reply to send: the request's reply message, or ERROR. Blocking (writes fsync): called on the I/O pool.
//
// `max_body` (WELCOME's maxBody) bounds what one request may make the gateway hold: a value may not grow
// beyond it (a 4 GiB STATE_PUSH size would otherwise be allocated), and a reply body may not exceed it (the
// client would refuse it): such requests are BadState. `state_quota` bounds the bytes of all of a user's
// values: a STATE_PUSH or STATE_SET that would take them over it is LimitExceeded and changes nothing.
#pragma once

#include <string>

#include "protocol/frame_header.h"
#include "protocol/message_codec.h"
#include "state/global_store.h"

namespace faasmjs::gateway::transport {

std::string global_key(const std::string& user, const std::string& key);

protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StateSize& request);
protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StatePull& request,
                          std::size_t max_body);
protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StatePush& request,
                          const protocol::Limits& limits);
protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StateSet& request,
                          const protocol::Limits& limits);
protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StateAppend& request);
protocol::Message execute(state::GlobalStore& store, const std::string& user,
                          const protocol::StateReadAppended& request, std::size_t max_body);
protocol::Message execute(state::GlobalStore& store, const std::string& user,
                          const protocol::StateClearAppended& request);
protocol::Message execute(state::GlobalStore& store, const std::string& user, const protocol::StateKeys& request);

}  // namespace faasmjs::gateway::transport
