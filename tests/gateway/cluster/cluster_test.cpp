// The embedded cluster with everything real: the registry and compiler over the wasm sub-build's functions,
// faasmjs-worker processes, the durable store in a scratch directory. Each case starts a cluster of its own.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <future>
#include <string>
#include <thread>

#include "cluster/worker_pool.h"

namespace fs = std::filesystem;
using namespace faasmjs::gateway;
using namespace std::chrono_literals;

namespace {

fs::path env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) throw std::runtime_error(std::string("set ") + name);
  return value;
}

// The functions of several folders of the sub-build, joined in one --functions directory by links.
fs::path function_dir(const fs::path& scratch) {
  const fs::path dir = scratch / "functions";
  fs::create_directories(dir);
  for (const char* folder : {"examples/functions", "tests/gateway/functions", "tests/js/runtime/functions"}) {
    for (const auto& entry : fs::directory_iterator(env_path("FAASMJS_WASM_DIR") / folder)) {
      if (entry.path().extension() == ".wasm" || entry.path().extension() == ".json") {
        fs::create_symlink(entry.path(), dir / entry.path().filename());
      }
    }
  }
  return dir;
}

struct ClusterFixture {
  ClusterFixture(std::size_t workers = 2, std::chrono::milliseconds timeout = 30s) {
    scratch = fs::temp_directory_path() / ("faasmjs-cluster-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    store = std::move(*state::GlobalStore::open(scratch / "state"));
    locks = state::StateLocks::create();
    tier = state::HostTier::create(*store);
    compiler = std::move(*aot::Compiler::create({env_path("FAASMJS_TEST_CACHE")}));
    registry = std::move(*registry::FunctionRegistry::open(
        {scratch / "data", function_dir(scratch), env_path("FAASMJS_ASYNCIFY"), {}}, *compiler));
    ClusterLimits limits;
    limits.workers = workers;
    limits.default_timeout = timeout;
    limits.memory_limit_bytes = 64ull << 20;
    cluster = cluster::create_cluster({limits, 64, env_path("FAASMJS_WORKER"), *registry, *store, *tier, *locks, {}});
  }
  ~ClusterFixture() {
    cluster.reset();
    registry.reset();
    fs::remove_all(scratch);
  }

  std::future<CallResult> start(const std::string& function, const std::string& input = "",
                                std::chrono::milliseconds timeout = 0ms, CallId* id = nullptr) {
    auto promise = std::make_shared<std::promise<CallResult>>();
    auto future = promise->get_future();
    auto submitted = cluster->submit({"test", function, 0, {input.begin(), input.end()}, "", timeout},
                                     [promise](CallResult result) { promise->set_value(std::move(result)); });
    REQUIRE(submitted.has_value());
    if (id) *id = *submitted;
    return future;
  }

  CallResult call(const std::string& function, const std::string& input = "", std::chrono::milliseconds timeout = 0ms) {
    auto future = start(function, input, timeout);
    REQUIRE(future.wait_for(120s) == std::future_status::ready);
    return future.get();
  }

  static inline int counter = 0;
  fs::path scratch;
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks;
  std::unique_ptr<state::HostTier> tier;
  std::unique_ptr<aot::Compiler> compiler;
  std::unique_ptr<registry::FunctionRegistry> registry;
  std::unique_ptr<Cluster> cluster;
};

std::string text(const CallResult& result) { return {result.output.begin(), result.output.end()}; }

// Kills this process's worker that is busy running (state R): the looping call's.
bool kill_running_worker() {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state, ppid;
    if (!(stat >> pid >> comm >> state >> ppid)) continue;
    if (comm == "(faasmjs-worker)" && state == "R" && std::stoi(ppid) == getpid()) {
      return ::kill(std::stoi(pid), SIGKILL) == 0;
    }
  }
  return false;
}

}  // namespace

TEST_SUITE("cluster") {
  TEST_CASE("runs the examples with the outputs of examples/functions/README.md") {
    ClusterFixture fixture;
    const struct {
      const char* function;
      const char* input;
      const char* output;
    } rows[] = {
        {"hello", "", "Hello Faasm!"},
        {"hello", "Ada", "Hello Ada!"},
        {"echo", "", "Nothing to echo"},
        {"chain", "", "sum of squares 1..4 = 30; words in 3 sentences = 9"},
        {"state", "", "settings fast/3; counters[2..3] = 20,30; counters[7] = 107; log total = 7"},
        {"blocking_indirect", "", "chained 42 via virtual, pointer, std::function; state 7 via virtual, pointer, std::function"},
        {"pi", "4 100000", "Pi estimate from 4 x 100000 samples: 3.139630 (error 0.001963)"},
        {"faasm_compat", "", "sum of doubles: 12"},
    };
    for (const auto& row : rows) {
      CAPTURE(row.function);
      CAPTURE(row.input);
      const auto result = fixture.call(row.function, row.input);
      CHECK(result.error == "");
      CHECK(result.return_value == 0);
      CHECK(text(result) == row.output);
    }
    const auto chain = fixture.call("chain");
    CHECK(chain.trace_json.find("\"function\":\"chain_worker\"") != std::string::npos);
  }

  TEST_CASE("a fork-join of 100 and nesting deeper than the workers never deadlock") {
    ClusterFixture fixture(2);
    CHECK(text(fixture.call("fanout", "100")) == "100 calls, 0 failed");
    CHECK(text(fixture.call("nested", "6")) == "6>5>4>3>2>1>0");
    std::vector<std::future<CallResult>> many;
    for (int i = 0; i < 8; ++i) many.push_back(fixture.start("fanout", "20"));
    for (auto& result : many) {
      REQUIRE(result.wait_for(120s) == std::future_status::ready);
      CHECK(text(result.get()) == "20 calls, 0 failed");
    }
  }

  TEST_CASE("traps, loops, memory bombs and crashes end their call; the cluster keeps serving") {
    ClusterFixture fixture(2, 2000ms);
    auto trap = fixture.call("probe", "trap");
    CHECK(trap.status == CallStatus::Trapped);
    CHECK(trap.return_value == 1);
    auto loop = fixture.call("runaway", "loop", 1000ms);
    CHECK(loop.status == CallStatus::TimedOut);
    CHECK(loop.error == "runaway exceeded its time limit of 1000 ms");
    auto bomb = fixture.call("runaway", "memory");
    CHECK(bomb.status == CallStatus::MemoryExceeded);

    CallId id = 0;
    auto crashing = fixture.start("runaway", "loop", 20000ms, &id);
    std::this_thread::sleep_for(300ms);
    // A worker killed from outside (an OOM killer, an operator) is a crash of its call only.
    REQUIRE(kill_running_worker());
    REQUIRE(crashing.wait_for(30s) == std::future_status::ready);
    CHECK(crashing.get().status == CallStatus::Crashed);
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("cancel ends a queued or running call and everything it chained") {
    ClusterFixture fixture(1);
    CallId running = 0, queued = 0;
    auto first = fixture.start("runaway", "loop", 20000ms, &running);
    auto second = fixture.start("hello", "", 0ms, &queued);
    std::this_thread::sleep_for(200ms);
    CHECK(fixture.cluster->cancel(queued));
    CHECK(fixture.cluster->cancel(running));
    REQUIRE(first.wait_for(30s) == std::future_status::ready);
    REQUIRE(second.wait_for(30s) == std::future_status::ready);
    CHECK(first.get().status == CallStatus::Cancelled);
    CHECK(second.get().status == CallStatus::Cancelled);
    CHECK_FALSE(fixture.cluster->cancel(running));

    CallId tree = 0;
    auto computing = fixture.start("pi", "8 400000000", 0ms, &tree);
    std::this_thread::sleep_for(300ms);
    CHECK(fixture.cluster->cancel(tree));
    REQUIRE(computing.wait_for(30s) == std::future_status::ready);
    const auto cancelled = computing.get();
    CHECK(cancelled.status == CallStatus::Cancelled);
    CHECK(cancelled.trace_json.find("\"status\":\"cancelled\"") != std::string::npos);
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("unknown functions: refused at the top, a failed call when chained") {
    ClusterFixture fixture;
    auto refused = fixture.cluster->submit({"test", "no_such_function", 0, {}, "", 0ms}, [](CallResult) {});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::UnknownFunction);
    CHECK(text(fixture.call("probe", "unknown_chain")) == "await returned 1");
    CHECK(text(fixture.call("probe", "await_unknown")) == "await returned 1");
  }

  TEST_CASE("state lives in the host tier and the global store, across calls") {
    ClusterFixture fixture;
    CHECK(text(fixture.call("state_relay", "put k hello-world")) == "ok");
    CHECK(text(fixture.call("state_relay", "get k")) == "hello-world");
    CHECK(text(fixture.call("state_relay", "patch k 6 WORLD")) == "hello-WORLD");
    auto stored = fixture.store->pull("test_k", 0, state::kToEnd);
    REQUIRE(stored.has_value());
    REQUIRE(stored->has_value());
    CHECK(std::string((*stored)->bytes.begin(), (*stored)->bytes.end()) == "hello-WORLD");
    CHECK(text(fixture.call("state_relay", "append l abc")) == "ok");
    CHECK(text(fixture.call("state_relay", "log l 1")) == "abc.....");
    // Concurrent read-modify-writes under a write lock lose no update.
    std::vector<std::future<CallResult>> lockers;
    for (int i = 0; i < 6; ++i) lockers.push_back(fixture.start("locker"));
    std::set<std::string> written;
    for (auto& locker : lockers) {
      REQUIRE(locker.wait_for(60s) == std::future_status::ready);
      written.insert(text(locker.get()));
    }
    CHECK(written == std::set<std::string>{"1", "2", "3", "4", "5", "6"});
  }
}
