#include "instrumentation_check.h"

#include <algorithm>
#include <string>

#include "faasm_abi.h"
#include "wabt/cast.h"
#include "wabt/expr-visitor.h"
#include "wasm_input.h"

namespace faasmjs::asyncify {
namespace {

class GlobalUseFinder : public wabt::ExprVisitor::DelegateNop {
 public:
  GlobalUseFinder(const wabt::Module& module, wabt::Index global) : module_(module), global_(global) {}
  bool found = false;

  wabt::Result OnGlobalGetExpr(wabt::GlobalGetExpr* expr) override { return check(expr->var); }
  wabt::Result OnGlobalSetExpr(wabt::GlobalSetExpr* expr) override { return check(expr->var); }

 private:
  wabt::Result check(const wabt::Var& var) {
    found = found || module_.GetGlobalIndex(var) == global_;
    return wabt::Result::Ok;
  }
  const wabt::Module& module_;
  wabt::Index global_;
};

}  // namespace

Result<std::vector<wabt::Index>> findInstrumentedFunctions(const std::vector<std::uint8_t>& asyncified) {
  auto parsed = parseModule(asyncified, "Binaryen's asyncified module");
  if (!parsed) return Error{"internal error: " + parsed.error().message};
  wabt::Module& module = *parsed->module;

  const wabt::Export* getState = module.GetExport(kGetState);
  if (getState == nullptr || getState->kind != wabt::ExternalKind::Func) {
    return Error{"internal error: Binaryen's Asyncify did not export " + std::string(kGetState)};
  }
  const wabt::Func* getStateFunction = module.GetFunc(getState->var);
  const auto* stateRead =
      getStateFunction->exprs.empty() ? nullptr : wabt::dyn_cast<wabt::GlobalGetExpr>(&getStateFunction->exprs.front());
  if (stateRead == nullptr) {
    return Error{"internal error: " + std::string(kGetState) + " does not start by reading a global"};
  }
  const wabt::Index stateGlobal = module.GetGlobalIndex(stateRead->var);

  std::vector<wabt::Index> controlFunctions;
  for (const wabt::Export* exported : module.exports) {
    if (exported->kind == wabt::ExternalKind::Func &&
        std::find(kControlExports.begin(), kControlExports.end(), exported->name) != kControlExports.end()) {
      controlFunctions.push_back(module.GetFuncIndex(exported->var));
    }
  }

  std::vector<wabt::Index> instrumented;
  for (wabt::Index function = module.num_func_imports; function < module.funcs.size(); ++function) {
    if (std::find(controlFunctions.begin(), controlFunctions.end(), function) != controlFunctions.end()) continue;
    GlobalUseFinder finder(module, stateGlobal);
    wabt::ExprVisitor visitor(&finder);
    (void)visitor.VisitFunc(module.funcs[function]);
    if (finder.found) instrumented.push_back(function);
  }
  return instrumented;
}

}  // namespace faasmjs::asyncify
