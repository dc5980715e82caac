#include "indirect_call_shield.h"

#include "wabt/binary-writer.h"
#include "wabt/cast.h"
#include "wabt/stream.h"
#include "wasm_input.h"

namespace faasmjs::asyncify {
namespace {

class Shield {
 public:
  Shield(wabt::Module& module, const CallGraph& graph, std::vector<bool> suspending)
      : module_(module), graph_(graph), suspending_(std::move(suspending)) {}

  std::size_t shielded = 0;
  std::size_t kept = 0;
  std::vector<std::string> trampolineNames;

  void rewrite(wabt::Index function) {
    caller_ = function;
    rewrite(module_.funcs[function]->exprs);
  }

 private:
  void rewrite(wabt::ExprList& exprs) {
    for (auto it = exprs.begin(); it != exprs.end(); ++it) {
      if (auto* block = wabt::dyn_cast<wabt::BlockExpr>(&*it)) {
        rewrite(block->block.exprs);
      } else if (auto* loop = wabt::dyn_cast<wabt::LoopExpr>(&*it)) {
        rewrite(loop->block.exprs);
      } else if (auto* branch = wabt::dyn_cast<wabt::IfExpr>(&*it)) {
        rewrite(branch->true_.exprs);
        rewrite(branch->false_);
      } else if (auto* attempt = wabt::dyn_cast<wabt::TryExpr>(&*it)) {
        rewrite(attempt->block.exprs);
        for (auto& handler : attempt->catches) rewrite(handler.exprs);
      } else if (auto* call = wabt::dyn_cast<wabt::CallIndirectExpr>(&*it)) {
        if (mayReachSuspension(*call)) {
          ++kept;
          continue;
        }
        auto direct = std::make_unique<wabt::CallExpr>(wabt::Var(addTrampoline(*call), call->loc));
        it = exprs.insert(exprs.erase(it), std::move(direct));
        ++shielded;
      }
    }
  }

  bool mayReachSuspension(const wabt::CallIndirectExpr& call) const {
    for (const wabt::Index target :
         graph_.indirectTargets(module_.GetTableIndex(call.table), signatureOf(module_, call.decl))) {
      if (suspending_[target]) return true;
    }
    return false;
  }

  // (params..., i32 index) -> (results): passes everything on to the same call_indirect.
  wabt::Index addTrampoline(const wabt::CallIndirectExpr& call) {
    const wabt::FuncSignature& called =
        call.decl.has_func_type ? module_.GetFuncType(call.decl.type_var)->sig : call.decl.sig;
    wabt::FuncSignature signature;
    signature.param_types = called.param_types;
    signature.param_types.push_back(wabt::Type::I32);
    signature.result_types = called.result_types;

    wabt::Index type = module_.GetFuncTypeIndex(signature);
    if (type == wabt::kInvalidIndex) {
      auto field = std::make_unique<wabt::TypeModuleField>();
      auto functionType = std::make_unique<wabt::FuncType>();
      functionType->sig = signature;
      field->type = std::move(functionType);
      module_.AppendField(std::move(field));
      type = static_cast<wabt::Index>(module_.types.size() - 1);
    }

    auto field = std::make_unique<wabt::FuncModuleField>();
    wabt::Func& function = field->func;
    function.decl.has_func_type = true;
    function.decl.type_var = wabt::Var(type, wabt::Location());
    function.decl.sig = signature;
    for (wabt::Index param = 0; param < signature.param_types.size(); ++param) {
      function.exprs.push_back(std::make_unique<wabt::LocalGetExpr>(wabt::Var(param, wabt::Location())));
    }
    auto forwarded = std::make_unique<wabt::CallIndirectExpr>();
    forwarded->decl = call.decl;
    forwarded->table = call.table;
    function.exprs.push_back(std::move(forwarded));
    module_.AppendField(std::move(field));
    trampolineNames.push_back("indirect call of " + displayName(module_, caller_));
    return static_cast<wabt::Index>(module_.funcs.size() - 1);
  }

  wabt::Module& module_;
  const CallGraph& graph_;
  std::vector<bool> suspending_;
  wabt::Index caller_ = 0;
};

}  // namespace

Result<ShieldedBinary> shieldIndirectCalls(const std::vector<std::uint8_t>& input, const std::string& label,
                                           const CallGraph& graph, const std::vector<wabt::Index>& instrumented,
                                           const std::vector<wabt::Index>& blockingImports) {
  auto parsed = parseModule(input, label);
  if (!parsed) return parsed.error();
  wabt::Module& module = *parsed->module;

  std::vector<bool> suspending(module.funcs.size(), false);
  for (const wabt::Index function : instrumented) suspending[function] = true;
  for (const wabt::Index function : blockingImports) suspending[function] = true;
  Shield shield(module, graph, std::move(suspending));
  std::vector<std::string> names;
  for (wabt::Index function = 0; function < module.funcs.size(); ++function) {
    names.push_back(sectionName(module, function));
  }
  for (const wabt::Index function : instrumented) shield.rewrite(function);
  names.insert(names.end(), shield.trampolineNames.begin(), shield.trampolineNames.end());

  wabt::Features features;
  features.EnableAll();
  wabt::MemoryStream stream;
  const wabt::WriteBinaryOptions options(features, /*canonicalize_lebs=*/true, /*relocatable=*/false,
                                         /*write_debug_names=*/false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, &module, options))) {
    return Error{"internal error: wabt could not write " + label + " back"};
  }
  return ShieldedBinary{std::move(stream.output_buffer().data), static_cast<std::uint32_t>(module.funcs.size()),
                        shield.shielded, shield.kept, std::move(names)};
}

}  // namespace faasmjs::asyncify
