// What the state suites share: a fresh directory per test, removed afterwards, and byte helpers.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "state/global_store.h"

namespace faasmjs::gateway::testing {

using Bytes = std::vector<std::uint8_t>;

inline Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

inline Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

inline Bytes file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_bytes(const std::filesystem::path& path, const Bytes& data, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  REQUIRE(out.good());
}

class TempDirFixture {
 public:
  TempDirFixture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faasmjs-state-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
  }
  ~TempDirFixture() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  TempDirFixture(const TempDirFixture&) = delete;
  TempDirFixture& operator=(const TempDirFixture&) = delete;

  std::unique_ptr<state::GlobalStore> open_store() {
    auto store = state::GlobalStore::open(dir);
    if (!store) FAIL("cannot open the store: ", store.error().message);
    return std::move(*store);
  }

  std::filesystem::path dir;
};

}  // namespace faasmjs::gateway::testing
