#include "wasm_input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"
#include "wabt/cast.h"
#include "wabt/feature.h"
#include "wabt/validator.h"

namespace faasmjs::asyncify {
namespace {

// Features past WebAssembly 2.0 that the tool and Binaryen 108's Asyncify cannot handle, each with the name
// it is refused by. Binaryen misreads or aborts on the first four (memory64 loads become i32 loads, a
// second memory is refused, exception handling aborts Asyncify, relaxed SIMD is unknown to it); typed
// function references and GC are not enabled in its output (binaryen_transform.cpp), and wabt 1.0.32's
// validator asserts on some ill-typed call_ref, so a module using them is never validated with them on:
// they are named when the module reads with them and not without.
struct Unsupported {
  void (wabt::Features::*set)(bool);
  const char* name;
  bool validate;
};
// GC before typed function references: wabt turns the latter on while the former is on.
constexpr Unsupported kUnsupported[] = {
    {&wabt::Features::set_memory64_enabled, "memory64", true},
    {&wabt::Features::set_multi_memory_enabled, "multiple memories", true},
    {&wabt::Features::set_exceptions_enabled, "exception handling", true},
    {&wabt::Features::set_relaxed_simd_enabled, "relaxed SIMD", true},
    {&wabt::Features::set_gc_enabled, "GC", false},
    {&wabt::Features::set_function_references_enabled, "typed function references", false},
};

wabt::Features supportedFeatures() {
  wabt::Features features;
  features.EnableAll();
  for (const auto& feature : kUnsupported) (features.*feature.set)(false);
  return features;
}

// Deeper than this, wabt's recursive destructors (and later Binaryen's walkers) overflow the stack: 20,000
// nested blocks crashed the tool. Compilers nest one block per switch case, so the bound is generous.
constexpr wabt::Index kMaxNesting = 10000;

// Reads every function body with wabt's event reader, which keeps no tree (it cannot overflow), counting
// how deep blocks, loops, ifs and trys nest; and every constant expression (a global's initializer, a
// segment's offset), where any of them is invalid and makes wabt 1.0.32's tree reader fail an assertion
// (found by fuzz.asyncify_input: tests/fuzz/corpus/asyncify_input/regression-*-in-constant-expression.wasm).
class NestingCheck : public wabt::BinaryReaderNop {
 public:
  wabt::Result BeginFunctionBody(wabt::Index index, wabt::Offset) override {
    function_ = index;
    depth_ = 0;
    return wabt::Result::Ok;
  }
  wabt::Result OnBlockExpr(wabt::Type) override { return enter(); }
  wabt::Result OnLoopExpr(wabt::Type) override { return enter(); }
  wabt::Result OnIfExpr(wabt::Type) override { return enter(); }
  wabt::Result OnTryExpr(wabt::Type) override { return enter(); }
  wabt::Result OnEndExpr() override { return leave(); }
  wabt::Result OnDelegateExpr(wabt::Index) override { return leave(); }

  wabt::Result BeginGlobalInitExpr(wabt::Index) override { return beginConstant(); }
  wabt::Result EndGlobalInitExpr(wabt::Index) override { return endConstant(); }
  wabt::Result BeginElemSegmentInitExpr(wabt::Index) override { return beginConstant(); }
  wabt::Result EndElemSegmentInitExpr(wabt::Index) override { return endConstant(); }
  wabt::Result BeginDataSegmentInitExpr(wabt::Index) override { return beginConstant(); }
  wabt::Result EndDataSegmentInitExpr(wabt::Index) override { return endConstant(); }

  // Problems other than these are parseModule's to report, in its words.
  bool OnError(const wabt::Error&) override { return true; }

  std::optional<wabt::Index> tooDeep() const { return tooDeep_; }
  bool blockInConstant() const { return blockInConstant_; }

 private:
  wabt::Result enter() {
    if (inConstant_) {
      blockInConstant_ = true;
      return wabt::Result::Error;
    }
    if (++depth_ <= kMaxNesting) return wabt::Result::Ok;
    tooDeep_ = function_;
    return wabt::Result::Error;
  }
  wabt::Result beginConstant() {
    inConstant_ = true;
    return wabt::Result::Ok;
  }
  wabt::Result endConstant() {
    inConstant_ = false;
    return wabt::Result::Ok;
  }
  wabt::Result leave() {
    if (depth_ > 0) --depth_;
    return wabt::Result::Ok;
  }
  wabt::Index function_ = 0;
  wabt::Index depth_ = 0;
  std::optional<wabt::Index> tooDeep_;
  bool inConstant_ = false;
  bool blockInConstant_ = false;
};

Status checkNesting(const std::vector<std::uint8_t>& bytes, const std::string& label) {
  NestingCheck check;
  // Every feature: parseModule reads the module again with each unsupported one, to name it.
  wabt::Features all;
  all.EnableAll();
  wabt::ReadBinaryOptions options(all, nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  (void)wabt::ReadBinary(bytes.data(), bytes.size(), &check, options);
  if (const auto function = check.tooDeep()) {
    return Error{label + ": function " + std::to_string(*function) + " nests blocks more than " +
                 std::to_string(kMaxNesting) + " deep (the limit of nested blocks, loops, ifs and trys)"};
  }
  if (check.blockInConstant()) {
    return Error{label +
                 ": not a valid wasm module: a constant expression (a global's initializer or a "
                 "segment's offset) holds a block, loop, if or try"};
  }
  return ok();
}

// A module whose active element segment lies outside its own table fails to instantiate anywhere; Binaryen
// 108 rewrites such an offset into one that no longer validates, so it is refused here, by name.
Status checkElementSegments(const wabt::Module& module, const std::string& label) {
  for (std::size_t i = 0; i < module.elem_segments.size(); ++i) {
    const wabt::ElemSegment& segment = *module.elem_segments[i];
    if (segment.kind != wabt::SegmentKind::Active || segment.offset.size() != 1) continue;
    const auto* offset = wabt::dyn_cast<wabt::ConstExpr>(&segment.offset.front());
    const wabt::Index table = module.GetTableIndex(segment.table_var);
    if (offset == nullptr || offset->const_.type() != wabt::Type::I32 || table < module.num_table_imports ||
        table >= module.tables.size()) {
      continue;
    }
    const std::uint64_t start = offset->const_.u32();
    const std::uint64_t size = module.tables[table]->elem_limits.initial;
    if (start + segment.elem_exprs.size() > size) {
      const std::size_t count = segment.elem_exprs.size();
      return Error{label + ": element segment " + std::to_string(i) + " puts " + std::to_string(count) +
                   (count == 1 ? " function" : " functions") + " at offset " +
                   std::to_string(static_cast<std::int32_t>(start)) + " of table " + std::to_string(table) +
                   ", which has " + std::to_string(size) + " entries: the module cannot be instantiated"};
    }
  }
  return ok();
}

std::string describeFirst(const wabt::Errors& errors) {
  for (const auto& error : errors) {
    if (error.error_level != wabt::ErrorLevel::Error) continue;
    char offset[32];
    std::snprintf(offset, sizeof offset, " (at byte 0x%zx)", error.loc.offset);
    return error.message + offset;
  }
  return "rejected without a message";
}

Result<std::unique_ptr<wabt::Module>> readWith(const wabt::Features& features, const std::vector<std::uint8_t>& bytes,
                                               const std::string& label) {
  wabt::ReadBinaryOptions readOptions(features, nullptr, /*read_debug_names=*/true, /*stop_on_first_error=*/true,
                                      /*fail_on_custom_section_error=*/true);
  auto module = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  if (wabt::Failed(wabt::ReadBinaryIr(label.c_str(), bytes.data(), bytes.size(), readOptions, &errors, module.get()))) {
    return Error{label + ": not a valid wasm binary: " + describeFirst(errors)};
  }
  return module;
}

Result<std::unique_ptr<wabt::Module>> parseWith(const wabt::Features& features, const std::vector<std::uint8_t>& bytes,
                                                const std::string& label) {
  auto module = readWith(features, bytes, label);
  if (!module) return module;
  wabt::Errors errors;
  if (wabt::Failed(wabt::ValidateModule(module->get(), &errors, wabt::ValidateOptions(features)))) {
    return Error{label + ": invalid wasm module: " + describeFirst(errors)};
  }
  return module;
}

}  // namespace

Result<std::vector<std::uint8_t>> readFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Error{path + ": " + std::strerror(errno)};
  if (S_ISDIR(info.st_mode)) return Error{path + ": is a directory, not a wasm binary"};
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error{path + ": " + std::strerror(errno)};
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) bytes.insert(bytes.end(), buffer, buffer + count);
  const bool failed = std::ferror(file) != 0;
  const int readErrno = errno;
  std::fclose(file);
  if (failed) return Error{path + ": read failed: " + std::strerror(readErrno)};
  if (bytes.empty()) return Error{path + ": empty file, not a wasm binary"};
  return bytes;
}

Result<ParsedModule> parseModule(const std::vector<std::uint8_t>& bytes, const std::string& label) {
  if (auto nesting = checkNesting(bytes, label); !nesting) return nesting.error();
  // wabt's default features are the finished proposals, i.e. WebAssembly 2.0.
  auto module = parseWith(wabt::Features(), bytes, label);
  const bool needsPostWasm2Features = !module;
  if (!module) module = parseWith(supportedFeatures(), bytes, label);
  if (!module) {
    const bool readable = static_cast<bool>(readWith(supportedFeatures(), bytes, label));
    for (const auto& feature : kUnsupported) {
      wabt::Features features = supportedFeatures();
      (features.*feature.set)(true);
      const bool uses = feature.validate ? static_cast<bool>(parseWith(features, bytes, label))
                                         : !readable && readWith(features, bytes, label);
      if (uses) return Error{label + ": " + feature.name + " is not supported"};
    }
    return module.error();
  }
  if (auto segments = checkElementSegments(**module, label); !segments) return segments.error();
  return ParsedModule{std::move(*module), needsPostWasm2Features};
}

namespace {

const wabt::Import* functionImport(const wabt::Module& module, wabt::Index function) {
  if (function >= module.num_func_imports) return nullptr;
  wabt::Index index = 0;
  for (const wabt::Import* import : module.imports) {
    if (import->kind() == wabt::ExternalKind::Func && index++ == function) return import;
  }
  return nullptr;
}

// The name-section name, else an export name; empty if neither.
std::string givenName(const wabt::Module& module, wabt::Index function) {
  const std::string& name = module.funcs[function]->name;
  if (!name.empty()) return name.front() == '$' ? name.substr(1) : name;
  for (const wabt::Export* exported : module.exports) {
    if (exported->kind == wabt::ExternalKind::Func && module.GetFuncIndex(exported->var) == function) {
      return exported->name;
    }
  }
  return "";
}

}  // namespace

std::string displayName(const wabt::Module& module, wabt::Index function) {
  if (const wabt::Import* import = functionImport(module, function)) {
    return import->module_name + "." + import->field_name;
  }
  std::string name = givenName(module, function);
  return name.empty() ? "func[" + std::to_string(function) + "]" : name;
}

std::string sectionName(const wabt::Module& module, wabt::Index function) {
  std::string name = givenName(module, function);
  if (!name.empty()) return name;
  const wabt::Import* import = functionImport(module, function);
  return import != nullptr ? import->field_name : "";
}

}  // namespace faasmjs::asyncify
