// The embedded cluster's functions: what is registered under which name, its binaries for browsers and its
// compiled form for workers. Functions come from --functions (every NAME.wasm there, with NAME.async.wasm
// and NAME.manifest.json beside it when the build made them) and from UPLOAD over the wire protocol, which
// also runs faasmjs-asyncify to make the browser variant. Stored under <data>/functions/<name>/, so uploads
// survive a restart. One namespace for all users, as one app.
//
// Registration is quick; compilation runs in the background (one at a time per core, in name order), and a
// call to a function still compiling waits for it (wait_ready), which moves it ahead of those nobody has asked
// for yet. A function is ready once the compiler's quick tier has built it (tens of milliseconds); its
// optimised module, built after, serves the calls that start once it is there. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aot/aot_compiler.h"
#include "common/error.h"

namespace faasmjs::gateway::registry {

// Which of the compiler's tiers (aot_compiler.h) build a function.
enum class CompileTiers : std::uint8_t {
  Both,           // the quick tier's module first, the optimised one swapped in when built
  QuickOnly,      // fast compiles, slower code (a development loop, and the quick tier's tests)
  OptimisedOnly,  // the first call waits for the optimising compiler
};

struct RegistryOptions {
  std::filesystem::path data_dir;                      // functions/<name>/ lives here
  std::optional<std::filesystem::path> functions_dir;  // --functions
  std::filesystem::path asyncify_tool;                 // faasmjs-asyncify, for uploads
  std::function<void(std::string_view)> log;           // start-up and compile progress lines
  // Compile for the embedded cluster's workers. Off in front of Faasm (--faasm), whose upload server compiles:
  // functions are then registered and served to browsers, and wait_ready() says they run elsewhere.
  bool compile = true;
  CompileTiers tiers = CompileTiers::Both;
  // Hot reload: a binary in --functions that is added, rebuilt or removed is registered, compiled and swapped
  // in for new calls, or unregistered (folder_watch.h); an upload of the same name still wins.
  bool watch_functions = true;
};

// 1-64 characters of [A-Za-z0-9_-]: the names the registry takes.
bool valid_function_name(std::string_view name);

// Where a function's compile stands, as FUNCTIONS reports it (docs/protocol.md) and a page shows it.
enum class CompileState : std::uint8_t {
  Compiling = 0,   // no module yet: a call waits
  Optimising = 1,  // calls run on the quick tier's module while the optimised one compiles
  Ready = 2,       // its final module
  Failed = 3,      // it does not compile: its calls fail
  Elsewhere = 4,   // not compiled here: in front of Faasm, Faasm compiles it
};

class RegisteredFunction {
 public:
  virtual ~RegisteredFunction() = default;
  virtual const std::string& name() const = 0;
  virtual const std::string& sha256() const = 0;
  // The binary as registered (what a backend that compiles elsewhere sends there).
  virtual std::filesystem::path wasm_path() const = 0;
  // Blocks until compiled: the best module so far, or the compile error (BadWasm / Internal).
  virtual Expected<aot::CompiledModule> wait_ready() const = 0;
  // Does not block.
  virtual CompileState compile_state() const = 0;
};

struct UploadInfo {
  std::string name;
  std::string sha256;
  std::uint32_t compile_ms = 0;
};

class FunctionRegistry {
 public:
  static Expected<std::unique_ptr<FunctionRegistry>> open(RegistryOptions options, aot::Compiler& compiler);
  virtual ~FunctionRegistry() = default;

  // Names: 1–64 characters of [A-Za-z0-9_-]. Registers or replaces; returns once compiled (UPLOADED is the
  // promise that calls will run). A bad binary leaves an earlier version in place.
  virtual Expected<UploadInfo> upload(std::string_view name, std::span<const std::uint8_t> wasm) = 0;
  virtual std::shared_ptr<const RegisteredFunction> find(std::string_view name) const = 0;
  // What browsers load: "NAME.wasm", "NAME.async.wasm", "NAME.manifest.json"; nullopt for anything else.
  virtual std::optional<std::filesystem::path> browser_file(std::string_view file_name) const = 0;
  // A directory holding exactly those files (links to them, kept current), for a static file server.
  virtual std::filesystem::path browser_directory() const = 0;
  virtual std::vector<std::string> names() const = 0;
};

}  // namespace faasmjs::gateway::registry
