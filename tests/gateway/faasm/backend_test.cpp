// The Faasm backend (faasm/faasm_backend.h) driven directly, without sessions or sockets, against the real Faasm
// cluster ctest's fixture started: the project's own clang builds registered as --functions would register them
// (without AOT compiling), uploaded to Faasm per user by the backend, called through the planner and polled to their
// results. Calls with input, cmdline, a chain of 4 calls by pointer and 3 by name and its trace, a trap and a non-zero
// return, a timeout and a cancel (Faasm runs both calls to their end), more calls than the cluster has slots, the
// planner stopped mid-call (SIGSTOP, then SIGCONT: it comes back, and so does the result), an upload server that is
// down, and functions whose imports Faasm's WAMR lacks.
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "aot/aot_compiler.h"
#include "cluster.h"
#include "faasm/faasm_backend.h"
#include "faasm/planner_client.h"
#include "registry/function_registry.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;
using namespace faasmjs::gateway::faasm::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// examples/functions, and the test functions: probe (one behaviour per input), sleeper (state + a sleep).
const std::vector<std::pair<std::string, std::string>>& functions() {
  static const std::vector<std::pair<std::string, std::string>> all = {
      {"examples/functions", "hello"},        {"examples/functions", "echo"},  {"examples/functions", "chain"},
      {"examples/functions", "chain_worker"}, {"examples/functions", "state"}, {"tests/js/runtime/functions", "probe"},
      {"tests/gateway/functions", "sleeper"},
  };
  return all;
}

// A registry over the chosen functions (links in a folder of their own) and a backend per endpoint pair.
struct Setup {
  fs::path dir = fs::temp_directory_path() / freshName("faasmjs-backend-test-");
  std::unique_ptr<aot::Compiler> compiler;
  std::unique_ptr<registry::FunctionRegistry> registry;
  std::vector<std::string> log;
  std::mutex log_mutex;

  Setup() {
    const fs::path build = required("FAASMJS_WASM_DIR");
    fs::create_directories(dir / "functions");
    for (const auto& [folder, name] : functions()) {
      for (const char* suffix : {".wasm", ".async.wasm", ".manifest.json"}) {
        const fs::path file = build / folder / (name + suffix);
        REQUIRE_MESSAGE(fs::exists(file), file.string() << " is missing: build the wasm-clang sub-build");
        fs::create_symlink(file, dir / "functions" / (name + suffix));
      }
    }
    aot::CompilerOptions options;
    options.cache_dir = dir / "cache";
    auto made = aot::Compiler::create(options);
    REQUIRE_MESSAGE(made.has_value(), made.error().message);
    compiler = std::move(*made);
    auto opened = registry::FunctionRegistry::open({dir / "data", dir / "functions", "faasmjs-asyncify-not-needed",
                                                    [this](std::string_view line) { note(line); }, false},
                                                   *compiler);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    registry = std::move(*opened);
  }
  ~Setup() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  void note(std::string_view line) {
    std::lock_guard lock(log_mutex);
    log.emplace_back(line);
  }
  bool logged(std::string_view text) {
    std::lock_guard lock(log_mutex);
    return std::ranges::any_of(log, [&](const std::string& line) { return line.find(text) != std::string::npos; });
  }

  std::unique_ptr<Backend> backend(std::string planner, std::string upload, ClusterLimits limits = {}) {
    limits.default_timeout = 60s;
    return create_faasm_backend({std::move(planner), std::move(upload), limits, *registry,
                                 [this](std::string_view line) { note(line); }, 4, 4, 3000ms, 1500ms});
  }
};

Setup& setup() {
  static Setup shared;
  return shared;
}

// One backend for the cluster's endpoints, shared by the cases (its user's functions are uploaded once).
Backend& cluster_backend() {
  static std::unique_ptr<Backend> shared = setup().backend(cluster().planner, cluster().upload);
  return *shared;
}

constexpr const char* kBackendUser = "faasmjs-backend";

CallRequest request(std::string function, std::string input = {}, std::string user = kBackendUser) {
  CallRequest call;
  call.user = std::move(user);
  call.function = std::move(function);
  call.input.assign(input.begin(), input.end());
  return call;
}

struct Submitted {
  CallId id = 0;
  std::shared_future<CallResult> result;
};

Submitted submit(Backend& backend, CallRequest call) {
  auto promise = std::make_shared<std::promise<CallResult>>();
  auto future = promise->get_future().share();
  auto id = backend.submit(std::move(call), [promise](CallResult result) { promise->set_value(std::move(result)); });
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  return {*id, future};
}

CallResult wait(const Submitted& call, std::chrono::seconds bound = 180s) {
  REQUIRE_MESSAGE(call.result.wait_for(bound) == std::future_status::ready,
                  "no result within " << bound.count() << " s");
  return call.result.get();
}

CallResult run(Backend& backend, CallRequest call) { return wait(submit(backend, std::move(call))); }

std::string text(const CallResult& result) { return {result.output.begin(), result.output.end()}; }

bool has(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

std::string host_in(const std::string& trace) {
  const std::string key = "\"host\":\"";
  const auto at = trace.find(key);
  if (at == std::string::npos) return {};
  return trace.substr(at + key.size(), trace.find('"', at + key.size()) - at - key.size());
}

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

bool is_worker(const std::string& host) {
  return std::ranges::find(cluster().workers, host) != cluster().workers.end();
}

pid_t planner_pid() {
  std::ifstream in(required("FAASMJS_FAASM_DIR") + "/pids/planner.pid");
  pid_t pid = 0;
  in >> pid;
  REQUIRE_MESSAGE(pid > 0, "no planner pid in " << required("FAASMJS_FAASM_DIR") << "/pids/planner.pid");
  return pid;
}

// The planner stopped (SIGSTOP) for the scope, always continued: a planner killed mid-call breaks the cluster.
class PlannerStopped {
 public:
  PlannerStopped() : pid_(planner_pid()) { REQUIRE(kill(pid_, SIGSTOP) == 0); }
  ~PlannerStopped() { kill(pid_, SIGCONT); }
  PlannerStopped(const PlannerStopped&) = delete;
  PlannerStopped& operator=(const PlannerStopped&) = delete;

 private:
  pid_t pid_;
};

}  // namespace

TEST_SUITE("backend") {
  TEST_CASE("hello and echo run on one of the cluster's hosts, with their input; the trace names Faasm and the host") {
    const auto started = std::chrono::steady_clock::now();
    CallResult hello = run(cluster_backend(), request("hello", "Ada"));
    MESSAGE("first call of the user (its functions uploaded first): "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms");
    CHECK_MESSAGE(hello.status == CallStatus::Finished, hello.error);
    CHECK(hello.return_value == 0);
    CHECK(text(hello) == "Hello Ada!");
    CHECK(has(hello.trace_json, "\"where\":\"cluster\",\"backend\":\"faasm\""));
    CHECK(has(hello.trace_json, "\"function\":\"hello\""));
    CHECK(has(hello.trace_json, "\"status\":\"finished\""));
    CHECK(is_worker(host_in(hello.trace_json)));
    CHECK(cluster_backend().workers() == 16);  // 2 workers x 8 slots (fixture.sh)

    const std::string bytes("\x01\x02 any bytes \x7f", 15);
    CallResult echo = run(cluster_backend(), request("echo", bytes));
    CHECK(echo.status == CallStatus::Finished);
    CHECK(text(echo) == bytes);
    CHECK(text(run(cluster_backend(), request("echo"))) == "Nothing to echo");

    // Warm: the user's functions are on Faasm; what one call costs end to end.
    std::vector<double> ms;
    for (int i = 0; i < 20; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      CHECK(text(run(cluster_backend(), request("hello", "Ada"))) == "Hello Ada!");
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::ranges::sort(ms);
    MESSAGE("hello through the backend, 20 calls: median " << ms[10] << " ms, max " << ms.back() << " ms");
  }

  TEST_CASE("chain: 4 calls by pointer and 3 by name on Faasm, flat in the trace with their hosts") {
    CallResult chain = run(cluster_backend(), request("chain"));
    CHECK_MESSAGE(chain.status == CallStatus::Finished, chain.error);
    CHECK(text(chain) == "sum of squares 1..4 = 30; words in 3 sentences = 9");
    const auto chained = chain.trace_json.substr(chain.trace_json.find("\"chained\":["));
    CHECK(count(chained, "\"function\":\"chain\"") == 4);
    CHECK(count(chained, "\"function\":\"chain_worker\"") == 3);
    CHECK(count(chained, "\"status\":\"finished\"") == 7);
    CHECK(count(chained, "\"backend\":\"faasm\"") == 7);
    CHECK(is_worker(host_in(chained)));
  }

  TEST_CASE("cmdline reaches the function's argv") {
    CallRequest argv = request("probe", "argv");
    argv.cmdline = "alpha beta";
    CallResult result = run(cluster_backend(), argv);
    CHECK_MESSAGE(result.status == CallStatus::Finished, result.error);
    CHECK_MESSAGE(has(text(result), "alpha beta"), text(result));
  }

  TEST_CASE("a trap is Trapped with Faasm's reason; a non-zero return is that return value") {
    CallResult trap = run(cluster_backend(), request("probe", "trap"));
    CHECK(trap.status == CallStatus::Trapped);
    CHECK(trap.return_value == 1);
    CHECK(trap.error.starts_with("probe failed on Faasm (host "));
    CHECK(trap.error.size() > std::string("probe failed on Faasm (host 127.0.0.1): ").size());
    MESSAGE("a trap on Faasm: " << trap.error);
    CHECK(has(trap.trace_json, "\"status\":\"trapped\""));

    CallResult returned = run(cluster_backend(), request("probe", "return"));
    CHECK(returned.status == CallStatus::Finished);
    CHECK(returned.return_value == 3);
    CHECK(text(returned) == "Call failed (return value=3)");
  }

  TEST_CASE("an unknown function is refused at submit, and no result comes") {
    auto refused =
        cluster_backend().submit(request("no_such_function"), [](CallResult) { FAIL("a result for a refused call"); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::UnknownFunction);
    CHECK(has(refused.error().message, "no_such_function"));
  }

  TEST_CASE("shared files go to Faasm's upload server (PUT /file, FilePath) and come back; a missing one is none") {
    const std::string path = "faasmjs-backend/" + freshName("shared") + ".txt";
    const std::string contents = "shared through the backend";
    auto stored = cluster_backend().put_shared_file(
        path, {reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()});
    REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
    auto direct = upload().getFile(path);
    REQUIRE_MESSAGE(direct.has_value(), direct.error().message);
    CHECK(direct->value_or("") == contents);
    auto got = cluster_backend().get_shared_file(path);
    REQUIRE_MESSAGE(got.has_value(), got.error().message);
    REQUIRE(got->has_value());
    CHECK(std::string((*got)->begin(), (*got)->end()) == contents);
    auto missing = cluster_backend().get_shared_file(path + ".none");
    REQUIRE_MESSAGE(missing.has_value(), missing.error().message);
    CHECK_FALSE(missing->has_value());
  }

  TEST_CASE("a call with seeded files is refused at submit, naming what Faasm cannot take") {
    auto call = request("hello");
    call.files.push_back({"/tmp/in.txt", {'x'}});
    auto refused = cluster_backend().submit(std::move(call), [](CallResult) { FAIL("a result for a refused call"); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::BadState);
    CHECK(refused.error().message ==
          "INVOKE of hello seeds 1 file(s), which Faasm cannot take with a call (upload "
          "shared files instead and read them as faasm://PATH)");
  }

  TEST_CASE("a timeout and a cancel end the wait; Faasm runs both calls to their end") {
    CallRequest slow = request("sleeper", freshName("timeout") + " 3000");
    slow.timeout = 1000ms;
    const auto t0 = std::chrono::steady_clock::now();
    CallResult timed_out = run(cluster_backend(), slow);
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(timed_out.status == CallStatus::TimedOut);
    CHECK(has(timed_out.error, "timeout of 1000 ms"));
    CHECK(took >= 1000ms);
    CHECK(took < 2500ms);

    Submitted long_call = submit(cluster_backend(), request("sleeper", freshName("cancel") + " 3000"));
    std::this_thread::sleep_for(500ms);
    CHECK(cluster_backend().cancel(long_call.id));
    CallResult cancelled = wait(long_call, 5s);
    CHECK(cancelled.status == CallStatus::Cancelled);
    CHECK(has(cancelled.error, "runs to its end there"));
    CHECK_FALSE(cluster_backend().cancel(long_call.id));
    CHECK(text(run(cluster_backend(), request("hello", "after"))) == "Hello after!");
  }

  TEST_CASE("more calls than slots: the ones the planner has no host for are retried until slots free up") {
    // Wait for the cancelled and timed-out sleepers of the case before to leave their slots.
    std::this_thread::sleep_for(3s);
    std::vector<Submitted> calls;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 24; ++i)
      calls.push_back(submit(cluster_backend(), request("sleeper", freshName("slots") + " 1000")));
    std::set<std::string> hosts;
    for (auto& call : calls) {
      CallResult result = wait(call);
      CHECK_MESSAGE(result.status == CallStatus::Finished, result.error);
      CHECK(text(result) == "run #1");
      hosts.insert(host_in(result.trace_json));
    }
    const auto took = std::chrono::steady_clock::now() - t0;
    MESSAGE("24 calls of 1 s on 16 slots: " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                            << " ms");
    CHECK(took >= 2000ms);  // 8 of them waited for a slot
    CHECK(hosts.size() == 2);
  }

  TEST_CASE("a call that finds no slot within its timeout fails, naming who held the slots") {
    // This gateway's own calls hold them all: the 17th waits in the gateway and never reaches the planner.
    std::vector<Submitted> sleepers;
    for (int i = 0; i < 16; ++i)
      sleepers.push_back(submit(cluster_backend(), request("sleeper", freshName("held") + " 2000")));
    CallRequest late = request("hello", "late");
    late.timeout = 500ms;
    CallResult waited = run(cluster_backend(), late);
    CHECK(waited.status == CallStatus::Failed);
    CHECK_MESSAGE(has(waited.error,
                      "no Faasm host had a free slot within the call's timeout of 500 ms (this "
                      "gateway's other calls held all of them; the cluster has 16 slots)"),
                  waited.error);
    for (auto& sleeper : sleepers) CHECK(wait(sleeper).status == CallStatus::Finished);

    // Another client of Faasm holds them: the planner answers "No available hosts" until the timeout.
    PlannerClient planner(cluster().planner);
    BatchRequest others{freshId(), kBackendUser, "sleeper", {}};
    for (int i = 0; i < 16; ++i)
      others.messages.push_back({freshId(), kBackendUser, "sleeper", freshName("other") + " 2000", "", 0});
    auto accepted = planner.executeBatch(others);
    REQUIRE_MESSAGE(accepted.has_value(), accepted.error().message);
    REQUIRE(*accepted == Submission::Accepted);
    CallRequest refused = request("hello", "refused");
    refused.timeout = 800ms;
    CallResult retried = run(cluster_backend(), refused);
    CHECK(retried.status == CallStatus::Failed);
    CHECK_MESSAGE(
        has(retried.error, "answered \"No available hosts\" to every EXECUTE_BATCH; the cluster has 16 slots"),
        retried.error);
    awaitFinished(planner, others.appId, others.messages.size());
    CHECK(text(run(cluster_backend(), request("hello", "again"))) == "Hello again!");
  }

  TEST_CASE("the planner stopped: a clear error naming it, and calls work again once it is back") {
    {
      PlannerStopped stopped;
      CallResult result = run(cluster_backend(), request("hello", "stopped"));
      CHECK(result.status == CallStatus::Failed);
      CHECK_MESSAGE(has(result.error, "Faasm's planner at " + cluster().planner + " did not answer within 1500 ms"),
                    result.error);
    }
    // Mid-call, for a while: the polls get no answer, and are made again until the planner is back; the result is
    // not lost. The call outlasts the stop: a worker that finishes while the planner is stopped may send its result
    // again once it answers, and the planner aborts on the second one (the fixture's README), ending the cluster.
    Submitted resumed = submit(cluster_backend(), request("sleeper", freshName("pause") + " 4000"));
    std::this_thread::sleep_for(500ms);
    {
      PlannerStopped stopped;
      std::this_thread::sleep_for(2s);
    }
    CallResult after_pause = wait(resumed, 30s);
    CHECK_MESSAGE(after_pause.status == CallStatus::Finished, after_pause.error);
    CHECK(text(after_pause) == "run #1");
    // Mid-call, past the call's timeout: it fails naming the planner and saying the call may still run.
    CallRequest sleeper = request("sleeper", freshName("stop") + " 6000");
    sleeper.timeout = 3000ms;
    Submitted running = submit(cluster_backend(), sleeper);
    std::this_thread::sleep_for(500ms);
    {
      PlannerStopped stopped;
      CallResult result = wait(running, 20s);
      CHECK(result.status == CallStatus::Failed);
      CHECK_MESSAGE(has(result.error, "no result within the call's timeout of 3000 ms: Faasm's planner at " +
                                          cluster().planner + " did not answer within 1500 ms (EXECUTE_BATCH_STATUS)"),
                    result.error);
      CHECK(has(result.error, "the call may still run on Faasm"));
    }
    // The sleeper ends on Faasm with the planner answering, before the next case.
    std::this_thread::sleep_for(3s);
    CallResult again;
    for (int attempt = 0; attempt < 20; ++attempt) {
      again = run(cluster_backend(), request("hello", "again"));
      if (again.status == CallStatus::Finished) break;
      std::this_thread::sleep_for(500ms);
    }
    CHECK_MESSAGE(text(again) == "Hello again!", again.error);
  }

  TEST_CASE("an upload server that is down fails the call naming it; the planner's URL down names the planner") {
    LoopbackPort closed(false);
    auto no_upload = setup().backend(cluster().planner, closed.url());
    CallResult result = run(*no_upload, request("hello", "", freshName("nobody")));
    CHECK(result.status == CallStatus::Failed);
    CHECK_MESSAGE(has(result.error, "Faasm's upload server at " + closed.url() + " refused the connection"),
                  result.error);

    auto no_planner = setup().backend(closed.url(), cluster().upload);
    CHECK(no_planner->workers() == 0);
    CHECK(setup().logged("Faasm's planner at " + closed.url() + " refused the connection (GET_AVAILABLE_HOSTS)"));
  }

  TEST_CASE("imports Faasm's WAMR lacks: refused at upload naming them, reported at start, a call fails saying so") {
    const std::string wasm = readFile(required("FAASMJS_WASM_DIR") + "/examples/functions/state.wasm");
    auto refused = cluster_backend().accept_upload(kBackendUser, "state_copy",
                                                   {reinterpret_cast<const std::uint8_t*>(wasm.data()), wasm.size()});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::BadWasm);
    CHECK(refused.error().message.starts_with("state_copy cannot run on Faasm: its WAMR backend lacks "));
    CHECK(has(refused.error().message, "env.__faasm_write_state_offset"));
    CHECK(setup().logged("state cannot run on Faasm: its WAMR backend lacks env.__faasm_"));
    CallResult call = run(cluster_backend(), request("state"));
    CHECK(call.status == CallStatus::Failed);
    CHECK(has(call.error, "state cannot run on Faasm: its WAMR backend lacks env.__faasm_"));
  }

  TEST_CASE("UPLOAD reaches Faasm under the uploader; a binary Faasm refuses gets its reason") {
    const std::string hello = readFile(required("FAASMJS_WASM_DIR") + "/examples/functions/hello.wasm");
    auto bytes = [](const std::string& s) {
      return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    };
    auto uploaded = cluster_backend().accept_upload(kBackendUser, "hello_again", bytes(hello));
    CHECK_MESSAGE(uploaded.has_value(), uploaded.error().message);
    CHECK_FALSE(setup().logged("hello_again of user faasmjs-backend was replaced"));
    // Another binary under the same name: Faasm takes it, and the gateway says its hosts may keep the old one.
    const std::string echo = readFile(required("FAASMJS_WASM_DIR") + "/examples/functions/echo.wasm");
    auto replaced = cluster_backend().accept_upload(kBackendUser, "hello_again", bytes(echo));
    CHECK_MESSAGE(replaced.has_value(), replaced.error().message);
    CHECK(
        setup().logged("hello_again of user faasmjs-backend was replaced on Faasm's upload server; Faasm hosts that "
                       "already ran the old version may go on running it until they are flushed"));
    // Well-formed as far as the gateway reads (no imports), but a code section without its function section:
    // WAMR's loader on the upload server refuses it.
    const std::string broken("\0asm\x01\0\0\0\x0a\x04\x01\x02\x00\x0b", 14);
    auto refused = cluster_backend().accept_upload(kBackendUser, "broken", bytes(broken));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::BadWasm);
    CHECK_MESSAGE(
        has(refused.error().message, "broken: Faasm's upload server at " + cluster().upload + " refused PUT /f/"),
        refused.error().message);
  }
}
