#include "registry/function_registry.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include "common/sha256.h"

extern char** environ;

namespace faasmjs::gateway::registry {

namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;

bool valid_name(std::string_view name) {
  static const std::regex pattern("[A-Za-z0-9_-]{1,64}");
  return std::regex_match(name.begin(), name.end(), pattern);
}

Expected<Bytes> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::Internal, "cannot read " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// One registered version of a function: its files and, once compiled, its module.
class Entry final : public RegisteredFunction {
 public:
  Entry(std::string name, std::string sha, fs::path wasm, fs::path dir)
      : name_(std::move(name)), sha_(std::move(sha)), wasm_(std::move(wasm)), dir_(std::move(dir)),
        ready_(promise_.get_future().share()) {}

  const std::string& name() const override { return name_; }
  const std::string& sha256() const override { return sha_; }
  Expected<aot::CompiledModule> wait_ready() const override { return ready_.get(); }

  void finish(Expected<aot::CompiledModule> result) { promise_.set_value(std::move(result)); }
  const fs::path& wasm() const { return wasm_; }
  // NAME.wasm, NAME.async.wasm and NAME.manifest.json live together.
  fs::path file(std::string_view suffix) const { return dir_ / (name_ + std::string(suffix)); }

 private:
  std::string name_;
  std::string sha_;
  fs::path wasm_;
  fs::path dir_;
  std::promise<Expected<aot::CompiledModule>> promise_;
  std::shared_future<Expected<aot::CompiledModule>> ready_;
};

class Registry final : public FunctionRegistry {
 public:
  Registry(RegistryOptions options, aot::Compiler& compiler) : options_(std::move(options)), compiler_(compiler) {
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) compilers_.emplace_back([this] { compile_loop(); });
  }

  ~Registry() override {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_changed_.notify_all();
    for (auto& thread : compilers_) thread.join();
    for (auto& entry : queue_) entry->finish(fail(ErrorCode::Internal, "the gateway stopped before compiling " + entry->name()));
  }

  Expected<void> load() {
    std::error_code error;
    fs::remove_all(browser_directory(), error);  // made afresh from what is registered now
    fs::create_directories(uploads(), error);
    if (error) return fail(ErrorCode::Internal, "cannot create " + uploads().string() + ": " + error.message());
    if (options_.functions_dir) {
      if (!fs::is_directory(*options_.functions_dir)) {
        return fail(ErrorCode::Internal, "--functions " + options_.functions_dir->string() + " is not a directory");
      }
      for (const auto& item : fs::directory_iterator(*options_.functions_dir)) {
        const std::string file = item.path().filename().string();
        if (!file.ends_with(".wasm") || file.ends_with(".async.wasm")) continue;
        const std::string name = file.substr(0, file.size() - 5);
        if (!valid_name(name)) {
          log("skipping " + item.path().string() + ": not a valid function name");
          continue;
        }
        if (auto added = add(name, item.path(), *options_.functions_dir); !added) return std::unexpected(added.error());
      }
    }
    // Uploads survive restarts and win over --functions: they are the newer word on a name.
    for (const auto& item : fs::directory_iterator(uploads())) {
      const std::string name = item.path().filename().string();
      const fs::path wasm = item.path() / (name + ".wasm");
      if (valid_name(name) && fs::exists(wasm)) {
        if (auto added = add(name, wasm, item.path()); !added) return std::unexpected(added.error());
      }
    }
    return {};
  }

  Expected<UploadInfo> upload(std::string_view name, std::span<const std::uint8_t> wasm) override {
    if (!valid_name(name)) {
      return fail(ErrorCode::BadWasm, "function name '" + std::string(name).substr(0, 80) +
                                          "' is not 1-64 characters of A-Z, a-z, 0-9, _ and -");
    }
    auto module = compiler_.compile(wasm);
    if (!module) return std::unexpected(module.error());
    // Stored only once it compiled, so that a bad binary leaves the earlier version in place.
    const fs::path dir = uploads() / std::string(name);
    const fs::path staging = uploads() / ("." + std::string(name) + ".staging");
    std::error_code error;
    fs::remove_all(staging, error);
    fs::create_directories(staging, error);
    const fs::path wasm_path = staging / (std::string(name) + ".wasm");
    {
      std::ofstream out(wasm_path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(wasm.data()), static_cast<std::streamsize>(wasm.size()));
      if (!out) return fail(ErrorCode::Internal, "cannot write " + wasm_path.string());
    }
    if (auto browser = make_browser_variant(wasm_path, staging, std::string(name)); !browser) {
      fs::remove_all(staging, error);
      return std::unexpected(browser.error());
    }
    fs::remove_all(dir, error);
    fs::rename(staging, dir, error);
    if (error) return fail(ErrorCode::Internal, "cannot store " + dir.string() + ": " + error.message());
    auto entry = std::make_shared<Entry>(std::string(name), module->sha256, dir / (std::string(name) + ".wasm"), dir);
    entry->finish(*module);
 {
      std::lock_guard lock(mutex_);
      entries_[std::string(name)] = entry;
    }
    link_browser_files(*entry);
    log("uploaded " + std::string(name) + " (" + std::to_string(wasm.size() / 1024) + " KiB, " +
        (module->cached ? "from the compile cache" : "compiled in " + std::to_string(module->compile_ms) + " ms") + ")");
    return UploadInfo{std::string(name), module->sha256, module->compile_ms};
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
      std::lock_guard lock(mutex_);
      auto found = entries_.find(name);
      if (found == entries_.end()) return std::nullopt;
      const fs::path path = found->second->file(suffix);
      if (!fs::exists(path)) return std::nullopt;
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

  // Replaces the entry's links in browser_directory() (a link per file it has).
  void link_browser_files(const Entry& entry) const {
    std::error_code error;
    fs::create_directories(browser_directory(), error);
    for (std::string_view suffix : {".wasm", ".async.wasm", ".manifest.json"}) {
      const fs::path link = browser_directory() / (entry.name() + std::string(suffix));
      fs::remove(link, error);
      const fs::path target = entry.file(suffix);
      if (fs::exists(target)) fs::create_symlink(fs::absolute(target), link, error);
    }
  }

  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  Expected<void> add(const std::string& name, const fs::path& wasm, const fs::path& dir) {
    auto bytes = read_file(wasm);
    if (!bytes) return std::unexpected(bytes.error());
    auto entry = std::make_shared<Entry>(name, sha256_hex(*bytes), wasm, dir);
    {
      std::lock_guard lock(mutex_);
      entries_[name] = entry;
    }
    link_browser_files(*entry);
    {
      std::lock_guard lock(queue_mutex_);
      queue_.push_back(entry);
    }
    queue_changed_.notify_one();
    return {};
  }

  void compile_loop() {
    for (;;) {
      std::shared_ptr<Entry> entry;
      {
        std::unique_lock lock(queue_mutex_);
        queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        entry = queue_.front();
        queue_.pop_front();
      }
      auto bytes = read_file(entry->wasm());
      auto module = bytes ? compiler_.compile(*bytes) : Expected<aot::CompiledModule>(std::unexpected(bytes.error()));
      if (!module) {
        log(entry->name() + ": cannot compile: " + module.error().message);
      } else {
        log(entry->name() + " ready (" + (module->cached ? std::string("from the compile cache")
                                                          : "compiled in " + std::to_string(module->compile_ms) + " ms") + ")");
      }
      entry->finish(std::move(module));
    }
  }

  // NAME.async.wasm and NAME.manifest.json, made by faasmjs-asyncify as the build makes them.
  Expected<void> make_browser_variant(const fs::path& wasm, const fs::path& dir, const std::string& name) {
    const std::string tool = options_.asyncify_tool.string();
    const std::string output = (dir / (name + ".async.wasm")).string();
    const std::string manifest = (dir / (name + ".manifest.json")).string();
    const std::string input = wasm.string();
    std::vector<char*> argv{const_cast<char*>(tool.c_str()), const_cast<char*>(input.c_str()),
                            const_cast<char*>("-o"),         const_cast<char*>(output.c_str()),
                            const_cast<char*>("--manifest"), const_cast<char*>(manifest.c_str()),
                            nullptr};
    const std::string log_path = (dir / "asyncify.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return fail(ErrorCode::Internal, "cannot run " + tool + ": " + std::strerror(spawned));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::ifstream log_in(log_path);
    std::string first;
    std::getline(log_in, first);
    std::error_code ignored;
    fs::remove(log_path, ignored);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return fail(ErrorCode::BadWasm, "faasmjs-asyncify refused it: " + first);
    }
    return {};
  }

  RegistryOptions options_;
  aot::Compiler& compiler_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> entries_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<std::shared_ptr<Entry>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> compilers_;
};

}  // namespace

Expected<std::unique_ptr<FunctionRegistry>> FunctionRegistry::open(RegistryOptions options, aot::Compiler& compiler) {
  auto registry = std::make_unique<Registry>(std::move(options), compiler);
  if (auto loaded = registry->load(); !loaded) return std::unexpected(loaded.error());
  return registry;
}

}  // namespace faasmjs::gateway::registry
