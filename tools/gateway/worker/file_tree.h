// The in-memory tree behind a worker's file system (file_system.h): directories and files, each with an inode
// number and times, and the path rule that keeps every lookup inside the tree. A path is split into its
// names with "." dropped and ".." taking off the last name but never going above the root (a chroot's rule),
// and the tree has no symbolic links, so nothing a function names can lie outside it. Not thread-safe: a
// worker runs one call at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace faasmjs::gateway::worker {

struct FileNode {
  bool directory = false;
  std::uint64_t inode = 0;
  std::uint64_t access_ns = 0, modify_ns = 0, change_ns = 0;
  std::vector<std::uint8_t> data;                            // a file's bytes
  std::map<std::string, std::shared_ptr<FileNode>> entries;  // a directory's, by name
  std::weak_ptr<FileNode> parent;                            // a directory's ("..")
};

// The names of `path` under the root, as above: "/tmp/../etc//hosts" and "etc/./hosts" are {"etc", "hosts"}.
std::vector<std::string> path_names(std::string_view path);

class FileTree {
 public:
  FileTree();

  const std::shared_ptr<FileNode>& root() const { return root_; }

  // Where a path leads: the node (null when missing), and the directory that holds or would hold it. `error`
  // is a WASI errno when a parent is missing (ENOENT) or is a file (ENOTDIR); then both may be null.
  struct Lookup {
    std::shared_ptr<FileNode> node;
    std::shared_ptr<FileNode> parent;
    std::string name;  // the last name ("" for the root)
    std::uint16_t error = 0;
  };
  Lookup find(const std::vector<std::string>& names) const;

  std::shared_ptr<FileNode> add(const std::shared_ptr<FileNode>& directory, const std::string& name, bool is_directory);
  // The directory at `names`, made with its missing parents; null when a name on the way is a file (it is
  // never replaced).
  std::shared_ptr<FileNode> make_directories(const std::vector<std::string>& names);
  // Makes (or replaces) the file at `names` with `bytes`, and its missing directories (seeding: the runtime
  // root, a call's files, a fetched shared file); false when a directory on the way is a file.
  [[nodiscard]] bool put_file(const std::vector<std::string>& names, std::vector<std::uint8_t> bytes);

  static std::uint64_t now_ns();
  static void touch(FileNode& node);  // modified now

 private:
  std::shared_ptr<FileNode> make(bool is_directory);
  std::shared_ptr<FileNode> root_;
  std::uint64_t next_inode_ = 1;
};

}  // namespace faasmjs::gateway::worker
