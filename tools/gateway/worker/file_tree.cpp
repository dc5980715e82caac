#include "worker/file_tree.h"

#include <ctime>

#include "worker/wasi_errno.h"

namespace faasmjs::gateway::worker {

std::vector<std::string> path_names(std::string_view path) {
  std::vector<std::string> names;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view name = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (name.empty() || name == ".") continue;
    if (name == "..") {
      if (!names.empty()) names.pop_back();
      continue;
    }
    names.emplace_back(name);
  }
  return names;
}

FileTree::FileTree() : root_(make(true)) {}

std::uint64_t FileTree::now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

void FileTree::touch(FileNode& node) { node.modify_ns = node.change_ns = now_ns(); }

std::shared_ptr<FileNode> FileTree::make(bool is_directory) {
  auto node = std::make_shared<FileNode>();
  node->directory = is_directory;
  node->inode = next_inode_++;
  node->access_ns = node->modify_ns = node->change_ns = now_ns();
  return node;
}

FileTree::Lookup FileTree::find(const std::vector<std::string>& names) const {
  Lookup found;
  found.node = root_;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!found.node) return {nullptr, nullptr, names[i], wasi_errno::kNoent};
    if (!found.node->directory) return {nullptr, nullptr, names[i], wasi_errno::kNotdir};
    found.parent = found.node;
    found.name = names[i];
    const auto entry = found.parent->entries.find(names[i]);
    found.node = entry == found.parent->entries.end() ? nullptr : entry->second;
  }
  return found;
}

std::shared_ptr<FileNode> FileTree::add(const std::shared_ptr<FileNode>& directory, const std::string& name,
                                        bool is_directory) {
  auto node = make(is_directory);
  if (is_directory) node->parent = directory;
  directory->entries[name] = node;
  touch(*directory);
  return node;
}

std::shared_ptr<FileNode> FileTree::make_directories(const std::vector<std::string>& names) {
  auto at = root_;
  for (const auto& name : names) {
    auto entry = at->entries.find(name);
    if (entry == at->entries.end()) {
      at = add(at, name, true);
    } else if (entry->second->directory) {
      at = entry->second;
    } else {
      return nullptr;
    }
  }
  return at;
}

bool FileTree::put_file(const std::vector<std::string>& names, std::vector<std::uint8_t> bytes) {
  if (names.empty()) return false;
  auto at = make_directories({names.begin(), names.end() - 1});
  if (!at) return false;
  auto file = add(at, names.back(), false);
  file->data = std::move(bytes);
  return true;
}

}  // namespace faasmjs::gateway::worker
