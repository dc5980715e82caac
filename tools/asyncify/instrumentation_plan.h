// Which functions Asyncify must instrument: exactly those that can be on the stack while a blocking import
// runs, i.e. every function from which the call graph reaches one. Each keeps the first step of its shortest
// such chain, so that the tool can say why it was chosen.
#ifndef FAASMJS_ASYNCIFY_INSTRUMENTATION_PLAN_H
#define FAASMJS_ASYNCIFY_INSTRUMENTATION_PLAN_H

#include <optional>
#include <string>
#include <vector>

#include "call_graph.h"
#include "wabt/ir.h"

namespace faasmjs::asyncify {

class InstrumentationPlan {
 public:
  InstrumentationPlan(const CallGraph& graph, const std::vector<wabt::Index>& blockingImports);

  // Defined functions only, ascending by index.
  const std::vector<wabt::Index>& functions() const { return functions_; }
  // The calls from `function` down to a blocking import: a shortest chain, ties broken by lowest index.
  std::vector<Call> chain(wabt::Index function) const;
  // How many of functions() reach a blocking import only through an indirect call (or call_ref): those the
  // signature-based resolution of indirect calls brings in, where a suspending function shares a signature.
  std::size_t onlyThroughIndirectCalls() const { return onlyThroughIndirectCalls_; }

 private:
  std::vector<std::optional<Call>> next_;
  std::vector<wabt::Index> functions_;
  std::size_t onlyThroughIndirectCalls_ = 0;
};

// "f: f -> g -(call_indirect)-> h -> env.__faasm_await_call"
std::string describeChain(const wabt::Module& module, const InstrumentationPlan& plan, wabt::Index function);

}  // namespace faasmjs::asyncify

#endif
