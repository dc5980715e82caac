// faasmjs-asyncify: make a Faasm function binary able to suspend in a browser, at near-zero cost.
//
// THE PROBLEM
//   A Faasm function is ordinary C++ compiled to wasm that calls host imports such as
//   `__faasm_await_call(id)` and expects the answer as the return value, synchronously. On a Faasm host the
//   thread simply blocks. In a browser the answer arrives later over a WebSocket, and nothing may block the
//   main thread: the wasm call stack has to be put aside, control returned to the event loop, and the stack
//   restored when the answer is there. Where the browser has JavaScript Promise Integration (JSPI) the engine
//   does this for the plain binary; everywhere else the binary itself must be rewritten to do it.
//
// PRIOR DESIGNS
//   Binaryen's Asyncify pass (what Emscripten's ASYNCIFY uses) rewrites functions so that they can save their
//   locals and return early ("unwind"), and later re-enter and skip to where they were ("rewind"). Its cost is
//   per instrumented function, and stock Asyncify instruments every function that may reach an import, or an
//   indirect call, since it cannot tell where an indirect call goes. C++ is full of indirect calls (virtual
//   calls, std::function, iostreams), so nearly everything is instrumented: on a 201 KB iostream-using function
//   stock `--asyncify` costs +61%, +57% with an import list. `asyncify-ignore-indirect` brings that to +0.9%
//   but is wrong as soon as a blocking call sits behind a virtual call or a function pointer.
//
// THIS TOOL
//   knows the ABI: the closed set of Faasm imports that block (faasm_abi.h; chaining does not block). It builds
//   the call graph with wabt (call_graph.h), resolving each call_indirect by its signature against the
//   functions the element segments put in the table, and instruments exactly the functions from which a
//   blocking import is reachable (instrumentation_plan.h), by handing Binaryen's Asyncify that set as its
//   only-list (binaryen_transform.h). Inside those functions Binaryen would still instrument every indirect
//   call; the ones that cannot reach a blocking import are first routed through trampolines it leaves alone
//   (indirect_call_shield.h). Code that cannot reach a blocking import keeps its original code; a blocking
//   call behind a virtual call, std::function or function pointer still suspends.
//
//   An instrumented function `f` that calls `g` (which may suspend) becomes, in outline:
//
//     f(params):
//       if state == REWINDING: locals, call-index = pop(data)       ; resume where f was
//       ...                                                          ; skipped while rewinding
//       if state == NORMAL or call-index == 1:
//         r = g(...)
//         if state == UNWINDING: push(data, locals, 1); return      ; unwinding: save and leave
//       ...
//
//   States (global `__asyncify_state`, read by asyncify_get_state()):
//     0 NORMAL     running, or suspended after asyncify_stop_unwind()
//     1 UNWINDING  between asyncify_start_unwind(data) in a blocking import and the export returning
//     2 REWINDING  between asyncify_start_rewind(data) and the blocking import being called again, which
//                  calls asyncify_stop_rewind() and returns the awaited answer
//
//   Data region (allocated by the browser runtime in linear memory, passed to start_unwind/start_rewind):
//     offset 0  i32  current: where the next saved frame goes (starts at data + 8)
//     offset 4  i32  end:     unwinding traps if it would write past this
//     offset 8  ...  saved frames: locals and call indices of every instrumented function on the stack
//
//   Exports added: asyncify_start_unwind(i32), asyncify_stop_unwind(), asyncify_start_rewind(i32),
//   asyncify_stop_rewind(), asyncify_get_state() -> i32; and table 0 as `__indirect_function_table` if it
//   was not exported, so the browser can call a function chained by pointer. sdk/js/asyncify.js drives them.
//
//   A function with no reachable blocking import is not run through Binaryen at all: the output is the
//   input byte for byte, plus the table export if it was missing.
//
// FLAGS (options.cpp)
//   -o/--output FILE    the transformed binary (default INPUT.async.wasm)
//   -m/--manifest FILE  JSON facts for the runtime and the build report (manifest.h, docs/asyncify.md)
//   -v/--verbose        for each instrumented function, the chain of calls that reaches a blocking import
//   -h/--help, -V/--version, @FILE (response file)
//
// COST
//   Size: each instrumented function grows by its save/restore code and a check after each call that may
//   suspend; the rest keeps its code and the module is optimised as by `wasm-opt -O2`. The output keeps the
//   input's function names (a name section of its own, binaryen_transform.cpp), so that a trap names the
//   functions on its stack; it has no DWARF, which describes the code before instrumentation.
//   tests/bench/asyncify_size.sh
//   measures the size against plain -O2 and stock Asyncify (without custom sections). Time: uninstrumented code runs at
//   full speed; instrumented code pays a state check after each call that may suspend.
//
// ROBUSTNESS
//   Input is read and validated by wabt, which reports errors as values; libbinaryen, which prints "Fatal"
//   and exits on input it dislikes, only ever sees what wabt accepted, and runs in a forked child
//   (isolated_run.h) so that even its aborts become one line of error; so does the whole transform, so that
//   a crash inside wabt is one too. Blocks nested over 10,000 deep and features Binaryen 108 cannot
//   transform (memory64, multiple memories, exception handling, relaxed SIMD, typed function references,
//   GC) are refused by name (wasm_input.h). Every error is one line on stderr naming the culprit, and exit
//   status 2.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "binaryen_transform.h"
#include "call_graph.h"
#include "faasm_abi.h"
#include "faasm_function.h"
#include "indirect_call_shield.h"
#include "instrumentation_plan.h"
#include "isolated_run.h"
#include "manifest.h"
#include "options.h"
#include "result.h"
#include "sha256.h"
#include "wasm_input.h"
#include "wasm_sections.h"

namespace faasmjs::asyncify {
namespace {

constexpr std::string_view kProgram = "faasmjs-asyncify";
constexpr std::string_view kVersion = FAASMJS_ASYNCIFY_VERSION;
constexpr int kExitSuccess = 0;
constexpr int kExitError = 2;

void warn(const std::string& message) { std::cerr << kProgram << ": warning: " << message << "\n"; }

std::string functionName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.ends_with(".wasm")) name.resize(name.size() - 5);
  return name;
}

Status writeFileAtomically(const std::string& path, std::string_view contents) {
  const std::string temporary = path + ".tmp" + std::to_string(::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return Error{"cannot write " + path + ": " + std::strerror(errno)};
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const int writeErrno = errno;
  if (std::fclose(file) != 0 || !written) {
    std::remove(temporary.c_str());
    return Error{"cannot write " + path + ": " + std::strerror(written ? errno : writeErrno)};
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int renameErrno = errno;
    std::remove(temporary.c_str());
    return Error{"cannot write " + path + ": " + std::strerror(renameErrno)};
  }
  return ok();
}

std::vector<std::string> sortedNames(const wabt::Module& module, const std::vector<wabt::Index>& functions) {
  std::vector<std::pair<std::string, wabt::Index>> named;
  for (const wabt::Index function : functions) named.emplace_back(displayName(module, function), function);
  std::sort(named.begin(), named.end());
  std::vector<std::string> names;
  for (auto& [name, index] : named) names.push_back(std::move(name));
  return names;
}

std::string count(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

// What the analysis found, as the rest of the pipeline needs it.
struct Analysis {
  const wabt::Module& module;
  const FaasmFunction& function;
  const CallGraph& graph;
  const InstrumentationPlan& plan;
  std::vector<wabt::Index> blockingImports;
  bool exportTable;
};

void printReport(const std::string& label, const Analysis& analysis, const IndirectCallCounts& indirectCalls) {
  const wabt::Module& module = analysis.module;
  const CallGraph& graph = analysis.graph;
  const InstrumentationPlan& plan = analysis.plan;
  std::vector<std::string> blocking;
  for (const wabt::Index import : analysis.blockingImports) blocking.push_back(displayName(module, import));
  std::cout << label << ": " << plan.functions().size() << " of "
            << count(module.funcs.size() - module.num_func_imports, "function") << " instrumented; blocking imports:";
  for (const auto& name : blocking) std::cout << " " << name;
  std::cout << (blocking.empty() ? " none\n" : "\n");
  for (std::size_t table = 0; table < graph.tables().size(); ++table) {
    const TableContents& contents = graph.tables()[table];
    std::cout << "table " << table << ": "
              << (contents.known ? "element segments place " + count(contents.functions.size(), "function") +
                                       " in it; an indirect call through it reaches those of its signature"
                                 : "its contents are unknown (" + contents.unknownBecause +
                                       "); an indirect call through it may reach any function of its signature")
              << "\n";
  }
  if (!plan.functions().empty()) {
    std::cout << "indirect calls in instrumented functions: " << indirectCalls.instrumented
              << " may reach a blocking import (instrumented), " << indirectCalls.uninstrumented
              << " cannot (left alone)\n";
  }
  std::vector<std::pair<std::string, std::string>> reasons;
  for (const wabt::Index f : plan.functions()) {
    reasons.emplace_back(displayName(module, f), describeChain(module, plan, f));
  }
  std::sort(reasons.begin(), reasons.end());
  for (const auto& [name, reason] : reasons) std::cout << "  " << reason << "\n";
}

Result<Bytes> asyncified(const std::string& label, const Bytes& input, const Analysis& analysis,
                         bool needsPostWasm2Features, IndirectCallCounts& indirectCalls) {
  if (const auto tailCaller = analysis.graph.tailCaller()) {
    return Error{label + ": " + displayName(analysis.module, *tailCaller) +
                 " makes a tail call, which Binaryen's Asyncify cannot instrument"};
  }
  auto shielded =
      shieldIndirectCalls(input, label, analysis.graph, analysis.plan.functions(), analysis.blockingImports);
  if (!shielded) return shielded.error();
  indirectCalls = {shielded->instrumentedCalls, shielded->shieldedCalls};

  TransformRequest request;
  request.binary = std::move(shielded->binary);
  request.functionCount = shielded->functionCount;
  request.importedFunctionCount = analysis.module.num_func_imports;
  for (const wabt::Index import : analysis.blockingImports) {
    request.blockingImports.push_back(displayName(analysis.module, import));
  }
  request.instrument = analysis.plan.functions();
  request.needsPostWasm2Features = needsPostWasm2Features;
  request.exportTable = analysis.exportTable;
  request.names = std::move(shielded->names);
  auto transformed = runIsolated([&request] { return transformWithBinaryen(request); });
  if (!transformed) return Error{label + ": libbinaryen failed: " + transformed.error().message};
  for (std::size_t begin = 0, end; begin < transformed->log.size(); begin = end + 1) {
    end = std::min(transformed->log.find('\n', begin), transformed->log.size());
    if (end > begin) warn(label + ": libbinaryen: " + transformed->log.substr(begin, end - begin));
  }
  return std::move(transformed->bytes);
}

Manifest describe(const Options& options, const Bytes& input, std::size_t outputBytes, const Analysis& analysis,
                  const IndirectCallCounts& indirectCalls) {
  const wabt::Module& module = analysis.module;
  Manifest manifest;
  manifest.function = functionName(options.input);
  manifest.toolVersion = std::string(kVersion);
  manifest.input = options.input;
  manifest.output = options.output;
  manifest.inputBytes = input.size();
  manifest.inputSha256 = sha256_hex(input);
  manifest.outputBytes = outputBytes;
  manifest.faasmImports = analysis.function.faasmImports;
  for (const auto& import : analysis.function.blockingImports) manifest.blockingImports.push_back(import.field);
  manifest.asyncified = !analysis.plan.functions().empty();
  manifest.definedFunctions = module.funcs.size() - module.num_func_imports;
  manifest.instrumentedCount = analysis.plan.functions().size();
  manifest.onlyThroughIndirectCalls = analysis.plan.onlyThroughIndirectCalls();
  manifest.indirectCalls = indirectCalls;
  if (options.verbose) manifest.instrumented = sortedNames(module, analysis.plan.functions());
  manifest.tableExport = analysis.function.tableExport ? analysis.function.tableExport
                         : analysis.exportTable        ? std::optional<std::string>(kTableExport)
                                                       : std::nullopt;
  for (std::size_t table = 0; table < analysis.graph.tables().size(); ++table) {
    const auto& contents = analysis.graph.tables()[table];
    manifest.tables.push_back({table, contents.known, contents.unknownBecause});
  }
  return manifest;
}

Status transform(const Options& options) {
  auto input = readFile(options.input);
  if (!input) return input.error();
  auto parsed = parseModule(*input, options.input);
  if (!parsed) return parsed.error();
  wabt::Module& module = *parsed->module;
  auto function = inspectFaasmFunction(module, options.input);
  if (!function) return function.error();
  for (const auto& warning : function->warnings) warn(warning);

  std::vector<wabt::Index> blockingImports;
  for (const auto& import : function->blockingImports) blockingImports.push_back(import.function);
  const CallGraph graph(module);
  const InstrumentationPlan plan(graph, blockingImports);
  const Analysis analysis{module, *function, graph, plan, blockingImports, function->table && !function->tableExport};

  IndirectCallCounts indirectCalls;
  auto output =
      plan.functions().empty()
          ? (analysis.exportTable ? withTableExport(*input, kTableExport, *function->table) : Result<Bytes>(*input))
          : asyncified(options.input, *input, analysis, parsed->needsPostWasm2Features, indirectCalls);
  if (!output) return output.error();
  if (options.verbose) printReport(options.input, analysis, indirectCalls);

  const std::string_view outputBytes(reinterpret_cast<const char*>(output->data()), output->size());
  if (auto status = writeFileAtomically(options.output, outputBytes); !status) return status;
  if (!options.manifest) return ok();
  return writeFileAtomically(*options.manifest,
                             toJson(describe(options, *input, output->size(), analysis, indirectCalls)));
}

int run(const std::vector<std::string>& arguments) {
  auto commandLine = parseCommandLine(arguments);
  if (!commandLine) {
    std::cerr << kProgram << ": error: " << commandLine.error().message << "\n";
    return kExitError;
  }
  switch (commandLine->action) {
    case Action::Help:
      std::cout << helpText();
      return kExitSuccess;
    case Action::Version:
      std::cout << kProgram << " " << kVersion << "\n";
      return kExitSuccess;
    case Action::Transform:
      break;
  }
  // wabt reads and analyses the untrusted input in this process, and a wabt bug (a failed assertion, a stack
  // overflow) would end it with a core dump instead of one line: the whole transform runs in a child, whose
  // own errors come back as its output and whose crash becomes the error. Its output files appear only by
  // rename, so a crash leaves none half-written.
  const Options& options = commandLine->options;
  auto contained = runIsolated(
      [&options]() -> Result<Bytes> {
        const Status status = transform(options);
        if (status) return Bytes();
        return Bytes(status.error().message.begin(), status.error().message.end());
      },
      ChildStdout::Inherited);
  if (!contained) {
    std::cerr << kProgram << ": error: " << options.input << ": internal error: faasmjs-asyncify "
              << contained.error().message << "\n";
    return kExitError;
  }
  std::cerr << contained->log;
  if (!contained->bytes.empty()) {
    std::cerr << kProgram << ": error: " << std::string(contained->bytes.begin(), contained->bytes.end()) << "\n";
    return kExitError;
  }
  return kExitSuccess;
}

}  // namespace
}  // namespace faasmjs::asyncify

int main(int argc, char** argv) { return faasmjs::asyncify::run(std::vector<std::string>(argv + 1, argv + argc)); }
