// The state store's loading as a restarted gateway does it: this input is a --data folder's files
// (store_files.hpp), written to a fresh folder and opened with GlobalStore::open, which parses every value
// file header, patch record and log record, applies the patches and cuts torn tails. Checked beyond "no
// crash": a store that opens reports consistent sizes, and opening it again (after whatever the first open
// cut off) finds exactly the same values and logs: loading is idempotent.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "state/global_store.h"
#include "store_files.hpp"

namespace fs = std::filesystem;
namespace state = faasmjs::gateway::state;

// A record may legitimately declare a value of up to 4 GiB in a few bytes (a full push of that size without
// ranges makes one, and loading replays it), so a big allocation is not a bug here; the fuzzer looks for
// memory errors and wrong loads. Allocations over 64 MiB throw std::bad_alloc instead (caught below), so
// that such inputs cost nothing: ASan's own operator new reports any failure as a crash rather than
// throwing, so these take its place (the memory still comes from ASan's malloc, and is checked).
constexpr std::size_t kBiggestAllocation = 64u << 20;

void* operator new(std::size_t size) {
  void* memory = size <= kBiggestAllocation ? std::malloc(size) : nullptr;
  if (memory == nullptr) throw std::bad_alloc();
  return memory;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return size <= kBiggestAllocation ? std::malloc(size) : nullptr;
}
void* operator new[](std::size_t size, const std::nothrow_t& nothrow) noexcept { return operator new(size, nothrow); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

fs::path scratch_folder() {
  // tmpfs where there is one: every execution writes and fsyncs a store folder.
  const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  return base / ("faasmjs-fuzz-state-" + std::to_string(::getpid()));
}

using Snapshot = std::map<std::string, std::pair<std::vector<std::uint8_t>, std::vector<std::vector<std::uint8_t>>>>;

Snapshot snapshot(const state::GlobalStore& store, const std::set<std::string>& keys) {
  Snapshot found;
  const auto listed = store.keys("");
  require(listed.has_value());
  for (const auto& key : *listed) {
    require(keys.contains(key));
    const auto value = store.pull(key, 0, state::kToEnd);
    const auto size = store.size(key);
    require(value && *value && size && (*value)->bytes.size() == *size && (*value)->size == *size);
    found[key].first = (*value)->bytes;
  }
  for (const auto& key : keys) {
    auto log = store.read_appended(key, 0xFFFFFFFFu);
    require(log.has_value());
    if (!log->empty()) found[key].second = std::move(*log);
  }
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path folder = scratch_folder();
  fs::remove_all(folder);
  fs::create_directories(folder / "values");
  fs::create_directories(folder / "logs");
  std::set<std::string> keys;
  for (const auto& file : faasmjs::fuzz::unpack_store_files({data, size})) {
    keys.insert(faasmjs::fuzz::key_in_header(file.bytes));
    std::ofstream(folder / faasmjs::fuzz::store_file_name(file), std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(file.bytes.data()), static_cast<std::streamsize>(file.bytes.size()));
  }
  try {
    Snapshot first;
    {
      auto store = state::GlobalStore::open(folder);
      if (!store) return 0;
      first = snapshot(**store, keys);
    }
    auto again = state::GlobalStore::open(folder);
    require(again.has_value());
    require(snapshot(**again, keys) == first);
  } catch (const std::bad_alloc&) {
  }
  return 0;
}
