#include "aot/aot_compiler.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "aot/glue_generator.h"
#include "aot/module_abi.h"
#include "aot/module_check.h"
#include "common/sha256.h"
#include "module_abi_text.h"

extern char** environ;

namespace faasmjs::gateway::aot {

namespace fs = std::filesystem;

namespace {

// Runs a program to its end with stdout and stderr in `log`; an error names the program and its status.
Expected<void> run_program(const std::vector<std::string>& argv, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return fail(ErrorCode::Internal, "cannot run " + argv[0] + ": " + std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::ifstream in(log);
  std::string first_line;
  std::getline(in, first_line);
  const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
  return fail(ErrorCode::Internal, argv[0] + " failed (" + how + "): " + first_line + " (log: " + log.string() + ")");
}

Expected<void> write_file(const fs::path& path, std::span<const char> text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) return fail(ErrorCode::Internal, "cannot write " + path.string());
  return {};
}

class CachingCompiler final : public Compiler {
 public:
  explicit CachingCompiler(CompilerOptions options) : options_(std::move(options)) {}

  Expected<CompiledModule> compile(std::span<const std::uint8_t> wasm) override {
    const std::string sha = sha256_hex(wasm);
    const fs::path target = options_.cache_dir / (sha + "-abi" + std::to_string(FAASMJS_MODULE_ABI_VERSION) + ".so");
    std::unique_lock lock(mutex_);
    // One compile per binary at a time: later callers wait for the first and then find the cache filled.
    changed_.wait(lock, [&] { return !in_flight_.contains(sha); });
    if (fs::exists(target)) return CompiledModule{sha, target, 0, true};
    in_flight_.insert({sha, true});
    lock.unlock();
    auto result = build(wasm, sha, target);
    lock.lock();
    in_flight_.erase(sha);
    changed_.notify_all();
    return result;
  }

 private:
  Expected<CompiledModule> build(std::span<const std::uint8_t> wasm, const std::string& sha, const fs::path& target) {
    const auto started = std::chrono::steady_clock::now();
    auto shape = check_module(wasm);
    if (!shape) return std::unexpected(shape.error());
    const fs::path work = options_.cache_dir / ("build-" + sha + "-" + std::to_string(getpid()));
    std::error_code ignored;
    fs::remove_all(work, ignored);
    fs::create_directories(work, ignored);
    auto cleanup = [&] { fs::remove_all(work, ignored); };
    const std::span<const char> bytes(reinterpret_cast<const char*>(wasm.data()), wasm.size());
    if (auto written = write_file(work / "fn.wasm", bytes); !written) return cleanup(), std::unexpected(written.error());
    if (auto translated = run_program({options_.wasm2c, "-n", "fn", (work / "fn.wasm").string(),
                                       "-o", (work / "fn.c").string()},
                                      work / "wasm2c.log");
        !translated) {
      return keep_log(work, sha, translated.error());
    }
    std::ifstream header_in(work / "fn.h");
    std::stringstream header;
    header << header_in.rdbuf();
    auto glue = generate_glue(*shape, header.str());
    if (!glue) return cleanup(), std::unexpected(glue.error());
    if (auto w = write_file(work / "glue.c", *glue); !w) return cleanup(), std::unexpected(w.error());
    if (auto w = write_file(work / "module_abi.h", std::span<const char>(kModuleAbiHeader, sizeof kModuleAbiHeader - 1));
        !w) {
      return cleanup(), std::unexpected(w.error());
    }
    // wasm2c's load helpers end with `wasm_asm("" ::"r"(result))`, an empty asm that forces every load to
    // happen. Kept on purpose (DESIGN.md measured ~2x on a matrix multiply without it): wasm2c's default
    // runtime checks bounds with guard pages and a SIGSEGV handler (MEMCHECK is empty), so an out-of-bounds
    // load traps only if it is executed; without the asm the C compiler deletes a load whose value is unused,
    // and a wasm `i32.load` + `drop` past the end of memory would run on instead of trapping as in the
    // browser. tests/gateway/worker (traps: "an unused out-of-bounds load still traps") holds this in place.
    const fs::path built = work / "fn.so";
    if (auto compiled = run_program({options_.c_compiler, options_.optimisation, "-shared", "-fPIC",
                                     "-fvisibility=hidden", "-w", "-I", work.string(), (work / "fn.c").string(),
                                     (work / "glue.c").string(), "-o", built.string()},
                                    work / "cc.log");
        !compiled) {
      return keep_log(work, sha, compiled.error());
    }
    // A rename is atomic: a crash leaves either no module or a whole one under the cache name.
    fs::rename(built, target, ignored);
    cleanup();
    if (ignored) return fail(ErrorCode::Internal, "cannot store " + target.string() + ": " + ignored.message());
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return CompiledModule{sha, target, static_cast<std::uint32_t>(ms.count()), false};
  }

  // A compiler failure after the checks passed is the gateway's problem, not the upload's: keep the log.
  std::unexpected<Error> keep_log(const fs::path& work, const std::string& sha, Error error) {
    std::error_code ignored;
    for (const char* log : {"wasm2c.log", "cc.log"}) {
      if (fs::exists(work / log)) fs::copy_file(work / log, options_.cache_dir / (sha + "-" + log),
                                                fs::copy_options::overwrite_existing, ignored);
    }
    fs::remove_all(work, ignored);
    return std::unexpected(std::move(error));
  }

  CompilerOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, bool> in_flight_;
};

}  // namespace

Expected<std::unique_ptr<Compiler>> Compiler::create(CompilerOptions options) {
  std::error_code error;
  fs::create_directories(options.cache_dir, error);
  if (error) return fail(ErrorCode::Internal, "cannot create the compile cache " + options.cache_dir.string() + ": " + error.message());
  return std::make_unique<CachingCompiler>(std::move(options));
}

}  // namespace faasmjs::gateway::aot
