#include "aot/aot_compiler.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <vector>

#include "aot/build_folder.h"
#include "aot/compile_sandbox.h"
#include "aot/glue_generator.h"
#include "aot/memory_helpers.h"
#include "aot/module_abi.h"
#include "aot/module_check.h"
#include "aot/module_scan.h"
#include "aot/quick_tier.h"
#include "common/sanitizer.h"
#include "module_abi_text.h"
#include "sha256.h"

namespace faasmjs::gateway::aot {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// <module>.part-build-XXXXXX: a module being copied into the cache, removed at start if a crash left it.
constexpr std::string_view kPartSuffix = ".part-";

std::string mebibytes(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

Expected<void> write_file(const fs::path& path, std::span<const char> text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) return fail(ErrorCode::Internal, "cannot write " + path.filename().string() + " in a build folder");
  return {};
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The line of a program's log worth a message: its first error, else its first line; printable and cut, as
// the program read the upload and may have been made to print anything.
std::string telling_line(const fs::path& log) {
  std::ifstream in(log);
  std::string first, line;
  for (int read = 0; read < 10'000 && std::getline(in, line); ++read) {
    if (first.empty()) first = line;
    if (line.find("error") != std::string::npos) {
      first = line;
      break;
    }
  }
  first.resize(std::min<std::size_t>(first.size(), 300));
  for (char& c : first) {
    if (c < 0x20 || c >= 0x7F) c = '?';
  }
  return first;
}

bool out_of_memory(const fs::path& log) {
  const std::string text = read_text(log).substr(0, 1 << 20);
  for (const char* sign : {"out of memory", "memory exhausted", "bad_alloc", "Cannot allocate memory"}) {
    if (text.find(sign) != std::string::npos) return true;
  }
  return false;
}

// wasm2c's instantiate prototype, read line by line: the header grows with the upload's exports.
std::string instantiate_line(const fs::path& header) {
  std::ifstream in(header);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("void Z_fn_instantiate(")) return line;
  }
  return {};
}

fs::path default_checker() {
  std::error_code error;
  const fs::path beside = fs::read_symlink("/proc/self/exe", error).parent_path() / "faasmjs-module-check";
  return !error && fs::exists(beside) ? beside : fs::path(FAASMJS_MODULE_CHECK_BUILD_PATH);
}

class CachingCompiler final : public Compiler {
 public:
  explicit CachingCompiler(CompilerOptions options)
      : options_(std::move(options)),
        cache_(options_.cache_dir, options_.cache_max_bytes),
        user_(sandbox_user(options_.sandbox_user)) {
    if (::geteuid() == 0 && !user_ && options_.log) {
      options_.log("the compiler's programs run as root: there is no user '" + options_.sandbox_user +
                   "' to run them as");
    }
    std::lock_guard lock(mutex_);
    cache_.evict();
  }

  Expected<CompiledModule> compile(std::span<const std::uint8_t> wasm, Tier tier,
                                   const std::atomic<bool>* cancelled) override {
    if (wasm.size() > kModuleLimits.max_bytes) {
      return fail(ErrorCode::BadWasm, "is " + std::to_string(wasm.size()) + " bytes, past the module size limit of " +
                                          mebibytes(kModuleLimits.max_bytes));
    }
    if (!has_quick_tier()) tier = Tier::Optimised;
    const std::string sha = sha256_hex(wasm);
    const fs::path target = target_of(sha, tier);
    std::unique_lock lock(mutex_);
    // One compile per binary and tier at a time: later callers wait for the first and then find the cache filled.
    changed_.wait(lock, [&] { return !in_flight_.contains(target); });
    if (cache_.use(target)) return CompiledModule{sha, target, 0, true, tier, cache_.pin(target)};
    in_flight_.insert(target);
    lock.unlock();
    auto result = build(wasm, sha, target, tier, cancelled);
    lock.lock();
    if (result) {
      result->pin = cache_.pin(target);
      cache_.evict();
    }
    in_flight_.erase(target);
    changed_.notify_all();
    return result;
  }

  std::optional<CompiledModule> cached(std::span<const std::uint8_t> wasm, Tier tier) override {
    if (!has_quick_tier()) tier = Tier::Optimised;
    const std::string sha = sha256_hex(wasm);
    const fs::path target = target_of(sha, tier);
    std::lock_guard lock(mutex_);
    if (!cache_.use(target)) return std::nullopt;
    return CompiledModule{sha, target, 0, true, tier, cache_.pin(target)};
  }

  bool has_quick_tier() const override { return !options_.quick_c_compiler.empty(); }

 private:
  fs::path target_of(const std::string& sha, Tier tier) const {
    return options_.cache_dir / module_file_name(sha, tier);
  }

  // What a compile's programs may still take: the time left of its limit, and its caller's say to stop.
  struct Budget {
    Clock::time_point until;
    const std::atomic<bool>* cancelled;
  };

  // One program of a compile, sandboxed, within the compile's budget.
  Expected<void> run(const char* stage, const std::vector<std::string>& argv, const fs::path& folder,
                     const Budget& budget) {
    SandboxRun sandboxed;
    sandboxed.argv = argv;
    sandboxed.folder = folder;
    sandboxed.log = folder / (std::string(stage) + ".log");
    sandboxed.limits.time =
        std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(budget.until - Clock::now()));
    const bool checker = std::string_view(stage) == "check";
    sandboxed.limits.memory_bytes = checker && kAddressSanitizer ? RLIM_INFINITY : options_.compile_memory_bytes;
    sandboxed.limits.output_bytes = options_.compile_output_bytes;
    sandboxed.user = user_;
    if (budget.cancelled != nullptr) sandboxed.cancelled = [flag = budget.cancelled] { return flag->load(); };
    auto outcome = run_sandboxed(sandboxed);
    if (!outcome) return std::unexpected(outcome.error());
    if (outcome->cancelled) return fail(ErrorCode::Internal, "the compile was cancelled: the gateway is stopping");
    if (!outcome->network_isolated && !warned_.exchange(true) && options_.log) {
      options_.log("the compiler's programs run with the gateway's network (" + outcome->network_note +
                   "): run the gateway as root or with CAP_SYS_ADMIN to isolate them");
    }
    if (outcome->exited && outcome->exit_status == 0) return {};
    if (outcome->timed_out || outcome->signal == SIGXCPU) {
      return fail(ErrorCode::BadWasm, "the compile took longer than its time limit of " +
                                          std::to_string(options_.compile_timeout.count()) + " s");
    }
    if (outcome->signal == SIGXFSZ) {
      return fail(ErrorCode::BadWasm, std::string(stage) + " wrote more than the compile output limit of " +
                                          mebibytes(options_.compile_output_bytes));
    }
    if (out_of_memory(sandboxed.log)) {
      return fail(ErrorCode::BadWasm, std::string(stage) + " needed more than the compile memory limit of " +
                                          mebibytes(options_.compile_memory_bytes));
    }
    if (checker) {
      if (outcome->exited && outcome->exit_status == 2) return fail(ErrorCode::BadWasm, telling_line(sandboxed.log));
      return fail(ErrorCode::BadWasm, "the module could not be checked: the checker " +
                                          std::string(outcome->exited ? "failed" : "crashed") + " (" +
                                          describe(*outcome) + ")");
    }
    return fail(ErrorCode::Internal,
                std::string(stage) + " failed (" + describe(*outcome) + "): " + telling_line(sandboxed.log));
  }

  Expected<CompiledModule> build(std::span<const std::uint8_t> wasm, const std::string& sha, const fs::path& target,
                                 Tier tier, const std::atomic<bool>* cancelled) {
    const auto started = Clock::now();
    const Budget budget{started + options_.compile_timeout, cancelled};
    auto folder = BuildFolder::create(options_.cache_dir);
    if (!folder) return std::unexpected(folder.error());
    const fs::path& work = folder->path();
    if (user_ && ::chown(work.c_str(), user_->uid, user_->gid) != 0) {
      return fail(ErrorCode::Internal, "cannot give a build folder to the compiler's user");
    }
    const std::span<const char> bytes(reinterpret_cast<const char*>(wasm.data()), wasm.size());
    if (auto written = write_file(work / "fn.wasm", bytes); !written) return std::unexpected(written.error());
    // Relative paths only: the programs run in `work`, and their messages must not name server folders.
    if (auto checked = run("check",
                           {options_.module_checker.string(), "--max-nesting", std::to_string(options_.max_nesting),
                            "fn.wasm", "checked.wasm", "shape"},
                           work, budget);
        !checked) {
      return std::unexpected(checked.error());
    }
    auto shape = parse_shape(read_text(work / "shape"));
    if (!shape) return std::unexpected(shape.error());
    if (auto translated = run("wasm2c", {options_.wasm2c, "-n", "fn", "checked.wasm", "-o", "fn.c"}, work, budget);
        !translated) {
      return keep_log(work, sha, translated.error());
    }
    auto glue = generate_glue(*shape, instantiate_line(work / "fn.h"));
    if (!glue) return std::unexpected(glue.error());
    if (auto w = write_file(work / "glue.c", *glue); !w) return std::unexpected(w.error());
    if (auto w =
            write_file(work / "module_abi.h", std::span<const char>(kModuleAbiHeader, sizeof kModuleAbiHeader - 1));
        !w) {
      return std::unexpected(w.error());
    }
    // Loads that still trap when their value is unused, without wasm2c's barrier, and stores that leave the
    // memory's base in a register (memory_helpers.cpp; held in place by tests/gateway/worker, traps, and
    // tests/gateway/aot, helpers).
    if (auto rewritten = rewrite_memory_helpers(work / "fn.c"); !rewritten) return std::unexpected(rewritten.error());
    if (auto w = write_file(work / kMemoryHelpersHeaderName, kMemoryHelpersHeader); !w) {
      return std::unexpected(w.error());
    }
    // The quick compiler does not optimise, so it deletes no load whose value is unused (memory_helpers.h).
    std::vector<std::string> cc;
    if (tier == Tier::Quick) {
      if (auto w = write_file(work / kQuickTierHeaderName, kQuickTierHeader); !w) return std::unexpected(w.error());
      // -g: tcc writes a symbol table only then, and a trap's backtrace names frames through it
      // (worker/guest_symbols.h).
      cc = {options_.quick_c_compiler, "-g", "-shared", "-fPIC", "-include", std::string(kQuickTierHeaderName)};
    } else {
      // Frames for a trap's backtrace (worker/trap_backtrace.h), at no cost worth measuring: a function
      // wasm-opt left with one caller is one the export wrapper calls, kept out of line; and a call in tail
      // position stays a call, so that its caller stays on the stack.
      cc = {options_.c_compiler,
            options_.optimisation,
            "-fno-inline-functions-called-once",
            "-fno-optimize-sibling-calls",
            "-shared",
            "-fPIC",
            "-fvisibility=hidden"};
      cc.insert(cc.end(), kMemoryHelpersFlags.begin(), kMemoryHelpersFlags.end());
    }
    cc.insert(cc.end(),
              {"-w", "-I", ".", "-include", std::string(kMemoryHelpersHeaderName), "fn.c", "glue.c", "-o", "fn.so"});
    if (auto compiled = run(tier == Tier::Quick ? "quick-cc" : "cc", cc, work, budget); !compiled) {
      return keep_log(work, sha, compiled.error());
    }
    // Copied, not moved: the copy is the gateway's, out of reach of the sandbox's user, who owns fn.so and may
    // have left a process holding it open. A rename is atomic: a crash leaves no module or a whole one.
    const fs::path part = target.string() + std::string(kPartSuffix) + work.filename().string();
    std::error_code error;
    fs::copy_file(work / "fn.so", part, fs::copy_options::overwrite_existing, error);
    if (!error) fs::rename(part, target, error);
    if (error) {
      fs::remove(part, error);
      return fail(ErrorCode::Internal, "cannot store " + target.filename().string() + " in the compile cache");
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return CompiledModule{sha, target, static_cast<std::uint32_t>(ms.count()), false, tier, nullptr};
  }

  // A compiler failure after the checks passed is the gateway's problem, not the upload's: keep the log (the
  // cache's cap holds it too). A limit is the upload's.
  std::unexpected<Error> keep_log(const fs::path& work, const std::string& sha, Error error) {
    if (error.code != ErrorCode::Internal) return std::unexpected(std::move(error));
    std::error_code ignored;
    for (const char* log : {"wasm2c.log", "quick-cc.log", "cc.log"}) {
      if (fs::exists(work / log))
        fs::copy_file(work / log, options_.cache_dir / (sha + "-" + log), fs::copy_options::overwrite_existing,
                      ignored);
    }
    error.message += " (log: " + sha + "-*.log in the compile cache)";
    return std::unexpected(std::move(error));
  }

  CompilerOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<fs::path> in_flight_;
  ModuleCache cache_;
  std::optional<SandboxUser> user_;
  std::atomic<bool> warned_ = false;
};

}  // namespace

std::string module_file_name(std::string_view sha256, Tier tier) {
  return std::string(sha256) + "-abi" + std::to_string(FAASMJS_MODULE_ABI_VERSION) + "-checks" +
         std::to_string(kChecksVersion) + "-code" + std::to_string(kCodeVersion) +
         (tier == Tier::Quick ? "-quick" : "") + ".so";
}

Expected<std::unique_ptr<Compiler>> Compiler::create(CompilerOptions options) {
  std::error_code error;
  fs::create_directories(options.cache_dir, error);
  if (error)
    return fail(ErrorCode::Internal,
                "cannot create the compile cache " + options.cache_dir.string() + ": " + error.message());
  if (options.module_checker.empty()) options.module_checker = default_checker();
  if (!options.quick_c_compiler.empty() && !aot::can_run(options.quick_c_compiler)) {
    if (options.log) {
      options.log("no quick tier: there is no " + options.quick_c_compiler +
                  " (Debian package tcc), so a function's first call waits for cc " + options.optimisation);
    }
    options.quick_c_compiler.clear();
  }
  sweep_build_folders(options.cache_dir);
  for (const auto& entry : fs::directory_iterator(options.cache_dir, error)) {
    if (entry.path().filename().string().find(kPartSuffix) != std::string::npos) fs::remove(entry.path(), error);
  }
  return std::make_unique<CachingCompiler>(std::move(options));
}

}  // namespace faasmjs::gateway::aot
