// A worker's file system, as a Faasm host gives one to its functions (faasm src/storage/FileSystem.cpp,
// FileDescriptor.cpp, SharedFiles.cpp; WASI calls in src/wamr/filesystem.cpp), in memory.
//
// The host's part lives as long as the worker process, as a Faasm host's runtime root does: it starts as the
// embedded runtime root (runtime_root.h), and what one call writes (in /tmp, or anywhere: Faasm's root is
// writable) the next call on this worker sees. Shared files (`faasm://PATH`) are copies pulled from the
// gateway's shared-file store the first time a call opens or stats them ("global read"); they live apart from
// the root (Faasm keeps them in its shared directory, not under runtime_root), a write to one is sent back to
// the store whole after every write, as Faasm's FileDescriptor::write uploads it, and an unlink deletes the
// stored one.
//
// The descriptor table is per call (Faasm prepares it when it binds a module for a call): 0-2 stdio, 3 "/"
// and 4 "." (one directory: the root), then 5, 6, ... never reused. Faasm's own rules, observed on the
// fixture's real Faasm (tests/gateway/worker/files_test.cpp checks each):
//  - open takes one mode from its flags, the first of CREAT, DIRECTORY, TRUNC, EXCL: O_CREAT|O_TRUNC creates
//    but does not truncate, O_CREAT|O_EXCL does not fail on an existing file;
//  - a descriptor is writable when its rights hold any write right, and wasi-libc always asks for
//    PATH_CREATE_FILE, so every open is read-write: opening a directory without O_DIRECTORY is EISDIR;
//  - a failed open still uses up its descriptor number; close does nothing (the descriptor stays usable);
//  - dup (env.__wasi_fd_dup, for its wasi-libc fork's dup and fcntl F_DUPFD) takes the next number; the
//    duplicate shares the file's position, as Faasm's Linux dup of the host file does, and starts from a copy
//    of the original's directory iterator (FileDescriptor::duplicate);
//  - a descriptor that does not exist, in any call but fdstat/prestat/close, fails the call (a host
//    exception), as do the WASI calls Faasm's WAMR host leaves unimplemented (mkdir, rmdir, pread, pwrite,
//    sync, set_size, set_flags, ...);
//  - a failed rename is EPERM, a failed readlink (there are no links) answers -1 bytes with success;
//  - directory entries carry Linux's d_type (4 directory, 8 regular file), not WASI's file types;
//  - an empty shared file is a missing one; a copy once pulled is not pulled again on this worker.
// Where Faasm would loop or crash its worker, it differs on purpose: a read of a descriptor that cannot be
// read answers -1 bytes as Faasm does, but a write that cannot be done is EBADF (Faasm answers 0 bytes, on
// which libc's stdio retries forever), and ".." never leaves the root (Faasm joins paths as text).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "worker/file_tree.h"

namespace faasmjs::gateway::worker {

// What Faasm answers with a host exception: the call fails with this message.
class FileSystemFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where shared files come from and go to (shared_file_link.h: the gateway over the worker protocol). Paths
// are without the "faasm://" prefix.
class SharedFileSource {
 public:
  virtual ~SharedFileSource() = default;
  virtual std::optional<std::vector<std::uint8_t>> fetch(const std::string& path) = 0;
  virtual void store(const std::string& path, std::span<const std::uint8_t> bytes) = 0;
  virtual void remove(const std::string& path) = 0;
};

inline constexpr std::string_view kSharedPrefix = "faasm://";

struct FileStat {
  std::uint8_t filetype = 0;  // WASI filetype
  std::uint64_t device = 1, inode = 0, links = 1, size = 0;
  std::uint64_t access_ns = 0, modify_ns = 0, change_ns = 0;
};

struct Descriptor {
  enum class Kind { Stdin, Stdout, Stderr, Directory, File, Failed };
  Kind kind = Kind::Failed;
  std::string path;  // as Faasm keeps it: "/", ".", the joined path, or "faasm://..."
  std::uint64_t rights = 0, inheriting = 0;
  std::shared_ptr<FileNode> node;
  std::string shared;  // the shared path (without prefix) of a shared copy, else empty
  bool readable = false, writable = false, append = false;
  // The position, shared by a descriptor and its duplicates (one Linux open file on Faasm).
  std::shared_ptr<std::uint64_t> offset = std::make_shared<std::uint64_t>(0);
  // fd_readdir's iterator: Faasm lists a directory once, on the first read, and walks it across calls.
  bool listed = false;
  std::size_t listed_next = 0;
  struct Entry {
    std::string name;
    std::uint64_t inode;
    std::uint8_t type;  // Linux d_type
  };
  std::vector<Entry> listing;

  // Faasm's absPath: the descriptor's path joined with a relative one ("." joins as nothing).
  std::string joined(std::string_view relative) const;
};

class FileSystem {
 public:
  FileSystem();  // the runtime root

  // A new call: its descriptor table, and where its shared files come from.
  void begin_call(SharedFileSource& shared);
  // A file written into the root before the call runs (INVOKE's seeded files), with its directories; false
  // when a directory of its path is a file there.
  [[nodiscard]] bool seed(std::string_view path, std::vector<std::uint8_t> bytes);

  Descriptor* find(std::uint32_t fd);
  Descriptor& get(std::uint32_t fd);  // FileSystemFault when it does not exist

  // Faasm's FileSystem::dup: the new descriptor's number (FileSystemFault when `fd` does not exist).
  std::uint32_t dup(std::uint32_t fd);

  struct Opened {
    std::uint16_t error = 0;
    std::uint32_t fd = 0;
  };
  Opened open(std::uint32_t at, std::string_view path, std::uint32_t oflags, std::uint64_t rights,
              std::uint64_t inheriting, std::uint32_t fdflags);
  // Bytes read into the buffers in order, or -1 (Faasm's readv failing).
  std::int64_t read(Descriptor& fd, std::span<const std::span<std::uint8_t>> buffers);
  // A file's write (stdio is the caller's): an errno, and the bytes written.
  std::uint16_t write(Descriptor& fd, std::span<const std::span<const std::uint8_t>> buffers, std::uint64_t& written);
  std::uint16_t seek(Descriptor& fd, std::int64_t offset, std::uint32_t whence, std::uint64_t& position);
  std::uint16_t stat(Descriptor& fd, std::string_view relative, FileStat& out);
  // Fills `buffer` with entries from the iterator (Faasm's copyDirentsToWasiBuffer); an errno.
  std::uint16_t readdir(Descriptor& fd, std::span<std::uint8_t> buffer, std::uint64_t cookie, std::uint32_t& used);
  std::uint16_t unlink(Descriptor& fd, std::string_view relative);
  std::uint16_t rename(Descriptor& from, std::string_view old_path, Descriptor& to, std::string_view new_path);
  // A whole file of the root (write_state_from_file), or nullopt when there is none.
  std::optional<std::vector<std::uint8_t>> read_file(std::string_view path) const;

 private:
  // Faasm's syncSharedFile: SUCCESS once a local copy of the shared path exists, else ENOENT.
  std::uint16_t sync_shared(const std::string& shared);
  // Where a joined path leads: in the shared copies for faasm://, else in the root.
  FileTree::Lookup lookup(const std::string& full_path) const;

  FileTree root_;
  FileTree shared_;  // the local copies of shared files, by their path
  SharedFileSource* source_ = nullptr;
  std::map<std::uint32_t, Descriptor> descriptors_;
  std::uint32_t next_fd_ = 5;
};

}  // namespace faasmjs::gateway::worker
