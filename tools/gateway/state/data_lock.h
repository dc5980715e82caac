// One gateway per --data folder. Two gateways on one folder would each keep the state in memory and
// overwrite each other's files, silently losing acknowledged writes; so the first holds an exclusive lock
// on DATA/gateway.lock for as long as it runs, and a second refuses to start, naming the holder.
//
// The lock is flock(2) on an open descriptor: the kernel drops it when the holder exits in any way,
// kill -9 included, so a crashed gateway never leaves a lock that must be removed by hand. The file's
// contents (pid, host, start time) only name the holder in the refusal; they are never trusted for the
// decision. The descriptor is close-on-exec, so workers and compilers the gateway spawns do not keep
// the lock alive after the gateway dies.
#pragma once

#include <filesystem>

#include "common/error.h"

namespace faasmjs::gateway::state {

class DataLock {
 public:
  // Creates `data_dir` if needed and takes its lock. Fails with one line naming the folder and, when
  // another gateway holds it, that gateway's pid, host and start time.
  static Expected<DataLock> acquire(const std::filesystem::path& data_dir);

  DataLock(DataLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataLock& operator=(DataLock&&) = delete;
  DataLock(const DataLock&) = delete;
  ~DataLock();

 private:
  explicit DataLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace faasmjs::gateway::state
