// faasmjs-asyncify's in-process input path (tools/asyncify/main.cpp up to the forked libbinaryen step): this
// input is the wasm file, parsed and validated by wabt, checked as a Faasm function, analysed into a call
// graph and an instrumentation plan, and then rewritten as the tool would: indirect calls shielded, or the
// table export added. Every stage returns its errors as values; none may crash or abort.
#include <cstdint>
#include <string>
#include <vector>

#include "call_graph.h"
#include "faasm_abi.h"
#include "faasm_function.h"
#include "indirect_call_shield.h"
#include "instrumentation_plan.h"
#include "wasm_input.h"
#include "wasm_sections.h"

namespace asyncify = faasmjs::asyncify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> input(data, data + size);
  const std::string label = "input.wasm";
  auto parsed = asyncify::parseModule(input, label);
  if (!parsed) return 0;
  wabt::Module& module = *parsed->module;
  for (wabt::Index function = 0; function < module.funcs.size(); ++function) {
    (void)asyncify::displayName(module, function);
  }
  auto function = asyncify::inspectFaasmFunction(module, label);
  if (!function) return 0;
  std::vector<wabt::Index> blocking;
  for (const auto& import : function->blockingImports) blocking.push_back(import.function);
  const asyncify::CallGraph graph(module);
  const asyncify::InstrumentationPlan plan(graph, blocking);
  for (const wabt::Index instrumented : plan.functions()) {
    (void)asyncify::describeChain(module, plan, instrumented);
  }
  if (!plan.functions().empty()) {
    (void)asyncify::shieldIndirectCalls(input, label, graph, plan.functions(), blocking);
  } else if (function->table && !function->tableExport) {
    (void)asyncify::withTableExport(input, asyncify::kTableExport, *function->table);
  }
  return 0;
}
