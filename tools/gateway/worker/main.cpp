// faasmjs-worker: runs calls of the embedded cluster, one at a time, for the gateway's worker pool, which
// starts it with its end of a socketpair on fd 3 (worker_protocol.h). A process per running call is what
// isolates calls: wasm2c keeps its trap state per process, a looping call can only be stopped by killing its
// process, and a crash takes only this process with it. Calls one after another share the instances it keeps
// (warm_instances.h), each reset to its snapshot first, so that nothing of one call reaches the next. The process is
// sandboxed (sandbox.h) before it says READY, and confined to its module folder and a few system calls before it loads
// the first module (or it runs nothing).
//
//   faasmjs-worker                                  serve the gateway on fd 3
//   faasmjs-worker --bench-instantiate <so> <n>     µs per fresh instance (instantiate, ctors, zygote, free)
//                                                   and per reset of a kept one (warm_instances.h), as JSON
//   faasmjs-worker --write-runtime-root <dir>       writes the embedded runtime root there (for real Faasm's
//                                                   workers: tests/gateway/faasm/fixture.sh)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/byte_io.h"
#include "wasm-rt.h"
#include "worker/run_call.h"
#include "worker/runtime_root.h"
#include "worker/sandbox.h"
#include "worker/trap_backtrace.h"
#include "worker/warm_instances.h"
#include "worker/worker_protocol.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::worker;

namespace {

int serve() {
  if (auto limited = limit_process(); !limited) {
    std::fprintf(stderr, "faasmjs-worker: cannot limit itself: %s\n", limited.error().message.c_str());
    return 1;
  }
  prepare_trap_backtraces();
  bool confined = false;
  std::vector<std::uint8_t> ready;
  ByteWriter(ready).u32(static_cast<std::uint32_t>(getpid()));
  Channel channel(kChannelFd);
  if (!channel.send(Op::Ready, ready)) return 1;
  for (;;) {
    auto message = channel.receive();
    if (!message) return 0;  // the gateway closed the channel: nothing more to run
    if (message->op != Op::Run) {
      std::fprintf(stderr, "faasmjs-worker: expected RUN, got op %d\n", static_cast<int>(message->op));
      return 1;
    }
    const auto request = decode_run(message->body);
    if (!request) {
      std::fprintf(stderr, "faasmjs-worker: malformed RUN\n");
      return 1;
    }
    // Every module of a gateway lies in its compile cache: the first one's folder is the only one readable.
    // The pool gives every call the same memory limit. A worker that cannot confine itself runs nothing.
    if (!confined) {
      auto sandboxed =
          confine(std::filesystem::absolute(request->shared_object).parent_path(), request->memory_limit_bytes);
      if (!sandboxed) {
        const auto refused =
            failed(request->function + ": the worker cannot confine itself (" + sandboxed.error().message + ")");
        if (!channel.send(Op::Result, encode_result(refused))) return 0;
        continue;
      }
      confined = true;
    }
    const auto body = encode_result(run_call(*request, channel));
    if (!channel.send(Op::Result, body)) return 0;
    // While the gateway reads the result and picks the next call, not on that call's time.
    warm_instances().reset_used();
  }
}

int write_runtime_root(const std::filesystem::path& into) {
  std::error_code error;
  for (const auto& entry : runtime_root_entries()) {
    const auto path = into / entry.path;
    if (entry.directory) {
      std::filesystem::create_directories(path, error);
    } else {
      std::filesystem::create_directories(path.parent_path(), error);
      std::ofstream(path, std::ios::binary)
          .write(entry.contents.data(), static_cast<std::streamsize>(entry.contents.size()));
    }
    if (error || (!entry.directory && !std::filesystem::is_regular_file(path))) {
      std::fprintf(stderr, "faasmjs-worker: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  wasm_rt_init();
  if (argc == 4 && std::strcmp(argv[1], "--bench-instantiate") == 0) {
    const auto cost = measure_instantiation(argv[2], std::atoi(argv[3]));
    if (!cost) {
      std::fprintf(stderr, "faasmjs-worker: cannot load %s, or its constructors trap\n", argv[2]);
      return 1;
    }
    std::printf(
        "{\"scratchUs\":%.3f,\"resettable\":%s,\"resetUs\":%.3f,\"snapshotBytes\":%llu,\"residentBytes\":%llu}\n",
        cost->scratch_us, cost->resettable ? "true" : "false", cost->reset_us,
        static_cast<unsigned long long>(cost->snapshot_bytes), static_cast<unsigned long long>(cost->resident_bytes));
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--write-runtime-root") == 0) return write_runtime_root(argv[2]);
  if (argc != 1) {
    std::fprintf(stderr,
                 "usage: faasmjs-worker (started by faasmjs-gateway, channel on fd 3)\n"
                 "       faasmjs-worker --bench-instantiate <module.so> <count>\n"
                 "       faasmjs-worker --write-runtime-root <dir>\n");
    return 2;
  }
  return serve();
}
