#include "binaryen_transform.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <type_traits>

#include "binaryen-c.h"
#include "faasm_abi.h"
#include "instrumentation_check.h"
#include "wasm_sections.h"

namespace faasmjs::asyncify {
namespace {

// Same levels as `wasm-opt -O2`, the baseline the output's size is measured against.
constexpr int kOptimizeLevel = 2;
constexpr int kShrinkLevel = 0;

struct ModuleDisposer {
  void operator()(BinaryenModuleRef module) const { BinaryenModuleDispose(module); }
};
using ModulePtr = std::unique_ptr<std::remove_pointer_t<BinaryenModuleRef>, ModuleDisposer>;

struct FreeDeleter {
  void operator()(void* memory) const { std::free(memory); }
};

std::vector<std::uint8_t> write(BinaryenModuleRef module) {
  const BinaryenModuleAllocateAndWriteResult written = BinaryenModuleAllocateAndWrite(module, nullptr);
  const std::unique_ptr<void, FreeDeleter> binary(written.binary);
  const std::unique_ptr<char, FreeDeleter> sourceMap(written.sourceMap);
  const auto* bytes = static_cast<const std::uint8_t*>(written.binary);
  return {bytes, bytes + written.binaryBytes};
}

// Without GC and typed function references: with those enabled Binaryen 108 may re-encode the type
// section in a form engines without GC reject.
BinaryenFeatures featuresFor(BinaryenModuleRef module, bool needsPostWasm2Features) {
  BinaryenFeatures features = BinaryenModuleGetFeatures(module) | BinaryenFeatureMutableGlobals() |
                              BinaryenFeatureNontrappingFPToInt() | BinaryenFeatureSignExt() |
                              BinaryenFeatureSIMD128() | BinaryenFeatureBulkMemory() | BinaryenFeatureReferenceTypes() |
                              BinaryenFeatureMultivalue();
  if (needsPostWasm2Features) {
    features |= BinaryenFeatureAll() & ~(BinaryenFeatureGC() | BinaryenFeatureTypedFunctionReferences());
  }
  return features;
}

// Binaryen's lists are comma separated, '*' is a wildcard and brackets nest, so only names made of these
// characters mean exactly themselves. The input has no name section, so Binaryen names functions by index.
bool isPlainName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           c == '.';
  });
}

// Rebuilds every defined function in place and order, taking the code of those not in `instrument` from
// `original`. Binaryen 108's Asyncify flattens and re-optimises every function, not only those it instruments
// (later versions filter), and that round trip leaves code it did not need to touch a little larger.
void restoreUninstrumented(BinaryenModuleRef module, BinaryenModuleRef original, const TransformRequest& request) {
  std::vector<std::string> names;
  for (BinaryenIndex i = request.importedFunctionCount; i < BinaryenGetNumFunctions(module); ++i) {
    names.emplace_back(BinaryenFunctionGetName(BinaryenGetFunctionByIndex(module, i)));
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const wabt::Index index = request.importedFunctionCount + static_cast<wabt::Index>(i);
    const bool untouched = index < request.functionCount &&
                           !std::binary_search(request.instrument.begin(), request.instrument.end(), index);
    const BinaryenFunctionRef source = BinaryenGetFunction(untouched ? original : module, names[i].c_str());
    std::vector<BinaryenType> vars(BinaryenFunctionGetNumVars(source));
    for (BinaryenIndex var = 0; var < vars.size(); ++var) vars[var] = BinaryenFunctionGetVar(source, var);
    const BinaryenType params = BinaryenFunctionGetParams(source);
    const BinaryenType results = BinaryenFunctionGetResults(source);
    const BinaryenExpressionRef body = BinaryenExpressionCopy(BinaryenFunctionGetBody(source), module);
    BinaryenRemoveFunction(module, names[i].c_str());
    BinaryenAddFunction(module, names[i].c_str(), params, results, vars.data(), static_cast<BinaryenIndex>(vars.size()),
                        body);
  }
}

// Binaryen keeps a function's name through every pass; the input had none, so the name is the one Binaryen
// made up from its index there, and `inputIndex` maps it back. The output's indices are those Binaryen's
// writer gives: imported functions first, then defined ones, each in module order. Functions the transform
// added (asyncify_start_unwind, ...) keep Binaryen's names, which are real ones.
std::vector<FunctionName> outputNames(BinaryenModuleRef module, const std::map<std::string, wabt::Index>& inputIndex,
                                      const std::vector<std::string>& names) {
  std::vector<BinaryenFunctionRef> ordered;
  for (const bool imported : {true, false}) {
    for (BinaryenIndex i = 0; i < BinaryenGetNumFunctions(module); ++i) {
      const BinaryenFunctionRef function = BinaryenGetFunctionByIndex(module, i);
      const char* importModule = BinaryenFunctionImportGetModule(function);
      if ((importModule != nullptr && *importModule != '\0') == imported) ordered.push_back(function);
    }
  }
  std::vector<FunctionName> result;
  for (std::uint32_t index = 0; index < ordered.size(); ++index) {
    const std::string name = BinaryenFunctionGetName(ordered[index]);
    const auto input = inputIndex.find(name);
    std::string shown = input == inputIndex.end() ? name : input->second < names.size() ? names[input->second] : "";
    if (!shown.empty()) result.push_back({index, std::move(shown)});
  }
  return result;
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ",") + part;
  return text;
}

}  // namespace

Result<std::vector<std::uint8_t>> transformWithBinaryen(const TransformRequest& request) {
  BinaryenSetColorsEnabled(false);
  std::vector<char> input(request.binary.begin(), request.binary.end());
  const ModulePtr module(BinaryenModuleRead(input.data(), input.size()));
  const ModulePtr original(BinaryenModuleRead(input.data(), input.size()));
  const BinaryenIndex functionCount = BinaryenGetNumFunctions(module.get());
  if (functionCount != request.functionCount) {
    return Error{"internal error: Binaryen reads " + std::to_string(functionCount) + " functions, wabt " +
                 std::to_string(request.functionCount)};
  }
  std::map<std::string, wabt::Index> inputIndex;
  for (BinaryenIndex i = 0; i < functionCount; ++i) {
    inputIndex.emplace(BinaryenFunctionGetName(BinaryenGetFunctionByIndex(module.get(), i)), i);
  }
  BinaryenModuleSetFeatures(module.get(), featuresFor(module.get(), request.needsPostWasm2Features));
  // Before optimising, which would otherwise remove a table that no call_indirect uses.
  if (request.exportTable) {
    const char* table = BinaryenTableGetName(BinaryenGetTableByIndex(module.get(), 0));
    BinaryenAddTableExport(module.get(), table, std::string(kTableExport).c_str());
  }

  std::vector<std::string> onlyList;
  for (const wabt::Index function : request.instrument) {
    const std::string name = BinaryenFunctionGetName(BinaryenGetFunctionByIndex(module.get(), function));
    if (!isPlainName(name)) {
      return Error{"internal error: Binaryen named function " + std::to_string(function) + " \"" + name +
                   "\", which its list syntax cannot express"};
    }
    onlyList.push_back(name);
  }

  BinaryenSetOptimizeLevel(kOptimizeLevel);
  BinaryenSetShrinkLevel(kShrinkLevel);
  BinaryenSetDebugInfo(false);
  BinaryenClearPassArguments();
  BinaryenSetPassArgument("asyncify-imports", join(request.blockingImports).c_str());
  BinaryenSetPassArgument("asyncify-onlylist", join(onlyList).c_str());
  const char* passes[] = {"asyncify"};
  BinaryenModuleRunPasses(module.get(), passes, 1);

  // Binaryen warns about, but does not refuse, list entries it cannot match: check what it did instead.
  const auto instrumented = findInstrumentedFunctions(write(module.get()));
  if (!instrumented) return instrumented.error();
  if (*instrumented != request.instrument) {
    return Error{"internal error: Binaryen instrumented " + std::to_string(instrumented->size()) +
                 " functions, not the " + std::to_string(request.instrument.size()) + " planned"};
  }

  restoreUninstrumented(module.get(), original.get(), request);
  // Inline the single-use trampolines (indirect_call_shield.h) before -O2's duplicate function elimination
  // would merge identical ones into one with several callers, which then stays a call.
  const char* inlining[] = {"inlining-optimizing"};
  BinaryenModuleRunPasses(module.get(), inlining, 1);
  BinaryenModuleOptimize(module.get());
  for (const auto name : kControlExports) {
    if (BinaryenGetExport(module.get(), std::string(name).c_str()) == nullptr) {
      return Error{"internal error: Binaryen's Asyncify did not export " + std::string(name)};
    }
  }
  if (!BinaryenModuleValidate(module.get())) return Error{"internal error: Binaryen's output does not validate"};
  return withNameSection(write(module.get()), outputNames(module.get(), inputIndex, request.names));
}

}  // namespace faasmjs::asyncify
