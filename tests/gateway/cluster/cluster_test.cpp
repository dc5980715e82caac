// The embedded cluster's worker pool with real workers, compiler, registry and store (cluster_fixture.hpp).
// One doctest suite per ctest test gateway.cluster.<suite>.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "cluster_fixture.hpp"
#include "expected_outputs.hpp"

using namespace cluster_test;

TEST_SUITE("examples") {
  TEST_CASE("every example gives the output of examples/functions/README.md") {
    ClusterFixture fixture;
    for (const auto& row : faasmjs_test::expected_outputs(FAASMJS_EXAMPLES_README)) {
      const std::string input = row.input.value_or("");
      CAPTURE(row.function);
      CAPTURE(input);
      const auto result = fixture.call(row.function, input);
      CHECK(result.status == CallStatus::Finished);
      CHECK(result.return_value == row.return_value);
      // A function's own failure is Finished with a non-zero return value, its output as the error.
      CHECK(result.error == (row.return_value == 0 ? "" : row.function + " returned 1: " + row.output));
      CHECK(text(result) == row.output);
    }
    const auto malformed = fixture.call("chain_worker", "not a cereal Sentence");
    CHECK(malformed.return_value == 1);
    CHECK(text(malformed).starts_with("decode_failed: input: "));
  }

  TEST_CASE("chain's trace holds its seven chained calls, by pointer and by name") {
    ClusterFixture fixture;
    const auto chain = fixture.call("chain");
    REQUIRE(text(chain) == "sum of squares 1..4 = 30; words in 3 sentences = 9");
    CHECK(chain.trace_json.starts_with("{\"where\":\"cluster\",\"function\":\"chain\",\"id\":0,"));
    CHECK(count_of(chain.trace_json, "\"function\":\"chain_worker\"") == 3);
    CHECK(count_of(chain.trace_json, "\"function\":\"chain\"") == 1 + 4);
    CHECK(count_of(chain.trace_json, "\"status\":\"finished\"") == 1 + 7);
    CHECK_FALSE(contains(chain.trace_json, "\"worker\":0,"));    // every one ran in a worker process
    CHECK(count_of(chain.trace_json, "\"funcPtr\":") == 4);      // the squares, chained by pointer
    CHECK(count_of(chain.trace_json, "\"startUs\":") == 1 + 7);  // every call is on the timeline
    CHECK(contains(chain.trace_json, "\"startUs\":0,\"endUs\":"));
  }

  TEST_CASE("chain without chain_worker deployed fails as the README says") {
    ClusterFixture fixture({.left_out = {"chain_worker"}});
    const auto chain = fixture.call("chain");
    CHECK(chain.return_value == 1);
    CHECK(text(chain).starts_with("call_failed: 3 of 3 chained calls failed; first: chained call "));
    CHECK(contains(text(chain), "(chain_worker) returned 1"));
    CHECK(count_of(chain.trace_json, "\"status\":\"failed\"") == 3);
  }
}

TEST_SUITE("trees") {
  TEST_CASE("a fork-join of 100 and nesting deeper than the workers never deadlock") {
    ClusterFixture fixture({.workers = 2});
    const auto fanout = fixture.call("fanout", "100");
    CHECK(text(fanout) == "100 calls, 0 failed");
    CHECK(count_of(fanout.trace_json, "\"function\":\"noop\"") == 100);
    CHECK(text(fixture.call("nested", "6")) == "6>5>4>3>2>1>0");
    std::vector<std::future<CallResult>> many;
    for (int i = 0; i < 8; ++i) many.push_back(fixture.start("fanout", "20"));
    for (auto& result : many) CHECK(text(ClusterFixture::wait(result)) == "20 calls, 0 failed");
  }

  TEST_CASE("a chain deeper than the process cap, and more fork-joins than the cap, still finish") {
    ClusterFixture fixture({.workers = 2, .max_processes = 2});
    CHECK(text(fixture.call("nested", "12")) == "12>11>10>9>8>7>6>5>4>3>2>1>0");
    std::vector<std::future<CallResult>> many;
    for (int i = 0; i < 4; ++i) many.push_back(fixture.start("fanout", "10"));
    for (auto& result : many) CHECK(text(ClusterFixture::wait(result)) == "10 calls, 0 failed");
    // Once nothing waits, idle processes beyond the cap go.
    CHECK(eventually([] { return workers_of_this_process().size() <= 2; }));
  }

  TEST_CASE("a call finishes after the calls it chained and never awaited") {
    ClusterFixture fixture;
    const auto forgot = fixture.call("tree_probe", "forget 20");
    CHECK(text(forgot) == "forgot 20");
    CHECK(count_of(forgot.trace_json, "\"function\":\"noop\"") == 20);
    CHECK(count_of(forgot.trace_json, "\"status\":\"finished\"") == 1 + 20);
  }

  TEST_CASE("awaits: an unknown id, the call's own ancestor and an unknown function return 1") {
    ClusterFixture fixture;
    const auto unknown_id = fixture.call("probe", "await_unknown");
    CHECK(text(unknown_id) == "await returned 1");
    CHECK(contains(unknown_id.stderr_text, "await of unknown call id 424242 (returns 1, as Faasm does on error)"));
    CHECK(text(fixture.call("tree_probe", "ancestor")) == "await returned 1");

    const auto unknown_chain = fixture.call("probe", "unknown_chain");
    CHECK(text(unknown_chain) == "await returned 1");
    CHECK(contains(unknown_chain.trace_json, "\"function\":\"no_such_function\""));
    CHECK(contains(unknown_chain.trace_json,
                   "\"error\":\"chained call 1 (no_such_function) failed: no function named 'no_such_function' is "
                   "registered\""));

    auto refused = fixture.cluster->submit({"test", "no_such_function", 0, {}, "", 0ms, {}},
                                           [](CallResult) { FAIL("done ran for a refused call"); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::UnknownFunction);
  }

  TEST_CASE("time spent awaiting chained calls is not execution time") {
    // Four 400 ms sleepers one after another (one worker) take 1.6 s, over the 1 s limit that each of them
    // and their caller get: the caller must not time out while it waits.
    ClusterFixture fixture({.workers = 1, .timeout = 1000ms});
    const auto result = fixture.call("tree_probe", "sleepers 4 400");
    CHECK(result.status == CallStatus::Finished);
    CHECK(text(result) == "4 slept");
  }
}

// What residue finds in an instance no call has touched (tests/gateway/cluster/functions/residue.cpp).
const std::string kUntouched = "data 7 bss 0 constructed 1 kept none memory unmarked pages ";

TEST_SUITE("isolation") {
  TEST_CASE("traps, loops and memory bombs end their call; the cluster keeps serving") {
    ClusterFixture fixture({.timeout = 5000ms});
    const auto trap = fixture.call("probe", "trap");
    CHECK(trap.status == CallStatus::Trapped);
    CHECK(trap.return_value == 1);
    CHECK(trap.error != "");
    const auto stack = fixture.call("runaway", "stack");
    CHECK(stack.status == CallStatus::Trapped);
    // Out of bounds, as in the browser, whether the loaded value is used or not (aot/memory_helpers.cpp).
    for (const std::string input : {"used_load", "unused_load"}) {
      CAPTURE(input);
      const auto load = fixture.call("probe", input);
      CHECK(load.status == CallStatus::Trapped);
      CHECK(load.error.starts_with("probe trapped: memory access out of bounds\n    at "));
    }

    const auto loop = fixture.call("runaway", "loop", 1000ms);
    CHECK(loop.status == CallStatus::TimedOut);
    CHECK(loop.return_value == 1);
    CHECK(loop.error == "runaway exceeded its time limit of 1000 ms");
    CHECK(loop.trace_json.find("\"status\":\"timedOut\"") != std::string::npos);
    CHECK(text(fixture.call("runaway", "ok")) == "ok");

    const auto bomb = fixture.call("runaway", "memory");
    CHECK(bomb.status == CallStatus::MemoryExceeded);
    CHECK(bomb.return_value == 1);
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("calls on a kept instance find nothing of the calls before them, trapped or not") {
    ClusterFixture fixture({.workers = 1});
    const auto first = fixture.call("residue");
    REQUIRE(first.status == CallStatus::Finished);
    CHECK(contains(first.trace_json, "\"instance\":\"new\""));
    const std::string fresh = text(first);
    CHECK(fresh.substr(0, kUntouched.size()) == kUntouched);
    for (const std::string input : {"", "trap", "", "trap", ""}) {
      CAPTURE(input);
      const auto next = fixture.call("residue", input);
      CHECK(next.status == (input == "trap" ? CallStatus::Trapped : CallStatus::Finished));
      CHECK(text(next) == fresh);
      CHECK(contains(next.trace_json, "\"instance\":\"reset\""));
    }
    CHECK(workers_of_this_process().size() == 1);
  }

  TEST_CASE("a function whose constructors call an import gets a new instance for every call") {
    ClusterFixture fixture({.workers = 1});
    for (int i = 0; i < 3; ++i) {
      const auto call = fixture.call("residue_clock");
      CHECK(text(call).substr(0, kUntouched.size()) == kUntouched);
      CHECK(contains(call.trace_json, "\"instance\":\"new\""));
    }
  }

  TEST_CASE("the memory limit holds on a kept instance, and a call over it leaves the instance usable") {
    ClusterFixture fixture({.workers = 1});
    CHECK(text(fixture.call("runaway", "ok")) == "ok");
    const auto bomb = fixture.call("runaway", "memory");
    CHECK(bomb.status == CallStatus::MemoryExceeded);
    CHECK(contains(bomb.trace_json, "\"instance\":\"reset\""));
    const auto after = fixture.call("runaway", "ok");
    CHECK(text(after) == "ok");
    CHECK(contains(after.trace_json, "\"instance\":\"reset\""));
  }

  TEST_CASE("a worker killed while running crashes its call only; one killed while idle is replaced") {
    ClusterFixture fixture({.workers = 1});
    // A worker kept from a first call, so that the one running below is the loop, not a worker starting up.
    CHECK(text(fixture.call("runaway", "ok")) == "ok");
    auto crashing = fixture.start("runaway", "loop", 60000ms);
    pid_t looping = 0;
    REQUIRE(eventually([&] {
      for (const auto& [pid, state] : workers_of_this_process()) {
        if (state == 'R') looping = pid;
      }
      return looping != 0;
    }));
    // A worker killed from outside (an OOM killer, an operator) is a crash of its call only.
    REQUIRE(::kill(looping, SIGKILL) == 0);
    const auto crashed = ClusterFixture::wait(crashing);
    CHECK(crashed.status == CallStatus::Crashed);
    CHECK(crashed.error == "runaway: its worker process died (signal 9 (Killed))");
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");

    // The idle worker kept for the next call dies: that call gets a fresh one.
    const auto idle = workers_of_this_process();
    REQUIRE(idle.size() == 1);
    REQUIRE(::kill(idle[0].first, SIGKILL) == 0);
    REQUIRE(eventually([&] {
      const auto now = workers_of_this_process();
      return now.size() == 1 && now[0].second == 'Z';
    }));
    CHECK(text(fixture.call("hello", "again")) == "Hello again!");
  }

  TEST_CASE("a worker inherits no descriptor of the gateway but its channel") {
    const fs::path marker = fs::temp_directory_path() / ("faasmjs-cluster-fd-" + std::to_string(getpid()));
    // Without O_CLOEXEC, as some libraries open theirs; above fd 3, which the worker's channel replaces.
    const int opened = ::open(marker.c_str(), O_CREAT | O_RDWR, 0600);
    REQUIRE(opened >= 0);
    const int leaky = ::fcntl(opened, F_DUPFD, 64);
    ::close(opened);
    REQUIRE(leaky >= 64);
    ClusterFixture fixture({.workers = 1});
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
    const auto kept = workers_of_this_process();
    REQUIRE(kept.size() == 1);
    std::size_t seen = 0;
    for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(kept[0].first) + "/fd")) {
      std::error_code error;
      CHECK(fs::read_symlink(fd.path(), error) != marker);
      ++seen;
    }
    CHECK(seen >= 4);  // stdio and fd 3 at least: the listing itself worked
    ::close(leaky);
    fs::remove(marker);
  }
}

TEST_SUITE("cancel") {
  TEST_CASE("cancel ends a queued or a running call") {
    ClusterFixture fixture({.workers = 1});
    // Both compiled first: a call waiting for its function to compile gives its token to the next call.
    CHECK(text(fixture.call("runaway", "ok")) == "ok");
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
    CallId running = 0, queued = 0;
    auto first = fixture.start("runaway", "loop", 60000ms, &running);
    REQUIRE(eventually([] {
      for (const auto& [pid, state] : workers_of_this_process()) {
        if (state == 'R') return true;
      }
      return false;
    }));
    auto second = fixture.start("hello", "", 0ms, &queued);  // behind the loop, which holds the only token
    CHECK(fixture.cluster->cancel(queued));
    const auto dropped = ClusterFixture::wait(second);
    CHECK(dropped.status == CallStatus::Cancelled);
    CHECK(dropped.error == "hello was cancelled");
    CHECK(dropped.trace_json.find("\"worker\":0,") != std::string::npos);  // it never ran
    CHECK(fixture.cluster->cancel(running));
    CHECK(ClusterFixture::wait(first).status == CallStatus::Cancelled);
    CHECK_FALSE(fixture.cluster->cancel(running));
    CHECK_FALSE(fixture.cluster->cancel(queued));
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("cancelling a call cancels everything it chained") {
    ClusterFixture fixture({.workers = 2});
    CallId tree = 0;
    auto computing = fixture.start("pi", "8 400000000", 0ms, &tree);
    REQUIRE(eventually([] { return workers_of_this_process().size() >= 2; }));
    CHECK(fixture.cluster->cancel(tree));
    const auto cancelled = ClusterFixture::wait(computing);
    CHECK(cancelled.status == CallStatus::Cancelled);
    // However many workers pi had chained by then, every call of the tree ended cancelled.
    const auto calls = count_of(cancelled.trace_json, "\"function\":\"pi\"");
    CHECK(calls >= 2);
    CHECK(count_of(cancelled.trace_json, "\"status\":\"cancelled\"") == calls);
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("cancelling a call whose function returned stops the calls it left running") {
    ClusterFixture fixture({.workers = 2});
    CallId id = 0;
    auto spawned = fixture.start("tree_probe", "spawn sleeper spawned_runs 60000", 120000ms, &id);
    // The sleeper counts its run in state before it sleeps: then it was chained (and tree_probe returns right
    // after chaining it).
    REQUIRE(eventually([&] {
      auto runs = fixture.store->pull("test_spawned_runs", 0, state::kToEnd);
      return runs.has_value() && runs->has_value();
    }));
    CHECK(spawned.wait_for(0s) == std::future_status::timeout);  // the sleeper sleeps: the call is not over
    CHECK(fixture.cluster->cancel(id));
    const auto result = ClusterFixture::wait(spawned);
    CHECK(result.status == CallStatus::Cancelled);
    CHECK(contains(result.trace_json, "\"function\":\"sleeper\""));
    CHECK(count_of(result.trace_json, "\"status\":\"cancelled\"") == 2);
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }

  TEST_CASE("destroying the cluster cancels what runs and waits, and returns") {
    ClusterFixture fixture({.workers = 1});
    auto looping = fixture.start("runaway", "loop", 60000ms);
    auto waiting = fixture.start("nested", "3");
    REQUIRE(eventually([] { return !workers_of_this_process().empty(); }));
    fixture.cluster.reset();
    CHECK(ClusterFixture::wait(looping).status == CallStatus::Cancelled);
    CHECK(ClusterFixture::wait(waiting).status == CallStatus::Cancelled);
    CHECK(eventually([] { return workers_of_this_process().empty(); }));
  }
}

TEST_SUITE("state") {
  TEST_CASE("state lives in the host tier and the global store, across calls") {
    ClusterFixture fixture;
    CHECK(text(fixture.call("state_relay", "put k hello-world")) == "ok");
    CHECK(text(fixture.call("state_relay", "get k")) == "hello-world");
    CHECK(text(fixture.call("state_relay", "patch k 6 WORLD")) == "hello-WORLD");
    // Keys are namespaced with the user, as Faasm's keyForUser does.
    auto stored = fixture.store->pull("test_k", 0, state::kToEnd);
    REQUIRE(stored.has_value());
    REQUIRE(stored->has_value());
    CHECK(std::string((*stored)->bytes.begin(), (*stored)->bytes.end()) == "hello-WORLD");
    CHECK(text(fixture.call("state_relay", "append l abc")) == "ok");
    CHECK(text(fixture.call("state_relay", "log l 1")) == "abc.....");
  }

  TEST_CASE("concurrent read-modify-writes under a write lock lose no update") {
    ClusterFixture fixture;
    std::vector<std::future<CallResult>> lockers;
    for (int i = 0; i < 6; ++i) lockers.push_back(fixture.start("locker"));
    std::set<std::string> written;
    for (auto& locker : lockers) written.insert(text(ClusterFixture::wait(locker)));
    CHECK(written == std::set<std::string>{"1", "2", "3", "4", "5", "6"});
  }

  TEST_CASE("a lock held when the function returns is released, with a warning, to the call waiting for it") {
    ClusterFixture fixture;
    const auto held = fixture.call("tree_probe", "hold locker_counter");
    CHECK(held.status == CallStatus::Finished);
    CHECK(text(held) == "held locker_counter");
    CHECK(contains(held.stderr_text, "faasm.js: tree_probe ended holding 1 state lock(s) (released)"));
    // The locker it chained waited for that lock and got it once the holder ended.
    CHECK(contains(held.trace_json, "\"function\":\"locker\""));
    CHECK(count_of(held.trace_json, "\"status\":\"finished\"") == 2);
    CHECK(text(fixture.call("locker")) == "2");
  }
}

// A call's RUN may follow the running one's to its worker when no other slot could start it (worker_pool.cpp,
// send_behind): it starts there the moment the one ahead has returned, or goes back to the queue when that one
// makes a host call first or its worker ends.
TEST_SUITE("pipelining") {
  TEST_CASE("calls sent behind calls that make host calls run once each") {
    ClusterFixture fixture({.workers = 1});
    // Each function once first: a call whose function the pool has not seen compiled yet waits for it without a
    // token, and the calls queued behind it may start in a process of their own meanwhile.
    REQUIRE(text(fixture.call("hello")) == "Hello Faasm!");
    REQUIRE(text(fixture.call("state_relay", "clear pipelined")) == "ok");
    constexpr int kPairs = 20;
    std::vector<std::future<CallResult>> appends, hellos;
    for (int i = 0; i < kPairs; ++i) {
      appends.push_back(fixture.start("state_relay", "append pipelined x"));
      hellos.push_back(fixture.start("hello"));
    }
    for (auto& append : appends) CHECK(text(ClusterFixture::wait(append)) == "ok");
    for (auto& hello : hellos) CHECK(text(ClusterFixture::wait(hello)) == "Hello Faasm!");
    // Each append ran exactly once: the log holds kPairs elements, no more.
    std::string log;
    for (int i = 0; i < kPairs; ++i) log += "x.......";
    CHECK(text(fixture.call("state_relay", "log pipelined " + std::to_string(kPairs))) == log);
    const auto appended = fixture.store->read_appended("test_pipelined", kPairs + 1);
    REQUIRE(appended.has_value());
    CHECK(appended->size() == kPairs);
    CHECK(workers_of_this_process().size() == 1);
  }

  TEST_CASE("calls sent behind one that times out, traps or is cancelled still run, and only once") {
    ClusterFixture fixture({.workers = 1});
    REQUIRE(text(fixture.call("hello")) == "Hello Faasm!");
    auto loop = fixture.start("runaway", "loop", 500ms);
    std::vector<std::future<CallResult>> behind_loop;
    for (int i = 0; i < 5; ++i) behind_loop.push_back(fixture.start("hello"));
    auto trap = fixture.start("probe", "trap");
    std::vector<std::future<CallResult>> behind_trap;
    for (int i = 0; i < 5; ++i) behind_trap.push_back(fixture.start("hello"));
    CHECK(ClusterFixture::wait(loop).status == CallStatus::TimedOut);
    for (auto& hello : behind_loop) CHECK(text(ClusterFixture::wait(hello)) == "Hello Faasm!");
    CHECK(ClusterFixture::wait(trap).status == CallStatus::Trapped);
    for (auto& hello : behind_trap) CHECK(text(ClusterFixture::wait(hello)) == "Hello Faasm!");

    // Cancelling calls queued or sent behind a running one ends them, never the one running ahead. (One sent
    // behind counts as started: its worker may have begun it when the cancel ends it, as for a running call.)
    auto sleeping = fixture.start("sleeper", "pipelined_sleeps 300");
    std::vector<CallId> ids(10);
    std::vector<std::future<CallResult>> waiting;
    for (auto& id : ids) waiting.push_back(fixture.start("hello", "", 0ms, &id));
    for (std::size_t i = 0; i < ids.size(); i += 2) CHECK(fixture.cluster->cancel(ids[i]));
    CHECK(text(ClusterFixture::wait(sleeping)) == "run #1");
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      CAPTURE(i);
      const auto result = ClusterFixture::wait(waiting[i]);
      CHECK(result.status == (i % 2 == 0 ? CallStatus::Cancelled : CallStatus::Finished));
    }
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
  }
}

TEST_SUITE("limits") {
  TEST_CASE("a chain bomb stops at the tree's limit, its processes under the hard cap, and the cluster serves on") {
    ClusterFixture fixture({.workers = 2, .max_processes = 4, .max_waiting = 8, .limits = {.max_tree_calls = 100}});
    std::atomic<bool> done = false;
    std::size_t peak = 0;
    std::thread sampler([&] {
      while (!done) {
        peak = std::max(peak, workers_of_this_process().size());
        std::this_thread::sleep_for(2ms);
      }
    });
    const auto bomb = fixture.call("chain_bomb");
    done = true;
    sampler.join();
    CHECK(bomb.return_value == 1);
    CHECK((contains(bomb.trace_json, "its call tree has 100 calls, the limit (--max-tree-calls)") ||
           contains(bomb.trace_json, "calls already wait in their worker processes, the limit (--max-waiting-calls)")));
    // Never more processes than the calls that may run plus the calls that may wait.
    CHECK(peak <= 4 + 8);
    CHECK(text(fixture.call("nested", "3")) == "3>2>1>0");
  }

  TEST_CASE("a chain deeper than the depth limit fails in the function that chains") {
    ClusterFixture fixture({.workers = 2, .limits = {.max_chain_depth = 3}});
    const auto bomb = fixture.call("chain_bomb");
    CHECK(bomb.return_value == 1);
    // Depths 0 to 3 ran: 1 + 2 + 4 + 8 calls; the 8 at depth 3 could not chain.
    CHECK(count_of(bomb.trace_json, "\"function\":\"chain_bomb\"") == 15);
    CHECK(count_of(bomb.trace_json, "the call would be 4 chains deep, over the limit of 3 (--max-chain-depth)") == 8);
  }

  TEST_CASE("more waiting calls than the hard cap: the wait beyond fails at once, nothing deadlocks") {
    ClusterFixture fixture({.workers = 2, .max_processes = 2, .max_waiting = 4});
    const auto nested = fixture.call("nested", "8");
    CHECK(nested.return_value == 1);
    CHECK(
        contains(nested.trace_json, "4 calls already wait in their worker processes, the limit (--max-waiting-calls)"));
    CHECK(text(fixture.call("nested", "3")) == "3>2>1>0");
  }

  TEST_CASE("output over the limit fails its call with the limit named") {
    ClusterFixture fixture({.limits = {.max_output_bytes = 1000}});
    const auto big = fixture.call("echo", std::string(2000, 'x'));
    CHECK(big.status == CallStatus::Failed);
    CHECK(big.error == "echo produced 2000 bytes of output, stdout and stderr, over the limit of 1000 (--max-output)");
    CHECK(big.output.empty());
    CHECK(text(fixture.call("echo", std::string(900, 'y'))) == std::string(900, 'y'));
  }

  TEST_CASE("a lock wait counts against its call's time limit") {
    // Lock waits that would otherwise last an hour: this one ends at the call's limit.
    ClusterFixture fixture({.timeout = 500ms, .lock_timeout = 1h});
    fixture.locks->lock("test_locker_counter", true, new_id(), [](Expected<void>) {});
    const auto waited = fixture.call("locker");
    CHECK(waited.status != CallStatus::Finished);
    CHECK(contains(waited.error, "exceeded its time limit of 500 ms"));
  }

  TEST_CASE("idle processes beyond the workers retire after a burst") {
    ClusterFixture fixture({.workers = 2, .idle_retire = 200ms});
    // Each level of the nesting waits in a process of its own: 7 processes for a moment.
    CHECK(text(fixture.call("nested", "6")) == "6>5>4>3>2>1>0");
    CHECK(eventually([] { return workers_of_this_process().size() <= 2; }, 10s));
  }

  TEST_CASE("a call submitted the moment the previous one finished reuses its process") {
    ClusterFixture fixture({.workers = 1});
    CHECK(text(fixture.call("hello")) == "Hello Faasm!");
    // Each next call is submitted from the previous one's completion callback, before that call's slot is
    // back in its wait, and the callback then takes a moment (as a busy client's does): the slot must count as
    // idle already, or the next call makes a slot of its own, which starts a second process for it.
    constexpr int kCalls = 20;
    std::promise<int> all_done;
    std::function<void(int)> next = [&](int left) {
      auto submitted = fixture.cluster->submit({"test", "hello", 0, {}, "", 0ms, {}}, [&, left](CallResult result) {
        if (result.status != CallStatus::Finished || left == 1) return all_done.set_value(left);
        next(left - 1);
        std::this_thread::sleep_for(5ms);
      });
      if (!submitted) all_done.set_value(-left);
    };
    next(kCalls);
    auto finished = all_done.get_future();
    REQUIRE(finished.wait_for(120s) == std::future_status::ready);
    CHECK(finished.get() == 1);
    CHECK(workers_of_this_process().size() == 1);
  }

  TEST_CASE("calls of one user at once are bounded; other users are not") {
    ClusterFixture fixture({.workers = 2, .limits = {.max_user_calls = 2}});
    std::vector<std::future<CallResult>> running;
    for (int i = 0; i < 2; ++i) running.push_back(fixture.start("sleeper", "k 300"));
    auto refused = fixture.cluster->submit({"test", "noop", 0, {}, "", 0ms, {}},
                                           [](CallResult) { FAIL("done ran for a refused call"); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::LimitExceeded);
    CHECK(refused.error().message == "user 'test' has 2 calls running or queued, the limit (--max-user-calls)");
    std::promise<CallResult> other;
    auto other_result = other.get_future();
    REQUIRE(fixture.cluster->submit({"other", "noop", 0, {}, "", 0ms, {}}, [&](CallResult r) { other.set_value(r); })
                .has_value());
    CHECK(ClusterFixture::wait(other_result).status == CallStatus::Finished);
    for (auto& call : running) CHECK(ClusterFixture::wait(call).status == CallStatus::Finished);
    // Finished calls make room again.
    CHECK(fixture.call("noop").status == CallStatus::Finished);
  }
}
