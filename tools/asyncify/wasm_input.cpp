#include "wasm_input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/feature.h"
#include "wabt/validator.h"

namespace faasmjs::asyncify {
namespace {

std::string describeFirst(const wabt::Errors& errors) {
  for (const auto& error : errors) {
    if (error.error_level != wabt::ErrorLevel::Error) continue;
    char offset[32];
    std::snprintf(offset, sizeof offset, " (at byte 0x%zx)", error.loc.offset);
    return error.message + offset;
  }
  return "rejected without a message";
}

Result<std::unique_ptr<wabt::Module>> parseWith(const wabt::Features& features,
                                                const std::vector<std::uint8_t>& bytes, const std::string& label) {
  wabt::ReadBinaryOptions readOptions(features, nullptr, /*read_debug_names=*/true, /*stop_on_first_error=*/true,
                                      /*fail_on_custom_section_error=*/true);
  auto module = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  if (wabt::Failed(wabt::ReadBinaryIr(label.c_str(), bytes.data(), bytes.size(), readOptions, &errors,
                                      module.get()))) {
    return Error{label + ": not a valid wasm binary: " + describeFirst(errors)};
  }
  if (wabt::Failed(wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features)))) {
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
  // wabt's default features are the finished proposals, i.e. WebAssembly 2.0.
  if (auto module = parseWith(wabt::Features(), bytes, label)) return ParsedModule{std::move(*module), false};
  wabt::Features all;
  all.EnableAll();
  auto module = parseWith(all, bytes, label);
  if (!module) return module.error();
  return ParsedModule{std::move(*module), true};
}

std::string displayName(const wabt::Module& module, wabt::Index function) {
  if (function < module.num_func_imports) {
    wabt::Index functionImport = 0;
    for (const wabt::Import* import : module.imports) {
      if (import->kind() == wabt::ExternalKind::Func && functionImport++ == function) {
        return import->module_name + "." + import->field_name;
      }
    }
  }
  const std::string& name = module.funcs[function]->name;
  if (!name.empty()) return name.front() == '$' ? name.substr(1) : name;
  for (const wabt::Export* exported : module.exports) {
    if (exported->kind == wabt::ExternalKind::Func && module.GetFuncIndex(exported->var) == function) {
      return exported->name;
    }
  }
  return "func[" + std::to_string(function) + "]";
}

}  // namespace faasmjs::asyncify
