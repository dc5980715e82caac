// The registry's functions on Faasm's upload server. Faasm keeps functions per user (PUT /f/USER/FUNC) and resolves a
// call chained by name under the caller's user, so before a user's call runs, every registered function is uploaded
// under that user (once per version: the registry's SHA-256 is remembered per user and function), and an UPLOAD goes to
// Faasm under its uploader at once. A function whose imports Faasm's WAMR backend lacks (wamr_imports.h) is never sent:
// an UPLOAD of it is refused naming the imports, one from
// --functions is reported at start, and a call of it fails with the same line. The gateway keeps serving the browser
// variants itself (the registry).
//
// What the upload server said is kept per version: a binary Faasm refused is not sent again until it changes. An upload
// server that is down fails the call or UPLOAD that needed it (naming the upload server), and is tried again by the
// next one. Thread-safe: one user's uploads are serialised, different users' run at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "faasm/upload_client.h"
#include "registry/function_registry.h"

namespace faasmjs::gateway::faasm {

class FunctionSync {
 public:
  FunctionSync(const UploadClient& upload, registry::FunctionRegistry& registry,
               std::function<void(std::string_view)> log);

  // Before a call of `function` by `user`. Its error is the called function's: it cannot run on Faasm, Faasm refused
  // it, or the upload server could not be reached. Another function Faasm refuses is logged.
  Expected<void> prepare(std::string_view user, std::string_view function);
  // UPLOAD of `function` by `user`, before the registry stores it.
  Expected<void> upload(std::string_view user, std::string_view function, std::span<const std::uint8_t> wasm);
  // One log line per registered function Faasm's WAMR cannot run, naming what it lacks.
  void report_unrunnable();

 private:
  struct UserFunctions {
    std::mutex mutex;                         // one sync of the user at a time
    std::map<std::string, std::string> sent;  // function → SHA-256 of what Faasm holds under the user
  };

  UserFunctions& user_functions(std::string_view user);
  // The WAMR check of one version, remembered: an error line, or empty when it can run.
  std::string unrunnable(const std::string& function, const std::string& sha256, std::span<const std::uint8_t> wasm);
  void log(const std::string& line) const;
  // Records what Faasm now holds under the user; a different version replacing one sent before is logged.
  void record_sent(UserFunctions& held, std::string_view user, const std::string& function, const std::string& sha256);

  const UploadClient& upload_;
  registry::FunctionRegistry& registry_;
  std::function<void(std::string_view)> log_;

  std::mutex mutex_;  // users_, checked_, refused_
  std::map<std::string, std::unique_ptr<UserFunctions>, std::less<>> users_;
  std::map<std::string, std::string> checked_;  // "SHA-256 NAME" → unrunnable()'s answer (it names the function)
  std::map<std::string, std::string> refused_;  // SHA-256 → the upload server's refusal
};

}  // namespace faasmjs::gateway::faasm
