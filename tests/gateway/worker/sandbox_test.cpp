// The worker's sandbox (tools/gateway/worker/sandbox.cpp) against native code: wasm cannot make a system
// call, so hostile_module.c plays the module a compiler bug would make, in workers started the way the pool
// starts them (cluster::WorkerProcess). What it may not do ends the worker with SIGSYS, reported by name.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "cluster/worker_process.h"
#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

const std::string kForbidden = "signal 31 (Bad system call): it made a system call the worker's sandbox forbids";

struct Ending {
  std::optional<worker::RunResult> result;
  std::string death;  // how the worker ended, when it sent no RESULT
};

Ending run_in_new_worker(const fs::path& module, const std::string& input) {
  auto process = cluster::WorkerProcess::start(worker_binary());
  REQUIRE(process.has_value());
  REQUIRE(process->channel().send(worker::Op::Run, worker::encode_run(request(module, "hostile", input))));
  bool timed_out = false;
  auto message = process->receive(std::chrono::steady_clock::now() + std::chrono::seconds(30), timed_out);
  REQUIRE_FALSE(timed_out);
  if (message && message->op == worker::Op::Result) return {worker::decode_result(message->body), ""};
  return {std::nullopt, process->kill_and_reap()};
}

std::string output_of(const fs::path& module, const std::string& input) {
  const Ending ending = run_in_new_worker(module, input);
  if (!ending.result) FAIL("the worker died: ", ending.death);
  return text(ending.result->output);
}

const fs::path& hostile() {
  static const fs::path module = env_path("FAASMJS_HOSTILE_MODULE");
  return module;
}

}  // namespace

TEST_SUITE("worker.sandbox") {
  TEST_CASE("a function's native code reads nothing outside the module folder and writes no file") {
    // The control: the action works where it is allowed, on the module itself.
    CHECK(output_of(hostile(), "read:" + hostile().string()).starts_with("read "));
    CHECK(output_of(hostile(), "read:" + hostile().string()) != "read 0 bytes");

    const fs::path state = fs::temp_directory_path() / ("faasmjs-sandbox-state-" + std::to_string(getpid()));
    fs::create_directories(state);
    std::ofstream(state / "alice_key") << "alice's secret";
    CHECK(output_of(hostile(), "read:" + (state / "alice_key").string()) == "cannot open: Permission denied");
    CHECK(output_of(hostile(), "read:/etc/passwd") == "cannot open: Permission denied");

    const Ending created = run_in_new_worker(hostile(), "create:" + (hostile().parent_path() / "planted").string());
    CHECK_FALSE(created.result.has_value());
    CHECK(created.death == kForbidden);
    CHECK_FALSE(fs::exists(hostile().parent_path() / "planted"));
    fs::remove_all(state);
  }

  TEST_CASE("it cannot open a socket, start a program, fork or signal another process: SIGSYS, named") {
    for (const char* action : {"socket", "exec", "fork", "signal"}) {
      CAPTURE(action);
      const Ending ending = run_in_new_worker(hostile(), action);
      CHECK_FALSE(ending.result.has_value());
      CHECK(ending.death == kForbidden);
    }
  }

  TEST_CASE("a module's constructors, which run when it is loaded, are already sandboxed") {
    const Ending ending = run_in_new_worker(env_path("FAASMJS_HOSTILE_CONSTRUCTOR_MODULE"), "environment");
    CHECK_FALSE(ending.result.has_value());
    CHECK(ending.death == kForbidden);
  }

  TEST_CASE("it holds a few descriptors at most, so it cannot use up anyone's") {
    const std::string output = output_of(hostile(), "descriptors:" + hostile().string());
    MESSAGE(output);
    CHECK(output.ends_with(" descriptors, then: Too many open files"));
    CHECK(std::atoi(output.c_str()) < 16);
  }

  TEST_CASE("it gets none of the gateway's environment") {
    setenv("FAASMJS_SANDBOX_TEST_TOKEN", "secret", 1);
    CHECK(output_of(hostile(), "environment") == "environment: 0 variables");
    unsetenv("FAASMJS_SANDBOX_TEST_TOKEN");
  }

  TEST_CASE("a worker of a gateway running as root has network, IPC and mount namespaces of its own") {
    // Unprivileged, unshare() is refused and the worker shares them (seccomp's refusal of socket() keeps it
    // off the network then), and the same user cannot read its links (it is not dumpable): a check for root.
    auto process = cluster::WorkerProcess::start(worker_binary());
    REQUIRE(process.has_value());
    for (const char* ns : {"net", "ipc", "mnt"}) {
      CAPTURE(ns);
      const fs::path own = fs::path("/proc/self/ns") / ns;
      const fs::path worker = fs::path("/proc") / std::to_string(process->pid()) / "ns" / ns;
      if (geteuid() == 0) CHECK(fs::read_symlink(worker) != fs::read_symlink(own));
    }
  }

  TEST_CASE("a worker that cannot confine itself runs nothing, and says so; then it still can") {
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request("/nonexistent-faasmjs-cache/gone.so", "gone"));
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.error ==
          "gone: the worker cannot confine itself (open of the module folder: No such file or directory)");
    CHECK(text(worker.run(request(hostile(), "hostile", "environment")).output).starts_with("environment: "));
  }

  TEST_CASE("a module that cannot be loaded is named by its file name, not by where the server keeps it") {
    WorkerHarness worker(worker_binary());
    CHECK(text(worker.run(request(hostile(), "hostile", "environment")).output).starts_with("environment: "));
    const auto result = worker.run(request(hostile().parent_path() / "gone.so", "gone"));
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.error == "gone: cannot load gone.so: cannot open shared object file: No such file or directory");
  }

  TEST_CASE(
      "wasm reaches no file of the machine through the paths the host offers: only the worker's own runtime root") {
    const auto module = compiled_bytes(wat(R"((module
      (import "env" "__faasm_read_input" (func $read_input (param i32 i32) (result i32)))
      (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
      (import "env" "__faasm_write_state_from_file" (func $from_file (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_open"
        (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 300) "/../../etc/passwd\00")
      (data (i32.const 340) "/etc/shadow\00")
      (data (i32.const 400) "k\00")
      (func (export "malloc") (param i32) (result i32) (i32.const 4096))
      (func (export "_start")
        (drop (call $read_input (i32.const 0) (i32.const 1)))
        (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 115))
          (then (drop (call $from_file (i32.const 400) (i32.const 340)))))
        ;; /etc/shadow exists on the machine, not in the runtime root: ENOENT.
        (i32.store8 (i32.const 100) (call $path_open (i32.const 3) (i32.const 0) (i32.const 340) (i32.const 11)
          (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 500)))
        ;; "/../../etc/passwd" stays in the root: its passwd, read into 1000.
        (i32.store8 (i32.const 101) (call $path_open (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 17)
          (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 500)))
        (i32.store (i32.const 600) (i32.const 102))
        (i32.store (i32.const 604) (i32.const 200))
        (drop (call $fd_read (i32.load (i32.const 500)) (i32.const 600) (i32.const 1) (i32.const 700)))
        (call $write_output (i32.const 100) (i32.add (i32.const 2) (i32.load (i32.const 700))))))
    )"),
                                       "the file module");
    WorkerHarness worker(worker_binary());
    const std::string passwd = text(read_file(fs::path(FAASMJS_SOURCE_DIR) / "sdk/runtime-root/etc/passwd"));
    CHECK(text(worker.run(request(module, "files", "o")).output) == std::string{44, 0} + passwd);
    const auto result = worker.run(request(module, "files", "s"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) == "files: host fault in write_state_from_file: couldn't open file /etc/shadow");
  }

  TEST_CASE("a call cannot read what the previous call in the same worker left in memory") {
    const auto module = compiled_bytes(wat(R"((module
      (import "env" "__faasm_read_input" (func $read_input (param i32 i32) (result i32)))
      (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) (i32.const 4096))
      (func (export "_start")
        (drop (call $read_input (i32.const 0) (i32.const 1)))
        (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 119))
          (then (i64.store (i32.const 1024) (i64.const 0x5345435245542121))))
        (call $write_output (i32.const 1024) (i32.const 8))))
    )"),
                                       "the secret module");
    WorkerHarness worker(worker_binary());
    CHECK(text(worker.run(request(module, "secret", "w")).output) == "!!TERCES");
    CHECK(worker.run(request(module, "secret", "r")).output == std::vector<std::uint8_t>(8, 0));
  }
}
