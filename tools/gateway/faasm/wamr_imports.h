// What Faasm's WAMR backend links into a function, and what it cannot: the natives faasm registers (src/wamr/*.cpp,
// wasm::initialiseWAMRNatives) and WAMR's own libc-builtin and libc-wasi behind them, each with the WAMR signature it
// is registered with, resolved as WAMR's wasm_native_resolve_symbol does (the first table of the module that has the
// name wins, a name starting with '_' is retried without it, and a signature that does not fit leaves the import
// unlinked). An unlinked import is not an upload error on Faasm: the function runs until it calls one, then traps with
// "failed to call unlinked import function". The gateway refuses such a function at upload instead, naming what is
// missing (../shared/faasm/README.md, "Host interface").
//
// The embedded cluster's worker provides the list in common/host_imports.h; the __faasm_* imports there that WAMR lacks
// are kWavmOnlyImports (faasm/cpp's host_interface.h declares them; only WAVM has them).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "faasm/wasm_imports.h"

namespace faasmjs::gateway::faasm {

inline constexpr std::array<std::string_view, 22> kWavmOnlyImports{"__faasm_write_state_offset",
                                                                   "__faasm_read_state_offset",
                                                                   "__faasm_read_state_offset_ptr",
                                                                   "__faasm_flag_state_dirty",
                                                                   "__faasm_flag_state_offset_dirty",
                                                                   "__faasm_push_state_partial",
                                                                   "__faasm_push_state_partial_mask",
                                                                   "__faasm_write_state_from_file",
                                                                   "__faasm_clear_appended_state",
                                                                   "__faasm_lock_state_read",
                                                                   "__faasm_unlock_state_read",
                                                                   "__faasm_lock_state_write",
                                                                   "__faasm_unlock_state_write",
                                                                   "__faasm_sm_var",
                                                                   "__faasm_sm_array",
                                                                   "__faasm_sm_raw",
                                                                   "__faasm_chain_py",
                                                                   "__faasm_get_py_user",
                                                                   "__faasm_get_py_func",
                                                                   "__faasm_get_py_entry",
                                                                   "__faasm_conf_flag",
                                                                   "__faasm_backtrace"};

// The WAMR signature ("($i)i") that links module.name with wasm type `signature` ("ii:i", as signature_text), or empty
// when WAMR has no such native. `found` says whether the name exists at all (with another signature).
struct WamrLookup {
  bool found = false;
  bool links = false;
  std::string_view wamr_signature;
};
WamrLookup wamr_lookup(std::string_view module, std::string_view name, const FunctionImport& import);

// Each import WAMR would leave unlinked, as "env.NAME" (with ", which WAMR has as SIG" when only the signature
// differs).
std::vector<std::string> missing_on_wamr(const std::vector<FunctionImport>& imports);

// BadWasm "FUNCTION cannot run on Faasm: its WAMR backend lacks env.A, env.B", or a malformed module.
Expected<void> check_wamr_imports(std::string_view function, std::span<const std::uint8_t> wasm);

}  // namespace faasmjs::gateway::faasm
