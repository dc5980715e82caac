#include "instrumentation_plan.h"

#include <algorithm>
#include <deque>

#include "wasm_input.h"

namespace faasmjs::asyncify {

InstrumentationPlan::InstrumentationPlan(const CallGraph& graph, const std::vector<wabt::Index>& blockingImports)
    : next_(graph.functionCount()) {
  std::vector<std::vector<Call>> callers(graph.functionCount());
  for (wabt::Index caller = 0; caller < graph.functionCount(); ++caller) {
    for (const Call& call : graph.callsFrom(caller)) callers[call.callee].push_back({caller, call.kind});
  }

  // Breadth first from the blocking imports over reversed edges: the first time a function is reached is
  // along a shortest chain.
  const auto reach = [&](bool directOnly, auto&& onReached) {
    std::vector<bool> reached(graph.functionCount(), false);
    std::deque<wabt::Index> queue(blockingImports.begin(), blockingImports.end());
    for (const wabt::Index import : blockingImports) reached[import] = true;
    while (!queue.empty()) {
      const wabt::Index callee = queue.front();
      queue.pop_front();
      for (const Call& caller : callers[callee]) {
        if (reached[caller.callee] || (directOnly && caller.kind != CallKind::Direct)) continue;
        reached[caller.callee] = true;
        onReached(caller.callee, Call{callee, caller.kind});
        queue.push_back(caller.callee);
      }
    }
  };
  reach(false, [&](wabt::Index function, Call next) {
    next_[function] = next;
    functions_.push_back(function);
  });
  std::size_t direct = 0;
  reach(true, [&](wabt::Index, Call) { ++direct; });
  onlyThroughIndirectCalls_ = functions_.size() - direct;
  std::sort(functions_.begin(), functions_.end());
}

std::vector<Call> InstrumentationPlan::chain(wabt::Index function) const {
  std::vector<Call> calls;
  for (auto step = next_[function]; step; step = next_[step->callee]) calls.push_back(*step);
  return calls;
}

std::string describeChain(const wabt::Module& module, const InstrumentationPlan& plan, wabt::Index function) {
  const std::string name = displayName(module, function);
  std::string text = name + ": " + name;
  for (const Call& call : plan.chain(function)) {
    switch (call.kind) {
      case CallKind::Direct:
        text += " -> ";
        break;
      case CallKind::Indirect:
        text += " -(call_indirect)-> ";
        break;
      case CallKind::Reference:
        text += " -(call_ref)-> ";
        break;
    }
    text += displayName(module, call.callee);
  }
  return text;
}

}  // namespace faasmjs::asyncify
