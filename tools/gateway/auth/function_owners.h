// Who may replace an uploaded function. Functions are one namespace for all users (one app), so an upload
// claims its name: the first upload of a name makes its uploader the owner; afterwards only the owner and
// admins may upload under that name. A name registered without an owner (from --functions) only admins may
// replace. Stored as <data>/function-owners/NAME holding the owner's user name, written durably before the
// upload runs, so that a restart keeps every claim. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/error.h"

namespace faasmjs::gateway::auth {

class FunctionOwners {
 public:
  static Expected<std::unique_ptr<FunctionOwners>> open(std::filesystem::path dir);

  // Lets `user` upload `function` (claiming it if nobody owns it), or refuses with Forbidden. `registered`:
  // the name is already registered (an unowned registered name came from --functions). A name that is not a
  // function name is let through: the registry refuses it with its own error, and it never reaches a path.
  Expected<void> claim(std::string_view function, const std::string& user, bool admin, bool registered);

 private:
  explicit FunctionOwners(std::filesystem::path dir, std::map<std::string, std::string> owners)
      : dir_(std::move(dir)), owners_(std::move(owners)) {}

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, std::string> owners_;  // function → user
};

}  // namespace faasmjs::gateway::auth
