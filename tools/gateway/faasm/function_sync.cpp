#include "faasm/function_sync.h"

#include <fstream>
#include <iterator>

#include "faasm/wamr_imports.h"
#include "sha256.h"

namespace faasmjs::gateway::faasm {

namespace {

Expected<std::vector<std::uint8_t>> read_binary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::Internal, "cannot read " + path.string());
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string_view text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

FunctionSync::FunctionSync(const UploadClient& upload, registry::FunctionRegistry& registry,
                           std::function<void(std::string_view)> log)
    : upload_(upload), registry_(registry), log_(std::move(log)) {}

void FunctionSync::log(const std::string& line) const {
  if (log_) log_(line);
}

FunctionSync::UserFunctions& FunctionSync::user_functions(std::string_view user) {
  std::lock_guard lock(mutex_);
  auto found = users_.find(user);
  if (found == users_.end()) found = users_.emplace(std::string(user), std::make_unique<UserFunctions>()).first;
  return *found->second;
}

std::string FunctionSync::unrunnable(const std::string& function, const std::string& sha256,
                                     std::span<const std::uint8_t> wasm) {
  {
    std::lock_guard lock(mutex_);
    if (auto known = checked_.find(sha256 + " " + function); known != checked_.end()) return known->second;
  }
  auto checked = check_wamr_imports(function, wasm);
  std::string answer = checked ? std::string() : checked.error().message;
  std::lock_guard lock(mutex_);
  checked_[sha256 + " " + function] = answer;
  return answer;
}

void FunctionSync::record_sent(UserFunctions& held, std::string_view user, const std::string& function,
                               const std::string& sha256) {
  auto [known, first] = held.sent.try_emplace(function, sha256);
  if (first || known->second == sha256) return;
  known->second = sha256;
  // Faasm's hosts keep a warm executor and a local copy of the module they ran (faabric Scheduler::claimExecutor,
  // faasm FileLoader), so the replacement may not reach them; flushing them (the planner's FLUSH_EXECUTORS) would
  // stop every call running on the cluster, which is not the gateway's to do.
  log(function + " of user " + std::string(user) +
      " was replaced on Faasm's upload server; Faasm hosts that already ran the old version may go on running it "
      "until they are flushed: give a changed function a new name");
}

Expected<void> FunctionSync::prepare(std::string_view user, std::string_view function) {
  UserFunctions& held = user_functions(user);
  std::lock_guard serialised(held.mutex);
  Expected<void> called_function_error;
  for (const std::string& name : registry_.names()) {
    auto entry = registry_.find(name);
    if (!entry) continue;  // replaced meanwhile
    const bool called = name == function;
    auto sent = held.sent.find(name);
    if (sent != held.sent.end() && sent->second == entry->sha256()) continue;
    std::string refusal;
    {
      std::lock_guard lock(mutex_);
      if (auto known = refused_.find(entry->sha256()); known != refused_.end()) refusal = known->second;
    }
    if (refusal.empty()) {
      auto wasm = read_binary(entry->wasm_path());
      if (!wasm) return std::unexpected(wasm.error());
      refusal = unrunnable(name, entry->sha256(), *wasm);
      if (refusal.empty()) {
        auto uploaded = upload_.uploadFunction(user, name, text(*wasm));
        if (uploaded) {
          record_sent(held, user, name, entry->sha256());
          continue;
        }
        if (uploaded.error().code != ErrorCode::BadWasm) {
          // The upload server is down or mute: nothing more can be sent now.
          return fail(uploaded.error().code, std::string(function) + " cannot run before " + name +
                                                 " is on Faasm: " + uploaded.error().message);
        }
        refusal = name + ": " + uploaded.error().message;
        log(refusal);
        std::lock_guard lock(mutex_);
        refused_[entry->sha256()] = refusal;
      }
    }
    if (called) called_function_error = fail(ErrorCode::BadWasm, refusal);
  }
  return called_function_error;
}

Expected<void> FunctionSync::upload(std::string_view user, std::string_view function,
                                    std::span<const std::uint8_t> wasm) {
  const std::string sha256 = sha256_hex(wasm);
  const std::string name(function);
  if (std::string refusal = unrunnable(name, sha256, wasm); !refusal.empty()) return fail(ErrorCode::BadWasm, refusal);
  UserFunctions& held = user_functions(user);
  std::lock_guard serialised(held.mutex);
  auto uploaded = upload_.uploadFunction(user, function, text(wasm));
  if (!uploaded) return fail(uploaded.error().code, name + ": " + uploaded.error().message);
  record_sent(held, user, name, sha256);
  return {};
}

void FunctionSync::report_unrunnable() {
  for (const std::string& name : registry_.names()) {
    auto entry = registry_.find(name);
    if (!entry) continue;
    auto wasm = read_binary(entry->wasm_path());
    if (!wasm) {
      log(wasm.error().message);
      continue;
    }
    if (std::string refusal = unrunnable(name, entry->sha256(), *wasm); !refusal.empty()) log(refusal);
  }
}

}  // namespace faasmjs::gateway::faasm
