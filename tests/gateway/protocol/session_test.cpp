// Sessions (tools/gateway/transport/session.h) against a fake backend and the real state tier: exactly-once
// by request id, kept replies within their bounds, ReplyLost, AWAIT and CANCEL, state in arrival order,
// and what a session's end releases.
#include "transport/session.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <map>

#include "protocol/frame_reader.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::protocol;
using namespace faasmjs::gateway::transport;

namespace {

class FakeBackend : public Backend {
 public:
  Expected<CallId> submit(CallRequest request, CallDone done) override {
    if (request.function == "nope") return fail(ErrorCode::UnknownFunction, "no function nope");
    submitted.push_back(std::move(request));
    pending.push_back(std::move(done));
    return static_cast<CallId>(pending.size());
  }
  bool cancel(CallId id) override {
    cancelled.push_back(id);
    if (!pending[id - 1]) return false;
    finish(id, CallResult{1, CallStatus::Cancelled, "cancelled", 0, 0, "{}", "", "", {}});
    return true;
  }
  std::size_t workers() const override { return 1; }
  Expected<void> accept_upload(std::string_view, std::string_view, std::span<const std::uint8_t>) override {
    return {};
  }
  Expected<void> put_shared_file(std::string_view path, std::span<const std::uint8_t> data) override {
    shared_files[std::string(path)].assign(data.begin(), data.end());
    return {};
  }
  Expected<std::optional<std::vector<std::uint8_t>>> get_shared_file(std::string_view path) override {
    auto file = shared_files.find(std::string(path));
    if (file == shared_files.end()) return std::optional<std::vector<std::uint8_t>>{};
    return std::optional(file->second);
  }
  std::map<std::string, std::vector<std::uint8_t>> shared_files;
  // Runs call `id`'s completion, as a backend thread would.
  void finish(CallId id, CallResult result) {
    auto done = std::exchange(pending[id - 1], nullptr);
    done(std::move(result));
  }
  std::vector<CallRequest> submitted;
  std::vector<CallDone> pending;
  std::vector<CallId> cancelled;
};

class NoRegistry : public registry::FunctionRegistry {
 public:
  Expected<registry::UploadInfo> upload(std::string_view, std::span<const std::uint8_t>) override {
    return fail(ErrorCode::BadWasm, "no uploads here");
  }
  std::shared_ptr<const registry::RegisteredFunction> find(std::string_view) const override { return nullptr; }
  std::optional<std::filesystem::path> browser_file(std::string_view) const override { return std::nullopt; }
  std::filesystem::path browser_directory() const override { return {}; }
  std::vector<std::string> names() const override { return {}; }
};

struct SessionFixture {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("faasmjs-session-test-" + std::to_string(getpid()));
  FakeBackend backend;
  NoRegistry registry;
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks = state::StateLocks::create();
  SerialExecutor io{1};
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::mutex mutex;
  std::condition_variable woken;
  std::size_t wakes = 0;
  Services services{backend, *open_store(), *locks, registry, io, mailbox};
  Limits limits{1 << 20, 1 << 16, 1 << 24};

  SessionFixture() {
    mailbox->open([this] {
      std::lock_guard lock(mutex);
      ++wakes;
      woken.notify_all();
    });
  }
  ~SessionFixture() {
    mailbox->close();
    std::filesystem::remove_all(dir);
  }
  state::GlobalStore* open_store() {
    std::filesystem::remove_all(dir);
    store = std::move(*state::GlobalStore::open(dir));
    return store.get();
  }

  // Delivers what the mailbox holds, waiting (bounded) until `count` deliveries have arrived.
  void deliver(std::vector<Session*> sessions, std::size_t count) {
    std::size_t delivered = 0;
    for (int round = 0; round < 500 && delivered < count; ++round) {
      {
        std::unique_lock lock(mutex);
        woken.wait_for(lock, std::chrono::milliseconds(10));
      }
      for (auto& delivery : mailbox->take()) {
        ++delivered;
        for (Session* session : sessions) {
          if (session->id() == delivery.session) session->complete(delivery.id, std::move(delivery.reply));
        }
      }
    }
    REQUIRE(delivered == count);
  }

  // Every reply queued on the session, decoded, with its id.
  std::vector<std::pair<std::uint32_t, ServerMessage>> replies(Session& session) {
    FrameReader reader(limits);
    std::vector<Message> messages;
    std::vector<FrameProblem> problems;
    for (Bytes frame = session.out().next_frame(); !frame.empty(); frame = session.out().next_frame()) {
      reader.read(frame, messages, problems);
    }
    REQUIRE(problems.empty());
    std::vector<std::pair<std::uint32_t, ServerMessage>> decoded;
    for (auto& message : messages) {
      auto reply = decode_server(message);
      REQUIRE(reply.has_value());
      decoded.emplace_back(message.id, std::move(*reply));
    }
    return decoded;
  }

  ServerMessage only_reply(Session& session, std::uint32_t id) {
    auto all = replies(session);
    REQUIRE(all.size() == 1);
    CHECK(all[0].first == id);
    return all[0].second;
  }
};

ErrorCode error_code(const ServerMessage& reply) {
  REQUIRE(std::holds_alternative<ErrorReply>(reply));
  return std::get<ErrorReply>(reply).code;
}

template <typename M>
Message request(std::uint32_t id, const M& message) {
  return encode(id, message);
}

CallResult finished(std::string output) {
  return CallResult{
      0, CallStatus::Finished, "", 1, 2, R"({"where":"cluster"})", "", "", Bytes(output.begin(), output.end())};
}

}  // namespace

TEST_SUITE("sessions") {
  TEST_CASE_FIXTURE(SessionFixture, "an INVOKE re-sent while running or after is answered, never run again") {
    Session session(1, "alice", services, limits);
    const Message invoke = request(7, Invoke{"echo", 0, "", 0, Bytes{1, 2}, {}, ""});
    session.handle(invoke);
    session.handle(invoke);
    CHECK(backend.submitted.size() == 1);
    CHECK(backend.submitted[0].user == "alice");
    CHECK(replies(session).empty());
    backend.finish(1, finished("out"));
    deliver({&session}, 1);
    auto result = only_reply(session, 7);
    CHECK(std::get<Result>(result).output == Bytes{'o', 'u', 't'});
    session.handle(invoke);
    CHECK(std::get<Result>(only_reply(session, 7)).output == Bytes{'o', 'u', 't'});
    CHECK(backend.submitted.size() == 1);
    session.handle(request(7, Invoke{"echo", 0, "", 0, Bytes{3}, {}, ""}));
    CHECK(error_code(only_reply(session, 7)) == ErrorCode::DuplicateId);
  }

  TEST_CASE_FIXTURE(SessionFixture, "replies beyond the kept count are forgotten: ReplyLost, not a second run") {
    Session session(1, "alice", services, limits, KeptLimits{2, 1 << 20});
    for (std::uint32_t id = 1; id <= 3; ++id) session.handle(request(id, Ping{Bytes{static_cast<std::uint8_t>(id)}}));
    CHECK(replies(session).size() == 3);
    session.handle(request(1, Ping{Bytes{1}}));
    CHECK(error_code(only_reply(session, 1)) == ErrorCode::ReplyLost);
    session.handle(request(3, Ping{Bytes{3}}));
    CHECK(std::get<Pong>(only_reply(session, 3)).payload == Bytes{3});
  }

  TEST_CASE_FIXTURE(SessionFixture, "replies beyond the kept bytes are forgotten, oldest first") {
    Session session(1, "alice", services, limits, KeptLimits{100, 3000});
    for (std::uint32_t id = 1; id <= 3; ++id) session.handle(request(id, Ping{Bytes(1000, 0)}));
    replies(session);
    session.handle(request(1, Ping{Bytes(1000, 0)}));
    CHECK(error_code(only_reply(session, 1)) == ErrorCode::ReplyLost);
    session.handle(request(2, Ping{Bytes(1000, 0)}));
    CHECK(std::holds_alternative<Pong>(only_reply(session, 2)));
  }

  TEST_CASE_FIXTURE(SessionFixture, "AWAIT: running, finished, forgotten, and not a call") {
    Session session(1, "alice", services, limits, KeptLimits{2, 1 << 20});
    session.handle(request(1, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    session.handle(request(2, Await{1}));
    session.handle(request(3, Await{99}));
    CHECK(error_code(only_reply(session, 3)) == ErrorCode::UnknownCall);
    backend.finish(1, finished("x"));
    deliver({&session}, 1);
    auto both = replies(session);
    REQUIRE(both.size() == 2);
    CHECK(both[0].first == 2);
    CHECK(both[1].first == 1);
    session.handle(request(4, Await{1}));
    CHECK(std::holds_alternative<Result>(only_reply(session, 4)));
    // Kept, in the order they finished: 1 and 4 (3 and 2 went first). One more pushes 1 out.
    session.handle(request(5, Ping{}));
    replies(session);
    session.handle(request(6, Await{1}));
    CHECK(error_code(only_reply(session, 6)) == ErrorCode::ReplyLost);
    session.handle(request(7, Invoke{"nope", 0, "", 0, {}, {}, ""}));
    CHECK(error_code(only_reply(session, 7)) == ErrorCode::UnknownFunction);
  }

  TEST_CASE_FIXTURE(SessionFixture, "CANCEL: a running call, a finished one, and a non-call") {
    Session session(1, "alice", services, limits);
    session.handle(request(1, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    session.handle(request(2, Cancel{1}));
    auto cancelled = replies(session);
    CHECK(std::get<Ack>(cancelled.at(0).second).value == 1);
    deliver({&session}, 1);
    CHECK(std::get<Result>(only_reply(session, 1)).status == CallStatus::Cancelled);
    session.handle(request(3, Cancel{1}));
    CHECK(std::get<Ack>(only_reply(session, 3)).value == 0);
    session.handle(request(4, Cancel{2}));
    CHECK(error_code(only_reply(session, 4)) == ErrorCode::UnknownCall);
  }

  TEST_CASE_FIXTURE(SessionFixture, "state requests take effect in arrival order, namespaced by user") {
    Session session(1, "alice", services, limits);
    session.handle(request(1, StateSet{"k", Bytes{1, 2, 3}}));
    session.handle(request(2, StatePush{"k", 4, false, {{3, Bytes{9}}}}));
    session.handle(request(3, StatePull{"k", 0, kToEnd}));
    session.handle(request(4, StateKeys{""}));
    deliver({&session}, 4);
    auto all = replies(session);
    REQUIRE(all.size() == 4);
    CHECK(std::get<StateValue>(all[2].second).data == Bytes{1, 2, 3, 9});
    CHECK(std::get<StateKeyList>(all[3].second).keys == std::vector<std::string>{"k"});
    CHECK(store->size("alice_k") == 4);
  }

  TEST_CASE_FIXTURE(SessionFixture, "nothing over maxBody: a value's size, a read of appended elements") {
    limits.max_body = 1000;
    Session session(1, "alice", services, limits);
    session.handle(request(1, StatePush{"huge", 0xFFFFFFF0u, false, {}}));
    session.handle(request(2, StatePush{"huge", 1001, true, {}}));
    for (std::uint32_t id = 3; id <= 5; ++id) session.handle(request(id, StateAppend{"log", Bytes(400, 1)}));
    session.handle(request(6, StateReadAppended{"log", 2}));
    session.handle(request(7, StateReadAppended{"log", 3}));
    deliver({&session}, 7);
    auto all = replies(session);
    REQUIRE(all.size() == 7);
    CHECK(error_code(all[0].second) == ErrorCode::BadState);
    CHECK(error_code(all[1].second) == ErrorCode::BadState);
    CHECK(store->size("alice_huge") == 0);
    CHECK(std::get<StateAppended>(all[5].second).elements.size() == 2);
    CHECK(error_code(all[6].second) == ErrorCode::BadState);
  }

  TEST_CASE_FIXTURE(SessionFixture, "a session that ends cancels its running calls and releases its locks") {
    auto first = std::make_unique<Session>(1, "alice", services, limits);
    Session second(2, "alice", services, limits);
    first->handle(request(1, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    first->handle(request(2, StateLock{"L", true}));
    deliver({first.get()}, 1);
    second.handle(request(1, StateLock{"L", true}));
    first.reset();
    deliver({&second}, 2);  // the cancelled call's RESULT (for the gone session), then the lock
    CHECK(backend.cancelled == std::vector<CallId>{1});
    CHECK(std::get<Ack>(only_reply(second, 1)).value == 1);
  }

  TEST_CASE_FIXTURE(SessionFixture, "sparse request ids are refused once their forgotten ids form too many ranges") {
    Session session(1, "alice", services, limits, KeptLimits{1, 1 << 20, 8});
    // Every other id: each forgotten one is a range of its own.
    for (std::uint32_t id = 2; id <= 2 * 9; id += 2) session.handle(request(id, Ping{}));
    CHECK(replies(session).size() == 9);
    session.handle(request(1001, Ping{}));
    auto refused = only_reply(session, 1001);
    CHECK(error_code(refused) == ErrorCode::LimitExceeded);
    CHECK(std::get<ErrorReply>(refused).message.find("8 ranges, the limit") != std::string::npos);
    // Not a request of the session: it did not run and costs nothing kept.
    session.handle(request(2, Ping{}));
    CHECK(error_code(only_reply(session, 2)) == ErrorCode::ReplyLost);
  }

  TEST_CASE_FIXTURE(SessionFixture, "requests in flight are bounded per session") {
    limits.max_in_flight = 3;
    Session session(1, "alice", services, limits);
    for (std::uint32_t id = 1; id <= 4; ++id) session.handle(request(id, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    CHECK(backend.submitted.size() == 3);
    auto refused = only_reply(session, 4);
    CHECK(error_code(refused) == ErrorCode::LimitExceeded);
    CHECK(std::get<ErrorReply>(refused).message.find("3 requests of this session have no reply yet") !=
          std::string::npos);
    backend.finish(1, finished("x"));
    deliver({&session}, 1);
    replies(session);
    session.handle(request(5, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    CHECK(backend.submitted.size() == 4);
  }

  TEST_CASE_FIXTURE(SessionFixture, "replies kept by all sessions together are bounded, not only each session's") {
    KeptTotal total;
    total.max_bytes = 5000;
    std::vector<std::unique_ptr<Session>> sessions;
    for (std::uint64_t id = 1; id <= 10; ++id) {
      sessions.push_back(std::make_unique<Session>(id, "alice", services, limits, KeptLimits{100, 1 << 20}, &total));
      for (std::uint32_t request_id = 1; request_id <= 2; ++request_id) {
        sessions.back()->handle(request(request_id, Ping{Bytes(1000, 0)}));
      }
      replies(*sessions.back());
      CHECK(total.bytes <= total.max_bytes);
    }
    // The sessions made last found the total full: they kept nothing of their own.
    sessions.back()->handle(request(1, Ping{Bytes(1000, 0)}));
    CHECK(error_code(only_reply(*sessions.back(), 1)) == ErrorCode::ReplyLost);
    sessions[0]->handle(request(2, Ping{Bytes(1000, 0)}));
    CHECK(std::holds_alternative<Pong>(only_reply(*sessions[0], 2)));
    sessions.clear();
    CHECK(total.bytes == 0);
    CHECK(total.replies == 0);
  }

  TEST_CASE_FIXTURE(SessionFixture, "a RESULT over maxBody is never sent: a Failed one says why") {
    limits.max_body = 1000;
    Session session(1, "alice", services, limits);
    session.handle(request(1, Invoke{"echo", 0, "", 0, {}, {}, ""}));
    backend.finish(1, finished(std::string(2000, 'x')));
    deliver({&session}, 1);
    const auto result = std::get<Result>(only_reply(session, 1));
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.return_value == 1);
    CHECK(result.output.empty());
    CHECK(result.error.starts_with("the call's RESULT would be "));
    CHECK(result.error.ends_with(" bytes, over maxBody (1000)"));
  }

  TEST_CASE_FIXTURE(SessionFixture,
                    "a user's state is bounded by the quota: a push that declares a large value is refused") {
    limits.state_quota = 10000;
    Session alice(1, "alice", services, limits);
    Session bob(2, "bob", services, limits);
    alice.handle(request(1, StateSet{"a", Bytes(6000, 1)}));
    // 15 bytes on the wire, declaring a value that would take alice over her quota.
    alice.handle(request(2, StatePush{"huge", 5000, false, {}}));
    alice.handle(request(3, StatePush{"a", 9000, true, {}}));
    alice.handle(request(4, StatePush{"small", 4000, false, {}}));
    bob.handle(request(1, StatePush{"huge", 5000, false, {}}));
    deliver({&alice, &bob}, 5);
    auto all = replies(alice);
    REQUIRE(all.size() == 4);
    CHECK(std::holds_alternative<Ack>(all[0].second));
    CHECK(error_code(all[1].second) == ErrorCode::LimitExceeded);
    CHECK(std::get<ErrorReply>(all[1].second).message ==
          "'huge' at 5000 bytes would bring user 'alice''s state to 11000 bytes, over the quota of 10000 "
          "(--state-quota)");
    CHECK(std::holds_alternative<StateValue>(all[2].second));
    CHECK(error_code(all[3].second) == ErrorCode::LimitExceeded);
    CHECK(store->size("alice_huge") == 0);
    CHECK(std::holds_alternative<Ack>(only_reply(bob, 1)));
  }

  TEST_CASE_FIXTURE(SessionFixture,
                    "STATE_LOCK: a re-lock and a deadlock between sessions are ERRORs, not waits forever") {
    Session first(1, "alice", services, limits);
    Session second(2, "alice", services, limits);
    first.handle(request(1, StateLock{"a", true}));
    second.handle(request(1, StateLock{"b", true}));
    deliver({&first, &second}, 2);
    replies(first);
    replies(second);
    first.handle(request(2, StateLock{"a", true}));
    deliver({&first}, 1);
    auto relock = only_reply(first, 2);
    CHECK(error_code(relock) == ErrorCode::BadState);
    CHECK(std::get<ErrorReply>(relock).message.find("already locked for write by this caller") != std::string::npos);
    // Each waits for the other. Sessions run their requests on threads of their own, so either may arrive
    // second: that one closes the cycle and is refused, the other waits.
    first.handle(request(3, StateLock{"b", true}));
    second.handle(request(2, StateLock{"a", true}));
    deliver({&first, &second}, 1);
    auto from_first = replies(first);
    auto from_second = replies(second);
    REQUIRE(from_first.size() + from_second.size() == 1);
    const bool second_refused = from_second.size() == 1;
    const auto& [refused_id, refused] = second_refused ? from_second[0] : from_first[0];
    CHECK(refused_id == (second_refused ? 2u : 3u));
    CHECK(error_code(refused) == ErrorCode::BadState);
    const std::string wanted = second_refused ? "a" : "b";
    CHECK(std::get<ErrorReply>(refused).message.starts_with("deadlock: a write lock on 'alice_" + wanted +
                                                            "' would wait for"));
    // Breaking the cycle (the refused session lets go of what it holds) ends the other's wait.
    Session& refused_session = second_refused ? second : first;
    Session& waiting = second_refused ? first : second;
    refused_session.handle(request(4, StateUnlock{second_refused ? "b" : "a", true}));
    deliver({&first, &second}, 2);
    CHECK(std::get<Ack>(only_reply(waiting, second_refused ? 3 : 2)).value == 1);
  }
}
