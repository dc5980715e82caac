#include "manifest.h"

#include <cstdio>
#include <sstream>

#include "faasm_abi.h"

namespace faasmjs::asyncify {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out += escape;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

template <class Range>
std::string stringArray(const Range& values) {
  std::string out = "[";
  for (const auto& value : values) out += (out.size() > 1 ? ", " : "") + quoted(value);
  return out + "]";
}

}  // namespace

std::string toJson(const Manifest& m) {
  std::ostringstream out;
  out << "{\n"
      << "  \"manifestVersion\": " << kManifestVersion << ",\n"
      << "  \"tool\": " << quoted("faasmjs-asyncify " + m.toolVersion) << ",\n"
      << "  \"function\": " << quoted(m.function) << ",\n"
      << "  \"input\": {\"file\": " << quoted(m.input) << ", \"bytes\": " << m.inputBytes << "},\n"
      << "  \"output\": {\"file\": " << quoted(m.output) << ", \"bytes\": " << m.outputBytes << "},\n"
      << "  \"faasmImports\": " << stringArray(m.faasmImports) << ",\n"
      << "  \"blockingImports\": " << stringArray(m.blockingImports) << ",\n"
      << "  \"asyncified\": " << (m.asyncified ? "true" : "false") << ",\n"
      << "  \"definedFunctions\": " << m.definedFunctions << ",\n"
      << "  \"instrumentedFunctions\": " << m.instrumentedCount << ",\n";
  if (m.instrumented) out << "  \"instrumented\": " << stringArray(*m.instrumented) << ",\n";
  out << "  \"indirectCallsInInstrumented\": {\"instrumented\": " << m.indirectCalls.instrumented
      << ", \"uninstrumented\": " << m.indirectCalls.uninstrumented << "},\n";
  out << "  \"tableExport\": " << (m.tableExport ? quoted(*m.tableExport) : "null") << ",\n"
      << "  \"tables\": [";
  for (std::size_t i = 0; i < m.tables.size(); ++i) {
    const auto& table = m.tables[i];
    out << (i ? ", " : "") << "{\"index\": " << table.index
        << ", \"indirectCalls\": " << quoted(table.contentsKnown ? "element-segments" : "any-function-of-type");
    if (!table.contentsKnown) out << ", \"because\": " << quoted(table.unknownBecause);
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
      out << (i ? ", " : "") << "{\"field\": " << quoted(kDataHeader[i].name)
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
