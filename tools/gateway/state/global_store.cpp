// The durable global store: every value and append log in memory (reads are hot and never touch the disk),
// every write on disk before it returns.
//
// Layout under the store's directory, one set of files per key; NAME is "k" + the key in hex for keys up to
// kHexKeyLimit bytes (readable in `ls`), else "h" + the hex SHA-256 of the key (file names have a length
// limit, keys do not). Every file repeats its key, so loading needs no index and a misplaced file is caught.
//
//   values/NAME.value   "FJV1" u32 keyLength key u64 generation u64 valueLength value
//   values/NAME.patch   "FJP1" u32 keyLength key u64 generation, then records (changes since that value file)
//   logs/NAME.log       "FJL1" u32 keyLength key, then records (one per appended element)
//   record              u32 length, that many bytes; a patch record's bytes are
//                       u8 mode (0 exact size, 1 at least size), u32 size, u32 count, count × (u32 offset, u32 length,
//                       bytes)
//
// A value file is only ever replaced whole: written to NAME.value.tmp, fsync'd, renamed over the old one, the
// directory fsync'd, so a crash leaves the old or the new file, never a mix. Records are appended (O_APPEND)
// and fdatasync'd before the write is acknowledged; a crash in the middle leaves a torn last record, which
// nobody was told succeeded, so loading drops it (with a line on stderr) and cuts it off. A failed write cuts
// its partial record off at once, so later records never follow garbage. A new patch or log file is created
// the way a value file is replaced, already holding its header and first record: a file that exists always
// has a whole header.
//
// Pushes (full or partial) are changes to a value. Rewriting the value file for each would cost a 64 MiB
// write and fsync to change 8 bytes of a 64 MiB value; instead a push whose bytes are small next to the value
// goes into NAME.patch as one record, costing a write of its own size. Once the patch file would outgrow
// max(half the value, kSmallPatchLimit), or when a push sends about as many bytes as the value holds anyway,
// the value file is rewritten with the next generation (compaction) and the patch file deleted. Loading
// applies a patch file only to the value file of its generation: a patch file left behind by a crash just
// after a compaction names an older generation and is deleted, so no change is ever applied twice. This keeps
// every acknowledged write durable at the cost of replaying at most half a value's worth of patches on open.
#include "state/global_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>

#include "common/byte_io.h"
#include "sha256.h"

namespace faasmjs::gateway::state {

namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;
using Piece = std::span<const std::uint8_t>;

constexpr char kValueMagic[4] = {'F', 'J', 'V', '1'};
constexpr char kPatchMagic[4] = {'F', 'J', 'P', '1'};
constexpr char kLogMagic[4] = {'F', 'J', 'L', '1'};
constexpr std::size_t kHexKeyLimit = 100;
constexpr std::uint64_t kSmallPatchLimit = 64 * 1024;
constexpr std::uint8_t kExactSize = 0;
constexpr std::uint8_t kAtLeastSize = 1;

std::string errno_text() { return std::strerror(errno); }

// Names the file by its folder in the store and its own name ("values/k….value"): a write's error reaches
// the client, which must not learn where the server keeps its data.
Expected<void> io_error(const std::string& what, const fs::path& path) {
  return fail(ErrorCode::Internal,
              what + " " + (path.parent_path().filename() / path.filename()).string() + ": " + errno_text());
}

std::string file_stem(std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (key.size() > kHexKeyLimit) return "h" + sha256_hex(key);
  std::string stem = "k";
  for (const unsigned char c : key) {
    stem += kHex[c >> 4];
    stem += kHex[c & 15];
  }
  return stem;
}

std::string quote_key(std::string_view key) { return "'" + std::string(key) + "'"; }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Expected<void> write_all(int fd, Piece data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path);
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

Expected<void> write_pieces(int fd, std::span<const Piece> pieces, const fs::path& path) {
  for (const Piece piece : pieces) {
    if (auto written = write_all(fd, piece, path); !written) return written;
  }
  return {};
}

Expected<void> sync_directory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.ok()) return io_error("cannot open", dir);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync", dir);
  return {};
}

Expected<void> write_temporary(const fs::path& temporary, std::span<const Piece> pieces) {
  Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.ok()) return io_error("cannot create", temporary);
  if (auto written = write_pieces(fd.get(), pieces, temporary); !written) return written;
  if (::fsync(fd.get()) != 0) return io_error("cannot sync", temporary);
  return {};
}

// Makes `path` hold exactly `pieces`, atomically and durably (see the top of this file).
Expected<void> replace_file(const fs::path& path, std::span<const Piece> pieces) {
  const fs::path temporary = path.string() + ".tmp";
  auto replaced = write_temporary(temporary, pieces);
  if (replaced && ::rename(temporary.c_str(), path.c_str()) != 0) replaced = io_error("cannot replace", path);
  if (!replaced) {
    // A half-written temporary would hold its space until the next start: on a full disk, exactly the
    // space that later writes need.
    ::unlink(temporary.c_str());
    return replaced;
  }
  return sync_directory(path.parent_path());
}

// Appends one record to a file of `current` bytes (0: no file yet, made with `head` first). Returns the
// file's new size; on failure the file is as it was.
Expected<std::uint64_t> append_record(const fs::path& path, std::uint64_t current, Piece head,
                                      std::span<const Piece> record) {
  std::uint64_t record_size = 0;
  for (const Piece piece : record) record_size += piece.size();
  if (current == 0) {
    std::vector<Piece> whole{head};
    whole.insert(whole.end(), record.begin(), record.end());
    if (auto made = replace_file(path, whole); !made) return std::unexpected(made.error());
    return head.size() + record_size;
  }
  Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (!fd.ok()) return std::unexpected(io_error("cannot open", path).error());
  auto written = write_pieces(fd.get(), record, path);
  if (written && ::fdatasync(fd.get()) != 0) written = io_error("cannot sync", path);
  if (!written) {
    // Whatever part of the record reached the file goes, so that the next record starts where it should.
    if (::ftruncate(fd.get(), static_cast<off_t>(current)) == 0) ::fdatasync(fd.get());
    return std::unexpected(written.error());
  }
  return current + record_size;
}

void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

Bytes file_head(const char (&magic)[4], std::string_view key) {
  Bytes out(magic, magic + 4);
  put_u32(out, static_cast<std::uint32_t>(key.size()));
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

Expected<Bytes> read_file(const fs::path& path, std::uint64_t offset = 0,
                          std::optional<std::uint64_t> length = std::nullopt) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return std::unexpected(io_error("cannot read", path).error());
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return std::unexpected(io_error("cannot stat", path).error());
  const auto file_size = static_cast<std::uint64_t>(info.st_size);
  const std::uint64_t available = offset < file_size ? file_size - offset : 0;
  Bytes bytes(length ? std::min(*length, available) : available);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd.get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(io_error("cannot read", path).error());
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

Error corrupt(const fs::path& path, const std::string& why) {
  return Error{ErrorCode::Internal, "state file " + path.string() + " " + why};
}

// A file's header: magic, key, and that the key belongs in a file of this name.
Expected<std::string> read_key(ByteReader& in, const char (&magic)[4], const fs::path& path) {
  const auto found_magic = in.raw(4);
  if (!in.ok() || std::memcmp(found_magic.data(), magic, 4) != 0) {
    return std::unexpected(corrupt(path, "is not a faasm.js state file of its kind"));
  }
  const auto key_bytes = in.raw(in.u32());
  if (!in.ok()) return std::unexpected(corrupt(path, "is cut short in its header"));
  std::string key(key_bytes.begin(), key_bytes.end());
  if (path.stem().string() != file_stem(key)) {
    return std::unexpected(corrupt(path, "holds key " + quote_key(key) + ", which belongs in another file"));
  }
  return key;
}

// The records after a header, and where the last whole one ends (less than the file's size when torn).
std::vector<Piece> read_records(ByteReader& in, std::size_t& whole_end, std::size_t head_size) {
  std::vector<Piece> records;
  whole_end = head_size;
  while (in.remaining() > 0) {
    const auto record = in.bytes();
    if (!in.ok()) break;
    records.push_back(record);
    whole_end += 4 + record.size();
  }
  return records;
}

struct Patch {
  std::uint8_t mode = kExactSize;
  std::uint32_t size = 0;
  std::vector<std::pair<std::uint32_t, Piece>> ranges;
};

std::size_t patched_size(const Patch& patch, std::size_t old_size) {
  return patch.mode == kExactSize ? patch.size : std::max<std::size_t>(old_size, patch.size);
}

bool fits(const Patch& patch, std::size_t size) {
  return std::ranges::all_of(
      patch.ranges, [&](const auto& range) { return std::uint64_t{range.first} + range.second.size() <= size; });
}

// In place; the caller checked that the ranges fit.
void apply_patch(const Patch& patch, Bytes& value) {
  value.resize(patched_size(patch, value.size()), 0);
  for (const auto& [offset, bytes] : patch.ranges) std::ranges::copy(bytes, value.begin() + offset);
}

std::optional<Patch> decode_patch(Piece record) {
  ByteReader in(record);
  Patch patch;
  patch.mode = in.u8();
  patch.size = in.u32();
  const std::uint32_t count = in.u32();
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    const std::uint32_t offset = in.u32();
    patch.ranges.emplace_back(offset, in.bytes());
  }
  if (!in.done() || patch.mode > kAtLeastSize) return std::nullopt;
  return patch;
}

// The header of a patch record and of each of its ranges, to be written with the range bytes between them.
struct EncodedPatch {
  Bytes head;
  std::vector<Bytes> range_heads;
  std::uint64_t size = 0;  // the whole record, length prefix included

  std::vector<Piece> pieces(const std::vector<Range>& ranges) const {
    std::vector<Piece> out{head};
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      out.emplace_back(range_heads[i]);
      out.emplace_back(ranges[i].bytes);
    }
    return out;
  }
};

EncodedPatch encode_patch(std::uint8_t mode, std::uint32_t size, const std::vector<Range>& ranges) {
  EncodedPatch encoded;
  std::uint64_t payload = 1 + 4 + 4;
  for (const auto& range : ranges) {
    Bytes range_head;
    put_u32(range_head, range.offset);
    put_u32(range_head, static_cast<std::uint32_t>(range.bytes.size()));
    encoded.range_heads.push_back(std::move(range_head));
    payload += 8 + range.bytes.size();
  }
  put_u32(encoded.head, static_cast<std::uint32_t>(payload));
  encoded.head.push_back(mode);
  put_u32(encoded.head, size);
  put_u32(encoded.head, static_cast<std::uint32_t>(ranges.size()));
  encoded.size = 4 + payload;
  return encoded;
}

void log_dropped(const fs::path& path, std::size_t bytes) {
  std::fprintf(stderr, "faasmjs-gateway: dropped a torn, never acknowledged record (%zu bytes) at the end of %s\n",
               bytes, path.c_str());
}

// One key: its value and append log in memory and the bookkeeping of their files.
struct Entry {
  // Serialises the writes of this key and is held across their disk I/O; the fields below it change only
  // under it.
  std::mutex writer;
  std::uint64_t generation = 0;   // of the value file; 0 when there is none
  std::uint64_t patch_bytes = 0;  // size of the patch file; 0 when there is none
  std::uint64_t log_bytes = 0;    // size of the log file; 0 when there is none
  // False after a failed value or patch write, which leaves the files in doubt: the next push compacts,
  // making a value file of a generation never used before and deleting the patch file.
  bool journal_ok = true;

  // Readers share it; a writer takes it only to change memory after its disk write succeeded.
  mutable std::shared_mutex memory;
  std::optional<Bytes> value;
  std::vector<Bytes> log;
};

class DurableStore final : public GlobalStore {
 public:
  explicit DurableStore(fs::path dir) : dir_(std::move(dir)) {}

  Expected<void> load() {
    for (const char* sub : {"values", "logs"}) {
      std::error_code error;
      fs::create_directories(dir_ / sub, error);
      if (error) return fail(ErrorCode::Internal, "cannot create " + (dir_ / sub).string() + ": " + error.message());
    }
    if (auto synced = sync_directory(dir_); !synced) return synced;
    std::vector<fs::path> patches;
    for (const fs::path& path : listing(dir_ / "values")) {
      const auto extension = path.extension();
      if (extension == ".tmp") {
        // A replacement that never finished: the file it was to replace is the real one.
        if (::unlink(path.c_str()) != 0) return io_error("cannot remove", path);
      } else if (extension == ".value") {
        if (auto loaded = load_value(path); !loaded) return loaded;
      } else if (extension == ".patch") {
        patches.push_back(path);
      } else {
        return std::unexpected(corrupt(path, "is not a file the state store makes"));
      }
    }
    for (const fs::path& path : patches) {
      if (auto loaded = load_patches(path); !loaded) return loaded;
    }
    for (const fs::path& path : listing(dir_ / "logs")) {
      if (path.extension() == ".tmp") {
        if (::unlink(path.c_str()) != 0) return io_error("cannot remove", path);
      } else if (path.extension() == ".log") {
        if (auto loaded = load_log(path); !loaded) return loaded;
      } else {
        return std::unexpected(corrupt(path, "is not a file the state store makes"));
      }
    }
    return {};
  }

  Expected<std::uint32_t> size(std::string_view key) const override {
    auto entry = find(key);
    if (!entry) return 0;
    std::shared_lock memory(entry->memory);
    return entry->value ? static_cast<std::uint32_t>(entry->value->size()) : 0;
  }

  Expected<std::optional<StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                            std::uint32_t length) const override {
    auto entry = find(key);
    if (!entry) return std::optional<StoredRange>();
    std::shared_lock memory(entry->memory);
    if (!entry->value) return std::optional<StoredRange>();
    const Bytes& value = *entry->value;
    if (offset > value.size()) {
      return fail(ErrorCode::BadState, "offset " + std::to_string(offset) + " is beyond the " +
                                           std::to_string(value.size()) + " bytes of state key " + quote_key(key));
    }
    const std::size_t end =
        length == kToEnd ? value.size() : std::min<std::size_t>(value.size(), std::size_t{offset} + length);
    return std::optional<StoredRange>(
        StoredRange{static_cast<std::uint32_t>(value.size()),
                    Bytes(value.begin() + offset, value.begin() + static_cast<std::ptrdiff_t>(end))});
  }

  Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    auto entry = entry_for(key);
    std::lock_guard writer(entry->writer);
    return change(key, *entry, kExactSize, size, ranges);
  }

  Expected<Bytes> push_partial(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    auto entry = entry_for(key);
    std::lock_guard writer(entry->writer);
    if (auto changed = change(key, *entry, kAtLeastSize, size, ranges); !changed)
      return std::unexpected(changed.error());
    // Only writers change the value, and this one holds the writer lock.
    return *entry->value;
  }

  Expected<void> set(std::string_view key, Bytes value) override {
    auto entry = entry_for(key);
    std::lock_guard writer(entry->writer);
    return rewrite(key, *entry, std::move(value));
  }

  Expected<void> append(std::string_view key, Bytes element) override {
    auto entry = entry_for(key);
    std::lock_guard writer(entry->writer);
    Bytes length;
    put_u32(length, static_cast<std::uint32_t>(element.size()));
    const Piece record[] = {length, element};
    auto grown = append_record(log_path(key), entry->log_bytes, file_head(kLogMagic, key), record);
    if (!grown) return std::unexpected(grown.error());
    entry->log_bytes = *grown;
    std::unique_lock memory(entry->memory);
    entry->log.push_back(std::move(element));
    return {};
  }

  Expected<std::vector<Bytes>> read_appended(std::string_view key, std::uint32_t count) const override {
    auto entry = find(key);
    if (!entry) return std::vector<Bytes>{};
    std::shared_lock memory(entry->memory);
    const auto& log = entry->log;
    return std::vector<Bytes>(log.begin(),
                              log.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(log.size(), count)));
  }

  Expected<void> clear_appended(std::string_view key) override {
    auto entry = find(key);
    if (!entry) return {};
    std::lock_guard writer(entry->writer);
    if (entry->log_bytes == 0) return {};
    const fs::path path = log_path(key);
    if (::unlink(path.c_str()) != 0) return io_error("cannot remove", path);
    entry->log_bytes = 0;
    {
      std::unique_lock memory(entry->memory);
      entry->log.clear();
    }
    return sync_directory(path.parent_path());
  }

  Expected<std::vector<std::string>> keys(std::string_view prefix) const override {
    std::shared_lock lock(entries_mutex_);
    std::vector<std::string> found;
    for (auto it = entries_.lower_bound(prefix); it != entries_.end() && it->first.starts_with(prefix); ++it) {
      std::shared_lock memory(it->second->memory);
      if (it->second->value) found.push_back(it->first);
    }
    return found;
  }

  bool can_list_keys() const override { return true; }

 private:
  using Shared = std::shared_ptr<Entry>;

  fs::path value_path(std::string_view key) const { return dir_ / "values" / (file_stem(key) + ".value"); }
  fs::path patch_path(std::string_view key) const { return dir_ / "values" / (file_stem(key) + ".patch"); }
  fs::path log_path(std::string_view key) const { return dir_ / "logs" / (file_stem(key) + ".log"); }

  static std::vector<fs::path> listing(const fs::path& dir) {
    std::vector<fs::path> paths;
    for (const auto& item : fs::directory_iterator(dir)) paths.push_back(item.path());
    std::ranges::sort(paths);
    return paths;
  }

  Shared find(std::string_view key) const {
    std::shared_lock lock(entries_mutex_);
    auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : found->second;
  }

  Shared entry_for(std::string_view key) {
    if (auto entry = find(key)) return entry;
    std::unique_lock lock(entries_mutex_);
    auto& entry = entries_[std::string(key)];
    if (!entry) entry = std::make_shared<Entry>();
    return entry;
  }

  // A push: checked whole before anything is written, then journalled or compacted (top of this file).
  Expected<void> change(std::string_view key, Entry& entry, std::uint8_t mode, std::uint32_t size,
                        const std::vector<Range>& ranges) {
    Patch patch{mode, size, {}};
    for (const auto& range : ranges) patch.ranges.emplace_back(range.offset, range.bytes);
    const std::size_t old_size = entry.value ? entry.value->size() : 0;
    const std::size_t new_size = patched_size(patch, old_size);
    for (const auto& range : ranges) {
      if (std::uint64_t{range.offset} + range.bytes.size() > new_size) {
        return fail(ErrorCode::BadState, "range [" + std::to_string(range.offset) + ", +" +
                                             std::to_string(range.bytes.size()) + ") is outside the " +
                                             std::to_string(new_size) + " bytes of state key " + quote_key(key));
      }
    }
    const EncodedPatch encoded = encode_patch(mode, size, ranges);
    const std::uint64_t patch_limit = std::max<std::uint64_t>(new_size / 2, kSmallPatchLimit);
    if (entry.journal_ok && entry.generation > 0 && entry.patch_bytes + encoded.size <= patch_limit) {
      Bytes head = file_head(kPatchMagic, key);
      put_u64(head, entry.generation);
      auto grown = append_record(patch_path(key), entry.patch_bytes, head, encoded.pieces(ranges));
      if (!grown) {
        entry.journal_ok = false;
        return std::unexpected(grown.error());
      }
      entry.patch_bytes = *grown;
      std::unique_lock memory(entry.memory);
      apply_patch(patch, *entry.value);
      return {};
    }
    Bytes next;
    const bool replaces_all =
        mode == kExactSize && ranges.size() == 1 && ranges[0].offset == 0 && ranges[0].bytes.size() == size;
    if (replaces_all) {
      next = ranges[0].bytes;
    } else {
      if (entry.value)
        next.assign(entry.value->begin(),
                    entry.value->begin() + static_cast<std::ptrdiff_t>(std::min(old_size, new_size)));
      apply_patch(patch, next);
    }
    return rewrite(key, entry, std::move(next));
  }

  // A new value file of the next generation; the patch file, now stale, goes.
  Expected<void> rewrite(std::string_view key, Entry& entry, Bytes value) {
    Bytes head = file_head(kValueMagic, key);
    put_u64(head, ++entry.generation);
    put_u64(head, value.size());
    const Piece pieces[] = {head, value};
    if (auto written = replace_file(value_path(key), pieces); !written) {
      entry.journal_ok = false;
      return written;
    }
    entry.journal_ok = true;
    if (entry.patch_bytes > 0) {
      // Failing to remove it costs nothing but disk space: a stale generation is never applied, and the next
      // patch replaces the file.
      ::unlink(patch_path(key).c_str());
      entry.patch_bytes = 0;
    }
    std::unique_lock memory(entry.memory);
    entry.value = std::move(value);
    return {};
  }

  Expected<void> load_value(const fs::path& path) {
    auto head = read_file(path, 0, 8);
    if (!head) return std::unexpected(head.error());
    ByteReader key_length(*head);
    key_length.raw(4);
    const std::uint64_t head_size = 4 + 4 + std::uint64_t{key_length.u32()} + 8 + 8;
    if (!key_length.ok()) return std::unexpected(corrupt(path, "is cut short in its header"));
    auto whole_head = read_file(path, 0, head_size);
    if (!whole_head) return std::unexpected(whole_head.error());
    ByteReader in(*whole_head);
    auto key = read_key(in, kValueMagic, path);
    if (!key) return std::unexpected(key.error());
    const std::uint64_t generation = in.u64();
    const std::uint64_t value_size = in.u64();
    if (!in.done()) return std::unexpected(corrupt(path, "is cut short in its header"));
    if (generation == 0 || value_size > kToEnd) return std::unexpected(corrupt(path, "has an impossible header"));
    // The value is read straight into place: values of hundreds of MiB are not copied again.
    auto value = read_file(path, head_size, value_size + 1);
    if (!value) return std::unexpected(value.error());
    if (value->size() != value_size) {
      return std::unexpected(corrupt(path, "holds " + std::to_string(value->size()) +
                                               " bytes of value where its header says " + std::to_string(value_size)));
    }
    auto entry = entry_for(*key);
    entry->generation = generation;
    entry->value = std::move(*value);
    return {};
  }

  Expected<void> load_patches(const fs::path& path) {
    auto file = read_file(path);
    if (!file) return std::unexpected(file.error());
    ByteReader in(*file);
    auto key = read_key(in, kPatchMagic, path);
    if (!key) return std::unexpected(key.error());
    const std::uint64_t generation = in.u64();
    if (!in.ok()) return std::unexpected(corrupt(path, "is cut short in its header"));
    auto entry = find(*key);
    if (!entry || generation > entry->generation) {
      return std::unexpected(corrupt(path, "changes a value file that does not exist"));
    }
    if (generation < entry->generation) {
      // Left behind by a crash right after a compaction, which already holds its changes.
      if (::unlink(path.c_str()) != 0) return io_error("cannot remove", path);
      return {};
    }
    std::size_t whole_end = 0;
    const std::size_t head_size = file->size() - in.remaining();
    for (const Piece record : read_records(in, whole_end, head_size)) {
      auto patch = decode_patch(record);
      if (!patch || !fits(*patch, patched_size(*patch, entry->value->size()))) {
        return std::unexpected(corrupt(path, "holds a record that is not a change of its value"));
      }
      apply_patch(*patch, *entry->value);
    }
    if (auto cut = cut_torn_tail(path, file->size(), whole_end); !cut) return cut;
    entry->patch_bytes = whole_end;
    return {};
  }

  Expected<void> load_log(const fs::path& path) {
    auto file = read_file(path);
    if (!file) return std::unexpected(file.error());
    ByteReader in(*file);
    auto key = read_key(in, kLogMagic, path);
    if (!key) return std::unexpected(key.error());
    std::size_t whole_end = 0;
    const std::size_t head_size = file->size() - in.remaining();
    auto entry = entry_for(*key);
    for (const Piece record : read_records(in, whole_end, head_size))
      entry->log.emplace_back(record.begin(), record.end());
    if (auto cut = cut_torn_tail(path, file->size(), whole_end); !cut) return cut;
    entry->log_bytes = whole_end;
    return {};
  }

  static Expected<void> cut_torn_tail(const fs::path& path, std::size_t file_size, std::size_t whole_end) {
    if (whole_end == file_size) return {};
    log_dropped(path, file_size - whole_end);
    if (::truncate(path.c_str(), static_cast<off_t>(whole_end)) != 0) return io_error("cannot cut", path);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.ok() || ::fdatasync(fd.get()) != 0) return io_error("cannot sync", path);
    return {};
  }

  fs::path dir_;
  mutable std::shared_mutex entries_mutex_;
  std::map<std::string, Shared, std::less<>> entries_;
};

}  // namespace

Expected<std::unique_ptr<GlobalStore>> GlobalStore::open(const fs::path& dir) {
  auto store = std::make_unique<DurableStore>(dir);
  if (auto loaded = store->load(); !loaded) return std::unexpected(loaded.error());
  return store;
}

}  // namespace faasmjs::gateway::state
