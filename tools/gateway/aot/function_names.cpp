#include "aot/function_names.h"

#include <optional>
#include <string_view>

#include "aot/module_scan.h"

namespace faasmjs::gateway::aot {

namespace {

constexpr std::size_t kHeader = 8;  // magic and version
constexpr std::uint8_t kCustomSection = 0;
constexpr std::uint8_t kFunctionNames = 1;
constexpr std::string_view kNameSection = "name";

// A length-prefixed byte string ending at most at `end`.
std::optional<std::string_view> read_name(std::span<const std::uint8_t> bytes, std::size_t& at, std::size_t end) {
  const auto size = read_leb(bytes, at);
  if (!size || at > end || *size > end - at) return std::nullopt;
  const std::string_view name(reinterpret_cast<const char*>(bytes.data()) + at, *size);
  at += *size;
  return name;
}

void write_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  do {
    std::uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void write_bytes(std::vector<std::uint8_t>& out, std::string_view bytes) {
  write_u32(out, static_cast<std::uint32_t>(bytes.size()));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void read_function_subsection(std::span<const std::uint8_t> wasm, std::size_t at, std::size_t end,
                              std::map<std::uint32_t, std::string>& names) {
  auto count = read_leb(wasm, at);
  for (std::uint32_t i = 0; count && i < *count && at < end; ++i) {
    const auto index = read_leb(wasm, at);
    const auto name = index ? read_name(wasm, at, end) : std::nullopt;
    if (!name) return;
    names.emplace(*index, std::string(name->substr(0, kMaxFunctionName)));
  }
}

}  // namespace

std::map<std::uint32_t, std::string> read_function_names(std::span<const std::uint8_t> wasm) {
  std::map<std::uint32_t, std::string> names;
  std::size_t at = kHeader;
  while (at < wasm.size()) {
    const std::uint8_t id = wasm[at++];
    const auto size = read_leb(wasm, at);
    if (!size || *size > wasm.size() - at) break;
    const std::size_t end = at + *size;
    std::size_t inside = at;
    at = end;
    if (id != kCustomSection || read_name(wasm, inside, end) != kNameSection) continue;
    while (inside < end) {
      const std::uint8_t subsection = wasm[inside++];
      const auto length = read_leb(wasm, inside);
      if (!length || inside > end || *length > end - inside) break;
      if (subsection == kFunctionNames) read_function_subsection(wasm, inside, inside + *length, names);
      inside += *length;
    }
  }
  return names;
}

std::vector<std::uint8_t> with_index_names(std::vector<std::uint8_t> wasm, std::uint32_t first, std::uint32_t count) {
  std::vector<std::uint8_t> entries;
  write_u32(entries, count);
  for (std::uint32_t index = first; index < first + count; ++index) {
    write_u32(entries, index);
    write_bytes(entries, "f" + std::to_string(index));
  }
  std::vector<std::uint8_t> payload;
  write_bytes(payload, kNameSection);
  payload.push_back(kFunctionNames);
  write_u32(payload, static_cast<std::uint32_t>(entries.size()));
  payload.insert(payload.end(), entries.begin(), entries.end());
  wasm.push_back(kCustomSection);
  write_u32(wasm, static_cast<std::uint32_t>(payload.size()));
  wasm.insert(wasm.end(), payload.begin(), payload.end());
  return wasm;
}

}  // namespace faasmjs::gateway::aot
