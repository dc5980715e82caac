// Where functions come from and in what order:
//
//   --functions DIR         every NAME.wasm there that is not NAME.async.wasm, served to browsers with the
//                           NAME.async.wasm and NAME.manifest.json the build put beside it
//   <data>/functions/NAME/  uploads: NAME.wasm as uploaded, NAME.async.wasm and NAME.manifest.json made by
//                           faasmjs-asyncify at upload
//
// An upload wins over --functions on a name clash, at once and after a restart: an upload is the newer word
// on a name (someone sent it to this gateway after it started with that directory), and a restart must not
// silently bring back the binary it replaced. Deleting <data>/functions/NAME brings the --functions one back.
//
// An upload is compiled before anything is stored, so a bad binary leaves the earlier version in place. Its
// files are assembled in a staging directory (<data>/functions/.NAME.staging-N), fsync'd, and swapped with the
// old directory in one renameat2(RENAME_EXCHANGE), so a crash leaves the old or the new version whole; names
// starting with '.' are never functions, and leftovers are removed at start. Uploads of one name are
// serialised; different names proceed in parallel.
//
// Browsers load the files from browser_directory(), <data>/browser/, made afresh at start: one symbolic link
// per file of each registered function, replaced atomically (a new link renamed over the old) when an upload
// changes what a name means, so a static file server never sees a half-made set.
//
// Compilation: --functions and stored uploads are registered at once and compiled in the background, uploads
// in the uploading thread; both take one of a fixed number of slots (one per core, and as many again for
// the quick tier's compiles), so a burst of uploads at start-up never runs more C compilers than that. Each function is
// compiled twice unless the cache has its optimised module: first by the quick tier (aot_compiler.h), which readies it
// in tens of milliseconds, then by the optimised one, in the background, whose module then serves the calls that start
// after it (a call keeps the module it started on). The background queue runs quick compiles before optimised
// ones, and in each a function a call waits for before the others.
#include "registry/function_registry.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <semaphore>
#include <thread>

#include "aot/compile_sandbox.h"
#include "common/sanitizer.h"
#include "registry/folder_watch.h"
#include "sha256.h"

namespace faasmjs::gateway::registry {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kMaxName = 64;
// How long --functions must be quiet before its changes are reloaded: a build writes a binary, its browser
// variant and its manifest one after another.
constexpr std::chrono::milliseconds kSettle{300};
}  // namespace

bool valid_function_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

namespace {

using Bytes = std::vector<std::uint8_t>;

bool valid_name(std::string_view name) { return valid_function_name(name); }

// A name (or a tool's line) as it may appear in a message: cut, and without bytes that would break the line.
std::string printable(std::string_view name, std::size_t max = kMaxName + 1) {
  std::string out;
  for (const char c : name.substr(0, max)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

Expected<Bytes> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(ErrorCode::Internal, "cannot read " + path.string());
  Bytes bytes(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in) return fail(ErrorCode::Internal, "cannot read " + path.string());
  return bytes;
}

Expected<void> sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return fail(ErrorCode::Internal, "cannot open " + path.string() + ": " + std::strerror(errno));
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return fail(ErrorCode::Internal, "cannot sync " + path.string() + ": " + std::strerror(errno));
  return {};
}

Expected<void> write_file(const fs::path& path, std::span<const std::uint8_t> bytes) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return fail(ErrorCode::Internal, "cannot write " + path.string());
  }
  return sync_path(path, false);
}

std::string kilobytes(std::size_t size) { return std::to_string((size + 1023) / 1024) + " KB"; }

std::string seconds(std::uint32_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", ms / 1000.0);
  return text;
}

// One registered version of a function: its files and, once compiled, its module: the first one compiled,
// until an optimised one replaces it.
class Entry final : public RegisteredFunction {
 public:
  // `compiled_here`: false in front of Faasm, whose upload server compiles.
  Entry(std::string name, std::string sha, fs::path dir, bool compiled_here)
      : name_(std::move(name)),
        sha_(std::move(sha)),
        dir_(std::move(dir)),
        compiled_here_(compiled_here),
        ready_(promise_.get_future().share()) {}

  const std::string& name() const override { return name_; }
  const std::string& sha256() const override { return sha_; }
  fs::path wasm_path() const override { return file(".wasm"); }
  // A call waiting for the module moves it ahead of the functions nobody has asked for yet (compile_loop).
  Expected<aot::CompiledModule> wait_ready() const override {
    wanted_.store(true);
    const Expected<aot::CompiledModule>& first = ready_.get();
    std::lock_guard lock(mutex_);
    return optimised_ ? Expected<aot::CompiledModule>(*optimised_) : first;
  }
  bool wanted() const { return wanted_.load(); }
  CompileState compile_state() const override {
    if (!compiled_here_) return CompileState::Elsewhere;
    if (ready_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return CompileState::Compiling;
    if (!ready_.get()) return CompileState::Failed;
    return optimising_.load() ? CompileState::Optimising : CompileState::Ready;
  }

  void finish(Expected<aot::CompiledModule> result) { promise_.set_value(std::move(result)); }
  // Between the optimised compile's queueing and its end, whichever way it ends.
  void set_optimising(bool optimising) { optimising_.store(optimising); }
  void optimised(aot::CompiledModule module) {
    std::lock_guard lock(mutex_);
    optimised_ = std::move(module);
  }
  // NAME.wasm, NAME.async.wasm and NAME.manifest.json live together, in dir().
  fs::path file(std::string_view suffix) const { return dir_ / (name_ + std::string(suffix)); }
  const fs::path& dir() const { return dir_; }

 private:
  std::string name_;
  std::string sha_;
  fs::path dir_;
  bool compiled_here_;
  std::atomic<bool> optimising_ = false;
  std::promise<Expected<aot::CompiledModule>> promise_;
  std::shared_future<Expected<aot::CompiledModule>> ready_;
  mutable std::atomic<bool> wanted_ = false;
  mutable std::mutex mutex_;
  std::optional<aot::CompiledModule> optimised_;
};

struct Pending {
  std::shared_ptr<Entry> entry;
  Bytes wasm;
  aot::Tier tier = aot::Tier::Quick;  // Quick: the entry's first module (the optimised one if cached)
};

class Registry final : public FunctionRegistry {
 public:
  Registry(RegistryOptions options, aot::Compiler& compiler)
      : options_(std::move(options)),
        compiler_(compiler),
        cores_(std::max(1u, std::thread::hardware_concurrency())),
        slots_(cores_),
        quick_slots_(cores_) {}

  ~Registry() override {
    watch_.reset();
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queued_.notify_all();
    // A stopping gateway exits at once (docs/gateway.md): it does not wait for an optimising compile.
    cancelling_.store(true);
    for (auto& thread : compilers_) thread.join();
    for (auto& pending : queue_) {
      if (pending.tier != aot::Tier::Quick) continue;
      pending.entry->finish(fail(ErrorCode::Internal, "the gateway stopped before compiling " + pending.entry->name()));
    }
  }

  Expected<void> load() {
    std::error_code error;
    fs::create_directories(uploads(), error);
    if (error) return fail(ErrorCode::Internal, "cannot create " + uploads().string() + ": " + error.message());
    for (const auto& item : fs::directory_iterator(uploads())) {
      if (!item.path().filename().string().starts_with(".")) continue;
      fs::remove_all(item.path(), error);  // an upload that never finished
      if (error) return fail(ErrorCode::Internal, "cannot remove " + item.path().string() + ": " + error.message());
    }
    std::map<std::string, std::pair<fs::path, fs::path>> found;  // name → (wasm, dir of its browser files)
    if (options_.functions_dir) {
      const fs::path& dir = *options_.functions_dir;
      if (!fs::is_directory(dir))
        return fail(ErrorCode::Internal, "--functions " + dir.string() + " is not a directory");
      for (const auto& item : fs::directory_iterator(dir)) {
        const std::string file = item.path().filename().string();
        if (!item.is_regular_file() || !file.ends_with(".wasm") || file.ends_with(".async.wasm")) continue;
        const std::string name = file.substr(0, file.size() - 5);
        if (!valid_name(name)) {
          log("skipping " + item.path().string() + ": a function name is 1-64 characters of A-Z, a-z, 0-9, _ and -");
          continue;
        }
        found[name] = {item.path(), dir};
      }
    }
    for (const auto& item : fs::directory_iterator(uploads())) {
      const std::string name = item.path().filename().string();
      const fs::path wasm = item.path() / (name + ".wasm");
      if (!valid_name(name) || !fs::is_regular_file(wasm)) {
        return fail(ErrorCode::Internal, item.path().string() + " is not an uploaded function");
      }
      if (found.contains(name)) log("the upload of " + name + " replaces the one in --functions");
      found[name] = {wasm, item.path()};
    }
    fs::remove_all(browser_directory(), error);
    if (!error) fs::create_directories(browser_directory(), error);
    if (error) return fail(ErrorCode::Internal, "cannot make " + browser_directory().string() + ": " + error.message());
    for (const auto& [name, where] : found) {
      auto wasm = read_file(where.first);
      if (!wasm) return std::unexpected(wasm.error());
      auto entry = std::make_shared<Entry>(name, sha256_hex(*wasm), where.second, options_.compile);
      if (auto linked = link_browser_files(*entry); !linked) return std::unexpected(linked.error());
      entries_[name] = entry;
      if (!options_.compile) {
        entry->finish(runs_elsewhere(name));
      } else if (auto optimised = options_.tiers == CompileTiers::QuickOnly
                                      ? std::nullopt
                                      : compiler_.cached(*wasm, aot::Tier::Optimised)) {
        log_ready(name, *optimised);
        entry->finish(std::move(*optimised));
      } else {
        queue_.push_back({std::move(entry), std::move(*wasm)});
      }
    }
    if (options_.compile) {
      for (unsigned i = 0; i < cores_; ++i) compilers_.emplace_back([this] { compile_loop(); });
    }
    if (options_.functions_dir && options_.watch_functions) {
      auto watch = FolderWatch::start(*options_.functions_dir, kSettle,
                                      [this](const std::set<std::string>& files) { reload(files); });
      if (!watch) return std::unexpected(watch.error());
      watch_ = std::move(*watch);
    }
    return {};
  }

  Expected<UploadInfo> upload(std::string_view name, std::span<const std::uint8_t> wasm) override {
    if (!valid_name(name)) {
      return fail(ErrorCode::BadWasm,
                  "function name '" + printable(name) + "' is not 1-64 characters of A-Z, a-z, 0-9, _ and -");
    }
    const std::string function(name);
    std::lock_guard serialised(upload_mutex(function));
    // The compile and the browser variant (faasmjs-asyncify, ~1 s for 200 KB) are made at once; the files
    // are swapped in only once the compile succeeded, and its error is the one reported.
    auto compiling = std::async(std::launch::async,
                                [&] { return options_.compile ? compile_first(function, wasm) : not_compiled(wasm); });
    std::optional<Expected<aot::CompiledModule>> compiled;
    const fs::path dir = uploads() / function;
    auto stored = store(function, wasm, dir, [&]() -> Expected<void> {
      compiled = compiling.get();
      if (!*compiled) return std::unexpected(compiled->error());
      return {};
    });
    if (!compiled) compiled = compiling.get();
    auto& module = *compiled;
    if (!module) return std::unexpected(module.error());
    if (!stored) return std::unexpected(for_client(stored.error()));
    auto entry = std::make_shared<Entry>(function, module->sha256, dir, options_.compile);
    entry->finish(options_.compile ? Expected<aot::CompiledModule>(*module) : runs_elsewhere(function));
    {
      std::lock_guard lock(mutex_);
      entries_[function] = entry;
    }
    if (optimises_after(*module)) queue({entry, Bytes(wasm.begin(), wasm.end()), aot::Tier::Optimised});
    if (auto linked = link_browser_files(*entry); !linked) return std::unexpected(for_client(linked.error()));
    log("uploaded " + function);
    return UploadInfo{function, module->sha256, module->compile_ms};
  }

  std::shared_ptr<const RegisteredFunction> find(std::string_view name) const override {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(name);
    return found == entries_.end() ? nullptr : found->second;
  }

  std::optional<fs::path> browser_file(std::string_view file_name) const override {
    for (std::string_view suffix : {".async.wasm", ".manifest.json", ".wasm"}) {
      if (!file_name.ends_with(suffix)) continue;
      const std::string_view name = file_name.substr(0, file_name.size() - suffix.size());
      std::shared_ptr<Entry> entry;
      {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(name);
        if (found == entries_.end()) return std::nullopt;
        entry = found->second;
      }
      fs::path path = entry->file(suffix);
      if (!fs::is_regular_file(path)) return std::nullopt;
      return path;
    }
    return std::nullopt;
  }

  fs::path browser_directory() const override { return options_.data_dir / "browser"; }

  std::vector<std::string> names() const override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> all;
    for (const auto& [name, entry] : entries_) all.push_back(name);
    return all;
  }

 private:
  fs::path uploads() const { return options_.data_dir / "functions"; }

  // The entry's links in browser_directory(), one per file it has (see the top of this file).
  Expected<void> link_browser_files(const Entry& entry) const {
    for (std::string_view suffix : {".wasm", ".async.wasm", ".manifest.json"}) {
      const fs::path link = browser_directory() / (entry.name() + std::string(suffix));
      const fs::path target = entry.file(suffix);
      std::error_code error;
      if (fs::is_regular_file(target)) {
        const fs::path fresh = link.string() + ".new";
        fs::remove(fresh, error);
        fs::create_symlink(fs::absolute(target), fresh, error);
        if (!error) fs::rename(fresh, link, error);
      } else {
        fs::remove(link, error);
      }
      if (error) return fail(ErrorCode::Internal, "cannot link " + link.string() + ": " + error.message());
    }
    return {};
  }

  // An upload's error as its client sees it: the whole of it in the gateway's log, and the data folder's
  // place on the server as <data>.
  Error for_client(Error error) const {
    if (error.code == ErrorCode::Internal) log("upload failed: " + error.message);
    for (const std::string& folder :
         {fs::absolute(options_.data_dir).lexically_normal().string(), options_.data_dir.string()}) {
      for (std::size_t at; !folder.empty() && (at = error.message.find(folder)) != std::string::npos;) {
        error.message.replace(at, folder.size(), "<data>");
      }
    }
    return error;
  }

  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  std::mutex& upload_mutex(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& held = upload_mutexes_[name];
    if (!held) held = std::make_unique<std::mutex>();
    return *held;
  }

  // One compile in one of the slots, with its progress lines: a function's first, or the optimised module
  // that replaces the quick tier's.
  Expected<aot::CompiledModule> compile(const std::string& name, std::span<const std::uint8_t> wasm, aot::Tier tier,
                                        bool replacing = false) {
    // The quick tier has slots of its own: a first compile (a call or an upload waits for it) takes tens of
    // milliseconds and must not wait seconds behind the background's optimised ones.
    auto& slots = tier == aot::Tier::Quick && compiler_.has_quick_tier() ? quick_slots_ : slots_;
    slots.acquire();
    log((replacing ? "optimising " : "compiling ") + name + " (" + kilobytes(wasm.size()) + ")…");
    auto module = compiler_.compile(wasm, tier, &cancelling_);
    slots.release();
    if (!module) {
      log(name + " cannot be " + (replacing ? "optimised" : "compiled") + ": " + module.error().message);
      return fail(module.error().code, name + ": " + module.error().message);
    }
    log_ready(name, *module);
    return module;
  }

  void log_ready(const std::string& name, const aot::CompiledModule& module) const {
    const std::string took = module.cached ? std::string("from cache") : "in " + seconds(module.compile_ms);
    log(name + (module.tier == aot::Tier::Quick ? " ready (quick tier) " : " ready (optimised) ") + took);
  }

  // Whether a function that is ready on the quick tier's module is then optimised.
  bool optimises_after(const aot::CompiledModule& first) const {
    return options_.tiers == CompileTiers::Both && first.tier == aot::Tier::Quick;
  }

  // A function's first module: the optimised one when cached, else the quick tier's, else (the quick compiler
  // failed on C the optimising one may still build) the optimised one.
  Expected<aot::CompiledModule> compile_first(const std::string& name, std::span<const std::uint8_t> wasm) {
    if (options_.tiers == CompileTiers::OptimisedOnly) return compile(name, wasm, aot::Tier::Optimised);
    if (options_.tiers == CompileTiers::QuickOnly) return compile(name, wasm, aot::Tier::Quick);
    if (auto optimised = compiler_.cached(wasm, aot::Tier::Optimised)) {
      log_ready(name, *optimised);
      return std::move(*optimised);
    }
    auto quick = compile(name, wasm, aot::Tier::Quick);
    if (quick || quick.error().code != ErrorCode::Internal) return quick;
    return compile(name, wasm, aot::Tier::Optimised);
  }

  // Without compiling (RegistryOptions::compile off), what an upload's reply reports.
  static Expected<aot::CompiledModule> not_compiled(std::span<const std::uint8_t> wasm) {
    aot::CompiledModule module;
    module.sha256 = sha256_hex(wasm);
    return module;
  }

  static Expected<aot::CompiledModule> runs_elsewhere(const std::string& name) {
    return fail(ErrorCode::Internal, name + " is not compiled for the embedded cluster: its calls run on Faasm");
  }

  void queue(Pending pending) {
    if (pending.tier == aot::Tier::Optimised) pending.entry->set_optimising(true);
    {
      std::lock_guard lock(queue_mutex_);
      queue_.push_back(std::move(pending));
    }
    queued_.notify_one();
  }

  // The compile slots' threads, for the registry's lifetime.
  void compile_loop() {
    for (;;) {
      Pending pending;
      {
        std::unique_lock lock(queue_mutex_);
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        // Quick compiles first, then optimised ones; in each, the name order, but a function a call already
        // waits for first: with many registered, the first call of the last one would otherwise wait for all
        // the others to compile.
        auto next = std::ranges::min_element(queue_, {}, [](const Pending& queued) {
          return (queued.tier == aot::Tier::Quick ? 0 : 2) + (queued.entry->wanted() ? 0 : 1);
        });
        pending = std::move(*next);
        queue_.erase(next);
      }
      if (pending.tier == aot::Tier::Quick) {
        auto module = compile_first(pending.entry->name(), pending.wasm);
        const bool optimise = module && optimises_after(*module);
        pending.entry->finish(std::move(module));
        if (optimise) queue({std::move(pending.entry), std::move(pending.wasm), aot::Tier::Optimised});
      } else {
        // A failure leaves the quick tier's module serving its calls: compile() logged why.
        if (current(*pending.entry)) {
          if (auto module = compile(pending.entry->name(), pending.wasm, aot::Tier::Optimised, true)) {
            pending.entry->optimised(std::move(*module));
          }
        }
        pending.entry->set_optimising(false);
      }
    }
  }

  // Hot reload: the functions of --functions whose files changed, on the watch's thread.
  void reload(const std::set<std::string>& files) {
    std::set<std::string> names;
    for (const std::string& file : files) {
      for (std::string_view suffix : {".async.wasm", ".manifest.json", ".wasm"}) {
        if (file.ends_with(suffix)) {
          names.insert(file.substr(0, file.size() - suffix.size()));
          break;
        }
      }
    }
    for (const std::string& name : names) {
      if (valid_name(name)) reload(name);
    }
  }

  // A binary that changed is compiled before it replaces the one registered, so that a bad build leaves the
  // earlier version serving calls; a call already running keeps its module, the next ones get the new one.
  void reload(const std::string& name) {
    const fs::path& dir = *options_.functions_dir;
    std::lock_guard serialised(upload_mutex(name));  // an upload of the name cannot pass this in the middle
    std::shared_ptr<Entry> current;
    {
      std::lock_guard lock(mutex_);
      if (auto found = entries_.find(name); found != entries_.end()) current = found->second;
    }
    if (current && current->dir() != dir) return;  // an upload holds the name, and wins
    const fs::path wasm_path = dir / (name + ".wasm");
    if (!fs::is_regular_file(wasm_path)) {
      if (!current) return;
      {
        std::lock_guard lock(mutex_);
        entries_.erase(name);
      }
      if (auto unlinked = link_browser_files(*current); !unlinked) log(unlinked.error().message);
      log(name + ".wasm left --functions: " + name + " is no longer registered");
      return;
    }
    auto wasm = read_file(wasm_path);
    if (!wasm) return log("cannot reload " + name + ": " + wasm.error().message);
    const std::string sha = sha256_hex(*wasm);
    if (current && current->sha256() == sha) {
      if (auto linked = link_browser_files(*current); !linked) log(linked.error().message);
      return;
    }
    auto module = options_.compile ? compile_first(name, *wasm) : runs_elsewhere(name);
    if (options_.compile && !module) {
      if (current) log("the earlier version of " + name + " still serves its calls");
      return;
    }
    auto entry = std::make_shared<Entry>(name, sha, dir, options_.compile);
    const bool optimise = module && optimises_after(*module);
    entry->finish(std::move(module));
    {
      std::lock_guard lock(mutex_);
      entries_[name] = entry;
    }
    if (auto linked = link_browser_files(*entry); !linked) log(linked.error().message);
    if (optimise) queue({entry, std::move(*wasm), aot::Tier::Optimised});
    log((current ? "reloaded " : "registered ") + name + " from --functions (sha256 " + sha.substr(0, 12) +
        "…): the calls that start from now on run it");
  }

  // Still what its name means: an entry an upload replaced is not worth optimising.
  bool current(const Entry& entry) const {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(entry.name());
    return found != entries_.end() && found->second.get() == &entry;
  }

  // The upload's files in place of the old ones, durably (see the top of this file).
  // `ready` says whether to swap them in once they are assembled.
  Expected<void> store(const std::string& name, std::span<const std::uint8_t> wasm, const fs::path& dir,
                       const std::function<Expected<void>()>& ready) {
    const fs::path staging = uploads() / ("." + name + ".staging-" + std::to_string(++staging_counter_));
    std::error_code error;
    fs::create_directories(staging, error);
    if (error) return fail(ErrorCode::Internal, "cannot create " + staging.string() + ": " + error.message());
    auto stored = assemble(name, wasm, staging);
    if (stored) stored = ready();
    if (stored) stored = swap_in(staging, dir);
    fs::remove_all(staging, error);
    return stored;
  }

  Expected<void> assemble(const std::string& name, std::span<const std::uint8_t> wasm, const fs::path& staging) {
    const fs::path wasm_path = staging / (name + ".wasm");
    if (auto written = write_file(wasm_path, wasm); !written) return written;
    if (auto made = make_browser_variant(wasm_path, staging, name); !made) return made;
    for (std::string_view suffix : {".async.wasm", ".manifest.json"}) {
      if (auto synced = sync_path(staging / (name + std::string(suffix)), false); !synced) return synced;
    }
    return sync_path(staging, true);
  }

  static Expected<void> swap_in(const fs::path& staging, const fs::path& dir) {
    const bool replacing = fs::exists(dir);
    const int moved = replacing ? ::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE)
                                : ::rename(staging.c_str(), dir.c_str());
    if (moved != 0) return fail(ErrorCode::Internal, "cannot store " + dir.string() + ": " + std::strerror(errno));
    return sync_path(dir.parent_path(), true);
  }

  // NAME.async.wasm and NAME.manifest.json, made by faasmjs-asyncify as the build makes them. It reads the
  // upload, so it runs in the compiler's sandbox (no network, rlimits, a time limit), as the gateway's user:
  // it writes into the staging directory.
  Expected<void> make_browser_variant(const fs::path& wasm, const fs::path& dir, const std::string& name) {
    // Run inside the directory with relative names, so that the manifest names the files as they are served,
    // not the staging directory they were made in.
    aot::SandboxRun run;
    run.argv = {fs::absolute(options_.asyncify_tool).string(),
                wasm.filename().string(),
                "--output",
                name + ".async.wasm",
                "--manifest",
                name + ".manifest.json"};
    run.folder = dir;
    run.log = dir / "asyncify.log";
    // An ASan build's asyncify tool (built beside its gateway) needs its shadow memory: common/sanitizer.h.
    if (kAddressSanitizer) run.limits.memory_bytes = RLIM_INFINITY;
    auto outcome = aot::run_sandboxed(run);
    if (!outcome) return std::unexpected(outcome.error());
    std::string first_line;
    {
      std::ifstream log_in(run.log);
      std::getline(log_in, first_line);
    }
    std::error_code ignored;
    fs::remove(run.log, ignored);
    if (outcome->exited && outcome->exit_status == 0) return {};
    if (outcome->exited && outcome->exit_status == 2) {
      return fail(ErrorCode::BadWasm, "faasmjs-asyncify refused " + name + ": " + printable(first_line, 300));
    }
    if (outcome->timed_out) {
      return fail(ErrorCode::BadWasm, "faasmjs-asyncify took longer than its time limit of " +
                                          std::to_string(run.limits.time.count()) + " s on " + name);
    }
    return fail(ErrorCode::Internal, "faasmjs-asyncify failed on " + name + " (" + aot::describe(*outcome) +
                                         "): " + printable(first_line, 300));
  }

  RegistryOptions options_;
  aot::Compiler& compiler_;
  const unsigned cores_;
  std::counting_semaphore<> slots_;
  std::counting_semaphore<> quick_slots_;
  std::atomic<std::uint64_t> staging_counter_ = 0;

  mutable std::mutex mutex_;  // entries_ and upload_mutexes_
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> entries_;
  std::map<std::string, std::unique_ptr<std::mutex>> upload_mutexes_;

  std::mutex queue_mutex_;
  std::condition_variable queued_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::atomic<bool> cancelling_ = false;  // set when closing: the compiles running then are killed
  std::vector<std::thread> compilers_;
  std::unique_ptr<FolderWatch> watch_;  // last: stopped first
};

}  // namespace

Expected<std::unique_ptr<FunctionRegistry>> FunctionRegistry::open(RegistryOptions options, aot::Compiler& compiler) {
  auto registry = std::make_unique<Registry>(std::move(options), compiler);
  if (auto loaded = registry->load(); !loaded) return std::unexpected(loaded.error());
  return registry;
}

}  // namespace faasmjs::gateway::registry
