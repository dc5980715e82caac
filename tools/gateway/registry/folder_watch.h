// Watches one folder (inotify) for files written, moved in or removed, and reports each changed file name
// once the folder has been quiet for `settle`: a build writes a function's binary, then its browser variant
// and manifest, in steps, and a rename or a copy shows up as several events. Symbolic links in the folder are
// not followed: a rebuild of what one points to is not seen.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "common/error.h"

namespace faasmjs::gateway::registry {

class FolderWatch {
 public:
  // Called on the watch's own thread with the names that changed since the last call.
  using Changed = std::function<void(const std::set<std::string>& file_names)>;

  static Expected<std::unique_ptr<FolderWatch>> start(const std::filesystem::path& folder,
                                                      std::chrono::milliseconds settle, Changed changed);
  virtual ~FolderWatch() = default;  // stops the thread, after the call it is in
};

}  // namespace faasmjs::gateway::registry
