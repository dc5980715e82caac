#include "aot/module_scan.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"
#include "wabt/feature.h"

namespace faasmjs::gateway::aot {

namespace {

bool safe_name(std::string_view name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == '$';
  });
}

// Callbacks of wabt's streaming reader; a refusal stops the read (Result::Error) and is kept here.
class Scanner final : public wabt::BinaryReaderNop {
 public:
  explicit Scanner(const ModuleLimits& limits) : limits_(limits) {}

  std::optional<std::string> refusal;

  bool OnError(const wabt::Error&) override { return true; }  // a parse error is module_check's to report

  wabt::Result OnImport(wabt::Index index, wabt::ExternalKind, std::string_view module,
                        std::string_view field) override {
    if (safe_name(module, limits_.max_name) && safe_name(field, limits_.max_name)) return wabt::Result::Ok;
    return refuse("import " + std::to_string(index) + " " + quoted_name(module) + "." + quoted_name(field) +
                  names_rule());
  }

  wabt::Result OnFunctionCount(wabt::Index count) override {
    if (count <= limits_.max_functions) return wabt::Result::Ok;
    return refuse("defines " + std::to_string(count) + " functions, past the limit of " +
                  std::to_string(limits_.max_functions));
  }

  wabt::Result OnExportCount(wabt::Index count) override {
    if (count <= limits_.max_exports) return wabt::Result::Ok;
    return refuse("has " + std::to_string(count) + " exports, past the limit of " +
                  std::to_string(limits_.max_exports));
  }

  wabt::Result OnExport(wabt::Index index, wabt::ExternalKind, wabt::Index, std::string_view name) override {
    if (safe_name(name, limits_.max_name)) return wabt::Result::Ok;
    return refuse("export " + std::to_string(index) + " " + quoted_name(name) + names_rule());
  }

  wabt::Result BeginFunctionBody(wabt::Index index, wabt::Offset) override {
    function_ = index;
    depth_ = 0;
    locals_ = 0;
    return wabt::Result::Ok;
  }

  wabt::Result OnLocalDecl(wabt::Index, wabt::Index count, wabt::Type) override {
    locals_ += count;
    if (locals_ <= limits_.max_locals) return wabt::Result::Ok;
    return refuse("declares more than " + std::to_string(limits_.max_locals) + " locals in function " +
                  std::to_string(function_) + ", past the limit");
  }

  wabt::Result OnBlockExpr(wabt::Type) override { return open(); }
  wabt::Result OnLoopExpr(wabt::Type) override { return open(); }
  wabt::Result OnIfExpr(wabt::Type) override { return open(); }
  wabt::Result OnTryExpr(wabt::Type) override { return open(); }
  wabt::Result OnEndExpr() override {
    if (depth_ > 0) --depth_;
    return wabt::Result::Ok;
  }

 private:
  wabt::Result open() {
    if (++depth_ <= limits_.max_nesting) return wabt::Result::Ok;
    return refuse("function " + std::to_string(function_) + " nests blocks deeper than the nesting limit of " +
                  std::to_string(limits_.max_nesting));
  }

  std::string names_rule() const {
    return " is not a name the cluster's compiler takes: names are 1-" + std::to_string(limits_.max_name) +
           " characters of " + std::string(kNameCharacters);
  }

  wabt::Result refuse(std::string why) {
    refusal = std::move(why);
    return wabt::Result::Error;
  }

  const ModuleLimits& limits_;
  wabt::Index function_ = 0;
  std::size_t depth_ = 0;
  std::uint64_t locals_ = 0;
};

}  // namespace

std::optional<std::uint32_t> read_leb(std::span<const std::uint8_t> bytes, std::size_t& at) {
  std::uint32_t value = 0;
  for (int shift = 0; shift < 35 && at < bytes.size(); shift += 7) {
    const std::uint8_t byte = bytes[at++];
    value |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

Expected<void> scan_module(std::span<const std::uint8_t> wasm, const ModuleLimits& limits) {
  // Every feature wabt knows: whatever the stricter reads of module_check get to, this read got to first.
  wabt::Features features;
  features.EnableAll();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  Scanner scanner(limits);
  wabt::ReadBinary(wasm.data(), wasm.size(), &scanner, options);
  if (scanner.refusal) return fail(ErrorCode::BadWasm, *scanner.refusal);
  return {};
}

std::vector<std::uint8_t> without_custom_sections(std::span<const std::uint8_t> wasm) {
  constexpr std::size_t kHeader = 8;  // magic and version
  std::vector<std::uint8_t> kept(wasm.begin(), wasm.begin() + std::min(kHeader, wasm.size()));
  std::size_t at = kHeader;
  while (at < wasm.size()) {
    const std::size_t start = at;
    const std::uint8_t id = wasm[at++];
    const auto size = read_leb(wasm, at);
    if (!size || *size > wasm.size() - at) return {wasm.begin(), wasm.end()};  // scan_module read it: not reached
    at += *size;
    if (id != 0)
      kept.insert(kept.end(), wasm.begin() + static_cast<std::ptrdiff_t>(start),
                  wasm.begin() + static_cast<std::ptrdiff_t>(at));
  }
  return kept;
}

std::string quoted_name(std::string_view name) {
  constexpr std::size_t kShown = 40;
  std::string out = "\"";
  for (const char c : name.substr(0, kShown)) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
      out += escaped;
    }
  }
  out += name.size() > kShown ? "\"..." : "\"";
  return out;
}

}  // namespace faasmjs::gateway::aot
