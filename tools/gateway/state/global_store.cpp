// Layout under the store's directory: values/<sha256(key)> and logs/<sha256(key)>, each file starting with a
// magic and the key itself (so keys of any length and bytes map to valid names, and loading needs no index).
//
//   value file:  "FJV1" u32 key length, key, then the value's bytes
//   log file:    "FJL1" u32 key length, key, then records: u32 length, bytes
//
// A value is replaced whole: written to a temporary file, fsync'd, renamed over the old one, and the directory
// fsync'd, so a crash leaves the old or the new value, never a mix. That rewrites a large value for a small
// partial push: the price of atomicity without a journal, and cheap next to the network for the value sizes
// browsers push. An append is one write of one record at the end of the log, then fdatasync; a crash in the
// middle leaves a torn last record, which was never acknowledged and is dropped (and cut off) when loading.
#include "state/global_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "common/sha256.h"

namespace faasmjs::gateway::state {

namespace fs = std::filesystem;

namespace {

constexpr char kValueMagic[4] = {'F', 'J', 'V', '1'};
constexpr char kLogMagic[4] = {'F', 'J', 'L', '1'};

using Bytes = std::vector<std::uint8_t>;

std::string errno_text() { return std::strerror(errno); }

void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

Bytes header(const char (&magic)[4], std::string_view key) {
  Bytes out(magic, magic + 4);
  put_u32(out, static_cast<std::uint32_t>(key.size()));
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

Expected<void> write_all(int fd, const std::uint8_t* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(ErrorCode::Internal, "cannot write " + path.string() + ": " + errno_text());
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

Expected<void> sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fail(ErrorCode::Internal, "cannot open " + dir.string() + ": " + errno_text());
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return fail(ErrorCode::Internal, "cannot sync " + dir.string() + ": " + errno_text());
  return {};
}

// Replaces `path` with header + value, durably (see the top of this file).
Expected<void> replace_file(const fs::path& path, const Bytes& head, const Bytes& value) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorCode::Internal, "cannot create " + temporary.string() + ": " + errno_text());
  auto written = write_all(fd, head.data(), head.size(), temporary);
  if (written) written = write_all(fd, value.data(), value.size(), temporary);
  if (written && ::fsync(fd) != 0) written = fail(ErrorCode::Internal, "cannot sync " + temporary.string() + ": " + errno_text());
  ::close(fd);
  if (!written) return written;
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail(ErrorCode::Internal, "cannot replace " + path.string() + ": " + errno_text());
  }
  return sync_directory(path.parent_path());
}

Expected<Bytes> read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::Internal, "cannot read " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// The key a file names, after its magic; sets `body` to where the rest starts.
Expected<std::string> key_of(const Bytes& file, const char (&magic)[4], std::size_t& body, const fs::path& path) {
  if (file.size() < 8 || std::memcmp(file.data(), magic, 4) != 0) {
    return fail(ErrorCode::Internal, path.string() + " is not a faasm.js state file");
  }
  const std::uint32_t length = get_u32(file.data() + 4);
  if (file.size() - 8 < length) return fail(ErrorCode::Internal, path.string() + " is cut short in its key");
  body = 8 + length;
  return std::string(file.begin() + 8, file.begin() + 8 + length);
}

class DurableStore final : public GlobalStore {
 public:
  explicit DurableStore(fs::path dir) : dir_(std::move(dir)) {}

  Expected<void> load() {
    std::error_code error;
    for (const char* sub : {"values", "logs"}) {
      fs::create_directories(dir_ / sub, error);
      if (error) return fail(ErrorCode::Internal, "cannot create " + (dir_ / sub).string() + ": " + error.message());
    }
    for (const auto& entry : fs::directory_iterator(dir_ / "values")) {
      if (entry.path().extension() == ".tmp") {
        fs::remove(entry.path(), error);  // a replace that never finished: the old value is the real one
        continue;
      }
      auto file = read_whole(entry.path());
      if (!file) return std::unexpected(file.error());
      std::size_t body = 0;
      auto key = key_of(*file, kValueMagic, body, entry.path());
      if (!key) return std::unexpected(key.error());
      values_[*key] = std::make_shared<const Bytes>(file->begin() + static_cast<std::ptrdiff_t>(body), file->end());
    }
    for (const auto& entry : fs::directory_iterator(dir_ / "logs")) {
      auto file = read_whole(entry.path());
      if (!file) return std::unexpected(file.error());
      std::size_t at = 0;
      auto key = key_of(*file, kLogMagic, at, entry.path());
      if (!key) return std::unexpected(key.error());
      auto& log = logs_[*key];
      while (at + 4 <= file->size() && file->size() - at - 4 >= get_u32(file->data() + at)) {
        const std::uint32_t length = get_u32(file->data() + at);
        log.emplace_back(file->begin() + static_cast<std::ptrdiff_t>(at + 4),
                         file->begin() + static_cast<std::ptrdiff_t>(at + 4 + length));
        at += 4 + length;
      }
      if (at != file->size()) {
        std::fprintf(stderr, "faasmjs-gateway: dropping a torn, unacknowledged append at the end of %s\n",
                     entry.path().c_str());
        fs::resize_file(entry.path(), at, error);
        if (error) return fail(ErrorCode::Internal, "cannot cut " + entry.path().string() + ": " + error.message());
      }
    }
    return {};
  }

  std::uint32_t size(std::string_view key) const override {
    auto value = find(key);
    return value ? static_cast<std::uint32_t>(value->size()) : 0;
  }

  Expected<std::optional<StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                            std::uint32_t length) const override {
    auto value = find(key);
    if (!value) return std::optional<StoredRange>();
    if (offset > value->size()) {
      return fail(ErrorCode::BadState, "offset " + std::to_string(offset) + " is beyond the " +
                                           std::to_string(value->size()) + " bytes of state key '" + std::string(key) + "'");
    }
    const std::size_t end = length == kToEnd ? value->size() : std::min<std::size_t>(value->size(), std::size_t{offset} + length);
    return std::optional<StoredRange>(StoredRange{static_cast<std::uint32_t>(value->size()),
                                                  Bytes(value->begin() + offset, value->begin() + static_cast<std::ptrdiff_t>(end))});
  }

  Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    auto written = update(key, [&](const Bytes* old) -> Expected<Bytes> {
      Bytes value(size, 0);
      if (old) std::copy_n(old->begin(), std::min<std::size_t>(old->size(), size), value.begin());
      if (auto applied = apply(key, value, ranges); !applied) return std::unexpected(applied.error());
      return value;
    });
    if (!written) return std::unexpected(written.error());
    return {};
  }

  Expected<Bytes> push_partial(std::string_view key, std::uint32_t size, const std::vector<Range>& ranges) override {
    auto written = update(key, [&](const Bytes* old) -> Expected<Bytes> {
      Bytes value = old ? *old : Bytes();
      if (value.size() < size) value.resize(size, 0);
      if (auto applied = apply(key, value, ranges); !applied) return std::unexpected(applied.error());
      return value;
    });
    if (!written) return std::unexpected(written.error());
    return **written;
  }

  Expected<void> set(std::string_view key, Bytes value) override {
    auto written = update(key, [&](const Bytes*) -> Expected<Bytes> { return std::move(value); });
    if (!written) return std::unexpected(written.error());
    return {};
  }

  Expected<void> append(std::string_view key, Bytes element) override {
    std::lock_guard writer(writer_for(key));
    const fs::path path = dir_ / "logs" / sha256_hex(key);
    const bool exists = fs::exists(path);
    Bytes record = exists ? Bytes() : header(kLogMagic, key);
    put_u32(record, static_cast<std::uint32_t>(element.size()));
    record.insert(record.end(), element.begin(), element.end());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return fail(ErrorCode::Internal, "cannot open " + path.string() + ": " + errno_text());
    auto written = write_all(fd, record.data(), record.size(), path);
    if (written && ::fdatasync(fd) != 0) written = fail(ErrorCode::Internal, "cannot sync " + path.string() + ": " + errno_text());
    ::close(fd);
    if (written && !exists) written = sync_directory(path.parent_path());
    if (!written) return written;
    std::unique_lock lock(mutex_);
    logs_[std::string(key)].push_back(std::move(element));
    return {};
  }

  std::vector<Bytes> read_appended(std::string_view key, std::uint32_t count) const override {
    std::shared_lock lock(mutex_);
    auto found = logs_.find(key);
    if (found == logs_.end()) return {};
    const auto& log = found->second;
    return {log.begin(), log.begin() + std::min<std::size_t>(log.size(), count)};
  }

  Expected<void> clear_appended(std::string_view key) override {
    std::lock_guard writer(writer_for(key));
    const fs::path path = dir_ / "logs" / sha256_hex(key);
    std::error_code error;
    if (fs::remove(path, error)) {
      if (auto synced = sync_directory(path.parent_path()); !synced) return synced;
    } else if (error) {
      return fail(ErrorCode::Internal, "cannot remove " + path.string() + ": " + error.message());
    }
    std::unique_lock lock(mutex_);
    logs_.erase(std::string(key));
    return {};
  }

  std::vector<std::string> keys(std::string_view prefix) const override {
    std::shared_lock lock(mutex_);
    std::vector<std::string> found;
    for (const auto& [key, value] : values_) {
      if (key.starts_with(prefix)) found.push_back(key);
    }
    return found;
  }

 private:
  using Value = std::shared_ptr<const Bytes>;

  Value find(std::string_view key) const {
    std::shared_lock lock(mutex_);
    auto found = values_.find(key);
    return found == values_.end() ? nullptr : found->second;
  }

  static Expected<void> apply(std::string_view key, Bytes& value, const std::vector<Range>& ranges) {
    for (const auto& range : ranges) {
      if (std::size_t{range.offset} + range.bytes.size() > value.size()) {
        return fail(ErrorCode::BadState, "range [" + std::to_string(range.offset) + ", +" + std::to_string(range.bytes.size()) +
                                             ") is outside the " + std::to_string(value.size()) + " bytes of state key '" +
                                             std::string(key) + "'");
      }
    }
    for (const auto& range : ranges) std::copy(range.bytes.begin(), range.bytes.end(), value.begin() + range.offset);
    return {};
  }

  // Writes of one key are serialised; readers keep the old value until the new one is on disk.
  template <class Make>
  Expected<Value> update(std::string_view key, Make make) {
    std::lock_guard writer(writer_for(key));
    auto made = make(find(key).get());
    if (!made) return std::unexpected(made.error());
    auto value = std::make_shared<const Bytes>(std::move(*made));
    if (auto written = replace_file(dir_ / "values" / sha256_hex(key), header(kValueMagic, key), *value); !written) {
      return std::unexpected(written.error());
    }
    std::unique_lock lock(mutex_);
    values_[std::string(key)] = value;
    return value;
  }

  std::mutex& writer_for(std::string_view key) {
    std::lock_guard lock(writers_mutex_);
    auto& writer = writers_[std::string(key)];
    if (!writer) writer = std::make_unique<std::mutex>();
    return *writer;
  }

  fs::path dir_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, std::vector<Bytes>, std::less<>> logs_;
  std::mutex writers_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> writers_;
};

}  // namespace

Expected<std::unique_ptr<GlobalStore>> GlobalStore::open(const fs::path& dir) {
  auto store = std::make_unique<DurableStore>(dir);
  if (auto loaded = store->load(); !loaded) return std::unexpected(loaded.error());
  return store;
}

}  // namespace faasmjs::gateway::state
