#include "faasm/wasm_imports.h"

#include <algorithm>
#include <optional>

namespace faasmjs::gateway::faasm {

namespace {

constexpr std::uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
constexpr std::uint8_t kVersion[] = {0x01, 0x00, 0x00, 0x00};
constexpr std::uint8_t kCustomSection = 0, kTypeSection = 1, kImportSection = 2;

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes, std::size_t base = 0) : bytes_(bytes), base_(base) {}

  std::size_t offset() const { return base_ + at_; }
  bool done() const { return at_ == bytes_.size(); }
  std::string failure() const { return failure_; }

  std::optional<std::uint8_t> byte(const char* what) {
    if (at_ >= bytes_.size()) return missing(what);
    return bytes_[at_++];
  }

  // An unsigned LEB128 of at most 32 bits (5 bytes), as the format requires for lengths, counts and indices.
  std::optional<std::uint32_t> u32(const char* what) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      auto next = byte(what);
      if (!next) return std::nullopt;
      value |= static_cast<std::uint64_t>(*next & 0x7f) << shift;
      if ((*next & 0x80) == 0) {
        if (value > 0xffffffffu) return bad(std::string(what) + " is larger than 32 bits");
        return static_cast<std::uint32_t>(value);
      }
    }
    return bad(std::string(what) + " is a LEB128 longer than 5 bytes");
  }

  std::optional<std::span<const std::uint8_t>> bytes(std::size_t count, const char* what) {
    if (count > bytes_.size() - at_) return missing(what);
    auto slice = bytes_.subspan(at_, count);
    at_ += count;
    return slice;
  }

  std::optional<std::string> name(const char* what) {
    auto length = u32(what);
    if (!length) return std::nullopt;
    auto text = bytes(*length, what);
    if (!text) return std::nullopt;
    return std::string(text->begin(), text->end());
  }

  std::nullopt_t bad(std::string message) {
    if (failure_.empty()) failure_ = message + " (at byte " + std::to_string(offset()) + ")";
    return std::nullopt;
  }

 private:
  std::nullopt_t missing(const char* what) { return bad(std::string("the module ends inside ") + what); }

  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t at_ = 0;
  std::string failure_;
};

using FuncType = std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>;

std::optional<std::vector<std::uint8_t>> value_types(Reader& in, const char* what) {
  auto count = in.u32(what);
  if (!count) return std::nullopt;
  std::vector<std::uint8_t> types;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto type = in.byte(what);
    if (!type) return std::nullopt;
    types.push_back(*type);
  }
  return types;
}

std::optional<std::vector<FuncType>> type_section(Reader& in) {
  auto count = in.u32("the type count");
  if (!count) return std::nullopt;
  std::vector<FuncType> types;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto form = in.byte("a function type");
    if (!form) return std::nullopt;
    if (*form != 0x60) return in.bad("type " + std::to_string(i) + " is not a function type");
    auto params = value_types(in, "a function type's parameters");
    if (!params) return std::nullopt;
    auto results = value_types(in, "a function type's results");
    if (!results) return std::nullopt;
    types.emplace_back(std::move(*params), std::move(*results));
  }
  return types;
}

bool skip_limits(Reader& in) {
  auto flags = in.byte("limits");
  if (!flags) return false;
  // Bit 0: a maximum follows; bit 1: shared (threads); bit 2: 64-bit memory, whose bounds are u64 LEB128s.
  if (*flags > 0x07) return in.bad("limits have unknown flags"), false;
  const int bounds = (*flags & 1) ? 2 : 1;
  for (int i = 0; i < bounds; ++i) {
    if (*flags & 4) {
      for (int length = 0;; ++length) {
        auto b = in.byte("a 64-bit limit");
        if (!b) return false;
        if ((*b & 0x80) == 0) break;
        if (length == 9) return in.bad("a 64-bit limit is a LEB128 longer than 10 bytes"), false;
      }
    } else if (!in.u32("a limit")) {
      return false;
    }
  }
  return true;
}

std::optional<std::vector<FunctionImport>> import_section(Reader& in, const std::vector<FuncType>& types) {
  auto count = in.u32("the import count");
  if (!count) return std::nullopt;
  std::vector<FunctionImport> imports;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto module = in.name("an import's module name");
    if (!module) return std::nullopt;
    auto name = in.name("an import's name");
    if (!name) return std::nullopt;
    auto kind = in.byte("an import's kind");
    if (!kind) return std::nullopt;
    switch (*kind) {
      case 0x00: {
        auto index = in.u32("an import's type index");
        if (!index) return std::nullopt;
        if (*index >= types.size())
          return in.bad("import " + *module + "." + *name + " names type " + std::to_string(*index) + " of " +
                        std::to_string(types.size()));
        imports.push_back({std::move(*module), std::move(*name), types[*index].first, types[*index].second});
        break;
      }
      case 0x01:  // a table: reference type, limits
        if (!in.byte("a table import") || !skip_limits(in)) return std::nullopt;
        break;
      case 0x02:  // a memory: limits
        if (!skip_limits(in)) return std::nullopt;
        break;
      case 0x03:  // a global: value type, mutability
        if (!in.byte("a global import") || !in.byte("a global import")) return std::nullopt;
        break;
      case 0x04:  // a tag (exception handling): attribute, type index
        if (!in.byte("a tag import") || !in.u32("a tag import")) return std::nullopt;
        break;
      default:
        return in.bad("import " + *module + "." + *name + " has unknown kind " + std::to_string(*kind));
    }
  }
  return imports;
}

}  // namespace

Expected<std::vector<FunctionImport>> read_function_imports(std::span<const std::uint8_t> wasm) {
  auto malformed = [](const std::string& why) {
    return fail(ErrorCode::BadWasm, "not a well-formed WebAssembly module: " + why);
  };
  if (wasm.size() < 8 || !std::equal(std::begin(kMagic), std::end(kMagic), wasm.begin()))
    return malformed("it does not start with \\0asm");
  if (!std::equal(std::begin(kVersion), std::end(kVersion), wasm.begin() + 4)) return malformed("its version is not 1");
  Reader in(wasm.subspan(8), 8);
  std::vector<FuncType> types;
  while (!in.done()) {
    auto id = in.byte("a section id");
    auto size = id ? in.u32("a section size") : std::nullopt;
    const std::size_t start = in.offset();
    auto body = size ? in.bytes(*size, "a section") : std::nullopt;
    if (!body) return malformed(in.failure());
    Reader section(*body, start);
    if (*id == kTypeSection) {
      auto read = type_section(section);
      if (!read) return malformed(section.failure());
      types = std::move(*read);
    } else if (*id == kImportSection) {
      auto imports = import_section(section, types);
      if (!imports) return malformed(section.failure());
      if (!section.done()) return malformed("the import section has bytes after its last import");
      return std::move(*imports);
    } else if (*id != kCustomSection) {
      break;  // every later section comes after the imports: a module without an
              // import section imports nothing
    }
  }
  return std::vector<FunctionImport>{};
}

std::string signature_text(const FunctionImport& import) {
  auto letters = [](const std::vector<std::uint8_t>& types) {
    std::string text;
    for (std::uint8_t type : types) {
      switch (type) {
        case 0x7f:
          text += 'i';
          break;
        case 0x7e:
          text += 'I';
          break;
        case 0x7d:
          text += 'f';
          break;
        case 0x7c:
          text += 'F';
          break;
        case 0x7b:
          text += 'v';
          break;
        default:
          text += 'r';
          break;
      }
    }
    return text;
  };
  return letters(import.params) + ":" + letters(import.results);
}

}  // namespace faasmjs::gateway::faasm
