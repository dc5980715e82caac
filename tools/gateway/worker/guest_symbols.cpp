#include "worker/guest_symbols.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

namespace faasmjs::gateway::worker {

namespace {

// The shared object's bytes: only open, fstat and pread, which the worker's sandbox allows (sandbox.cpp).
std::vector<char> read_whole(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::vector<char> bytes;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && info.st_size > 0) {
    bytes.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
  }
  ::close(fd);
  return bytes;
}

template <class T>
const T* at(const std::vector<char>& bytes, std::uint64_t offset, std::uint64_t count = 1) {
  if (offset > bytes.size() || count > (bytes.size() - offset) / sizeof(T)) return nullptr;
  return reinterpret_cast<const T*>(bytes.data() + offset);
}

// N of `w2c_fN`, `w2c_fN.cold`, `w2c_fN.part.0`, ...; or NAME of the export wrapper `Z_fnZ_NAME`, where NAME is
// plain (wasm2c spells other characters otherwise).
std::optional<GuestSymbols::Function> function_of(std::string_view symbol) {
  constexpr std::string_view kPrefix = "w2c_f";
  constexpr std::string_view kExportPrefix = "Z_fnZ_";
  if (symbol.starts_with(kExportPrefix)) {
    symbol.remove_prefix(kExportPrefix.size());
    const bool plain = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain) return std::nullopt;
    return GuestSymbols::Function{std::nullopt, std::string(symbol)};
  }
  if (!symbol.starts_with(kPrefix)) return std::nullopt;
  symbol.remove_prefix(kPrefix.size());
  std::uint32_t index = 0;
  const auto [end, error] = std::from_chars(symbol.data(), symbol.data() + symbol.size(), index);
  if (error != std::errc() || end == symbol.data() || (end != symbol.data() + symbol.size() && *end != '.')) {
    return std::nullopt;
  }
  return GuestSymbols::Function{index, ""};
}

}  // namespace

GuestSymbols GuestSymbols::read(const std::string& path, std::uintptr_t base) {
  GuestSymbols symbols;
  const std::vector<char> bytes = read_whole(path);
  const auto* header = at<Elf64_Ehdr>(bytes, 0);
  if (header == nullptr || std::string_view(reinterpret_cast<const char*>(header->e_ident), 4) != ELFMAG ||
      header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_shentsize != sizeof(Elf64_Shdr)) {
    return symbols;
  }
  const auto* sections = at<Elf64_Shdr>(bytes, header->e_shoff, header->e_shnum);
  if (sections == nullptr) return symbols;
  const auto* section_names =
      header->e_shstrndx < header->e_shnum
          ? at<char>(bytes, sections[header->e_shstrndx].sh_offset, sections[header->e_shstrndx].sh_size)
          : nullptr;
  bool unwind_tables = false;
  std::uintptr_t code_begin = UINTPTR_MAX, code_end = 0;
  for (std::size_t s = 0; s < header->e_shnum; ++s) {
    const Elf64_Shdr& section = sections[s];
    const std::size_t names_size = section_names != nullptr ? sections[header->e_shstrndx].sh_size : 0;
    if (section.sh_name < names_size &&
        std::string_view(section_names + section.sh_name,
                         strnlen(section_names + section.sh_name, names_size - section.sh_name)) == ".eh_frame") {
      unwind_tables = true;
    }
    if ((section.sh_flags & SHF_EXECINSTR) != 0 && section.sh_size > 0) {
      code_begin = std::min<std::uintptr_t>(code_begin, base + section.sh_addr);
      code_end = std::max<std::uintptr_t>(code_end, base + section.sh_addr + section.sh_size);
    }
  }
  if (!unwind_tables && code_begin < code_end) symbols.code_without_unwind_tables_ = {code_begin, code_end};
  for (std::size_t s = 0; s < header->e_shnum; ++s) {
    if (sections[s].sh_type != SHT_SYMTAB || sections[s].sh_link >= header->e_shnum) continue;
    const Elf64_Shdr& names = sections[sections[s].sh_link];
    const auto* entries = at<Elf64_Sym>(bytes, sections[s].sh_offset, sections[s].sh_size / sizeof(Elf64_Sym));
    const auto* text = at<char>(bytes, names.sh_offset, names.sh_size);
    if (entries == nullptr || text == nullptr) continue;
    for (std::size_t e = 0; e < sections[s].sh_size / sizeof(Elf64_Sym); ++e) {
      const Elf64_Sym& symbol = entries[e];
      if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_name >= names.sh_size || symbol.st_value == 0) {
        continue;
      }
      const char* name = text + symbol.st_name;
      const auto function = function_of(std::string_view(name, strnlen(name, names.sh_size - symbol.st_name)));
      if (!function) continue;
      symbols.ranges_.push_back(
          {base + symbol.st_value, base + symbol.st_value + symbol.st_size, std::move(*function)});
    }
  }
  std::sort(symbols.ranges_.begin(), symbols.ranges_.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  // A compiler that records no sizes (tcc): each function reaches to the next.
  for (std::size_t r = 0; r + 1 < symbols.ranges_.size(); ++r) {
    Range& range = symbols.ranges_[r];
    if (range.end == range.begin) range.end = symbols.ranges_[r + 1].begin;
  }
  return symbols;
}

std::optional<GuestSymbols::Function> GuestSymbols::function_at(std::uintptr_t address) const {
  auto after = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                                [](std::uintptr_t value, const Range& range) { return value < range.begin; });
  if (after == ranges_.begin()) return std::nullopt;
  const Range& range = *(after - 1);
  if (address >= range.end) return std::nullopt;
  return range.function;
}

}  // namespace faasmjs::gateway::worker
