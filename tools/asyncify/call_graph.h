// Who may call whom. Direct calls are exact. An indirect call may reach every function of its signature that
// the table can hold, known from the element segments; when a table's contents cannot be known statically
// (imported, or written at run time) it may reach every function of its signature.
#ifndef FAASMJS_ASYNCIFY_CALL_GRAPH_H
#define FAASMJS_ASYNCIFY_CALL_GRAPH_H

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wabt/ir.h"

namespace faasmjs::asyncify {

enum class CallKind { Direct, Indirect, Reference };  // call, call_indirect, call_ref (and their tail forms)

struct Call {
  wabt::Index callee;
  CallKind kind;
  friend bool operator==(const Call&, const Call&) = default;
};

struct TableContents {
  bool known = true;                   // false: it may hold any function
  std::string unknownBecause;          // set when !known
  std::vector<wabt::Index> functions;  // sorted; meaningful when known
};

// "(i32, i32) -> (i32)": the structural signature, equal for functions an indirect call cannot tell apart.
std::string signatureOf(const wabt::Module& module, const wabt::FuncDeclaration& declaration);

class CallGraph {
 public:
  explicit CallGraph(wabt::Module& module);

  std::size_t functionCount() const { return calls_.size(); }
  // Sorted by callee; a callee reached both directly and indirectly appears once, as Direct.
  const std::vector<Call>& callsFrom(wabt::Index caller) const { return calls_[caller]; }
  const std::vector<TableContents>& tables() const { return tables_; }
  // The functions a call_indirect through `table` with `signature` may reach, ascending.
  std::vector<wabt::Index> indirectTargets(wabt::Index table, const std::string& signature) const;
  // A function that makes a tail call, if any (Binaryen's Asyncify cannot transform those).
  std::optional<wabt::Index> tailCaller() const { return tailCaller_; }

 private:
  std::vector<std::vector<Call>> calls_;
  std::vector<TableContents> tables_;
  std::vector<std::string> signatures_;
  std::map<std::string, std::vector<wabt::Index>> functionsBySignature_;
  std::optional<wabt::Index> tailCaller_;
};

}  // namespace faasmjs::asyncify

#endif
