#include "aot/module_check.h"

#include <cstdio>
#include <optional>
#include <sstream>
#include <string_view>

#include "aot/function_names.h"
#include "aot/module_scan.h"
#include "common/host_imports.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/cast.h"
#include "wabt/feature.h"
#include "wabt/ir.h"
#include "wabt/validator.h"

namespace faasmjs::gateway::aot {

namespace {

std::string first_error(const wabt::Errors& errors) {
  for (const auto& error : errors) {
    if (error.error_level != wabt::ErrorLevel::Error) continue;
    char offset[40];
    std::snprintf(offset, sizeof offset, " (at byte 0x%zx)", error.loc.offset);
    return error.message + offset;
  }
  return "rejected without a message";
}

char letter(wabt::Type type) {
  switch (type) {
    case wabt::Type::I32:
      return 'i';
    case wabt::Type::I64:
      return 'I';
    case wabt::Type::F32:
      return 'f';
    case wabt::Type::F64:
      return 'F';
    default:
      return '?';
  }
}

std::string signature_of(const wabt::FuncSignature& sig) {
  std::string text;
  for (auto type : sig.param_types) text += letter(type);
  text += ':';
  for (auto type : sig.result_types) text += letter(type);
  return text;
}

// Names may hold any byte, and a shape is one fact per line: they travel as hex.
std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const unsigned char c : bytes) {
    text += kDigits[c >> 4];
    text += kDigits[c & 0xF];
  }
  return text;
}

std::optional<std::string> unhex(std::string_view text) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = digit(text[i]), low = digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high << 4 | low);
  }
  return bytes;
}

}  // namespace

Expected<ModuleShape> check_module(std::span<const std::uint8_t> wasm, const ModuleLimits& limits) {
  // WebAssembly 2.0 without SIMD: wasm2c 1.0.32 aborts on SIMD instead of reporting it.
  wabt::Features features;
  features.disable_simd();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  wabt::Module module;
  wabt::Errors errors;
  if (wasm.size() < 8)
    return fail(ErrorCode::BadWasm, "not a wasm binary: only " + std::to_string(wasm.size()) + " bytes");
  if (auto scanned = scan_module(wasm, limits); !scanned) return std::unexpected(scanned.error());
  if (wabt::Failed(wabt::ReadBinaryIr("function", wasm.data(), wasm.size(), options, &errors, &module))) {
    // Valid once SIMD is allowed: then SIMD is the one thing wrong with it.
    wabt::Features with_simd;
    wabt::ReadBinaryOptions simd_options(with_simd, nullptr, false, true, false);
    wabt::Module simd_module;
    wabt::Errors simd_errors;
    if (wabt::Succeeded(
            wabt::ReadBinaryIr("function", wasm.data(), wasm.size(), simd_options, &simd_errors, &simd_module))) {
      return fail(ErrorCode::BadWasm,
                  "uses SIMD, which the cluster's compiler (wasm2c 1.0.32) cannot translate: "
                  "build it without -msimd128");
    }
    return fail(ErrorCode::BadWasm, "not a valid wasm binary: " + first_error(errors));
  }
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features)))) {
    return fail(ErrorCode::BadWasm, "invalid wasm module: " + first_error(errors));
  }
  for (const wabt::Import* import : module.imports) {
    if (import->kind() != wabt::ExternalKind::Func) {
      return fail(ErrorCode::BadWasm, "imports " + import->module_name + "." + import->field_name +
                                          ", which is not a function: the cluster provides only functions");
    }
    const auto* func = wabt::cast<wabt::FuncImport>(import);
    const std::string wanted = signature_of(func->func.decl.sig);
    const std::string_view provided = provided_signature(import->module_name, import->field_name);
    if (provided.empty()) {
      return fail(ErrorCode::BadWasm,
                  "imports " + import->module_name + "." + import->field_name + ", which the cluster does not provide");
    }
    if (provided != wanted) {
      return fail(ErrorCode::BadWasm, "imports " + import->module_name + "." + import->field_name + " as (" + wanted +
                                          "), but the cluster provides it as (" + std::string(provided) + ")");
    }
  }
  ModuleShape shape;
  for (const wabt::Export* exported : module.exports) {
    if (exported->kind == wabt::ExternalKind::Func) shape.function_exports.insert(exported->name);
    if (exported->kind == wabt::ExternalKind::Memory && exported->name == "memory") shape.exports_memory = true;
    if (exported->kind == wabt::ExternalKind::Table && exported->name == "__indirect_function_table") {
      // The worker calls its entries as functions (wasm2c's funcref table): a table of other references
      // would be read as one.
      const wabt::Table* table = module.GetTable(exported->var);
      if (table == nullptr || table->elem_type != wabt::Type::FuncRef) {
        return fail(ErrorCode::BadWasm, "exports __indirect_function_table as a table of " +
                                            std::string(table == nullptr ? "nothing" : table->elem_type.GetName()) +
                                            ": the function table must hold functions (funcref)");
      }
      shape.exports_table = true;
    }
  }
  for (const char* required : {"_start", "malloc"}) {
    if (!shape.function_exports.contains(required)) {
      return fail(ErrorCode::BadWasm, std::string("exports no ") + required + " function: not a Faasm function");
    }
  }
  if (!shape.exports_memory) return fail(ErrorCode::BadWasm, "exports no memory: not a Faasm function");
  // Imports are functions only (checked above), so no memory, table or global lives outside the instance.
  shape.resettable = module.memories.size() == 1 && module.tables.size() == (shape.exports_table ? 1u : 0u);
  shape.function_imports = static_cast<std::uint32_t>(module.num_func_imports);
  shape.defined_functions = static_cast<std::uint32_t>(module.funcs.size() - module.num_func_imports);
  const std::uint32_t end = shape.function_imports + shape.defined_functions;
  for (auto& [index, name] : read_function_names(wasm)) {
    if (index >= shape.function_imports && index < end && !name.empty()) shape.function_names.emplace(index, name);
  }
  for (const wabt::Export* exported : module.exports) {
    if (exported->kind != wabt::ExternalKind::Func) continue;
    const wabt::Index index = module.GetFuncIndex(exported->var);
    if (index >= shape.function_imports && index < end) shape.function_names.emplace(index, exported->name);
  }
  return shape;
}

std::string shape_text(const ModuleShape& shape) {
  std::string text;
  for (const auto& name : shape.function_exports) text += "export " + name + "\n";
  if (shape.exports_memory) text += "memory\n";
  if (shape.exports_table) text += "table\n";
  if (shape.resettable) text += "resettable\n";
  text += "functions " + std::to_string(shape.function_imports) + " " + std::to_string(shape.defined_functions) + "\n";
  for (const auto& [index, name] : shape.function_names)
    text += "name " + std::to_string(index) + " " + hex(name) + "\n";
  return text;
}

Expected<ModuleShape> parse_shape(const std::string& text) {
  ModuleShape shape;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("export ")) {
      shape.function_exports.insert(line.substr(7));
    } else if (line == "memory") {
      shape.exports_memory = true;
    } else if (line == "table") {
      shape.exports_table = true;
    } else if (line == "resettable") {
      shape.resettable = true;
    } else if (std::uint32_t imports = 0, defined = 0;
               std::sscanf(line.c_str(), "functions %u %u", &imports, &defined) == 2) {
      shape.function_imports = imports;
      shape.defined_functions = defined;
    } else if (std::uint32_t index = 0; line.starts_with("name ") &&
                                        std::sscanf(line.c_str(), "name %u", &index) == 1 &&
                                        line.find(' ', 5) != std::string::npos) {
      auto name = unhex(std::string_view(line).substr(line.find(' ', 5) + 1));
      if (!name) return fail(ErrorCode::Internal, "the module checker's answer has a malformed name");
      shape.function_names.emplace(index, std::move(*name));
    } else {
      return fail(ErrorCode::Internal, "the module checker's answer has an unexpected line");
    }
  }
  return shape;
}

}  // namespace faasmjs::gateway::aot
