#include "call_graph.h"

#include <algorithm>
#include <iterator>

#include "wabt/cast.h"
#include "wabt/expr-visitor.h"
#include "wasm_input.h"

namespace faasmjs::asyncify {
namespace {

std::string typeList(const wabt::TypeVector& types) {
  std::string text = "(";
  for (std::size_t i = 0; i < types.size(); ++i) text += (i ? ", " : "") + types[i].GetName();
  return text + ")";
}

struct IndirectCall {
  wabt::Index table;
  std::string signature;
};

// Everything one function body says about calls and about writes to tables.
class BodyScanner : public wabt::ExprVisitor::DelegateNop {
 public:
  BodyScanner(const wabt::Module& module, std::string functionName)
      : module_(module), functionName_(std::move(functionName)) {}

  std::vector<wabt::Index> directCalls;
  std::vector<IndirectCall> indirectCalls;
  std::vector<std::string> referenceCallSignatures;
  std::vector<std::pair<wabt::Index, std::string>> tableWrites;  // table, instruction
  std::vector<std::pair<wabt::Index, wabt::Index>> tableInits;   // table, element segment
  bool tailCall = false;

  wabt::Result OnCallExpr(wabt::CallExpr* expr) override {
    directCalls.push_back(module_.GetFuncIndex(expr->var));
    return wabt::Result::Ok;
  }
  wabt::Result OnReturnCallExpr(wabt::ReturnCallExpr* expr) override {
    tailCall = true;
    directCalls.push_back(module_.GetFuncIndex(expr->var));
    return wabt::Result::Ok;
  }
  wabt::Result OnCallIndirectExpr(wabt::CallIndirectExpr* expr) override {
    indirectCalls.push_back({module_.GetTableIndex(expr->table), signatureOf(module_, expr->decl)});
    return wabt::Result::Ok;
  }
  wabt::Result OnReturnCallIndirectExpr(wabt::ReturnCallIndirectExpr* expr) override {
    tailCall = true;
    indirectCalls.push_back({module_.GetTableIndex(expr->table), signatureOf(module_, expr->decl)});
    return wabt::Result::Ok;
  }
  wabt::Result OnCallRefExpr(wabt::CallRefExpr* expr) override {
    // An empty signature stands for "unknown": the call may reach any function.
    const wabt::FuncType* type = module_.GetFuncType(expr->function_type_index);
    referenceCallSignatures.push_back(type ? typeList(type->sig.param_types) + " -> " + typeList(type->sig.result_types)
                                           : std::string());
    return wabt::Result::Ok;
  }
  wabt::Result OnTableSetExpr(wabt::TableSetExpr* expr) override { return write(expr->var, "table.set"); }
  wabt::Result OnTableFillExpr(wabt::TableFillExpr* expr) override { return write(expr->var, "table.fill"); }
  wabt::Result OnTableGrowExpr(wabt::TableGrowExpr* expr) override { return write(expr->var, "table.grow"); }
  wabt::Result OnTableCopyExpr(wabt::TableCopyExpr* expr) override {
    // Copying within one table moves functions around but adds none.
    if (module_.GetTableIndex(expr->dst_table) == module_.GetTableIndex(expr->src_table)) return wabt::Result::Ok;
    return write(expr->dst_table, "table.copy");
  }
  wabt::Result OnTableInitExpr(wabt::TableInitExpr* expr) override {
    tableInits.emplace_back(module_.GetTableIndex(expr->table_index), module_.GetElemSegmentIndex(expr->segment_index));
    return wabt::Result::Ok;
  }

 private:
  wabt::Result write(const wabt::Var& table, const char* instruction) {
    tableWrites.emplace_back(module_.GetTableIndex(table), std::string(instruction) + " in " + functionName_);
    return wabt::Result::Ok;
  }

  const wabt::Module& module_;
  std::string functionName_;
};

std::vector<wabt::Index> segmentFunctions(const wabt::Module& module, const wabt::ElemSegment& segment) {
  std::vector<wabt::Index> functions;
  for (const wabt::ExprList& element : segment.elem_exprs) {
    for (const wabt::Expr& expr : element) {
      if (const auto* reference = wabt::dyn_cast<wabt::RefFuncExpr>(&expr)) {
        functions.push_back(module.GetFuncIndex(reference->var));
      }
    }
  }
  return functions;
}

template <class T>
void sortUnique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

std::string signatureOf(const wabt::Module& module, const wabt::FuncDeclaration& declaration) {
  const wabt::FuncSignature& signature =
      declaration.has_func_type ? module.GetFuncType(declaration.type_var)->sig : declaration.sig;
  return typeList(signature.param_types) + " -> " + typeList(signature.result_types);
}

CallGraph::CallGraph(wabt::Module& module)
    : calls_(module.funcs.size()), tables_(module.tables.size()), signatures_(module.funcs.size()) {
  for (wabt::Index function = 0; function < module.funcs.size(); ++function) {
    signatures_[function] = signatureOf(module, module.funcs[function]->decl);
    functionsBySignature_[signatures_[function]].push_back(function);
  }

  for (wabt::Index table = 0; table < module.num_table_imports; ++table) {
    tables_[table] = {false, "imported", {}};
  }
  for (const wabt::ElemSegment* segment : module.elem_segments) {
    if (segment->kind != wabt::SegmentKind::Active) continue;
    auto& contents = tables_[module.GetTableIndex(segment->table_var)].functions;
    const auto functions = segmentFunctions(module, *segment);
    contents.insert(contents.end(), functions.begin(), functions.end());
  }

  std::vector<std::vector<IndirectCall>> indirectCalls(module.funcs.size());
  std::vector<std::vector<std::string>> referenceCalls(module.funcs.size());
  for (wabt::Index function = module.num_func_imports; function < module.funcs.size(); ++function) {
    BodyScanner scanner(module, displayName(module, function));
    wabt::ExprVisitor visitor(&scanner);
    // Validation passed, so every body is well formed and the visit cannot fail.
    (void)visitor.VisitFunc(module.funcs[function]);
    for (const wabt::Index callee : scanner.directCalls) calls_[function].push_back({callee, CallKind::Direct});
    indirectCalls[function] = std::move(scanner.indirectCalls);
    referenceCalls[function] = std::move(scanner.referenceCallSignatures);
    for (auto& [table, instruction] : scanner.tableWrites) {
      if (tables_[table].known) tables_[table] = {false, "written by " + instruction, {}};
    }
    for (const auto& [table, segment] : scanner.tableInits) {
      const auto functions = segmentFunctions(module, *module.elem_segments[segment]);
      tables_[table].functions.insert(tables_[table].functions.end(), functions.begin(), functions.end());
    }
    if (scanner.tailCall && !tailCaller_) tailCaller_ = function;
  }
  for (auto& table : tables_) {
    if (table.known) {
      sortUnique(table.functions);
    } else {
      table.functions.clear();
    }
  }

  for (wabt::Index function = module.num_func_imports; function < module.funcs.size(); ++function) {
    auto& calls = calls_[function];
    for (const auto& [table, signature] : indirectCalls[function]) {
      for (const wabt::Index callee : indirectTargets(table, signature)) calls.push_back({callee, CallKind::Indirect});
    }
    for (const auto& signature : referenceCalls[function]) {
      for (wabt::Index callee = 0; callee < signatures_.size(); ++callee) {
        if (signature.empty() || signatures_[callee] == signature) calls.push_back({callee, CallKind::Reference});
      }
    }
    // Direct sorts first, so deduplicating by callee keeps the most precise way of reaching it.
    std::sort(calls.begin(), calls.end(), [](const Call& a, const Call& b) {
      return a.callee != b.callee ? a.callee < b.callee : a.kind < b.kind;
    });
    calls.erase(
        std::unique(calls.begin(), calls.end(), [](const Call& a, const Call& b) { return a.callee == b.callee; }),
        calls.end());
  }
}

std::vector<wabt::Index> CallGraph::indirectTargets(wabt::Index table, const std::string& signature) const {
  const auto sameSignature = functionsBySignature_.find(signature);
  if (sameSignature == functionsBySignature_.end()) return {};
  const TableContents& contents = tables_[table];
  if (!contents.known) return sameSignature->second;
  std::vector<wabt::Index> targets;
  std::set_intersection(sameSignature->second.begin(), sameSignature->second.end(), contents.functions.begin(),
                        contents.functions.end(), std::back_inserter(targets));
  return targets;
}

}  // namespace faasmjs::asyncify
