// One gateway per --data folder. Two gateways on one folder would each keep the state in memory and
// overwrite each other's files, silently losing acknowledged writes; so the first holds an exclusive lock
// on DATA/gateway.lock for as long as it runs, and a second refuses to start, naming the holder.
//
// The lock is a POSIX record lock (fcntl F_SETLK) on the whole file: the kernel drops it when the holder
// exits in any way, kill -9 included, so a crashed gateway never leaves a lock that must be removed by hand.
// It belongs to the gateway's process, not to the descriptor: a child forked to start a compiler or a
// worker holds a copy of the descriptor until it execs, and with flock(2) that copy kept the lock after the
// gateway was killed, so that a gateway restarted at once was refused. The price of a POSIX lock is that
// closing any descriptor of the file drops it: nothing else in the gateway opens gateway.lock. The file's
// contents (pid, host, start time) only name the holder in the refusal; they are never trusted for the
// decision.
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
