// The worker's file system against what real Faasm gave for the same operations (recorded on the fixture's
// Faasm with a probe of these cases, ../shared/faasm; this binary itself cannot be compared there yet: see
// docs/faasm.md, "Files"): the runtime root and its preopens, /tmp kept across
// calls of one worker, Faasm's open flags, close and rename rules and errnos, dup, shared files pulled from and
// written back to the gateway, seeded files, paths that try to leave the root, the WASI calls Faasm's WAMR host
// does not implement, and write_state_from_file.
#include <doctest/doctest.h>

#include <map>

#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

const fs::path& files_module() {
  static const fs::path module = compiled(clang_function("tests/gateway/functions", "faasm_files"));
  return module;
}

// Plays the gateway's shared-file store (and a one-value state tier for write_state_from_file).
struct SharedStore {
  std::map<std::string, std::vector<std::uint8_t>> files;
  std::map<std::string, std::vector<std::uint8_t>> state;
  std::vector<std::string> asked;

  HostAnswer answer() {
    return [this](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
      const std::string name = in.str();
      asked.push_back(std::to_string(static_cast<int>(kind)) + ":" + name);
      out.u8(1);
      switch (kind) {
        case worker::HostCall::SharedFileRead: {
          auto file = files.find(name);
          out.u8(file != files.end() ? 1 : 0);
          out.bytes(file != files.end() ? file->second : std::vector<std::uint8_t>{});
          break;
        }
        case worker::HostCall::SharedFileWrite:
          files[name] = in.bytes_copy();
          break;
        case worker::HostCall::SharedFileDelete:
          files.erase(name);
          break;
        case worker::HostCall::StateWrite:
          state[name] = in.bytes_copy();
          break;
        case worker::HostCall::StateRead:
          out.bytes(state[name]);
          break;
        default:
          FAIL("unexpected host call " << static_cast<int>(kind));
      }
    };
  }
};

std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

const std::string kPasswd = "root:x:0:0:root:/root:/bin/bash|faasm:x:1000:1000:Faasm User:/home/faasm:/bin/bash|";

}  // namespace

TEST_SUITE("worker.files") {
  TEST_CASE("the runtime root as Faasm's: / and . are one root, etc/ from sdk/runtime-root, no /dev, Linux d_types") {
    WorkerHarness worker(worker_binary());
    const auto result = worker.run(request(files_module(), "faasm_files", "root"));
    REQUIRE(result.status == CallStatus::Finished);
    CHECK(text(result.output) ==
          "/etc/passwd: [" + kPasswd +
              "]; ./etc/hosts: [127.0.0.1\tlocalhost|]; etc/resolv.conf: [nameserver "
              "127.0.0.1|]; /tmp/../etc/hosts: [127.0.0.1\tlocalhost|]; /nonexistent: open errno=44; /dev/null: open "
              "errno=44; /: ..:4 .:4 etc:4 share:4 tmp:4; /etc: ..:4 .:4 hosts:8 passwd:8 resolv.conf:8; ");
  }

  TEST_CASE("writes: O_TRUNC and O_EXCL lose to O_CREAT, and /tmp keeps its files for the next call on the worker") {
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request(files_module(), "faasm_files", "write:w1"));
    CHECK(text(result.output) == "/tmp/w-w1: [hillo world]; exclusive: 8 9 errno=0; ");
    result = worker.run(request(files_module(), "faasm_files", "persist:w1"));
    CHECK(text(result.output) == "/tmp/w-w1: [hillo world]; ");
    // Another worker is another host: its /tmp has no such file.
    WorkerHarness other(worker_binary());
    result = other.run(request(files_module(), "faasm_files", "persist:w1"));
    CHECK(text(result.output) == "/tmp/w-w1: open errno=44; ");
  }

  TEST_CASE("stat, unlink and rename answer Faasm's errnos (a failed rename is EPERM)") {
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request(files_module(), "faasm_files", "stat"));
    CHECK(text(result.output) ==
          "passwd=0 size=83 regular=1 links=1; tmp=0 directory=1; missing=-1 errno=44; access=0; ");
    result = worker.run(request(files_module(), "faasm_files", "unlink:u1"));
    CHECK(text(result.output) ==
          "unlink=0 errno=0; again=-1 errno=44; directory=-1 errno=31; rename missing=-1 "
          "errno=63; rename=0 errno=0; /tmp/r-u1: [moved]; ");
  }

  TEST_CASE("close leaves the descriptor open and numbers are not reused; a directory opened for writing is EISDIR") {
    WorkerHarness worker(worker_binary());
    const auto result = worker.run(request(files_module(), "faasm_files", "close"));
    CHECK(text(result.output) == "fd=5 read after close=3 [127]; next=6; open directory=-1 errno=31; ");
  }

  TEST_CASE("dup and F_DUPFD take the next numbers and share the position; dup of what is not open fails the call") {
    // Per Faasm's source (FileSystem::dup, FileDescriptor::duplicate: a Linux dup), not yet recorded on the fixture.
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request(files_module(), "faasm_files", "dup"));
    CHECK(text(result.output) == "fd=5 dup=6 F_DUPFD 10=10 next=11; [127][.0.]; ");
    result = worker.run(request(files_module(), "faasm_files", "dup-closed"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) == "faasm_files: host fault in __wasi_fd_dup: file descriptor 99 does not exist");
  }

  TEST_CASE("paths never leave the root: '..' above it stays at it") {
    WorkerHarness worker(worker_binary());
    const auto result = worker.run(request(files_module(), "faasm_files", "escape"));
    CHECK(text(result.output) ==
          "/../../../etc/hosts: [127.0.0.1\tlocalhost|]; /tmp/../../etc/passwd: [" + kPasswd + "]; ");
  }

  TEST_CASE("faasm:// files: pulled from the gateway once, missing is ENOENT, a write goes back to the store") {
    WorkerHarness worker(worker_binary());
    SharedStore store;
    store.files["files-s1/in.txt"] = bytes("shared-in");
    auto result = worker.run(request(files_module(), "faasm_files", "shared:s1"), store.answer());
    REQUIRE(result.status == CallStatus::Finished);
    CHECK(text(result.output) ==
          "faasm://files-s1/in.txt: [shared-in]; faasm://files-s1/missing.txt: open errno=44; "
          "stat=0 size=9; faasm://files-s1/out.txt: [written here]; ");
    CHECK(store.files["files-s1/out.txt"] == bytes("written here"));
    // The local copy stays: a changed upload is not seen on this worker again (as on a Faasm host).
    store.files["files-s1/in.txt"] = bytes("changed");
    store.asked.clear();
    result = worker.run(request(files_module(), "faasm_files", "shared:s1"), store.answer());
    CHECK(text(result.output).starts_with("faasm://files-s1/in.txt: [shared-in]; "));
    CHECK(std::count(store.asked.begin(), store.asked.end(), "30:files-s1/in.txt") == 0);
    // An empty shared file is a missing one.
    WorkerHarness fresh(worker_binary());
    store.files["files-s2/in.txt"] = {};
    result = fresh.run(request(files_module(), "faasm_files", "shared:s2"), store.answer());
    CHECK(text(result.output).starts_with("faasm://files-s2/in.txt: open errno=44; "));
  }

  TEST_CASE("a refused shared-file read fails the call, naming the import") {
    WorkerHarness worker(worker_binary());
    const auto result = worker.run(request(files_module(), "faasm_files", "shared:s3"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) == "faasm_files: host fault in path_open: shared file: no host calls in this test");
  }

  TEST_CASE("seeded files are in the root before the call starts") {
    WorkerHarness worker(worker_binary());
    auto run = request(files_module(), "faasm_files", "seeded:f1");
    run.files.push_back({"/tmp/seeded-f1.txt", bytes("seed")});
    CHECK(text(worker.run(run).output) == "/tmp/seeded-f1.txt: [seed]; ");
  }

  TEST_CASE("a seeded file under a path that is a file fails the call and leaves that file alone") {
    WorkerHarness worker(worker_binary());
    auto run = request(files_module(), "faasm_files", "seeded:f1");
    run.files.push_back({"/etc/passwd/x", bytes("seed")});
    const auto result = worker.run(run);
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.error == "faasm_files: seeded file '/etc/passwd/x': a directory of its path is a file");
    const auto escape = worker.run(request(files_module(), "faasm_files", "escape"));
    CHECK(text(escape.output).find("/tmp/../../etc/passwd: [" + kPasswd + "]") != std::string::npos);
  }

  TEST_CASE("the WASI calls Faasm's WAMR host leaves unimplemented fail the call (fopen \"a\", mkdir)") {
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request(files_module(), "faasm_files", "append:a1"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) ==
          "faasm_files: host fault in fd_fdstat_set_flags: not implemented by Faasm's WAMR host "
          "(wasi_fd_fdstat_set_flags)");
    result = worker.run(request(files_module(), "faasm_files", "mkdir"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) ==
          "faasm_files: host fault in path_create_directory: not implemented by Faasm's WAMR host "
          "(wasi_path_create_directory)");
  }

  TEST_CASE("write_state_from_file: a root file becomes the key's value; a missing or empty file fails the call") {
    const fs::path module = compiled(clang_function("tests/gateway/functions", "state_from_file"));
    WorkerHarness worker(worker_binary());
    SharedStore store;
    auto run = request(module, "state_from_file", "/tmp/sf.txt");
    run.user = "alice";
    run.files.push_back({"/tmp/sf.txt", bytes("file-state")});
    auto result = worker.run(run, store.answer());
    CHECK(text(result.output) == "length=10 value=[file-state]");
    CHECK(store.state["from_file"] == bytes("file-state"));

    result = worker.run(request(module, "state_from_file", "/tmp/none.txt"), store.answer());
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) ==
          "state_from_file: host fault in write_state_from_file: couldn't open file /tmp/none.txt");
    run.files = {{"/tmp/empty.txt", {}}};
    run.input = bytes("/tmp/empty.txt");
    result = worker.run(run, store.answer());
    CHECK(result.status == CallStatus::Trapped);
    CHECK(message_of(result.error) ==
          "state_from_file: host fault in write_state_from_file: must specify size for creating "
          "key-value alice_from_file");
  }
}
