// Sessions (tools/gateway/transport/session.h) against a fake cluster and the real state tier: exactly-once
// by request id, kept replies within their bounds, ReplyLost, AWAIT and CANCEL, state in arrival order,
// and what a session's end releases.
#include <doctest/doctest.h>

#include <condition_variable>
#include <filesystem>
#include <unistd.h>

#include "protocol/frame_reader.h"
#include "transport/session.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::protocol;
using namespace faasmjs::gateway::transport;

namespace {

class FakeCluster : public Cluster {
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
  // Runs call `id`'s completion, as a cluster thread would.
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
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("faasmjs-session-test-" + std::to_string(getpid()));
  FakeCluster cluster;
  NoRegistry registry;
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks = state::StateLocks::create();
  SerialExecutor io{1};
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::mutex mutex;
  std::condition_variable woken;
  std::size_t wakes = 0;
  Services services{cluster, *open_store(), *locks, registry, io, mailbox};
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
  return CallResult{0, CallStatus::Finished, "", 1, 2, R"({"where":"cluster"})", "", "", Bytes(output.begin(), output.end())};
}

}  // namespace

TEST_SUITE("sessions") {
  TEST_CASE_FIXTURE(SessionFixture, "an INVOKE re-sent while running or after is answered, never run again") {
    Session session(1, "alice", services, limits);
    const Message invoke = request(7, Invoke{"echo", 0, "", 0, Bytes{1, 2}});
    session.handle(invoke);
    session.handle(invoke);
    CHECK(cluster.submitted.size() == 1);
    CHECK(cluster.submitted[0].user == "alice");
    CHECK(replies(session).empty());
    cluster.finish(1, finished("out"));
    deliver({&session}, 1);
    auto result = only_reply(session, 7);
    CHECK(std::get<Result>(result).output == Bytes{'o', 'u', 't'});
    session.handle(invoke);
    CHECK(std::get<Result>(only_reply(session, 7)).output == Bytes{'o', 'u', 't'});
    CHECK(cluster.submitted.size() == 1);
    session.handle(request(7, Invoke{"echo", 0, "", 0, Bytes{3}}));
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
    session.handle(request(1, Invoke{"echo", 0, "", 0, {}}));
    session.handle(request(2, Await{1}));
    session.handle(request(3, Await{99}));
    CHECK(error_code(only_reply(session, 3)) == ErrorCode::UnknownCall);
    cluster.finish(1, finished("x"));
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
    session.handle(request(7, Invoke{"nope", 0, "", 0, {}}));
    CHECK(error_code(only_reply(session, 7)) == ErrorCode::UnknownFunction);
  }

  TEST_CASE_FIXTURE(SessionFixture, "CANCEL: a running call, a finished one, and a non-call") {
    Session session(1, "alice", services, limits);
    session.handle(request(1, Invoke{"echo", 0, "", 0, {}}));
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
    first->handle(request(1, Invoke{"echo", 0, "", 0, {}}));
    first->handle(request(2, StateLock{"L", true}));
    deliver({first.get()}, 1);
    second.handle(request(1, StateLock{"L", true}));
    first.reset();
    deliver({&second}, 2);  // the cancelled call's RESULT (for the gone session), then the lock
    CHECK(cluster.cancelled == std::vector<CallId>{1});
    CHECK(std::get<Ack>(only_reply(second, 1)).value == 1);
  }
}
