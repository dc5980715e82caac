// The state_store target's input: the files of a store folder, packed one after another as
// u8 kind (0 value, 1 patch, 2 log; other values wrap), u16 length, that many bytes of file. Each file is
// named after the key its own header holds, the way tools/gateway/state/global_store.cpp names them (the
// layout comment at its top), so that inputs reach the record parsing rather than stopping at "belongs in
// another file". Shared by the target and the seed generator.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sha256.h"

namespace faasmjs::fuzz {

enum class StoreFileKind : std::uint8_t { Value = 0, Patch = 1, Log = 2 };

struct StoreFile {
  StoreFileKind kind;
  std::vector<std::uint8_t> bytes;
};

inline std::vector<StoreFile> unpack_store_files(std::span<const std::uint8_t> input) {
  std::vector<StoreFile> files;
  while (input.size() >= 3) {
    const auto kind = static_cast<StoreFileKind>(input[0] % 3);
    const std::size_t length = std::min<std::size_t>(input[1] | (input[2] << 8), input.size() - 3);
    files.push_back({kind, {input.begin() + 3, input.begin() + 3 + static_cast<std::ptrdiff_t>(length)}});
    input = input.subspan(3 + length);
  }
  return files;
}

inline void pack_store_file(std::vector<std::uint8_t>& out, StoreFileKind kind, std::span<const std::uint8_t> bytes) {
  out.push_back(static_cast<std::uint8_t>(kind));
  out.push_back(static_cast<std::uint8_t>(bytes.size()));
  out.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// The key in a file's header (magic, u32 key length, key), or an empty key when it has none.
inline std::string key_in_header(std::span<const std::uint8_t> file) {
  if (file.size() < 8) return {};
  const std::uint32_t length = file[4] | (file[5] << 8) | (file[6] << 16) | (std::uint32_t{file[7]} << 24);
  if (file.size() - 8 < length) return {};
  return std::string(file.begin() + 8, file.begin() + 8 + length);
}

inline std::string store_file_name(const StoreFile& file) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string key = key_in_header(file.bytes);
  std::string stem;
  if (key.size() > 100) {
    stem = "h" + faasmjs::sha256_hex(key);
  } else {
    stem = "k";
    for (const unsigned char c : key) {
      stem += kHex[c >> 4];
      stem += kHex[c & 15];
    }
  }
  switch (file.kind) {
    case StoreFileKind::Value:
      return "values/" + stem + ".value";
    case StoreFileKind::Patch:
      return "values/" + stem + ".patch";
    case StoreFileKind::Log:
      break;
  }
  return "logs/" + stem + ".log";
}

}  // namespace faasmjs::fuzz
