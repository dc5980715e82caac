// What the tool knows about its two contracts: the Faasm host ABI (which imports exist and which of them
// block) and Binaryen's Asyncify runtime interface (exports, states, data layout), which the browser
// runtime's driver (sdk/js/asyncify.js) implements on the other side.
#ifndef FAASMJS_ASYNCIFY_FAASM_ABI_H
#define FAASMJS_ASYNCIFY_FAASM_ABI_H

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

namespace faasmjs::asyncify {

inline constexpr std::string_view kHostModule = "env";
inline constexpr std::string_view kWasiModule = "wasi_snapshot_preview1";
inline constexpr std::string_view kFaasmImportPrefix = "__faasm_";
// Binaryen's Asyncify gives imports from this module a meaning of its own (in-module unwinding).
inline constexpr std::string_view kReservedAsyncifyModule = "asyncify";

inline constexpr std::string_view kEntryExport = "_start";
inline constexpr std::string_view kMemoryExport = "memory";
// The name clang's --export-table gives the table; the browser runtime looks it up by this name to call
// a function chained by pointer.
inline constexpr std::string_view kTableExport = "__indirect_function_table";

// The imports that may wait on the network in a browser, so must be able to unwind to the event loop. This
// is the one authoritative list (include/faasmjs/detail/host_abi.h points here; the browser runtime's copies
// are checked against it by tests/js/runtime/host.test.mjs). Chaining (__faasm_chain_name/_ptr) is
// deliberately absent: it returns a call id at once so that fork-join overlaps; so are the unlocks
// (__faasm_unlock_state_read/_write), which return at once while the release travels behind everything the
// function asked before it, so that no function is instrumented for a lock's destructor. WASI's path_open and
// path_filestat_get are in it because opening a `faasm://` shared file first pulls it from the cluster
// (sdk/js/wasi/shared-files.js), as Faasm's syncSharedFile does.
struct ImportName {
  std::string_view module;
  std::string_view field;
};
inline constexpr std::array<ImportName, 17> kBlockingImports = {{
    {kHostModule, "__faasm_await_call"},
    {kHostModule, "__faasm_await_call_output"},
    {kHostModule, "__faasm_read_state"},
    {kHostModule, "__faasm_read_state_ptr"},
    {kHostModule, "__faasm_read_state_offset"},
    {kHostModule, "__faasm_read_state_offset_ptr"},
    {kHostModule, "__faasm_pull_state"},
    {kHostModule, "__faasm_push_state"},
    {kHostModule, "__faasm_push_state_partial"},
    {kHostModule, "__faasm_push_state_partial_mask"},
    {kHostModule, "__faasm_append_state"},
    {kHostModule, "__faasm_read_appended_state"},
    {kHostModule, "__faasm_clear_appended_state"},
    {kHostModule, "__faasm_lock_state_read"},
    {kHostModule, "__faasm_lock_state_write"},
    {kWasiModule, "path_open"},
    {kWasiModule, "path_filestat_get"},
}};

inline bool isBlockingImport(std::string_view module, std::string_view field) {
  return std::any_of(kBlockingImports.begin(), kBlockingImports.end(),
                     [&](const ImportName& name) { return name.module == module && name.field == field; });
}

// Binaryen's Asyncify (version 108) contract.
inline constexpr std::string_view kStartUnwind = "asyncify_start_unwind";
inline constexpr std::string_view kStopUnwind = "asyncify_stop_unwind";
inline constexpr std::string_view kStartRewind = "asyncify_start_rewind";
inline constexpr std::string_view kStopRewind = "asyncify_stop_rewind";
inline constexpr std::string_view kGetState = "asyncify_get_state";
inline constexpr std::array<std::string_view, 5> kControlExports = {kStartUnwind, kStopUnwind, kStartRewind,
                                                                    kStopRewind, kGetState};

// The value of the global that asyncify_get_state returns.
enum class State : std::int32_t { Normal = 0, Unwinding = 1, Rewinding = 2 };

// The data region handed to asyncify_start_unwind/start_rewind starts with this header; the saved call
// stack follows it, growing up from `current` and never past `end`.
struct DataHeaderField {
  std::string_view name;
  std::uint32_t offset;
};
inline constexpr std::array<DataHeaderField, 2> kDataHeader = {{{"current", 0}, {"end", 4}}};
inline constexpr std::uint32_t kDataHeaderBytes = 8;

}  // namespace faasmjs::asyncify

#endif
