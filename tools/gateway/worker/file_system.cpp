#include "worker/file_system.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "faasmjs/detail/fault_messages.hpp"
#include "worker/runtime_root.h"
#include "worker/wasi_errno.h"

namespace faasmjs::gateway::worker {

namespace {

using namespace wasi_errno;

// Rights bits of typenames.witx, and the sets Faasm's FileDescriptor.h and WAVM's WASIPrivate.h define.
constexpr std::uint64_t bit(int n) { return 1ull << n; }
constexpr std::uint64_t kFdDatasync = bit(0), kFdRead = bit(1), kFdSeek = bit(2), kFdFdstatSetFlags = bit(3),
                        kFdSync = bit(4), kFdTell = bit(5), kFdWrite = bit(6), kFdAdvise = bit(7), kFdAllocate = bit(8),
                        kPathCreateDirectory = bit(9), kPathCreateFile = bit(10), kPathLinkSource = bit(11),
                        kPathLinkTarget = bit(12), kPathOpen = bit(13), kFdReaddir = bit(14), kPathReadlink = bit(15),
                        kPathRenameSource = bit(16), kPathRenameTarget = bit(17), kPathFilestatGet = bit(18),
                        kPathFilestatSetSize = bit(19), kPathFilestatSetTimes = bit(20), kFdFilestatGet = bit(21),
                        kFdFilestatSetSize = bit(22), kFdFilestatSetTimes = bit(23), kPathSymlink = bit(24),
                        kPathRemoveDirectory = bit(25), kPathUnlinkFile = bit(26), kPollFdReadwrite = bit(27);
constexpr std::uint64_t kRightsWrite = kFdDatasync | kFdWrite | kFdAllocate | kFdFilestatSetSize | kPathCreateFile;
constexpr std::uint64_t kRightsRead = kFdReaddir | kFdRead | kFdSeek | kFdTell | kPathOpen;
constexpr std::uint64_t kDirectoryRights =
    kFdFdstatSetFlags | kFdSync | kFdAdvise | kPathCreateDirectory | kPathCreateFile | kPathLinkSource |
    kPathLinkTarget | kPathOpen | kFdReaddir | kPathReadlink | kPathRenameSource | kPathRenameTarget |
    kPathFilestatGet | kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatGet | kFdFilestatSetTimes |
    kPathSymlink | kPathUnlinkFile | kPathRemoveDirectory | kPollFdReadwrite;
constexpr std::uint64_t kRegularFileRights = kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell |
                                             kFdWrite | kFdAdvise | kFdAllocate | kFdFilestatGet | kFdFilestatSetSize |
                                             kFdFilestatSetTimes | kPollFdReadwrite;
constexpr std::uint64_t kInheritingDirectoryRights = kDirectoryRights | kRegularFileRights;
constexpr std::uint64_t kStdioRights = kFdRead | kFdFdstatSetFlags | kFdWrite | kFdFilestatGet | kPollFdReadwrite;

constexpr std::uint32_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
constexpr std::uint32_t kFdflagAppend = 1, kFdflagsKnown = 0x1f;
constexpr std::uint8_t kTypeCharacterDevice = 2, kTypeDirectory = 3, kTypeRegularFile = 4;
constexpr std::uint8_t kLinuxDtDir = 4, kLinuxDtReg = 8;

bool is_shared(std::string_view path) { return path.substr(0, kSharedPrefix.size()) == kSharedPrefix; }

std::string strip_shared(std::string_view path) { return std::string(path.substr(kSharedPrefix.size())); }

Descriptor stdio(Descriptor::Kind kind, const char* path) {
  Descriptor d;
  d.kind = kind;
  d.path = path;
  d.rights = d.inheriting = kStdioRights;
  return d;
}

Descriptor preopen(const char* path, const std::shared_ptr<FileNode>& root) {
  Descriptor d;
  d.kind = Descriptor::Kind::Directory;
  d.path = path;
  d.rights = kDirectoryRights;
  d.inheriting = kInheritingDirectoryRights;
  d.node = root;
  d.readable = true;
  return d;
}

}  // namespace

std::string Descriptor::joined(std::string_view relative) const {
  if (relative.empty()) return path;
  const std::string base = path == "." ? "" : path;
  if (base.empty()) return std::string(relative);
  // boost::filesystem's append, as Faasm joins: one separator between the parts.
  if (base.back() == '/' || relative.front() == '/') return base + std::string(relative);
  return base + "/" + std::string(relative);
}

FileSystem::FileSystem() {
  for (const auto& entry : runtime_root_entries()) {
    const auto names = path_names(entry.path);
    // The embedded tree is sdk/runtime-root/ as the build found it: a file where it wants a directory is
    // a broken build, not something a call could cause.
    const bool made = entry.directory ? root_.make_directories(names) != nullptr
                                      : root_.put_file(names, {entry.contents.begin(), entry.contents.end()});
    if (!made)
      throw std::logic_error("the embedded runtime root has a file where " + std::string(entry.path) +
                             " needs a directory");
  }
}

void FileSystem::begin_call(SharedFileSource& shared) {
  source_ = &shared;
  descriptors_.clear();
  descriptors_.emplace(0, stdio(Descriptor::Kind::Stdin, "/dev/stdin"));
  descriptors_.emplace(1, stdio(Descriptor::Kind::Stdout, "/dev/stdout"));
  descriptors_.emplace(2, stdio(Descriptor::Kind::Stderr, "/dev/stderr"));
  descriptors_.emplace(3, preopen("/", root_.root()));
  descriptors_.emplace(4, preopen(".", root_.root()));
  next_fd_ = 5;
}

bool FileSystem::seed(std::string_view path, std::vector<std::uint8_t> bytes) {
  return root_.put_file(path_names(path), std::move(bytes));
}

Descriptor* FileSystem::find(std::uint32_t fd) {
  auto it = descriptors_.find(fd);
  return it == descriptors_.end() ? nullptr : &it->second;
}

Descriptor& FileSystem::get(std::uint32_t fd) {
  Descriptor* found = find(fd);
  if (found == nullptr) {
    throw FileSystemFault(faasmjs::detail::fault_message("noDescriptor", {{"fd", std::to_string(fd)}}));
  }
  return *found;
}

std::uint32_t FileSystem::dup(std::uint32_t fd) {
  Descriptor duplicate = get(fd);
  const std::uint32_t number = next_fd_++;
  descriptors_.emplace(number, std::move(duplicate));
  return number;
}

std::uint16_t FileSystem::sync_shared(const std::string& shared) {
  if (shared_.find(path_names(shared)).node) return kSuccess;
  auto fetched = source_->fetch(shared);
  if (!fetched || fetched->empty()) return kNoent;
  return shared_.put_file(path_names(shared), std::move(*fetched)) ? kSuccess : kNotdir;
}

FileTree::Lookup FileSystem::lookup(const std::string& full_path) const {
  if (is_shared(full_path)) return shared_.find(path_names(strip_shared(full_path)));
  return root_.find(path_names(full_path));
}

FileSystem::Opened FileSystem::open(std::uint32_t at, std::string_view path, std::uint32_t oflags, std::uint64_t rights,
                                    std::uint64_t inheriting, std::uint32_t fdflags) {
  Descriptor& base = get(at);
  std::string full;
  if (is_shared(path) || base.path == ".") {
    full = std::string(path);
  } else {
    full = base.joined(path);
  }
  const std::uint32_t fd = next_fd_++;
  Descriptor& opened = descriptors_[fd];
  opened.path = full;
  opened.rights = rights & base.inheriting;
  opened.inheriting = inheriting & base.inheriting;

  enum class Mode { Create, Directory, Trunc, Excl, None } mode;
  if (oflags & kOflagCreat) {
    mode = Mode::Create;
  } else if (oflags & kOflagDirectory) {
    mode = Mode::Directory;
  } else if (oflags & kOflagTrunc) {
    mode = Mode::Trunc;
  } else if (oflags & kOflagExcl) {
    mode = Mode::Excl;
  } else if (oflags == 0) {
    mode = Mode::None;
  } else {
    throw FileSystemFault("unable to detect open mode from flags " + std::to_string(oflags));
  }
  if (fdflags != 0 && (fdflags & kFdflagsKnown) == 0) throw FileSystemFault("unhandled fd flags");
  const bool reads = (opened.rights & kRightsRead) != 0;
  const bool writes = mode != Mode::Directory && (opened.rights & kRightsWrite) != 0;

  auto refused = [&](std::uint16_t error) { return Opened{error, 0}; };
  std::string shared;
  if (is_shared(full)) {
    shared = strip_shared(full);
    if (const std::uint16_t pulled = sync_shared(shared); pulled != kSuccess) {
      if (!writes) return refused(pulled);
      // A file made by a write may be the first of its directory on this host: Faasm's host creates the
      // directories of the local copy too (faasm://new/x.txt opens for writing on the fixture).
      auto names = path_names(shared);
      if (mode == Mode::Create && !names.empty()) {
        names.pop_back();
        shared_.make_directories(names);
      }
    }
  }
  FileTree& tree = shared.empty() ? root_ : shared_;
  FileTree::Lookup found = lookup(full);
  if (found.error != kSuccess) return refused(found.error);
  if (!found.node) {
    if (mode != Mode::Create || !found.parent) return refused(kNoent);
    found.node = tree.add(found.parent, found.name, false);
  }
  if (found.node->directory) {
    if (writes) return refused(kIsdir);
    opened.kind = Descriptor::Kind::Directory;
  } else {
    if (mode == Mode::Directory) return refused(kNotdir);
    opened.kind = Descriptor::Kind::File;
    if (mode == Mode::Trunc && writes) {
      found.node->data.clear();
      FileTree::touch(*found.node);
    }
  }
  opened.node = found.node;
  opened.shared = shared;
  opened.readable = reads || !writes;
  opened.writable = writes;
  opened.append = (fdflags & kFdflagAppend) != 0;
  return {kSuccess, fd};
}

std::int64_t FileSystem::read(Descriptor& fd, std::span<const std::span<std::uint8_t>> buffers) {
  if (fd.kind == Descriptor::Kind::Stdin) return 0;
  if (fd.kind != Descriptor::Kind::File || !fd.readable) return -1;
  const auto& data = fd.node->data;
  std::int64_t total = 0;
  for (const auto& buffer : buffers) {
    std::uint64_t& offset = *fd.offset;
    if (offset >= data.size()) break;
    const std::size_t n = std::min<std::size_t>(buffer.size(), data.size() - offset);
    std::memcpy(buffer.data(), data.data() + offset, n);
    offset += n;
    total += static_cast<std::int64_t>(n);
  }
  fd.node->access_ns = FileTree::now_ns();
  return total;
}

std::uint16_t FileSystem::write(Descriptor& fd, std::span<const std::span<const std::uint8_t>> buffers,
                                std::uint64_t& written) {
  written = 0;
  if (fd.kind != Descriptor::Kind::File || !fd.writable) return kBadf;
  auto& data = fd.node->data;
  std::uint64_t& offset = *fd.offset;
  if (fd.append) offset = data.size();
  for (const auto& buffer : buffers) {
    if (offset + buffer.size() > data.size()) data.resize(offset + buffer.size());
    std::copy(buffer.begin(), buffer.end(), data.begin() + static_cast<std::ptrdiff_t>(offset));
    offset += buffer.size();
    written += buffer.size();
  }
  FileTree::touch(*fd.node);
  if (!fd.shared.empty()) source_->store(fd.shared, data);
  return kSuccess;
}

std::uint16_t FileSystem::seek(Descriptor& fd, std::int64_t offset, std::uint32_t whence, std::uint64_t& position) {
  if (whence > 2) throw FileSystemFault("unsupported whence " + std::to_string(whence));
  switch (fd.kind) {
    case Descriptor::Kind::Stdin:
    case Descriptor::Kind::Stdout:
    case Descriptor::Kind::Stderr:
      return kSpipe;
    case Descriptor::Kind::Failed:
      return kBadf;
    case Descriptor::Kind::Directory:
      position = 0;
      return kSuccess;
    case Descriptor::Kind::File:
      break;
  }
  const std::int64_t from = whence == 0   ? 0
                            : whence == 1 ? static_cast<std::int64_t>(*fd.offset)
                                          : static_cast<std::int64_t>(fd.node->data.size());
  if (from + offset < 0) return kInval;
  *fd.offset = static_cast<std::uint64_t>(from + offset);
  position = *fd.offset;
  return kSuccess;
}

std::uint16_t FileSystem::stat(Descriptor& fd, std::string_view relative, FileStat& out) {
  out = {};
  if (fd.kind == Descriptor::Kind::Stdin || fd.kind == Descriptor::Kind::Stdout ||
      fd.kind == Descriptor::Kind::Stderr) {
    out.filetype = kTypeCharacterDevice;
    return kSuccess;
  }
  std::shared_ptr<FileNode> node;
  if (relative.empty() && fd.node) {
    node = fd.node;
  } else {
    const std::string full = fd.joined(relative);
    if (is_shared(full)) {
      if (const std::uint16_t pulled = sync_shared(strip_shared(full)); pulled != kSuccess) return pulled;
    }
    const auto found = lookup(full);
    if (found.error != kSuccess) return found.error;
    if (!found.node) return kNoent;
    node = found.node;
  }
  out.filetype = node->directory ? kTypeDirectory : kTypeRegularFile;
  out.inode = node->inode;
  out.size = node->directory ? 4096 : node->data.size();
  if (node->directory) {
    out.links = 2;
    for (const auto& [name, entry] : node->entries) out.links += entry->directory ? 1 : 0;
  }
  out.access_ns = node->access_ns;
  out.modify_ns = node->modify_ns;
  out.change_ns = node->change_ns;
  return kSuccess;
}

std::uint16_t FileSystem::readdir(Descriptor& fd, std::span<std::uint8_t> buffer, std::uint64_t cookie,
                                  std::uint32_t& used) {
  const bool start = cookie == 0;
  if (fd.listed && start) return kInval;
  if (!fd.listed && !start) throw FileSystemFault("no directory iterator exists, and this is not the start cookie");
  if (!fd.listed) {
    if (fd.kind != Descriptor::Kind::Directory) throw FileSystemFault("failed to open dir " + fd.path);
    const auto parent = fd.node->parent.lock();
    fd.listing.push_back({".", fd.node->inode, kLinuxDtDir});
    fd.listing.push_back({"..", parent ? parent->inode : fd.node->inode, kLinuxDtDir});
    for (const auto& [name, node] : fd.node->entries) {
      fd.listing.push_back({name, node->inode, node->directory ? kLinuxDtDir : kLinuxDtReg});
    }
    fd.listed = true;
  }
  // WASI's dirent: u64 next, u64 inode, u32 name length, u8 type, 3 bytes padding; then the name.
  constexpr std::size_t kDirent = 24;
  std::size_t at = 0;
  while (fd.listed_next < fd.listing.size()) {
    const auto& entry = fd.listing[fd.listed_next];
    if (buffer.size() - at < kDirent) {
      used = static_cast<std::uint32_t>(buffer.size());
      return kSuccess;
    }
    std::uint8_t dirent[kDirent] = {};
    const std::uint64_t next = fd.listed_next + 1;
    const auto length = static_cast<std::uint32_t>(entry.name.size());
    std::memcpy(dirent, &next, 8);
    std::memcpy(dirent + 8, &entry.inode, 8);
    std::memcpy(dirent + 16, &length, 4);
    dirent[20] = entry.type;
    std::memcpy(buffer.data() + at, dirent, kDirent);
    at += kDirent;
    if (buffer.size() - at < entry.name.size()) {
      // As Faasm: a full buffer, and the entry again next time.
      used = static_cast<std::uint32_t>(buffer.size());
      return kSuccess;
    }
    std::memcpy(buffer.data() + at, entry.name.data(), entry.name.size());
    at += entry.name.size();
    ++fd.listed_next;
  }
  used = static_cast<std::uint32_t>(at);
  return kSuccess;
}

std::uint16_t FileSystem::unlink(Descriptor& fd, std::string_view relative) {
  if (is_shared(relative)) {
    const std::string shared = strip_shared(relative);
    source_->remove(shared);
    const auto found = shared_.find(path_names(shared));
    if (found.node && found.parent) found.parent->entries.erase(found.name);
    return kSuccess;
  }
  const auto found = root_.find(path_names(fd.joined(relative)));
  if (found.error != kSuccess) return found.error;
  if (!found.node) return kNoent;
  if (found.node->directory) return kIsdir;
  found.parent->entries.erase(found.name);
  FileTree::touch(*found.parent);
  return kSuccess;
}

std::uint16_t FileSystem::rename(Descriptor& from, std::string_view old_path, Descriptor& to,
                                 std::string_view new_path) {
  // Faasm reports every failed rename as EPERM (it maps rename's -1, not errno).
  const auto source = root_.find(path_names(from.joined(old_path)));
  const auto target = root_.find(path_names(to.joined(new_path)));
  if (!source.node || !source.parent || target.error != kSuccess || !target.parent) return kPerm;
  if (source.node == target.node) return kSuccess;
  if (target.node) {
    if (target.node->directory != source.node->directory) return kPerm;
    if (target.node->directory && !target.node->entries.empty()) return kPerm;
  }
  if (source.node->directory) {
    // Not into itself: no ancestor of the target may be the source.
    for (auto at = target.parent; at; at = at->parent.lock()) {
      if (at == source.node) return kPerm;
    }
    source.node->parent = target.parent;
  }
  auto moved = source.node;
  source.parent->entries.erase(source.name);
  target.parent->entries[target.name] = moved;
  FileTree::touch(*source.parent);
  FileTree::touch(*target.parent);
  return kSuccess;
}

std::optional<std::vector<std::uint8_t>> FileSystem::read_file(std::string_view path) const {
  const auto found = root_.find(path_names(path));
  if (!found.node || found.node->directory) return std::nullopt;
  return found.node->data;
}

}  // namespace faasmjs::gateway::worker
