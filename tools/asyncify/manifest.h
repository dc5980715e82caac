// The manifest: what the browser runtime and the build report need to know about one transformed function.
// Its format is documented in docs/asyncify.md; bump kManifestVersion on any incompatible change.
#ifndef FAASMJS_ASYNCIFY_MANIFEST_H
#define FAASMJS_ASYNCIFY_MANIFEST_H

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace faasmjs::asyncify {

inline constexpr int kManifestVersion = 1;

struct TableReport {
  std::size_t index;
  bool contentsKnown;
  std::string unknownBecause;
};

// Indirect call sites inside the instrumented functions.
struct IndirectCallCounts {
  std::size_t instrumented = 0;    // may reach a blocking import
  std::size_t uninstrumented = 0;  // proven not to, so left alone
};

struct Manifest {
  std::string function;  // the input file's name without ".wasm"
  std::string toolVersion;
  std::string input;  // file names as given on the command line
  std::string output;
  std::size_t inputBytes = 0;
  std::string inputSha256;  // hex: the version of the function a cluster runs (docs/asyncify.md)
  std::size_t outputBytes = 0;
  std::vector<std::string> faasmImports;
  std::vector<std::string> blockingImports;
  bool asyncified = false;  // false: no blocking import, the output only gained exports
  std::size_t definedFunctions = 0;
  std::size_t instrumentedCount = 0;
  std::size_t onlyThroughIndirectCalls = 0;  // of those, reached from a blocking import only through indirect calls
  IndirectCallCounts indirectCalls;
  std::optional<std::vector<std::string>> instrumented;  // names, with --verbose
  std::optional<std::string> tableExport;
  std::vector<TableReport> tables;
};

std::string toJson(const Manifest& manifest);

}  // namespace faasmjs::asyncify

#endif
