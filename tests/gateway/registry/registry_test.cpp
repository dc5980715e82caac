// The function registry with real binaries (the clang sub-build's example functions), the real AOT compiler
// and the real faasmjs-asyncify: what --functions registers, uploads and their refusals, what survives a
// restart, and what browsers are given.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <thread>

#include "registry/function_registry.h"
#include "sha256.h"

namespace fs = std::filesystem;
using faasmjs::sha256_hex;
using namespace faasmjs::gateway;
using faasmjs::gateway::registry::FunctionRegistry;
using faasmjs::gateway::registry::RegistryOptions;

namespace {

using Bytes = std::vector<std::uint8_t>;

fs::path env_path(const char* name) {
  const char* value = std::getenv(name);
  REQUIRE_MESSAGE(value != nullptr, std::string(name), " is not set (ctest sets it)");
  return value;
}

fs::path example(const std::string& file) { return env_path("FAASMJS_WASM_DIR") / "examples" / "functions" / file; }

Bytes file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read ", path);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

bool has_line(const std::vector<std::string>& lines, const std::string& fragment) {
  return std::ranges::any_of(lines, [&](const std::string& line) { return line.find(fragment) != std::string::npos; });
}

struct RegistryFixture {
  RegistryFixture() {
    std::string pattern = (fs::temp_directory_path() / "faasmjs-registry-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
    data = root / "data";
    functions = root / "functions";
    fs::create_directories(functions);
    use_compiler("tcc");
  }

  void use_compiler(const std::string& quick_c_compiler) {
    aot::CompilerOptions compiler_options;
    compiler_options.cache_dir = root / "cache";
    compiler_options.optimisation = "-O0";
    compiler_options.quick_c_compiler = quick_c_compiler;
    auto made = aot::Compiler::create(compiler_options);
    REQUIRE(made.has_value());
    compiler = std::move(*made);
  }
  ~RegistryFixture() {
    registry.reset();
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  RegistryFixture(const RegistryFixture&) = delete;
  RegistryFixture& operator=(const RegistryFixture&) = delete;

  RegistryOptions options(bool with_functions = true) {
    RegistryOptions o;
    o.data_dir = data;
    if (with_functions) o.functions_dir = functions;
    o.asyncify_tool = asyncify;
    o.tiers = tiers;
    o.watch_functions = watch;
    o.compile = compile;
    o.log = [this](std::string_view line) {
      std::lock_guard lock(log_mutex);
      lines.emplace_back(line);
    };
    return o;
  }

  // (Re)opens the registry over the same data directory, as a restarted gateway does.
  void open(bool with_functions = true) {
    registry.reset();
    auto opened = FunctionRegistry::open(options(with_functions), *compiler);
    if (!opened) FAIL(opened.error().message);
    registry = std::move(*opened);
  }

  aot::CompiledModule ready(const std::string& name) {
    auto function = registry->find(name);
    REQUIRE_MESSAGE(function != nullptr, name, " is not registered");
    auto module = function->wait_ready();
    if (!module) FAIL(name, ": ", module.error().message);
    CHECK(fs::exists(module->shared_object));
    return *module;
  }

  // The function's module once its optimised one has replaced the first (a bounded wait: 120 s).
  aot::CompiledModule optimised(const std::string& name) {
    for (int waited = 0; waited < 6000; ++waited) {
      auto module = registry->find(name)->wait_ready();
      REQUIRE(module.has_value());
      if (module->tier == aot::Tier::Optimised) return *module;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL(name, " was not optimised within 120 s");
    return {};
  }

  std::vector<std::string> log_lines() {
    std::lock_guard lock(log_mutex);
    return lines;
  }

  void copy_example(const std::string& file, const std::string& as = "") {
    fs::copy_file(example(file), functions / (as.empty() ? file : as));
  }

  fs::path root;
  fs::path data;
  fs::path functions;
  fs::path asyncify = env_path("FAASMJS_ASYNCIFY");
  std::unique_ptr<aot::Compiler> compiler;
  registry::CompileTiers tiers = registry::CompileTiers::Both;
  bool watch = true;
  bool compile = true;
  std::unique_ptr<FunctionRegistry> registry;
  std::mutex log_mutex;
  std::vector<std::string> lines;
};

// Polls `done` for up to 20 s: what a watched folder or a background compile does is seen by its effects.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

void check_refused(const Expected<registry::UploadInfo>& result, ErrorCode code, const std::string& fragment) {
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == code);
  CHECK_MESSAGE(result.error().message.find(fragment) != std::string::npos, result.error().message);
  CHECK(result.error().message.find('\n') == std::string::npos);
}

}  // namespace

TEST_SUITE("load") {
  TEST_CASE_FIXTURE(RegistryFixture, "--functions: every NAME.wasm but NAME.async.wasm, compiled in the background") {
    copy_example("hello.wasm");
    copy_example("hello.async.wasm");
    copy_example("hello.manifest.json");
    copy_example("echo.wasm");
    copy_example("echo.wasm", "not a name.wasm");
    write_bytes(functions / "broken.wasm", {0, 'a', 's', 'm', 1, 0, 0, 0, 0xFF});
    write_bytes(functions / "readme.txt", {'h', 'i'});
    open();
    CHECK(registry->names() == std::vector<std::string>{"broken", "echo", "hello"});
    CHECK(registry->find("hello.async") == nullptr);

    const auto hello = ready("hello");
    CHECK(hello.sha256 == sha256_hex(file_bytes(example("hello.wasm"))));
    CHECK(registry->find("hello")->sha256() == hello.sha256);
    CHECK(ready("echo").sha256 == sha256_hex(file_bytes(example("echo.wasm"))));
    auto broken = registry->find("broken")->wait_ready();
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().code == ErrorCode::BadWasm);
    CHECK(registry->find("broken")->compile_state() == registry::CompileState::Failed);
    CHECK(broken.error().message.starts_with("broken: not a valid wasm binary"));

    const auto lines = log_lines();
    CHECK(has_line(lines, "compiling hello ("));
    CHECK(has_line(lines, "hello ready (quick tier) in "));
    CHECK(has_line(lines, "broken cannot be compiled: "));
    CHECK(has_line(lines, "skipping " + (functions / "not a name.wasm").string()));

    CHECK(registry->browser_file("hello.wasm") == functions / "hello.wasm");
    CHECK(registry->browser_file("hello.async.wasm") == functions / "hello.async.wasm");
    CHECK(registry->browser_file("hello.manifest.json") == functions / "hello.manifest.json");
    CHECK(registry->browser_file("echo.wasm") == functions / "echo.wasm");
    CHECK_FALSE(registry->browser_file("echo.async.wasm").has_value());
    CHECK_FALSE(registry->browser_file("nobody.wasm").has_value());
    CHECK_FALSE(registry->browser_file("hello.txt").has_value());
    CHECK_FALSE(registry->browser_file("hello").has_value());

    const fs::path browser = registry->browser_directory();
    CHECK(file_bytes(browser / "hello.async.wasm") == file_bytes(example("hello.async.wasm")));
    CHECK(file_bytes(browser / "echo.wasm") == file_bytes(example("echo.wasm")));
    CHECK_FALSE(fs::exists(browser / "echo.async.wasm"));
    CHECK_FALSE(fs::exists(browser / "readme.txt"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a function a call waits for is compiled before the ones nobody asked for") {
    // Distinct binaries (hello.wasm with a custom section naming each), so that none comes from the cache.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned count = 2 * cores + 3;
    const Bytes hello = file_bytes(example("hello.wasm"));
    std::vector<std::string> names;
    for (unsigned i = 0; i < count; ++i) {
      names.push_back((i < 10 ? "f0" : "f") + std::to_string(i));
      Bytes wasm = hello;
      wasm.insert(wasm.end(), {0, 4, 1, 'n', static_cast<std::uint8_t>(i), 0});
      write_bytes(functions / (names.back() + ".wasm"), wasm);
    }
    open();
    ready(names.back());
    std::vector<std::string> started;
    for (const auto& line : log_lines()) {
      if (line.starts_with("compiling ")) started.push_back(line.substr(10, 3));
    }
    // The compile threads took the first names at once; the next free one must take the waited-for function.
    const auto position = std::ranges::find(started, names.back()) - started.begin();
    CHECK_MESSAGE(position <= static_cast<long>(cores), "compile order: ", started.size(), " started, ", names.back(),
                  " at ", position);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a --functions directory that does not exist stops the open") {
    fs::remove_all(functions);
    auto opened = FunctionRegistry::open(options(), *compiler);
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == ErrorCode::Internal);
    CHECK(opened.error().message.find(functions.string()) != std::string::npos);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "without --functions only uploads are registered") {
    open(false);
    CHECK(registry->names().empty());
    CHECK(registry->find("hello") == nullptr);
  }
}

TEST_SUITE("upload") {
  TEST_CASE_FIXTURE(RegistryFixture,
                    "an upload is compiled, stored with its browser variant, and linked for browsers") {
    open(false);
    const Bytes wasm = file_bytes(example("chain.wasm"));
    auto info = registry->upload("greet", wasm);
    if (!info) FAIL(info.error().message);
    CHECK(info->name == "greet");
    CHECK(info->sha256 == sha256_hex(wasm));
    CHECK(ready("greet").sha256 == info->sha256);
    CHECK(registry->names() == std::vector<std::string>{"greet"});

    const fs::path stored = data / "functions" / "greet";
    CHECK(file_bytes(stored / "greet.wasm") == wasm);
    const Bytes async = file_bytes(stored / "greet.async.wasm");
    CHECK(async != wasm);
    CHECK(async == file_bytes(example("chain.async.wasm")));
    const Bytes manifest = file_bytes(stored / "greet.manifest.json");
    const std::string manifest_text(manifest.begin(), manifest.end());
    CHECK(manifest_text.find("\"function\": \"greet\"") != std::string::npos);
    CHECK(manifest_text.find("\"file\": \"greet.async.wasm\"") != std::string::npos);
    CHECK(manifest_text.find("staging") == std::string::npos);
    CHECK(registry->browser_file("greet.async.wasm") == stored / "greet.async.wasm");
    CHECK(file_bytes(registry->browser_directory() / "greet.async.wasm") == async);
    CHECK(has_line(log_lines(), "uploaded greet"));
    const auto leftovers = std::distance(fs::directory_iterator(data / "functions"), fs::directory_iterator());
    CHECK(leftovers == 1);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a bad name is refused with BadWasm and nothing is stored") {
    open(false);
    const Bytes wasm = file_bytes(example("hello.wasm"));
    for (const std::string& name : {std::string(), std::string("a/b"), std::string("../up"), std::string(".hidden"),
                                    std::string("with space"), std::string(65, 'x'), std::string("nul\0x", 5)}) {
      CAPTURE(name);
      check_refused(registry->upload(name, wasm), ErrorCode::BadWasm, "is not 1-64 characters");
    }
    CHECK(registry->upload(std::string(64, 'x'), wasm).has_value());
    CHECK(registry->names() == std::vector<std::string>{std::string(64, 'x')});
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a malformed binary is refused and leaves the earlier version in place") {
    open(false);
    const Bytes hello = file_bytes(example("hello.wasm"));
    REQUIRE(registry->upload("f", hello).has_value());
    const Bytes async = file_bytes(data / "functions" / "f" / "f.async.wasm");
    SUBCASE("not wasm at all") {
      check_refused(registry->upload("f", Bytes{'n', 'o', 't', ' ', 'w', 'a', 's', 'm'}), ErrorCode::BadWasm,
                    "f: not a valid wasm binary");
    }
    SUBCASE("a truncated binary") {
      check_refused(
          registry->upload("f", Bytes(hello.begin(), hello.begin() + static_cast<std::ptrdiff_t>(hello.size() / 2))),
          ErrorCode::BadWasm, "f: not a valid wasm binary");
    }
    SUBCASE("an empty binary") {
      check_refused(registry->upload("f", Bytes()), ErrorCode::BadWasm, "f: not a wasm binary");
    }
    CHECK(registry->find("f")->sha256() == sha256_hex(hello));
    CHECK(file_bytes(data / "functions" / "f" / "f.wasm") == hello);
    CHECK(file_bytes(data / "functions" / "f" / "f.async.wasm") == async);
    check_refused(registry->upload("g", Bytes{1, 2, 3}), ErrorCode::BadWasm, "g: not a wasm binary");
    CHECK(registry->find("g") == nullptr);
    CHECK_FALSE(fs::exists(data / "functions" / "g"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a re-upload replaces the function, its files and its links") {
    copy_example("hello.wasm");
    copy_example("hello.async.wasm");
    open();
    const Bytes echo = file_bytes(example("echo.wasm"));
    auto info = registry->upload("hello", echo);
    if (!info) FAIL(info.error().message);
    CHECK(info->sha256 == sha256_hex(echo));
    CHECK(registry->find("hello")->sha256() == sha256_hex(echo));
    CHECK(ready("hello").sha256 == sha256_hex(echo));
    CHECK(registry->browser_file("hello.wasm") == data / "functions" / "hello" / "hello.wasm");
    CHECK(file_bytes(registry->browser_directory() / "hello.wasm") == echo);
    CHECK(file_bytes(registry->browser_directory() / "hello.async.wasm") != file_bytes(example("hello.async.wasm")));
    const Bytes hello = file_bytes(example("hello.wasm"));
    REQUIRE(registry->upload("hello", hello).has_value());
    CHECK(file_bytes(registry->browser_directory() / "hello.wasm") == hello);
    CHECK(ready("hello").cached);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "concurrent uploads of one name leave one whole version") {
    open(false);
    const Bytes hello = file_bytes(example("hello.wasm"));
    const Bytes echo = file_bytes(example("echo.wasm"));
    std::vector<std::thread> threads;
    std::atomic<int> failures = 0;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        if (!registry->upload("same", i % 2 == 0 ? hello : echo)) ++failures;
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    const Bytes stored = file_bytes(data / "functions" / "same" / "same.wasm");
    CHECK(sha256_hex(stored) == registry->find("same")->sha256());
    CHECK(std::distance(fs::directory_iterator(data / "functions"), fs::directory_iterator()) == 1);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "an upload that cannot be stored says why without naming server folders") {
    open(false);
    fs::remove_all(data / "functions");
    std::ofstream(data / "functions") << "not a folder";
    const auto refused = registry->upload("f", file_bytes(example("hello.wasm")));
    check_refused(refused, ErrorCode::Internal, "cannot create <data>/functions/.f.staging-");
    CHECK(refused.error().message.find(root.string()) == std::string::npos);
    CHECK(has_line(lines, root.string()));  // the operator's log has the whole path
  }

  TEST_CASE_FIXTURE(RegistryFixture,
                    "an asyncify tool that cannot run is an Internal error naming it, not its folder") {
    asyncify = root / "no-such-asyncify";
    open(false);
    const auto refused = registry->upload("f", file_bytes(example("hello.wasm")));
    check_refused(refused, ErrorCode::Internal, "cannot run no-such-asyncify: No such file or directory");
    CHECK(refused.error().message.find(root.string()) == std::string::npos);
    CHECK(registry->find("f") == nullptr);
    CHECK_FALSE(fs::exists(data / "functions" / "f"));
  }
}

TEST_SUITE("restart") {
  TEST_CASE_FIXTURE(RegistryFixture,
                    "uploads survive a restart, come from the compile cache, and win over --functions") {
    copy_example("hello.wasm");
    open();
    const Bytes echo = file_bytes(example("echo.wasm"));
    REQUIRE(registry->upload("hello", echo).has_value());
    REQUIRE(registry->upload("kept", file_bytes(example("hello.wasm"))).has_value());
    optimised("hello");
    optimised("kept");
    lines.clear();
    open();
    CHECK(registry->names() == std::vector<std::string>{"hello", "kept"});
    CHECK(registry->find("hello")->sha256() == sha256_hex(echo));
    CHECK(ready("hello").cached);
    CHECK(ready("kept").cached);
    CHECK(file_bytes(registry->browser_directory() / "hello.wasm") == echo);
    CHECK(fs::exists(registry->browser_directory() / "kept.async.wasm"));
    const auto log = log_lines();
    CHECK(has_line(log, "hello ready (optimised) from cache"));
    CHECK(has_line(log, "the upload of hello replaces the one in --functions"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "an upload that never finished is cleaned away at start") {
    open(false);
    REQUIRE(registry->upload("f", file_bytes(example("hello.wasm"))).has_value());
    registry.reset();
    fs::create_directories(data / "functions" / ".f.staging-7");
    write_bytes(data / "functions" / ".f.staging-7" / "f.wasm", {1, 2});
    open(false);
    CHECK(registry->names() == std::vector<std::string>{"f"});
    CHECK_FALSE(fs::exists(data / "functions" / ".f.staging-7"));
    ready("f");
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a foreign entry among the uploads stops the open, named") {
    fs::create_directories(data / "functions" / "stray");
    auto opened = FunctionRegistry::open(options(false), *compiler);
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == ErrorCode::Internal);
    CHECK(opened.error().message.find((data / "functions" / "stray").string()) != std::string::npos);
  }
}

TEST_SUITE("tiers") {
  TEST_CASE_FIXTURE(RegistryFixture, "a function is ready on the quick tier's module, then on the optimised one") {
    copy_example("hello.wasm");
    open();
    const auto first = ready("hello");
    CHECK(first.tier == aot::Tier::Quick);
    CHECK_FALSE(first.cached);
    // What FUNCTIONS reports: runnable, and optimising until the optimised compile has ended.
    const auto state = registry->find("hello")->compile_state();
    CHECK((state == registry::CompileState::Optimising || state == registry::CompileState::Ready));
    const auto better = optimised("hello");
    CHECK(eventually([&] { return registry->find("hello")->compile_state() == registry::CompileState::Ready; }));
    CHECK_FALSE(better.cached);
    CHECK(better.sha256 == first.sha256);
    CHECK(better.shared_object != first.shared_object);
    CHECK(fs::exists(first.shared_object));  // a call that started on it may still be loading it
    const auto lines = log_lines();
    CHECK(has_line(lines, "compiling hello ("));
    CHECK(has_line(lines, "hello ready (quick tier) in "));
    CHECK(has_line(lines, "optimising hello ("));
    CHECK(has_line(lines, "hello ready (optimised) in "));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "with its optimised module cached, a function starts on it and compiles nothing") {
    copy_example("hello.wasm");
    open();
    optimised("hello");
    lines.clear();
    open();
    const auto module = ready("hello");
    CHECK(module.tier == aot::Tier::Optimised);
    CHECK(module.cached);
    const auto log = log_lines();
    CHECK(has_line(log, "hello ready (optimised) from cache"));
    CHECK_FALSE(has_line(log, "compiling hello"));
    CHECK_FALSE(has_line(log, "optimising hello"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "an upload returns on the quick tier's module and is optimised after") {
    open(false);
    auto info = registry->upload("up", file_bytes(example("hello.wasm")));
    REQUIRE(info.has_value());
    CHECK(ready("up").tier == aot::Tier::Quick);
    CHECK(optimised("up").sha256 == info->sha256);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a quick compiler that fails leaves the function to the optimised tier") {
    use_compiler("false");
    copy_example("hello.wasm");
    open();
    const auto module = ready("hello");
    CHECK(module.tier == aot::Tier::Optimised);
    const auto lines = log_lines();
    CHECK(has_line(lines, "hello cannot be compiled: quick-cc failed"));
    CHECK(has_line(lines, "hello ready (optimised) in "));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a binary the checks refuse is refused once, not again by the optimised tier") {
    write_bytes(functions / "broken.wasm", {0, 'a', 's', 'm', 9, 9});
    open();
    auto broken = registry->find("broken")->wait_ready();
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().code == ErrorCode::BadWasm);
    registry.reset();  // its compile threads finish what they started
    const auto lines = log_lines();
    CHECK(std::ranges::count_if(lines, [](const std::string& l) { return l.starts_with("broken cannot be"); }) == 1);
    CHECK_FALSE(has_line(lines, "optimising broken"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "closing the registry kills an optimising compile instead of waiting for it") {
    // pi with a custom section naming this run: the same code, bytes no earlier test left in the compile cache.
    Bytes pi = file_bytes(example("pi.wasm"));
    const std::string tag = "run " + std::to_string(::getpid()) + " " + std::to_string(std::time(nullptr));
    pi.insert(pi.end(), {0x00, static_cast<std::uint8_t>(tag.size() + 1), static_cast<std::uint8_t>(tag.size())});
    pi.insert(pi.end(), tag.begin(), tag.end());
    write_bytes(functions / "pi.wasm", pi);
    open();
    ready("pi");
    // The optimised compile of pi takes seconds of cc -O2; the registry closes while it runs.
    REQUIRE(eventually([&] { return has_line(log_lines(), "optimising pi ("); }));
    registry.reset();
    CHECK(has_line(log_lines(), "pi cannot be optimised: the compile was cancelled: the gateway is stopping"));
    CHECK_FALSE(has_line(log_lines(), "pi ready (optimised)"));
    // The compiler stays usable: the next registry compiles as usual.
    open();
    CHECK(optimised("pi").tier == aot::Tier::Optimised);
  }

  TEST_CASE_FIXTURE(RegistryFixture, "in front of Faasm nothing is compiled here, and FUNCTIONS says so") {
    compile = false;
    copy_example("hello.wasm");
    open();
    CHECK(registry->find("hello")->compile_state() == registry::CompileState::Elsewhere);
    CHECK_FALSE(registry->find("hello")->wait_ready().has_value());
  }

  TEST_CASE_FIXTURE(RegistryFixture, "--tiers quick never optimises, --tiers optimised never uses the quick tier") {
    copy_example("hello.wasm");
    tiers = registry::CompileTiers::QuickOnly;
    open();
    CHECK(ready("hello").tier == aot::Tier::Quick);
    registry.reset();
    CHECK_FALSE(has_line(log_lines(), "optimising hello"));

    lines.clear();
    tiers = registry::CompileTiers::OptimisedOnly;
    open();
    const auto module = ready("hello");
    CHECK(module.tier == aot::Tier::Optimised);
    CHECK_FALSE(module.cached);
    CHECK(has_line(log_lines(), "hello ready (optimised) in "));
  }
}

namespace {

// As a linker writes its output: a file of its own, renamed over the old one.
void replace_file(const fs::path& path, const Bytes& bytes) {
  const fs::path temporary = path.string() + ".tmp";
  write_bytes(temporary, bytes);
  fs::rename(temporary, path);
}

}  // namespace

TEST_SUITE("reload") {
  TEST_CASE_FIXTURE(RegistryFixture, "a rebuilt binary in --functions is compiled and swapped in for new calls") {
    copy_example("hello.wasm");
    open();
    const auto before = ready("hello");
    const Bytes echo = file_bytes(example("echo.wasm"));
    replace_file(functions / "hello.wasm", echo);
    REQUIRE(eventually([&] { return registry->find("hello")->sha256() == sha256_hex(echo); }));
    CHECK(ready("hello").sha256 == sha256_hex(echo));
    CHECK(before.sha256 != sha256_hex(echo));
    // The swap comes first and its log line after it, from the reloading thread.
    CHECK(eventually([&] {
      return has_line(log_lines(), "reloaded hello from --functions (sha256 " + sha256_hex(echo).substr(0, 12));
    }));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a rebuild that does not compile leaves the earlier version serving calls") {
    copy_example("hello.wasm");
    open();
    const auto before = ready("hello");
    replace_file(functions / "hello.wasm", {0, 'a', 's', 'm', 1, 0, 0, 0, 7});
    REQUIRE(eventually([&] { return has_line(log_lines(), "the earlier version of hello still serves its calls"); }));
    CHECK(registry->find("hello")->sha256() == before.sha256);
    CHECK(ready("hello").sha256 == before.sha256);
    CHECK(has_line(log_lines(), "hello cannot be compiled: "));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "a binary added to --functions is registered, one removed is unregistered") {
    open();
    CHECK(registry->find("late") == nullptr);
    write_bytes(functions / "late.wasm", file_bytes(example("echo.wasm")));
    REQUIRE(eventually([&] { return registry->find("late") != nullptr; }));
    CHECK(ready("late").sha256 == sha256_hex(file_bytes(example("echo.wasm"))));
    CHECK(fs::exists(registry->browser_directory() / "late.wasm"));
    fs::remove(functions / "late.wasm");
    REQUIRE(eventually([&] { return registry->find("late") == nullptr; }));
    CHECK_FALSE(fs::is_symlink(registry->browser_directory() / "late.wasm"));
    CHECK(has_line(log_lines(), "late.wasm left --functions: late is no longer registered"));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "an upload of a name wins over a rebuild of its --functions binary") {
    copy_example("hello.wasm");
    open();
    const Bytes echo = file_bytes(example("echo.wasm"));
    REQUIRE(registry->upload("hello", echo).has_value());
    Bytes other = file_bytes(example("hello.wasm"));
    other.insert(other.end(), {0, 2, 1, 'x'});
    replace_file(functions / "hello.wasm", other);
    // One batch: by the time the marker is registered, hello's change has been handled.
    write_bytes(functions / "marker.wasm", echo);
    REQUIRE(eventually([&] { return registry->find("marker") != nullptr; }));
    CHECK(registry->find("hello")->sha256() == sha256_hex(echo));
  }

  TEST_CASE_FIXTURE(RegistryFixture, "without watching, a rebuilt binary is not reloaded") {
    copy_example("hello.wasm");
    watch = false;
    open();
    const auto before = ready("hello");
    replace_file(functions / "hello.wasm", file_bytes(example("echo.wasm")));
    write_bytes(functions / "marker.wasm", file_bytes(example("echo.wasm")));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // three settle times: a watch would have seen it
    CHECK(registry->find("marker") == nullptr);
    CHECK(registry->find("hello")->sha256() == before.sha256);
  }
}
