// A compiler with a cache of its own in a fresh folder (removed after the test), at -O0 unless a test needs
// a slow compile; and what is left in that folder.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "aot/aot_compiler.h"
#include "wasm_bytes.hpp"

namespace faasmjs::gateway::testing {

namespace fs = std::filesystem;

inline Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::string read_text(const fs::path& path) {
  const Bytes bytes = read_bytes(path);
  return {bytes.begin(), bytes.end()};
}

struct AotFixture {
  AotFixture() {
    std::string pattern = (fs::temp_directory_path() / "faasmjs-aot-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
    options.cache_dir = root / "cache";
    options.optimisation = "-O0";
  }
  ~AotFixture() {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  AotFixture(const AotFixture&) = delete;
  AotFixture& operator=(const AotFixture&) = delete;

  aot::Compiler& compiler() {
    if (!made) {
      auto created = aot::Compiler::create(options);
      REQUIRE(created.has_value());
      made = std::move(*created);
    }
    return *made;
  }

  // The message of a refused compile, checked to be one line that names no server folder.
  std::string refused(const Bytes& wasm) {
    auto module = compiler().compile(wasm);
    REQUIRE_FALSE(module.has_value());
    const std::string& message = module.error().message;
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find(root.string()) == std::string::npos);
    return message;
  }

  std::vector<std::string> cache_files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(options.cache_dir))
      names.push_back(entry.path().filename().string());
    std::ranges::sort(names);
    return names;
  }

  // wat2wasm of `source`.
  Bytes wat(const std::string& source) const {
    std::ofstream(root / "m.wat") << source;
    const std::string command = "wat2wasm " + (root / "m.wat").string() + " -o " + (root / "m.wasm").string();
    REQUIRE(std::system(command.c_str()) == 0);
    return read_bytes(root / "m.wasm");
  }

  fs::path root;
  aot::CompilerOptions options;
  std::unique_ptr<aot::Compiler> made;
};

}  // namespace faasmjs::gateway::testing
