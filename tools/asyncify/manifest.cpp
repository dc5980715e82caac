#include "manifest.h"

#include <cstdio>
#include <sstream>

#include "faasm_abi.h"
#include "json_string.h"

namespace faasmjs::asyncify {
namespace {

template <class Range>
std::string stringArray(const Range& values) {
  std::string out = "[";
  for (const auto& value : values) out += (out.size() > 1 ? ", " : "") + json_string(value);
  return out + "]";
}

}  // namespace

std::string toJson(const Manifest& m) {
  std::ostringstream out;
  out << "{\n"
      << "  \"manifestVersion\": " << kManifestVersion << ",\n"
      << "  \"tool\": " << json_string("faasmjs-asyncify " + m.toolVersion) << ",\n"
      << "  \"function\": " << json_string(m.function) << ",\n"
      << "  \"input\": {\"file\": " << json_string(m.input) << ", \"bytes\": " << m.inputBytes
      << ", \"sha256\": " << json_string(m.inputSha256) << "},\n"
      << "  \"output\": {\"file\": " << json_string(m.output) << ", \"bytes\": " << m.outputBytes << "},\n"
      << "  \"faasmImports\": " << stringArray(m.faasmImports) << ",\n"
      << "  \"blockingImports\": " << stringArray(m.blockingImports) << ",\n"
      << "  \"asyncified\": " << (m.asyncified ? "true" : "false") << ",\n"
      << "  \"definedFunctions\": " << m.definedFunctions << ",\n"
      << "  \"instrumentedFunctions\": " << m.instrumentedCount << ",\n"
      << "  \"instrumentedOnlyThroughIndirectCalls\": " << m.onlyThroughIndirectCalls << ",\n";
  if (m.instrumented) out << "  \"instrumented\": " << stringArray(*m.instrumented) << ",\n";
  out << "  \"indirectCallsInInstrumented\": {\"instrumented\": " << m.indirectCalls.instrumented
      << ", \"uninstrumented\": " << m.indirectCalls.uninstrumented << "},\n";
  out << "  \"tableExport\": " << (m.tableExport ? json_string(*m.tableExport) : "null") << ",\n"
      << "  \"tables\": [";
  for (std::size_t i = 0; i < m.tables.size(); ++i) {
    const auto& table = m.tables[i];
    out << (i ? ", " : "") << "{\"index\": " << table.index
        << ", \"indirectCalls\": " << json_string(table.contentsKnown ? "element-segments" : "any-function-of-type");
    if (!table.contentsKnown) out << ", \"because\": " << json_string(table.unknownBecause);
    out << "}";
  }
  out << "],\n";
  if (m.asyncified) {
    out << "  \"asyncify\": {\n"
        << "    \"exports\": " << stringArray(kControlExports) << ",\n"
        << "    \"states\": {\"normal\": " << static_cast<int>(State::Normal)
        << ", \"unwinding\": " << static_cast<int>(State::Unwinding)
        << ", \"rewinding\": " << static_cast<int>(State::Rewinding) << "},\n"
        << "    \"dataHeaderBytes\": " << kDataHeaderBytes << ",\n"
        << "    \"dataHeader\": [";
    for (std::size_t i = 0; i < kDataHeader.size(); ++i) {
      out << (i ? ", " : "") << "{\"field\": " << json_string(kDataHeader[i].name)
          << ", \"offset\": " << kDataHeader[i].offset << ", \"type\": \"i32\"}";
    }
    out << "]\n  }\n";
  } else {
    out << "  \"asyncify\": null\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace faasmjs::asyncify
