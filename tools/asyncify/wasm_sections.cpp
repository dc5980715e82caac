#include "wasm_sections.h"

#include <optional>
#include <string>

namespace faasmjs::asyncify {
namespace {

constexpr std::size_t kPreambleBytes = 8;  // magic and version
constexpr std::uint8_t kCustomSection = 0;
constexpr std::uint8_t kExportSection = 7;
constexpr std::uint8_t kFunctionNamesSubsection = 1;
constexpr std::uint8_t kTableKind = 1;

struct Section {
  std::uint8_t id;
  std::size_t begin;  // offset of the id byte
  std::size_t payloadBegin;
  std::size_t end;
};

std::optional<std::uint32_t> readU32(const Bytes& bytes, std::size_t& offset) {
  std::uint32_t value = 0;
  for (int shift = 0; shift < 35 && offset < bytes.size(); shift += 7) {
    const std::uint8_t byte = bytes[offset++];
    value |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

void writeU32(Bytes& out, std::uint32_t value) {
  do {
    std::uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void writeName(Bytes& out, std::string_view name) {
  writeU32(out, static_cast<std::uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

void writeSized(Bytes& out, const Bytes& payload) {
  writeU32(out, static_cast<std::uint32_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
}

Result<std::vector<Section>> sections(const Bytes& binary) {
  const Error malformed{"internal error: malformed section layout in a binary wabt accepted"};
  if (binary.size() < kPreambleBytes) return malformed;
  std::vector<Section> result;
  std::size_t offset = kPreambleBytes;
  while (offset < binary.size()) {
    Section section{binary[offset], offset, 0, 0};
    ++offset;
    const auto size = readU32(binary, offset);
    if (!size || *size > binary.size() - offset) return malformed;
    section.payloadBegin = offset;
    section.end = offset + *size;
    result.push_back(section);
    offset = section.end;
  }
  return result;
}

}  // namespace

Result<Bytes> withTableExport(const Bytes& binary, std::string_view name, std::uint32_t tableIndex) {
  auto all = sections(binary);
  if (!all) return all.error();
  Bytes out(binary.begin(), binary.begin() + kPreambleBytes);
  bool added = false;
  for (const Section& section : *all) {
    if (section.id != kExportSection) {
      out.insert(out.end(), binary.begin() + section.begin, binary.begin() + section.end);
      continue;
    }
    std::size_t offset = section.payloadBegin;
    const auto count = readU32(binary, offset);
    if (!count) return Error{"internal error: malformed export section in a binary wabt accepted"};
    Bytes payload;
    writeU32(payload, *count + 1);
    payload.insert(payload.end(), binary.begin() + offset, binary.begin() + section.end);
    writeName(payload, name);
    payload.push_back(kTableKind);
    writeU32(payload, tableIndex);
    out.push_back(kExportSection);
    writeSized(out, payload);
    added = true;
  }
  // A Faasm function always exports _start, so the section exists.
  if (!added) return Error{"internal error: no export section to add " + std::string(name) + " to"};
  return out;
}

Bytes withNameSection(const Bytes& binary, const std::vector<FunctionName>& names) {
  Bytes functionNames;
  writeU32(functionNames, static_cast<std::uint32_t>(names.size()));
  for (const auto& [index, name] : names) {
    writeU32(functionNames, index);
    writeName(functionNames, name);
  }
  Bytes payload;
  writeName(payload, "name");
  payload.push_back(kFunctionNamesSubsection);
  writeSized(payload, functionNames);
  Bytes out = binary;
  out.push_back(kCustomSection);
  writeSized(out, payload);
  return out;
}

}  // namespace faasmjs::asyncify
