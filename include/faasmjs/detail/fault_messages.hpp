// The wording of host faults in C++: what a host answers, as Faasm does with a host exception, when a function
// asks for something it cannot have (a size-less state key, a chunk outside a value, a buffer too small...).
// The call fails with "<import>: <message>"; the same mistake must read the same on every host.
//
// Section map
//   1. kTemplates      every fault kind and its message, with {field} placeholders
//   2. fault_message   a kind's message with its fields filled in
//
// One table for both languages: the browser's table is sdk/js/host/faults.js (MESSAGES, the same kinds and
// words as JavaScript template literals); the conformance suite's check (tests/conformance/fault_messages.test.mjs)
// renders both with the same fields and fails on any difference, and its fault cases check that every host
// answers with these words. Kinds marked native_only exist only where pointers are native (the native test host).
//
// Thread safety: constant data and a pure function.
#ifndef FAASMJS_DETAIL_FAULT_MESSAGES_HPP
#define FAASMJS_DETAIL_FAULT_MESSAGES_HPP

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace faasmjs::detail {

struct FaultTemplate {
  std::string_view kind;
  std::string_view text;
  bool native_only;
};

// 1.
inline constexpr FaultTemplate kFaultTemplates[] = {
    {"outOfBounds", "{what} [{ptr}, +{length}) lies outside the guest's {memoryBytes} bytes of memory", false},
    {"negativeLength", "negative {what} {length}", false},
    {"unterminated", "{what} at {ptr} has no terminating NUL before the end of memory", false},
    {"emptyKey", "empty state key", false},
    {"emptyName", "empty function name", false},
    {"needsSize", "state key '{key}' needs a positive size, got {size}", false},
    {"noLocalValue", "state key '{key}' has no value on this host", false},
    {"outsideValue", "chunk [{offset}, +{length}) is outside the {size} bytes of state key '{key}'", false},
    {"bufferTooSmall", "buffer of {length} bytes is smaller than the {size} bytes of state key '{key}' on this host",
     false},
    {"sizeMismatch", "state key '{key}' has {size} bytes on this host; a value of {length} bytes cannot replace it",
     false},
    {"globalTooBig", "the global value of '{key}' has {globalSize} bytes, more than its {size} bytes on this host",
     false},
    {"maskSize", "mask '{maskKey}' has {maskSize} bytes, state key '{key}' has {size}", false},
    {"appendedTooBig", "{count} appended elements of '{key}' take {bytes} bytes, more than the buffer's {length}",
     false},
    {"notLocked", "state key '{key}' is not {mode}-locked by this host", false},
    {"badFunctionPointer", "function pointer {index} names no function (the table has {tableSize} entries)", false},
    {"noTable", "the module exports no function table, so it cannot chain by pointer", false},
    {"mallocFailed", "the guest's malloc({size}) returned 0", false},
    {"noFile", "cannot read '{path}' from the function's file system", false},
    {"noDescriptor", "file descriptor {fd} does not exist", false},
    {"cxxException", "C++ exceptions are not supported in Faasm functions (build without throw: errors are values)",
     false},
    {"exceptionPropagation",
     "the host threw FunctionMigratedException (Migrating MPI rank), as Faasm's exception propagation test does",
     false},
    {"unknownHostInterfaceTest", "unrecognised host interface test {test}", false},
    {"cancelled", "the call was abandoned: {reason}", false},
    {"nullBuffer", "null {what} of {length} bytes", true},
    {"nullFunctionPointer", "null function pointer", true},
    {"wouldWaitForever",
     "state key '{key}' is locked by a call on this host, so this would wait forever (the native host runs calls one "
     "at a time)",
     true},
};

// 2. The message of `kind` with each {field} replaced by its value; a kind or field not in the table is named in
//    the result, so a typo shows in the test that meets it.
inline std::string fault_message(std::string_view kind,
                                 std::initializer_list<std::pair<std::string_view, std::string>> fields = {}) {
  for (const FaultTemplate& entry : kFaultTemplates) {
    if (entry.kind != kind) continue;
    std::string out;
    for (std::size_t i = 0; i < entry.text.size(); i++) {
      const std::size_t close = entry.text[i] == '{' ? entry.text.find('}', i) : std::string_view::npos;
      if (close == std::string_view::npos) {
        out += entry.text[i];
        continue;
      }
      const std::string_view name = entry.text.substr(i + 1, close - i - 1);
      std::string value = "{unknown field " + std::string(name) + "}";
      for (const auto& [field, text] : fields) {
        if (field == name) value = text;
      }
      out += value;
      i = close;
    }
    return out;
  }
  return "{unknown fault kind " + std::string(kind) + "}";
}

}  // namespace faasmjs::detail

#endif  // FAASMJS_DETAIL_FAULT_MESSAGES_HPP
