#include "worker/run_call.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>
#include <sstream>

#include "wasm-rt-impl.h"
#include "worker/call_context.h"
#include "worker/import_guard.h"
#include "worker/memory_limit.h"
#include "worker/module_loader.h"
#include "worker/shared_file_link.h"
#include "worker/state_regions.h"
#include "worker/trap_messages.h"

namespace faasmjs::gateway::worker {

namespace {

constexpr std::size_t kMaxErrorOutput = 300;

// A guest entry point behind wasm2c's trap handler. The setjmp lives in this frame for the whole guest call, and
// nothing here has a destructor, so the longjmp of a trap, a fault or proc_exit lands safely. 0 = returned.
struct Entry {
  void (*run)(Entry&);
  const faasmjs_module* module;
  void* instance;
  void* env = nullptr;
  void* wasi = nullptr;
  std::uint32_t index = 0;
  std::uint32_t arg = 0;
  std::uint32_t result = 0;
};

int enter_guest(Entry& entry) {
  const int trap = wasm_rt_impl_try();
  if (trap != 0) return trap;
  entry.run(entry);
  return 0;
}

// Owns one instance's storage; frees the instance (its memory and tables) on every path.
class Instance {
 public:
  // Zeroed, so that freeing an instance whose instantiation trapped half-way frees only what it allocated
  // (wasm2c allocates memories and tables before it writes any segment, the only step that can trap).
  explicit Instance(const faasmjs_module* module)
      : module_(module), storage_(static_cast<std::byte*>(std::aligned_alloc(64, round_up(module->instance_size)))) {
    std::memset(storage_.get(), 0, round_up(module->instance_size));
  }
  ~Instance() {
    if (instantiated_) module_->free_instance(storage_.get());
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  void* get() const { return storage_.get(); }
  void mark_instantiated() { instantiated_ = true; }

 private:
  static std::size_t round_up(std::size_t n) { return (n + 63) / 64 * 64; }
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  const faasmjs_module* module_;
  std::unique_ptr<std::byte, Free> storage_;
  bool instantiated_ = false;
};

std::vector<std::string> faasm_args(const std::string& cmdline) {
  std::vector<std::string> args{"function.wasm"};
  if (cmdline.empty()) return args;
  std::string part;
  std::istringstream in(cmdline);
  while (std::getline(in, part, ' ')) args.push_back(part);
  return args;
}

// std::stoi of the input, as Faasm fills a pointer-chained function's one i32 argument (empty: 0).
Expected<std::uint32_t> pointer_argument(const std::vector<std::uint8_t>& input) {
  const std::string text(input.begin(), input.end());
  if (text.empty()) return 0u;
  std::smatch match;
  static const std::regex number(R"(^\s*([+-]?\d+))");
  if (!std::regex_search(text, match, number)) {
    return fail(ErrorCode::BadState, "invalid_argument: stoi('" + text.substr(0, 40) + "') found no number");
  }
  const long long value = std::strtoll(match[1].str().c_str(), nullptr, 10);
  if (match[1].str().size() > 12 || value < INT32_MIN || value > INT32_MAX) {
    return fail(ErrorCode::BadState, "out_of_range: stoi('" + match[1].str() + "')");
  }
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(value));
}

// The worker's file system: the host's, so it lives as long as the process (file_system.h).
FileSystem& host_files() {
  static FileSystem files;
  return files;
}

struct Outcome {
  int trap = 0;
};

Outcome run_entry(Entry& entry, Call& call) {
  call.exit_code.reset();
  call.fault.reset();
  return Outcome{enter_guest(entry)};
}

// `returned` is what the entry returned when it did not trap (0 for _start).
RunResult finish(const RunRequest& request, Call& call, int trap, std::uint32_t returned, std::uint64_t limit_bytes) {
  RunResult result;
  const std::string& name = request.function;
  if (trap == 0) {
    result.return_value = static_cast<std::int32_t>(returned);
  } else if (call.exit_code) {
    result.return_value = static_cast<std::int32_t>(*call.exit_code);
  } else {
    result.return_value = 1;
    std::string what;
    if (call.fault) {
      const std::string& fault = *call.fault;
      const auto colon = fault.find(": ");
      what = colon == std::string::npos ? fault : "host fault in " + fault.substr(0, colon) + ": " + fault.substr(colon + 2);
    } else {
      what = std::string("trapped: ") + trap_message(static_cast<wasm_rt_trap_t>(trap));
    }
    // A memory.grow refused at the cap explains whatever went wrong after it (malloc returned 0, then a
    // trap or a fault): the call ran out of its memory limit.
    if (memory_limit_hit()) {
      result.status = CallStatus::MemoryExceeded;
      result.error = name + " exceeded its memory limit of " + describe_limit(limit_bytes) + " (then " + what + ")";
    } else {
      result.status = CallStatus::Trapped;
      result.error = call.fault ? name + ": " + what : name + " " + what;
    }
  }
  result.output = call.output;
  if (result.return_value != 0 && result.error.empty()) {
    std::string shown(call.output.begin(), call.output.end());
    if (shown.size() > kMaxErrorOutput) shown = shown.substr(0, kMaxErrorOutput) + "...";
    result.error = name + " returned " + std::to_string(result.return_value) + (shown.empty() ? "" : ": " + shown);
  }
  result.stdout_text = std::move(call.stdout_text);
  result.stderr_text = std::move(call.stderr_text);
  if (call.capture_truncated) result.stderr_text += "\n[faasm.js: output beyond 1 MiB was dropped]\n";
  return result;
}

}  // namespace

RunResult failed(const std::string& message) {
  RunResult result;
  result.return_value = 1;
  result.status = CallStatus::Failed;
  result.error = message;
  return result;
}

void leave_guest(wasm_rt_trap_t trap) { wasm_rt_trap(trap); }

RunResult run_call(const RunRequest& request, int channel) {
  auto loaded = load_module(request.shared_object);
  if (!loaded) return failed(request.function + ": " + loaded.error().message);
  const faasmjs_module* module = *loaded;

  Call call;
  call.channel = channel;
  call.function = request.function;
  call.user = request.user;
  call.input = request.input;
  call.args = faasm_args(request.cmdline);
  SharedFileLink shared_files(channel);
  call.files = &host_files();
  call.files->begin_call(shared_files);
  for (const auto& file : request.files) {
    if (!call.files->seed(file.path, file.data)) {
      return failed(request.function + ": seeded file '" + file.path + "': a directory of its path is a file");
    }
  }
  Z_env_instance_t env{&call};
  Z_wasi_snapshot_preview1_instance_t wasi{&call};

  const std::uint64_t limit_bytes = request.memory_limit_bytes;
  begin_call_memory(limit_bytes);
  Instance instance(module);
  Entry entry{nullptr, module, instance.get(), &env, &wasi};
  // Instantiation writes data segments and may trap (a segment outside memory): it runs behind the handler too.
  entry.run = [](Entry& e) { e.module->instantiate(e.instance, e.env, e.wasi); };
  instance.mark_instantiated();
  const int instantiation_trap = enter_guest(entry);
  // Checked first: a table left empty for being over the limit makes the element segments trap.
  if (initial_memory_over_limit()) {
    RunResult result = failed(request.function + " needs " + std::to_string(initial_memory_bytes() >> 20) +
                              " MiB of memory and tables from the start, more than the memory limit of " +
                              describe_limit(limit_bytes) + " per call");
    result.status = CallStatus::MemoryExceeded;
    return result;
  }
  if (instantiation_trap != 0) {
    return failed(request.function + ": cannot instantiate: " +
                  trap_message(static_cast<wasm_rt_trap_t>(instantiation_trap)));
  }
  call.instance = instance.get();
  call.memory = module->memory(instance.get());
  call.table = module->table != nullptr ? module->table(instance.get()) : nullptr;
  call.guest_malloc = module->malloc;

  entry.run = [](Entry& e) { e.module->call_ctors(e.instance); };
  Outcome outcome = run_entry(entry, call);
  if (outcome.trap == 0 && module->zygote != nullptr) {
    entry.run = [](Entry& e) { e.result = e.module->zygote(e.instance); };
    outcome = run_entry(entry, call);
    if (outcome.trap == 0 && entry.result != 0) {
      return failed(request.function + ": zygote failed (_faasm_zygote returned " + std::to_string(entry.result) + ")");
    }
  }
  std::uint32_t pointer_result = 0;
  if (outcome.trap == 0) {
    if (request.func_ptr == 0) {
      entry.run = [](Entry& e) { e.module->start(e.instance); };
      outcome = run_entry(entry, call);
    } else {
      const std::string label = "function pointer " + std::to_string(request.func_ptr);
      if (call.table == nullptr) {
        return failed(request.function + ": the module exports no function table, so it cannot be called by pointer");
      }
      const int arity = module->table_entry_arity(instance.get(), request.func_ptr);
      if (arity == -1) {
        return failed(request.function + ": " + label + " names no function (the table has " +
                      std::to_string(call.table->size) + " entries)");
      }
      if (arity == -2) {
        return failed(request.function + ": " + label + " has a type a chained function cannot have (it takes none or one int)");
      }
      entry.index = request.func_ptr;
      if (arity == 1) {
        auto arg = pointer_argument(request.input);
        if (!arg) return failed(request.function + ": " + arg.error().message);
        entry.arg = *arg;
      }
      entry.run = [](Entry& e) { e.result = e.module->call_table_entry(e.instance, e.index, e.arg); };
      outcome = run_entry(entry, call);
      pointer_result = entry.result;
    }
  }
  try {
    publish_all_regions(call);
  } catch (const HostFault& fault) {
    call.stderr_text += std::string("faasm.js: mapped state not published at the end of the call: ") + fault.what() + "\n";
  }
  return finish(request, call, outcome.trap, pointer_result, limit_bytes);
}

double measure_instantiation(const std::string& shared_object, int count) {
  auto loaded = load_module(shared_object);
  if (!loaded) return -1;
  const faasmjs_module* module = *loaded;
  Call call;
  SharedFileLink no_gateway(-1);
  call.files = &host_files();
  call.files->begin_call(no_gateway);
  Z_env_instance_t env{&call};
  Z_wasi_snapshot_preview1_instance_t wasi{&call};
  double total_us = 0;
  for (int i = 0; i <= count; ++i) {
    const auto started = std::chrono::steady_clock::now();
    {
      Instance instance(module);
      Entry entry{nullptr, module, instance.get(), &env, &wasi};
      call.instance = instance.get();
      // As run_call does, behind the trap handler: a module whose constructors trap is not measured.
      entry.run = [](Entry& e) {
        e.module->instantiate(e.instance, e.env, e.wasi);
        static_cast<Z_env_instance_t*>(e.env)->call->memory = e.module->memory(e.instance);
        e.module->call_ctors(e.instance);
        if (e.module->zygote != nullptr) e.module->zygote(e.instance);
      };
      instance.mark_instantiated();
      if (enter_guest(entry) != 0) return -1;
    }
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - started;
    if (i > 0) total_us += took.count();
  }
  return count > 0 ? total_us / count : 0;
}

}  // namespace faasmjs::gateway::worker
