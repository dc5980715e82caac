// A cluster with everything real: the registry and compiler over the wasm sub-build's functions,
// faasmjs-worker processes, the durable store in a scratch directory. Each test case makes its own.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cluster/worker_pool.h"

namespace cluster_test {

namespace fs = std::filesystem;
using namespace faasmjs::gateway;
using namespace std::chrono_literals;

inline fs::path env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) throw std::runtime_error(std::string("set ") + name);
  return value;
}

// The function folders of the wasm sub-build the tests use, joined in one --functions directory by links.
inline fs::path function_dir(const fs::path& scratch, const std::set<std::string>& left_out) {
  const fs::path dir = scratch / "functions";
  fs::create_directories(dir);
  for (const char* folder : {"examples/functions", "tests/gateway/functions", "tests/js/runtime/functions",
                             "tests/gateway/cluster/functions"}) {
    const fs::path built = env_path("FAASMJS_WASM_DIR") / folder;
    if (!fs::is_directory(built)) {
      throw std::runtime_error(built.string() + " is missing: the wasm sub-build must build " + folder);
    }
    for (const auto& entry : fs::directory_iterator(built)) {
      const auto name = entry.path().filename().string();
      const auto function = name.substr(0, name.find('.'));
      const auto extension = entry.path().extension();
      if ((extension == ".wasm" || extension == ".json") && !left_out.contains(function)) {
        fs::create_symlink(entry.path(), dir / name);
      }
    }
  }
  return dir;
}

struct Options {
  std::size_t workers = 2;
  std::chrono::milliseconds timeout = 30s;
  std::size_t max_processes = 64;
  std::set<std::string> left_out = {};  // functions not registered
  std::size_t max_waiting = 256;
  std::chrono::milliseconds idle_retire = 10s;
  std::chrono::milliseconds lock_timeout = state::StateLocks::kDefaultWaitTimeout;
  ClusterLimits limits = {};  // workers, timeout and memory limit are the fields above's
};

struct ClusterFixture {
  explicit ClusterFixture(Options options = {}) {
    scratch =
        fs::temp_directory_path() / ("faasmjs-cluster-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    store = std::move(*state::GlobalStore::open(scratch / "state"));
    locks = state::StateLocks::create(options.lock_timeout);
    tier = state::HostTier::create(*store);
    aot::CompilerOptions compiler_options;  // by name: a half-filled aggregate is a -Wextra warning
    compiler_options.cache_dir = env_path("FAASMJS_TEST_CACHE");
    compiler = std::move(*aot::Compiler::create(compiler_options));
    registry = std::move(*registry::FunctionRegistry::open(
        {scratch / "data", function_dir(scratch, options.left_out), env_path("FAASMJS_ASYNCIFY"), {}}, *compiler));
    shared_files = std::move(*registry::SharedFileStore::open(scratch / "data"));
    ClusterLimits limits = options.limits;
    limits.workers = options.workers;
    limits.default_timeout = options.timeout;
    limits.memory_limit_bytes = 64ull << 20;
    cluster = cluster::create_cluster({limits, options.max_processes, env_path("FAASMJS_WORKER"), *registry,
                                       *shared_files, *store, *tier, *locks,
                                       [this](std::string_view line) {
                                         std::lock_guard guard(log_mutex);
                                         log.emplace_back(line);
                                       },
                                       options.max_waiting, options.idle_retire});
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
    auto submitted = cluster->submit({"test", function, 0, {input.begin(), input.end()}, "", timeout, {}},
                                     [promise](CallResult result) { promise->set_value(std::move(result)); });
    REQUIRE(submitted.has_value());
    if (id) *id = *submitted;
    return future;
  }

  static CallResult wait(std::future<CallResult>& future) {
    REQUIRE(future.wait_for(120s) == std::future_status::ready);
    return future.get();
  }

  CallResult call(const std::string& function, const std::string& input = "", std::chrono::milliseconds timeout = 0ms) {
    auto future = start(function, input, timeout);
    return wait(future);
  }

  std::vector<std::string> log_lines() {
    std::lock_guard guard(log_mutex);
    return log;
  }

  static inline int counter = 0;
  fs::path scratch;
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks;
  std::unique_ptr<state::HostTier> tier;
  std::unique_ptr<aot::Compiler> compiler;
  std::unique_ptr<registry::FunctionRegistry> registry;
  std::unique_ptr<registry::SharedFileStore> shared_files;
  std::mutex log_mutex;
  std::vector<std::string> log;
  std::unique_ptr<Backend> cluster;
};

inline std::string text(const CallResult& result) { return {result.output.begin(), result.output.end()}; }

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// This process's faasmjs-worker children, with their state letter (R running, S sleeping, Z zombie).
inline std::vector<std::pair<pid_t, char>> workers_of_this_process() {
  std::vector<std::pair<pid_t, char>> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state, ppid;
    if (!(stat >> pid >> comm >> state >> ppid)) continue;
    if (comm == "(faasmjs-worker)" && std::stoi(ppid) == getpid()) found.emplace_back(std::stoi(pid), state[0]);
  }
  return found;
}

// Polls (for at most a generous bound) until `done` holds.
template <class Done>
bool eventually(Done done, std::chrono::seconds bound = 30s) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace cluster_test
