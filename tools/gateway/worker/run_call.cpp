#include "worker/run_call.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "common/byte_io.h"
#include "wasm-rt-impl.h"
#include "worker/call_context.h"
#include "worker/import_guard.h"
#include "worker/instance.h"
#include "worker/instance_snapshot.h"
#include "worker/memory_limit.h"
#include "worker/module_loader.h"
#include "worker/shared_file_link.h"
#include "worker/state_regions.h"
#include "worker/trap_backtrace.h"
#include "worker/trap_messages.h"
#include "worker/warm_instances.h"

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

// What the call's imports reach of its instance.
void bind(Call& call, const Instance& instance) {
  call.instance = instance.get();
  call.memory = instance.memory();
  call.table = instance.table();
  call.guest_malloc = instance.module()->malloc;
}

Outcome run_entry(Entry& entry, Call& call) {
  call.exit_code.reset();
  call.fault.reset();
  return Outcome{enter_guest(entry)};
}

// `returned` is what the entry returned when it did not trap (0 for _start).
RunResult finish(const RunRequest& request, const LoadedModule& loaded, Call& call, int trap, std::uint32_t returned,
                 std::uint64_t limit_bytes) {
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
      what = colon == std::string::npos ? fault
                                        : "host fault in " + fault.substr(0, colon) + ": " + fault.substr(colon + 2);
    } else {
      what = std::string("trapped: ") + trap_message(static_cast<wasm_rt_trap_t>(trap));
    }
    const std::string where = trap_backtrace_lines(*loaded.abi, loaded.symbols);
    // A memory.grow refused at the cap explains whatever went wrong after it (malloc returned 0, then a
    // trap or a fault): the call ran out of its memory limit.
    if (memory_limit_hit()) {
      result.status = CallStatus::MemoryExceeded;
      result.error =
          name + " exceeded its memory limit of " + describe_limit(limit_bytes) + " (then " + what + ")" + where;
    } else {
      result.status = CallStatus::Trapped;
      result.error = (call.fault ? name + ": " + what : name + " " + what) + where;
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

// A gateway for the benchmark that refuses every host call (REPLY ok = 0), so that a function which chains or
// uses state ends there as a call whose host call failed, instead of the worker exiting for want of a gateway.
class RefusingGateway {
 public:
  RefusingGateway() {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_) != 0) fds_[0] = fds_[1] = -1;
    channel_.emplace(fds_[0]);
    refuser_ = std::thread([fd = fds_[1]] {
      Channel channel(fd);
      while (channel.receive()) {
        std::vector<std::uint8_t> reply;
        ByteWriter out(reply);
        out.u8(0);
        out.str("the benchmark has no gateway");
        if (!send_message(fd, Op::Reply, reply)) return;
      }
    });
  }
  ~RefusingGateway() {
    shutdown(fds_[0], SHUT_RDWR);
    refuser_.join();
    close(fds_[0]);
    close(fds_[1]);
  }
  Channel& channel() { return *channel_; }

 private:
  int fds_[2];
  std::optional<Channel> channel_;
  std::thread refuser_;
};

}  // namespace

RunResult failed(const std::string& message) {
  RunResult result;
  result.return_value = 1;
  result.status = CallStatus::Failed;
  result.error = message;
  return result;
}

void leave_guest(wasm_rt_trap_t trap) { wasm_rt_trap(trap); }

RunResult run_call(const RunRequest& request, Channel& channel) {
  auto loaded = load_module(request.shared_object);
  if (!loaded) return failed(request.function + ": " + loaded.error().message);
  const faasmjs_module* module = (*loaded)->abi;
  begin_trap_backtrace((*loaded)->symbols);

  Call call;
  call.channel = &channel;
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
  const std::uint64_t limit_bytes = request.memory_limit_bytes;
  begin_call_memory(limit_bytes);
  auto over_limit = [&] {
    RunResult result = failed(request.function + " needs " + std::to_string(initial_memory_bytes() >> 20) +
                              " MiB of memory and tables from the start, more than the memory limit of " +
                              describe_limit(limit_bytes) + " per call");
    result.status = CallStatus::MemoryExceeded;
    return result;
  };
  std::unique_ptr<Instance> fresh;
  Instance* instance = warm_instances().take(module);
  const bool reset_instance = instance != nullptr;
  Outcome outcome;
  if (reset_instance) {
    instance->attach(call);
    if (initial_memory_over_limit()) return over_limit();
  } else {
    fresh = std::make_unique<Instance>(module);
    instance = fresh.get();
    instance->attach(call);
    Entry entry{nullptr, module, instance->get(), instance->env(), instance->wasi()};
    // Instantiation writes data segments and may trap (a segment outside memory): it runs behind the handler too.
    entry.run = [](Entry& e) { e.module->instantiate(e.instance, e.env, e.wasi); };
    instance->mark_instantiated();
    const int instantiation_trap = enter_guest(entry);
    // Checked first: a table left empty for being over the limit makes the element segments trap.
    if (initial_memory_over_limit()) return over_limit();
    if (instantiation_trap != 0) {
      return failed(request.function +
                    ": cannot instantiate: " + trap_message(static_cast<wasm_rt_trap_t>(instantiation_trap)));
    }
    bind(call, *instance);
    entry.run = [](Entry& e) { e.module->call_ctors(e.instance); };
    outcome = run_entry(entry, call);
    if (outcome.trap == 0 && module->zygote != nullptr) {
      entry.run = [](Entry& e) { e.result = e.module->zygote(e.instance); };
      outcome = run_entry(entry, call);
      if (outcome.trap == 0 && entry.result != 0) {
        return failed(request.function + ": zygote failed (_faasm_zygote returned " + std::to_string(entry.result) +
                      ")");
      }
    }
    if (outcome.trap == 0 && module->resettable && !call.imported) instance = warm_instances().keep(std::move(fresh));
  }
  bind(call, *instance);
  Entry entry{nullptr, module, instance->get(), instance->env(), instance->wasi()};
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
      const int arity = module->table_entry_arity(instance->get(), request.func_ptr);
      if (arity == -1) {
        return failed(request.function + ": " + label + " names no function (the table has " +
                      std::to_string(call.table->size) + " entries)");
      }
      if (arity == -2) {
        return failed(request.function + ": " + label +
                      " has a type a chained function cannot have (it takes none or one int)");
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
    call.stderr_text +=
        std::string("faasm.js: mapped state not published at the end of the call: ") + fault.what() + "\n";
  }
  RunResult result = finish(request, **loaded, call, outcome.trap, pointer_result, limit_bytes);
  result.reset_instance = reset_instance;
  return result;
}

std::optional<InstantiationCost> measure_instantiation(const std::string& shared_object, int count) {
  auto loaded = load_module(shared_object);
  if (!loaded) return std::nullopt;
  const faasmjs_module* module = (*loaded)->abi;
  RefusingGateway gateway;
  Call call;
  call.channel = &gateway.channel();
  SharedFileLink no_gateway(gateway.channel());
  call.files = &host_files();
  call.files->begin_call(no_gateway);
  // As run_call makes one, behind the trap handler: a module whose constructors trap is not measured.
  auto make = [&]() -> std::unique_ptr<Instance> {
    auto instance = std::make_unique<Instance>(module);
    instance->attach(call);
    Entry entry{nullptr, module, instance->get(), instance->env(), instance->wasi()};
    entry.run = [](Entry& e) {
      e.module->instantiate(e.instance, e.env, e.wasi);
      e.module->call_ctors(e.instance);
      if (e.module->zygote != nullptr) e.module->zygote(e.instance);
    };
    instance->mark_instantiated();
    bind(call, *instance);
    if (enter_guest(entry) != 0) return nullptr;
    return instance;
  };
  using Micros = std::chrono::duration<double, std::micro>;
  InstantiationCost cost;
  for (int i = 0; i <= count; ++i) {
    const auto started = std::chrono::steady_clock::now();
    if (make() == nullptr) return std::nullopt;
    if (i > 0) cost.scratch_us += Micros(std::chrono::steady_clock::now() - started).count() / count;
  }
  cost.resettable = module->resettable != 0 && !call.imported;
  if (!cost.resettable) return cost;

  auto kept = make();
  InstanceSnapshot snapshot(*kept);
  cost.snapshot_bytes = snapshot.kept_bytes();
  // Before each reset, a call: `_start` with no input, its host calls refused, so that a function that chains
  // or uses state ends at that host call, having touched what a call of it touches until then.
  Entry entry{[](Entry& e) { e.module->start(e.instance); }, module, kept->get(), nullptr, nullptr};
  for (int i = 0; i <= count; ++i) {
    call.files->begin_call(no_gateway);
    run_entry(entry, call);
    call.output.clear();
    call.stdout_text.clear();
    call.stderr_text.clear();
    const auto started = std::chrono::steady_clock::now();
    if (!snapshot.restore(*kept)) return std::nullopt;
    if (i > 0) cost.reset_us += Micros(std::chrono::steady_clock::now() - started).count() / count;
  }
  wasm_rt_memory_t* memory = kept->memory();
  std::vector<unsigned char> resident((memory->size + 4095) / 4096);
  if (mincore(memory->data, memory->size, resident.data()) == 0) {
    for (unsigned char page : resident) cost.resident_bytes += (page & 1) * 4096;
  }
  return cost;
}

}  // namespace faasmjs::gateway::worker
